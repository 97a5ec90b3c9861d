// What --severity keeps and what --fail-on fails, on hand-made runs.
import * as assert from "assert";
import { DEFERRED_POLICY, formatDeferred } from "../../../policies/lib/deferred";
import { Diagnostic } from "../../../runner/engine";
import { describeFailOn, FailCondition, failsScan, filterBySeverity, isExemptedFinding } from "../../../runner/filters";
import { formatJunit } from "../../../runner/junit";
import { deferredOf, findingsOf, formatJson, summarize } from "../../../runner/report";
import { toSarif } from "../../../runner/sarif";
import { context, diag, FN, QUEUE, runResult, URL } from "./reportFixture";

const critical = diag("aws-lambda-function-url-auth", URL, "mandatory", "public");
const highStack = diag("stack-function-public-invocation", FN, "mandatory", "invocable", "stack");
const mediumAdvisory = diag("aws-sqs-queue-encryption", QUEUE, "advisory", "unencrypted");
const lowAdvisory = diag("aws-lambda-function-timeout", FN, "advisory", "900 s");
const criticalAdvisory: Diagnostic = { ...critical, enforcementLevel: "advisory" };
const mediumMandatory: Diagnostic = { ...mediumAdvisory, enforcementLevel: "mandatory" };
const exempted = diag("stack-function-public-invocation", URL, "advisory", "function `api` is public (not enforced: exempted by tag x until 2027-01-31: public webhook).", "stack");

describe("--fail-on", () => {
    const fails = (d: Diagnostic, ...c: FailCondition[]) => failsScan(d, c);

    it("mandatory: mandatory findings (remediate that couldn't fix counts as mandatory); advisory: any finding", () => {
        assert.deepStrictEqual([critical, mediumMandatory, { ...lowAdvisory, enforcementLevel: "remediate" as const }, mediumAdvisory].map(d => fails(d, "mandatory")), [true, true, true, false]);
        assert.deepStrictEqual([critical, mediumAdvisory, lowAdvisory].map(d => fails(d, "advisory")), [true, true, true]);
    });

    it("a severity: findings of it or above, whatever their level", () => {
        assert.deepStrictEqual([critical, criticalAdvisory, highStack, mediumMandatory, lowAdvisory].map(d => fails(d, "high")), [true, true, true, false, false]);
        assert.deepStrictEqual([critical, highStack, mediumAdvisory, lowAdvisory].map(d => fails(d, "low")), [true, true, true, true]);
        assert.deepStrictEqual([critical, highStack].map(d => fails(d, "critical")), [true, false]);
        assert.strictEqual(fails({ ...mediumAdvisory, severity: undefined }, "low"), false, "a finding without a severity meets no severity");
    });

    it("several conditions: any of them; none: nothing fails", () => {
        assert.strictEqual(fails(mediumMandatory, "mandatory", "high"), true);
        assert.strictEqual(fails(criticalAdvisory, "mandatory", "high"), true);
        assert.strictEqual(fails(mediumAdvisory, "mandatory", "high"), false);
        assert.strictEqual(fails(critical), false);
        assert.strictEqual(describeFailOn(["mandatory", "high"]), "--fail-on mandatory,high");
        assert.strictEqual(describeFailOn([]), "--fail-on none");
    });

    it("an exempted finding fails nothing, whatever the condition", () => {
        assert.ok(isExemptedFinding(exempted) && !isExemptedFinding(highStack));
        assert.deepStrictEqual((["advisory", "mandatory", "low"] as FailCondition[]).map(c => fails(exempted, c)), [false, false, false]);
    });
});

describe("--severity", () => {
    const merged: Diagnostic = {
        ...diag("aws-sqs-queue-encryption", QUEUE, "advisory", ""),
        policyName: DEFERRED_POLICY, severity: "low", description: "Lists checks.",
        message: `Lists checks.\n${formatDeferred([
            { policy: "aws-sqs-queue-encryption", properties: ["kmsMasterKeyId"] },
            { policy: "stack-function-public-invocation", properties: ["policy"] },
        ])}`,
    };
    const run = runResult({ diagnostics: [critical, highStack, mediumAdvisory, lowAdvisory, merged] });

    it("keeps the findings of the listed severities, and the counts follow", () => {
        const kept = filterBySeverity(run, new Set(["critical", "high"]));
        assert.deepStrictEqual(findingsOf(kept).map(d => d.policyName), ["aws-lambda-function-url-auth", "stack-function-public-invocation"]);
        assert.deepStrictEqual(summarize(kept), { mandatory: 2, advisory: 0, resources: 2, deferred: 1, deferredResources: 1, undecided: 0 });
        assert.deepStrictEqual(findingsOf(filterBySeverity(run, new Set(["low"]))).map(d => d.policyName), ["aws-lambda-function-timeout"]);
    });

    it("keeps only the listed severities' checks in the pack's line of checks that can't decide yet", () => {
        const kept = filterBySeverity(run, new Set(["high"]));
        assert.deepStrictEqual(deferredOf(kept).map(c => c.policy), ["stack-function-public-invocation"]);
        assert.ok(kept.diagnostics.find(d => d.policyName === DEFERRED_POLICY)!.message.startsWith("Lists checks.\n"));
        assert.deepStrictEqual(deferredOf(filterBySeverity(run, new Set(["critical"]))), [], "a line with no check left is dropped");
        assert.deepStrictEqual(deferredOf(filterBySeverity(run, new Set(["medium", "high"]))).map(c => c.policy), ["aws-sqs-queue-encryption", "stack-function-public-invocation"]);
    });

    it("every report shows the same selection: JSON, SARIF rules, JUnit suites", () => {
        const kept = filterBySeverity(run, new Set(["critical"]));
        const json = JSON.parse(formatJson(kept, context()));
        assert.deepStrictEqual(json.diagnostics.map((d: Diagnostic) => d.policyName), ["aws-lambda-function-url-auth"]);
        const sarif = toSarif(kept, context()) as { runs: { tool: { driver: { rules: { id: string }[] } } }[] };
        assert.deepStrictEqual(sarif.runs[0].tool.driver.rules.map(r => r.id), ["aws-lambda-function-url-auth"]);
        assert.doesNotMatch(formatJunit(kept, context()), /aws-sqs-queue-encryption|aws-lambda-function-timeout/);
    });
});
