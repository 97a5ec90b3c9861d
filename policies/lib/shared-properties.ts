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
// The same step remembers which values arrived as Pulumi secrets (see redact.ts): the wire form is
// read once and handed to the SDK, so this costs a walk over the values, not a second conversion.
import { recordSecrets } from "./redact";
import { patchSdkExport } from "./sdk-patch";

type Deserialize = (struct: unknown, proxySecrets?: boolean) => unknown;

export function shareDeserializedProperties(): boolean {
    return patchSdkExport<Deserialize>("@pulumi/policy/deserialize", "deserializeProperties", original => {
        const memo = new WeakMap<object, unknown>();
        return function (this: unknown, struct: unknown, proxySecrets?: boolean): unknown {
            if (proxySecrets || typeof struct !== "object" || struct === null) {
                return original.call(this, struct, proxySecrets);
            }
            if (memo.has(struct)) {
                return memo.get(struct);
            }
            const value = deserializeRecordingSecrets(original, this, struct);
            memo.set(struct, value);
            return value;
        };
    });
}

/** Deserializes a protobuf Struct with the SDK's function and records its secret values. */
export function deserializeRecordingSecrets(deserialize: Deserialize, self: unknown, struct: object): unknown {
    const toJavaScript = (struct as { toJavaScript?: () => unknown }).toJavaScript;
    if (typeof toJavaScript !== "function") {
        return deserialize.call(self, struct, false);
    }
    const raw = toJavaScript.call(struct);
    // The SDK only calls toJavaScript() on the Struct; everything else still comes from the real one.
    const once = Object.create(struct, { toJavaScript: { value: () => raw } });
    const value = deserialize.call(self, once, false);
    recordSecrets(value, raw);
    return value;
}
