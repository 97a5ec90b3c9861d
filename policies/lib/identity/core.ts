// Identity resolution: which resource a reference means. A resource is known by a few keys (names,
// ids, ARNs, emails) within a scope of two levels: AWS account and region, Google Cloud project and
// region, Azure subscription and resource group. A scope level may be unknown (not given, or a
// global resource such as an IAM role or a bucket name that has no region); two references match
// only when every level known on both sides agrees. Each provider contributes an adapter that reads
// a resource's keys and scope and the references its properties hold; nothing else in the pack
// decides what a name or id points to.

/** [outer, inner]: AWS [account, region], Google Cloud [project, region], Azure [subscription, resource group]. */
export type Scope = readonly [string | undefined, string | undefined];

export const NO_SCOPE: Scope = Object.freeze([undefined, undefined]) as Scope;

/** What an adapter reads from: a resource's type, name, plain properties and its provider's properties. */
export interface ResourceView {
    readonly type: string;
    readonly name: string;
    readonly props: Readonly<Record<string, unknown>>;
    /** The properties of the resource's explicit or default provider, when the engine sent them. */
    readonly provider?: Readonly<Record<string, unknown>>;
}

export interface Identity {
    /** The keys the resource is known by (already normalized, e.g. lower-cased where the cloud ignores case). */
    readonly keys: readonly string[];
    readonly scope: Scope;
}

/** One reference held by a property: keys to try in order (the first that finds anything wins) and its scope. */
export interface Reference {
    readonly keys: readonly string[];
    readonly scope: Scope;
}

export interface IdentityAdapter {
    /** Whether the adapter reads this type token. */
    handles(type: string): boolean;
    /** The keys and scope of a resource. */
    identify(resource: ResourceView): Identity;
    /**
     * The references one top-level property of a resource holds. `own` is the resource's scope, which
     * a reference by short name inherits (a name means a resource in the referrer's account and region).
     */
    references(from: ResourceView, property: string, own: Scope): Reference[];
}

/** Whether two scopes agree on every level known on both sides. */
export function scopesAgree(a: Scope, b: Scope): boolean {
    return (a[0] === undefined || b[0] === undefined || a[0] === b[0]) && (a[1] === undefined || b[1] === undefined || a[1] === b[1]);
}

/** A reference's scope: levels it names itself win, the others come from the referrer. */
export function inherit(explicit: Scope | undefined, own: Scope, levels: { outer: boolean; inner: boolean } = { outer: true, inner: true }): Scope {
    return [explicit?.[0] ?? (levels.outer ? own[0] : undefined), explicit?.[1] ?? (levels.inner ? own[1] : undefined)];
}

/** A shared key's resources by type, scope mask and scope values, built on first use once many resources share it. */
interface ScopeIndex<N> {
    types: string[];
    entries: Map<string, N[]>;
}

/** Lists up to this long are filtered directly; longer ones (a name shared by many resources) get a scope index. */
const SMALL = 8;
const MASKS = [0, 1, 2, 3] as const;

const maskOf = (s: Scope) => (s[0] !== undefined ? 1 : 0) | (s[1] !== undefined ? 2 : 0);
const part = (s: Scope, mask: number) => `${mask & 1 ? s[0] : ""}\u0000${mask & 2 ? s[1] : ""}`;

export interface Found<N> {
    nodes: N[];
    /** Types for which the reference matched several resources that can't be told apart. */
    ambiguous: string[];
}

/**
 * Resources by key and scope. Finding a reference costs a few map lookups however many resources
 * share its key: a shared key's resources are indexed once by (type, known scope levels, values),
 * and a reference looks up, for each combination of levels a resource may know, the values it
 * agrees with.
 */
export class IdentityIndex<N extends { readonly type: string; readonly scope: Scope }> {
    /** One resource, or the list of resources, per key: most keys name exactly one resource. */
    private readonly buckets = new Map<string, N | N[]>();
    private readonly scoped = new Map<string, ScopeIndex<N>>();

    add(key: string, node: N): void {
        const bucket = this.buckets.get(key);
        if (bucket === undefined) {
            this.buckets.set(key, node);
        } else if (Array.isArray(bucket)) {
            if (!bucket.includes(node)) {
                bucket.push(node);
                this.scoped.delete(key);
            }
        } else if (bucket !== node) {
            this.buckets.set(key, [bucket, node]);
        }
    }

    /** Resources with this key whose scope agrees with `scope`, of the given types (all when undefined), other than `except`; at most two per type. */
    find(key: string, scope: Scope, types?: ReadonlySet<string>, except?: N): Found<N> {
        const bucket = this.buckets.get(key);
        const out: Found<N> = { nodes: [], ambiguous: [] };
        if (bucket === undefined) {
            return out;
        }
        const list = Array.isArray(bucket) ? bucket : [bucket];
        if (list.length <= SMALL) {
            const perType = new Map<string, number>();
            for (const n of list) {
                if (n !== except && (!types || types.has(n.type)) && scopesAgree(n.scope, scope)) {
                    perType.set(n.type, (perType.get(n.type) ?? 0) + 1);
                    out.nodes.push(n);
                }
            }
            perType.forEach((count, type) => { if (count > 1) { out.ambiguous.push(type); } });
            return out;
        }
        const index = this.scopeIndex(key, list);
        const refMask = maskOf(scope);
        for (const type of index.types) {
            if (types && !types.has(type)) {
                continue;
            }
            let count = 0;
            for (const mask of MASKS) {
                for (const n of index.entries.get(`${type}\u0000${mask}\u0000${part(scope, mask & refMask)}`) ?? []) {
                    if (n === except) { continue; }
                    if (count < 2) { out.nodes.push(n); }
                    count++;
                    if (count > 1) { break; }
                }
                if (count > 1) { break; }
            }
            if (count > 1) { out.ambiguous.push(type); }
        }
        return out;
    }

    private scopeIndex(key: string, list: N[]): ScopeIndex<N> {
        const cached = this.scoped.get(key);
        if (cached) {
            return cached;
        }
        const entries = new Map<string, N[]>();
        const types = new Set<string>();
        for (const n of list) {
            types.add(n.type);
            const own = maskOf(n.scope);
            // Indexed under every subset of its known levels, so that a reference knowing only some
            // levels finds it by those (the unknown ones can't disagree).
            for (const sub of MASKS) {
                if ((sub & own) === sub) {
                    const k = `${n.type}\u0000${own}\u0000${part(n.scope, sub)}`;
                    const at = entries.get(k);
                    if (at) { at.push(n); } else { entries.set(k, [n]); }
                }
            }
        }
        const index = { types: [...types], entries };
        this.scoped.set(key, index);
        return index;
    }
}
