// The Markdown report on hand-made runs: counts, grouping, escaping, exemptions, secrets and size.
import * as assert from "assert";
import { Diagnostic, EngineResource } from "../../../runner/engine";
import { COLLAPSE_AT, escapeMarkdown, formatMarkdown, formatMarkdownScan, MAX_CHARS } from "../../../runner/markdown";
import { exemptionsOf } from "../../../runner/exemptions";
import { context, diag, FN, QUEUE, runResult, URL } from "./reportFixture";

describe("Markdown report", () => {
    it("counts by level and severity, then findings by resource, mandatory first, with the remediation once per policy", () => {
        const md = formatMarkdown(runResult(), context());
        assert.match(md, /^## serverless-guard policy report\n\n🔴 \*\*2 mandatory\*\* and \*\*1 advisory\*\* violations on 3 resources; 1 check waiting for values unknown during preview\.\n\nScanned 4 resources from stacks\/dev\.json \(pulumi stack export\)\.\n/);
        assert.match(md, /\| Severity \| Mandatory \| Advisory \|\n\|---\|---:\|---:\|\n\| critical \| 1 \| 0 \|\n\| high \| 1 \| 0 \|\n\| medium \| 0 \| 1 \|\n\| low \| 0 \| 0 \|\n\| \*\*total\*\* \| \*\*2\*\* \| \*\*1\*\* \|/);
        const order = ["**aws:lambda/functionUrl:FunctionUrl: api-url**", "**aws:lambda/function:Function: api**", "**aws:sqs/queue:Queue: jobs**"].map(h => md.indexOf(h));
        assert.ok(order.every(i => i > 0) && order[0] < order[1] && order[1] < order[2], order.join(","));
        assert.match(md, /- \*\*mandatory\*\* · critical · `aws-lambda-function-url-auth`: authorizationType is "NONE": the function URL is public\.\n {2}<br>Remediation: Fix aws-lambda-function-url-auth\.\n/);
        const twice = runResult({ diagnostics: [diag("aws-sqs-queue-encryption", QUEUE, "advisory", "first"), diag("aws-sqs-queue-encryption", QUEUE, "advisory", "second")] });
        assert.strictEqual(formatMarkdown(twice, context()).split("Remediation: Fix aws-sqs-queue-encryption.").length, 2);
    });

    it("escapes run text so that a property value can't add HTML, links, tables, emphasis or mentions", () => {
        const nasty = "x | y </details><img src=x onerror=alert(1)> [click](https://evil.example) **bold** @org/team #12 `code`\n| a | b |\n# heading";
        const md = formatMarkdown(runResult({ diagnostics: [diag("aws-sqs-queue-encryption", QUEUE, "advisory", nasty)] }), context());
        const line = md.split("\n").find(l => l.includes("aws-sqs-queue-encryption`:"))!;
        assert.strictEqual(line, "- **advisory** · medium · `aws-sqs-queue-encryption`: x \\| y &lt;/details&gt;&lt;img src=x onerror=alert(1)&gt; \\[click\\](https://evil.example) \\*\\*bold\\*\\* &#64;org/team &#35;12 \\`code\\` \\| a \\| b \\| &#35; heading");
        assert.ok(!/<img|<\/details><img|^# heading/m.test(md));
        assert.strictEqual(escapeMarkdown("a_b*c~d\\e"), "a\\_b\\*c\\~d\\\\e");
    });

    it("lists exemptions with their expiry, from not-applicable answers and from not-enforced stack findings", () => {
        const base = runResult();
        const notApplicable = [...base.notApplicable, {
            policyName: "aws-lambda-function-timeout", urn: FN,
            reason: "exempted by exemptions[0] until 2027-06-30: batch job, needs 15 minutes (approved by appsec); finding not enforced: timeout is 900 s",
        }];
        const stackExempt: Diagnostic = diag("stack-function-public-invocation", URL, "advisory", "function `api` is public (not enforced: exempted by tag serverless-guard:exempt:stack-function-public-invocation until 2027-01-31: public webhook).", "stack");
        const result = runResult({ notApplicable, diagnostics: [...base.diagnostics, stackExempt] });
        assert.deepStrictEqual(exemptionsOf(result).map(e => [e.policy, e.expires, e.reason, e.source]), [
            ["aws-lambda-function-timeout", "2027-06-30", "batch job, needs 15 minutes (approved by appsec)", "exemptions[0]"],
            ["stack-function-public-invocation", "2027-01-31", "public webhook", "tag serverless-guard:exempt:stack-function-public-invocation"],
        ]);
        const md = formatMarkdown(result, context());
        assert.match(md, /<summary>2 findings not enforced: exempted until a date<\/summary>\n\n\| Resource \| Policy \| Expires \| Reason \| Exempted by \|\n\|---\|---\|---\|---\|---\|\n\| aws:lambda\/functionUrl:FunctionUrl: api-url \| stack-function-public-invocation \| 2027-01-31 \| public webhook \|/);
        assert.match(md, /\| aws:lambda\/function:Function: api \| aws-lambda-function-timeout \| 2027-06-30 \| batch job, needs 15 minutes \(approved by appsec\) \| exemptions\\\[0\\\] \|/);
    });

    it("replaces the input's secret values wherever they appear", () => {
        const secret = "s3cr3t-Value-9f2c";
        const leaky = diag("aws-sqs-queue-encryption", QUEUE, "advisory", `key is ${secret}`);
        const md = formatMarkdown(runResult({ diagnostics: [leaky] }), context(), { secrets: [secret] });
        assert.ok(!md.includes(secret));
        assert.match(md, /key is \\\[secret\\\]|key is \S*secret\S*/i);
    });

    it("stays readable and within GitHub's comment limit at 600 findings: frequent policies collapse", () => {
        const resources: EngineResource[] = Array.from({ length: 300 }, (_, i) => ({ urn: `urn:pulumi:dev::shop::aws:sqs/queue:Queue::q${i}`, type: "aws:sqs/queue:Queue", name: `q${i}`, props: {} }));
        const diagnostics: Diagnostic[] = resources.flatMap(r => [
            diag("aws-sqs-queue-encryption", r.urn, "advisory", `queue ${r.name} stores messages unencrypted: ${"x".repeat(120)}`),
            diag("aws-lambda-function-url-auth", r.urn, "mandatory", `url ${r.name} is public`),
        ]);
        diagnostics.push(diag("aws-lambda-function-timeout", FN, "advisory", "timeout is 900 s"));
        const md = formatMarkdown(runResult({ diagnostics }), context({ resources: [...context().resources, ...resources] }));
        assert.ok(md.length < MAX_CHARS, `${md.length} characters`);
        assert.match(md, /🔴 \*\*300 mandatory\*\* and \*\*301 advisory\*\* violations on 301 resources\./);
        // the rare finding keeps its place under its resource; the two frequent policies are one collapsed block each
        assert.match(md, /\*\*aws:lambda\/function:Function: api\*\*\n\n- \*\*advisory\*\* · low · `aws-lambda-function-timeout`: timeout is 900 s/);
        assert.strictEqual((md.match(/<details>/g) ?? []).length, 2);
        assert.match(md, /<summary><b>mandatory<\/b> · critical · <code>aws-lambda-function-url-auth<\/code>: 300 resources<\/summary>/);
        assert.match(md, /- _and 260 more_/);
        assert.strictEqual((md.match(/<details>/g) ?? []).length, (md.match(/<\/details>/g) ?? []).length);
        assert.ok(300 > COLLAPSE_AT);
    });

    it("several stacks: a table of stacks, then a section per stack; inputs that failed are named", () => {
        const md = formatMarkdownScan({
            stacks: [
                { result: runResult(), ctx: context({ stack: "dev", project: "shop" }) },
                { result: runResult({ diagnostics: [] }), ctx: context({ stack: "prod", project: "shop", inputPath: "stacks/prod.json" }) },
            ],
            failures: [{ input: "stacks/broken.json", message: "stacks/broken.json can't be read: it is empty." }],
        }, context().tool);
        assert.match(md, /\| Stack \| Resources \| Mandatory \| Advisory \| Not decided \|\n\|---\|---:\|---:\|---:\|---:\|\n\| 🔴 shop\/dev \(stacks\/dev\.json\) \| 4 \| 2 \| 1 \| 1 \|\n\| 🟢 shop\/prod \(stacks\/prod\.json\) \| 4 \| 0 \| 0 \| 0 \|\n\| ⚠️ stacks\/broken\.json \| not scanned: stacks\/broken\.json can't be read: it is empty\. \| \| \| \|\n/);
        assert.match(md, /\n### 🔴 shop\/dev \(stacks\/dev\.json\)\n\n/);
        assert.match(md, /\n### 🟢 shop\/prod \(stacks\/prod\.json\)\n\n🟢 \*\*0 mandatory\*\* and \*\*0 advisory\*\* violations on 0 resources\./);
        assert.match(md, /\n#### Findings by resource\n/);
    });
});
