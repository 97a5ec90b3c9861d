// The SARIF writer on a hand-made run: schema validity, rules, results, locations, fingerprints.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseInput } from "../../../runner/inputs";
import { locateResources, parseSourcePosition } from "../../../runner/locations";
import { FINGERPRINT_KEY, fingerprint, ruleName, SECURITY_SEVERITY, toSarif } from "../../../runner/sarif";
import { validateSarifSchema } from "../../support/sarif";
import { context, FN, QUEUE, runResult, STACK, URL } from "./reportFixture";

/* eslint-disable @typescript-eslint/no-explicit-any */
const sarif = (r = runResult(), c = context()) => toSarif(r, c) as any;

describe("SARIF writer", () => {
    it("writes SARIF 2.1.0 that validates against the schema", () => {
        const log = sarif();
        assert.strictEqual(log.version, "2.1.0");
        assert.strictEqual(log.$schema, "https://json.schemastore.org/sarif-2.1.0.json");
        assert.deepStrictEqual(validateSarifSchema(log), []);
        assert.deepStrictEqual(validateSarifSchema(sarif(runResult(), context({ inputPath: undefined, inputText: undefined }))), []);
        assert.deepStrictEqual(validateSarifSchema(sarif(runResult({ diagnostics: [] }))), []);
    });

    it("the schema check catches a broken log", () => {
        const log = sarif();
        log.runs[0].results[0].level = "fatal";
        delete log.runs[0].tool.driver.name;
        assert.strictEqual(validateSarifSchema(log).length, 2);
    });

    it("describes the tool and every policy as a rule, with help, level, severity and tags", () => {
        const driver = sarif().runs[0].tool.driver;
        assert.strictEqual(driver.name, "serverless-guard");
        assert.strictEqual(driver.version, "0.1.0");
        assert.match(driver.informationUri, /^https:\/\//);
        assert.deepStrictEqual(driver.rules.map((r: any) => r.id), runResult().policies.map(p => p.name));
        const auth = driver.rules[0];
        assert.strictEqual(auth.name, "AwsLambdaFunctionUrlAuth");
        assert.strictEqual(auth.shortDescription.text, "aws-lambda-function-url-auth description.");
        assert.match(auth.fullDescription.text, /Threat model: R2: weak authentication\.$/);
        assert.strictEqual(auth.help.text, "Fix aws-lambda-function-url-auth.");
        assert.match(auth.help.markdown, /Remediation: Fix aws-lambda-function-url-auth\.[\s\S]*References: OWASP SAS-1\./);
        assert.deepStrictEqual(auth.defaultConfiguration, { level: "error" });
        assert.strictEqual(auth.properties["security-severity"], "9.5");
        assert.deepStrictEqual(auth.properties.tags, ["security", "aws", "R2", "OWASP SAS-1"]);
        assert.deepStrictEqual(driver.rules.map((r: any) => r.properties["security-severity"]), ["9.5", "3.0", "5.5", "3.0", "8.0", "3.0"]);
        assert.deepStrictEqual(SECURITY_SEVERITY, { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" });
        assert.deepStrictEqual(driver.rules.map((r: any) => r.defaultConfiguration.level), ["error", "warning", "warning", "warning", "error", "warning"]);
        assert.strictEqual(ruleName("stack-function-public-invocation"), "StackFunctionPublicInvocation");
    });

    it("reports each finding with its rule, level, message and the resource URN as logical location", () => {
        const run = sarif().runs[0];
        assert.strictEqual(run.results.length, 4);
        for (const r of run.results) {
            assert.strictEqual(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
        }
        // findings first, then the checks that wait for unknown values
        const [auth, queue, stack, tracing] = run.results;
        assert.deepStrictEqual([auth.level, auth.kind], ["error", "fail"]);
        assert.strictEqual(auth.message.text, "authorizationType is \"NONE\": the function URL is public.");
        assert.deepStrictEqual(auth.locations[0].logicalLocations, [{ name: "api-url", fullyQualifiedName: URL, kind: "resource" }]);
        assert.deepStrictEqual([queue.level, queue.kind], ["warning", "fail"]);
        assert.strictEqual(queue.message.text, "messages are stored <unencrypted> & \"plain\".");
        // a policy that met an unknown value neither passed nor failed
        assert.deepStrictEqual([tracing.level, tracing.kind], ["none", "open"]);
        assert.strictEqual(tracing.message.text, "Not evaluated yet: aws-lambda-function-tracing waits for .tracingConfig, unknown during preview; it runs with real values during `pulumi up`.");
        assert.deepStrictEqual([tracing.ruleId, tracing.properties.deferred, tracing.properties.unknownProperties], ["aws-lambda-function-tracing", true, ["tracingConfig"]]);
        assert.deepStrictEqual([stack.level, stack.ruleId], ["error", "stack-function-public-invocation"]);
        assert.strictEqual(stack.locations[0].logicalLocations[0].fullyQualifiedName, FN);
    });

    it("points at the program line from sourcePosition, under --source-root", () => {
        const results = sarif(runResult(), context({ sourceRoot: "infra" })).runs[0].results;
        const tracing = results[3].locations[0].physicalLocation;
        assert.deepStrictEqual(tracing, { artifactLocation: { uri: "infra/index.ts", uriBaseId: "%SRCROOT%" }, region: { startLine: 14, startColumn: 13 } });
        assert.deepStrictEqual(results[0].locations[0].physicalLocation, { artifactLocation: { uri: "file:///home/me/shop/url.ts" }, region: { startLine: 3 } });
        assert.strictEqual(results[0].properties.locationKind, "program");
        const absolute = sarif(runResult(), context({ sourceRoot: "/work/infra" })).runs[0].results[3].locations[0].physicalLocation;
        assert.deepStrictEqual(absolute.artifactLocation, { uri: "file:///work/infra/index.ts" });
    });

    it("falls back to the resource's line in the input file, and to no file for standard input", () => {
        const run = sarif().runs[0];
        const queue = run.results[1].locations[0].physicalLocation;
        const expectedLine = context().inputText!.split("\n").findIndex(l => l.includes(QUEUE)) + 1;
        assert.deepStrictEqual(queue.artifactLocation, { uri: "stacks/dev.json", uriBaseId: "%SRCROOT%" });
        assert.strictEqual(queue.region.startLine, expectedLine);
        assert.ok(run.originalUriBaseIds["%SRCROOT%"]);
        const stdin = sarif(runResult(), context({ inputPath: undefined, inputText: undefined })).runs[0].results[1];
        assert.strictEqual(stdin.locations[0].physicalLocation, undefined);
        assert.strictEqual(stdin.locations[0].logicalLocations[0].fullyQualifiedName, QUEUE);
        const outside = sarif(runResult(), context({ inputPath: "/elsewhere/dev.json" })).runs[0].results[1];
        assert.strictEqual(outside.locations[0].physicalLocation.artifactLocation.uri, "file:///elsewhere/dev.json");
    });

    it("puts stack-wide findings without a URN on the stack resource", () => {
        const r = runResult();
        const d = { ...r.diagnostics[3], urn: "" };
        const result = sarif(runResult({ diagnostics: [d] })).runs[0].results[0];
        assert.strictEqual(result.locations[0].logicalLocations[0].fullyQualifiedName, STACK);
    });

    it("fingerprints findings stably by policy, resource and message", () => {
        const a = sarif().runs[0].results.map((r: any) => r.partialFingerprints[FINGERPRINT_KEY]);
        const b = sarif().runs[0].results.map((r: any) => r.partialFingerprints[FINGERPRINT_KEY]);
        assert.deepStrictEqual(a, b);
        assert.strictEqual(new Set(a).size, a.length);
        assert.match(a[0], /^[0-9a-f]{32}$/);
        assert.notStrictEqual(fingerprint("p", "u", "m"), fingerprint("p", "u", "m2"));
        assert.notStrictEqual(fingerprint("p", "u1", "m"), fingerprint("p", "u2", "m"));
    });

    it("records levels changed by the policy config as configuration overrides", () => {
        const levels = { ...runResult().levels, "aws-lambda-function-tracing": "mandatory" as const, "aws-sqs-queue-encryption": "disabled" as const };
        const run = sarif(runResult({ levels })).runs[0];
        assert.deepStrictEqual(run.invocations[0].ruleConfigurationOverrides, [
            { descriptor: { id: "aws-lambda-function-tracing", index: 1 }, configuration: { enabled: true, level: "error" } },
            { descriptor: { id: "aws-sqs-queue-encryption", index: 2 }, configuration: { enabled: false, level: "none" } },
        ]);
        assert.deepStrictEqual(validateSarifSchema({ ...sarif(), runs: [run] }), []);
    });
});

describe("report locations", () => {
    it("reads Pulumi source positions", () => {
        assert.deepStrictEqual(parseSourcePosition("project:///src/a%20b.ts#3,4"), { uri: "src/a%20b.ts", relative: true, kind: "program", line: 3, column: 4 });
        assert.deepStrictEqual(parseSourcePosition("project:///index.ts", "infra/"), { uri: "infra/index.ts", relative: true, kind: "program", line: undefined, column: undefined });
        assert.strictEqual(parseSourcePosition("project:///../outside.ts#1,1"), undefined);
        assert.strictEqual(parseSourcePosition("index.ts:12"), undefined);
        assert.strictEqual(parseSourcePosition("file://relative/x.ts"), undefined);
    });

    it("finds each resource's line in the input, by URN or else by name and type", () => {
        const text = fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "..", "examples", "stacks", "exports", "aws-insecure.export.json"), "utf8");
        const { resources } = parseInput(text);
        const lines = text.split("\n");
        const found = locateResources(text, resources);
        assert.strictEqual(found.size, resources.length);
        for (const r of resources) {
            assert.ok(lines[found.get(r.urn)!.line - 1].includes(`"urn": "${r.urn}"`), r.urn);
        }
        const list = '[\n {"type": "a:b:C", "name": "x", "props": {"name": "x"}},\n {"type": "a:b:D", "name": "x"}\n]';
        const parsed = parseInput(list).resources;
        const at = locateResources(list, parsed);
        assert.deepStrictEqual(parsed.map(r => at.get(r.urn)!.line), [2, 3]);
    });
});
