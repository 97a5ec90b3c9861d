import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { definitions } from "../../../policies/registry";
import { generateProfile, parseSharedExemptions } from "../../../runner/profile";
import { parsePolicyPackConfig, reconcileConfig } from "../../../runner/config";
import { PROFILES, profileContent } from "../../../scripts/profiles";
import { LEVELS } from "../../../runner/config";

const REPO = path.resolve(__dirname, "..", "..", "..", "..");
const infos = definitions.map(d => ({
    name: d.meta.name,
    enforcementLevel: d.defaultLevel as "advisory",
    configSchema: { properties: { ...(d.policy.configSchema?.properties ?? {}), enforcementLevel: { type: "string", enum: LEVELS } } as Record<string, Record<string, unknown>> },
}));

/** Merges a config file the engine's way and validates every policy's result with a full JSON-schema validator. */
function mergeAndValidate(text: string) {
    const merged = reconcileConfig(infos, {}, parsePolicyPackConfig(text), "serverless-guard test");
    const ajv = new Ajv({ strict: false });
    for (const d of definitions) {
        const schema = { type: "object", properties: d.policy.configSchema!.properties, required: d.policy.configSchema!.required };
        const validate = ajv.compile(schema);
        assert.ok(validate(merged.get(d.meta.name)!.properties ?? {}), `${d.meta.name}: ${ajv.errorsText(validate.errors)}`);
    }
    return merged;
}

describe("enforcement profiles", () => {
    for (const name of Object.keys(PROFILES)) {
        it(`ships config/${name}.json, up to date and valid under the engine's merge`, () => {
            const text = fs.readFileSync(path.join(REPO, "config", `${name}.json`), "utf8");
            assert.strictEqual(text, profileContent(name), "run `npm run docs` to regenerate the profiles");
            mergeAndValidate(text);
        });
    }

    it("recommended keeps the severity defaults; migration makes everything advisory; strict tightens", () => {
        const rec = mergeAndValidate(profileContent("recommended"));
        const mig = mergeAndValidate(profileContent("migration"));
        const strict = mergeAndValidate(profileContent("strict"));
        for (const d of definitions) {
            assert.strictEqual(rec.get(d.meta.name)!.enforcementLevel, d.defaultLevel, d.meta.name);
            assert.strictEqual(mig.get(d.meta.name)!.enforcementLevel, "advisory", d.meta.name);
            if (d.meta.severity !== "low") {
                assert.strictEqual(strict.get(d.meta.name)!.enforcementLevel, "mandatory", d.meta.name);
            }
        }
        assert.strictEqual(strict.get("aws-sqs-queue-encryption")!.properties!.requireCustomerManagedKey, true);
    });

    it("keeps policies without a severity of their own (the line of checks that can't decide yet) at their level, whatever the thresholds", () => {
        const unranked = definitions.filter(d => d.meta.informational).map(d => d.meta.name);
        assert.deepStrictEqual(unranked, ["pack-deferred-checks"]);
        for (const [mandatoryAt, advisoryAt] of [["high", "medium"], ["critical", "critical"], ["none", "high"], ["low", "low"]] as const) {
            const p = generateProfile({ mandatoryAt, advisoryAt });
            assert.strictEqual(p["pack-deferred-checks"], "advisory", `${mandatoryAt}/${advisoryAt}`);
        }
    });

    it("generates levels from severity thresholds, disabling below the advisory one", () => {
        const p = generateProfile({ mandatoryAt: "critical", advisoryAt: "medium" });
        for (const d of definitions) {
            const level = typeof p[d.meta.name] === "string" ? p[d.meta.name] : (p[d.meta.name] as { enforcementLevel: string }).enforcementLevel;
            const expected = d.meta.informational ? d.defaultLevel : d.meta.severity === "critical" ? "mandatory" : d.meta.severity === "low" ? "disabled" : "advisory";
            assert.strictEqual(level, expected, d.meta.name);
        }
        assert.throws(() => generateProfile({ mandatoryAt: "low", advisoryAt: "high" }), /below the advisory threshold/);
    });

    it("expands one shared exemption list into every policy it names", () => {
        const p = generateProfile({
            mandatoryAt: "high", advisoryAt: "low",
            exemptions: [{ policies: ["aws-lambda-function-*"], resource: "legacy-*", reason: "migrating in Q1", expires: "2027-03-31", approvedBy: "sec" }],
        });
        const entry = p["aws-lambda-function-timeout"] as { exemptions: unknown[] };
        assert.deepStrictEqual(entry.exemptions, [{ resource: "legacy-*", reason: "migrating in Q1", expires: "2027-03-31", approvedBy: "sec" }]);
        assert.strictEqual(typeof p["aws-iam-policy-admin-access"], "string");
        mergeAndValidate(JSON.stringify(p));
    });

    it("names the malformed entry of a shared exemption list", () => {
        const base = { policies: ["*"], resource: "x", reason: "because", expires: "2027-01-01" };
        assert.throws(() => parseSharedExemptions([base, { ...base, reason: "" }]), /entry 1: "reason" is required/);
        assert.throws(() => parseSharedExemptions([{ ...base, expires: "2027-02-30" }]), /entry 0: "expires" must be a date that exists/);
        assert.throws(() => parseSharedExemptions([{ ...base, policies: ["aws-nope-*"] }]), /"aws-nope-\*" matches no policy/);
        assert.throws(() => parseSharedExemptions([{ ...base, resourse: "x" }]), /unknown field "resourse"/);
        assert.throws(() => parseSharedExemptions("nope"), /must be a list/);
    });

    it("rejects malformed exemptions in a policy's config through the engine's validation", () => {
        assert.throws(() => mergeAndValidate(JSON.stringify({ "aws-lambda-function-timeout": { exemptions: [{ resource: "x", expires: "2027-01-01" }] } })), /aws-lambda-function-timeout: exemptions\.0: reason is required/);
        assert.throws(() => mergeAndValidate(JSON.stringify({ "aws-lambda-function-timeout": { exemptions: [{ resource: "x", reason: "why not", expires: "next year" }] } })), /exemptions\.0\.expires: Does not match pattern/);
        assert.throws(() => mergeAndValidate(JSON.stringify({ "aws-lambda-function-timeout": { exemptions: [{ resource: "x", reason: "why not", expires: "2027-01-01", until: "x" }] } })), /Additional property until is not allowed/);
    });
});
