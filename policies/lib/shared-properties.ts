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
// Once deserialized, the protobuf form of a stack's resource properties is dead weight: on a large
// stack it is over half of the process's live memory (a wrapper object and an array per value). The
// resource message that holds it gets an empty stand-in Struct that maps to the same value, and the
// protobuf form is freed (releaseDecodedProperties). Only the pack's own read path does this, so a
// message that is ever encoded again (the runner's side of the protocol) keeps its properties.
//
// The SDK also wraps each of those objects in a new unknown-checking proxy per policy; the proxy holds
// no state of its own, so one per object serves every policy (shareUnknownCheckingProxies).
//
// The same step remembers which values arrived as Pulumi secrets (see redact.ts): the wire form is
// read once and handed to the SDK, so this costs a walk over the values, not a second conversion.
import { recordSecrets } from "./redact";
import { patchFunction, patchSdkExport, sdkModule } from "./sdk-patch";

type Deserialize = (struct: unknown, proxySecrets?: boolean) => unknown;

interface PropertyHolder { setProperties(struct: unknown): unknown }

/** The resource message each properties Struct was read from, when the pack may release it. */
const holders = new WeakMap<object, PropertyHolder>();
const STAND_IN = Symbol("serverless-guard.stand-in");

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
            const holder = holders.get(struct);
            if (holder) {
                holders.delete(struct);
                try {
                    const standIn = new (struct.constructor as new () => object)();
                    Object.defineProperty(standIn, STAND_IN, { value: true });
                    memo.set(standIn, value);
                    holder.setProperties(standIn);
                } catch {
                    // The message keeps its Struct; the memo still serves it.
                }
            }
            return value;
        };
    });
}

/**
 * Lets the deserialization above release the protobuf properties of the resources of a request:
 * remembers which message a Struct was read from, as the SDK reads it. Installed by the pack only.
 */
export function releaseDecodedProperties(): boolean {
    const pb = sdkModule("@pulumi/pulumi/proto/analyzer_pb");
    const classes = ["AnalyzerResource", "AnalyzerProviderResource"]
        .map(name => (pb?.[name] as { prototype?: PropertyHolder } | undefined)?.prototype)
        .filter((proto): proto is PropertyHolder => typeof proto?.setProperties === "function");
    return classes.length === 2 && classes.every(proto => patchFunction<(this: PropertyHolder) => unknown>(proto, "getProperties", original => function (this: PropertyHolder) {
        const struct = original.call(this);
        if (typeof struct === "object" && struct !== null && !(struct as Record<symbol, unknown>)[STAND_IN]) {
            holders.set(struct, this);
        }
        return struct;
    }));
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

type Proxy = (target: unknown) => unknown;

export function shareUnknownCheckingProxies(): boolean {
    return patchSdkExport<Proxy>("@pulumi/policy/proxy", "unknownCheckingProxy", original => {
        const memo = new WeakMap<object, unknown>();
        return function (this: unknown, target: unknown): unknown {
            if (typeof target !== "object" || target === null) {
                return original.call(this, target);
            }
            let proxy = memo.get(target);
            if (proxy === undefined) {
                proxy = original.call(this, target);
                memo.set(target, proxy);
            }
            return proxy;
        };
    });
}

