// `serverless-guard scan` reports for reviewers and for whole organizations: the Markdown and text
// reports on the example stacks (golden files), checks that wait for unknown values in every format,
// several inputs in one report on several pack processes, and an input that fails without losing the
// others.
//
// Golden files: test/protocol/expectations/markdown/ and text/ (grouped, and --compact). After an
// intended change of a policy's wording, regenerate them with SERVERLESS_GUARD_UPDATE_GOLDEN=1 and
// review the diff.
import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { PolicyPackProcess, RunResult, runOnPack } from "../../runner/engine";
import { parseInput } from "../../runner/inputs";
import { formatMarkdown } from "../../runner/markdown";
import { findingsOf, formatTextScan, ReportContext } from "../../runner/report";
import { prepareResult } from "../../runner/scan";
import { UNKNOWN } from "../../runner/wire";
import { allFields, leaks } from "../support/canary";
import { REPO, startPack } from "../support/pack";
import { runMultitoolValidate, validateSarifSchema } from "../support/sarif";

/* eslint-disable @typescript-eslint/no-explicit-any */
const CLI = path.join(REPO, "bin", "runner", "cli.js");
const GOLDEN = path.join(REPO, "test", "protocol", "expectations", "markdown");
const UPDATE = process.env.SERVERLESS_GUARD_UPDATE_GOLDEN === "1";
const STACK_TRACE = /\n\s+at .+[(:]\d+:\d+\)?/;
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "serverless-guard-scan-reports-"));

function scan(args: string[]): { code: number | null; stdout: string; stderr: string } {
    const env = { ...process.env };
    delete env.NO_COLOR;
    const res = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO, input: "", encoding: "utf8", env, timeout: 240000, maxBuffer: 64 * 1024 * 1024 });
    return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

function tmp(name: string, content: unknown): string {
    const file = path.join(TMP, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
    return file;
}

const TEXT_GOLDEN = path.join(REPO, "test", "protocol", "expectations", "text");
const TEXT_EXAMPLES = ["aws-insecure.json", "aws-hardened.json", "azure-insecure.json", "gcp-insecure.json", "exports/aws-preview.json"];
const EXAMPLES = ["aws-insecure.json", "aws-hardened.json", "azure-insecure.json", "azure-hardened.json", "gcp-insecure.json", "gcp-hardened.json", "exports/aws-insecure.export.json", "exports/aws-preview.json"];

/** A preview of a function whose role, runtime and settings come from resources not created yet. */
const WAITING = {
    stack: "dev",
    resources: [
        { type: "aws:lambda/function:Function", name: "api", props: { runtime: UNKNOWN, handler: "index.handler", role: UNKNOWN, tracingConfig: UNKNOWN, environment: UNKNOWN } },
        { type: "aws:sqs/queue:Queue", name: "jobs", props: { sqsManagedSseEnabled: true } },
    ],
};

describe("scan reports: Markdown, deferred checks, several stacks", function () {
    this.timeout(300000);
    let pack: PolicyPackProcess;
    before(async () => { pack = await startPack(); });
    after(async () => {
        await pack?.close();
        fs.rmSync(TMP, { recursive: true, force: true });
    });

    /** The pack's prepared result on an example stack, and what the reports know about it. */
    async function exampleReport(file: string): Promise<{ result: RunResult; ctx: ReportContext }> {
        const inputPath = `examples/stacks/${file}`;
        const input = parseInput(fs.readFileSync(path.join(REPO, inputPath), "utf8"), inputPath);
        const raw = await runOnPack(pack, { resources: input.resources, stack: { stack: input.stack, project: input.project } });
        return {
            result: prepareResult(raw, input.resources).result,
            ctx: {
                tool: { name: "serverless-guard", version: "0.0.0", informationUri: "https://example.com" },
                resources: input.resources, inputPath, format: input.format, stack: input.stack, project: input.project,
            },
        };
    }

    /** Compares a report with its golden file (written when missing, or with SERVERLESS_GUARD_UPDATE_GOLDEN=1). */
    function matchGolden(golden: string, report: string): void {
        if (UPDATE || !fs.existsSync(golden)) {
            fs.mkdirSync(path.dirname(golden), { recursive: true });
            fs.writeFileSync(golden, report);
            if (!UPDATE) {
                assert.fail(`${path.relative(REPO, golden)} did not exist and was written: review and commit it`);
            }
        }
        assert.strictEqual(report, fs.readFileSync(golden, "utf8"), `${path.relative(REPO, golden)} differs (SERVERLESS_GUARD_UPDATE_GOLDEN=1 regenerates it)`);
        assert.doesNotMatch(report, /\d{4}-\d{2}-\d{2}T\d{2}:|\/tmp\/|\/home\//, "no timestamps or absolute paths");
    }

    const goldenName = (file: string) => file.replace(/\//g, "--").replace(/\.json$/, "");

    describe("--format markdown on the example stacks (golden files)", () => {
        for (const file of EXAMPLES) {
            it(`examples/stacks/${file}`, async () => {
                const { result, ctx } = await exampleReport(file);
                matchGolden(path.join(GOLDEN, `${goldenName(file)}.md`), formatMarkdown(result, ctx));
            });
        }

        it("through the command line, the same report as the golden file", () => {
            const res = scan(["scan", "examples/stacks/aws-insecure.json", "--format", "markdown"]);
            assert.strictEqual(res.code, 1, res.stderr);
            assert.strictEqual(res.stdout, fs.readFileSync(path.join(GOLDEN, "aws-insecure.md"), "utf8"));
        });

        it("never shows a canary secret planted in every field of every example stack", () => {
            const files = EXAMPLES.filter(f => !f.startsWith("exports/")).map(f => {
                const doc = JSON.parse(fs.readFileSync(path.join(REPO, "examples", "stacks", f), "utf8"));
                const resources = doc.resources.map((r: { props?: Record<string, unknown> }) => ({ ...r, props: allFields(r.props ?? {}, "secret") }));
                return tmp(`canary/${f}`, { ...doc, resources });
            });
            for (const format of ["markdown", "text", "json"]) {
                const res = scan(["scan", ...files, "--format", format, "--fail-on", "none"]);
                assert.strictEqual(res.code, 0, res.stderr);
                assert.ok(res.stdout.length > 1000, "a report was written");
                assert.deepStrictEqual(leaks(res.stdout + res.stderr), [], `${format}: canaries in the report`);
            }
        });
    });

    describe("text on the example stacks, grouped and --compact (golden files)", () => {
        for (const file of TEXT_EXAMPLES) {
            it(`examples/stacks/${file}`, async () => {
                const { result, ctx } = await exampleReport(file);
                const scan = { stacks: [{ result, ctx }], failures: [] };
                const grouped = formatTextScan(scan, { color: false });
                matchGolden(path.join(TEXT_GOLDEN, `${goldenName(file)}.txt`), grouped);
                matchGolden(path.join(TEXT_GOLDEN, `${goldenName(file)}.compact.txt`), formatTextScan(scan, { color: false, detail: "compact" }));
                // one screen per resource: no resource section is longer than 50 lines
                const sections = grouped.split("\n\n").filter(b => /^\S+: .+ {2}\(\d+ (mandatory|advisory)/.test(b));
                assert.strictEqual(sections.length, new Set(findingsOf(result).map(d => d.urn)).size);
                for (const section of sections) {
                    assert.ok(section.split("\n").length <= 50, `${section.split("\n")[0]}: ${section.split("\n").length} lines`);
                }
                // each policy's description once, whatever the number of its findings
                for (const name of new Set(findingsOf(result).map(d => d.policyName))) {
                    const description = result.policies.find(p => p.name === name)!.description;
                    assert.strictEqual(grouped.split(description).length, 2, `${name}: its description once`);
                }
            });
        }

        it("through the command line, the same reports as the golden files", () => {
            const grouped = scan(["scan", "examples/stacks/aws-insecure.json"]);
            assert.strictEqual(grouped.code, 1, grouped.stderr);
            assert.strictEqual(grouped.stdout, fs.readFileSync(path.join(TEXT_GOLDEN, "aws-insecure.txt"), "utf8"));
            const compact = scan(["scan", "examples/stacks/aws-insecure.json", "--compact", "--fail-on", "none"]);
            assert.strictEqual(compact.code, 0, compact.stderr);
            assert.strictEqual(compact.stdout, fs.readFileSync(path.join(TEXT_GOLDEN, "aws-insecure.compact.txt"), "utf8"));
        });
    });

    describe("checks that wait for values unknown during preview", () => {
        it("are listed apart in every format, counted in the summary, and never fail the scan", () => {
            const file = tmp("waiting.json", WAITING);
            const text = scan(["scan", file, "--fail-on", "advisory", "--policy-pack-config", tmp("quiet.json", { all: "disabled", "aws-lambda-function-tracing": "mandatory", "aws-lambda-function-runtime-deprecated": "advisory", "pack-deferred-checks": "advisory" })]);
            assert.strictEqual(text.code, 0, `only waiting checks: nothing fails\n${text.stdout}${text.stderr}`);
            assert.match(text.stdout, /Waiting for values unknown during preview \(not findings; they run during `pulumi up`\):\n\s+aws:lambda\/function:Function: api: .*aws-lambda-function-tracing \(\.tracingConfig\)/);
            assert.match(text.stdout, /\n0 mandatory and 0 advisory violations on 0 resources\.\n2 checks on 1 resource wait for values unknown during preview/);

            const json = JSON.parse(scan(["scan", file, "--format", "json", "--fail-on", "none"]).stdout);
            const tracing = json.deferred.find((d: any) => d.policy === "aws-lambda-function-tracing");
            assert.deepStrictEqual(tracing.properties, ["tracingConfig"]);
            assert.strictEqual(tracing.resource, "aws:lambda/function:Function: api");
            assert.ok(!json.diagnostics.some((d: any) => /can't run|pack-deferred-checks/.test(`${d.policyName} ${d.message}`)));
            assert.strictEqual(json.summary.deferred, json.deferred.length);

            const xml = scan(["scan", file, "--format", "junit", "--fail-on", "none"]).stdout;
            assert.strictEqual(XMLValidator.validate(xml), true);
            const suites = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: n => ["testsuite", "testcase"].includes(n) }).parse(xml).testsuites.testsuite;
            const skipped = suites.find((s: any) => s.name === "aws-lambda-function-tracing").testcase[0];
            assert.match(skipped.skipped.message, /^not evaluated yet: waits for \.tracingConfig, unknown during preview/);
            assert.ok(!skipped.failure);

            const md = scan(["scan", file, "--format", "markdown", "--fail-on", "none"]).stdout;
            assert.match(md, /<details>\n<summary>\d+ checks? on \d+ resources? wait/);
        });
    });

    describe("several inputs: one report, a section per stack", () => {
        it("a directory of stacks: the same findings per stack as scanning each alone, on one and on several workers", () => {
            const multi = scan(["scan", "examples/stacks", "--format", "json", "--fail-on", "none", "--workers", "2"]);
            assert.strictEqual(multi.code, 0, multi.stderr);
            const report = JSON.parse(multi.stdout);
            const inputs = report.stacks.map((s: any) => s.input.file);
            const jsonFiles = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap(e =>
                e.isDirectory() ? jsonFiles(path.join(dir, e.name)) : e.name.endsWith(".json") ? [path.join(dir, e.name)] : []);
            const expected = jsonFiles(path.join(REPO, "examples", "stacks")).map(f => path.relative(REPO, f).split(path.sep).join("/")).sort();
            assert.ok(expected.length >= 9 && expected.includes("examples/stacks/exports/aws-insecure.export.json"));
            assert.deepStrictEqual(inputs, expected);
            const keys = (ds: any[]) => ds.map(d => `${d.urn}|${d.policyName}|${d.enforcementLevel}|${d.message}`).sort();
            for (const file of ["examples/stacks/aws-insecure.json", "examples/stacks/exports/aws-insecure.export.json", "examples/stacks/gcp-insecure.json"]) {
                const alone = JSON.parse(scan(["scan", file, "--format", "json"]).stdout);
                const inMulti = report.stacks.find((s: any) => s.input.file === file);
                assert.deepStrictEqual(keys(inMulti.diagnostics), keys(alone.diagnostics), file);
                assert.deepStrictEqual(inMulti.summary, alone.summary, file);
            }
            assert.strictEqual(report.summary.mandatory, report.stacks.reduce((n: number, s: any) => n + s.summary.mandatory, 0));
            const one = scan(["scan", "examples/stacks", "--format", "json", "--fail-on", "none", "--workers", "1"]);
            assert.strictEqual(one.stdout, multi.stdout, "the report doesn't depend on the number of workers");
        });

        it("every format is the same on one and on several workers (JUnit's skipped checks included)", () => {
            for (const format of ["junit", "sarif", "markdown", "text"]) {
                const run = (workers: string) => scan(["scan", "examples/stacks", "--format", format, "--fail-on", "none", "--workers", workers]);
                // Only the times a report records may differ.
                const timeless = (text: string) => text.replace(/(timestamp="|"(?:start|end)TimeUtc": ")[^"]*"/g, "$1\"");
                const one = run("1");
                const several = run("3");
                assert.strictEqual(one.code, 0, one.stderr);
                assert.ok(one.stdout.length > 1000, format);
                assert.strictEqual(timeless(several.stdout), timeless(one.stdout), format);
                if (format === "junit") {
                    assert.match(one.stdout, /<skipped/);
                }
            }
        });

        it("SARIF: one run per stack, each with its own category; valid for the SARIF Multitool, with open results and a failed input", () => {
            const out = path.join(TMP, "multi.sarif");
            const broken = tmp("broken/stack.json", "{\"deployment\": ");
            const res = scan(["scan", "examples/stacks/aws-insecure.json", tmp("waiting.json", WAITING), broken, "--format", "sarif", "--output", out]);
            assert.strictEqual(res.code, 2, res.stderr);
            assert.match(res.stderr, /error: .*broken\/stack\.json can't be read: a pulumi stack export document ends early/);
            const log = JSON.parse(fs.readFileSync(out, "utf8"));
            assert.deepStrictEqual(validateSarifSchema(log), []);
            assert.strictEqual(log.runs.length, 3);
            const ids = log.runs.map((r: any) => r.automationDetails.id);
            assert.ok(/^serverless-guard\/[^/]+\/dev\/$/.test(ids[0]) && /^serverless-guard\/[^/]+\/dev-2\/$/.test(ids[1]), ids.join(" "));
            assert.strictEqual(ids[2], "serverless-guard/failed-input-1/");
            assert.ok(log.runs[0].results.length > 10);
            assert.ok(log.runs[1].results.some((r: any) => r.kind === "open" && r.level === "none"));
            assert.strictEqual(log.runs[2].invocations[0].executionSuccessful, false);
            const validation = runMultitoolValidate(out);
            assert.strictEqual(validation.exitCode, 0, validation.output);
            assert.deepStrictEqual(validation.problems, [], "SARIF Multitool errors or warnings");
        });

        it("interrupted, it stops its workers and removes the directory of the outcome files they write", async () => {
            const exportText = fs.readFileSync(path.join(REPO, "examples", "stacks", "exports", "aws-insecure.export.json"), "utf8");
            for (let i = 0; i < 300; i++) {
                tmp(`interrupted/stack-${String(i).padStart(3, "0")}.json`, exportText);
            }
            const ownTmp = fs.mkdtempSync(path.join(TMP, "tmpdir-"));
            const child = spawn(process.execPath, [CLI, "scan", path.join(TMP, "interrupted"), "--format", "json", "--fail-on", "none", "--workers", "2"], {
                cwd: REPO, env: { ...process.env, TMPDIR: ownTmp }, stdio: ["ignore", "ignore", "pipe"],
            });
            let stderr = "";
            child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
            const ended = new Promise<NodeJS.Signals | number | null>(resolve => child.on("exit", (code, signal) => resolve(signal ?? code)));
            // Interrupted while its workers are scanning: a while after the outcome directory is made.
            const deadline = Date.now() + 60000;
            while (child.exitCode === null && fs.readdirSync(ownTmp).length === 0 && Date.now() < deadline) {
                await new Promise(r => setTimeout(r, 5));
            }
            await new Promise(r => setTimeout(r, 300));
            assert.strictEqual(fs.readdirSync(ownTmp).length, 1, `the scan ended before it could be interrupted: ${stderr}`);
            child.kill("SIGINT");
            assert.strictEqual(await ended, "SIGINT", stderr);
            assert.deepStrictEqual(fs.readdirSync(ownTmp), [], "the scan's temporary directory is removed");
            assert.doesNotMatch(stderr, STACK_TRACE);
        });

        it("an input that fails is named, never with a stack trace, and the others' results are kept", () => {
            const res = scan(["scan", "examples/stacks/aws-insecure.json", "no/such/stack.json", tmp("empty.json", ""), "examples/stacks/gcp-hardened.json", "--format", "json"]);
            assert.strictEqual(res.code, 2, "an incomplete scan fails as invalid input");
            assert.match(res.stderr, /^error: can't read no\/such\/stack\.json: no such file\nerror: .*empty\.json can't be read: it is empty\.[^\n]*\n$/);
            assert.doesNotMatch(res.stderr, STACK_TRACE);
            const report = JSON.parse(res.stdout);
            assert.deepStrictEqual(report.stacks.map((s: any) => s.input.file), ["examples/stacks/aws-insecure.json", "examples/stacks/gcp-hardened.json"]);
            assert.ok(report.stacks[0].summary.mandatory > 0);
            assert.deepStrictEqual(report.errors.map((e: any) => e.input), ["no/such/stack.json", path.join(TMP, "empty.json")]);

            const none = scan(["scan", "no/such/a.json", "no/such/b.json"]);
            assert.strictEqual(none.code, 2);
            assert.strictEqual(none.stdout, "");
            assert.match(none.stderr, /\nerror: none of the 2 inputs could be scanned\n$/);
        });

        it("text and JUnit group per stack", () => {
            const text = scan(["scan", "examples/stacks/aws-insecure.json", "examples/stacks/aws-hardened.json"]);
            assert.strictEqual(text.code, 1);
            assert.match(text.stdout, /^Scanned \d+ resources in 2 stacks\.\n\nStack [^\n]*\/dev \(examples\/stacks\/aws-insecure\.json\): \d+ resources, resource list\n/);
            assert.match(text.stdout, /\nStack [^\n]*\/prod \(examples\/stacks\/aws-hardened\.json\): \d+ resources, resource list\n {2}✅/);
            const xml = scan(["scan", "examples/stacks/aws-insecure.json", "examples/stacks/aws-hardened.json", "--format", "junit"]).stdout;
            assert.strictEqual(XMLValidator.validate(xml), true);
            const suites = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: n => n === "testsuite" }).parse(xml).testsuites.testsuite;
            assert.ok(suites.some((s: any) => /\/dev \(examples\/stacks\/aws-insecure\.json\): aws-lambda-function-url-auth$/.test(s.name) && Number(s.failures) > 0));
            assert.ok(suites.some((s: any) => /\/prod \(examples\/stacks\/aws-hardened\.json\): aws-lambda-function-url-auth$/.test(s.name) && Number(s.failures) === 0));
        });
    });
});
