// The scan command's pure parts: argument parsing, the progress line, text/JSON reports, redaction.
import * as assert from "assert";
import { parseArgs, progressReporter, PROGRESS_THRESHOLD, UsageError } from "../../../runner/cli";
import { detailOf, formatJson, formatText, isCantRun, redactSecrets, summarize } from "../../../runner/report";
import { context, FN, runResult } from "./reportFixture";

describe("scan command line", () => {
    it("takes a file or - and the documented options, as --flag value or --flag=value", () => {
        assert.deepStrictEqual(parseArgs(["scan", "stack.json"]), { command: "scan", file: "stack.json", files: ["stack.json"], format: "text", failOn: "mandatory", color: "auto", tags: {} });
        const a = parseArgs(["scan", "-", "--format", "sarif", "--output=out.sarif", "--fail-on", "advisory", "--policy-pack-config=strict",
            "--stack-tag", "env=prod", "--stack-tag=team=a=b", "--stack", "prod", "--source-root", "infra", "--color", "never"]);
        assert.deepStrictEqual(a, {
            command: "scan", file: "-", files: ["-"], format: "sarif", output: "out.sarif", failOn: "advisory", config: "strict",
            tags: { env: "prod", team: "a=b" }, stack: "prod", sourceRoot: "infra", color: "never",
        });
        assert.deepStrictEqual(parseArgs(["scan", "a.json", "exports/", "--workers", "3"]).files, ["a.json", "exports/"]);
        assert.strictEqual(parseArgs(["scan", "a.json", "--workers=3"]).workers, 3);
        for (const f of ["text", "json", "sarif", "junit", "markdown"]) {
            assert.strictEqual(parseArgs(["scan", "x", "--format", f]).format, f);
        }
        assert.strictEqual(parseArgs(["scan", "--", "-odd-name.json"]).file, "-odd-name.json");
        assert.strictEqual(parseArgs(["--help"]).command, "help");
        assert.strictEqual(parseArgs(["scan", "x", "-h"]).command, "help");
        assert.strictEqual(parseArgs(["--version"]).command, "version");
    });

    it("rejects what it doesn't know with a usage error naming it", () => {
        const cases: [string[], RegExp][] = [
            [[], /missing command/],
            [["check", "x"], /unknown command "check"/],
            [["scan"], /missing input file \(use - for standard input\)/],
            [["scan", "a", "-"], /standard input \(-\) can only be scanned on its own/],
            [["scan", "a", "b", "--stack", "prod"], /--stack names the stack of one input/],
            [["scan", "x", "--workers", "0"], /--workers takes a number of processes from 1 to 256, not "0"/],
            [["scan", "x", "--fromat", "json"], /unknown option --fromat/],
            [["scan", "x", "-f"], /unknown option -f/],
            [["scan", "x", "--format", "xml"], /--format takes text, json, sarif, junit or markdown, not "xml"/],
            [["scan", "x", "--fail-on", "warning"], /--fail-on takes mandatory, advisory or none/],
            [["scan", "x", "--output"], /--output needs a value/],
            [["scan", "x", "--stack-tag", "novalue"], /--stack-tag takes key=value/],
            [["scan", "x", "--color", "sometimes"], /--color takes auto, always or never/],
        ];
        for (const [argv, pattern] of cases) {
            assert.throws(() => parseArgs(argv), (e: unknown) => e instanceof UsageError && pattern.test(e.message), argv.join(" "));
        }
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
    it("group findings by resource, mandatory first, with a summary line", () => {
        const text = formatText(runResult(), { color: false, context: context() });
        const lines = text.split("\n");
        assert.strictEqual(lines[0], "Scanned 4 resources from stacks/dev.json (pulumi stack export).");
        const order = ["aws:lambda/function:Function: api", "aws:lambda/functionUrl:FunctionUrl: api-url", "aws:sqs/queue:Queue: jobs"].map(l => lines.findIndex(x => x.trim() === l));
        assert.ok(order.every(i => i > 0) && order[0] < order[1] && order[1] < order[2], order.join(","));
        // the check that waits for an unknown value is listed apart, not counted as a violation
        assert.match(text, /\n        Waiting for values unknown during preview \(not findings; they run during `pulumi up`\):\n          aws:lambda\/function:Function: api: aws-lambda-function-tracing \(\.tracingConfig\)\n/);
        assert.match(text, /\n2 mandatory and 1 advisory violations on 3 resources\.\n1 check on 1 resource waits for values unknown during preview; it runs with real values during `pulumi up`\.\n$/);
        assert.ok(!text.includes("\u001b["));
        const colored = formatText(runResult(), { color: true });
        assert.match(colored, /\u001b\[31m\[mandatory\]\u001b\[0m/);
        assert.match(formatText(runResult({ diagnostics: [] }), { color: false }), /✅[\s\S]*0 mandatory and 0 advisory violations on 0 resources\./);
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
