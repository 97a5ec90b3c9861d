// The scanner's input formats: detection, parsing and the errors for everything else.
import * as assert from "assert";
import * as fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { decodeInput, InputError, OPAQUE_SECRET, parseInput, secretStrings, stackAndProject } from "../../../runner/inputs";
import { isSecret, secret, SECRET_SIG, SECRET_SIG_KEY, sortedKeys, UNKNOWN } from "../../../runner/wire";

const REPO = path.resolve(__dirname, "..", "..", "..", "..");
const example = (file: string) => fs.readFileSync(path.join(REPO, "examples", "stacks", file), "utf8");

function throwsInput(text: string, pattern: RegExp): void {
    assert.throws(() => parseInput(text, "in.json"), (e: unknown) => {
        assert.ok(e instanceof InputError, `expected an InputError, got ${e}`);
        assert.match(e.message, pattern);
        return true;
    });
}

describe("scan input: pulumi stack export (version 3)", () => {
    const insecure = parseInput(example("exports/aws-insecure.export.json"), "aws-insecure.export.json");

    it("is detected, with stack and project from the URNs", () => {
        assert.strictEqual(insecure.format, "stack-export");
        assert.strictEqual(insecure.stack, "dev");
        assert.strictEqual(insecure.project, "shop");
        assert.ok(insecure.resources.some(r => r.type === "pulumi:pulumi:Stack"));
        assert.ok(insecure.resources.some(r => r.type === "pulumi:providers:aws"));
    });

    it("keeps inputs for Analyze, outputs for AnalyzeStack, and the resource graph", () => {
        const fn = insecure.resources.find(r => r.name === "orders")!;
        assert.strictEqual(fn.type, "aws:lambda/function:Function");
        assert.strictEqual(fn.urn, "urn:pulumi:dev::shop::aws:lambda/function:Function::orders");
        assert.strictEqual(fn.props.runtime, "nodejs16.x");
        assert.strictEqual(fn.outputs!.lastModified, "2026-11-20T10:14:58.118+0000");
        assert.strictEqual(fn.parent, "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev");
        assert.deepStrictEqual(fn.propertyDependencies!.role, ["urn:pulumi:dev::shop::aws:iam/role:Role::orders-role"]);
        assert.ok(fn.dependencies!.includes("urn:pulumi:dev::shop::aws:iam/role:Role::orders-role"));
        assert.strictEqual(fn.sourcePosition, "project:///index.ts#34,15");
        assert.strictEqual(fn.options?.parent, fn.parent);
    });

    it("treats ciphertext secrets as opaque secrets and decodes --show-secrets plaintext", () => {
        const fn = insecure.resources.find(r => r.name === "orders")!;
        const vars = (fn.props.environment as { variables: Record<string, unknown> }).variables;
        assert.deepStrictEqual(vars.DB_PASSWORD, secret(OPAQUE_SECRET));
        assert.deepStrictEqual(fn.outputs!.environment, secret(OPAQUE_SECRET));
        const param = insecure.resources.find(r => r.name === "db-password")!;
        assert.deepStrictEqual(param.props.value, secret("hunter2-prod-pw"));
        assert.ok(!JSON.stringify(insecure).includes("ciphertext"));
    });

    it("leaves resources pending deletion out, as the engine does", () => {
        const doc = JSON.parse(example("exports/aws-insecure.export.json"));
        const old = { ...doc.deployment.resources[5], delete: true };
        doc.deployment.resources.push(old);
        const parsed = parseInput(JSON.stringify(doc));
        assert.strictEqual(parsed.resources.length, insecure.resources.length);
    });

    it("accepts an empty stack and rejects other versions and shapes, naming the problem", () => {
        assert.deepStrictEqual(parseInput('{"version":3,"deployment":{"manifest":{}}}').resources, []);
        throwsInput('{"version":2,"deployment":{"resources":[]}}', /stack export of version 2; only version 3 is supported/);
        throwsInput('{"version":3,"deployment":null}', /looks like a stack export, but its "deployment" is null/);
        throwsInput('{"version":3,"deployment":{"resources":{"a":1}}}', /deployment\.resources must be a list/);
        throwsInput('{"version":3,"deployment":{"resources":[{"type":"aws:sqs/queue:Queue"}]}}', /deployment\.resources\[0\] is not a resource: it needs string "urn" and "type"/);
    });
});

describe("scan input: pulumi preview --json", () => {
    const preview = parseInput(example("exports/aws-preview.json"), "aws-preview.json");

    it("is detected; deleted resources are left out", () => {
        assert.strictEqual(preview.format, "preview-json");
        assert.strictEqual(preview.stack, "dev");
        assert.strictEqual(preview.project, "shop");
        assert.deepStrictEqual(preview.resources.map(r => r.name), ["shop-dev", "default_7_48_0", "api-role", "api", "api-url", "api-logs"]);
    });

    it("turns the [secret] placeholders into opaque secrets and keeps unknowns", () => {
        const fn = preview.resources.find(r => r.name === "api")!;
        const vars = (fn.props.environment as { variables: Record<string, unknown> }).variables;
        assert.deepStrictEqual(vars.API_TOKEN, secret(OPAQUE_SECRET));
        assert.strictEqual(vars.STAGE, "dev");
        assert.strictEqual(fn.props.role, UNKNOWN);
        assert.deepStrictEqual(fn.propertyDependencies!.role, ["urn:pulumi:dev::shop::aws:iam/role:Role::api-role"]);
    });

    it("takes a preview without steps as an empty stack, and refuses the output of a failed preview", () => {
        assert.strictEqual(parseInput('{"changeSummary":{}}').format, "preview-json");
        throwsInput('{"diagnostics":[{"message":"boom","severity":"info#err"}],"changeSummary":{}}', /output of a failed preview \(1 error diagnostic\)/);
        throwsInput('{"steps":[42]}', /steps\[0\] is a JSON number, not a step object/);
    });
});

describe("scan input: plain resource list", () => {
    it("is detected as a bare list or {stack, resources}, with URNs generated when absent", () => {
        const bare = parseInput('[{"type":"aws:sqs/queue:Queue","name":"q","props":{}}]');
        assert.strictEqual(bare.format, "resource-list");
        assert.strictEqual(bare.resources[0].urn, "urn:pulumi:scan::scan::aws:sqs/queue:Queue::q");
        const wrapped = parseInput(example("aws-insecure.json"));
        assert.strictEqual(wrapped.format, "resource-list");
        assert.strictEqual(wrapped.stack, "dev");
        const given = parseInput('[{"type":"aws:sqs/queue:Queue","name":"q","urn":"urn:pulumi:prod::p::aws:sqs/queue:Queue::q","props":{"x":1},"sourcePosition":"project:///a.ts#3,1"}]');
        assert.strictEqual(given.resources[0].urn, "urn:pulumi:prod::p::aws:sqs/queue:Queue::q");
        assert.strictEqual(given.resources[0].sourcePosition, "project:///a.ts#3,1");
        assert.strictEqual(given.project, "p");
    });

    it("keeps wire secrets and reads state-style secrets", () => {
        const list = parseInput(JSON.stringify([{ type: "t:m:R", name: "r", props: {
            a: { [SECRET_SIG_KEY]: SECRET_SIG, value: "v1" },
            b: { [SECRET_SIG_KEY]: SECRET_SIG, plaintext: "\"v2\"" },
            c: { [SECRET_SIG_KEY]: SECRET_SIG, ciphertext: "AAAA" },
        } }]));
        const props = list.resources[0].props;
        assert.deepStrictEqual([props.a, props.b, props.c], [secret("v1"), secret("v2"), secret(OPAQUE_SECRET)]);
    });

    it("names the resource that is malformed", () => {
        throwsInput('[{"type":"t:m:R"}]', /resource 0 needs string "type" and "name"/);
        throwsInput('[{"type":"t:m:R","name":"r","props":[1]}]', /resource 0 \(r\): "props" must be an object/);
    });
});

describe("scan input: anything else", () => {
    it("gets one error that says which formats are accepted", () => {
        for (const text of ["42", "\"text\"", "null", "true", "{}", "{\"foo\":1,\"bar\":[]}"]) {
            throwsInput(text, /is not a recognised input: it is .*\. Expected a `pulumi stack export` file \(version 3\), `pulumi preview --json` output, or a JSON list of/);
        }
        throwsInput("{\"foo\":1,\"bar\":[]}", /a JSON object with the keys "foo", "bar"/);
    });

    it("says empty, binary or not JSON, with the line and column", () => {
        throwsInput("", /it is empty\. Expected a `pulumi stack export`/);
        throwsInput("  \n ", /it is empty/);
        throwsInput("\u001f\u008b\b\u0000\u0000\u0000garbage", /binary data, not JSON text/);
        throwsInput("{\n  \"a\": 1,\n  oops\n}", /not valid JSON at line 3 column 3/);
        throwsInput("version: 3\ndeployment: {}", /not valid JSON at line 1 column 1/);
    });

    it("says a truncated file is truncated, and which format it was", () => {
        const full = example("exports/aws-insecure.export.json").trimEnd();
        fc.assert(fc.property(fc.integer({ min: 1, max: full.length - 1 }), cut => {
            const prefix = full.slice(0, cut);
            assert.throws(() => parseInput(prefix, "export.json"), (e: unknown) => {
                assert.ok(e instanceof InputError);
                assert.match(e.message, /ends early, at line \d+ column \d+: the file looks truncated/);
                if (prefix.includes("\"deployment\":")) {
                    assert.match(e.message, /a pulumi stack export document ends early/);
                }
                return true;
            });
        }), { seed: 7, numRuns: 200 });
    });

    it("reads UTF-8 with a byte-order mark and UTF-16 (PowerShell redirection)", () => {
        const text = '[{"type":"t:m:R","name":"é","props":{}}]';
        assert.strictEqual(decodeInput(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")])), text);
        assert.strictEqual(decodeInput(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])), text);
        const be = Buffer.from(text, "utf16le");
        be.swap16();
        assert.strictEqual(decodeInput(Buffer.concat([Buffer.from([0xfe, 0xff]), be])), text);
        assert.strictEqual(parseInput(decodeInput(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]))).resources[0].name, "é");
    });
});

describe("scan input helpers", () => {
    it("reads stack and project from URNs", () => {
        assert.deepStrictEqual(stackAndProject("urn:pulumi:dev::shop::aws:s3/bucketV2:BucketV2::b"), { stack: "dev", project: "shop" });
        assert.deepStrictEqual(stackAndProject("not-a-urn"), {});
    });

    it("collects every secret string of the input, longest first, but not opaque ones", () => {
        const { resources } = parseInput(JSON.stringify([{ type: "t:m:R", name: "r", props: {
            a: secret("short"), b: secret({ user: "admin-user", password: "correct-horse-battery" }), c: secret(123456789),
            d: { [SECRET_SIG_KEY]: SECRET_SIG, ciphertext: "AAAA" }, e: "not-a-secret-value",
        } }]));
        assert.deepStrictEqual(secretStrings(resources), ["correct-horse-battery", "admin-user", "123456789"]);
        assert.ok(isSecret(resources[0].props.b));
    });
});

describe("scan input: keys in wire order", () => {
    it("sortedKeys gives Object.keys(value).sort(), whatever order the keys came in", () => {
        fc.assert(fc.property(fc.dictionary(fc.oneof(fc.string({ maxLength: 4 }), fc.nat(30).map(String)), fc.constant(1)), value => {
            assert.deepStrictEqual(sortedKeys(value), Object.keys(value).sort());
        }), { numRuns: 500 });
    });
});
