// Pack-wide rules every policy definition must follow.
import * as assert from "assert";
import Ajv from "ajv";
import { definitions } from "../../policies/registry";
import { THREATS } from "../../policies/lib/define";
import { unsupportedKeywords } from "../../runner/schema";

const SDKS: Record<string, () => any> = {
    "aws": () => require("@pulumi/aws"),
    "aws-native": () => require("@pulumi/aws-native"),
    "azure": () => require("@pulumi/azure"),
    "azure-native": () => require("@pulumi/azure-native"),
    "gcp": () => require("@pulumi/gcp"),
};

/** The SDK class for a token: `aws:lambda/function:Function` -> aws.lambda.Function, `aws-native:lambda:Url` -> lambda.Url. */
function sdkClass(token: string): { __pulumiType?: string } | undefined {
    const [pkg, module, className] = token.split(":");
    const sdk = SDKS[pkg]?.();
    const namespace = module.split("/")[0];
    return sdk?.[namespace]?.[className];
}

describe("the policy pack", () => {
    it("has unique, stable-looking policy ids prefixed by cloud", () => {
        const names = definitions.map(d => d.meta.name);
        assert.deepStrictEqual(names.filter((n, i) => names.indexOf(n) !== i), []);
        for (const n of names) {
            assert.match(n, /^(aws|azure|gcp|stack|pack)-[a-z0-9]+(-[a-z0-9]+)+$/, n);
            assert.notStrictEqual(n, "all");
        }
    });

    it("matches only type tokens that the cloud SDKs define", () => {
        const bad: string[] = [];
        for (const d of definitions) {
            for (const token of d.resourceTypes) {
                const cls = sdkClass(token);
                if (!cls || cls.__pulumiType !== token) {
                    bad.push(`${d.meta.name}: ${token} (SDK has ${cls?.__pulumiType ?? "no such class"})`);
                }
            }
        }
        assert.deepStrictEqual(bad, []);
    });

    it("gives every policy complete metadata", () => {
        for (const d of definitions) {
            const m = d.meta;
            assert.ok(m.description.length > 20 && /[.!]$/.test(m.description), `${m.name}: description is one full sentence`);
            assert.ok(["low", "medium", "high", "critical"].includes(m.severity), `${m.name}: severity`);
            assert.ok(m.threats.length > 0 && m.threats.every(t => t in THREATS), `${m.name}: threat ids`);
            assert.ok(m.remediation.length > 10, `${m.name}: remediation`);
            assert.ok(d.kind === "stack" || d.resourceTypes.length > 0, `${m.name}: resource types`);
            const expected = m.enforcementLevel ?? (m.severity === "critical" || m.severity === "high" ? "mandatory" : "advisory");
            assert.strictEqual(d.policy.enforcementLevel, expected, `${m.name}: default level follows severity`);
        }
    });

    it("declares config schemas the engine and the runner can both validate", () => {
        const ajv = new Ajv({ strict: false });
        for (const d of definitions) {
            const schema = d.policy.configSchema;
            if (!schema) {
                continue;
            }
            assert.ok(!("enforcementLevel" in schema.properties), `${d.meta.name}: enforcementLevel is reserved`);
            const full = { type: "object", properties: schema.properties, required: schema.required };
            assert.deepStrictEqual(unsupportedKeywords(full), [], d.meta.name);
            const validate = ajv.compile(full);
            const defaults: Record<string, unknown> = {};
            for (const [k, p] of Object.entries(schema.properties)) {
                assert.ok(typeof p === "object" && typeof (p as { description?: string }).description === "string", `${d.meta.name}.${k}: description`);
                if (typeof p === "object" && "default" in p) {
                    defaults[k] = p.default;
                }
            }
            assert.ok(validate(defaults), `${d.meta.name}: defaults validate: ${ajv.errorsText(validate.errors)}`);
        }
    });
});
