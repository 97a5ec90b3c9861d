// Pack-wide rules every policy definition must follow.
import * as assert from "assert";
import Ajv from "ajv";
import { definitions } from "../../policies/registry";
import { resourcePolicy, THREATS } from "../../policies/lib/define";
import { UNKNOWN } from "../../runner/wire";
import { check } from "../support/harness";
import { expectNotApplicable } from "../support/expect";
import { unsupportedKeywords } from "../../policies/lib/schema";

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

    it("lets every opt-in policy say it is off in the same words, before it reads anything", () => {
        const optIn = definitions.filter(d => d.meta.optIn);
        assert.deepStrictEqual(optIn.map(d => d.meta.name).filter(n => /vpc|vnet/.test(n)).sort(),
            ["aws-lambda-function-vpc", "azure-functionapp-vnet-integration", "gcp-cloudfunction-vpc-egress"]);
        for (const d of optIn) {
            const { flag, what } = d.meta.optIn!;
            for (const type of d.resourceTypes) {
                const off = check(d.meta.name, { type, props: { kind: UNKNOWN, siteConfig: UNKNOWN, vpcConfig: UNKNOWN } });
                expectNotApplicable(off, new RegExp(`^${what} is not required \\(set ${flag} to true to check\\)$`));
                const on = check(d.meta.name, { type, props: {} }, { config: { [flag]: true } });
                assert.ok(on.notApplicable === undefined || !on.notApplicable.includes(flag), `${d.meta.name} on ${type}: checks once ${flag} is true`);
            }
        }
    });

    it("refuses an opt-in flag that isn't a boolean config property off by default", () => {
        const spec = {
            name: "aws-example-opt-in", description: "An example policy for this test only.", severity: "low" as const, threats: ["P3" as const],
            remediation: "Nothing to do.", resourceTypes: ["aws:s3/bucket:Bucket"], check: () => undefined,
        };
        assert.throws(() => resourcePolicy({ ...spec, optIn: { flag: "requireX", what: "X" } }), /requireX must be a boolean config property with default false/);
        assert.throws(() => resourcePolicy({ ...spec, optIn: { flag: "requireX", what: "X" }, config: { requireX: { type: "boolean", default: true, description: "x" } } }), /default false/);
    });
});
