import * as assert from "assert";
import * as path from "path";
import { shareDeserializedProperties } from "../../../policies/lib/shared-properties";

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const structProto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] }));

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

    it("is installed once however often the pack is loaded", () => {
        const patched = sdk.deserializeProperties;
        assert.strictEqual(shareDeserializedProperties(), true);
        assert.strictEqual(sdk.deserializeProperties, patched);
    });
});
