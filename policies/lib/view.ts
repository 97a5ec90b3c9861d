// Provider-neutral views of resources. One meaning (a function URL's authentication, a function app's
// TLS floor) is written once as a policy over a view; each provider's type token gets a small adapter
// that builds the view from that provider's property shape. A view never copies the properties: each
// field reads through the SDK's proxy when the policy asks for it, so a value unknown during preview
// still throws the SDK's unknown-value error, and a field carries the provider's own property path,
// so a message names what the user wrote (`siteConfig.minimumTlsVersion` on classic Azure,
// `siteConfig.minTlsVersion` on azure-native).
import { CheckContext, LinkedStack, PolicyDefinition, PolicyMeta, resourcePolicy } from "./define";
import { isRerunning } from "./redecide";
import { at, Dict, isRecord, isSet, isUnknownValue } from "./values";

/** One setting of a resource as its provider spells it. */
export interface Field {
    /** The provider's property path, for messages. */
    readonly where: string;
    /** False when this provider type has no such setting at all. */
    readonly exists: boolean;
    /** The value, read now; a value unknown during preview throws the SDK's unknown-value error. */
    read(): unknown;
    /** Whether the value is set, without reading it: a value unknown during preview counts as set. */
    isSet(): boolean;
    /** Whether the value is unknown during preview, without throwing. */
    isUnknown(): boolean;
    /** A remediation patch that sets this field, in the provider's shape (undefined: it can't be set). */
    patch(value: unknown): Dict | undefined;
}

/** The field at a dotted property path, e.g. "siteConfig.ftpsState". */
export function field(props: Dict, where: string): Field {
    const keys = where.split(".");
    const last = keys[keys.length - 1];
    const parent = () => keys.length === 1 ? props : at(props, ...keys.slice(0, -1));
    return {
        where,
        exists: true,
        read: () => {
            const p = parent();
            return isRecord(p) ? p[last] : undefined;
        },
        isSet: () => isSet(parent(), last),
        isUnknown: () => isUnknownValue(parent(), last),
        patch: value => keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Dict,
    };
}

/** A field whose value is derived (normalized) from the properties, named by the property it comes from. */
export function derived(where: string, read: () => unknown, patch?: (value: unknown) => Dict | undefined): Field {
    return {
        where,
        exists: true,
        read,
        isSet: () => {
            const v = read();
            return v !== undefined && v !== null && v !== "";
        },
        isUnknown: () => false,
        patch: value => patch?.(value),
    };
}

/** A setting the provider doesn't have for this type: reads as unset and can't be patched. */
export function absent(where: string): Field {
    return { where, exists: false, read: () => undefined, isSet: () => false, isUnknown: () => false, patch: () => undefined };
}

/** Fields at dotted paths, one per neutral name: the common adapter whose provider only renames settings. */
export function fields<K extends string>(props: Dict, paths: Record<K, string | null>): Record<K, Field> {
    const out = {} as Record<K, Field>;
    for (const key of Object.keys(paths) as K[]) {
        const where = paths[key];
        out[key] = where === null ? absent(key) : field(props, where);
    }
    return out;
}

/** Deep-merges remediation patches (each in the provider's shape); undefined when there is nothing to change. */
export function mergePatches(...patches: (Dict | undefined)[]): Dict | undefined {
    const merge = (into: Dict, from: Dict) => {
        for (const [k, v] of Object.entries(from)) {
            if (isRecord(v) && isRecord(into[k])) {
                merge(into[k] as Dict, v);
            } else {
                into[k] = v;
            }
        }
    };
    const present = patches.filter((p): p is Dict => p !== undefined);
    if (present.length === 0) {
        return undefined;
    }
    const out: Dict = {};
    present.forEach(p => merge(out, p));
    return out;
}

/** Builds one kind of view from one provider type. */
export interface Adapter<V> {
    /**
     * Why this resource is not of the view's kind (e.g. an azure-native web app that isn't a function
     * app), or undefined. May throw the SDK's unknown-value error: then the policy can't decide.
     */
    notKind?(props: Dict): string | undefined;
    view(props: Dict, type: string): V;
}

/** The adapters of a kind of view, by type token; a policy checks exactly these types. */
export type Adapters<V> = Readonly<Record<string, Adapter<V>>>;

/** The view type that a set of adapters builds. */
export type ViewOf<A> = A extends Adapters<infer V> ? V : never;

/** An adapter for a provider type that only renames settings. */
export function renames<K extends string>(paths: Record<K, string | null>, notKind?: (props: Dict) => string | undefined): Adapter<Record<K, Field>> {
    return { notKind, view: props => fields(props, paths) };
}

export interface ViewCheckContext<V, C> extends CheckContext<C> {
    readonly view: V;
    /** The stack around the resource (see ResourceCheckContext.stack); only with `withStack`. */
    stack(): LinkedStack;
}

export interface ViewPolicySpec<V, C> extends PolicyMeta {
    adapters: Adapters<V>;
    /** The check may call `stack()` (see ResourcePolicySpec.withStack). */
    withStack?: boolean;
    check(ctx: ViewCheckContext<V, C>): void;
    /** The settings to change, written with the view's fields (Field.patch) so they are in the provider's shape. */
    remediate?(view: V, ctx: { readonly type: string; readonly config: C }): Dict | undefined;
}

/**
 * Views already built for the properties object seen last, per adapter: a resource's properties reach
 * every policy of its type as the same object, one after another (policies/lib/shared-properties.ts),
 * and a view only reads through them, so the policies that share an adapter share one view of a
 * resource instead of building it each. Only the last object is kept: views kept for every resource
 * that something else holds until AnalyzeStack (waiting checks, provenance) took hundreds of MiB at
 * 50,000 resources (npm run bench).
 */
let lastProps: object | undefined;
let lastViews = new Map<Adapter<unknown>, { type: string; view: unknown }>();

function viewOf<V>(adapter: Adapter<V>, props: Dict, type: string): V {
    if (typeof props !== "object" || props === null || isRerunning()) {
        // A check decided again with provenance (redecide.ts) reads its values in that context: a fresh view.
        return adapter.view(props, type);
    }
    if (props !== lastProps) {
        lastProps = props;
        lastViews = new Map();
    }
    const cached = lastViews.get(adapter as Adapter<unknown>);
    if (cached && cached.type === type) {
        return cached.view as V;
    }
    const view = adapter.view(props, type);
    lastViews.set(adapter as Adapter<unknown>, { type, view });
    return view;
}

/** A resource policy written once over a view: it checks every type its adapters know. */
export function viewPolicy<V, C = Record<string, never>>(spec: ViewPolicySpec<V, C>): PolicyDefinition {
    const { adapters, check, remediate, ...meta } = spec;
    const adapterOf = (type: string): Adapter<V> => adapters[type];
    return resourcePolicy<Dict, C>({
        ...meta,
        resourceTypes: Object.keys(adapters),
        check: ctx => {
            const adapter = adapterOf(ctx.type);
            const reason = adapter.notKind?.(ctx.props);
            if (reason !== undefined) {
                ctx.notApplicable(reason);
            }
            check({ ...ctx, view: viewOf(adapter, ctx.props, ctx.type) });
        },
        remediate: remediate && ((props, ctx) => {
            const adapter = adapterOf(ctx.type);
            return adapter.notKind?.(props) !== undefined ? undefined : remediate(adapter.view(props, ctx.type), ctx);
        }),
    });
}
