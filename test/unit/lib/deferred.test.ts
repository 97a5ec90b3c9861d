// The definition layer's handling of values unknown during preview: each policy reports what it could
// decide and a "waiting" marker for the rest; the pack merges the markers of one resource into one
// advisory line (policies/lib/deferred.ts).
import * as assert from "assert";
import { DEFERRED_POLICY, deferredMarker, formatDeferred, mergeDeferred, parseDeferred } from "../../../policies/lib/deferred";
import { UNKNOWN } from "../../../runner/wire";
import { check, checkStack, remediate } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import * as aws from "../../fixtures/aws";
import * as azure from "../../fixtures/azure";

const diag = (policyName: string, message: string, urn?: string) => ({
    policyName, policyPackName: "serverless-guard", policyPackVersion: "0.1.0", description: "d", message, enforcementLevel: "advisory", urn,
});

describe("deferred checks", () => {
    describe("one line per resource", () => {
        it("merges every policy's marker and the SDK's legacy lines of one resource into one advisory line", () => {
            const out = mergeDeferred([
                diag("aws-lambda-function-tracing", deferredMarker(["tracingConfig"])),
                diag("aws-lambda-function-timeout", "d\ntimeout is 900 seconds, above the maximum of 300."),
                diag("aws-lambda-function-env-kms", deferredMarker(["kmsKeyArn", "environment"])),
                diag("x", "can't run policy 'aws-lambda-function-vpc' from policy pack 'serverless-guard@v0.1.0' during preview: object value at .vpcConfig can't be known during preview"),
            ]);
            assert.deepStrictEqual(out.map(d => d.policyName), ["aws-lambda-function-timeout", DEFERRED_POLICY]);
            const line = out[1];
            assert.strictEqual(line.enforcementLevel, "advisory");
            assert.strictEqual(line.urn, undefined);
            assert.deepStrictEqual(parseDeferred(line.message), [
                { policy: "aws-lambda-function-tracing", properties: ["tracingConfig"] },
                { policy: "aws-lambda-function-env-kms", properties: ["environment", "kmsKeyArn"] },
                { policy: "aws-lambda-function-vpc", properties: ["vpcConfig"] },
            ]);
            assert.match(line.message, /^3 checks wait for values computed by other resources; they run with real values during `pulumi up`/m);
        });

        it("groups stack policies' markers by the resource they concern", () => {
            const out = mergeDeferred([
                diag("stack-function-public-invocation", deferredMarker(["role"]), "urn:a"),
                diag("stack-function-identity-privileged", deferredMarker(["member"]), "urn:b"),
                diag("stack-function-logging", deferredMarker(["name"]), "urn:a"),
            ]);
            assert.deepStrictEqual(out.map(d => [d.policyName, d.urn]), [[DEFERRED_POLICY, "urn:a"], [DEFERRED_POLICY, "urn:b"]]);
            assert.deepStrictEqual(parseDeferred(out[0].message)!.map(c => c.policy), ["stack-function-public-invocation", "stack-function-logging"]);
        });

        it("holds resource policies' markers until the end of the run: one line per resource with resource and stack checks", () => {
            const analyzeA = mergeDeferred([diag("aws-lambda-function-tracing", deferredMarker(["tracingConfig"]), "urn:a"), diag("other", "d\nreal finding", "urn:a")], false);
            assert.deepStrictEqual(analyzeA.map(d => d.policyName), ["other"], "nothing deferred is shown per Analyze call");
            mergeDeferred([diag("aws-lambda-function-runtime-deprecated", deferredMarker(["runtime"]), "urn:b")], false);
            const end = mergeDeferred([diag("stack-function-identity-privileged", deferredMarker(["role"]), "urn:a")], true);
            assert.deepStrictEqual(end.map(d => [d.policyName, d.urn]), [[DEFERRED_POLICY, "urn:a"], [DEFERRED_POLICY, "urn:b"]]);
            assert.deepStrictEqual(parseDeferred(end[0].message)!.map(c => c.policy), ["aws-lambda-function-tracing", "stack-function-identity-privileged"]);
            assert.deepStrictEqual(mergeDeferred([], true), [], "released once");
        });

        it("says \"can't tell which resource\" for an ambiguous link, apart from values computed during `pulumi up`, still in one line per resource", () => {
            const out = mergeDeferred([
                diag("stack-function-public-invocation", deferredMarker(["function"], "ambiguous"), "urn:p"),
                diag("stack-function-identity-privileged", deferredMarker(["role"]), "urn:p"),
                diag("stack-function-logging", deferredMarker(["siteConfig.appSettings"], "unrecorded"), "urn:p"),
                diag("stack-function-logging", deferredMarker(["function"], "ambiguous"), "urn:q"),
            ]);
            assert.deepStrictEqual(out.map(d => [d.policyName, d.urn]), [[DEFERRED_POLICY, "urn:p"], [DEFERRED_POLICY, "urn:q"]]);
            assert.deepStrictEqual(parseDeferred(out[0].message), [
                { policy: "stack-function-identity-privileged", properties: ["role"] },
                { policy: "stack-function-public-invocation", properties: ["function"], cause: "ambiguous" },
                { policy: "stack-function-logging", properties: ["siteConfig.appSettings"], cause: "unrecorded" },
            ]);
            const audit = out[1].message.split("\n").slice(1).join("\n");
            assert.strictEqual(audit, "1 check can't tell which resource a reference means: it matches several resources and nothing recorded (a dependency, a full ARN or id) says which; it neither passes nor fails until the reference names one.\n"
                + "Can't tell which resource: stack-function-logging (function).");
            assert.doesNotMatch(audit, /pulumi up|computed|wait/);
            assert.deepStrictEqual(parseDeferred(out[1].message), [{ policy: "stack-function-logging", properties: ["function"], cause: "ambiguous" }]);
        });

        it("lists a check under each cause it meets, and parses the lines of older packs", () => {
            const text = formatDeferred([{ policy: "p", properties: ["a"] }, { policy: "p", properties: ["b"], cause: "ambiguous" }, { policy: "p", properties: ["c"] }]);
            assert.match(text, /^1 check waits for values computed by other resources; .*\nWaiting: p \(a, c\)\.\n1 check can't tell .*\nCan't tell which resource: p \(b\)\.$/);
            const older = "3 checks wait for values computed by other resources; they run with real values during `pulumi up`, where mandatory ones still block.\nWaiting: a (x); b; c (y, z).";
            assert.deepStrictEqual(parseDeferred(older), [{ policy: "a", properties: ["x"] }, { policy: "b", properties: [] }, { policy: "c", properties: ["y", "z"] }]);
        });

        it("keeps the line short and parseable whatever the property names", () => {
            const paths = ["a", "b", "c", "d", "e", "f", "g", "h", "weird (key); name", "x\ny"];
            const text = formatDeferred([{ policy: "p-one", properties: paths }, { policy: "p-two", properties: [] }]);
            assert.strictEqual(text.split("\n").length, 2);
            const parsed = parseDeferred(text)!;
            assert.deepStrictEqual(parsed.map(c => c.policy), ["p-one", "p-two"]);
            assert.strictEqual(parsed[0].properties.length, 6);
            assert.match(text, /\+4 more/);
            assert.strictEqual(parseDeferred("some other finding"), undefined);
        });
    });

    describe("in the definition layer", () => {
        it("reports the unknown property a check waits for, instead of a pass", () => {
            const outcome = check("aws-lambda-function-runtime-deprecated", mutate(aws.lambdaFunction, p => { p.props.runtime = UNKNOWN; }));
            expectUnknown(outcome);
            assert.deepStrictEqual(Object.values(outcome.waiting ?? {}), [["runtime"]]);
            assert.deepStrictEqual(outcome.violations, []);
        });

        it("still reports what the known parts decide, and lists every unknown part", () => {
            const fn = mutate(aws.lambdaFunction, p => {
                p.props.environment.variables = { A: UNKNOWN, B: UNKNOWN, SLACK_TOKEN: "xoxb-1234567890-abcdefghijkl" };
            });
            const failing = check("aws-lambda-function-env-plaintext-secret", fn);
            expectViolation(failing, /SLACK_TOKEN holds a secret/);
            // Already failing on this resource: the unknown variables can only add to it.
            assert.strictEqual(failing.unknown, undefined);
            const waiting = check("aws-lambda-function-env-plaintext-secret", mutate(fn, p => { delete p.props.environment.variables.SLACK_TOKEN; }));
            assert.deepStrictEqual(Object.values(waiting.waiting ?? {}), [["environment.variables.A", "environment.variables.B"]]);
        });

        it("doesn't wait where the answer doesn't depend on the unknown value", () => {
            // A listed non-secret setting decides the name-based checks by its name.
            const settings = mutate(azure.appSettings, p => { p.props.properties.APPLICATIONINSIGHTS_CONNECTION_STRING = UNKNOWN; });
            expectPass(check("azure-functionapp-keyvault-reference", settings));
            expectPass(check("azure-functionapp-plaintext-secret", settings));
            // ...but a setting not listed as non-secret still waits for its value.
            expectUnknown(check("azure-functionapp-plaintext-secret", mutate(settings, p => { p.props.properties.OTHER = UNKNOWN; })));
            // A queue source (no startingPosition) is no stream source, whatever its computed ARN.
            const queue = mutate(aws.eventSourceMapping, p => {
                p.props.eventSourceArn = UNKNOWN;
                delete p.props.startingPosition;
                delete p.props.destinationConfig;
            });
            assert.match(check("aws-lambda-event-source-failure-handling", queue).notApplicable ?? "", /not a stream/);
            const stream = mutate(queue, p => { p.props.startingPosition = "LATEST"; });
            expectViolation(check("aws-lambda-event-source-failure-handling", stream), /onFailure/);
        });

        it("says nothing for an exempted resource", () => {
            const fn = mutate(aws.lambdaFunction, p => { p.props.runtime = UNKNOWN; });
            const outcome = check("aws-lambda-function-runtime-deprecated", fn, {
                config: { exemptions: [{ resource: "api", reason: "migrating next sprint", expires: "2099-01-01" }] },
            });
            assert.strictEqual(outcome.unknown, undefined);
            assert.deepStrictEqual(outcome.violations, []);
        });

        it("the pack's own policy reports nothing itself: it only releases the lines at the end of the run", async () => {
            expectPass(await checkStack(DEFERRED_POLICY, [aws.lambdaFunction]));
            assert.deepStrictEqual(mergeDeferred([], true), []);
        });

        it("stack policies wait per resource, naming the resource", async () => {
            const fn = { ...aws.lambdaFunction, urn: "urn:pulumi:t::t::aws:lambda/function:Function::api", props: { ...aws.lambdaFunction.props, role: UNKNOWN } };
            const outcome = await checkStack("stack-function-identity-privileged", [fn]);
            assert.deepStrictEqual(Object.keys(outcome.waiting ?? {}), [fn.urn]);
        });

        it("leaves remediation as it was: an unknown elsewhere doesn't stop a fix", () => {
            const fn = mutate(aws.lambdaFunction, p => { p.props.runtime = UNKNOWN; p.props.tracingConfig = { mode: "PassThrough" }; });
            assert.deepStrictEqual((remediate("aws-lambda-function-tracing", fn) as { tracingConfig: unknown }).tracingConfig, { mode: "Active" });
        });
    });
});
