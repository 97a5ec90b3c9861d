// Checks that wait for values unknown during preview, or can't decide on known values (audit mode), in
// every report format: apart from findings, counted in the summary, never failures. Both the pack's merged line (one per resource) and the
// SDK's own per-policy line (older versions of the pack, other packs) are understood.
import * as assert from "assert";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { DEFERRED_POLICY, formatDeferred } from "../../../policies/lib/deferred";
import { Diagnostic } from "../../../runner/engine";
import { evaluations, formatJunit } from "../../../runner/junit";
import { formatMarkdown } from "../../../runner/markdown";
import { attributeDeferred, deferredOf, findingsOf, formatJson, formatText, formatTextScan, summarize } from "../../../runner/report";
import { toSarif, toSarifScan } from "../../../runner/sarif";
import { validateSarifSchema } from "../../support/sarif";
import { context, diagnostics, FN, policies, QUEUE, runResult } from "./reportFixture";

/* eslint-disable @typescript-eslint/no-explicit-any */

/** The pack's merged line on the queue (sent with the AnalyzeStack response): two checks wait, one of them mandatory. */
const merged: Diagnostic = {
    policyName: DEFERRED_POLICY, policyPackName: "serverless-guard", policyPackVersion: "0.2.0",
    description: "Lists, once per resource, the checks that wait for values computed by other resources.",
    message: `Lists, once per resource, the checks that wait for values computed by other resources.\n${formatDeferred([
        { policy: "aws-sqs-queue-encryption", properties: ["kmsMasterKeyId", "sqsManagedSseEnabled"] },
        { policy: "stack-function-public-invocation", properties: ["policy"] },
    ])}`,
    enforcementLevel: "advisory", severity: "low", urn: QUEUE, phase: "stack",
};

/** The fixture's findings and legacy line, plus the merged line and the pack's own entry for it. */
function withMerged() {
    const base = runResult();
    return runResult({
        diagnostics: [...diagnostics, merged],
        policies: [...base.policies, { name: DEFERRED_POLICY, displayName: "", description: merged.description, enforcementLevel: "advisory", severity: "low", tags: [], remediationSteps: "" }],
        levels: { ...base.levels, [DEFERRED_POLICY]: "advisory" },
    });
}

describe("deferred checks in scan reports", () => {
    it("splits merged and legacy lines into one check per policy and resource, with the paths and the check's own level", () => {
        const r = withMerged();
        assert.deepStrictEqual(deferredOf(r).map(c => [c.policy, c.urn.split("::").pop(), c.properties.join(","), c.enforcementLevel]), [
            ["aws-lambda-function-tracing", "api", "tracingConfig", "advisory"],
            ["aws-sqs-queue-encryption", "jobs", "kmsMasterKeyId,sqsManagedSseEnabled", "advisory"],
            ["stack-function-public-invocation", "jobs", "policy", "mandatory"],
        ]);
        assert.deepStrictEqual(findingsOf(r).map(d => d.policyName), ["aws-lambda-function-url-auth", "aws-sqs-queue-encryption", "stack-function-public-invocation"]);
        // waiting is not violating: the counts (and so --fail-on) don't change
        assert.deepStrictEqual(summarize(r), { mandatory: 2, advisory: 1, resources: 3, deferred: 3, deferredResources: 2, undecided: 0 });
    });

    it("attributes a stack policy's stack-wide line to the resource its unknown value belongs to", () => {
        const stackWide: Diagnostic = {
            ...diagnostics[2], policyName: "stack-function-logging", urn: "", phase: "stack",
            message: "can't run policy 'stack-function-logging' from policy pack 'serverless-guard@v0.1.0' during preview: string value at .aws:lambda/function:Function::api.loggingConfig.logGroup can't be known during preview",
        };
        const elsewhere: Diagnostic = { ...stackWide, message: stackWide.message.replace("Function::api.", "Function::other.") };
        const r = attributeDeferred(runResult({ diagnostics: [stackWide, elsewhere] }), context().resources);
        assert.deepStrictEqual(deferredOf(r).map(c => [c.policy, c.urn, c.properties.join(",")]), [
            ["stack-function-logging", FN, "loggingConfig.logGroup"],
            ["stack-function-logging", "", "aws:lambda/function:Function::other.loggingConfig.logGroup"],
        ]);
        assert.strictEqual(findingsOf(r).length, 0);
    });

    it("text: a short section of one line per resource and a summary line", () => {
        const text = formatText(withMerged(), { color: false, context: context() });
        assert.match(text, /Waiting for values unknown during preview \(not findings; they run during `pulumi up`\):\n {2}aws:lambda\/function:Function: api: aws-lambda-function-tracing \(\.tracingConfig\)\n {2}aws:sqs\/queue:Queue: jobs: aws-sqs-queue-encryption \(\.kmsMasterKeyId, \.sqsManagedSseEnabled\), stack-function-public-invocation \(\.policy\)\n/);
        assert.doesNotMatch(text, /pack-deferred-checks/);
        assert.match(text, /\n3 checks on 2 resources wait for values unknown during preview; they run with real values during `pulumi up`\.\n$/);
        assert.doesNotMatch(formatText(runResult({ diagnostics: diagnostics.slice(0, 2) }), { color: false }), /wait/);
    });

    it("JSON: its own list with resource, policy and properties; findings without them", () => {
        const json = JSON.parse(formatJson(withMerged(), context()));
        assert.ok(!json.diagnostics.some((d: any) => d.policyName === DEFERRED_POLICY || /can't run/.test(d.message)));
        assert.deepStrictEqual(json.deferred[1], {
            urn: QUEUE, resource: "aws:sqs/queue:Queue: jobs", policy: "aws-sqs-queue-encryption",
            properties: ["kmsMasterKeyId", "sqsManagedSseEnabled"], enforcementLevel: "advisory", phase: "stack",
        });
        assert.strictEqual(json.summary.deferred, 3);
    });

    it("SARIF: an open result (level none) per check under the check's own rule, valid SARIF 2.1.0", () => {
        const log = toSarif(withMerged(), context()) as any;
        assert.deepStrictEqual(validateSarifSchema(log), []);
        const run = log.runs[0];
        assert.ok(!run.tool.driver.rules.some((r: any) => r.id === DEFERRED_POLICY), "the merged line is not a rule");
        const open = run.results.filter((r: any) => r.kind === "open");
        assert.deepStrictEqual(open.map((r: any) => [r.ruleId, r.level, run.tool.driver.rules[r.ruleIndex].id]), [
            ["aws-lambda-function-tracing", "none", "aws-lambda-function-tracing"],
            ["aws-sqs-queue-encryption", "none", "aws-sqs-queue-encryption"],
            ["stack-function-public-invocation", "none", "stack-function-public-invocation"],
        ]);
        assert.deepStrictEqual(open[1].properties.unknownProperties, ["kmsMasterKeyId", "sqsManagedSseEnabled"]);
        assert.strictEqual(open[1].locations[0].logicalLocations[0].fullyQualifiedName, QUEUE);
        assert.strictEqual(run.results.filter((r: any) => r.kind === "fail").length, 3);
        assert.strictEqual(run.properties.deferredChecks, 3);
    });

    it("JUnit: skipped test cases with the reason, no failure and no suite for the merged line", () => {
        const xml = formatJunit(withMerged(), context());
        assert.strictEqual(XMLValidator.validate(xml), true);
        const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: n => ["testsuite", "testcase"].includes(n) }).parse(xml).testsuites;
        assert.ok(!doc.testsuite.some((s: any) => s.name === DEFERRED_POLICY));
        const cases = doc.testsuite.flatMap((s: any) => s.testcase.map((c: any) => ({ suite: s.name, ...c })));
        const skipped = cases.filter((c: any) => c.skipped).map((c: any) => `${c.suite}|${c.name}|${c.skipped.message}`);
        assert.deepStrictEqual(skipped, [
            "aws-lambda-function-tracing|aws:lambda/function:Function: api|not evaluated yet: waits for .tracingConfig, unknown during preview; it runs with real values during `pulumi up`",
            "stack-function-public-invocation|aws:sqs/queue:Queue: jobs|not evaluated yet: waits for .policy, unknown during preview; it runs with real values during `pulumi up`",
        ]);
        // the queue's encryption check waits on one part and failed on another: a failure that says what waits
        const queue = cases.find((c: any) => c.suite === "aws-sqs-queue-encryption");
        assert.ok(queue.failure && !queue.skipped);
        assert.match(queue.failure["#text"], /\[not evaluated\] not evaluated yet: waits for \.kmsMasterKeyId, \.sqsManagedSseEnabled/);
        assert.strictEqual(doc.skipped, "2");

        // a resource policy whose check waits (reported in the AnalyzeStack response) is still evaluated on every resource it applies to
        const worker = { urn: FN.replace("::api", "::worker"), type: "aws:lambda/function:Function", name: "worker", props: {} };
        const timeout = { ...merged, urn: FN, message: `${merged.description}\n${formatDeferred([{ policy: "aws-lambda-function-timeout", properties: ["timeout"] }])}` };
        const pairs = evaluations(runResult({ diagnostics: [timeout] }), [...context().resources, worker]).filter(e => e.policy.name === "aws-lambda-function-timeout");
        assert.deepStrictEqual(pairs.map(e => [e.urn.split("::").pop(), !!e.deferred]), [["api", true], ["worker", false]]);
    });

    it("markdown: collapsed, with the mandatory checks marked", () => {
        const md = formatMarkdown(withMerged(), context());
        assert.match(md, /<details>\n<summary>3 checks on 2 resources wait for values unknown during preview \(not findings; they run with real values during <code>pulumi up<\/code>\)<\/summary>\n\n- aws:lambda\/function:Function: api: aws-lambda-function-tracing \(\.tracingConfig\)\n- aws:sqs\/queue:Queue: jobs: aws-sqs-queue-encryption \(\.kmsMasterKeyId, \.sqsManagedSseEnabled\), stack-function-public-invocation \(\.policy\) \*\*mandatory\*\*\n\n<\/details>/);
    });

    it("audit mode: checks that can't decide on known values say why in every format, never as waiting for `pulumi up`", () => {
        const audit: Diagnostic = {
            ...merged,
            message: `${merged.description}\n${formatDeferred([
                { policy: "stack-function-public-invocation", properties: ["function"], cause: "ambiguous" },
                { policy: "stack-function-logging", properties: ["siteConfig.appSettings"], cause: "unrecorded" },
            ])}`,
        };
        const r = runResult({ diagnostics: [audit] });
        assert.deepStrictEqual(deferredOf(r).map(c => [c.policy, c.cause]), [["stack-function-public-invocation", "ambiguous"], ["stack-function-logging", "unrecorded"]]);
        assert.deepStrictEqual(summarize(r), { mandatory: 0, advisory: 0, resources: 0, deferred: 2, deferredResources: 1, undecided: 2 });

        const text = formatText(r, { color: false, context: context() });
        assert.match(text, /Checks that can't tell which resource a reference means \(not findings; several resources match it and nothing recorded says which\):\n {2}aws:sqs\/queue:Queue: jobs: stack-function-public-invocation \(\.function\)\n/);
        assert.match(text, /Checks that need settings the recorded state doesn't hold \(not findings; the cloud returned none for the resource\):\n {2}aws:sqs\/queue:Queue: jobs: stack-function-logging \(\.siteConfig\.appSettings\)\n/);
        assert.match(text, /\n2 checks on 1 resource can't decide on what the stack records \(which resource a reference means, or settings not recorded\); they neither pass nor fail\.\n$/);

        const json = JSON.parse(formatJson(r, context()));
        assert.deepStrictEqual(json.deferred.map((d: any) => d.cause), ["ambiguous", "unrecorded"]);

        const sarif = (toSarif(r, context()) as any).runs[0].results.filter((x: any) => x.kind === "open");
        assert.strictEqual(sarif[0].message.text, "Not evaluated yet: stack-function-public-invocation can't tell which resource .function means: several resources match and nothing recorded (a dependency, a full ARN or id) says which.");
        assert.deepStrictEqual(sarif.map((x: any) => x.properties.cause), ["ambiguous", "unrecorded"]);

        const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: n => ["testsuite", "testcase"].includes(n) }).parse(formatJunit(r, context())).testsuites;
        const skipped = doc.testsuite.flatMap((s: any) => s.testcase.filter((c: any) => c.skipped).map((c: any) => c.skipped.message));
        assert.deepStrictEqual(skipped.sort(), [
            "not evaluated yet: can't tell which resource .function means: several resources match and nothing recorded (a dependency, a full ARN or id) says which",
            "not evaluated yet: needs .siteConfig.appSettings, which the recorded state doesn't hold",
        ]);

        const md = formatMarkdown(r, context());
        assert.match(md, /<summary>1 check on 1 resource can't tell which resource a reference means \(not findings; several resources match it and nothing recorded says which\)<\/summary>\n\n- aws:sqs\/queue:Queue: jobs: stack-function-public-invocation \(\.function\) \*\*mandatory\*\*\n/);
        assert.match(md, /; 2 checks that can't decide on what the stack records\.\n/);
        for (const out of [text, JSON.stringify(json), JSON.stringify(sarif), JSON.stringify(skipped), md]) {
            assert.doesNotMatch(out, /pulumi up|unknown during preview|[Ww]aiting/);
        }
    });

    it("several stacks: each stack's section and summary, and the total", () => {
        const other = { result: runResult({ diagnostics: [] }), ctx: context({ inputPath: "stacks/prod.json", stack: "prod", project: "shop" }) };
        const text = formatTextScan({ stacks: [{ result: withMerged(), ctx: context({ stack: "dev", project: "shop" }) }, other], failures: [{ input: "broken.json", message: "broken.json can't be read: it is empty." }] }, false);
        assert.match(text, /^Scanned 8 resources in 2 stacks \(1 input could not be scanned\)\.\n\nStack shop\/dev \(stacks\/dev\.json\): 4 resources, pulumi stack export\n/);
        assert.match(text, /\n {2}❌ 2 mandatory and 1 advisory violations on 3 resources\. 3 checks on 2 resources wait/);
        assert.match(text, /\n {2}aws:lambda\/functionUrl:FunctionUrl: api-url {2}\(1 mandatory\)\n {4}mandatory critical aws-lambda-function-url-auth\n {8}- authorizationType/);
        assert.match(text, /\nStack shop\/prod \(stacks\/prod\.json\): 4 resources, pulumi stack export\n {2}✅ 0 mandatory and 0 advisory violations on 0 resources\.\n/);
        assert.match(text, /\nNot scanned broken\.json: broken\.json can't be read: it is empty\.\n/);
        assert.match(text, /\n2 mandatory and 1 advisory violations on 3 resources\.\n(  .*\n){3}3 checks on 2 resources wait/);
        const log = toSarifScan({ stacks: [{ result: withMerged(), ctx: context({ stack: "dev", project: "shop" }) }, other], failures: [{ input: "broken.json", message: "it is empty" }] }, context().tool) as any;
        assert.deepStrictEqual(validateSarifSchema(log), []);
        assert.deepStrictEqual(log.runs.map((r: any) => r.automationDetails.id), ["serverless-guard/shop/dev/", "serverless-guard/shop/prod/", "serverless-guard/failed-input-1/"]);
        assert.deepStrictEqual(log.runs.map((r: any) => r.invocations[0].executionSuccessful), [true, true, false]);
        assert.match(log.runs[2].invocations[0].toolExecutionNotifications[0].message.text, /^broken\.json was not scanned: it is empty\.$/);
        assert.strictEqual(policies.length + 0, log.runs[0].tool.driver.rules.length);
        assert.strictEqual(log.runs[0].results.find((r: any) => r.kind === "open").locations[0].logicalLocations[0].fullyQualifiedName, FN);
    });
});
