// The resource graph every stack policy shares: built once per AnalyzeStack call, indexed by URN,
// type and known identifiers, so each stack policy is linear in the number of resources.
//
// Links come from the engine's dependency data first (propertyDependencies, dependencies, parent),
// which exist even when ARNs, ids and emails are unknown during preview, and from known identifier
// values second (literal ARNs, names, emails in either direction).
import { PolicyResource, UnknownValueError } from "@pulumi/policy";
import { adapterFor, IdentityIndex, Reference, isUnknown, known, NO_SCOPE, Scope, stringsIn, UNKNOWN_STRING } from "./identity";
import { isRecord, proxyTarget } from "./values";

export { isUnknown, stringsIn };


/** A string that is known (not an unknown sentinel) and not empty. */
export function knownString(value: unknown): string | undefined {
    return known(value);
}

/**
 * What the graph keeps of the SDK's resource object: its URN and, per property, the resources the
 * engine lists as that property's dependencies. Keeping the SDK objects themselves would hold one
 * policy's wrappers (proxies, options, closures) of every resource for the whole call.
 */
export interface ResourceRef {
    readonly urn: string;
    readonly propertyDependencies: Readonly<Record<string, readonly ResourceRef[]>>;
}

export interface Node {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** Plain property values: unknown values are sentinel strings here, never exceptions. */
    readonly props: Record<string, unknown>;
    readonly resource: ResourceRef;
    readonly index: number;
    /** Where the resource lives: [account, region], [project, region] or [subscription, resource group]; undefined levels are unknown. */
    readonly scope: Scope;
}

/** What resolving a reference found: the resources, and whether some reference matched several that can't be told apart. */
export interface Resolution {
    nodes: Node[];
    /** Set when a known value matched several resources in agreeing scopes and no dependency tells which one is meant. */
    undecided: boolean;
}

const NO_DEPENDENCIES: Readonly<Record<string, readonly ResourceRef[]>> = Object.freeze({});

/** An unknown-value error for a stack-level property, in the SDK's own class and wording. */
export function unknownAt(node: Node, property: string): UnknownValueError {
    const Ctor = UnknownValueError as unknown as new (sentinel: string, props: string[]) => UnknownValueError;
    return new Ctor(UNKNOWN_STRING, [`${node.type}::${node.name}`, property]);
}

/** Property name under which lookup hands a bare value to an adapter. */
const LOOKUP = "\u0000lookup";

/** The plain properties of a resource's provider, when the engine sent them. */
function providerProps(resource: PolicyResource): Record<string, unknown> | undefined {
    const provider = (resource as { provider?: { props?: unknown } }).provider;
    const proxied = provider?.props as Record<string, unknown> | undefined;
    if (!isRecord(proxied)) {
        return undefined;
    }
    const target = proxyTarget(proxied);
    return isRecord(target) ? target : undefined;
}

/** The plain object behind the SDK's unknown-checking proxy of a resource's properties. */
function propsTarget(resource: PolicyResource): unknown {
    const proxied = resource?.props as Record<string, unknown> | undefined;
    if (!isRecord(proxied)) {
        return undefined;
    }
    return proxyTarget(proxied);
}

export class ResourceGraph {
    readonly nodes: Node[];
    private readonly byUrnMap = new Map<string, Node>();
    private readonly byTypeMap = new Map<string, Node[]>();
    private readonly identities = new IdentityIndex<Node>();
    private readonly reverse = new Map<string, Map<string, Node[]>>();
    private readonly memo = new Map<string, unknown>();

    private constructor(resources: PolicyResource[]) {
        const refs = new Map<string, { urn: string; propertyDependencies: Record<string, readonly ResourceRef[]> }>();
        this.nodes = resources.map((resource, index) => {
            const raw = propsTarget(resource);
            const props = isRecord(raw) ? raw : {};
            const ref = { urn: resource.urn, propertyDependencies: NO_DEPENDENCIES as Record<string, readonly ResourceRef[]> };
            refs.set(ref.urn, ref);
            const provider = providerProps(resource);
            const identity = adapterFor(resource.type).identify({ type: resource.type, name: resource.name, props, provider });
            const scope = identity.scope[0] === undefined && identity.scope[1] === undefined ? NO_SCOPE : identity.scope;
            const node: Node = { urn: resource.urn, type: resource.type, name: resource.name, props, resource: ref, index, scope };
            this.byUrnMap.set(node.urn, node);
            const list = this.byTypeMap.get(node.type);
            if (list) { list.push(node); } else { this.byTypeMap.set(node.type, [node]); }
            for (const key of identity.keys) {
                this.identities.add(key, node);
            }
            return node;
        });
        resources.forEach(resource => {
            const deps = resource.propertyDependencies;
            const ref = refs.get(resource.urn);
            if (!ref || !isRecord(deps)) {
                return;
            }
            const linked: Record<string, readonly ResourceRef[]> = {};
            let any = false;
            for (const [property, list] of Object.entries(deps)) {
                if (Array.isArray(list) && list.length > 0) {
                    linked[property] = list.map(d => refs.get(d?.urn) ?? { urn: String(d?.urn), propertyDependencies: NO_DEPENDENCIES });
                    any = true;
                }
            }
            if (any) {
                ref.propertyDependencies = linked;
            }
        });
    }

    private static cache: { length: number; first: unknown; last: unknown; graph: ResourceGraph } | undefined;

    /**
     * The graph for an AnalyzeStack call. The SDK hands every stack policy its own wrappers of the
     * same resources, one policy after the other within one call; because their properties are
     * deserialized once per request (see shared-properties.ts), the same property objects identify
     * the same call. The graph is reused across its policies and dropped once the call has finished
     * (the next macrotask). Only property objects are held, never the SDK's wrappers.
     */
    static of(resources: PolicyResource[]): ResourceGraph {
        const first = resources.length > 0 ? propsTarget(resources[0]) : undefined;
        const last = resources.length > 0 ? propsTarget(resources[resources.length - 1]) : undefined;
        const cached = ResourceGraph.cache;
        if (cached && first !== undefined && cached.length === resources.length && cached.first === first && cached.last === last) {
            return cached.graph;
        }
        const graph = new ResourceGraph(resources);
        ResourceGraph.cache = { length: resources.length, first, last, graph };
        setImmediate(() => {
            if (ResourceGraph.cache?.graph === graph) {
                ResourceGraph.cache = undefined;
            }
        });
        return graph;
    }

    /** Drops the graph of the call that just finished (its response is being built). */
    static release(): void {
        ResourceGraph.cache = undefined;
    }

    /** Builds a graph without the per-call cache (for tests and tools). */
    static build(resources: PolicyResource[]): ResourceGraph {
        return new ResourceGraph(resources);
    }

    node(urn: string): Node | undefined {
        return this.byUrnMap.get(urn);
    }

    ofType(...types: string[]): Node[] {
        if (types.length === 1) {
            return this.byTypeMap.get(types[0]) ?? [];
        }
        return types.flatMap(t => this.byTypeMap.get(t) ?? []);
    }

    /**
     * Resources identified by a known ARN, id, name or email. A reference by short name means a
     * resource in the scope of `from` when given; a full ARN or id carries its own scope. A value that
     * matches several resources of a type that can't be told apart finds none of that type.
     */
    lookup(id: string, types?: ReadonlySet<string>, from?: Node): Node[] {
        return this.resolveValue(from, LOOKUP, id, types).nodes;
    }

    /**
     * What one known value held under `property` of `from` refers to, in the scope of `from`; the
     * property's dependencies decide between resources the value can't tell apart.
     */
    resolveValue(from: Node | undefined, property: string, value: string, types?: ReadonlySet<string>): Resolution {
        const type = from?.type ?? (types ? types.values().next().value : undefined) ?? "";
        const view = { type, name: from?.name ?? "", props: { [property]: value } };
        const deps = from && property !== LOOKUP ? this.deps(from, property, types) : [];
        return this.resolveReferences(from, adapterFor(type).references(view, property, from?.scope ?? NO_SCOPE), types, deps);
    }

    /** Resources the engine lists as dependencies of one property of `from`, optionally of the given types. */
    deps(from: Node, property: string, types?: ReadonlySet<string>): Node[] {
        const out: Node[] = [];
        for (const dep of from.resource.propertyDependencies[property] ?? []) {
            const n = this.byUrnMap.get(dep.urn);
            if (n && (!types || types.has(n.type)) && !out.includes(n)) {
                out.push(n);
            }
        }
        return out;
    }

    /**
     * Resources that a property of `from` refers to: those the engine lists as that property's
     * dependencies, plus those matched by known identifier values anywhere inside the property, in
     * agreeing scopes (see identity/).
     */
    refs(from: Node, property: string, types?: ReadonlySet<string>): Node[] {
        return this.resolve(from, property, types).nodes;
    }

    /** Like refs, and says whether a known value matched several resources that no dependency tells apart ("can't tell"). */
    resolve(from: Node, property: string, types?: ReadonlySet<string>): Resolution {
        const deps = this.deps(from, property, types);
        const references = adapterFor(from.type).references(from, property, from.scope);
        return references.length === 0 ? { nodes: deps, undecided: false } : this.resolveReferences(from, references, types, deps);
    }

    /** Resources that given references (from an adapter) name; `deps` decide between resources a value can't tell apart. */
    resolveReferences(from: Node | undefined, references: readonly Reference[], types: ReadonlySet<string> | undefined, deps: Node[]): Resolution {
        const out = [...deps];
        let undecided = false;
        for (const ref of references) {
            for (const key of ref.keys) {
                const found = this.identities.find(key, ref.scope, types, from);
                if (found.nodes.length === 0) {
                    continue;
                }
                for (const n of found.nodes) {
                    if (!found.ambiguous.includes(n.type) && !out.includes(n)) {
                        out.push(n);
                    }
                }
                if (found.ambiguous.some(t => !deps.some(d => d.type === t))) {
                    undecided = true;
                }
                break;
            }
        }
        return { nodes: out, undecided };
    }

    /** Resources of the given types whose `property` refers to `to` (the reverse of refs), indexed once per type and property. */
    referrers(to: Node, property: string, types: readonly string[]): Node[] {
        const key = `${types.join(",")}#${property}`;
        let index = this.reverse.get(key);
        if (!index) {
            index = new Map();
            for (const from of this.ofType(...types)) {
                for (const target of this.refs(from, property)) {
                    const list = index.get(target.urn) ?? [];
                    list.push(from);
                    index.set(target.urn, list);
                }
            }
            this.reverse.set(key, index);
        }
        return index.get(to.urn) ?? [];
    }

    /** Memoizes a derived fact (e.g. a parsed policy document) for the life of the graph. */
    remember<T>(key: string, compute: () => T): T {
        if (this.memo.has(key)) {
            return this.memo.get(key) as T;
        }
        const value = compute();
        this.memo.set(key, value);
        return value;
    }
}
