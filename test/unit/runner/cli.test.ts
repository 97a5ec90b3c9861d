// The scan command's pure parts: argument parsing, the progress line, text/JSON reports, redaction.
import * as assert from "assert";
import * as path from "path";
import { parseArgs, progressReporter, PROGRESS_THRESHOLD, resolveTargets, UsageError, usageErrorText } from "../../../runner/cli";
import { detailOf, formatJson, formatText, isCantRun, redactSecrets, summarize } from "../../../runner/report";
import { Diagnostic } from "../../../runner/engine";
import { context, diag, FN, QUEUE, runResult, URL } from "./reportFixture";

describe("scan command line", () => {
    it("takes a file or - and the documented options, as --flag value or --flag=value", () => {
        assert.deepStrictEqual(parseArgs(["scan", "stack.json"]), {
            command: "scan", file: "stack.json", files: ["stack.json"], reports: [{ format: "text" }], failOn: ["mandatory"], quiet: false, detail: "normal", color: "auto", tags: {},
        });
        const a = parseArgs(["scan", "-", "--format", "sarif", "--output=out.sarif", "--fail-on", "advisory", "--policy-pack-config=strict",
            "--stack-tag", "env=prod", "--stack-tag=team=a=b", "--stack", "prod", "--source-root", "infra", "--color", "never"]);
        assert.deepStrictEqual(a, {
            command: "scan", file: "-", files: ["-"], reports: [{ format: "sarif", path: "out.sarif" }], failOn: ["advisory"], config: "strict", quiet: false, detail: "normal",
            tags: { env: "prod", team: "a=b" }, stack: "prod", sourceRoot: "infra", color: "never",
        });
        assert.deepStrictEqual(parseArgs(["scan", "a.json", "exports/", "--workers", "3"]).files, ["a.json", "exports/"]);
        assert.strictEqual(parseArgs(["scan", "a.json", "--workers=3"]).workers, 3);
        for (const f of ["text", "json", "sarif", "junit", "markdown"]) {
            assert.deepStrictEqual(parseArgs(["scan", "x", "--format", f]).reports, [{ format: f }]);
        }
        assert.strictEqual(parseArgs(["scan", "--", "-odd-name.json"]).file, "-odd-name.json");
        assert.strictEqual(parseArgs(["--help"]).command, "help");
        assert.strictEqual(parseArgs(["scan", "x", "-h"]).topic, "scan");
        assert.strictEqual(parseArgs(["--version"]).command, "version");
        assert.strictEqual(parseArgs(["-v"]).command, "version");
        assert.strictEqual(parseArgs(["scan", "x", "-v"]).command, "version");
    });

    it("short forms and switches people know from Trivy, Checkov and KICS", () => {
        const a = parseArgs(["scan", "x", "-f", "json", "-o", "r.json", "-q", "--compact", "--no-color"]);
        assert.deepStrictEqual([a.reports, a.quiet, a.detail, a.color], [[{ format: "json", path: "r.json" }], true, "compact", "never"]);
        assert.strictEqual(parseArgs(["scan", "x", "--verbose"]).detail, "verbose");
        assert.strictEqual(parseArgs(["scan", "x", "-o=r.txt"]).reports[0].path, "r.txt");
        assert.strictEqual(parseArgs(["scan", "x", "--format", "JSON"]).reports[0].format, "json");
    });

    it("--fail-on takes levels and severities, alone or combined, in any case; none alone", () => {
        assert.deepStrictEqual(parseArgs(["scan", "x", "--fail-on", "high"]).failOn, ["high"]);
        assert.deepStrictEqual(parseArgs(["scan", "x", "--fail-on", "CRITICAL"]).failOn, ["critical"]);
        assert.deepStrictEqual(parseArgs(["scan", "x", "--fail-on=mandatory,high"]).failOn, ["mandatory", "high"]);
        assert.deepStrictEqual(parseArgs(["scan", "x", "--fail-on", "none"]).failOn, []);
        assert.deepStrictEqual(parseArgs(["scan", "x", "--fail-on", "none", "--fail-on", "low"]).failOn, ["low"], "the last --fail-on wins");
    });

    it("--severity lists severities in any case, comma-separated or repeated", () => {
        assert.deepStrictEqual(parseArgs(["scan", "x", "--severity", "HIGH,CRITICAL"]).severities, ["high", "critical"]);
        assert.deepStrictEqual(parseArgs(["scan", "x", "--severity", "high", "--severity=Low"]).severities, ["high", "low"]);
        assert.strictEqual(parseArgs(["scan", "x"]).severities, undefined);
    });

    it("several formats from one scan: each to its own file, into an --output directory, at most one on standard output", () => {
        const dirs = (f: string) => f === "reports";
        assert.deepStrictEqual(resolveTargets([{ format: "sarif" }, { format: "json" }], "reports/", dirs), {
            reports: [{ format: "sarif", path: path.join("reports", "serverless-guard.sarif") }, { format: "json", path: path.join("reports", "serverless-guard.json") }], outputDir: "reports/",
        });
        assert.deepStrictEqual(resolveTargets([{ format: "junit" }], "reports", dirs).reports, [{ format: "junit", path: path.join("reports", "serverless-guard.xml") }], "an existing directory");
        assert.deepStrictEqual(resolveTargets([{ format: "markdown" }], "out/", () => false).reports, [{ format: "markdown", path: path.join("out", "serverless-guard.md") }], "a path ending in /");
        assert.deepStrictEqual(resolveTargets([{ format: "text" }, { format: "sarif", path: "out.sarif" }, { format: "markdown", path: "summary.md" }], undefined).reports,
            [{ format: "text" }, { format: "sarif", path: "out.sarif" }, { format: "markdown", path: "summary.md" }]);
        assert.deepStrictEqual(resolveTargets([{ format: "json", path: "-" }, { format: "sarif" }], "r", dirs).reports, [{ format: "json" }, { format: "sarif", path: path.join("r", "serverless-guard.sarif") }]);
        assert.deepStrictEqual(parseArgs(["scan", "x", "--format", "sarif,json", "-o", "out/"]).reports.map(r => r.format), ["sarif", "json"]);
        assert.deepStrictEqual(parseArgs(["scan", "x", "--format", "sarif=a.sarif", "--format", "text"]).reports, [{ format: "sarif", path: "a.sarif" }, { format: "text" }]);
        assert.strictEqual(parseArgs(["scan", "x", "--format", "sarif", "--format", "json", "-o", "out"]).outputDir, "out");
    });

    it("rejects what it doesn't know with one line naming it, and points to --help", () => {
        const cases: [string[], RegExp, string?][] = [
            [[], /^missing command/],
            [["check", "x"], /^unknown command "check"/],
            [["scan"], /^missing input file \(use - for standard input\)$/, "scan"],
            [["scan", "a", "-"], /standard input \(-\) can only be scanned on its own/, "scan"],
            [["scan", "a", "b", "--stack", "prod"], /--stack names the stack of one input/, "scan"],
            [["scan", "x", "--workers", "0"], /--workers takes a number of processes from 1 to 256, not "0"/, "scan"],
            [["scan", "x", "--fromat", "json"], /^unknown option --fromat$/, "scan"],
            [["scan", "x", "-x"], /^unknown option -x$/, "scan"],
            [["scan", "x", "--format", "xml"], /--format takes text, json, sarif, junit or markdown, not "xml"/, "scan"],
            [["scan", "x", "--format", "sarif="], /--format sarif= needs a file name after =/, "scan"],
            [["scan", "x", "--format", "json", "--format", "sarif"], /--format json and --format sarif would all write to standard output: give each its own file \(--format sarif=<file>\) or a directory with -o <dir>/, "scan"],
            [["scan", "x", "--format", "json=r.json", "--format", "sarif=r.json"], /two reports would be written to r\.json/, "scan"],
            [["scan", "x", "--format", "json=a.json", "-o", "b.json"], /--output b\.json and --format json=a\.json both name the report's file/, "scan"],
            [["scan", "x", "--fail-on", "warning"], /^--fail-on takes a level \(mandatory, advisory, none\) or a severity \(critical, high, medium, low\), not "warning"$/, "scan"],
            [["scan", "x", "--fail-on", "none,high"], /--fail-on none can't be combined/, "scan"],
            [["scan", "x", "--severity", "HIGH,urgent"], /^--severity takes critical, high, medium or low \(comma-separated, any case\), not "urgent"$/, "scan"],
            [["scan", "x", "--severity", ""], /--severity takes/, "scan"],
            [["scan", "x", "--compact", "--verbose"], /--compact and --verbose exclude each other/, "scan"],
            [["scan", "x", "--quiet=yes"], /--quiet takes no value/, "scan"],
            [["scan", "x", "--output"], /--output needs a value/, "scan"],
            [["scan", "x", "-o"], /-o needs a value/, "scan"],
            [["scan", "x", "--stack-tag", "novalue"], /--stack-tag takes key=value/, "scan"],
            [["scan", "x", "--color", "sometimes"], /--color takes auto, always or never/, "scan"],
        ];
        for (const [argv, pattern, command] of cases) {
            assert.throws(() => parseArgs(argv), (e: unknown) => e instanceof UsageError && pattern.test(e.message) && !e.message.includes("\n") && e.command === command, argv.join(" "));
        }
        assert.strictEqual(usageErrorText("unknown option --fromat", "scan"), "error: unknown option --fromat\nRun 'serverless-guard scan --help' for its options.\n");
        assert.strictEqual(usageErrorText("missing command"), "error: missing command\nRun 'serverless-guard --help' for usage.\n");
    });

    it("draws progress on a terminal only for large inputs, and clears it at the end", () => {
        const written: string[] = [];
        const tty = { isTTY: true, write: (s: string) => written.push(s) };
        assert.strictEqual(progressReporter(tty, PROGRESS_THRESHOLD - 1), undefined);
        let now = 0;
        const report = progressReporter(tty, 400, () => now)!;
        for (let done = 1; done <= 400; done++) {
            now += 1;
            report(done, 400);
        }
        assert.ok(written.length >= 3 && written.length < 10, `${written.length} redraws`);
        assert.match(written[1], /^\r\u001b\[Kanalyzing resources: \d+\/400 \(\d+%\)$/);
        assert.strictEqual(written[written.length - 1], "\r\u001b[K");
    });

    it("prints a progress line every interval when standard error is not a terminal (a CI log), and a last one", () => {
        const lines: string[] = [];
        let now = 0;
        const report = progressReporter({ isTTY: false, write: (s: string) => lines.push(s) }, 50000, () => now, "analyzing resources", PROGRESS_THRESHOLD, 10000)!;
        for (let done = 1; done <= 50000; done++) {
            now += 1; // 50 s in all
            report(done, 50000);
        }
        assert.deepStrictEqual(lines, [
            "analyzing resources: 10000/50000 (20%)\n", "analyzing resources: 20000/50000 (40%)\n", "analyzing resources: 30000/50000 (60%)\n",
            "analyzing resources: 40000/50000 (80%)\n", "analyzing resources: 50000/50000 (100%)\n",
        ]);
        const quick: string[] = [];
        const fast = progressReporter({ isTTY: false, write: (s: string) => quick.push(s) }, 1000, () => 0)!;
        for (let done = 1; done <= 1000; done++) {
            fast(done, 1000);
        }
        assert.deepStrictEqual(quick, [], "a scan shorter than the interval prints nothing");
        assert.strictEqual(progressReporter({ isTTY: false, write: () => assert.fail("no output") }, PROGRESS_THRESHOLD - 1), undefined);
    });
});

describe("text and JSON reports", () => {
    it("group findings by resource and policy, worst first; each policy's description and remediation once; a summary by level and severity", () => {
        const text = formatText(runResult(), { color: false, context: context() });
        const lines = text.split("\n");
        assert.strictEqual(lines[0], "Scanned 4 resources from stacks/dev.json (pulumi stack export).");
        const order = ["aws:lambda/functionUrl:FunctionUrl: api-url  (1 mandatory)", "aws:lambda/function:Function: api  (1 mandatory)", "aws:sqs/queue:Queue: jobs  (1 advisory)"].map(l => lines.indexOf(l));
        assert.ok(order.every(i => i > 0) && order[0] < order[1] && order[1] < order[2], order.join(","));
        assert.match(text, /\naws:lambda\/functionUrl:FunctionUrl: api-url {2}\(1 mandatory\)\n {2}mandatory critical aws-lambda-function-url-auth\n {6}- authorizationType is "NONE": the function URL is public\.\n\n/);
        // the check that waits for an unknown value is listed apart, not counted as a violation
        assert.match(text, /\nWaiting for values unknown during preview \(not findings; they run during `pulumi up`\):\n {2}aws:lambda\/function:Function: api: aws-lambda-function-tracing \(\.tracingConfig\)\n/);
        assert.match(text, /\nWhat these policies check, and how to fix their findings:\n {2}aws-lambda-function-url-auth: aws-lambda-function-url-auth description\.\n {6}Fix: Fix aws-lambda-function-url-auth\.\n {2}stack-function-public-invocation: /);
        assert.strictEqual(text.split("aws-sqs-queue-encryption description.").length, 2, "a description once");
        assert.ok(text.endsWith([
            "2 mandatory and 1 advisory violations on 3 resources.",
            "             critical  high  medium  low",
            "  mandatory         1     1       0    0",
            "  advisory          0     0       1    0",
            "1 check on 1 resource waits for values unknown during preview; it runs with real values during `pulumi up`.",
            "",
        ].join("\n")), text);
        assert.ok(!text.includes("\u001b["));
        const colored = formatText(runResult(), { color: true });
        assert.match(colored, /\u001b\[31mmandatory\u001b\[0m critical aws-lambda-function-url-auth/);
        assert.strictEqual(formatText(runResult({ diagnostics: [] }), { color: false, context: context() }), "Scanned 4 resources from stacks/dev.json (pulumi stack export).\n\n0 mandatory and 0 advisory violations on 0 resources.\n");
    });

    it("one heading per policy on a resource, with each of its findings under it", () => {
        const twice = runResult({ diagnostics: [diag("aws-sqs-queue-encryption", QUEUE, "advisory", "first"), diag("aws-sqs-queue-encryption", QUEUE, "advisory", "second\nline two")] });
        const text = formatText(twice, { color: false });
        assert.match(text, /^aws:sqs\/queue:Queue: jobs {2}\(2 advisory\)\n {2}advisory {2}medium {3}aws-sqs-queue-encryption\n {6}- first\n {6}- second\n {8}line two\n\n/);
    });

    it("--compact: one line per finding, no descriptions or remediation", () => {
        const text = formatText(runResult(), { color: false, context: context(), detail: "compact" });
        assert.match(text, /\naws:lambda\/functionUrl:FunctionUrl: api-url {2}\(1 mandatory\)\n {2}mandatory critical aws-lambda-function-url-auth: authorizationType is "NONE": the function URL is public\.\n\n/);
        assert.doesNotMatch(text, /description\.|Fix:|What these policies check/);
        assert.match(text, /\n2 mandatory and 1 advisory violations on 3 resources\.\n/);
    });

    it("--verbose: the description and remediation under each policy, on every resource", () => {
        const both = runResult({ diagnostics: [diag("aws-sqs-queue-encryption", QUEUE, "advisory", "first"), diag("aws-sqs-queue-encryption", URL, "advisory", "second")] });
        const text = formatText(both, { color: false, detail: "verbose" });
        assert.strictEqual(text.split("      aws-sqs-queue-encryption description.\n").length, 3);
        assert.match(text, /aws-sqs-queue-encryption\n {6}aws-sqs-queue-encryption description\.\n {6}- first\n {6}Fix: Fix aws-sqs-queue-encryption\.\n/);
        assert.doesNotMatch(text, /What these policies check/);
    });

    it("--quiet: only the findings that fail the scan, and one line", () => {
        const quiet = { fails: (d: Diagnostic) => d.enforcementLevel === "mandatory", failOn: "--fail-on mandatory" };
        const text = formatText(runResult(), { color: false, context: context(), quiet });
        assert.doesNotMatch(text, /Scanned|jobs|Waiting|What these policies/);
        assert.match(text, /^aws:lambda\/functionUrl:FunctionUrl: api-url/);
        assert.ok(text.endsWith("\n\n2 findings on 2 resources fail the scan (--fail-on mandatory); 1 other finding not shown.\n"), text);
        const none = formatText(runResult(), { color: false, quiet: { fails: () => false, failOn: "--fail-on none" } });
        assert.strictEqual(none, "No finding fails the scan (--fail-on none); 3 other findings not shown.\n");
    });

    it("JSON carries the pack, input, summary and diagnostics", () => {
        const json = JSON.parse(formatJson(runResult(), context()));
        assert.deepStrictEqual(json.summary, summarize(runResult()));
        assert.deepStrictEqual(json.input, { file: "stacks/dev.json", format: "stack-export", resources: 4 });
        assert.strictEqual(json.diagnostics.length, 3);
        assert.deepStrictEqual(json.deferred, [{ urn: FN, resource: "aws:lambda/function:Function: api", policy: "aws-lambda-function-tracing", properties: ["tracingConfig"], enforcementLevel: "advisory", phase: "resource" }]);
        assert.deepStrictEqual(json.summary, { mandatory: 2, advisory: 1, resources: 3, deferred: 1, deferredResources: 1, undecided: 0 });
    });

    it("helpers: the finding without its description prefix, and can't-run detection", () => {
        const [auth, , tracing] = runResult().diagnostics;
        assert.strictEqual(detailOf(auth), "authorizationType is \"NONE\": the function URL is public.");
        assert.ok(isCantRun(tracing) && !isCantRun(auth));
    });

    it("redaction removes secret strings from every finding and drops remediated values", () => {
        const r = runResult();
        const leaked = { ...r.diagnostics[0], message: `${r.diagnostics[0].description}\nvalue is hunter2-prod-pw`, description: "hunter2-prod-pw" };
        const remediations = [{ policyName: "p", urn: "u", description: "set to hunter2-prod-pw", properties: { password: "hunter2-prod-pw" }, diagnostic: "hunter2-prod-pw" }];
        const clean = redactSecrets(runResult({ diagnostics: [leaked], remediations }), ["hunter2-prod-pw"]);
        assert.ok(!JSON.stringify(clean).includes("hunter2-prod-pw"));
        assert.match(clean.diagnostics[0].message, /value is \[secret\]/);
        assert.deepStrictEqual(clean.remediations[0].properties, {});
    });
});
