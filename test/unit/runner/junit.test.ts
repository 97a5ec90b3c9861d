// The JUnit writer on a hand-made run: well-formed XML, one case per policy/resource pair evaluated.
import * as assert from "assert";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { evaluations, formatJunit, xmlEscape } from "../../../runner/junit";
import { context, diag, FN, QUEUE, runResult, URL } from "./reportFixture";

/* eslint-disable @typescript-eslint/no-explicit-any */
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: name => ["testsuite", "testcase", "property"].includes(name) });

function parse(xml: string): any {
    assert.strictEqual(XMLValidator.validate(xml), true);
    return parser.parse(xml).testsuites;
}

describe("JUnit writer", () => {
    it("evaluates each enabled policy on each resource it applies to, and stack policies once", () => {
        const pairs = evaluations(runResult(), context().resources).map(e => `${e.policy.name}|${e.urn.split("::").pop()}|${e.diagnostics.length}`);
        assert.deepStrictEqual(pairs, [
            "aws-lambda-function-url-auth|api-url|1",
            "aws-lambda-function-tracing|api|0",
            "aws-sqs-queue-encryption|jobs|1",
            "aws-lambda-function-timeout|api|0",
            "stack-function-public-invocation|api|1",
            "stack-function-logging|shop-dev|0",
        ]);
    });

    it("leaves out disabled policies and stack policies that were not applicable", () => {
        const base = runResult();
        const levels = { ...base.levels, "aws-lambda-function-timeout": "disabled" as const };
        const notApplicable = [...base.notApplicable, { policyName: "stack-function-logging", reason: "no functions", urn: "" }];
        const names = evaluations(runResult({ levels, notApplicable }), context().resources).map(e => e.policy.name);
        assert.ok(!names.includes("aws-lambda-function-timeout"));
        assert.ok(!names.includes("stack-function-logging"));
    });

    it("writes well-formed XML: a suite per policy, a case per pair, failures for violations", () => {
        const xml = formatJunit(runResult(), context());
        const doc = parse(xml);
        assert.strictEqual(doc.name, "serverless-guard");
        assert.deepStrictEqual([doc.tests, doc.failures, doc.errors, doc.skipped], ["6", "3", "0", "1"]);
        const suites = doc.testsuite;
        assert.deepStrictEqual(suites.map((s: any) => s.name), runResult().policies.map(p => p.name));
        const cases = suites.flatMap((s: any) => s.testcase.map((c: any) => ({ suite: s.name, ...c })));
        assert.strictEqual(cases.length, 6);
        for (const s of suites) {
            assert.strictEqual(Number(s.tests), s.testcase.length);
            assert.strictEqual(Number(s.failures), s.testcase.filter((c: any) => c.failure).length);
            assert.strictEqual(s.timestamp, "2026-11-20T10:00:00");
        }
        const auth = cases.find((c: any) => c.suite === "aws-lambda-function-url-auth");
        assert.strictEqual(auth.name, "aws:lambda/functionUrl:FunctionUrl: api-url");
        assert.strictEqual(auth.classname, "serverless-guard.aws-lambda-function-url-auth");
        assert.strictEqual(auth.failure.type, "mandatory");
        assert.strictEqual(auth.failure.message, "authorizationType is \"NONE\": the function URL is public.");
        assert.match(auth.failure["#text"], new RegExp(`Resource: ${URL.replace(/[$]/g, "\\$")}`));
        assert.match(auth.failure["#text"], /Remediation: Fix aws-lambda-function-url-auth\./);
        assert.strictEqual(auth.file, "file:///home/me/shop/url.ts");
        const queue = cases.find((c: any) => c.suite === "aws-sqs-queue-encryption");
        assert.strictEqual(queue.failure.type, "advisory");
        assert.strictEqual(queue.failure.message, "messages are stored <unencrypted> & \"plain\"");
        assert.strictEqual(queue.file, "stacks/dev.json");
        const tracing = cases.find((c: any) => c.suite === "aws-lambda-function-tracing");
        assert.ok(tracing.skipped && !tracing.failure, "a policy that could not run is skipped");
        assert.strictEqual(tracing.file, "index.ts");
        const timeout = cases.find((c: any) => c.suite === "aws-lambda-function-timeout");
        assert.ok(!timeout.failure && !timeout.skipped);
        const logging = cases.find((c: any) => c.suite === "stack-function-logging");
        assert.strictEqual(logging.name, "pulumi:pulumi:Stack: shop-dev");
    });

    it("counts one failure per violation: a pair with several violations gets a numbered case for each", () => {
        const base = runResult();
        const diagnostics = [
            ...base.diagnostics,
            diag("stack-function-public-invocation", FN, "mandatory", "second path: a function URL.", "stack"),
            diag("stack-function-public-invocation", FN, "advisory", "third path: an API route.", "stack"),
        ];
        const doc = parse(formatJunit(runResult({ diagnostics }), context()));
        assert.deepStrictEqual([doc.tests, doc.failures], ["8", "5"]);
        const suite = doc.testsuite.find((s: any) => s.name === "stack-function-public-invocation");
        assert.deepStrictEqual([suite.tests, suite.failures], ["3", "3"]);
        assert.deepStrictEqual(suite.testcase.map((c: any) => [c.name, c.failure.message, c.failure.type]), [
            ["aws:lambda/function:Function: api [1/3]", "function `api` can be invoked without authentication.", "mandatory"],
            ["aws:lambda/function:Function: api [2/3]", "second path: a function URL.", "mandatory"],
            ["aws:lambda/function:Function: api [3/3]", "third path: an API route.", "advisory"],
        ]);
        const violations = diagnostics.filter(d => !/can't run/.test(d.message)).length;
        assert.strictEqual(Number(doc.failures), violations, "as many failures as violations");
    });

    it("names cases by URN when two resources share a type and name", () => {
        const resources = [...context().resources, { urn: "urn:pulumi:dev::shop::my:component:C$aws:sqs/queue:Queue::jobs", type: "aws:sqs/queue:Queue", name: "jobs", props: {} }];
        const doc = parse(formatJunit(runResult(), context({ resources })));
        const names = doc.testsuite.find((s: any) => s.name === "aws-sqs-queue-encryption").testcase.map((c: any) => c.name);
        assert.deepStrictEqual(names, [QUEUE, "urn:pulumi:dev::shop::my:component:C$aws:sqs/queue:Queue::jobs"]);
    });

    it("marks remediated pairs and stays well-formed with any text in messages", () => {
        const base = runResult();
        const nasty = "ends ]]> <tag attr=\"x\"> & 'quote'\u0000\u0007\ud800 tab\tnewline\nemoji 🚀";
        const diagnostics = base.diagnostics.map(d => ({ ...d, message: `${d.description}\n${nasty}` }));
        const remediations = [{ policyName: "aws-lambda-function-timeout", urn: FN, description: "fixed", properties: {} }];
        const xml = formatJunit(runResult({ diagnostics, remediations }), context());
        const doc = parse(xml);
        const timeout = doc.testsuite.find((s: any) => s.name === "aws-lambda-function-timeout").testcase[0];
        assert.match(timeout["system-out"], /remediated by aws-lambda-function-timeout/);
        assert.ok(xml.includes("emoji 🚀"));
        assert.ok(!/[\u0000\u0007]/.test(xml));
        assert.strictEqual(xmlEscape("a<b>&\"'\n", true), "a&lt;b&gt;&amp;&quot;&apos;&#10;");
    });

    it("writes an empty report for an empty stack", () => {
        const doc = parse(formatJunit(runResult({ diagnostics: [], policies: [], notApplicable: [] }), context({ resources: [] })));
        assert.strictEqual(doc.tests, "0");
    });
});
