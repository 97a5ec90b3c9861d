// Rollout features through the compiled pack: remediation, the migration ratchet, exemptions.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { definitions } from "../../policies/registry";
import { PolicyPackProcess } from "../../runner/engine";
import { ratchetConfig } from "../../runner/ratchet";
import { UNKNOWN } from "../../runner/wire";
import { exampleStack, REPO, run, startPack } from "../support/pack";

const insecureStacks = fs.readdirSync(path.join(REPO, "examples", "stacks")).filter(f => f.endsWith("-insecure.json"));

describe("protocol: rollout", function () {
    let pack: PolicyPackProcess;
    before(async () => { pack = await startPack(); });
    after(async () => { await pack?.close(); });

    for (const d of definitions.filter(x => x.remediates)) {
        it(`remediates ${d.meta.name} through Remediate, before Analyze`, async () => {
            const resources = insecureStacks.flatMap(exampleStack);
            const before = await run(pack, resources);
            const flagged = new Set(before.diagnostics.filter(x => x.policyName === d.meta.name).map(x => x.urn));
            assert.ok(flagged.size > 0, `no insecure example stack seeds a flaw that ${d.meta.name} remediates`);
            const after = await run(pack, resources, { [d.meta.name]: "remediate" });
            // Only settings with one obviously right value are remediated (never e.g. who a bucket ACL grants access to).
            const fixed = after.remediations.filter(r => r.policyName === d.meta.name && r.properties);
            assert.ok(fixed.length > 0, "something was remediated");
            for (const r of fixed) {
                assert.ok(flagged.has(r.urn), `${r.urn} was remediated without a violation`);
                assert.ok(!after.diagnostics.some(x => x.policyName === d.meta.name && x.urn === r.urn), `${r.urn} still fails after remediation`);
            }
            for (const r of fixed) {
                const original = resources.find(x => x.urn === r.urn)!;
                for (const [k, v] of Object.entries(original.props)) {
                    if (v === UNKNOWN) {
                        assert.strictEqual(r.properties![k], UNKNOWN, `unknown ${k} kept`);
                    }
                }
            }
        });
    }

    for (const file of insecureStacks) {
        it(`ratchets ${file}: existing violations stop failing, new ones still fail`, async () => {
            const resources = exampleStack(file);
            const first = await run(pack, resources);
            assert.ok(first.diagnostics.some(d => d.enforcementLevel === "mandatory"));
            const config = ratchetConfig({}, first.diagnostics, { until: "2099-12-31", today: "2026-11-28" });
            const again = await run(pack, resources, config);
            assert.deepStrictEqual(again.diagnostics.filter(d => d.enforcementLevel === "mandatory").map(d => `${d.policyName} ${d.urn}`), []);
            assert.ok(again.notApplicable.some(n => /exempted by exemptions\[\d+\] until 2099-12-31: existing violation recorded by the migration ratchet on 2026-11-28/.test(n.reason)));

            const newcomer = { ...resources.find(r => first.diagnostics.some(d => d.urn === r.urn && d.enforcementLevel === "mandatory" && d.phase === "resource"))! };
            newcomer.urn = newcomer.urn.replace(/::([^:]+)$/, "::$1-new");
            newcomer.name = `${newcomer.name}-new`;
            const withNew = await run(pack, [...resources, newcomer], config);
            assert.ok(withNew.diagnostics.some(d => d.enforcementLevel === "mandatory" && d.urn === newcomer.urn));
        });
    }

    it("applies a config file's exemptions, and explains expired ones", async () => {
        const resources = exampleStack("aws-insecure.json");
        const urlUrn = resources.find(r => r.name === "orders-url")!.urn;
        const config = ({
            "aws-lambda-function-url-auth": { exemptions: [{ resource: "orders-url", reason: "public webhook, signed payloads", expires: "2099-01-01", approvedBy: "appsec" }] },
            "aws-lambda-function-url-cors": { exemptions: [{ resource: urlUrn, reason: "old exemption", expires: "2020-01-01" }] },
        });
        const result = await run(pack, resources, config);
        assert.ok(!result.diagnostics.some(d => d.policyName === "aws-lambda-function-url-auth"));
        const na = result.notApplicable.find(n => n.policyName === "aws-lambda-function-url-auth" && n.urn === urlUrn)!;
        assert.match(na.reason, /until 2099-01-01: public webhook, signed payloads \(approved by appsec\); finding not enforced: authorizationType is "NONE"/);
        const cors = result.diagnostics.find(d => d.policyName === "aws-lambda-function-url-cors")!;
        assert.match(cors.message, /expired on 2020-01-01/);
    });
});
