// The one way the pack replaces a function of @pulumi/policy (or of the protocol classes it uses):
// on the object the SDK itself calls it through, once per process, and only if that function is still
// there. If the SDK's layout ever differs, nothing is patched and the SDK behaves as it always did.
import * as path from "path";

const PATCHED = Symbol.for("serverless-guard.sdk-patch");

type Fn = (...args: any[]) => unknown;

/** Replaces `holder[name]` with `wrap(original)`; true if the replacement is in place. */
export function patchFunction<F extends Fn>(holder: object | undefined, name: string, wrap: (original: F) => F): boolean {
    if (typeof holder !== "object" && typeof holder !== "function" || holder === null) {
        return false;
    }
    const target = holder as Record<string, unknown>;
    const original = target[name] as (F & { [PATCHED]?: true }) | undefined;
    if (typeof original !== "function") {
        return false;
    }
    if (original[PATCHED]) {
        return true;
    }
    const replacement = wrap(original) as F & { [PATCHED]?: true };
    replacement[PATCHED] = true;
    try {
        target[name] = replacement;
    } catch {
        return false;
    }
    return target[name] === replacement;
}

/** A module as @pulumi/policy loads it (resolved from the SDK's own directory), or undefined. */
export function sdkModule(modulePath: string): Record<string, unknown> | undefined {
    try {
        const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require(require.resolve(modulePath, { paths: [policyDir] })) as Record<string, unknown>;
    } catch {
        return undefined;
    }
}

export function patchSdkExport<F extends Fn>(modulePath: string, name: string, wrap: (original: F) => F): boolean {
    return patchFunction(sdkModule(modulePath), name, wrap);
}
