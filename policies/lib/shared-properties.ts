// One deserialization of a resource's properties per request, shared by every policy.
//
// @pulumi/policy (1.21) turns the protobuf properties of a resource into JavaScript once per policy:
// an Analyze request is deserialized again for each of the ~80 resource policies that may apply to
// it, and an AnalyzeStack request deserializes every resource of the stack again for each stack
// policy. The protobuf Struct of a request is one object for the life of the request (the generated
// getter caches it), so the result can be memoized by that object: the same input gives the same
// value, and it is dropped with the request. Only the read-only path is shared (proxySecrets=false:
// validation); remediation, which hands properties to code that may change them, is left as it is.
//
// If the SDK's module layout ever differs, nothing is patched and the SDK behaves as it always did.
type Deserialize = (struct: unknown, proxySecrets?: boolean) => unknown;

const MARK = Symbol.for("serverless-guard.shared-properties");

export function shareDeserializedProperties(): boolean {
    let mod: { deserializeProperties?: Deserialize & { [MARK]?: true } };
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        mod = require("@pulumi/policy/deserialize") as typeof mod;
    } catch {
        return false;
    }
    const original = mod.deserializeProperties;
    if (typeof original !== "function") {
        return false;
    }
    if (original[MARK]) {
        return true;
    }
    const memo = new WeakMap<object, unknown>();
    const shared = function (this: unknown, struct: unknown, proxySecrets?: boolean): unknown {
        if (proxySecrets || typeof struct !== "object" || struct === null) {
            return original.call(this, struct, proxySecrets);
        }
        if (memo.has(struct)) {
            return memo.get(struct);
        }
        const value = original.call(this, struct, proxySecrets);
        memo.set(struct, value);
        return value;
    } as Deserialize & { [MARK]?: true };
    shared[MARK] = true;
    try {
        mod.deserializeProperties = shared;
    } catch {
        return false;
    }
    return mod.deserializeProperties === shared;
}
