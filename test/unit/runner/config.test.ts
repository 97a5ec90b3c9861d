import * as assert from "assert";
import Ajv from "ajv";
import * as fc from "fast-check";
import { ConfigError, parsePolicyPackConfig, PolicyInfo, reconcileConfig } from "../../../runner/config";
import { validate } from "../../../policies/lib/schema";

const policies: PolicyInfo[] = [
    { name: "a", enforcementLevel: "mandatory" as const, configSchema: { properties: { max: { type: "integer", minimum: 1, default: 10 }, names: { type: "array", items: { type: "string" }, default: [] } } } },
    { name: "b", enforcementLevel: "advisory" as const, configSchema: { properties: {} } },
];

describe("engine config merge", () => {
    it("starts from policy levels and schema defaults", () => {
        const r = reconcileConfig(policies, {}, {}, "pack 1.0.0");
        assert.deepStrictEqual(r.get("a"), { enforcementLevel: "mandatory", properties: { max: 10, names: [] } });
        assert.deepStrictEqual(r.get("b"), { enforcementLevel: "advisory", properties: undefined });
    });

    it("applies `all` to levels only, before named policies, layer by layer", () => {
        const file = parsePolicyPackConfig(JSON.stringify({ all: "advisory", a: { max: 3 } }));
        const r = reconcileConfig(policies, { b: { enforcementLevel: "mandatory" } }, file, "pack 1.0.0");
        assert.deepStrictEqual(r.get("a"), { enforcementLevel: "advisory", properties: { max: 3, names: [] } });
        assert.strictEqual(r.get("b")!.enforcementLevel, "advisory");
        const r2 = reconcileConfig(policies, {}, parsePolicyPackConfig('{"all":"disabled","b":"mandatory"}'), "pack 1.0.0");
        assert.strictEqual(r2.get("a")!.enforcementLevel, "disabled");
        assert.strictEqual(r2.get("b")!.enforcementLevel, "mandatory");
    });

    it("rejects invalid levels and values the way the CLI does", () => {
        assert.throws(() => parsePolicyPackConfig('{"a":"strict"}'), /parsing enforcement level for "a": "strict" is not a valid enforcement level/);
        assert.throws(() => parsePolicyPackConfig('{"a":{"enforcementLevel":5}}'), /5 is not a valid enforcement level; must be a string/);
        assert.throws(() => parsePolicyPackConfig('{"a":[1]}'), /parsing "a": \[1\] is not a valid value; must be a string or object/);
        assert.throws(() => parsePolicyPackConfig("{oops"), /not valid JSON/);
        assert.deepStrictEqual(parsePolicyPackConfig("  "), {});
    });

    it("validates merged properties against each schema, naming policy and field", () => {
        const file = parsePolicyPackConfig('{"a":{"max":"ten","names":[1]}}');
        assert.throws(() => reconcileConfig(policies, {}, file, "pack 1.0.0"), (e: unknown) => {
            assert.ok(e instanceof ConfigError);
            assert.match(e.message, /validating policy config: pack 1\.0\.0/);
            assert.match(e.message, /a: max: Invalid type\. Expected: integer, given: string/);
            assert.match(e.message, /a: names\.0: Invalid type\. Expected: string, given: integer/);
            return true;
        });
        assert.throws(() => reconcileConfig(policies, {}, parsePolicyPackConfig('{"a":{"max":0}}'), "p"), /max: Must be greater than or equal to 1/);
    });
});

describe("config schema validator", () => {
    const schemas = [
        { type: "object", properties: { n: { type: "integer", minimum: 0, maximum: 10 }, s: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" }, l: { type: "array", items: { type: "string", enum: ["x", "y"] }, maxItems: 2 }, b: { type: "boolean" } }, required: ["n"] },
        { type: "object", properties: { o: { type: "object", properties: { k: { type: "number" } }, additionalProperties: false } } },
    ];
    it("agrees with a full JSON-schema validator on valid/invalid", () => {
        const ajv = new Ajv({ strict: false });
        const compiled = schemas.map(s => ajv.compile(s));
        fc.assert(fc.property(fc.jsonValue({ maxDepth: 3 }), fc.nat(schemas.length - 1), (value, i) => {
            const candidates = [value, { n: value }, { n: 1, s: value }, { n: 2, l: value }, { o: value }, { o: { k: value } }];
            for (const v of candidates) {
                assert.strictEqual(validate(schemas[i], v).length === 0, compiled[i](v), JSON.stringify({ schema: i, v }));
            }
        }), { seed: 42, numRuns: 300 });
    });
});
