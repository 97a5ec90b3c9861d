// Scanning many inputs at once (an organization's stack exports): each input is one stack, analyzed by
// the policies in this process or, with several workers, in this process and the worker processes it
// starts. A stack stays whole in one process, because stack policies need all of its resources at
// once; each process takes the next stack as it finishes one.
import { ChildProcess, fork } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as v8 from "v8";
import { ConfigError, PolicyConfigEntry, PolicyInfo, reconcileConfig } from "./config";
import { AnalyzerPolicy, Diagnostic, EngineResource, PackStartError, PolicyPackProcess, RunResult, runOnPack, withEnforcementLevel } from "./engine";
import { ioProblem, readInput } from "./files";
import type * as Local from "./local";
import { InputError, ParsedInput, parseInput, secretStrings } from "./inputs";
import { deferPulumiIndex } from "./lazy-sdk";
import { attributeDeferred, InputFailure, redactSecrets, ReportContext } from "./report";

/**
 * The in-process engine, loaded when a stack is first analyzed in this process: it loads every policy,
 * which a scan's own process doesn't need when its workers analyze the stacks (nor does --help).
 */
function local(): typeof Local {
    if (!localEngine) {
        // The policies need only a part of @pulumi/pulumi: the rest of it is loaded if something asks for it.
        deferPulumiIndex();
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        localEngine = require("./local") as typeof Local;
    }
    return localEngine;
}
let localEngine: typeof Local | undefined;

/** The number of pack processes when --workers isn't given: one per CPU the process may use. */
export function defaultWorkers(): number {
    return Math.max(1, typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length);
}

function jsonFilesUnder(dir: string, out: string[], depth = 0): void {
    if (depth > 20) {
        return;
    }
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
        const full = path.join(dir, e.name);
        if (e.isDirectory() && !e.name.startsWith(".") && e.name !== "node_modules") {
            jsonFilesUnder(full, out, depth + 1);
        } else if (e.isFile() && e.name.endsWith(".json")) {
            out.push(full);
        }
    }
}

/**
 * The files a command line names: files as given, and for a directory every `.json` file in it and
 * its subdirectories (hidden ones and node_modules skipped), sorted by path. Each path once.
 */
export function expandInputs(args: string[]): string[] {
    const out: string[] = [];
    for (const arg of args) {
        let isDir = false;
        if (arg !== "-") {
            try {
                isDir = fs.statSync(arg).isDirectory();
            } catch {
                // a missing file is reported as that input's error
            }
        }
        if (!isDir) {
            out.push(arg);
            continue;
        }
        const found: string[] = [];
        try {
            jsonFilesUnder(arg, found);
        } catch (e) {
            throw new InputError(`can't read the directory ${arg}: ${ioProblem(e)}`);
        }
        if (found.length === 0) {
            throw new InputError(`${arg} is a directory without .json files to scan`);
        }
        out.push(...found);
    }
    return [...new Set(out)];
}

/** What the scan tells about an input before analyzing it. */
export interface InputSize {
    resources: number;
}

export interface StackOptions {
    packDir: string;
    config: Record<string, PolicyConfigEntry>;
    /** The stack name the policies see (one input only) and the tags of every stack. */
    stack?: string;
    tags: Record<string, string>;
    /** Pack processes to run at once; at most one per input. */
    workers: number;
    checkConfig?: (policies: PolicyInfo[]) => void;
    /** Called before an input is analyzed, with how many resources it holds (for progress and warnings). */
    onInput?: (file: string, input: InputSize) => void;
    onProgress?: (done: number, total: number) => void;
    /** Called as each input finishes or fails. */
    onDone?: () => void;
    /** Called with each stack's outcome as soon as it is there (in the order the stacks finish). */
    onOutcome?: (outcome: StackOutcome) => void;
    /** Run every input in a pack process over the analyzer protocol (as `pulumi preview` does), not in this process. */
    protocol?: boolean;
    /** Whether results list the types each policy skipped (RunOptions.notApplicableTypes). */
    notApplicableTypes?: boolean;
}

/** An input the pack ran on: its (redacted) result and what reports need to know about it. */
export interface StackOutcome {
    file: string;
    result: RunResult;
    ctx: Omit<ReportContext, "tool">;
    secrets: string[];
}

/** What reports get from a run: stack-wide deferred checks attributed to their resources, secret values replaced. */
export function prepareResult(raw: RunResult, resources: EngineResource[]): { result: RunResult; secrets: string[] } {
    const secrets = secretStrings(resources);
    return { result: redactSecrets(attributeDeferred(raw, resources), secrets), secrets };
}

/** Something went wrong in the pack on one input (not the input's fault): the scan ends as an internal error. */
export class PackRunError extends Error {
    constructor(message: string, readonly input: string) {
        super(message);
        this.name = "PackRunError";
    }
}

export interface ScanOutcome {
    stacks: StackOutcome[];
    /** Inputs that could not be read or parsed, and inputs the pack failed on, in input order. */
    failures: (InputFailure & { internal: boolean })[];
}

function failureMessage(e: unknown): string {
    const detail = e instanceof Error ? `${(e as { details?: string }).details ?? e.message}` : String(e);
    return detail.split("\n")[0];
}

type Outcome = StackOutcome | (InputFailure & { internal: boolean });

/** A pack process for the runs that need one (a policy set to remediate, or `protocol`), started on first use. */
export class PackHolder {
    private pack: PolicyPackProcess | undefined;
    constructor(private readonly packDir: string) {}

    async get(): Promise<PolicyPackProcess> {
        if (!this.pack) {
            this.pack = await PolicyPackProcess.start({ packDir: this.packDir });
            await this.pack.handshake(path.resolve(this.packDir));
        }
        return this.pack;
    }

    /** Stops the process (after a failure it may be in any state: the next input gets a fresh one). */
    async close(): Promise<void> {
        const pack = this.pack;
        this.pack = undefined;
        await pack?.close().catch(() => undefined);
    }
}

/**
 * Reads, parses and analyzes one input: the policies run in this process (runner/local.ts), or in
 * the pack process when the run needs the engine's Remediate step or `protocol` is set. A problem
 * with the input, or the pack failing on it, is that input's failure (unless `rethrow`); the pack not
 * starting or an invalid config is thrown.
 */
export async function scanOne(file: string, options: StackOptions, pack: PackHolder, rethrow: boolean): Promise<Outcome> {
    const source = file === "-" ? "standard input" : file;
    let text: string;
    let input: ParsedInput;
    try {
        text = readInput(file);
        input = parseInput(text, source);
    } catch (e) {
        if (!(e instanceof InputError)) {
            throw e;
        }
        return { input: source, message: e.message, internal: false };
    }
    options.onInput?.(file, { resources: input.resources.length });
    const stack = options.stack ?? input.stack;
    try {
        const run = {
            resources: input.resources,
            config: options.config,
            stack: { stack, project: input.project, tags: options.tags },
            onProgress: options.onProgress,
            checkConfig: options.checkConfig,
            notApplicableTypes: options.notApplicableTypes,
        };
        let raw = options.protocol ? undefined : await local().runLocally({ ...run, packDir: options.packDir });
        if (!raw) {
            raw = await runOnPack(await pack.get(), run);
        }
        const { result, secrets } = prepareResult(raw, input.resources);
        return {
            file,
            result,
            ctx: { resources: input.resources, inputPath: file === "-" ? undefined : file, inputText: text, format: input.format, stack, project: input.project },
            secrets,
        };
    } catch (e) {
        if (e instanceof PackStartError || e instanceof ConfigError || rethrow) {
            throw e;
        }
        await pack.close();
        return { input: source, message: `the policy pack failed on it: ${failureMessage(e)}`, internal: true };
    }
}

/**
 * Runs the pack over each file. A file that can't be read or parsed, or that the pack fails on, is
 * recorded as a failure naming it; the others still run. Errors that concern every input (the pack
 * doesn't start, the policy config is invalid) end the scan. With several inputs and workers, this
 * process is one worker and each other is a process of its own (scan-worker.ts); each takes the next
 * input as it finishes one: the policies keep per-run state in their process, and a stack stays whole
 * in one process because stack policies need all of its resources at once.
 */
export async function scanFiles(files: string[], options: StackOptions): Promise<ScanOutcome> {
    const workers = Math.max(1, Math.min(options.workers, files.length));
    const outcomes: (Outcome | undefined)[] = workers > 1 ? await scanInWorkers(files, options, workers) : [];
    if (workers === 1) {
        const pack = new PackHolder(options.packDir);
        try {
            for (const [index, file] of files.entries()) {
                // Several stacks: each is kept as its report needs it, not with all its resources' properties and text.
                const scanned = await scanOne(file, options, pack, files.length === 1);
                const outcome = outcomes[index] = files.length > 1 ? forReport(scanned) : scanned;
                if ("ctx" in outcome) {
                    options.onOutcome?.(outcome);
                }
                options.onDone?.();
            }
        } finally {
            await pack.close();
        }
    }
    const stacks: StackOutcome[] = [];
    const failures: ScanOutcome["failures"] = [];
    for (const o of outcomes) {
        if (o && "result" in o) {
            stacks.push(o);
        } else if (o) {
            failures.push(o);
        }
    }
    return { stacks, failures };
}

/** What a worker process reports: that it has loaded the pack, then about each input. */
export type WorkerMessage =
    | { type: "ready" }
    | { type: "input"; index: number; input: InputSize }
    | { type: "outcome"; index: number; outcome: SentOutcome | Outcome }
    /** An outcome written to a file (sendableOutcome); its secret strings come with the message. */
    | { type: "outcome-file"; index: number; file: string; secrets: string[] }
    | { type: "fatal"; index: number; error: { name: string; message: string; details?: string[] } };

/** What a worker process is asked to do: scan one input. */
export interface WorkerTask {
    index: number;
    file: string;
    options: Pick<StackOptions, "packDir" | "config" | "stack" | "tags" | "protocol" | "notApplicableTypes">;
    /** The scan's own directory for outcomes (sendableOutcome), if it has one. */
    outcomes?: string;
}

/**
 * A run's result as a worker sends it: without its list of policies (the scan process has loaded the
 * same pack: the list is the same, and was a third of every message) and each finding without its
 * policy's description, which its message repeats; unpackResult gives the result back as it was.
 */
export interface PackedResult extends Omit<RunResult, "policies" | "diagnostics"> {
    /** Kept as a key, so that the result comes back with its keys in their order. */
    policies: undefined;
    diagnostics: PackedDiagnostic[];
}

/** A finding whose message is its policy's description and `tail`: both texts are undefined (unpackResult puts them back). */
type PackedDiagnostic = Omit<Diagnostic, "description" | "message"> & { description: string | undefined; message: string | undefined; tail?: string };

export function packResult(result: RunResult): PackedResult {
    const described = new Map(result.policies.map(p => [p.name, p.description]));
    return {
        ...result,
        policies: undefined,
        diagnostics: result.diagnostics.map(d => {
            const { description, message } = d;
            if (described.get(d.policyName) !== description || !message.startsWith(description)) {
                return d;
            }
            // The texts stay as keys (undefined), so that the finding comes back with its keys in their order.
            return { ...d, description: undefined, message: undefined, tail: message.slice(description.length) };
        }),
    };
}

export function unpackResult(packed: PackedResult, policies: AnalyzerPolicy[]): RunResult {
    const described = new Map(policies.map(p => [p.name, p.description]));
    return {
        ...packed,
        policies,
        diagnostics: packed.diagnostics.map(d => {
            if (d.tail === undefined) {
                return d as Diagnostic;
            }
            const { tail, ...others } = d;
            const description = described.get(d.policyName) ?? "";
            return { ...others, description, message: description + tail };
        }),
    };
}

/** A stack's outcome as it crosses from a worker: its result packed (packResult). */
type SentOutcome = Omit<StackOutcome, "result"> & { result: PackedResult };

/**
 * What a worker sends for an outcome. A stack's (redacted) result is hundreds of kilobytes: through the
 * IPC pipe it would cross 64 KiB at a time, each waiting for the scan process, busy with a stack of its
 * own, to read, and hold the worker up. It goes to a file in the scan's directory instead, and the
 * message says where; the secret strings reports are scrubbed of never go to a file. If the file can't
 * be written, the outcome goes through the pipe.
 */
export function sendableOutcome(task: WorkerTask, outcome: Outcome): WorkerMessage {
    if (!("ctx" in outcome)) {
        return { type: "outcome", index: task.index, outcome };
    }
    const sent: SentOutcome = { ...outcome, result: packResult(outcome.result) };
    if (task.outcomes !== undefined) {
        const { secrets, ...rest } = sent;
        const bytes = v8.serialize(rest);
        // Results are redacted, and reports scrub the secret strings again as they are written; a
        // result that still holds one never goes to a file all the same.
        if (!secrets.some(text => holdsText(bytes, text))) {
            const file = path.join(task.outcomes, `${task.index}.outcome`);
            try {
                fs.writeFileSync(file, bytes, { mode: 0o600 });
                return { type: "outcome-file", index: task.index, file, secrets };
            } catch {
                // through the pipe, below
            }
        }
    }
    return { type: "outcome", index: task.index, outcome: sent };
}

/** Whether v8.serialize's output holds a text: V8 writes a string as Latin-1 bytes or as UTF-16, inside longer strings too. */
function holdsText(bytes: Buffer, text: string): boolean {
    return bytes.includes(Buffer.from(text, "utf16le")) || (/^[\u0000-\u00ff]*$/.test(text) && bytes.includes(Buffer.from(text, "latin1")));
}

/** The outcome a worker sent (read back from its file, which is then removed), with its result unpacked. */
export function receivedOutcome(m: Extract<WorkerMessage, { type: "outcome" | "outcome-file" }>, policies: AnalyzerPolicy[]): Outcome {
    let sent: SentOutcome | Outcome;
    if (m.type === "outcome") {
        sent = m.outcome;
    } else {
        sent = { ...(v8.deserialize(fs.readFileSync(m.file)) as Omit<SentOutcome, "secrets">), secrets: m.secrets };
        fs.rmSync(m.file, { force: true });
    }
    return "ctx" in sent ? { ...sent, result: unpackResult(sent.result as PackedResult, policies) } : sent;
}

/** A resource as reports need it (its properties stay in the worker that analyzed it). */
export function reportResource(r: EngineResource): EngineResource {
    return { urn: r.urn, type: r.type, name: r.name, props: {}, ...(r.sourcePosition ? { sourcePosition: r.sourcePosition } : {}) };
}

/** The input's text, read again when a report asks for it (to point at lines), instead of kept for every stack. */
function rereadText<T extends { inputPath?: string; inputText?: string }>(ctx: T): T {
    const file = ctx.inputPath;
    if (file === undefined) {
        return ctx;
    }
    const { inputText: _, ...rest } = ctx;
    return Object.defineProperty(rest, "inputText", { get: () => readInput(file), enumerable: true }) as T;
}

/** A stack's context with more fields; an input text read again when asked for stays so (a spread would read it now). */
export function extendContext<T extends object, E extends object>(ctx: T, extra: E): T & E {
    return Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(ctx), ...Object.getOwnPropertyDescriptors(extra) }) as T & E;
}

function rebuildError(error: { name: string; message: string; details?: string[] }): Error {
    if (error.name === "ConfigError") {
        const e = new ConfigError("");
        e.message = error.message;
        return e;
    }
    if (error.name === "PackStartError") {
        return new PackStartError(error.message);
    }
    const e = new Error(error.message);
    e.name = error.name;
    return e;
}

/** What a worker sends once it has loaded the pack and its policies (scan-worker.ts). */
export function readyMessage(packDir: string): WorkerMessage {
    local().localPolicies(packDir);
    return { type: "ready" };
}

/** The inputs' sizes in bytes (0 for standard input or a file that can't be read: its error comes when it is read). */
function inputSizes(files: string[]): number[] {
    return files.map(file => {
        try {
            return file === "-" ? 0 : fs.statSync(file).size;
        } catch {
            return 0;
        }
    });
}

/**
 * The scan's queue of inputs, the largest first so that no large stack is left to run alone at the
 * end. A worker process is handed several inputs at once (it can't ask this process, busy with a stack
 * of its own, for the next one the moment it needs it): as much as its share of what is left, so the
 * batches shrink towards the end and every process runs out at about the same time.
 */
export class InputQueue {
    private readonly order: number[];
    private next = 0;
    private readonly taken = new Set<number>();
    private left: number;

    constructor(private readonly files: string[], private readonly sizes: number[], private readonly processes: number) {
        this.order = files.map((_, i) => i).sort((a, b) => sizes[b] - sizes[a] || a - b);
        // Every input counts for at least a byte, so that a run of empty files is shared out too.
        this.left = sizes.reduce((sum, n) => sum + Math.max(1, n), 0);
    }

    /** The next input for this process (which alone can read standard input). */
    takeOne(inThisProcess: boolean): number | undefined {
        while (this.next < this.order.length && this.taken.has(this.order[this.next])) {
            this.next++;
        }
        for (let k = this.next; k < this.order.length; k++) {
            const i = this.order[k];
            if (!this.taken.has(i) && (inThisProcess || this.files[i] !== "-")) {
                this.taken.add(i);
                this.left -= Math.max(1, this.sizes[i]);
                return i;
            }
        }
        return undefined;
    }

    /** Inputs for a worker that already holds `held` bytes of them: at least one while it holds none, up to its share of what is left. */
    takeBatch(held: number): number[] {
        const share = this.left / (2 * this.processes);
        const out: number[] = [];
        while (held === 0 || held < share) {
            const i = this.takeOne(false);
            if (i === undefined) {
                break;
            }
            out.push(i);
            held += Math.max(1, this.sizes[i]);
        }
        return out;
    }
}

/** Signals that end a scan early, after it has cleaned up. */
const INTERRUPTS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** An outcome as kept for the report: resources without their properties, the input's text read again when asked for. */
function forReport(outcome: Outcome): Outcome {
    return "ctx" in outcome ? { ...outcome, ctx: rereadText({ ...outcome.ctx, resources: outcome.ctx.resources.map(reportResource) }) } : outcome;
}

/**
 * Several inputs with `workers` processes: this process is one of them, and starts the others
 * (scan-worker.ts) before it loads the pack itself, so that they load it at the same time. The config
 * is checked with this process's policies before any input is handed out; each process then takes
 * the next input, the largest first, as it finishes one (standard input stays in this process).
 */
async function scanInWorkers(files: string[], options: StackOptions, workers: number): Promise<(Outcome | undefined)[]> {
    const outcomes: (Outcome | undefined)[] = new Array(files.length);
    const sizes = inputSizes(files);
    const queue = new InputQueue(files, sizes, workers);
    let failure: { error: unknown } | undefined;
    let configChecked = false;
    // The pack's policies, as this process loaded them: every result a worker sends is given them back.
    let policies: AnalyzerPolicy[] | undefined;
    const children: ChildProcess[] = [];
    const waiting: (() => void)[] = [];
    const child = () => new Promise<void>((resolve, reject) => {
        const worker = fork(path.join(__dirname, "scan-worker.js"), [options.packDir], { serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
        children.push(worker);
        let finished = false;
        const finish = (e?: unknown) => {
            if (!finished) {
                finished = true;
                worker.removeAllListeners("exit");
                worker.kill();
                if (e !== undefined) {
                    failure ??= { error: e };
                }
                e === undefined ? resolve() : reject(e);
            }
        };
        // Bytes of input handed to the worker and not yet reported back.
        let held = 0;
        const give = () => {
            for (const index of failure ? [] : queue.takeBatch(held)) {
                held += Math.max(1, sizes[index]);
                worker.send({ index, file: files[index], options: { packDir: options.packDir, config: options.config, stack: options.stack, tags: options.tags, protocol: options.protocol, notApplicableTypes: options.notApplicableTypes }, outcomes: outcomeDir } satisfies WorkerTask);
            }
            if (held === 0) {
                finish();
            }
        };
        worker.on("message", (m: WorkerMessage) => {
            if (m.type === "ready") {
                // The config is checked by this process; a worker ready before that waits for it.
                configChecked ? give() : waiting.push(give);
            } else if (m.type === "input") {
                options.onInput?.(files[m.index], m.input);
            } else if (m.type === "outcome" || m.type === "outcome-file") {
                held -= Math.max(1, sizes[m.index]);
                policies ??= local().localPolicies(options.packDir).policies;
                let received: Outcome;
                try {
                    received = receivedOutcome(m, policies);
                } catch (e) {
                    finish(new Error(`the outcome of ${files[m.index]} couldn't be read back from its worker: ${e instanceof Error ? e.message : String(e)}`));
                    return;
                }
                const outcome = outcomes[m.index] = "ctx" in received ? { ...received, ctx: rereadText(received.ctx) } : received;
                if ("ctx" in outcome) {
                    options.onOutcome?.(outcome);
                }
                options.onDone?.();
                give();
            } else {
                finish(rebuildError(m.error));
            }
        });
        worker.on("exit", code => finish(new Error(`a scan worker process ended with code ${code}`)));
        worker.on("error", e => finish(e));
    });
    const inThisProcess = async () => {
        // What a worker checks before it is ready: the pack loads, the config fits its policies.
        const info = local().localPolicies(options.packDir);
        policies = info.policies;
        const withLevels = withEnforcementLevel(info.policies);
        reconcileConfig(withLevels, info.initialConfig, options.config, `${info.name} ${info.version}`);
        options.checkConfig?.(withLevels);
        configChecked = true;
        waiting.splice(0).forEach(give => give());
        const pack = new PackHolder(options.packDir);
        try {
            for (let index = queue.takeOne(true); index !== undefined && !failure; index = queue.takeOne(true)) {
                const outcome = outcomes[index] = forReport(await scanOne(files[index], options, pack, false));
                if ("ctx" in outcome) {
                    options.onOutcome?.(outcome);
                }
                options.onDone?.();
                // A small stack is analyzed without a turn of the event loop: the workers' outcomes (and
                // their requests for more) and a signal are taken in between stacks.
                await new Promise(resolve => setImmediate(resolve));
            }
        } finally {
            await pack.close();
        }
    };
    // Private to this user (mkdtemp makes it 0700); removed with whatever a worker left in it. Without
    // one (no writable temporary directory), outcomes come through the pipe.
    let outcomeDir: string | undefined;
    try {
        outcomeDir = fs.mkdtempSync(path.join(os.tmpdir(), "serverless-guard-scan-"));
    } catch {
        outcomeDir = undefined;
    }
    const cleanUp = () => {
        for (const c of children) {
            c.kill();
        }
        if (outcomeDir !== undefined) {
            fs.rmSync(outcomeDir, { recursive: true, force: true });
        }
    };
    // Interrupted (Ctrl-C, a CI job cancelled): the workers and the outcome files go first, then the
    // signal ends this process as it would have.
    const onSignal = (signal: NodeJS.Signals) => {
        stopListening();
        cleanUp();
        process.kill(process.pid, signal);
    };
    const stopListening = () => INTERRUPTS.forEach(signal => process.removeListener(signal, onSignal));
    INTERRUPTS.forEach(signal => process.once(signal, onSignal));
    const running = Array.from({ length: workers - 1 }, child);
    try {
        // Resolve and reject once all have stopped, so that no process outlives the scan.
        const own = inThisProcess().catch((e: unknown) => {
            failure ??= { error: e };
            children.forEach(c => c.kill());
            waiting.splice(0);
        });
        await Promise.allSettled([own, ...running]);
    } finally {
        stopListening();
        cleanUp();
    }
    if (failure) {
        throw failure.error;
    }
    return outcomes;
}
