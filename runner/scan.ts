// Scanning many inputs at once (an organization's stack exports): each input is one stack, analyzed by
// the policies in this process or, with several workers, in this process and the worker processes it
// starts. A stack stays whole in one process, because stack policies need all of its resources at
// once; each process takes the next stack as it finishes one.
import { ChildProcess, fork } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError, PolicyConfigEntry, PolicyInfo, reconcileConfig } from "./config";
import { EngineResource, PackStartError, PolicyPackProcess, RunResult, runOnPack, withEnforcementLevel } from "./engine";
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

export interface StackOptions {
    packDir: string;
    config: Record<string, PolicyConfigEntry>;
    /** The stack name the policies see (one input only) and the tags of every stack. */
    stack?: string;
    tags: Record<string, string>;
    /** Pack processes to run at once; at most one per input. */
    workers: number;
    checkConfig?: (policies: PolicyInfo[]) => void;
    /** Called before an input is analyzed, with its resources (for progress and warnings). */
    onInput?: (file: string, input: ParsedInput) => void;
    onProgress?: (done: number, total: number) => void;
    /** Called as each input finishes or fails. */
    onDone?: () => void;
    /** Run every input in a pack process over the analyzer protocol (as `pulumi preview` does), not in this process. */
    protocol?: boolean;
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
    options.onInput?.(file, input);
    const stack = options.stack ?? input.stack;
    try {
        const run = {
            resources: input.resources,
            config: options.config,
            stack: { stack, project: input.project, tags: options.tags },
            onProgress: options.onProgress,
            checkConfig: options.checkConfig,
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
                outcomes[index] = await scanOne(file, options, pack, files.length === 1);
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
    | { type: "input"; index: number; input: ParsedInput }
    | { type: "outcome"; index: number; outcome: Outcome }
    | { type: "fatal"; index: number; error: { name: string; message: string; details?: string[] } };

/** What a worker process is asked to do: scan one input. */
export interface WorkerTask {
    index: number;
    file: string;
    options: Pick<StackOptions, "packDir" | "config" | "stack" | "tags" | "protocol">;
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

/** The order in which inputs are handed out: the largest files first, so that no large stack is left to run alone at the end. */
export function largestFirst(files: string[]): number[] {
    const size = (file: string) => {
        try {
            return file === "-" ? 0 : fs.statSync(file).size;
        } catch {
            return 0;
        }
    };
    const sizes = files.map(size);
    return files.map((_, i) => i).sort((a, b) => sizes[b] - sizes[a] || a - b);
}

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
    const order = largestFirst(files);
    const taken = new Set<number>();
    const take = (inThisProcess: boolean): number | undefined => {
        const index = order.find(i => !taken.has(i) && (inThisProcess || files[i] !== "-"));
        if (index !== undefined) {
            taken.add(index);
        }
        return index;
    };
    let failure: { error: unknown } | undefined;
    let configChecked = false;
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
        const give = () => {
            const index = failure ? undefined : take(false);
            if (index !== undefined) {
                worker.send({ index, file: files[index], options: { packDir: options.packDir, config: options.config, stack: options.stack, tags: options.tags, protocol: options.protocol } } satisfies WorkerTask);
            } else {
                finish();
            }
        };
        worker.on("message", (m: WorkerMessage) => {
            if (m.type === "ready") {
                // The config is checked by this process; a worker ready before that waits for it.
                configChecked ? give() : waiting.push(give);
            } else if (m.type === "input") {
                options.onInput?.(files[m.index], m.input);
            } else if (m.type === "outcome") {
                outcomes[m.index] = "ctx" in m.outcome ? { ...m.outcome, ctx: rereadText(m.outcome.ctx) } : m.outcome;
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
        const policies = withEnforcementLevel(info.policies);
        reconcileConfig(policies, info.initialConfig, options.config, `${info.name} ${info.version}`);
        options.checkConfig?.(policies);
        configChecked = true;
        waiting.splice(0).forEach(give => give());
        const pack = new PackHolder(options.packDir);
        try {
            for (let index = take(true); index !== undefined && !failure; index = take(true)) {
                outcomes[index] = forReport(await scanOne(files[index], options, pack, false));
                options.onDone?.();
            }
        } finally {
            await pack.close();
        }
    };
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
        for (const c of children) {
            c.kill();
        }
    }
    if (failure) {
        throw failure.error;
    }
    return outcomes;
}
