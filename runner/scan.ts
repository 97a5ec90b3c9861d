// Scanning many inputs at once (an organization's stack exports): each input is one stack, run through
// one of several pack processes. A stack stays whole in one process, because stack policies need all
// of its resources in one AnalyzeStack call; the processes take the next stack as they finish one.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError, PolicyConfigEntry, PolicyInfo } from "./config";
import { EngineResource, PackStartError, PolicyPackProcess, RunResult, runOnPack } from "./engine";
import { ioProblem, readInput } from "./files";
import { InputError, ParsedInput, parseInput, secretStrings } from "./inputs";
import { attributeDeferred, InputFailure, redactSecrets, ReportContext } from "./report";

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

/**
 * Runs the pack over each file, on up to `workers` pack processes. A file that can't be read or
 * parsed, or that the pack fails on, is recorded as a failure naming it; the others still run.
 * Errors that concern every input (the pack doesn't start, the policy config is invalid) end the scan.
 */
export async function scanFiles(files: string[], options: StackOptions): Promise<ScanOutcome> {
    const outcomes: (StackOutcome | (InputFailure & { internal: boolean }) | undefined)[] = new Array(files.length);
    let next = 0;
    let fatal: unknown;
    const workers = Math.max(1, Math.min(options.workers, files.length));

    const worker = async () => {
        let pack: PolicyPackProcess | undefined;
        try {
            while (next < files.length && fatal === undefined) {
                const index = next++;
                const file = files[index];
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
                    outcomes[index] = { input: source, message: e.message, internal: false };
                    options.onDone?.();
                    continue;
                }
                options.onInput?.(file, input);
                if (!pack) {
                    pack = await PolicyPackProcess.start({ packDir: options.packDir });
                    await pack.handshake(path.resolve(options.packDir));
                }
                const stack = options.stack ?? input.stack;
                try {
                    const raw = await runOnPack(pack, {
                        resources: input.resources,
                        config: options.config,
                        stack: { stack, project: input.project, tags: options.tags },
                        onProgress: options.onProgress,
                        checkConfig: options.checkConfig,
                    });
                    const { result, secrets } = prepareResult(raw, input.resources);
                    outcomes[index] = {
                        file,
                        result,
                        ctx: { resources: input.resources, inputPath: file === "-" ? undefined : file, inputText: text, format: input.format, stack, project: input.project },
                        secrets,
                    };
                } catch (e) {
                    if (e instanceof PackStartError || e instanceof ConfigError) {
                        throw e;
                    }
                    if (files.length === 1) {
                        throw e;
                    }
                    outcomes[index] = { input: source, message: `the policy pack failed on it: ${failureMessage(e)}`, internal: true };
                    // The process may be in any state after a failure: the next input gets a fresh one.
                    await pack.close().catch(() => undefined);
                    pack = undefined;
                }
                options.onDone?.();
            }
        } catch (e) {
            if (fatal === undefined) {
                fatal = e;
            }
        } finally {
            await pack?.close().catch(() => undefined);
        }
    };
    await Promise.all(Array.from({ length: workers }, worker));
    if (fatal !== undefined) {
        throw fatal;
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
