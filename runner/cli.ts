#!/usr/bin/env node
// serverless-guard: runs this policy pack, unchanged, over the analyzer protocol against a stack
// export, preview output or plain resource list, without a Pulumi CLI or cloud account.
import * as fs from "fs";
import * as path from "path";
import { ConfigError, parsePolicyPackConfig, PolicyConfigEntry } from "./config";
import { PackStartError, runPolicyPack } from "./engine";
import { ACCEPTED_FORMATS, InputError, parseInput } from "./inputs";
import { formatJson, formatText, summarize } from "./report";

const PACK_DIR = path.resolve(__dirname, "..", "..");

const USAGE = `usage: serverless-guard scan <file|-> [options]

Runs the serverless-guard policy pack over ${ACCEPTED_FORMATS}.

options:
  --policy-pack-config <file|profile>  policy config, as for pulumi preview (a file, or a profile name from config/)
  --format text|json                   output format (default text)
  --output <file>                      write the report to a file instead of stdout
  --fail-on mandatory|advisory|none    exit non-zero at this level (default mandatory)
  --stack-tag <key=value>              a stack tag the policies can see (repeatable)
  --stack <name>                       the stack name
`;

class UsageError extends Error {}

interface Args {
    file: string;
    config?: string;
    format: "text" | "json";
    output?: string;
    failOn: "mandatory" | "advisory" | "none";
    tags: Record<string, string>;
    stack?: string;
}

function parseArgs(argv: string[]): Args {
    if (argv[0] !== "scan") {
        throw new UsageError(argv.length === 0 ? "missing command" : `unknown command ${JSON.stringify(argv[0])}`);
    }
    const args: Args = { file: "", format: "text", failOn: "mandatory", tags: {} };
    const rest = argv.slice(1);
    for (let i = 0; i < rest.length; i++) {
        const a = rest[i];
        const value = () => {
            if (i + 1 >= rest.length) {
                throw new UsageError(`${a} needs a value`);
            }
            return rest[++i];
        };
        switch (a) {
            case "--policy-pack-config": args.config = value(); break;
            case "--format": {
                const f = value();
                if (f !== "text" && f !== "json") { throw new UsageError(`unknown format ${JSON.stringify(f)} (use text or json)`); }
                args.format = f;
                break;
            }
            case "--output": args.output = value(); break;
            case "--fail-on": {
                const f = value();
                if (f !== "mandatory" && f !== "advisory" && f !== "none") { throw new UsageError(`--fail-on takes mandatory, advisory or none`); }
                args.failOn = f;
                break;
            }
            case "--stack-tag": {
                const t = value();
                const eq = t.indexOf("=");
                if (eq <= 0) { throw new UsageError(`--stack-tag takes key=value, got ${JSON.stringify(t)}`); }
                args.tags[t.slice(0, eq)] = t.slice(eq + 1);
                break;
            }
            case "--stack": args.stack = value(); break;
            case "-h": case "--help": throw new UsageError("");
            default:
                if (a.startsWith("-") && a !== "-") { throw new UsageError(`unknown option ${a}`); }
                if (args.file) { throw new UsageError("only one input file can be scanned at a time"); }
                args.file = a;
        }
    }
    if (!args.file) {
        throw new UsageError("missing input file (use - for standard input)");
    }
    return args;
}

function readConfig(spec: string): Record<string, PolicyConfigEntry> {
    let file = spec;
    if (!fs.existsSync(file) && /^[a-z0-9-]+$/.test(spec)) {
        file = path.join(PACK_DIR, "config", `${spec}.json`);
        if (!fs.existsSync(file)) {
            const profiles = fs.existsSync(path.join(PACK_DIR, "config"))
                ? fs.readdirSync(path.join(PACK_DIR, "config")).filter(f => f.endsWith(".json")).map(f => f.slice(0, -5))
                : [];
            throw new ConfigError(`policy pack config ${JSON.stringify(spec)} is neither a file nor a profile (profiles: ${profiles.join(", ") || "none"})`);
        }
    }
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new ConfigError(`can't read policy pack config ${file}: ${(e as NodeJS.ErrnoException).code ?? "read error"}`);
    }
    return parsePolicyPackConfig(text, file);
}

async function main(argv: string[]): Promise<number> {
    let args: Args;
    try {
        args = parseArgs(argv);
    } catch (e) {
        if (e instanceof UsageError) {
            if (e.message) { process.stderr.write(`error: ${e.message}\n\n`); }
            process.stderr.write(USAGE);
            return e.message ? 2 : 0;
        }
        throw e;
    }
    try {
        const config = args.config ? readConfig(args.config) : {};
        let text: string;
        try {
            text = fs.readFileSync(args.file === "-" ? 0 : args.file, "utf8");
        } catch (e) {
            throw new InputError(`can't read ${args.file}: ${(e as NodeJS.ErrnoException).code ?? "read error"}`);
        }
        const input = parseInput(text, args.file === "-" ? "standard input" : args.file);
        const showProgress = process.stderr.isTTY && input.resources.length >= 200;
        const result = await runPolicyPack({
            packDir: PACK_DIR,
            resources: input.resources,
            config,
            stack: { stack: args.stack ?? input.stack, tags: args.tags },
            onProgress: showProgress ? (done, total) => {
                if (done % 100 === 0 || done === total) {
                    process.stderr.write(`\ranalyzing resources: ${done}/${total}`);
                    if (done === total) { process.stderr.write("\n"); }
                }
            } : undefined,
        });
        const color = !args.output && process.stdout.isTTY && !process.env.NO_COLOR;
        const report = args.format === "json" ? formatJson(result) : formatText(result, { color });
        if (args.output) {
            fs.writeFileSync(args.output, report);
        } else {
            process.stdout.write(report);
        }
        const { mandatory, advisory } = summarize(result);
        if (args.failOn === "none") {
            return 0;
        }
        return mandatory > 0 || (args.failOn === "advisory" && advisory > 0) ? 1 : 0;
    } catch (e) {
        if (e instanceof InputError || e instanceof ConfigError || e instanceof PackStartError) {
            process.stderr.write(`error: ${e.message}\n`);
            return 2;
        }
        const detail = e instanceof Error ? `${e.name}: ${(e as { details?: string }).details ?? e.message}` : String(e);
        process.stderr.write(`error: the policy pack failed: ${detail.split("\n")[0]}\n`);
        return 3;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then(code => { process.exitCode = code; });
}

export { main };
