import * as assert from "assert";
import * as path from "path";
import { releaseDecodedProperties, shareDeserializedProperties, shareUnknownCheckingProxies } from "../../../policies/lib/shared-properties";

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const structProto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] }));
const analyzerProto = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [path.dirname(require.resolve("@pulumi/policy/package.json"))] }));

type Deserialize = (struct: unknown, proxySecrets?: boolean) => Record<string, unknown>;
// Read through the module object on every call, as the SDK's server does.
const sdk = require("@pulumi/policy/deserialize") as { deserializeProperties: Deserialize };

function struct(value: Record<string, unknown>): unknown {
    return structProto.Struct.fromJavaScript(value);
}

describe("one deserialization per request, shared by all policies", () => {
    before(() => {
        assert.strictEqual(shareDeserializedProperties(), true, "the pinned @pulumi/policy could not be patched; its module layout changed");
    });

    it("gives every validating policy the same value for the same request", () => {
        const s = struct({ runtime: "nodejs20.x", environment: { variables: { A: "1" } } });
        const first = sdk.deserializeProperties(s, false);
        assert.strictEqual(sdk.deserializeProperties(s, false), first);
        assert.deepStrictEqual(first, { runtime: "nodejs20.x", environment: { variables: { A: "1" } } });
    });

    it("deserializes another request anew, even with equal content", () => {
        const a = sdk.deserializeProperties(struct({ name: "fn" }), false);
        const b = sdk.deserializeProperties(struct({ name: "fn" }), false);
        assert.notStrictEqual(a, b);
        assert.deepStrictEqual(a, b);
    });

    it("leaves remediation (secret-preserving copies that may be changed) unshared", () => {
        const s = struct({ name: "fn" });
        const a = sdk.deserializeProperties(s, true);
        const b = sdk.deserializeProperties(s, true);
        assert.notStrictEqual(a, b);
        assert.notStrictEqual(a, sdk.deserializeProperties(s, false));
    });

    it("frees a stack resource's protobuf properties once read, and still gives every policy the same value", () => {
        assert.strictEqual(releaseDecodedProperties(), true, "the protocol classes of @pulumi/pulumi could not be patched; their layout changed");
        const resource = new analyzerProto.AnalyzerResource();
        resource.setType("aws:lambda/function:Function");
        resource.setProperties(struct({ runtime: "nodejs20.x", layers: ["arn:aws:lambda:eu-west-1:111122223333:layer:l:1"] }));
        const decoded = resource.getProperties();
        const first = sdk.deserializeProperties(decoded, false);
        const standIn = resource.getProperties();
        assert.notStrictEqual(standIn, decoded, "the message still holds its protobuf properties");
        assert.strictEqual(standIn.getFieldsMap().getLength(), 0);
        assert.strictEqual(sdk.deserializeProperties(standIn, false), first, "a later policy got another value");
        assert.deepStrictEqual(first, { runtime: "nodejs20.x", layers: ["arn:aws:lambda:eu-west-1:111122223333:layer:l:1"] });
    });

    it("keeps the properties of a message that is only encoded, as the runner's side does", () => {
        releaseDecodedProperties();
        const resource = new analyzerProto.AnalyzerResource();
        resource.setProperties(struct({ name: "fn" }));
        const bytes = resource.serializeBinary();
        const again = analyzerProto.AnalyzerResource.deserializeBinary(bytes);
        assert.deepStrictEqual(again.getProperties().toJavaScript(), { name: "fn" });
        assert.deepStrictEqual(resource.getProperties().toJavaScript(), { name: "fn" });
    });

    it("is installed once however often the pack is loaded", () => {
        const patched = sdk.deserializeProperties;
        assert.strictEqual(shareDeserializedProperties(), true);
        assert.strictEqual(sdk.deserializeProperties, patched);
    });
});

describe("one unknown-checking proxy per property object", () => {
    const proxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy: (t: unknown) => Record<string, unknown>; UnknownValueError: new (...a: unknown[]) => Error };
    const { unknownStringValue } = require("@pulumi/policy/proxy") as { unknownStringValue: unknown };

    before(() => {
        assert.strictEqual(shareUnknownCheckingProxies(), true, "the pinned @pulumi/policy could not be patched; its module layout changed");
    });

    it("hands every policy the same proxy for the same properties, and still reports unknowns", () => {
        const props = { runtime: "nodejs20.x", role: unknownStringValue };
        const first = proxy.unknownCheckingProxy(props);
        assert.strictEqual(proxy.unknownCheckingProxy(props), first);
        assert.strictEqual(first.runtime, "nodejs20.x");
        assert.throws(() => first.role, (e: unknown) => e instanceof proxy.UnknownValueError);
        assert.notStrictEqual(proxy.unknownCheckingProxy({ ...props }), first, "other properties get their own proxy");
        assert.strictEqual(proxy.unknownCheckingProxy("plain"), "plain");
    });
});
