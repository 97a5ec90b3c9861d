// The compiled pack, started through run-policy-pack and driven over pulumirpc.Analyzer like the engine.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { definitions } from "../../policies/registry";
import { ConfigError, EngineResource, PolicyPackProcess, withEnforcementLevel } from "../../runner/engine";
import { reconcileConfig } from "../../runner/config";
import { secret, UNKNOWN } from "../../runner/wire";
import { SHARED_CONFIG } from "../../policies/lib/exemptions";
import { DEFERRED_POLICY, parseDeferred } from "../../policies/lib/deferred";
import { exampleStack, findingKeys, REPO, run, startPack } from "../support/pack";

describe("protocol: the compiled pack over the Analyzer service", function () {
    let pack: PolicyPackProcess;
    before(async () => { pack = await startPack(); });
    after(async () => { await pack?.close(); });

    const lambda = (props: Record<string, unknown>): EngineResource => ({
        urn: "urn:pulumi:dev::shop::aws:lambda/function:Function::api",
        type: "aws:lambda/function:Function",
        name: "api",
        props: { runtime: "nodejs24.x", handler: "index.handler", role: UNKNOWN, ...props },
    });

    it("answers Handshake as the Node SDK does and reports its info", async () => {
        assert.strictEqual(await pack.handshake(REPO), false);
        const plugin = await pack.getPluginInfo();
        assert.match(plugin.version, /^\d+\.\d+\.\d+/);
    });

    it("lists every policy with metadata, levels and config schemas", async () => {
        const info = await pack.getAnalyzerInfo();
        assert.strictEqual(info.name, "serverless-guard");
        assert.strictEqual(info.version, JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version);
        assert.ok(info.supportsConfig);
        assert.deepStrictEqual(info.policies.map(p => p.name).sort(), definitions.map(d => d.meta.name).sort());
        for (const d of definitions) {
            const p = info.policies.find(x => x.name === d.meta.name)!;
            assert.strictEqual(p.severity, d.meta.severity, p.name);
            assert.strictEqual(p.enforcementLevel, d.defaultLevel, p.name);
            assert.strictEqual(p.remediationSteps, d.meta.remediation, p.name);
            assert.deepStrictEqual(Object.keys(p.configSchema?.properties ?? {}).sort(), [...Object.keys(d.meta.config ?? {}), ...Object.keys(SHARED_CONFIG)].sort(), p.name);
        }
        const timeout = info.policies.find(p => p.name === "aws-lambda-function-timeout")!;
        assert.strictEqual((timeout.configSchema!.properties.maxTimeoutSeconds as { default: number }).default, 300);
    });

    for (const file of fs.readdirSync(path.join(REPO, "examples", "stacks")).filter(f => f.endsWith("-insecure.json"))) {
        const expectations = path.join(REPO, "test", "protocol", "expectations", file);
        it(`flags exactly the seeded flaws of examples/stacks/${file}`, async () => {
            const expected = (JSON.parse(fs.readFileSync(expectations, "utf8")) as { resource: string; policy: string }[])
                .map(e => `${e.resource}|${e.policy}`).sort();
            const result = await run(pack, exampleStack(file));
            assert.deepStrictEqual(findingKeys(result), [...new Set(expected)].sort());
            assert.ok(result.diagnostics.some(d => d.enforcementLevel === "mandatory"));
        });
    }

    for (const file of fs.readdirSync(path.join(REPO, "examples", "stacks")).filter(f => f.endsWith("-hardened.json"))) {
        it(`passes examples/stacks/${file} with no diagnostics`, async () => {
            const result = await run(pack, exampleStack(file));
            assert.deepStrictEqual(result.diagnostics.map(d => `${d.policyName}: ${d.message}`), []);
        });
    }

    it("turns the whole pack advisory with {\"all\": \"advisory\"}", async () => {
        const result = await run(pack, exampleStack("aws-insecure.json"), { all: "advisory" });
        assert.ok(result.diagnostics.length > 10);
        assert.deepStrictEqual([...new Set(result.diagnostics.map(d => d.enforcementLevel))], ["advisory"]);
    });

    it("applies named levels after `all`, and disables policies", async () => {
        const result = await run(pack, exampleStack("aws-insecure.json"), {
            all: "advisory",
            "aws-lambda-function-url-auth": "mandatory",
            "aws-lambda-function-tracing": { enforcementLevel: "disabled" },
        });
        const levels = new Set(result.diagnostics.filter(d => d.enforcementLevel === "mandatory").map(d => d.policyName));
        assert.deepStrictEqual([...levels], ["aws-lambda-function-url-auth"]);
        assert.ok(!result.diagnostics.some(d => d.policyName === "aws-lambda-function-tracing"));
    });

    it("uses config properties, with schema defaults for the rest", async () => {
        const fn = lambda({ timeout: 120 });
        assert.ok(!(await run(pack, [fn])).diagnostics.some(d => d.policyName === "aws-lambda-function-timeout"));
        const strict = await run(pack, [fn], { "aws-lambda-function-timeout": { maxTimeoutSeconds: 60 } });
        const d = strict.diagnostics.find(x => x.policyName === "aws-lambda-function-timeout");
        assert.match(d!.message, /timeout is 120 seconds, above the maximum of 60/);
    });

    it("rejects invalid config before analysis, naming policy and field", async () => {
        const info = await pack.getAnalyzerInfo();
        assert.throws(
            () => reconcileConfig(withEnforcementLevel(info.policies), info.initialConfig, { "aws-lambda-function-timeout": { properties: { maxTimeoutSeconds: "soon" } } }, "serverless-guard 0.1.0"),
            (e: unknown) => e instanceof ConfigError && /aws-lambda-function-timeout: maxTimeoutSeconds: Invalid type\. Expected: integer, given: string/.test(e.message));
        await assert.rejects(run(pack, [], { "aws-lambda-function-timeout": { maxTimeoutSeconds: 5000 } }), /maxTimeoutSeconds: Must be less than or equal to 900/);
    });

    it("refuses at Configure, before any analysis, the config mistakes the engine lets through, one line each", async () => {
        const config = {
            "aws-lambda-function-timout": "mandatory",
            "aws-lambda-function-timeout": { maxTimeoutSecond: 30 },
            "aws-lambda-function-url-auth": { exemptions: [{ resource: "orders-url", reason: "public webhook", expires: "2027-02-30" }] },
        };
        await assert.rejects(run(pack, [lambda({ timeout: 900 })], config), (e: unknown) => {
            assert.ok(e instanceof ConfigError, String(e));
            assert.deepStrictEqual(e.message.split("\n"), [
                "policy config has 3 problems (check it with serverless-guard validate-config):",
                '  aws-lambda-function-timeout: maxTimeoutSecond: unknown property (did you mean "maxTimeoutSeconds"?); known: maxTimeoutSeconds, exemptions, labelExemptionReason, levelOverrides',
                '  aws-lambda-function-timout: unknown policy (did you mean "aws-lambda-function-timeout"?); the engine ignores its configuration',
                '  aws-lambda-function-url-auth: exemptions.0.expires: "2027-02-30" is not a real date (expected an existing day as YYYY-MM-DD)',
            ]);
            return true;
        });
        // An expired exemption is no start-up error: its finding comes back, saying so.
        const expired = await run(pack, [lambda({ timeout: 900 })], { "aws-lambda-function-timeout": { exemptions: [{ resource: "*", reason: "batch job", expires: "2026-01-31" }] } });
        const d = expired.diagnostics.find(x => x.policyName === "aws-lambda-function-timeout");
        assert.match(d!.message, /expired on 2026-01-31/);
    });

    it("sees through the secret wire encoding without leaking the value", async () => {
        const result = await run(pack, [lambda({ environment: { variables: { DB_PASSWORD: secret("pr0d-db-pa55word") } } })]);
        const d = result.diagnostics.find(x => x.policyName === "aws-lambda-function-env-plaintext-secret");
        assert.match(d!.message, /DB_PASSWORD/);
        assert.ok(!JSON.stringify(result).includes("pr0d-db-pa55word"));
    });

    it("reports checks that wait for unknown values as one advisory line per resource, never as a pass or a violation", async () => {
        const result = await run(pack, [lambda({ runtime: UNKNOWN, tracingConfig: UNKNOWN, kmsKeyArn: UNKNOWN })]);
        assert.deepStrictEqual(result.diagnostics.filter(d => /runtime-deprecated|function-tracing/.test(d.policyName)), []);
        const deferred = result.diagnostics.filter(d => d.policyName === DEFERRED_POLICY);
        assert.strictEqual(deferred.length, 1, JSON.stringify(result.diagnostics));
        assert.strictEqual(deferred[0].enforcementLevel, "advisory");
        assert.match(deferred[0].message, /run with real values during `pulumi up`, where mandatory ones still block/);
        const checks = parseDeferred(deferred[0].message)!;
        assert.deepStrictEqual(checks.find(c => c.policy === "aws-lambda-function-runtime-deprecated")?.properties, ["runtime"]);
        assert.deepStrictEqual(checks.find(c => c.policy === "aws-lambda-function-tracing")?.properties, ["tracingConfig"]);
        // kmsKeyArn counts as set whatever its value: nothing waits for it.
        assert.ok(!checks.some(c => c.policy === "aws-lambda-function-env-kms"));
    });

    it("keeps reporting known findings next to an unknown value", async () => {
        const result = await run(pack, [lambda({ environment: { variables: { A: UNKNOWN, SLACK_TOKEN: "xoxb-1234567890-abcdefghijkl" } } })]);
        const ds = result.diagnostics.filter(d => d.policyName === "aws-lambda-function-env-plaintext-secret");
        assert.ok(ds.some(d => d.enforcementLevel === "mandatory" && /SLACK_TOKEN holds a secret in plain text \(Slack token\)/.test(d.message)));
        // The policy already fails on this resource: the unknown variable can only add to that, so nothing waits.
        assert.ok(!result.diagnostics.some(d => d.policyName === DEFERRED_POLICY && /env-plaintext-secret/.test(d.message)));
        const waiting = await run(pack, [lambda({ environment: { variables: { A: UNKNOWN, B: "plain" } } })]);
        const line = waiting.diagnostics.filter(d => d.policyName === DEFERRED_POLICY);
        assert.strictEqual(line.length, 1);
        assert.deepStrictEqual(parseDeferred(line[0].message)!.find(c => c.policy === "aws-lambda-function-env-plaintext-secret")?.properties, ["environment.variables.A"]);
    });

    it("never quotes a secret value, whichever policy writes the message", async () => {
        const result = await run(pack, [{ type: "aws:lambda/permission:Permission", name: "p", urn: "urn:pulumi:test::test::aws:lambda/permission:Permission::p", props: { action: secret("lambda:*Sup3rS3cretAct10n"), function: "fn", principal: "s3.amazonaws.com" } }]);
        const d = result.diagnostics.find(x => x.policyName === "aws-lambda-permission-action");
        assert.ok(d, JSON.stringify(result.diagnostics));
        assert.ok(!JSON.stringify(result).includes("Sup3rS3cretAct10n"), d!.message);
        assert.match(d!.message, /\[secret\]/);
    });

    it("never fails the call on strange property shapes", async () => {
        const shapes: Record<string, unknown>[] = [
            { environment: "x" }, { environment: { variables: [1, 2] } }, { tracingConfig: [] }, { timeout: "abc" },
            { reservedConcurrentExecutions: { a: 1 } }, { vpcConfig: { subnetIds: "subnet-1" } }, { runtime: 7 }, { packageType: null },
        ];
        for (const props of shapes) {
            const result = await run(pack, [lambda(props)]);
            assert.ok(!result.diagnostics.some(d => /internal error/.test(d.message)), JSON.stringify(props));
        }
        const weird: EngineResource[] = [
            { urn: "urn:pulumi:dev::p::aws:iam/role:Role::r", type: "aws:iam/role:Role", name: "r", props: { inlinePolicies: "nope", managedPolicyArns: [null, 5, {}], assumeRolePolicy: "{\"Statement\": 5}" } },
            { urn: "urn:pulumi:dev::p::aws:iam/policy:Policy::p", type: "aws:iam/policy:Policy", name: "p", props: { policy: "{not json" } },
        ];
        const result = await run(pack, weird);
        assert.ok(!result.diagnostics.some(d => /internal error/.test(d.message)));
    });

    it("remediates settings with one right value when the level is remediate, keeping unknowns intact", async () => {
        const fn = lambda({ tracingConfig: { mode: "PassThrough" } });
        const result = await run(pack, [fn], { "aws-lambda-function-tracing": "remediate" });
        const fix = result.remediations.find(r => r.policyName === "aws-lambda-function-tracing");
        assert.deepStrictEqual((fix!.properties as { tracingConfig: unknown }).tracingConfig, { mode: "Active" });
        assert.strictEqual((fix!.properties as { role: unknown }).role, UNKNOWN);
        assert.ok(!result.diagnostics.some(d => d.policyName === "aws-lambda-function-tracing"));
    });

    it("runs AnalyzeStack over the whole stack", async () => {
        const result = await pack.analyzeStack(exampleStack("aws-hardened.json"));
        assert.ok(Array.isArray(result.diagnostics));
    });
});
