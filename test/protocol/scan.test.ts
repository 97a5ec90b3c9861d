// `serverless-guard scan` as a user runs it: the compiled CLI in a child process, its exit codes,
// standard output and error, and the files it writes; compared with the protocol tier on the same stacks.
import * as assert from "assert";
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { PolicyPackProcess, RunResult } from "../../runner/engine";
import { parseInput } from "../../runner/inputs";
import { DEFERRED_POLICY } from "../../policies/lib/deferred";
import { evaluations } from "../../runner/junit";
import { attributeDeferred, deferredOf, findingsOf } from "../../runner/report";
import { secret } from "../../runner/wire";
import { exampleStack, findingKeys, REPO, run, startPack } from "../support/pack";
import { runMultitoolValidate, validateSarifSchema } from "../support/sarif";

const CLI = path.join(REPO, "bin", "runner", "cli.js");
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "serverless-guard-scan-"));

interface Ran { code: number | null; stdout: string; stderr: string }

/** Runs the CLI from the repository root, with standard output and error piped (not a terminal). */
function scan(args: string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): Ran {
    const env = { ...process.env, ...options.env };
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    const res: SpawnSyncReturns<string> = spawnSync(process.execPath, [CLI, ...args], {
        cwd: REPO, input: options.input ?? "", encoding: "utf8", env, timeout: 120000, maxBuffer: 64 * 1024 * 1024,
    });
    return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

function tmp(name: string, content: string | Buffer): string {
    const file = path.join(TMP, name);
    fs.writeFileSync(file, content);
    return file;
}

const STACK_TRACE = /\n\s+at .+[(:]\d+:\d+\)?/;

/** `<resource name>|<policy>` for each finding of a JSON report, like the protocol tests' findingKeys. */
function jsonKeys(report: { diagnostics: { urn: string; policyName: string }[] }): string[] {
    return [...new Set(report.diagnostics.map(d => `${d.urn.split("::").pop()}|${d.policyName}`))].sort();
}

function expectations(file: string): string[] {
    const list = JSON.parse(fs.readFileSync(path.join(REPO, "test", "protocol", "expectations", file), "utf8")) as { resource: string; policy: string }[];
    return [...new Set(list.map(e => `${e.resource}|${e.policy}`))].sort();
}

/** Every finding, in full, sorted: what must be identical through scan and through the protocol tier. */
function findings(diagnostics: { policyName: string; urn: string; enforcementLevel: string; message: string }[]): string[] {
    return diagnostics.map(d => `${d.policyName}|${d.urn}|${d.enforcementLevel}|${d.message}`).sort();
}

describe("scan: the serverless-guard command", function () {
    let pack: PolicyPackProcess;
    before(async () => { pack = await startPack(); });
    after(async () => {
        await pack?.close();
        fs.rmSync(TMP, { recursive: true, force: true });
    });

    describe("same findings as the protocol tier", () => {
        it("examples/stacks/aws-insecure.json: exactly test/protocol/expectations/aws-insecure.json, checks that wait listed apart", async () => {
            const res = scan(["scan", "examples/stacks/aws-insecure.json", "--format", "json"]);
            assert.strictEqual(res.code, 1, res.stderr);
            const report = JSON.parse(res.stdout);
            const resources = exampleStack("aws-insecure.json");
            const protocol = await run(pack, resources);
            const name = (urn: string) => urn.split("::").pop();
            // the expectations list every diagnostic of the pack; the scanner's findings are those that don't wait
            const waiting = new Set([
                ...deferredOf(protocol).map(c => `${name(c.urn)}|${c.policy}`),
                ...protocol.diagnostics.filter(d => d.policyName === DEFERRED_POLICY).map(d => `${name(d.urn)}|${DEFERRED_POLICY}`),
            ]);
            assert.deepStrictEqual(jsonKeys(report), expectations("aws-insecure.json").filter(k => !waiting.has(k)));
            assert.deepStrictEqual(findings(report.diagnostics), findings(findingsOf(protocol)));
            assert.deepStrictEqual(report.deferred.map((c: { urn: string; policy: string }) => `${c.urn}|${c.policy}`).sort(),
                deferredOf(attributeDeferred(protocol, resources)).map(c => `${c.urn}|${c.policy}`).sort());
        });

        const formats: [string, string, string][] = [
            ["exports/aws-insecure.export.json", "stack-export", "dev"],
            ["exports/aws-hardened.export.json", "stack-export", "prod"],
            ["exports/aws-preview.json", "preview-json", "dev"],
            ["aws-hardened.json", "resource-list", "prod"],
        ];
        for (const [file, format, stack] of formats) {
            it(`examples/stacks/${file}: detected as ${format}, the same findings as the protocol tier`, async () => {
                const res = scan(["scan", `examples/stacks/${file}`, "--format", "json", "--fail-on", "none"]);
                assert.strictEqual(res.code, 0, res.stderr);
                const report = JSON.parse(res.stdout);
                assert.strictEqual(report.input.format, format);
                const resources = exampleStack(file);
                assert.strictEqual(report.input.resources, resources.length);
                const protocol = await run(pack, resources, undefined, undefined);
                assert.strictEqual(stack, parseInput(fs.readFileSync(path.join(REPO, "examples", "stacks", file), "utf8")).stack);
                assert.deepStrictEqual(findings(report.diagnostics), findings(findingsOf(protocol)));
            });
        }

        it("examples/stacks/exports/aws-insecure.export.json: exactly its expectations", () => {
            const res = scan(["scan", "examples/stacks/exports/aws-insecure.export.json", "--format", "json"]);
            assert.strictEqual(res.code, 1, res.stderr);
            assert.deepStrictEqual(jsonKeys(JSON.parse(res.stdout)), expectations("exports/aws-insecure.export.json"));
        });

        it("examples/stacks/exports/aws-hardened.export.json: no findings, exit 0", () => {
            const res = scan(["scan", "examples/stacks/exports/aws-hardened.export.json"]);
            assert.strictEqual(res.code, 0, res.stderr);
            assert.match(res.stdout, /^Scanned 22 resources from examples\/stacks\/exports\/aws-hardened\.export\.json \(pulumi stack export\)\./);
            assert.match(res.stdout, /\n0 mandatory and 0 advisory violations on 0 resources\.\n$/);
            assert.strictEqual(res.stderr, "");
        });

        it("reads standard input with -", () => {
            const text = fs.readFileSync(path.join(REPO, "examples", "stacks", "exports", "aws-insecure.export.json"));
            const res = scan(["scan", "-", "--format", "json"], { input: text });
            assert.strictEqual(res.code, 1, res.stderr);
            const report = JSON.parse(res.stdout);
            assert.deepStrictEqual(report.input, { file: "-", format: "stack-export", resources: 20 });
            assert.deepStrictEqual(jsonKeys(report), expectations("exports/aws-insecure.export.json"));
        });
    });

    it("the README's scan commands name example files that exist", () => {
        const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
        const section = readme.slice(readme.indexOf("## Scan without a preview"), readme.indexOf("## Policies"));
        const files = [...section.matchAll(/(?:sg|serverless-guard) scan "?(?:\$SG_PACK\/)?(examples\/[^\s"]+)/g)].map(m => m[1]);
        assert.ok(files.length >= 2, section);
        for (const file of files) {
            assert.ok(fs.existsSync(path.join(REPO, file)), file);
        }
        assert.match(section, /github\/codeql-action\/upload-sarif/);
    });

    describe("exit codes", () => {
        it("1 for a mandatory violation, 0 for none; --fail-on advisory is stricter, --fail-on none only reports", function () {
            this.timeout(300000); // several scans, each starting the pack
            const insecure = "examples/stacks/aws-insecure.json";
            assert.strictEqual(scan(["scan", insecure]).code, 1);
            assert.strictEqual(scan(["scan", insecure, "--fail-on", "none"]).code, 0);
            const advisory = tmp("all-advisory.json", JSON.stringify({ all: "advisory" }));
            const onlyAdvisory = scan(["scan", insecure, "--policy-pack-config", advisory]);
            assert.strictEqual(onlyAdvisory.code, 0, onlyAdvisory.stderr);
            assert.match(onlyAdvisory.stdout, /\n0 mandatory and \d+ advisory violations/);
            assert.strictEqual(scan(["scan", insecure, "--policy-pack-config", advisory, "--fail-on", "advisory"]).code, 1);
            assert.strictEqual(scan(["scan", "examples/stacks/aws-hardened.json", "--fail-on", "advisory"]).code, 0);
        });
    });

    describe("--policy-pack-config", () => {
        it("applies levels and properties with the engine's merge", () => {
            const config = tmp("config.json", JSON.stringify({ all: "advisory", "aws-lambda-function-url-auth": "mandatory", "aws-lambda-function-tracing": { enforcementLevel: "disabled" } }));
            const res = scan(["scan", "examples/stacks/aws-insecure.json", "--policy-pack-config", config, "--format", "json"]);
            assert.strictEqual(res.code, 1, res.stderr);
            const report = JSON.parse(res.stdout);
            const mandatory = new Set(report.diagnostics.filter((d: { enforcementLevel: string }) => d.enforcementLevel === "mandatory").map((d: { policyName: string }) => d.policyName));
            assert.deepStrictEqual([...mandatory], ["aws-lambda-function-url-auth"]);
            assert.ok(!report.diagnostics.some((d: { policyName: string }) => d.policyName === "aws-lambda-function-tracing"));
        });

        it("rejects invalid config with the CLI's errors, before analysis", () => {
            const cases: [object | string, RegExp][] = [
                [{ "aws-lambda-function-timeout": "strict" }, /parsing enforcement level for "aws-lambda-function-timeout": "strict" is not a valid enforcement level/],
                [{ "aws-lambda-function-timeout": { maxTimeoutSeconds: "soon" } }, /validating policy config: serverless-guard \d+\.\d+\.\d+\n\s+aws-lambda-function-timeout: maxTimeoutSeconds: Invalid type\. Expected: integer, given: string/],
                ["{not json", /is not valid JSON/],
            ];
            for (const [config, pattern] of cases) {
                const file = tmp("bad-config.json", typeof config === "string" ? config : JSON.stringify(config));
                const res = scan(["scan", "examples/stacks/aws-insecure.json", "--policy-pack-config", file]);
                assert.strictEqual(res.code, 2, res.stderr);
                assert.match(res.stderr, pattern);
                assert.doesNotMatch(res.stderr, STACK_TRACE);
                assert.strictEqual(res.stdout, "");
            }
        });

        it("refuses config the engine would silently ignore before analysis, as the pack does under pulumi preview", function () {
            this.timeout(300000); // several scans, each starting the pack
            const file = tmp("typo-config.json", JSON.stringify({
                "aws-lambda-function-timout": "mandatory",
                "aws-lambda-function-timeout": { maxTimeoutSecond: 30 },
            }));
            for (const extra of [[], ["--strict-config"]]) {
                const res = scan(["scan", "examples/stacks/aws-insecure.json", "--policy-pack-config", file, ...extra]);
                assert.strictEqual(res.code, 2, res.stderr);
                assert.match(res.stderr, /^error: policy config: 2 problems \(check it with serverless-guard validate-config\)\n  aws-lambda-function-timout: unknown policy \(did you mean "aws-lambda-function-timeout"\?\)/);
                assert.match(res.stderr, /\n  aws-lambda-function-timeout: maxTimeoutSecond: unknown property \(did you mean "maxTimeoutSeconds"\?\)/);
                assert.doesNotMatch(res.stderr, STACK_TRACE);
                assert.strictEqual(res.stdout, "");
            }
            for (const profile of ["recommended", "strict", "migration"]) {
                const clean = scan(["scan", "examples/stacks/aws-hardened.json", "--policy-pack-config", profile]);
                assert.strictEqual(clean.code, 0, `${profile}: ${clean.stderr}`);
            }
        });

        it("finds shipped profiles by name in config/, and says which exist", () => {
            const name = `scan-test-profile-${process.pid}`;
            const profile = path.join(REPO, "config", `${name}.json`);
            fs.mkdirSync(path.dirname(profile), { recursive: true });
            fs.writeFileSync(profile, JSON.stringify({ all: "advisory" }));
            try {
                const res = scan(["scan", "examples/stacks/aws-insecure.json", "--policy-pack-config", name]);
                assert.strictEqual(res.code, 0, res.stderr);
                assert.match(res.stdout, /\n0 mandatory and \d+ advisory violations/);
                const missing = scan(["scan", "examples/stacks/aws-insecure.json", "--policy-pack-config", "no-such-profile"]);
                assert.strictEqual(missing.code, 2);
                assert.match(missing.stderr, new RegExp(`"no-such-profile" is neither a file nor a profile \\(profiles: .*${name}`));
            } finally {
                fs.rmSync(profile, { force: true });
            }
        });
    });

    describe("--format sarif", () => {
        it("writes SARIF that the SARIF 2.1.0 schema and the SARIF Multitool accept, for each input format", function () {
            this.timeout(240000);
            for (const file of ["exports/aws-insecure.export.json", "exports/aws-preview.json", "aws-insecure.json"]) {
                const out = path.join(TMP, `${path.basename(file)}.sarif`);
                const res = scan(["scan", `examples/stacks/${file}`, "--format", "sarif", "--output", out]);
                assert.strictEqual(res.code, 1, res.stderr);
                assert.strictEqual(res.stdout, "", "nothing on standard output with --output");
                assert.match(res.stderr, /^\d+ mandatory and \d+ advisory violations; sarif report written to /);
                const log = JSON.parse(fs.readFileSync(out, "utf8"));
                assert.deepStrictEqual(validateSarifSchema(log), [], file);
                const validation = runMultitoolValidate(out);
                assert.strictEqual(validation.exitCode, 0, validation.output);
                assert.deepStrictEqual(validation.problems, [], `${file}: SARIF Multitool errors or warnings`);
                assert.match(validation.output, /1 files scanned/);
                // a log the Multitool could not read yields no notes at all: these show it analyzed the file
                assert.ok(validation.notes.length > 0, validation.output);
            }
        });

        it("maps results to the program's source lines (sourcePosition) under --source-root, else to the input file", async () => {
            const res = scan(["scan", "examples/stacks/exports/aws-insecure.export.json", "--format", "sarif", "--source-root", "infra"]);
            const run = JSON.parse(res.stdout).runs[0];
            const protocol = await run_(pack, "exports/aws-insecure.export.json");
            assert.strictEqual(run.results.length, protocol.diagnostics.length);
            const url = run.results.find((r: { ruleId: string }) => r.ruleId === "aws-lambda-function-url-auth");
            assert.deepStrictEqual(url.locations[0].physicalLocation, { artifactLocation: { uri: "infra/index.ts", uriBaseId: "%SRCROOT%" }, region: { startLine: 62, startColumn: 15 } });
            assert.strictEqual(url.locations[0].logicalLocations[0].fullyQualifiedName, "urn:pulumi:dev::shop::aws:lambda/functionUrl:FunctionUrl::orders-url");

            const list = JSON.parse(scan(["scan", "examples/stacks/aws-insecure.json", "--format", "sarif"]).stdout).runs[0];
            const route = list.results.find((r: { ruleId: string }) => r.ruleId === "aws-apigatewayv2-route-authorization");
            const text = fs.readFileSync(path.join(REPO, "examples", "stacks", "aws-insecure.json"), "utf8").split("\n");
            assert.strictEqual(route.locations[0].physicalLocation.artifactLocation.uri, "examples/stacks/aws-insecure.json");
            assert.match(text[route.locations[0].physicalLocation.region.startLine - 1], /"name": "orders-route"/);
        });
    });

    describe("--format junit", () => {
        it("writes JUnit XML with a test case per policy/resource pair evaluated and a failure per violation", async () => {
            const res = scan(["scan", "examples/stacks/exports/aws-insecure.export.json", "--format", "junit"]);
            assert.strictEqual(res.code, 1, res.stderr);
            assert.strictEqual(XMLValidator.validate(res.stdout), true);
            const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: n => n === "testsuite" || n === "testcase" }).parse(res.stdout).testsuites;
            const cases = doc.testsuite.flatMap((s: { name: string; testcase: object[] }) => s.testcase.map(c => ({ suite: s.name, ...c }))) as { suite: string; name: string; failure?: object }[];
            const protocol = await run_(pack, "exports/aws-insecure.export.json");
            const pairs = evaluations(protocol, exampleStack("exports/aws-insecure.export.json"));
            // one case per pair, and one more for each further violation of a pair: one failure per violation
            const expected = pairs.reduce((n, p) => n + Math.max(1, p.diagnostics.length), 0);
            assert.strictEqual(cases.length, expected);
            assert.strictEqual(Number(doc.tests), expected);
            assert.strictEqual(new Set(cases.map(c => `${c.suite}|${c.name}`)).size, cases.length, "case names are unique in a suite");
            const failing = cases.filter(c => c.failure);
            assert.deepStrictEqual([...new Set(failing.map(c => `${c.name.split(": ").pop()!.replace(/ \[\d+\/\d+\]$/, "")}|${c.suite}`))].sort(), findingKeys(protocol));
            assert.strictEqual(failing.length, findingsOf(protocol).length, "a failure per violation");
            assert.strictEqual(Number(doc.failures), findingsOf(protocol).length);
        });
    });

    it("never puts a secret value into any report", function () {
        this.timeout(240000); // eight scans, each starting the pack
        const planted = "pl4nted-S3cret-f00d-4242";
        const input = {
            stack: "dev",
            resources: [
                { type: "aws:lambda/function:Function", name: "leaky", props: { runtime: "nodejs24.x", handler: "index.handler", role: "arn:aws:iam::111122223333:role/r",
                    environment: { variables: { DB_PASSWORD: secret(planted), NOTE: secret(`prefix ${planted} suffix`) } } } },
                // a secret used where a policy quotes the value (the parameter's name): reports must still not show it
                { type: "aws:ssm/parameter:Parameter", name: "param", props: { name: secret(`/app/${planted}/db_password`), type: "String", value: secret(planted) } },
                { type: "aws:ssm/parameter:Parameter", name: "param2", props: { name: "/app/db_password", type: "String",
                    value: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify(planted) } } },
            ],
        };
        const file = tmp("secrets.json", JSON.stringify(input));
        for (const format of ["text", "json", "sarif", "junit", "markdown"]) {
            const res = scan(["scan", file, "--format", format]);
            assert.strictEqual(res.code, 1, res.stderr);
            assert.ok(!res.stdout.includes(planted) && !res.stderr.includes(planted), `${format} report holds the secret`);
            const out = path.join(TMP, `report-with-secrets.${format}`);
            assert.strictEqual(scan(["scan", file, "--format", format, "--output", out]).code, 1);
            assert.ok(!fs.readFileSync(out, "utf8").includes(planted), `${format} file holds the secret`);
        }
    });

    describe("bad input: a clear error, exit 2, never a stack trace", () => {
        const export_ = fs.readFileSync(path.join(REPO, "examples", "stacks", "exports", "aws-insecure.export.json"), "utf8");
        const cases: [string, () => string[], RegExp, (string | Buffer)?][] = [
            ["an unknown flag", () => ["scan", "examples/stacks/aws-insecure.json", "--formatt", "json"], /^error: unknown option --formatt\nRun 'serverless-guard scan --help' for its options\.\n$/],
            ["an unknown command", () => ["check", "x.json"], /^error: unknown command "check"/],
            ["no input file", () => ["scan"], /^error: missing input file \(use - for standard input\)/],
            ["a missing file", () => ["scan", "no/such/stack.json"], /^error: can't read no\/such\/stack\.json: no such file\n$/],
            ["a directory without stacks", () => ["scan", "runner"], /^error: runner is a directory without \.json files to scan\n$/],
            ["binary garbage", () => ["scan", tmp("garbage.bin", Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)))], /^error: .*garbage\.bin can't be read: it is binary data, not JSON text/],
            ["JSON of the wrong shape", () => ["scan", tmp("shape.json", '{"name": "not a stack", "items": [1, 2]}')], /is not a recognised input: it is a JSON object with the keys "name", "items"\. Expected a `pulumi stack export` file \(version 3\), `pulumi preview --json` output, or a JSON list of/],
            ["a truncated stack export", () => ["scan", tmp("truncated.json", export_.slice(0, Math.floor(export_.length / 2)))], /truncated\.json can't be read: a pulumi stack export document ends early, at line \d+ column \d+: the file looks truncated/],
            ["a stack export of another version", () => ["scan", tmp("v1.json", '{"version": 1, "deployment": {}}')], /stack export of version 1; only version 3 is supported/],
            ["a resource without a type", () => ["scan", tmp("notype.json", '[{"name": "x"}]')], /resource 0 needs string "type" and "name" fields/],
            ["empty standard input", () => ["scan", "-"], /^error: standard input can't be read: it is empty\./, ""],
            ["a config file that is a directory", () => ["scan", "examples/stacks/aws-insecure.json", "--policy-pack-config", "examples"], /can't read policy pack config examples: it is a directory, not a file/],
        ];
        for (const [what, argv, pattern, input] of cases) {
            it(what, () => {
                const res = scan(argv(), { input });
                assert.strictEqual(res.code, 2, `exit code; stderr: ${res.stderr}`);
                assert.strictEqual(res.stdout, "");
                assert.match(res.stderr, pattern);
                assert.doesNotMatch(res.stderr, STACK_TRACE);
            });
        }

        it("an output file that can't be written", () => {
            const res = scan(["scan", "examples/stacks/aws-hardened.json", "--output", path.join(TMP, "missing-dir", "report.txt")]);
            assert.strictEqual(res.code, 2);
            assert.match(res.stderr, /^error: can't write the report to .*report\.txt: no such file\n$/);
        });
    });

    describe("terminal behaviour", () => {
        const big = () => tmp("big.json", JSON.stringify({ stack: "big", resources: Array.from({ length: 250 }, (_, i) => ({ type: "aws:sqs/queue:Queue", name: `q${i}`, props: { sqsManagedSseEnabled: true } })) }));

        it("prints nothing but the report on standard output when piped, even for large inputs", () => {
            const res = scan(["scan", big(), "--format", "json"]);
            assert.strictEqual(res.code, 0, res.stderr);
            assert.strictEqual(res.stderr, "");
            assert.strictEqual(JSON.parse(res.stdout).input.resources, 250);
        });

        it("shows progress on a terminal for large inputs", function () {
            if (spawnSync("script", ["--version"]).status !== 0) {
                this.skip();
            }
            const out = path.join(TMP, "big.sarif");
            const command = [process.execPath, CLI, "scan", big(), "--format", "sarif", "--output", out].map(a => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
            const res = spawnSync("script", ["-qec", command, "/dev/null"], { cwd: REPO, encoding: "utf8", input: "", timeout: 120000 });
            assert.strictEqual(res.status, 0, res.stdout + res.stderr);
            assert.match(res.stdout, /\r\u001b\[Kanalyzing resources: \d+\/250 \(\d+%\)/);
            assert.match(res.stdout, /\r\u001b\[K0 mandatory and 0 advisory violations; sarif report written to /);
        });

        it("colours text only on a terminal or with --color always", () => {
            const plain = scan(["scan", "examples/stacks/aws-insecure.json"]);
            assert.ok(!plain.stdout.includes("\u001b["));
            const colored = scan(["scan", "examples/stacks/aws-insecure.json", "--color", "always"]);
            assert.match(colored.stdout, /\u001b\[31mmandatory\u001b\[0m critical /);
        });

        it("--help and --version answer on standard output", () => {
            const help = scan(["--help"]);
            assert.strictEqual(help.code, 0);
                assert.match(help.stdout, /^usage: serverless-guard scan <file\|dir\|-> \[<file\|dir> \.\.\.\] \[options\]/);
            assert.match(help.stdout, /-f, --format <format>\[=<file>\] +text \(default\), json, sarif, junit or markdown/);
            const version = scan(["--version"]);
            assert.strictEqual(version.stdout, `serverless-guard ${JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version}\n`);
        });

        it("runs as the package's npm bin (npx serverless-guard)", () => {
            const res = spawnSync("npx", ["--no-install", "serverless-guard", "scan", "examples/stacks/aws-hardened.json"], { cwd: REPO, encoding: "utf8", timeout: 120000 });
            assert.strictEqual(res.status, 0, res.stderr);
            assert.match(res.stdout, /0 mandatory and 0 advisory violations/);
        });
    });
});

/** The protocol tier's run of an example stack (the same parse, the same runner, no CLI). */
function run_(pack: PolicyPackProcess, file: string): Promise<RunResult> {
    return run(pack, exampleStack(file));
}
