// The one way the pack replaces a function of @pulumi/policy: through the module object the SDK itself
// calls it on, once per process, and only if the SDK still has that function. If the SDK's layout ever
// differs, nothing is patched and the SDK behaves as it always did.
const PATCHED = Symbol.for("serverless-guard.sdk-patch");

type Fn = (...args: any[]) => unknown;

export function patchSdkExport<F extends Fn>(modulePath: string, name: string, wrap: (original: F) => F): boolean {
    let mod: Record<string, unknown>;
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        mod = require(modulePath) as Record<string, unknown>;
    } catch {
        return false;
    }
    const original = mod[name] as (F & { [PATCHED]?: true }) | undefined;
    if (typeof original !== "function") {
        return false;
    }
    if (original[PATCHED]) {
        return true;
    }
    const replacement = wrap(original) as F & { [PATCHED]?: true };
    replacement[PATCHED] = true;
    try {
        mod[name] = replacement;
    } catch {
        return false;
    }
    return mod[name] === replacement;
}
