// Provenance: what a value unknown during preview is, from the resources it is computed from.
//
// The engine sends, with each resource of the AnalyzeStack call (and only there), which resources each
// top-level input property came from (propertyDependencies). The types of those resources, looked up
// in policies/data/provenance.ts, often settle what a check needs: a member computed only from service
// accounts of the stack is one of them (never allUsers or a default account); an environment variable
// computed from a queue's URL is a reference, one computed from a random password is a secret.
//
// Stack policies ask with the graph and the node (sourcesFor, identityFor). Resource policies run per
// resource in Analyze, where no dependencies are sent: the checks that wait there are run again at
// AnalyzeStack (see redecide.ts) inside `withProvenance`, and their readers (memberAt, plainValue, ...)
// ask about the resource under check. Outside that (Analyze, audit mode, a resource with no recorded
// dependency) nothing is known about the sources and every reader behaves as before: an unknown value
// throws the SDK's unknown-value error.
//
// Dependencies are recorded per top-level property only (`environment`, `serviceConfig`), so a source
// decides for every unknown value under that property; a property with sources of other kinds as well
// (a function's serviceConfig computed from its account, a bucket and a password) is still decided for
// what only one kind of source can produce: a principal comes only from an identity.
import { UnknownValueError } from "@pulumi/policy";
import { CONNECTION_STRING_SETTINGS, IDENTITY_CONNECTION_SUFFIXES, SOURCE_TYPES, SourceKind, SourceType } from "../data/provenance";
import type { Node, ResourceGraph } from "./graph";
import { isSecretMarked } from "./redact";
import { isReferenceName, isSecretLikeName } from "./secrets";
import { quote, proxyTarget } from "./values";
import { UNKNOWN, UNKNOWN_SENTINELS } from "./wire";

const TYPES: ReadonlyMap<string, SourceType> = new Map(Object.values(SOURCE_TYPES).flatMap(table => Object.entries(table)));

/** One resource a value is computed from. */
export interface Source {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** Undefined for a type the table doesn't classify. */
    readonly kind: SourceKind | undefined;
    /** What it is, for messages: "random password `db`", or the type token for an unclassified one. */
    readonly label: string;
    readonly props: Record<string, unknown>;
}

function sourceOf(n: Node): Source {
    const t = TYPES.get(n.type);
    return { urn: n.urn, type: n.type, name: n.name, kind: t?.kind, label: `${t?.what ?? n.type} ${quote(n.name)}`, props: n.props };
}

/**
 * The resources one top-level property of `node` is computed from, or undefined when the engine
 * recorded none (audit mode, a discovered resource, or a value no resource feeds).
 */
export function sourcesFor(graph: ResourceGraph, node: Node, property: string): Source[] | undefined {
    const deps = graph.deps(node, property);
    return deps.length === 0 ? undefined : deps.map(sourceOf);
}

/** Identities of the stack a value is computed from, when nothing else that could be an identity feeds it. */
export interface ComputedIdentity {
    sources: Source[];
    /** How a message names them: "service account `orders-fn`". */
    label: string;
    /** A Google service account's email when the account's own properties give it (for member comparisons). */
    email?: string;
}

function identityOf(sources: Source[] | undefined): ComputedIdentity | undefined {
    if (!sources) {
        return undefined;
    }
    const identities = sources.filter(s => s.kind === "identity");
    // A resource of another known kind (a queue, a bucket, a password) can't produce a principal; an unclassified one could.
    if (identities.length === 0 || sources.some(s => s.kind === undefined)) {
        return undefined;
    }
    const email = identities.length === 1 ? accountEmail(identities[0]) : undefined;
    return { sources: identities, label: identities.map(s => s.label).join(", "), email };
}

/** A gcp service account's email from its known properties (email, or accountId and project). */
function accountEmail(s: Source): string | undefined {
    if (s.type !== "gcp:serviceaccount/account:Account") {
        return undefined;
    }
    const known = (v: unknown) => typeof v === "string" && v !== "" && !UNKNOWN_SENTINELS.has(v) ? v : undefined;
    const email = known(s.props.email);
    if (email) {
        return email.toLowerCase();
    }
    const id = known(s.props.accountId);
    const project = known(s.props.project);
    return id && project ? `${id}@${project}.iam.gserviceaccount.com`.toLowerCase() : undefined;
}

/** For a stack policy: the stack identities a property of `node` is computed from, if that settles who it is. */
export function identityFor(graph: ResourceGraph, node: Node, property: string): ComputedIdentity | undefined {
    return identityOf(sourcesFor(graph, node, property));
}

// ---------------------------------------------------------------------------------------------
// The resource under check, while a resource policy runs again at AnalyzeStack (redecide.ts).

let active: { graph: ResourceGraph; node: Node } | undefined;

/** Runs `fn` with the sources of `node` known to the readers below. */
export function withProvenance<T>(graph: ResourceGraph, node: Node, fn: () => T): T {
    const outer = active;
    active = { graph, node };
    try {
        return fn();
    } finally {
        active = outer;
    }
}

/** The sources of a top-level property of the resource under check; undefined outside AnalyzeStack or with none recorded. */
export function activeSources(property: string): Source[] | undefined {
    return active && sourcesFor(active.graph, active.node, property);
}

/** For a resource policy: the stack identities an unknown value under `property` is computed from, if that settles who it is. */
export function computedIdentity(property: string): ComputedIdentity | undefined {
    return identityOf(activeSources(property));
}

/** The plain value under the SDK's proxy (unknown values read as sentinels); arrays and objects alike. */
function rawAt(holder: unknown, key: string | number): unknown {
    if (typeof holder !== "object" || holder === null) {
        return undefined;
    }
    const target = proxyTarget(holder as Record<string | number, unknown>);
    return target[key];
}

/** Whether `holder[key]` is a value unknown during preview (read without throwing). */
export function unknownAt(holder: unknown, key: string | number): boolean {
    const v = rawAt(holder, key);
    return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}

/**
 * Stops the check as waiting for the value at `path`, saying which sources leave it undecided (shown
 * in the merged "waiting" line: `environment.variables.DB_URL from aws:rds/instance:Instance db`).
 */
function waitFor(path: string, undecided: readonly Source[]): never {
    const why = undecided.length > 0 ? ` from ${undecided.slice(0, 2).map(s => `${s.type} ${s.name}`).join(" and ")}` : "";
    const Ctor = UnknownValueError as unknown as new (sentinel: string, props: string[]) => UnknownValueError;
    throw new Ctor(UNKNOWN, [`${path}${why}`]);
}

// ---------------------------------------------------------------------------------------------
// Values in a function's plain configuration (environment variables, app settings)

/** What a value of plain configuration is, as far as secrets go. */
export type PlainValue =
    /** Arrived as a Pulumi secret: its value when known (to name what kind of secret it is), undefined when not. */
    | { kind: "marked"; value?: unknown }
    /** Unknown, computed from a secret source. */
    | { kind: "computed"; source: Source }
    /** Unknown, computed only from references and identities (or secret data that isn't marked secret). */
    | { kind: "reference" }
    /** Known: scan it. */
    | { kind: "value"; value: unknown };

/** Whether a setting with this name holds a storage account's connection string or key. */
function holdsStoreKey(name: string): boolean {
    const n = name.toLowerCase();
    return isSecretLikeName(name) || CONNECTION_STRING_SETTINGS.some(s => s.toLowerCase() === n);
}

/**
 * Whether a setting with this name locates a store instead of holding its key: a setting of an
 * identity-based connection (`Orders__fullyQualifiedNamespace`, `AzureWebJobsStorage__accountName`)
 * or a name that says it is a reference (`COSMOS_ENDPOINT`, `STORAGE_ACCOUNT_NAME`).
 */
function locatesStore(name: string): boolean {
    const n = name.toLowerCase();
    const last = name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase().split(/[^a-z0-9]+/).filter(w => w !== "").pop() ?? "";
    return IDENTITY_CONNECTION_SUFFIXES.some(s => n.endsWith(s.toLowerCase()) && n.length > s.length) || isReferenceName(name)
        || (!isSecretLikeName(name) && HOST_WORDS.has(last));
}
/** Last words of a setting name that hold a host or namespace name (`SERVICEBUS_NAMESPACE`, `EVENTHUB_HOST`). */
const HOST_WORDS = new Set(["host", "hostname", "fqdn", "namespace", "domain"]);

/**
 * Classifies an unknown value of setting `name` from its sources: the secret source it holds, or the
 * sources that leave it undecided (none: a reference).
 */
export function classifyComputed(sources: readonly Source[], name: string): { secret?: Source; undecided: Source[] } {
    const undecided: Source[] = [];
    for (const s of sources) {
        switch (s.kind) {
            case "secret":
                return { secret: s, undecided: [] };
            case "keyedStore":
                if (holdsStoreKey(name)) {
                    return { secret: s, undecided: [] };
                }
                // A binding's connection named after the binding (`OrdersQueue`) may hold the connection string.
                if (!locatesStore(name)) {
                    undecided.push(s);
                }
                break;
            case "identity": case "reference": case "secretData":
                // Secret data outputs are Pulumi secrets: a value computed from them arrives marked.
                break;
            default:
                undecided.push(s);
        }
    }
    return { undecided };
}

/**
 * Reads the value of one plain setting, `holder[key]`, named `name`, declared under the top-level
 * property `property`, shown as `path`. A Pulumi secret is `marked` whether its value is known or not;
 * an unknown value is classified by its sources where they decide, and otherwise waits (the SDK's
 * unknown-value error, naming the undecided sources).
 */
export function plainValue(holder: unknown, key: string | number, property: string, name: string, path: string): PlainValue {
    if (isSecretMarked(holder, key)) {
        return unknownAt(holder, key) ? { kind: "marked" } : { kind: "marked", value: rawAt(holder, key) };
    }
    if (!unknownAt(holder, key)) {
        return { kind: "value", value: rawAt(holder, key) };
    }
    const sources = activeSources(property);
    if (!sources) {
        return waitFor(path, []);
    }
    const c = classifyComputed(sources, name);
    if (c.secret) {
        return { kind: "computed", source: c.secret };
    }
    return c.undecided.length > 0 ? waitFor(path, c.undecided) : { kind: "reference" };
}

/**
 * For a check that an unknown value can change only when the value is built from certain sources (a
 * malformed Key Vault reference, from a key vault or one of its secrets): returns when the sources
 * recorded for `property` rule that out (each of them classified, none that `could`), and waits
 * otherwise, naming the sources that leave it open, shown as `path`.
 */
export function ruleOutSources(property: string, path: string, could: (s: Source) => boolean): void {
    const sources = activeSources(property);
    if (!sources) {
        return waitFor(path, []);
    }
    const open = sources.filter(s => s.kind === undefined || could(s));
    if (open.length > 0) {
        waitFor(path, open);
    }
}

/**
 * For settings unknown as a whole (a whole `environment` or `siteConfig` computed by another resource):
 * the secret source it is computed from, or "clean" when its sources can't hold one; waits otherwise.
 */
function computedSettings(property: string, path: string): { secret: Source } | "clean" {
    const sources = activeSources(property);
    if (!sources) {
        return waitFor(path, []);
    }
    const secret = sources.find(s => s.kind === "secret");
    if (secret) {
        return { secret };
    }
    // The setting names are unknown too: a storage account may be feeding its name or its key.
    const undecided = sources.filter(s => s.kind === undefined || s.kind === "keyedStore");
    return undecided.length > 0 ? waitFor(path, undecided) : "clean";
}

/**
 * Reads a settings object (environment variables, app settings) with `read`. When it, or an object
 * holding it, is unknown as a whole, its sources decide: a secret source (`secret`), none that could
 * hold one (`clean`); otherwise the check waits.
 */
export function readSettings(read: () => unknown, property: string | undefined, where: string): { value: unknown } | { secret: Source } | "clean" {
    try {
        return { value: read() };
    } catch (e) {
        // Without a property given, the one the SDK's error names (the first segment of its path).
        const top = property ?? (e instanceof UnknownValueError ? String((e as UnknownValueError & { props?: unknown[] }).props?.[0] ?? "") : "");
        if (!(e instanceof UnknownValueError) || !activeSources(top)) {
            throw e;
        }
        return computedSettings(top, where);
    }
}

/**
 * One message per secret source for settings computed from it: the engine records sources per
 * top-level property, so with several unknown settings under it the pack can't tell which one holds
 * the secret, and says so once instead of blaming each.
 */
export function computedSecretMessages(items: readonly { where: string; source: Source }[], fix: string): string[] {
    const bySource = new Map<string, { source: Source; wheres: string[] }>();
    for (const { where, source } of items) {
        const entry = bySource.get(source.urn) ?? { source, wheres: [] };
        entry.wheres.push(where);
        bySource.set(source.urn, entry);
    }
    return [...bySource.values()].map(({ source, wheres }) => wheres.length === 1
        ? secretSettingMessage(wheres[0], { kind: "computed", source }, fix)
        : `${wheres.join(", ")} are computed from ${source.label}, a secret, so at least one of them holds it in plain text in the configuration, where the platform shows it to anyone who can read it; ${fix}`);
}

/** The sentence a plaintext-secret policy reports for a marked or computed secret, naming the setting, never the value. */
export function secretSettingMessage(where: string, v: { kind: "marked" } | { kind: "computed"; source: Source }, fix: string): string {
    return v.kind === "marked"
        ? `${where} holds a Pulumi secret, which the platform stores and shows in plain text with the configuration; ${fix}`
        : `${where} is computed from ${v.source.label}, a secret, which the platform stores and shows in plain text with the configuration; ${fix}`;
}

