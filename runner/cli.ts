#!/usr/bin/env node
// serverless-guard: runs this policy pack, unchanged, over the analyzer protocol against a stack
// export, preview output or plain resource list, without a Pulumi CLI or cloud account.
//
// Exit codes follow the Pulumi CLI's: 0 success; 1 a policy violation at the --fail-on level (a
// preview with a mandatory violation exits 1); 2 invalid invocation, input or policy config
// (Pulumi's ExitConfigurationError); 255 an internal error (the pack failed to start or crashed).
import * as fs from "fs";
import * as path from "path";
import { ConfigError, strictConfigProblems } from "./config";
import { ioProblem, PACK_DIR, readConfig, readInput } from "./files";
import { profileCommand, ratchetCommand, COMMANDS_USAGE } from "./commands";
import { PackStartError } from "./engine";
import { ACCEPTED_FORMATS, InputError } from "./inputs";
import { formatJunitScan } from "./junit";
import { formatMarkdownScan } from "./markdown";
import { deferredSentence, formatJsonScan, formatTextScan, jsonScanChunks, ScanReport, summarizeAll, ToolInfo } from "./report";
import { formatSarifScan, sarifScanChunks } from "./sarif";
import { writeChunks, writeChunksToFile } from "./stream";
import { defaultWorkers, expandInputs, scanFiles } from "./scan";


export const EXIT = { ok: 0, violations: 1, usage: 2, internal: 255 } as const;

/** Inputs with at least this many resources get a progress line on a terminal. */
export const PROGRESS_THRESHOLD = 200;

export const FORMATS = ["text", "json", "sarif", "junit", "markdown"] as const;
export type Format = typeof FORMATS[number];

export const USAGE = `usage: serverless-guard scan <file|dir|-> [<file|dir> ...] [options]

Runs the serverless-guard policy pack over ${ACCEPTED_FORMATS}.
Reads standard input when the file is -. Several files, or directories (every .json file in them),
make one report with each file scanned as its own stack.

options:
  --policy-pack-config <file|profile>  policy config, as for pulumi preview: a file, or the name of a profile in config/
  --format text|json|sarif|junit|markdown
                                       report format (default text); markdown is for a pull-request
                                       comment or a GitHub Actions job summary
  --workers <n>                        pack processes that scan stacks at once (default: one per CPU,
                                       at most one per input)
  --output <file>                      write the report to a file instead of standard output
  --fail-on mandatory|advisory|none    exit 1 when a violation at this level remains (default mandatory)
  --source-root <dir>                  the Pulumi project's directory relative to the repository root,
                                       for program locations in SARIF and JUnit (default .)
  --color auto|always|never            colour text output (default auto: on a terminal, unless NO_COLOR is set)
  --stack <name>                       the stack name the policies see (default: from the input; one input only)
  --stack-tag <key=value>              a stack tag the policies can see (repeatable)
  --strict-config                      treat policy config the engine would silently ignore or misread
                                       (unknown policies or properties, impossible dates, invalid
                                       regular expressions) as errors instead of warnings
  -h, --help                           show this help
  --version                            show the version

exit codes: 0 no violation at the --fail-on level, 1 violations, 2 invalid invocation, input or config, 255 internal error
${COMMANDS_USAGE}`;

export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

export interface Args {
    command: "scan" | "help" | "version";
    /** The first input (kept for callers that scan one file). */
    file: string;
    files: string[];
    workers?: number;
    config?: string;
    format: Format;
    output?: string;
    failOn: "mandatory" | "advisory" | "none";
    color: "auto" | "always" | "never";
    sourceRoot?: string;
    tags: Record<string, string>;
    stack?: string;
    strictConfig?: boolean;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
    if (!(allowed as readonly string[]).includes(value)) {
        throw new UsageError(`${flag} takes ${allowed.slice(0, -1).join(", ")} or ${allowed[allowed.length - 1]}, not ${JSON.stringify(value)}`);
    }
    return value as T;
}

/** Parses the command line (`--flag value` and `--flag=value`, as Pulumi's CLI accepts). */
export function parseArgs(argv: string[]): Args {
    const args: Args = { command: "scan", file: "", files: [], format: "text", failOn: "mandatory", color: "auto", tags: {} };
    if (argv.length === 0) {
        throw new UsageError("missing command");
    }
    if (argv[0] === "-h" || argv[0] === "--help" || argv[0] === "help") {
        return { ...args, command: "help" };
    }
    if (argv[0] === "--version" || argv[0] === "version") {
        return { ...args, command: "version" };
    }
    if (argv[0] !== "scan") {
        throw new UsageError(`unknown command ${JSON.stringify(argv[0])} (commands: scan, profile, ratchet)`);
    }
    const rest = argv.slice(1);
    let positionalOnly = false;
    for (let i = 0; i < rest.length; i++) {
        const raw = rest[i];
        if (!positionalOnly && raw.startsWith("--") && raw.length > 2) {
            const eq = raw.indexOf("=");
            const flag = eq > 0 ? raw.slice(0, eq) : raw;
            const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
            const value = () => {
                if (inline !== undefined) {
                    return inline;
                }
                if (i + 1 >= rest.length) {
                    throw new UsageError(`${flag} needs a value`);
                }
                return rest[++i];
            };
            switch (flag) {
                case "--policy-pack-config": args.config = value(); break;
                case "--format": args.format = oneOf(flag, value(), FORMATS); break;
                case "--output": args.output = value(); break;
                case "--fail-on": args.failOn = oneOf(flag, value(), ["mandatory", "advisory", "none"] as const); break;
                case "--color": args.color = oneOf(flag, value(), ["auto", "always", "never"] as const); break;
                case "--source-root": args.sourceRoot = value(); break;
                case "--workers": {
                    const v = value();
                    if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 256) {
                        throw new UsageError(`--workers takes a number of processes from 1 to 256, not ${JSON.stringify(v)}`);
                    }
                    args.workers = Number(v);
                    break;
                }
                case "--stack": args.stack = value(); break;
                case "--stack-tag": {
                    const t = value();
                    const at = t.indexOf("=");
                    if (at <= 0) {
                        throw new UsageError(`--stack-tag takes key=value, not ${JSON.stringify(t)}`);
                    }
                    args.tags[t.slice(0, at)] = t.slice(at + 1);
                    break;
                }
                case "--strict-config":
                    if (inline !== undefined) {
                        throw new UsageError(`${flag} takes no value`);
                    }
                    args.strictConfig = true;
                    break;
                case "--help": return { ...args, command: "help" };
                case "--version": return { ...args, command: "version" };
                default: throw new UsageError(`unknown option ${flag}`);
            }
            if (inline !== undefined && ["--help", "--version"].includes(flag)) {
                throw new UsageError(`${flag} takes no value`);
            }
            continue;
        }
        if (!positionalOnly && raw === "--") {
            positionalOnly = true;
            continue;
        }
        if (!positionalOnly && raw === "-h") {
            return { ...args, command: "help" };
        }
        if (!positionalOnly && raw.startsWith("-") && raw !== "-") {
            throw new UsageError(`unknown option ${raw}`);
        }
        if (raw === "-" && args.files.length > 0 || args.files.includes("-")) {
            throw new UsageError("standard input (-) can only be scanned on its own");
        }
        args.files.push(raw);
    }
    if (args.files.length === 0) {
        throw new UsageError("missing input file (use - for standard input)");
    }
    args.file = args.files[0];
    if (args.stack !== undefined && args.files.length > 1) {
        throw new UsageError("--stack names the stack of one input; with several inputs each stack's name comes from its input");
    }
    return args;
}

function toolInfo(): ToolInfo {
    let pkg: { name?: string; version?: string; homepage?: string; repository?: string | { url?: string } } = {};
    try {
        pkg = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
    } catch {
        // reported as version 0.0.0 below
    }
    const repo = typeof pkg.repository === "string" ? pkg.repository : pkg.repository?.url;
    const repoUri = repo ? repo.replace(/^git\+/, "").replace(/\.git$/, "") : undefined;
    return {
        name: pkg.name ?? "serverless-guard",
        version: pkg.version ?? "0.0.0",
        // The package has no homepage yet: Pulumi's CrossGuard documentation describes how the pack runs.
        informationUri: [pkg.homepage, repoUri].find(u => u && /^https?:\/\//.test(u)) ?? "https://www.pulumi.com/docs/iac/crossguard/",
    };
}

/** How often a scan that isn't on a terminal (a CI log) prints a progress line, and for how large an input or how many stacks. */
export const PROGRESS_LOG_INTERVAL_MS = 10_000;
export const PROGRESS_LOG_THRESHOLD = { resources: 5000, stacks: 10 };

/**
 * Progress for inputs of at least `threshold` items: on a terminal one line, redrawn at most every
 * 100 ms and cleared at the end; elsewhere (a CI log) a line every `interval` ms, and a last one if
 * any was printed.
 */
export function progressReporter(stream: { isTTY?: boolean; write(s: string): unknown }, total: number, now: () => number = Date.now, what = "analyzing resources", threshold = PROGRESS_THRESHOLD, interval = PROGRESS_LOG_INTERVAL_MS) {
    if (total < threshold) {
        return undefined;
    }
    if (!stream.isTTY) {
        let last = now();
        let printed = false;
        return (done: number, all: number) => {
            const t = now();
            if (t - last >= interval || done === all && printed) {
                last = t;
                printed = true;
                stream.write(`${what}: ${done}/${all} (${Math.floor((done / all) * 100)}%)\n`);
            }
        };
    }
    let last = 0;
    return (done: number, all: number) => {
        const t = now();
        if (done === all) {
            stream.write("\r\u001b[K");
        } else if (t - last >= 100) {
            last = t;
            const pct = Math.floor((done / all) * 100);
            stream.write(`\r\u001b[K${what}: ${done}/${all} (${pct}%)`);
        }
    };
}

export function render(format: Format, scan: ScanReport, tool: ToolInfo, color: boolean, secrets: readonly string[] = []): string {
    switch (format) {
        case "json": return formatJsonScan(scan);
        case "sarif": return formatSarifScan(scan, tool);
        case "junit": return formatJunitScan(scan, tool);
        case "markdown": return formatMarkdownScan(scan, tool, { secrets });
        default: return formatTextScan(scan, color);
    }
}

/** The report in pieces as it is written: JSON and SARIF element by element, the others whole. */
export function renderChunks(format: Format, scan: ScanReport, tool: ToolInfo, color: boolean, secrets: readonly string[] = []): Iterable<string> {
    switch (format) {
        case "json": return jsonScanChunks(scan);
        case "sarif": return sarifScanChunks(scan, tool);
        default: return [render(format, scan, tool, color, secrets)];
    }
}

export interface Io {
    stdout: NodeJS.WritableStream & { isTTY?: boolean };
    stderr: NodeJS.WritableStream & { isTTY?: boolean };
    env: NodeJS.ProcessEnv;
}

export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
    if (argv[0] === "profile" || argv[0] === "ratchet") {
        try {
            return await (argv[0] === "profile" ? profileCommand : ratchetCommand)(argv.slice(1), io);
        } catch (e) {
            if (e instanceof UsageError || e instanceof InputError || e instanceof ConfigError) {
                io.stderr.write(`error: ${e.message}\n${e instanceof UsageError ? `\n${USAGE}` : ""}`);
                return EXIT.usage;
            }
            if (e instanceof PackStartError) {
                io.stderr.write(`error: ${e.message.split("\n")[0]}\n`);
                return EXIT.internal;
            }
            throw e;
        }
    }
    let args: Args;
    try {
        args = parseArgs(argv);
    } catch (e) {
        if (e instanceof UsageError) {
            io.stderr.write(`error: ${e.message}\n\n${USAGE}`);
            return EXIT.usage;
        }
        throw e;
    }
    if (args.command === "help") {
        io.stdout.write(USAGE);
        return EXIT.ok;
    }
    const tool = toolInfo();
    if (args.command === "version") {
        io.stdout.write(`${tool.name} ${tool.version}\n`);
        return EXIT.ok;
    }
    try {
        const config = args.config ? readConfig(args.config) : {};
        const files = expandInputs(args.files);
        const single = files.length === 1;
        let configChecked = false;
        const inputsDone = single ? undefined : progressReporter(io.stderr, files.length, Date.now, "scanning stacks", io.stderr.isTTY ? 2 : PROGRESS_LOG_THRESHOLD.stacks);
        let done = 0;
        let progress: ((done: number, total: number) => void) | undefined;
        const outcome = await scanFiles(files, {
            packDir: PACK_DIR,
            config,
            stack: args.stack,
            tags: args.tags,
            workers: args.workers ?? defaultWorkers(),
            onInput: (file, input) => {
                if (input.resources.length === 0) {
                    io.stderr.write(`warning: ${file === "-" ? "standard input" : file} has no resources to analyze\n`);
                }
                // Several stacks analyzed at once get one line for the stacks done instead.
                progress = single ? progressReporter(io.stderr, input.resources.length, Date.now, "analyzing resources", io.stderr.isTTY ? PROGRESS_THRESHOLD : PROGRESS_LOG_THRESHOLD.resources) : undefined;
            },
            onProgress: (d, t) => progress?.(d, t),
            onDone: () => inputsDone?.(++done, files.length),
            checkConfig: policies => {
                if (configChecked) {
                    return;
                }
                configChecked = true;
                const problems = strictConfigProblems(policies, config);
                if (problems.length > 0 && args.strictConfig) {
                    throw new ConfigError(`policy config (--strict-config): ${problems.length} problem${problems.length === 1 ? "" : "s"}`, problems);
                }
                for (const problem of problems) {
                    io.stderr.write(`warning: policy config: ${problem}\n`);
                }
            },
        });
        for (const f of outcome.failures) {
            io.stderr.write(`error: ${f.internal ? `${f.input}: ` : ""}${f.message}\n`);
        }
        if (single && outcome.failures.length > 0) {
            return outcome.failures[0].internal ? EXIT.internal : EXIT.usage;
        }
        if (outcome.stacks.length === 0) {
            io.stderr.write(`error: none of the ${files.length} inputs could be scanned\n`);
            return outcome.failures.some(f => f.internal) ? EXIT.internal : EXIT.usage;
        }
        const scan: ScanReport = {
            stacks: outcome.stacks.map(s => ({ result: s.result, ctx: { ...s.ctx, tool, sourceRoot: args.sourceRoot } })),
            failures: outcome.failures.map(({ input, message }) => ({ input, message })),
        };
        const color = args.color === "always" || (args.color === "auto" && !args.output && !!io.stdout.isTTY && !io.env.NO_COLOR);
        const report = renderChunks(args.format, scan, tool, color, outcome.stacks.flatMap(s => s.secrets));
        const summary = summarizeAll(scan.stacks.map(s => s.result));
        const { mandatory, advisory } = summary;
        if (args.output) {
            try {
                writeChunksToFile(args.output, report);
            } catch (e) {
                throw new InputError(`can't write the report to ${args.output}: ${ioProblem(e)}`);
            }
            const stacks = single ? "" : ` in ${scan.stacks.length} stacks`;
            const waiting = summary.deferred > 0 ? ` ${deferredSentence(summary)}` : "";
            io.stderr.write(`${mandatory} mandatory and ${advisory} advisory violation${mandatory + advisory === 1 ? "" : "s"}${stacks}; ${args.format} report written to ${args.output}${waiting ? `;${waiting.replace(/\.$/, "")}` : ""}\n`);
        } else {
            writeChunks(report, text => io.stdout.write(text));
        }
        if (outcome.failures.length > 0) {
            // The report holds the other inputs' results; the run is still incomplete.
            return outcome.failures.some(f => f.internal) ? EXIT.internal : EXIT.usage;
        }
        if (args.failOn === "none") {
            return EXIT.ok;
        }
        return mandatory > 0 || (args.failOn === "advisory" && advisory > 0) ? EXIT.violations : EXIT.ok;
    } catch (e) {
        if (e instanceof InputError || e instanceof ConfigError) {
            io.stderr.write(`error: ${e.message}\n`);
            return EXIT.usage;
        }
        if (e instanceof PackStartError) {
            // The pack's own output can hold a stack trace: show only its first line and the error it names.
            const [first, ...rest] = e.message.split("\n");
            const cause = rest.find(l => /^\s*(\w*Error|error):/.test(l));
            io.stderr.write(`error: ${first}${cause ? `\n  ${cause.trim()}` : ""}\n`);
            return EXIT.internal;
        }
        const detail = e instanceof Error ? `${e.name}: ${(e as { details?: string }).details ?? e.message}` : String(e);
        io.stderr.write(`error: the policy pack failed: ${detail.split("\n")[0]}\n`);
        return EXIT.internal;
    }
}

if (require.main === module) {
    // A reader that goes away (`| head`) is not an error.
    process.stdout.on("error", (e: NodeJS.ErrnoException) => { if (e.code === "EPIPE") { process.exit(process.exitCode ?? 0); } });
    main(process.argv.slice(2)).then(
        code => { process.exitCode = code; },
        e => {
            process.stderr.write(`error: internal error: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}\n`);
            process.exitCode = EXIT.internal;
        },
    );
}
