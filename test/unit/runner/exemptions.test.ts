// An exempted finding stays visible in every report format, with its reason and expiry: a resource
// policy's (reported by the pack as not applicable) and a stack policy's (an advisory finding marked
// not enforced).
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { XMLParser } from "fast-xml-parser";
import { Diagnostic } from "../../../runner/engine";
import { exemptionsOf } from "../../../runner/exemptions";
import { formatJunit } from "../../../runner/junit";
import { formatJson, formatText } from "../../../runner/report";
import { toSarif } from "../../../runner/sarif";
import { runMultitoolValidate, validateSarifSchema } from "../../support/sarif";
import { context, diag, FN, runResult, URL } from "./reportFixture";

/* eslint-disable @typescript-eslint/no-explicit-any */

const TIMEOUT_REASON = "exempted by exemptions[0] until 2027-06-30: batch job, needs 15 minutes (approved by appsec); finding not enforced: timeout is 900 seconds, above the maximum of 300";
const STACK_EXEMPT = "function `api` is public (not enforced: exempted by tag serverless-guard:exempt:stack-function-public-invocation until 2027-01-31: public webhook).";

function exempted() {
    const base = runResult();
    const notApplicable = [...base.notApplicable, { policyName: "aws-lambda-function-timeout", urn: FN, reason: TIMEOUT_REASON }];
    const stackExempt: Diagnostic = diag("stack-function-public-invocation", URL, "advisory", STACK_EXEMPT, "stack");
    return runResult({ notApplicable, diagnostics: [...base.diagnostics, stackExempt] });
}

describe("exempted findings in every report format", () => {
    it("are read from the pack's not-applicable reasons and not-enforced findings, with the finding they hide", () => {
        assert.deepStrictEqual(exemptionsOf(exempted()).map(e => [e.policy, e.expires, e.source, e.reason, e.finding]), [
            ["aws-lambda-function-timeout", "2027-06-30", "exemptions[0]", "batch job, needs 15 minutes (approved by appsec)", "timeout is 900 seconds, above the maximum of 300"],
            ["stack-function-public-invocation", "2027-01-31", "tag serverless-guard:exempt:stack-function-public-invocation", "public webhook", "function `api` is public"],
        ]);
        assert.deepStrictEqual(exemptionsOf(runResult()), [], "a type filter is not an exemption");
    });

    it("text: a section after the findings and before the summary, soonest expiry first, with reason, expiry and the finding", () => {
        const text = formatText(exempted(), { color: false, context: context() });
        const start = text.indexOf("\nExempted findings");
        assert.ok(start > 0, text);
        const section = text.slice(start, text.indexOf("\n\n", start + 1));
        assert.deepStrictEqual(section.trim().split("\n"), [
            "Exempted findings (not enforced until the exemption expires):",
            "    aws:lambda/functionUrl:FunctionUrl: api-url  stack-function-public-invocation  exempted until 2027-01-31 by tag serverless-guard:exempt:stack-function-public-invocation: public webhook",
            "        finding: function `api` is public",
            "    aws:lambda/function:Function: api  aws-lambda-function-timeout  exempted until 2027-06-30 by exemptions[0]: batch job, needs 15 minutes (approved by appsec)",
            "        finding: timeout is 900 seconds, above the maximum of 300",
        ]);
        assert.ok(text.indexOf("violations on") > start, "the summary stays last");
        assert.doesNotMatch(formatText(exempted(), { color: false, context: context(), quiet: { fails: () => true, failOn: "advisory" } }), /Exempted findings/, "--quiet shows only what fails");
        assert.doesNotMatch(formatText(runResult(), { color: false, context: context() }), /Exempted findings/, "nothing exempted, nothing added");
    });

    it("JSON: an exempted list per stack", () => {
        const json = JSON.parse(formatJson(exempted(), context()));
        assert.deepStrictEqual(json.exempted.map((e: any) => [e.resource, e.policy, e.expires, e.reason, e.exemptedBy]), [
            ["aws:lambda/functionUrl:FunctionUrl: api-url", "stack-function-public-invocation", "2027-01-31", "public webhook", "tag serverless-guard:exempt:stack-function-public-invocation"],
            ["aws:lambda/function:Function: api", "aws-lambda-function-timeout", "2027-06-30", "batch job, needs 15 minutes (approved by appsec)", "exemptions[0]"],
        ]);
        assert.strictEqual(json.exempted[1].urn, FN);
    });

    it("SARIF: suppressed results with the exemption as justification, valid for the schema and the SARIF multitool", function () {
        this.timeout(120000);
        const log: any = toSarif(exempted(), context());
        const suppressed = log.runs[0].results.filter((r: any) => r.suppressions);
        assert.deepStrictEqual(suppressed.map((r: any) => [r.ruleId, r.level, r.message.text, r.suppressions[0].kind, r.suppressions[0].status, r.suppressions[0].justification]), [
            ["stack-function-public-invocation", "warning", "function `api` is public (not enforced: exempted by tag serverless-guard:exempt:stack-function-public-invocation until 2027-01-31: public webhook).", "external", "accepted",
                "public webhook (exempted by tag serverless-guard:exempt:stack-function-public-invocation until 2027-01-31)"],
            ["aws-lambda-function-timeout", "warning", "timeout is 900 seconds, above the maximum of 300.", "external", "accepted", "batch job, needs 15 minutes (approved by appsec) (exempted by exemptions[0] until 2027-06-30)"],
        ]);
        assert.strictEqual(suppressed[1].locations[0].logicalLocations[0].fullyQualifiedName, FN);
        assert.strictEqual(suppressed[1].suppressions[0].properties.expires, "2027-06-30");
        assert.deepStrictEqual(validateSarifSchema(log), []);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "serverless-guard-exempt-sarif-"));
        try {
            const file = path.join(dir, "exempted.sarif");
            fs.writeFileSync(file, JSON.stringify(log));
            const validation = runMultitoolValidate(file);
            assert.strictEqual(validation.exitCode, 0, validation.output);
            assert.deepStrictEqual(validation.problems, [], "SARIF Multitool errors or warnings");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("JUnit: each exempted finding is a skipped test case whose message is the exemption", () => {
        const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(formatJunit(exempted(), context()));
        const suites: any[] = [].concat(xml.testsuites.testsuite);
        const caseOf = (suite: string, name: string) => [].concat(suites.find(s => s.name === suite).testcase).find((c: any) => c.name === name) as any;
        assert.strictEqual(caseOf("aws-lambda-function-timeout", "aws:lambda/function:Function: api").skipped.message,
            "exempted until 2027-06-30 by exemptions[0]: batch job, needs 15 minutes (approved by appsec); finding: timeout is 900 seconds, above the maximum of 300");
        const stack = caseOf("stack-function-public-invocation", "aws:lambda/functionUrl:FunctionUrl: api-url");
        assert.strictEqual(stack.skipped.message, "exempted until 2027-01-31 by tag serverless-guard:exempt:stack-function-public-invocation: public webhook; finding: function `api` is public");
        assert.strictEqual(stack.failure, undefined);
    });
});
