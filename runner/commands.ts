// The rollout commands: `profile` writes a policy config from severity thresholds (with a shared
// exemption list expanded into each policy), `ratchet` exempts a stack's current violations until a
// date. Both write config files that work unchanged with `pulumi preview --policy-pack-config` and
// `pulumi policy enable --config`.
import * as fs from "fs";
import { ConfigError } from "./config";
import { ioProblem, PACK_DIR, readConfig, readConfigText, readInput } from "./files";
import { InputError, parseInput } from "./inputs";
import type { SeverityName } from "./profile";
import { SEVERITY_ORDER } from "./report";
import { exemptionCount, ratchetConfig } from "./ratchet";
import { expandInputs } from "./scan";
import { Diagnostic, runPolicyPack } from "./engine";
import { configFileProblems, policyInfos } from "./validate-config";
import { parseIsoDate } from "../policies/lib/runtimes";

export const VALIDATE_CONFIG_USAGE = `usage: serverless-guard validate-config <file|profile|->

Checks a policy config before \`pulumi policy enable --config\` or \`--policy-pack-config\` uses it:
unknown policy names and properties (with the closest known name), invalid levels, values of the
wrong type, dates that don't exist, exemptions that have already expired. Prints one line per
problem and exits 2 if there is any, 0 if the config is good.

options:
  -h, --help               show this help
`;

export const PROFILE_USAGE = `usage: serverless-guard profile --mandatory-at <severity|none> --advisory-at <severity> [options]

Writes a policy config with a level for every policy from severity thresholds (low, medium, high,
critical). The pack's own pack-deferred-checks, which has no severity of its own (it lists the checks
that can't decide yet), keeps its advisory level whatever the thresholds.

options:
  --exemptions <file>      a shared exemption list [{policies, resource, reason, expires, approvedBy?}] to expand
  --set <property=json>    a config value for every policy that has the property (repeatable),
                           e.g. --set requireCustomerManagedKey=true
  -o, --output <file>      write the config to a file instead of standard output
  -h, --help               show this help
`;

export const RATCHET_USAGE = `usage: serverless-guard ratchet <file|dir|-> [<file|dir> ...] --until <YYYY-MM-DD> [options]

Runs the pack over one or more stacks (same inputs as scan; a directory means every .json file in it)
and writes one config that exempts exactly their current violations until the date, so existing debt
stays visible and new violations fail. Exemptions name resources by URN, which includes the stack, so
one config serves a whole policy group. Run again on later exports with --policy-pack-config set to
the previous output: resources it already exempts keep their exemption and expiry.

options:
  --policy-pack-config <file|profile>  the config to start from (its levels and values are kept)
  --reason <text>                      the reason recorded in each exemption
  --include-advisory                   also exempt advisory findings
  --stack <name>                       the stack name the policies see (one input only)
  --stack-tag <k=v>                    a stack tag the policies see, on every input (repeatable)
  -o, --output <file>                  write the config to a file instead of standard output
  -h, --help                           show this help
`;

/** The other commands, in one line each, for the top-level help. */
export const COMMANDS_SUMMARY = `other commands:
  validate-config  check a policy config before it is enabled
  profile          write a policy config from severity thresholds
  ratchet          write a config that exempts stacks' current violations until a date

Run 'serverless-guard <command> --help' for a command's options.
`;

export type Command = "validate-config" | "profile" | "ratchet";

export function commandHelp(command: Command): string {
    return { "validate-config": VALIDATE_CONFIG_USAGE, "profile": PROFILE_USAGE, "ratchet": RATCHET_USAGE }[command];
}

interface Io {
    stdout: NodeJS.WritableStream;
    stderr: NodeJS.WritableStream;
}

/** A command line the command can't run: one line, then a pointer to the command's --help. */
/** Low to high, as the thresholds read. */
const SEVERITIES: readonly SeverityName[] = [...SEVERITY_ORDER].reverse();

class CommandUsageError extends InputError {
    constructor(message: string) {
        super(message);
        this.name = "CommandUsageError";
    }
}

/** `--flag value` and `--flag=value` options plus positional arguments. */
function options(argv: string[], flags: Record<string, "value" | "switch" | "repeat">): { values: Record<string, string[]>; positional: string[] } {
    const values: Record<string, string[]> = {};
    const positional: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const raw = argv[i] === "-o" ? "--output" : argv[i].startsWith("-o=") ? `--output${argv[i].slice(2)}` : argv[i];
        if (raw.startsWith("--")) {
            const eq = raw.indexOf("=");
            const flag = eq > 0 ? raw.slice(0, eq) : raw;
            const kind = flags[flag];
            if (!kind) {
                throw new CommandUsageError(`unknown option ${flag} (options: ${Object.keys(flags).join(", ")})`);
            }
            if (kind === "switch") {
                values[flag] = ["true"];
                continue;
            }
            const value = eq > 0 ? raw.slice(eq + 1) : argv[++i];
            if (value === undefined) {
                throw new CommandUsageError(`${flag} needs a value`);
            }
            values[flag] = kind === "repeat" ? [...(values[flag] ?? []), value] : [value];
        } else if (raw.startsWith("-") && raw !== "-") {
            throw new CommandUsageError(`unknown option ${raw} (options: ${Object.keys(flags).join(", ")})`);
        } else {
            positional.push(raw);
        }
    }
    return { values, positional };
}

function severity(flag: string, value: string | undefined, allowNone: boolean): SeverityName | "none" {
    if (value === undefined) {
        throw new CommandUsageError(`${flag} is required (${SEVERITIES.join(", ")}${allowNone ? " or none" : ""})`);
    }
    if ((SEVERITIES as readonly string[]).includes(value) || (allowNone && value === "none")) {
        return value as SeverityName | "none";
    }
    throw new CommandUsageError(`${flag} takes ${SEVERITIES.join(", ")}${allowNone ? " or none" : ""}, not ${JSON.stringify(value)}`);
}

function readJsonFile(file: string, what: string): unknown {
    const text = readInput(file);
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new ConfigError(`${what} ${file} is not valid JSON (${e instanceof SyntaxError ? e.message.split("\n")[0] : "parse error"})`);
    }
}

function write(io: Io, output: string | undefined, config: unknown, summary: string): void {
    const text = JSON.stringify(config, null, 2) + "\n";
    if (output) {
        try {
            fs.writeFileSync(output, text);
        } catch (e) {
            throw new InputError(`can't write ${output}: ${ioProblem(e)}`);
        }
        io.stderr.write(`${summary}; written to ${output}\n`);
    } else {
        io.stdout.write(text);
    }
}

export async function profileCommand(argv: string[], io: Io): Promise<number> {
    const { values, positional } = options(argv, { "--mandatory-at": "value", "--advisory-at": "value", "--exemptions": "value", "--set": "repeat", "--output": "value" });
    if (positional.length > 0) {
        throw new CommandUsageError(`profile takes no file argument (got ${JSON.stringify(positional[0])})`);
    }
    const set: Record<string, unknown> = {};
    for (const pair of values["--set"] ?? []) {
        const eq = pair.indexOf("=");
        if (eq <= 0) {
            throw new CommandUsageError(`--set takes property=json-value, got ${JSON.stringify(pair)}`);
        }
        const text = pair.slice(eq + 1);
        let value: unknown;
        try {
            value = JSON.parse(text);
        } catch {
            value = text; // a bare word is a string
        }
        set[pair.slice(0, eq)] = value;
    }
    const exemptions = values["--exemptions"] ? readJsonFile(values["--exemptions"][0], "exemption list") : undefined;
    // The policy registry loads here only: help, version and scan don't need it in this process.
    const { generateProfile, unrankedPolicies } = await import("./profile");
    const profile = generateProfile({
        mandatoryAt: severity("--mandatory-at", values["--mandatory-at"]?.[0], true),
        advisoryAt: severity("--advisory-at", values["--advisory-at"]?.[0], false) as SeverityName,
        set,
        exemptions,
    });
    const levels = Object.values(profile).map(e => typeof e === "string" ? e : (e as { enforcementLevel: string }).enforcementLevel);
    const tally = ["mandatory", "advisory", "disabled"].map(l => `${levels.filter(x => x === l).length} ${l}`).join(", ");
    const kept = unrankedPolicies().map(d => `${d.meta.name} stays ${d.defaultLevel}`).join(", ");
    write(io, values["--output"]?.[0], profile, `profile with ${Object.keys(profile).length} policies (${tally}; ${kept}: it has no severity of its own)`);
    return 0;
}

export async function ratchetCommand(argv: string[], io: Io): Promise<number> {
    const { values, positional } = options(argv, {
        "--until": "value", "--reason": "value", "--policy-pack-config": "value", "--include-advisory": "switch",
        "--stack": "value", "--stack-tag": "repeat", "--output": "value",
    });
    if (positional.length === 0) {
        throw new CommandUsageError("missing input file (use - for standard input)");
    }
    if (positional.filter(p => p === "-").length > 1) {
        throw new CommandUsageError("standard input (-) can be read only once");
    }
    if (values["--stack"] && positional.length > 1) {
        throw new CommandUsageError("--stack names the stack of one input; with several inputs each stack's name comes from its input");
    }
    const until = values["--until"]?.[0];
    if (!until || !parseIsoDate(until)) {
        throw new CommandUsageError(`--until takes the last day the exemptions apply, as YYYY-MM-DD${until ? ` (got ${JSON.stringify(until)})` : ""}`);
    }
    const tags: Record<string, string> = {};
    for (const t of values["--stack-tag"] ?? []) {
        const eq = t.indexOf("=");
        if (eq <= 0) {
            throw new CommandUsageError(`--stack-tag takes key=value, got ${JSON.stringify(t)}`);
        }
        tags[t.slice(0, eq)] = t.slice(eq + 1);
    }
    const base = values["--policy-pack-config"] ? readConfig(values["--policy-pack-config"][0]) : {};
    const diagnostics: Diagnostic[] = [];
    const files = expandInputs(positional);
    for (const file of files) {
        const input = parseInput(readInput(file), file === "-" ? "standard input" : file);
        const result = await runPolicyPack({ packDir: PACK_DIR, resources: input.resources, config: base, stack: { stack: values["--stack"]?.[0] ?? input.stack, tags } });
        diagnostics.push(...result.diagnostics);
    }
    const config = ratchetConfig(base, diagnostics, { until, reason: values["--reason"]?.[0], includeAdvisory: values["--include-advisory"] !== undefined });
    const before = exemptionCount(ratchetConfig(base, [], { until }));
    const count = exemptionCount(config);
    const stacks = files.length === 1 ? "" : ` from ${files.length} stacks`;
    write(io, values["--output"]?.[0], config, `${count - before} new exemption${count - before === 1 ? "" : "s"} until ${until}${stacks}, ${before} kept from the base config`);
    return 0;
}

export async function validateConfigCommand(argv: string[], io: Io): Promise<number> {
    const { positional } = options(argv, {});
    if (positional.length !== 1) {
        throw new CommandUsageError(positional.length === 0 ? "missing config file (a file, a profile name, or - for standard input)" : "one config file at a time");
    }
    const spec = positional[0];
    const { file, text } = spec === "-" ? { file: "standard input", text: readInput("-") } : readConfigText(spec);
    // The registry is loaded only here: scan runs the pack in its own process.
    const { definitions } = await import("../policies/registry");
    const problems = configFileProblems(text, file, policyInfos(definitions), new Date().toISOString().slice(0, 10));
    for (const problem of problems) {
        io.stderr.write(`error: ${file}: ${problem}\n`);
    }
    if (problems.length > 0) {
        return 2;
    }
    const entries = Object.keys(JSON.parse(text.trim() || "{}")).length;
    io.stdout.write(`${file}: valid policy config (${entries} entr${entries === 1 ? "y" : "ies"}; ${definitions.length} policies in the pack)\n`);
    return 0;
}
