#!/usr/bin/env node
// serverless-guard: runs this policy pack, unchanged, over the analyzer protocol against a stack
// export, preview output or plain resource list, without a Pulumi CLI or cloud account.
//
// Exit codes follow the Pulumi CLI's: 0 success; 1 a finding at the --fail-on condition (a preview
// with a mandatory violation exits 1); 2 invalid invocation, input or policy config (Pulumi's
// ExitConfigurationError); 255 an internal error (the pack failed to start or crashed).
import * as fs from "fs";
import * as path from "path";
import { ConfigError, strictConfigProblems } from "./config";
import { ioProblem, PACK_DIR, readConfig, readInput } from "./files";
import { profileCommand, ratchetCommand, validateConfigCommand, COMMANDS_SUMMARY, Command, commandHelp } from "./commands";
import { PackStartError } from "./engine";
import { describeFailOn, FailCondition, failsScan, filterBySeverity, isSeverity } from "./filters";
import { ACCEPTED_FORMATS, InputError } from "./inputs";
import { formatJunitScan } from "./junit";
import { formatMarkdownScan } from "./markdown";
import {
    deferredSentence, findingsOf, formatJsonScan, formatTextScan, jsonScanChunks, jsonStackText, ScanReport, SEVERITY_ORDER, SeverityName, summarizeAll, TextDetail, TextOptions, ToolInfo,
} from "./report";
import { formatSarifScan, sarifScanChunks } from "./sarif";
import { JsonText, writeChunks, writeChunksToFile } from "./stream";
import { tuneForBatch } from "./batch-tuning";
import { defaultWorkers, expandInputs, extendContext, scanFiles, StackOutcome } from "./scan";


export const EXIT = { ok: 0, violations: 1, usage: 2, internal: 255 } as const;

/** Inputs with at least this many resources get a progress line on a terminal. */
export const PROGRESS_THRESHOLD = 200;

export const FORMATS = ["text", "json", "sarif", "junit", "markdown"] as const;
export type Format = typeof FORMATS[number];

/** The file name a report gets in an `--output` directory. */
export const REPORT_FILES: Record<Format, string> = {
    text: "serverless-guard.txt", json: "serverless-guard.json", sarif: "serverless-guard.sarif", junit: "serverless-guard.xml", markdown: "serverless-guard.md",
};

export const SCAN_USAGE = `usage: serverless-guard scan <file|dir|-> [<file|dir> ...] [options]

Runs the serverless-guard policy pack over ${ACCEPTED_FORMATS}.
Reads standard input when the file is -. Several files, or directories (every .json file in them),
make one report with each file scanned as its own stack.

reports:
  -f, --format <format>[=<file>]       text (default), json, sarif, junit or markdown; repeat it (or list
                                       formats with commas) for several reports from one scan, each to
                                       its own file: --format sarif=out.sarif, or -o <dir>
  -o, --output <file|dir>              the report's file; with several formats (or a path ending in /),
                                       a directory (created if missing) that gets serverless-guard.<ext>
                                       for each format without a file of its own
      --severity <list>                show and count only findings of these severities, e.g. HIGH,CRITICAL
      --quiet, -q                      text: only the findings that fail the scan, then one line; no
                                       progress or report-written notes on standard error
      --compact                        text: one line per finding, no descriptions or remediation
      --verbose                        text: each policy's description and remediation under it, on
                                       every resource (default: once per policy, after the findings)
      --no-color, --color auto|always|never
                                       colour text on a terminal (default auto: unless NO_COLOR is set)
      --source-root <dir>              the Pulumi project's directory relative to the repository root,
                                       for program locations in SARIF and JUnit (default .)

failing:
      --fail-on <conditions>           exit 1 when a finding at any of these remains (default mandatory):
                                       mandatory, advisory (any finding), none, or a severity (critical,
                                       high, medium, low: a finding of it or above, whatever its level),
                                       e.g. --fail-on mandatory,high; exempted findings never fail a scan

policies:
      --policy-pack-config <file|profile>
                                       policy config, as for pulumi preview: a file, or the name of a
                                       profile in config/ (recommended, strict, migration)
      --strict-config                  accepted for compatibility: config the engine would silently
                                       ignore or misread (unknown policies or properties, impossible
                                       dates, invalid regular expressions) is always an error, as the
                                       pack refuses it at start-up
      --stack <name>                   the stack name the policies see (default: from the input; one input only)
      --stack-tag <key=value>          a stack tag the policies can see (repeatable)
      --workers <n>                    pack processes that scan stacks at once (default: one per CPU,
                                       at most one per input)

  -h, --help                           show this help
  -v, --version                        show the version

exit codes: 0 nothing at the --fail-on condition, 1 findings at it, 2 invalid invocation, input or
config, 255 internal error
`;

export const USAGE = `${SCAN_USAGE}
${COMMANDS_SUMMARY}`;

export class UsageError extends Error {
    /** The command whose help the error points to (none: the top level). */
    constructor(message: string, readonly command?: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** A usage error as the CLI prints it: one line, and where to find the options. */
export function usageErrorText(message: string, command?: string): string {
    return `error: ${message}\nRun 'serverless-guard ${command ? `${command} ` : ""}--help' for ${command ? "its options" : "usage"}.\n`;
}

/** One report of a scan: its format and its file (undefined: standard output). */
export interface ReportTarget {
    format: Format;
    path?: string;
}

export interface Args {
    command: "scan" | "help" | "version";
    /** `scan --help` shows the scan options only. */
    topic?: "scan";
    /** The first input (kept for callers that scan one file). */
    file: string;
    files: string[];
    workers?: number;
    config?: string;
    /** Where each report goes, from --format and --output. */
    reports: ReportTarget[];
    /** The directory --output names when it holds several reports (created if missing). */
    outputDir?: string;
    /** --fail-on: any of these fails the scan; empty for none. */
    failOn: FailCondition[];
    /** --severity: only findings of these severities are shown and counted. */
    severities?: SeverityName[];
    quiet: boolean;
    detail: TextDetail;
    color: "auto" | "always" | "never";
    sourceRoot?: string;
    tags: Record<string, string>;
    stack?: string;
    strictConfig?: boolean;
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
    if (!(allowed as readonly string[]).includes(value)) {
        throw new UsageError(`${flag} takes ${allowed.slice(0, -1).join(", ")} or ${allowed[allowed.length - 1]}, not ${JSON.stringify(value)}`, "scan");
    }
    return value as T;
}

const FAIL_WORDS = ["mandatory", "advisory", "none", ...SEVERITY_ORDER];

function parseFailOn(value: string): FailCondition[] {
    const words = value.split(",").map(w => w.trim().toLowerCase());
    for (const w of words) {
        if (!FAIL_WORDS.includes(w)) {
            throw new UsageError(`--fail-on takes a level (mandatory, advisory, none) or a severity (critical, high, medium, low), not ${JSON.stringify(value)}`, "scan");
        }
    }
    if (words.includes("none")) {
        if (words.length > 1) {
            throw new UsageError(`--fail-on none can't be combined with other conditions (got ${JSON.stringify(value)})`, "scan");
        }
        return [];
    }
    return [...new Set(words)] as FailCondition[];
}

function parseSeverities(value: string): SeverityName[] {
    const words = value.split(",").map(w => w.trim().toLowerCase());
    const bad = words.find(w => !isSeverity(w));
    if (bad !== undefined) {
        throw new UsageError(`--severity takes critical, high, medium or low (comma-separated, any case), not ${JSON.stringify(bad)}`, "scan");
    }
    return words as SeverityName[];
}

function parseFormat(value: string): { format: Format; path?: string }[] {
    const eq = value.indexOf("=");
    if (eq >= 0) {
        const file = value.slice(eq + 1);
        if (!file) {
            throw new UsageError(`--format ${value} needs a file name after = (or - for standard output)`, "scan");
        }
        return [{ format: oneOf("--format", value.slice(0, eq).toLowerCase(), FORMATS), path: file }];
    }
    return value.split(",").map(f => ({ format: oneOf("--format", f.trim().toLowerCase(), FORMATS) }));
}

function isDirectory(file: string): boolean {
    try {
        return fs.statSync(file).isDirectory();
    } catch {
        return false;
    }
}

/**
 * Where each report goes. One format: standard output, or the --output file (a directory when the
 * path ends in / or is one). Several: each to its own file (`--format sarif=out.sarif`), the others
 * into the --output directory as serverless-guard.<ext>; at most one may go to standard output.
 */
export function resolveTargets(formats: { format: Format; path?: string }[], output: string | undefined, isDir: (file: string) => boolean = isDirectory): { reports: ReportTarget[]; outputDir?: string } {
    const list = formats.length > 0 ? formats : [{ format: "text" as Format }];
    let outputDir: string | undefined;
    if (output !== undefined) {
        const asDir = list.length > 1 || /[\\/]$/.test(output) || isDir(output);
        if (!asDir) {
            if (list[0].path !== undefined) {
                throw new UsageError(`--output ${output} and --format ${list[0].format}=${list[0].path} both name the report's file; give one`, "scan");
            }
            return { reports: [{ format: list[0].format, path: output }] };
        }
        outputDir = output;
    }
    let usesDir = false;
    const reports = list.map(({ format, path: file }): ReportTarget => {
        if (file === "-") {
            return { format };
        }
        if (file === undefined && outputDir !== undefined) {
            usesDir = true;
            return { format, path: path.join(outputDir, REPORT_FILES[format]) };
        }
        return file === undefined ? { format } : { format, path: file };
    });
    const toStdout = reports.filter(r => r.path === undefined);
    if (toStdout.length > 1) {
        throw new UsageError(`${toStdout.map(r => `--format ${r.format}`).join(" and ")} would all write to standard output: give each its own file (--format ${toStdout[1].format}=<file>) or a directory with -o <dir>`, "scan");
    }
    const seen = new Set<string>();
    for (const r of reports) {
        const key = r.path === undefined ? undefined : path.resolve(r.path);
        if (key !== undefined && seen.has(key)) {
            throw new UsageError(`two reports would be written to ${r.path}: give each format its own file`, "scan");
        }
        if (key !== undefined) {
            seen.add(key);
        }
    }
    return usesDir ? { reports, outputDir } : { reports };
}

const SHORT: Record<string, string> = { "-o": "--output", "-f": "--format", "-v": "--version", "-q": "--quiet", "-h": "--help" };
const SWITCHES = new Set(["--quiet", "--compact", "--verbose", "--no-color", "--strict-config", "--help", "--version"]);

/** Parses the command line (`--flag value` and `--flag=value`, as Pulumi's CLI accepts; `-o value` for the short forms). */
export function parseArgs(argv: string[]): Args {
    const args: Args = { command: "scan", file: "", files: [], reports: [], failOn: ["mandatory"], quiet: false, detail: "normal", color: "auto", tags: {} };
    if (argv.length === 0) {
        throw new UsageError("missing command (commands: scan, validate-config, profile, ratchet)");
    }
    if (["-h", "--help", "help"].includes(argv[0])) {
        return { ...args, command: "help" };
    }
    if (["-v", "--version", "version"].includes(argv[0])) {
        return { ...args, command: "version" };
    }
    if (argv[0] !== "scan") {
        throw new UsageError(`unknown command ${JSON.stringify(argv[0])} (commands: scan, validate-config, profile, ratchet)`);
    }
    const rest = argv.slice(1);
    const formats: { format: Format; path?: string }[] = [];
    let output: string | undefined;
    let positionalOnly = false;
    for (let i = 0; i < rest.length; i++) {
        const raw = rest[i];
        const isFlag = !positionalOnly && raw.startsWith("-") && raw !== "-" && raw !== "--";
        if (isFlag) {
            const eq = raw.indexOf("=");
            const given = eq > 0 ? raw.slice(0, eq) : raw;
            const flag = SHORT[given] ?? given;
            if (!flag.startsWith("--")) {
                throw new UsageError(`unknown option ${given}`, "scan");
            }
            const inline = eq > 0 ? raw.slice(eq + 1) : undefined;
            if (SWITCHES.has(flag) && inline !== undefined) {
                throw new UsageError(`${given} takes no value`, "scan");
            }
            const value = () => {
                if (inline !== undefined) {
                    return inline;
                }
                if (i + 1 >= rest.length) {
                    throw new UsageError(`${given} needs a value`, "scan");
                }
                return rest[++i];
            };
            switch (flag) {
                case "--policy-pack-config": args.config = value(); break;
                case "--format": formats.push(...parseFormat(value())); break;
                case "--output": output = value(); break;
                case "--fail-on": args.failOn = parseFailOn(value()); break;
                case "--severity": args.severities = [...new Set([...(args.severities ?? []), ...parseSeverities(value())])]; break;
                case "--quiet": args.quiet = true; break;
                case "--compact": case "--verbose": {
                    const detail = flag === "--compact" ? "compact" : "verbose";
                    if (args.detail !== "normal" && args.detail !== detail) {
                        throw new UsageError("--compact and --verbose exclude each other", "scan");
                    }
                    args.detail = detail;
                    break;
                }
                case "--color": args.color = oneOf(flag, value(), ["auto", "always", "never"] as const); break;
                case "--no-color": args.color = "never"; break;
                case "--source-root": args.sourceRoot = value(); break;
                case "--workers": {
                    const v = value();
                    if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 256) {
                        throw new UsageError(`--workers takes a number of processes from 1 to 256, not ${JSON.stringify(v)}`, "scan");
                    }
                    args.workers = Number(v);
                    break;
                }
                case "--stack": args.stack = value(); break;
                case "--stack-tag": {
                    const t = value();
                    const at = t.indexOf("=");
                    if (at <= 0) {
                        throw new UsageError(`--stack-tag takes key=value, not ${JSON.stringify(t)}`, "scan");
                    }
                    args.tags[t.slice(0, at)] = t.slice(at + 1);
                    break;
                }
                case "--strict-config": args.strictConfig = true; break;
                case "--help": return { ...args, command: "help", topic: "scan" };
                case "--version": return { ...args, command: "version" };
                default: throw new UsageError(`unknown option ${given}`, "scan");
            }
            continue;
        }
        if (!positionalOnly && raw === "--") {
            positionalOnly = true;
            continue;
        }
        if (raw === "-" && args.files.length > 0 || args.files.includes("-")) {
            throw new UsageError("standard input (-) can only be scanned on its own", "scan");
        }
        args.files.push(raw);
    }
    if (args.files.length === 0) {
        throw new UsageError("missing input file (use - for standard input)", "scan");
    }
    args.file = args.files[0];
    if (args.stack !== undefined && args.files.length > 1) {
        throw new UsageError("--stack names the stack of one input; with several inputs each stack's name comes from its input", "scan");
    }
    const { reports, outputDir } = resolveTargets(formats, output);
    args.reports = reports;
    if (outputDir !== undefined) {
        args.outputDir = outputDir;
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

export function render(format: Format, scan: ScanReport, tool: ToolInfo, text: TextOptions, secrets: readonly string[] = []): string {
    switch (format) {
        case "json": return formatJsonScan(scan);
        case "sarif": return formatSarifScan(scan, tool);
        case "junit": return formatJunitScan(scan, tool);
        case "markdown": return formatMarkdownScan(scan, tool, { secrets });
        default: return formatTextScan(scan, text);
    }
}

/** The report in pieces as it is written: JSON and SARIF element by element, the others whole. */
export function renderChunks(format: Format, scan: ScanReport, tool: ToolInfo, text: TextOptions, secrets: readonly string[] = [], jsonWritten?: (stack: ScanReport["stacks"][number]) => JsonText | undefined): Iterable<string> {
    switch (format) {
        case "json": return jsonScanChunks(scan, jsonWritten);
        case "sarif": return sarifScanChunks(scan, tool);
        default: return [render(format, scan, tool, text, secrets)];
    }
}

export interface Io {
    stdout: NodeJS.WritableStream & { isTTY?: boolean };
    stderr: NodeJS.WritableStream & { isTTY?: boolean };
    env: NodeJS.ProcessEnv;
}

export async function main(argv: string[], io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
    const commands: Record<Command, (argv: string[], io: Io) => Promise<number>> = { "validate-config": validateConfigCommand, "profile": profileCommand, "ratchet": ratchetCommand };
    if (Object.prototype.hasOwnProperty.call(commands, argv[0] ?? "")) {
        const command = argv[0] as Command;
        if (argv.slice(1).some(a => a === "--help" || a === "-h")) {
            io.stdout.write(commandHelp(command));
            return EXIT.ok;
        }
        try {
            return await commands[command](argv.slice(1), io);
        } catch (e) {
            if (e instanceof UsageError || e instanceof InputError || e instanceof ConfigError) {
                io.stderr.write(e instanceof UsageError || e.name === "CommandUsageError" ? usageErrorText(e.message, command) : `error: ${e.message}\n`);
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
            io.stderr.write(usageErrorText(e.message, e.command));
            return EXIT.usage;
        }
        throw e;
    }
    if (args.command === "help") {
        io.stdout.write(args.topic === "scan" ? SCAN_USAGE : USAGE);
        return EXIT.ok;
    }
    const tool = toolInfo();
    if (args.command === "version") {
        io.stdout.write(`${tool.name} ${tool.version}\n`);
        return EXIT.ok;
    }
    // --quiet: no progress lines (a stream that is never a terminal draws none).
    const progressOut = args.quiet ? { write: () => true } : io.stderr;
    try {
        const config = args.config ? readConfig(args.config) : {};
        const files = expandInputs(args.files);
        const single = files.length === 1;
        let configChecked = false;
        const inputsDone = single ? undefined : progressReporter(progressOut, files.length, Date.now, "scanning stacks", io.stderr.isTTY ? 2 : PROGRESS_LOG_THRESHOLD.stacks);
        let done = 0;
        let progress: ((done: number, total: number) => void) | undefined;
        const severities = args.severities ? new Set<string>(args.severities) : undefined;
        // A stack as reports see it: the severities asked for, the tool and the source root in its context.
        const scanStack = (s: StackOutcome): ScanReport["stacks"][number] =>
            ({ result: severities ? filterBySeverity(s.result, severities) : s.result, ctx: extendContext(s.ctx, { tool, sourceRoot: args.sourceRoot }) });
        // Each stack's part of a JSON report written out already, by input file ("-": standard input).
        const jsonWritten = new Map<string, JsonText>();
        const outcome = await scanFiles(files, {
            packDir: PACK_DIR,
            config,
            stack: args.stack,
            tags: args.tags,
            workers: args.workers ?? defaultWorkers(),
            // Only JUnit's skipped checks read the types each policy skipped.
            notApplicableTypes: args.reports.some(t => t.format === "junit"),
            onInput: (file, input) => {
                if (input.resources === 0) {
                    io.stderr.write(`warning: ${file === "-" ? "standard input" : file} has no resources to analyze\n`);
                }
                // Several stacks analyzed at once get one line for the stacks done instead.
                progress = single ? progressReporter(progressOut, input.resources, Date.now, "analyzing resources", io.stderr.isTTY ? PROGRESS_THRESHOLD : PROGRESS_LOG_THRESHOLD.resources) : undefined;
            },
            onProgress: (d, t) => progress?.(d, t),
            onDone: () => inputsDone?.(++done, files.length),
            // A JSON report of several stacks gets each stack's part written out as the stack is done,
            // while the others still run, instead of all of them at the end.
            onOutcome: args.reports.some(t => t.format === "json") && !single
                ? s => jsonWritten.set(s.file, jsonStackText(scanStack(s)))
                : undefined,
            checkConfig: policies => {
                if (configChecked) {
                    return;
                }
                configChecked = true;
                // The pack refuses these at start-up, as it does under pulumi preview (policies/lib/config-guard.ts).
                const problems = strictConfigProblems(policies, config);
                if (problems.length > 0) {
                    throw new ConfigError(`policy config: ${problems.length} problem${problems.length === 1 ? "" : "s"} (check it with serverless-guard validate-config)`, problems);
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
            stacks: outcome.stacks.map(scanStack),
            failures: outcome.failures.map(({ input, message }) => ({ input, message })),
        };
        const fails = (d: Parameters<typeof failsScan>[0]) => failsScan(d, args.failOn);
        const secrets = outcome.stacks.flatMap(s => s.secrets);
        const written: ReportTarget[] = [];
        if (args.outputDir !== undefined) {
            try {
                fs.mkdirSync(args.outputDir, { recursive: true });
            } catch (e) {
                throw new InputError(`can't create the report directory ${args.outputDir}: ${ioProblem(e)}`);
            }
        }
        // Files first: a report that can't be written stops the run before anything reaches standard output.
        const ordered = [...args.reports.filter(t => t.path !== undefined), ...args.reports.filter(t => t.path === undefined)];
        for (const target of ordered) {
            const toTerminal = target.path === undefined && !!io.stdout.isTTY;
            const color = args.color === "always" || (args.color === "auto" && toTerminal && !io.env.NO_COLOR);
            const text: TextOptions = { color, detail: args.detail, ...(args.quiet ? { quiet: { fails, failOn: describeFailOn(args.failOn) } } : {}) };
            const report = renderChunks(target.format, scan, tool, text, secrets, s => jsonWritten.get(s.ctx.inputPath ?? "-"));
            if (target.path === undefined) {
                writeChunks(report, chunk => io.stdout.write(chunk));
                continue;
            }
            try {
                writeChunksToFile(target.path, report);
            } catch (e) {
                throw new InputError(`can't write the report to ${target.path}: ${ioProblem(e)}`);
            }
            written.push(target);
        }
        const summary = summarizeAll(scan.stacks.map(s => s.result));
        const { mandatory, advisory } = summary;
        if (written.length > 0 && !args.quiet) {
            const stacks = single ? "" : ` in ${scan.stacks.length} stacks`;
            const waiting = summary.deferred > 0 ? ` ${deferredSentence(summary)}` : "";
            const files = written.map(t => `${t.format} report written to ${t.path}`).join(", ");
            io.stderr.write(`${mandatory} mandatory and ${advisory} advisory violation${mandatory + advisory === 1 ? "" : "s"}${stacks}; ${files}${waiting ? `;${waiting.replace(/\.$/, "")}` : ""}\n`);
        }
        if (outcome.failures.length > 0) {
            // The reports hold the other inputs' results; the run is still incomplete.
            return outcome.failures.some(f => f.internal) ? EXIT.internal : EXIT.usage;
        }
        return scan.stacks.some(s => findingsOf(s.result).some(fails)) ? EXIT.violations : EXIT.ok;
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
    tuneForBatch();
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
