// @pulumi/pulumi's package index loads the whole SDK (the automation API, closure serialization,
// the runtime: about 770 modules, 0.3 to 0.5 s of start-up), and @pulumi/policy requires it at load
// only to reach two things later: the asset classes its deserializer constructs (`asset`, a module of
// its own) and `Output` (serializing remediated properties). A scan process loads the policies to run
// them in process (local.ts), and each worker of a scan pays that start-up again; none of them needs
// the rest of the index unless a policy or the SDK asks for it.
//
// deferPulumiIndex puts a stand-in for the index in the module cache before @pulumi/policy is loaded:
// `asset` is the same module object the index exports (the index re-exports ./asset as it is), and any
// other property, key listing or check loads the real index and answers from it (the stand-in then
// forwards everything to it). The real protocol path (the pack process under `pulumi preview`) never
// calls this and loads the SDK as it always does.
import Module = require("module");
import * as path from "path";

/** Where @pulumi/policy resolves a module from (the SDK's own directory), or undefined when it is not installed. */
function resolveFromPolicy(request: string): string | undefined {
    try {
        const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
        return require.resolve(request, { paths: [policyDir] });
    } catch {
        return undefined;
    }
}

/** Installs the stand-in, unless @pulumi/pulumi is loaded already in this process. Returns whether it did. */
export function deferPulumiIndex(): boolean {
    const file = resolveFromPolicy("@pulumi/pulumi");
    const assetFile = resolveFromPolicy("@pulumi/pulumi/asset");
    const cache = require.cache;
    if (!file || !assetFile || cache[file]) {
        return false;
    }
    let real: object | undefined;
    const target: Record<PropertyKey, unknown> = {};
    const load = (): object => {
        if (!real) {
            if (cache[file] === stand) {
                delete cache[file];
            }
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            real = require(file) as object;
            // Properties the real index can't reconfigure (__esModule) are copied, as a proxy must report them as they are.
            for (const key of Reflect.ownKeys(real)) {
                const d = Reflect.getOwnPropertyDescriptor(real, key);
                if (d && !d.configurable) {
                    Object.defineProperty(target, key, d);
                }
            }
        }
        return real;
    };
    const exports = new Proxy(target, {
        get: (_t, key) => {
            if (key === "asset" && !real) {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                return require(assetFile);
            }
            return Reflect.get(load(), key);
        },
        set: (_t, key, value) => Reflect.set(load(), key, value),
        has: (_t, key) => Reflect.has(load(), key),
        ownKeys: () => Reflect.ownKeys(load()),
        getOwnPropertyDescriptor: (t, key) => {
            const d = Reflect.getOwnPropertyDescriptor(load(), key);
            return d && !d.configurable ? Reflect.getOwnPropertyDescriptor(t, key) : d;
        },
        defineProperty: (_t, key, d) => Reflect.defineProperty(load(), key, d),
        deleteProperty: (_t, key) => Reflect.deleteProperty(load(), key),
        getPrototypeOf: () => Reflect.getPrototypeOf(load()),
    });
    const stand = new Module(file);
    stand.filename = file;
    stand.loaded = true;
    stand.exports = exports;
    cache[file] = stand;
    return true;
}
