// The resolver's entry points and its registry of identity adapters. Each cloud's model
// (policies/model/<cloud>/identity.ts) contributes the adapters of its providers and registers them
// (policies/model/adapters.ts); a new provider only needs an adapter: a function from a resource to
// its keys and scope, and from a property to the references it holds.
import { IdentityAdapter, Reference, ResourceView, Scope } from "./core";
import { identifierStrings, referenceStrings } from "./strings";

export * from "./core";
export { isUnknown, known, lastSegment, stringsIn, UNKNOWN_STRING } from "./strings";

/** Resources of providers without an adapter: known by their common identifier properties, unscoped. */
const genericAdapter: IdentityAdapter = {
    handles: () => true,
    identify: r => ({ keys: identifierStrings(r.props, ["arn", "id", "name", "email"]), scope: [undefined, undefined] }),
    references: (from, property, own) => referenceStrings(from.props[property]).map((value): Reference => ({ keys: [value], scope: own })),
};

const adapters: IdentityAdapter[] = [];

/** Adds an adapter for another provider; adapters registered later are asked first. */
export function registerAdapter(adapter: IdentityAdapter): void {
    if (!adapters.includes(adapter)) {
        adapters.unshift(adapter);
    }
}

export function adapterFor(type: string): IdentityAdapter {
    return adapters.find(a => a.handles(type)) ?? genericAdapter;
}

/** The scope a resource's identity has (its account/region, project/region or subscription/resource group). */
export function scopeOf(resource: ResourceView): Scope {
    return adapterFor(resource.type).identify(resource).scope;
}
