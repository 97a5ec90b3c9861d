// The resource graph every stack policy shares: built once per AnalyzeStack call, indexed by URN,
// type and known identifiers, so each stack policy is linear in the number of resources.
//
// Links come from the engine's dependency data first (propertyDependencies, dependencies, parent),
// which exist even when ARNs, ids and emails are unknown during preview, and from known identifier
// values second (literal ARNs, names, emails in either direction).
import { PolicyResource, UnknownValueError } from "@pulumi/policy";
import { isRecord } from "./values";

const PROXY_TARGET = "__getSpecialProxyTarget";
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SENTINELS = new Set([
    UNKNOWN_STRING, "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", "030794c1-ac77-496b-92df-f27374a8bd58", "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** Output properties that identify a resource to others. */
const IDENTIFIER_PROPS = [
    "arn", "id", "name", "bucket", "url", "email", "functionName", "invokeArn", "qualifiedArn", "selfLink",
    "principalId", "uniqueId", "member", "accountId",
];

export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && SENTINELS.has(value);
}

/** A string that is known (not an unknown sentinel) and not empty. */
export function knownString(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" && !SENTINELS.has(value) ? value : undefined;
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
}

const NO_DEPENDENCIES: Readonly<Record<string, readonly ResourceRef[]>> = Object.freeze({});

/** An unknown-value error for a stack-level property, in the SDK's own class and wording. */
export function unknownAt(node: Node, property: string): UnknownValueError {
    const Ctor = UnknownValueError as unknown as new (sentinel: string, props: string[]) => UnknownValueError;
    return new Ctor(UNKNOWN_STRING, [`${node.type}::${node.name}`, property]);
}

/** Every string under a value, nested objects and lists included. */
export function stringsIn(value: unknown, out: string[] = [], depth = 0): string[] {
    if (depth > 50) {
        return out;
    }
    if (typeof value === "string") {
        out.push(value);
    } else if (Array.isArray(value)) {
        for (const v of value) { stringsIn(v, out, depth + 1); }
    } else if (isRecord(value)) {
        for (const v of Object.values(value)) { stringsIn(v, out, depth + 1); }
    }
    return out;
}

/** The resource part of an ARN or resource path: "role/app" -> "app", "projects/p/topics/t" -> "t". */
function lastSegment(id: string): string | undefined {
    const m = /[/:]([^/:]+)$/.exec(id);
    return m ? m[1] : undefined;
}

/** The plain object behind the SDK's unknown-checking proxy of a resource's properties. */
function propsTarget(resource: PolicyResource): unknown {
    const proxied = resource?.props as Record<string, unknown> | undefined;
    if (!isRecord(proxied)) {
        return undefined;
    }
    return (proxied[PROXY_TARGET] as Record<string, unknown> | undefined) ?? proxied;
}

export class ResourceGraph {
    readonly nodes: Node[];
    private readonly byUrnMap = new Map<string, Node>();
    private readonly byTypeMap = new Map<string, Node[]>();
    private readonly byIdentifier = new Map<string, Node[]>();
    private readonly reverse = new Map<string, Map<string, Node[]>>();
    private readonly memo = new Map<string, unknown>();

    private constructor(resources: PolicyResource[]) {
        const refs = new Map<string, { urn: string; propertyDependencies: Record<string, readonly ResourceRef[]> }>();
        this.nodes = resources.map((resource, index) => {
            const props = propsTarget(resource);
            const ref = { urn: resource.urn, propertyDependencies: NO_DEPENDENCIES as Record<string, readonly ResourceRef[]> };
            refs.set(ref.urn, ref);
            const node: Node = { urn: resource.urn, type: resource.type, name: resource.name, props: isRecord(props) ? props : {}, resource: ref, index };
            this.byUrnMap.set(node.urn, node);
            const list = this.byTypeMap.get(node.type);
            if (list) { list.push(node); } else { this.byTypeMap.set(node.type, [node]); }
            for (const key of IDENTIFIER_PROPS) {
                const id = knownString(node.props[key]);
                if (id && id.length >= 3) {
                    this.addIdentifier(id, node);
                }
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

    private addIdentifier(id: string, node: Node): void {
        const list = this.byIdentifier.get(id);
        if (!list) {
            this.byIdentifier.set(id, [node]);
        } else if (!list.includes(node)) {
            list.push(node);
        }
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

    /** Resources identified by a known ARN, id, name or email (exact, then by the ARN's last segment). */
    lookup(id: string, types?: ReadonlySet<string>): Node[] {
        const fit = (list: Node[] | undefined) => (list ?? []).filter(n => !types || types.has(n.type));
        const exact = fit(this.byIdentifier.get(id));
        if (exact.length > 0 || !/^arn:|\//.test(id)) {
            return exact;
        }
        const tail = lastSegment(id);
        return tail ? fit(this.byIdentifier.get(tail)) : [];
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
     * dependencies, plus those matched by known identifier values anywhere inside the property.
     */
    refs(from: Node, property: string, types: ReadonlySet<string>): Node[] {
        const out = this.deps(from, property, types);
        for (const s of stringsIn(from.props[property])) {
            if (!isUnknown(s) && s.length >= 3) {
                for (const n of this.lookup(s, types)) {
                    if (!out.includes(n) && n !== from) {
                        out.push(n);
                    }
                }
            }
        }
        return out;
    }

    /** Resources of the given types whose `property` refers to `to` (the reverse of refs), indexed once per type and property. */
    referrers(to: Node, property: string, types: readonly string[]): Node[] {
        const key = `${types.join(",")}#${property}`;
        let index = this.reverse.get(key);
        if (!index) {
            index = new Map();
            const targetTypes = new Set(this.nodes.map(n => n.type));
            for (const from of this.ofType(...types)) {
                for (const target of this.refs(from, property, targetTypes)) {
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
