// Every kind of invalid policy config yields a clear error naming the policy and the field: wrong
// types through the engine's merge (reconcileConfig), and what the engine lets through (unknown
// policy names and properties, impossible dates, invalid regular expressions) through
// strictConfigProblems. Iterates over every policy of the registry.
import * as assert from "assert";
import * as fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { definitions } from "../../../policies/registry";
import { closestMatch, ConfigError, parsePolicyPackConfig, PolicyConfigEntry, PolicyInfo, reconcileConfig, strictConfigProblems } from "../../../runner/config";
import { withEnforcementLevel } from "../../../runner/engine";
import { Schema, validate } from "../../../policies/lib/schema";

const REPO = path.resolve(__dirname, "..", "..", "..", "..");

/** The policies as the engine sees them (GetAnalyzerInfo), with the engine's injected enforcementLevel. */
const infos: PolicyInfo[] = withEnforcementLevel(definitions.map(d => ({
    name: d.meta.name,
    displayName: d.meta.name,
    description: d.meta.description,
    enforcementLevel: d.defaultLevel,
    tags: [],
    remediationSteps: d.meta.remediation,
    configSchema: d.policy.configSchema
        ? { properties: d.policy.configSchema.properties as Record<string, Schema>, required: d.policy.configSchema.required }
        : undefined,
})));

const schemaProps = (name: string) => (infos.find(p => p.name === name)!.configSchema?.properties ?? {}) as Record<string, Schema>;
const ownProps = (name: string) => Object.entries(schemaProps(name)).filter(([k]) => k !== "enforcementLevel");

function merge(config: Record<string, unknown>): Map<string, PolicyConfigEntry> {
    return reconcileConfig(infos, {}, parsePolicyPackConfig(JSON.stringify(config)), "serverless-guard test");
}

function mergeError(config: Record<string, unknown>): string {
    try {
        merge(config);
    } catch (e) {
        assert.ok(e instanceof ConfigError, `not a ConfigError: ${e}`);
        return e.message;
    }
    return assert.fail(`accepted ${JSON.stringify(config)}`);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A value of the wrong JSON type for a schema. */
function wrongTypeValue(schema: Schema): unknown {
    switch (schema.type) {
        case "string": return 42;
        case "integer": case "number": return "soon";
        case "boolean": return "yes";
        case "array": return "not-a-list";
        case "object": return [1, 2];
        default: return undefined;
    }
}

/** A small value that satisfies a schema (defaults, enums and patterns included). */
function validValue(schema: Schema): unknown {
    if ("default" in schema && validate(schema, schema.default).length === 0) {
        return schema.default;
    }
    if (Array.isArray(schema.enum)) {
        return schema.enum[0];
    }
    switch (schema.type) {
        case "string":
            if (typeof schema.pattern === "string") {
                return fc.sample(fc.stringMatching(new RegExp(schema.pattern)), { numRuns: 1, seed: 7 })[0];
            }
            return "x".repeat(Math.max(3, Number(schema.minLength ?? 0)));
        case "integer": case "number": return Number(schema.minimum ?? 1);
        case "boolean": return true;
        case "array": return [];
        case "object": {
            const props = (schema.properties ?? {}) as Record<string, Schema>;
            return Object.fromEntries(((schema.required ?? []) as string[]).map(k => [k, validValue(props[k] ?? {})]));
        }
        default: return null;
    }
}

interface Located { path: string[]; build(leaf: unknown): unknown }

/** Every place inside a property's schema where a string with the given trait lives, with a builder for a value putting a leaf there. */
function locations(schema: Schema, trait: (s: Schema) => boolean, at: string[] = []): Located[] {
    const out: Located[] = [];
    if (schema.type === "string" && trait(schema)) {
        out.push({ path: at, build: leaf => leaf });
    }
    if (schema.type === "array" && typeof schema.items === "object" && schema.items !== null) {
        for (const inner of locations(schema.items as Schema, trait, [...at, "0"])) {
            out.push({ path: inner.path, build: leaf => [inner.build(leaf)] });
        }
    }
    if (schema.type === "object") {
        const props = (schema.properties ?? {}) as Record<string, Schema>;
        for (const [k, s] of Object.entries(props)) {
            for (const inner of locations(s, trait, [...at, k])) {
                out.push({ path: inner.path, build: leaf => ({ ...(validValue(schema) as object), [k]: inner.build(leaf) }) });
            }
        }
    }
    return out;
}

const isDate = (s: Schema) => s.format === "date" || (typeof s.pattern === "string" && s.pattern.includes("\\d{4}-\\d{2}-\\d{2}"));
const isRegex = (s: Schema) => s.format === "regex";

describe("config errors name the policy and the field", () => {
    it("wrong types: the engine's merge rejects them, for every property of every policy", () => {
        let checked = 0;
        for (const d of definitions) {
            for (const [field, schema] of ownProps(d.meta.name)) {
                const wrong = wrongTypeValue(schema);
                if (wrong === undefined) {
                    continue;
                }
                const message = mergeError({ [d.meta.name]: { [field]: wrong } });
                assert.match(message, new RegExp(`${escape(d.meta.name)}: ${escape(field)}: Invalid type\\. Expected: ${schema.type}`), message);
                checked++;
            }
        }
        assert.ok(checked >= definitions.length, `only ${checked} properties checked`);
    });

    it("unknown policy names: listed with the closest policy name, for every policy", () => {
        for (const d of definitions) {
            const name = d.meta.name;
            const typos = [name.slice(0, -1), name.replace(/-(\w)(\w)/, "-$2$1"), name.replace(/^(aws|azure|gcp|stack)-/, "")];
            for (const typo of typos.filter(t => t !== name && !definitions.some(o => o.meta.name === t))) {
                const problems = strictConfigProblems(infos, parsePolicyPackConfig(JSON.stringify({ [typo]: "mandatory" })));
                assert.deepStrictEqual(problems, [`${typo}: unknown policy (did you mean "${name}"?); the engine ignores its configuration`], typo);
            }
        }
        const far = strictConfigProblems(infos, { "no-such-thing": { enforcementLevel: "advisory" } });
        assert.deepStrictEqual(far, ["no-such-thing: unknown policy; the engine ignores its configuration"]);
    });

    it("unknown properties: listed per policy with the closest property and the known ones, for every policy", () => {
        for (const d of definitions) {
            const own = ownProps(d.meta.name).map(([k]) => k);
            const problems = strictConfigProblems(infos, { [d.meta.name]: { properties: { frobnicate: 1 } } });
            assert.strictEqual(problems.length, 1);
            assert.match(problems[0], new RegExp(`^${escape(d.meta.name)}: frobnicate: unknown property; known: ${escape(own.join(", "))}`));
            for (const field of own) {
                const typo = field.length > 6 ? field.slice(0, -1) : `${field}s`;
                const [p] = strictConfigProblems(infos, { [d.meta.name]: { properties: { [typo]: validValue(schemaProps(d.meta.name)[field]) } } });
                assert.ok(p.startsWith(`${d.meta.name}: ${typo}: unknown property (did you mean "${field}"?)`), p);
            }
        }
    });

    it("the engine itself accepts unknown policies and properties (so only the strict check reports them)", () => {
        const d = definitions[0];
        assert.doesNotThrow(() => merge({ "aws-lambda-function-timout": "mandatory", [d.meta.name]: { frobnicate: 1 } }));
    });

    it("impossible dates in date properties: reported for every date field of every policy", () => {
        let checked = 0;
        for (const d of definitions) {
            for (const [field, schema] of ownProps(d.meta.name)) {
                for (const loc of locations(schema, isDate)) {
                    const where = [field, ...loc.path].join(".");
                    const bad = { [d.meta.name]: { [field]: loc.build("2026-02-30") } };
                    assert.doesNotThrow(() => merge(bad), `${d.meta.name} ${where}: the schema alone accepts 2026-02-30`);
                    const problems = strictConfigProblems(infos, parsePolicyPackConfig(JSON.stringify(bad)));
                    assert.deepStrictEqual(problems, [`${d.meta.name}: ${where}: "2026-02-30" is not a real date (expected an existing day as YYYY-MM-DD)`]);
                    const good = { [d.meta.name]: { [field]: loc.build("2028-02-29") } };
                    assert.deepStrictEqual(strictConfigProblems(infos, parsePolicyPackConfig(JSON.stringify(good))), [], where);
                    checked++;
                }
            }
        }
        assert.ok(checked > 0, "no date property found in any policy");
    });

    it("invalid regular expressions in format: regex properties: rejected by the schema and explained by the strict check", () => {
        const synthetic: PolicyInfo[] = [{
            name: "aws-example", enforcementLevel: "advisory",
            configSchema: { properties: { namePattern: { type: "string", format: "regex" }, allowed: { type: "array", items: { type: "string", format: "regex" } } } },
        }];
        const all = [...synthetic, ...infos];
        let checked = 0;
        for (const p of all) {
            for (const [field, schema] of Object.entries(p.configSchema?.properties ?? {})) {
                for (const loc of locations(schema, isRegex)) {
                    const where = [field, ...loc.path].join(".");
                    const config = { [p.name]: { properties: { [field]: loc.build("([a-z") } } };
                    assert.throws(() => reconcileConfig(all, {}, config, "pack"),
                        (e: unknown) => e instanceof ConfigError && e.message.includes(`${p.name}: ${where}: Does not match format 'regex'`));
                    const problems = strictConfigProblems(all, config);
                    assert.strictEqual(problems.length, 1);
                    assert.match(problems[0], new RegExp(`^${escape(p.name)}: ${escape(where)}: "\\(\\[a-z" is not a valid regular expression \\(.+\\)$`));
                    const ok = { [p.name]: { properties: { [field]: loc.build("^orders-[a-z]+$") } } };
                    assert.doesNotThrow(() => reconcileConfig(all, {}, ok, "pack"));
                    assert.deepStrictEqual(strictConfigProblems(all, ok), []);
                    checked++;
                }
            }
        }
        assert.ok(checked >= 2);
    });

    it("validates format: regex by compiling the expression", () => {
        assert.deepStrictEqual(validate({ type: "string", format: "regex" }, "^a+$"), []);
        assert.deepStrictEqual(validate({ type: "string", format: "regex" }, "a{2,1}"), ["(root): Does not match format 'regex'"]);
        assert.deepStrictEqual(validate({ type: "string", format: "regex" }, "(?<=a"), ["(root): Does not match format 'regex'"]);
        assert.deepStrictEqual(validate({ type: "string", format: "date-time" }, "whatever"), []);
    });

    it("unknown keys inside objects the engine would accept silently, and properties under `all`", () => {
        const synthetic: PolicyInfo[] = [{
            name: "aws-example", enforcementLevel: "advisory",
            configSchema: { properties: { limits: { type: "object", properties: { maxItems: { type: "integer" } } } } },
        }];
        assert.deepStrictEqual(strictConfigProblems(synthetic, { "aws-example": { properties: { limits: { maxItem: 3 } } } }),
            ['aws-example: limits.maxItem: unknown property (did you mean "maxItems"?); known: maxItems']);
        assert.deepStrictEqual(strictConfigProblems(synthetic, parsePolicyPackConfig('{"all": {"enforcementLevel": "advisory", "maxTimeoutSeconds": 5}}')),
            ['all: maxTimeoutSeconds: "all" sets only the enforcement level of every policy; the property is ignored (set it on a named policy)']);
    });

    it("finds no problem in the bundled config profiles", () => {
        const dir = path.join(REPO, "config");
        for (const f of fs.existsSync(dir) ? fs.readdirSync(dir).filter(x => x.endsWith(".json")) : []) {
            const config = parsePolicyPackConfig(fs.readFileSync(path.join(dir, f), "utf8"), f);
            assert.deepStrictEqual(strictConfigProblems(infos, config), [], f);
        }
    });

    it("suggests only close names", () => {
        assert.strictEqual(closestMatch("maxTimeoutSecond", ["maxTimeoutSeconds", "allowedRuntimes"]), "maxTimeoutSeconds");
        assert.strictEqual(closestMatch("evalutionDate", ["evaluationDate", "warnDaysBeforeDeprecation"]), "evaluationDate");
        assert.strictEqual(closestMatch("colour", ["maxTimeoutSeconds"]), undefined);
    });
});
