// The scan command's flags as a user coming from Checkov, Trivy or KICS types them: several reports
// from one scan, --fail-on with a severity, --severity, --quiet, --no-color, -v, help for each command,
// and usage errors that are one line and a pointer to --help. The compiled CLI in a child process.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { REPO } from "../support/pack";
import { validateSarifSchema } from "../support/sarif";

/* eslint-disable @typescript-eslint/no-explicit-any */
const CLI = path.join(REPO, "bin", "runner", "cli.js");
const EXPECTATIONS = path.join(REPO, "test", "protocol", "expectations");
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "serverless-guard-scan-flags-"));
const INSECURE = "examples/stacks/aws-insecure.json";

function cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
    const env = { ...process.env };
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    const res = spawnSync(process.execPath, [CLI, ...args], { cwd: REPO, input: "", encoding: "utf8", env, timeout: 240000, maxBuffer: 64 * 1024 * 1024 });
    return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

describe("scan flags", function () {
    this.timeout(300000);
    after(() => fs.rmSync(TMP, { recursive: true, force: true }));

    /** The JSON report of the insecure example, from the one scan that writes every format. */
    let all: any;

    it("one scan, several reports: text on standard output, the others into -o <dir> or their own file", () => {
        const dir = path.join(TMP, "reports") + path.sep;
        const summary = path.join(TMP, "summary.md");
        const res = cli(["scan", INSECURE, "--format", "text=-", "--format", "sarif,json", "-f", "junit", "-o", dir, "--format", `markdown=${summary}`]);
        assert.strictEqual(res.code, 1, res.stderr);
        assert.strictEqual(res.stdout, fs.readFileSync(path.join(EXPECTATIONS, "text", "aws-insecure.txt"), "utf8"));
        assert.deepStrictEqual(fs.readdirSync(dir).sort(), ["serverless-guard.json", "serverless-guard.sarif", "serverless-guard.xml"]);
        assert.strictEqual(fs.readFileSync(summary, "utf8"), fs.readFileSync(path.join(EXPECTATIONS, "markdown", "aws-insecure.md"), "utf8"));
        assert.match(res.stderr, /^\d+ mandatory and \d+ advisory violations; sarif report written to \S+serverless-guard\.sarif, json report written to \S+serverless-guard\.json, junit report written to \S+serverless-guard\.xml, markdown report written to \S+summary\.md(?:; \d+ checks? on \d+ resources? waits? for values unknown during preview[^\n]*)?\n$/);

        all = JSON.parse(fs.readFileSync(path.join(dir, "serverless-guard.json"), "utf8"));
        const sarif = JSON.parse(fs.readFileSync(path.join(dir, "serverless-guard.sarif"), "utf8"));
        assert.deepStrictEqual(validateSarifSchema(sarif), []);
        assert.strictEqual(sarif.runs[0].results.filter((r: any) => r.kind !== "open").length, all.diagnostics.length, "the same findings in SARIF and JSON");
        const xml = fs.readFileSync(path.join(dir, "serverless-guard.xml"), "utf8");
        assert.strictEqual(XMLValidator.validate(xml), true);
        const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml).testsuites;
        assert.strictEqual(Number(junit.failures), all.diagnostics.length, "JUnit: one failure per violation");
        assert.strictEqual(all.diagnostics.length, all.summary.mandatory + all.summary.advisory);
    });

    it("--fail-on <severity> fails on a finding of that severity or above, whatever its level; --quiet shows only those; --no-color wins over --color", () => {
        // the migration profile makes every policy advisory: nothing is mandatory
        assert.strictEqual(cli(["scan", INSECURE, "--policy-pack-config", "migration", "--format", "json"]).code, 0);
        const res = cli(["scan", INSECURE, "--policy-pack-config", "migration", "--fail-on", "HIGH", "-q", "--color", "always", "--no-color"]);
        assert.strictEqual(res.code, 1, res.stderr);
        assert.strictEqual(res.stderr, "");
        assert.ok(!res.stdout.includes("\u001b["));
        const high = all.diagnostics.filter((d: any) => d.severity === "critical" || d.severity === "high");
        const lines = res.stdout.trimEnd().split("\n");
        assert.strictEqual(lines[lines.length - 1], `${high.length} findings on ${new Set(high.map((d: any) => d.urn)).size} resources fail the scan (--fail-on high); ${all.diagnostics.length - high.length} other findings not shown.`);
        const shown = lines.filter(l => /^ {2}advisory /.test(l));
        assert.ok(shown.length > 0 && shown.every(l => / (critical|high) /.test(l)), shown.join("\n"));
        assert.doesNotMatch(res.stdout, /^Scanned|^What these policies check|^ {2}mandatory /m);
    });

    it("--severity shows and counts only the listed severities in every report, and only they can fail the scan", () => {
        const res = cli(["scan", INSECURE, "--severity", "MEDIUM,low", "--fail-on", "critical", "--format", "json"]);
        assert.strictEqual(res.code, 0, "no critical finding is left to fail the scan");
        const kept = JSON.parse(res.stdout);
        const expected = all.diagnostics.filter((d: any) => d.severity === "medium" || d.severity === "low");
        assert.ok(expected.length > 0);
        assert.deepStrictEqual(kept.diagnostics.map((d: any) => `${d.policyName}|${d.urn}|${d.message}`), expected.map((d: any) => `${d.policyName}|${d.urn}|${d.message}`));
        assert.strictEqual(kept.summary.mandatory + kept.summary.advisory, expected.length);
    });

    it("-v and --version print the version; --help of each command shows its options", () => {
        const version = `serverless-guard ${JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version}\n`;
        for (const argv of [["-v"], ["--version"], ["scan", "x.json", "-v"]]) {
            assert.deepStrictEqual(cli(argv), { code: 0, stdout: version, stderr: "" }, argv.join(" "));
        }
        const top = cli(["--help"]);
        assert.match(top.stdout, /^usage: serverless-guard scan/);
        assert.match(top.stdout, /\nother commands:\n {2}validate-config .*\n {2}profile .*\n {2}ratchet /);
        const scanHelp = cli(["scan", "--help"]).stdout;
        for (const flag of ["--format <format>[=<file>]", "-o, --output <file|dir>", "--severity <list>", "--quiet, -q", "--compact", "--verbose", "--no-color", "--fail-on <conditions>", "-v, --version"]) {
            assert.ok(scanHelp.includes(flag), flag);
        }
        assert.doesNotMatch(scanHelp, /usage: serverless-guard (profile|ratchet)/);
        assert.match(cli(["profile", "--help"]).stdout, /^usage: serverless-guard profile --mandatory-at/);
        assert.match(cli(["ratchet", "-h"]).stdout, /^usage: serverless-guard ratchet <file\|dir\|-> \[<file\|dir> \.\.\.\] --until/);
        assert.match(cli(["validate-config", "--help"]).stdout, /^usage: serverless-guard validate-config <file\|profile\|->/);
    });

    describe("a usage error is one line and a pointer to --help, exit 2, nothing on standard output", () => {
        const cases: [string[], string, string][] = [
            [[], "missing command (commands: scan, validate-config, profile, ratchet)", "serverless-guard --help' for usage"],
            [["check"], "unknown command \"check\" (commands: scan, validate-config, profile, ratchet)", "serverless-guard --help' for usage"],
            [["scan"], "missing input file (use - for standard input)", "serverless-guard scan --help' for its options"],
            [["scan", INSECURE, "--fail-on", "warning"], "--fail-on takes a level (mandatory, advisory, none) or a severity (critical, high, medium, low), not \"warning\"", "serverless-guard scan --help' for its options"],
            [["scan", INSECURE, "--severity", "urgent"], "--severity takes critical, high, medium or low (comma-separated, any case), not \"urgent\"", "serverless-guard scan --help' for its options"],
            [["scan", INSECURE, "--format", "json", "--format", "sarif"], "--format json and --format sarif would all write to standard output: give each its own file (--format sarif=<file>) or a directory with -o <dir>", "serverless-guard scan --help' for its options"],
            [["profile", "--mandatory-at", "high"], "--advisory-at is required (low, medium, high, critical)", "serverless-guard profile --help' for its options"],
            [["profile", "--mandatory-at", "high", "--advisory-at", "medium", "--bogus"], "unknown option --bogus (options: --mandatory-at, --advisory-at, --exemptions, --set, --output)", "serverless-guard profile --help' for its options"],
            [["ratchet", INSECURE], "--until takes the last day the exemptions apply, as YYYY-MM-DD", "serverless-guard ratchet --help' for its options"],
        ];
        for (const [argv, message, pointer] of cases) {
            it(`${argv.join(" ") || "(nothing)"}`, () => {
                const res = cli(argv);
                assert.strictEqual(res.code, 2, res.stderr);
                assert.strictEqual(res.stdout, "");
                assert.strictEqual(res.stderr, `error: ${message}\nRun '${pointer}.\n`);
            });
        }
    });

    it("profile --mandatory-at high --advisory-at medium keeps pack-deferred-checks advisory, and says so", () => {
        const out = path.join(TMP, "profile.json");
        const res = cli(["profile", "--mandatory-at", "high", "--advisory-at", "medium", "-o", out]);
        assert.strictEqual(res.code, 0, res.stderr);
        const profile = JSON.parse(fs.readFileSync(out, "utf8"));
        assert.strictEqual(profile["pack-deferred-checks"], "advisory");
        assert.strictEqual(profile["aws-lambda-function-tracing"], "disabled", "a low-severity policy is disabled below the advisory threshold");
        assert.match(res.stderr, /^profile with \d+ policies \(\d+ mandatory, \d+ advisory, \d+ disabled; pack-deferred-checks stays advisory: it has no severity of its own\); written to /);
    });
});
