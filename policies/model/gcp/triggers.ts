// What triggers a Google Cloud Function or Cloud Run service: its event trigger's source (Pub/Sub
// topic, bucket), Eventarc triggers and Pub/Sub push subscriptions.
import { CLOUD_RUN_V1, CLOUD_RUN_V2 } from "../../gcp/cloudrun";
import { EVENTARC_TRIGGER, SUBSCRIPTION } from "../../gcp/triggers";
import { publicGrants } from "../../gcp/common";
import { everyoneMayPublish, TOPIC_PUBLIC_PUBLISH } from "../../gcp/pubsub";
import { BUCKET, BUCKET_IAM_PUBLIC, BUCKET_IAM_TYPES, TOPIC } from "../../gcp/storage";
import { STORAGE_WRITE_ROLES } from "../../data/gcp";
import { isUnknown, knownString, Node, ResourceGraph } from "../../lib/graph";
import { lastSegment } from "../../lib/identity";
import { asList, asString, at, quote } from "../../lib/values";
import { type OnUnknown, type OpenWriter, rememberWaiting, waitUnlessOwned } from "../core";
import { byName, className, FUNCTION_V2, GCP_FUNCTIONS, isV2, linked, set, TOPIC_IAM_TYPES } from "./types";

// ---------------------------------------------------------------------------------------------
// Triggers

function eventKind(eventType: string): string {
    const m = /(finalize|delete|archive|metadataupdate)/i.exec(eventType);
    return m ? m[1].toLowerCase() : eventType;
}

/** Buckets and topics in the stack that trigger functions (gen 1 eventTrigger.resource; gen 2 event filters or pubsubTopic). */
function eventTriggers(g: ResourceGraph, onUnknown: OnUnknown): GcpTriggerPath[] {
    const out: GcpTriggerPath[] = [];
    for (const fn of g.ofType(...GCP_FUNCTIONS)) {
        const et = fn.props.eventTrigger;
        if (et === undefined || et === null) {
            continue;
        }
        const eventType = at(et, "eventType");
        if (isUnknown(et) || isUnknown(eventType)) {
            onUnknown(fn, isUnknown(et) ? "eventTrigger" : "eventTrigger.eventType");
            continue;
        }
        const type = asString(eventType) ?? "";
        const kind = /storage/i.test(type) ? BUCKET : /pubsub/i.test(type) ? TOPIC : undefined;
        if (!kind) {
            continue;
        }
        let path: string[] = ["eventTrigger", "resource"];
        if (isV2(fn) && kind === TOPIC) {
            path = ["eventTrigger", "pubsubTopic"];
        } else if (isV2(fn)) {
            const filters = at(et, "eventFilters");
            const i = asList(filters).findIndex(f => at(f, "attribute") === "bucket");
            if (isUnknown(filters) || (i < 0 && asList(filters).some(f => isUnknown(f) || isUnknown(at(f, "attribute"))))) {
                onUnknown(fn, "eventTrigger.eventFilters");
                continue;
            }
            if (i < 0) {
                continue;
            }
            path = ["eventTrigger", "eventFilters", String(i), "value"];
        }
        const where = isV2(fn) && kind === BUCKET ? "eventTrigger.eventFilters" : path.join(".");
        const value = path.length === 4 ? at(asList(at(et, "eventFilters"))[Number(path[2])], "value") : at(et, path[1]);
        let sources: Node[];
        if (isUnknown(value)) {
            sources = g.deps(fn, "eventTrigger", set(kind));
            if (sources.length === 0 && g.deps(fn, "eventTrigger").length === 0) {
                onUnknown(fn, where);
            }
        } else {
            const known = knownString(value);
            sources = known ? byName(g, fn, "eventTrigger", [kind], known, onUnknown) : [];
        }
        for (const source of sources) {
            out.push({ fn, source, event: kind === TOPIC ? "publish" : eventKind(type), via: where, kind: "event-trigger" });
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// The trigger surface: every path from an event source to a function or Cloud Run service

/** What a trigger can deliver to: Cloud Functions of either generation and Cloud Run services. */
const TARGETS = [...GCP_FUNCTIONS, CLOUD_RUN_V1, CLOUD_RUN_V2];
export const CLOUD_RUN_TYPES: ReadonlySet<string> = set(CLOUD_RUN_V1, CLOUD_RUN_V2);

/** One way an event source invokes a function or Cloud Run service. */
export interface GcpTriggerPath {
    fn: Node;
    source: Node;
    /** The resource (and property) between source and function, e.g. "Eventarc trigger `t`". */
    via: string;
    /** The event kind ("publish", "finalize", "delete", ...), so that functions on different events of one bucket aren't a fan-out. */
    event: string;
    /** What delivers: a function's own event trigger, an Eventarc trigger or a push subscription. */
    kind: "event-trigger" | "eventarc" | "push";
    /** For a source that feeds another one (a topic's Cloud Storage subscription, a bucket's notifications): the buckets and topics in between, nearest the source first. */
    through?: Node[];
}

const SOURCE_WHAT: Record<string, string> = { [TOPIC]: "Pub/Sub topic", [BUCKET]: "Cloud Storage bucket" };
/** The event sources whose writers the trigger family follows back from a function. */
export const TRIGGER_SOURCE_TYPES: readonly string[] = Object.keys(SOURCE_WHAT);
export const gcpSourceLabel = (source: Node) => `${SOURCE_WHAT[source.type] ?? "source"} ${quote(source.name)}`;

/** The function or Cloud Run service an Eventarc trigger delivers to: its Cloud Run service by name (a gen-2 function's own service included) or its function. */
function eventarcTargets(g: ResourceGraph, trigger: Node, onUnknown: OnUnknown): Node[] {
    const destination = trigger.props.destination;
    if (isUnknown(destination)) {
        const found = g.deps(trigger, "destination", set(...TARGETS));
        if (found.length === 0 && g.deps(trigger, "destination").length === 0) {
            onUnknown(trigger, "destination");
        }
        return found;
    }
    const service = at(destination, "cloudRunService", "service");
    const fn = at(destination, "cloudFunction");
    if (isUnknown(service) || isUnknown(fn)) {
        return g.deps(trigger, "destination", set(...TARGETS));
    }
    const out: Node[] = [];
    const name = knownString(service);
    if (name) {
        out.push(...byName(g, trigger, "destination", [CLOUD_RUN_V1, CLOUD_RUN_V2], name, onUnknown));
        out.push(...byName(g, trigger, "destination", [FUNCTION_V2], `run:${lastSegment(name) ?? name}`, onUnknown));
    }
    const path = knownString(fn);
    if (path) {
        out.push(...byName(g, trigger, "destination", [...GCP_FUNCTIONS], path, onUnknown));
    }
    return out;
}

/** The topic or bucket an Eventarc trigger reads: its transport topic, or the bucket its matching criteria name. */
function eventarcSources(g: ResourceGraph, trigger: Node, onUnknown: OnUnknown): Node[] {
    const topic = at(trigger.props.transport, "pubsub", "topic");
    if (isUnknown(trigger.props.transport) || isUnknown(topic)) {
        return g.deps(trigger, "transport", set(TOPIC));
    }
    const out: Node[] = [];
    const known = knownString(topic);
    if (known) {
        out.push(...byName(g, trigger, "transport", [TOPIC], known, onUnknown));
    }
    const criteria = trigger.props.matchingCriterias;
    if (isUnknown(criteria)) {
        out.push(...g.deps(trigger, "matchingCriterias", set(BUCKET)));
    }
    for (const c of asList(criteria)) {
        if (at(c, "attribute") !== "bucket") {
            continue;
        }
        const value = at(c, "value");
        const bucket = knownString(value);
        if (isUnknown(value)) {
            out.push(...g.deps(trigger, "matchingCriterias", set(BUCKET)));
        } else if (bucket) {
            out.push(...byName(g, trigger, "matchingCriterias", [BUCKET], bucket, onUnknown));
        }
    }
    return out;
}

/** The functions or Cloud Run services a push endpoint is the URL of: by the engine's dependencies, or by the URL (whole, then its origin). */
function pushTargets(g: ResourceGraph, sub: Node, onUnknown: OnUnknown): Node[] {
    const endpoint = at(sub.props.pushConfig, "pushEndpoint");
    if (isUnknown(sub.props.pushConfig) || isUnknown(endpoint)) {
        const found = g.deps(sub, "pushConfig", set(...TARGETS));
        if (found.length === 0 && g.deps(sub, "pushConfig").length === 0) {
            onUnknown(sub, "pushConfig.pushEndpoint");
        }
        return found;
    }
    const url = knownString(endpoint)?.split(/[?#]/)[0];
    if (!url) {
        return [];
    }
    const origin = /^https:\/\/[^/]+/i.exec(url)?.[0];
    const whole = g.lookup(url.replace(/\/$/, ""), set(...TARGETS), sub);
    return whole.length > 0 || !origin ? whole : g.lookup(origin, set(...TARGETS), sub);
}

/**
 * Every trigger of every Cloud Function and Cloud Run service, back to its source: gen-1 and gen-2
 * event triggers (topic, bucket), Eventarc triggers (transport topic or bucket criteria) and Pub/Sub
 * push subscriptions to a function's or service's URL. Links are those the graph settles.
 */
export function triggerPaths(g: ResourceGraph, onUnknown: OnUnknown): readonly GcpTriggerPath[] {
    return rememberWaiting(g, "gcp:trigger-paths", onUnknown, wait => findTriggerPaths(g, wait));
}

function findTriggerPaths(g: ResourceGraph, onUnknown: OnUnknown): GcpTriggerPath[] {
    const out = eventTriggers(g, onUnknown);
    for (const trigger of g.ofType(EVENTARC_TRIGGER)) {
        const targets = eventarcTargets(g, trigger, onUnknown);
        for (const source of targets.length > 0 ? eventarcSources(g, trigger, onUnknown) : []) {
            const event = source.type === TOPIC ? "publish" : eventKind(asString(asList(trigger.props.matchingCriterias).map(c => at(c, "attribute") === "type" ? at(c, "value") : undefined).find(v => v !== undefined)) ?? "");
            out.push(...targets.map(fn => ({ fn, source, via: `Eventarc trigger ${quote(trigger.name)}`, event, kind: "eventarc" as const })));
        }
    }
    for (const sub of g.ofType(SUBSCRIPTION)) {
        if (sub.props.pushConfig === undefined || sub.props.pushConfig === null) {
            continue;
        }
        const targets = pushTargets(g, sub, onUnknown);
        for (const source of targets.length > 0 ? linked(g, sub, ["topic"], [TOPIC], onUnknown) : []) {
            out.push(...targets.map(fn => ({ fn, source, via: `push subscription ${quote(sub.name)}`, event: "publish", kind: "push" as const })));
        }
    }
    return [...out, ...chains(out, relayFeeds(g, onUnknown), onUnknown)];
}

export const STORAGE_NOTIFICATION = "gcp:storage/notification:Notification";
/** How far a chain of sources is followed back (topic -> bucket -> topic -> function is two relays). */
const MAX_RELAYS = 3;

/** One way a source delivers into a bucket or topic of the stack, and the event it makes there. */
interface Feed {
    source: Node;
    via: string;
    /** Set when a value that decides whether the feed delivers is unknown: where to wait, if a path needs the feed. */
    waits?: { node: Node; property: string };
    /** The event the relay emits for what the source delivers: new objects ("finalize") or messages ("publish"). */
    event: string;
}

/** What feeds each bucket and topic: Cloud Storage subscriptions write a topic's messages as objects; bucket notifications publish a bucket's changes to a topic. */
function relayFeeds(g: ResourceGraph, onUnknown: OnUnknown): Map<Node, Feed[]> {
    const out = new Map<Node, Feed[]>();
    const add = (into: Node, feed: Feed) => out.set(into, [...(out.get(into) ?? []), feed]);
    for (const sub of g.ofType(SUBSCRIPTION)) {
        if (sub.props.cloudStorageConfig === undefined || sub.props.cloudStorageConfig === null) {
            continue;
        }
        const buckets = linked(g, sub, ["cloudStorageConfig", "bucket"], [BUCKET], onUnknown);
        for (const topic of buckets.length > 0 ? linked(g, sub, ["topic"], [TOPIC], onUnknown) : []) {
            buckets.forEach(b => add(b, { source: topic, via: `Cloud Storage subscription ${quote(sub.name)}`, event: "finalize" }));
        }
    }
    for (const n of g.ofType(STORAGE_NOTIFICATION)) {
        const topics = linked(g, n, ["topic"], [TOPIC], onUnknown);
        // Without event types a notification reports every change, new objects included.
        const types = asList(n.props.eventTypes);
        const waits = isUnknown(n.props.eventTypes) || types.some(isUnknown) ? { node: n, property: "eventTypes" } : undefined;
        if (!waits && types.length > 0 && !types.includes("OBJECT_FINALIZE")) {
            continue; // what writers create (new objects) isn't notified
        }
        for (const bucket of topics.length > 0 ? linked(g, n, ["bucket"], [BUCKET], onUnknown) : []) {
            topics.forEach(t => add(t, { source: bucket, via: `bucket notification ${quote(n.name)}`, event: "publish", waits }));
        }
    }
    return out;
}

/** Each path that starts on a bucket or topic, extended back through what feeds it (a bucket only by the new objects it is triggered on). */
function chains(direct: readonly GcpTriggerPath[], feeds: Map<Node, Feed[]>, onUnknown: OnUnknown): GcpTriggerPath[] {
    const out: GcpTriggerPath[] = [];
    let frontier = direct.filter(p => feeds.has(p.source));
    for (let relays = 0; relays < MAX_RELAYS && frontier.length > 0; relays++) {
        const next: GcpTriggerPath[] = [];
        for (const p of frontier) {
            const through = [p.source, ...(p.through ?? [])];
            for (const f of (feeds.get(p.source) ?? []).filter(f => f.event === p.event && !through.includes(f.source))) {
                if (f.waits) {
                    onUnknown(f.waits.node, f.waits.property);
                    continue;
                }
                const chained: GcpTriggerPath = {
                    fn: p.fn, source: f.source, via: `${f.via} -> ${gcpSourceLabel(p.source)} -> ${p.via}`,
                    event: f.source.type === TOPIC ? "publish" : "finalize", kind: p.kind, through,
                };
                out.push(chained);
                if (feeds.has(f.source)) {
                    next.push(chained);
                }
            }
        }
        frontier = next;
    }
    return out;
}

/** The IAM resources that decide who may write to a trigger source, by the property that names it. */
const SOURCE_IAM: Record<string, { types: string[]; property: string }> = {
    [TOPIC]: { types: TOPIC_IAM_TYPES, property: "topic" },
    [BUCKET]: { types: BUCKET_IAM_TYPES, property: "bucket" },
};

/** Whether a bucket IAM resource lets allUsers or allAuthenticatedUsers create objects (known grants only; the resource policy waits for the rest). */
const everyoneMayWriteObjects = (type: string, props: Record<string, unknown>) =>
    publicGrants(type, props).some(grant => grant.role !== undefined && STORAGE_WRITE_ROLES.has(grant.role.trim()));

/**
 * Who outside the project may write to a trigger's topic or bucket, by the predicates of the resource
 * policies that report it: a topic IAM grant letting everyone publish (gcp-pubsub-topic-iam-public-publish)
 * or a bucket IAM grant letting everyone create objects (gcp-storage-bucket-iam-public). An IAM resource
 * whose members or roles are unknown during preview is those policies' to decide or wait for.
 */
export function openWriters(g: ResourceGraph, source: Node, onUnknown: OnUnknown): OpenWriter[] {
    const iam = SOURCE_IAM[source.type];
    const out: OpenWriter[] = [];
    for (const grant of iam ? g.referrers(source, iam.property, iam.types) : []) {
        const waiting = ["role", "member", "members", "policyData"].find(k => isUnknown(grant.props[k]));
        if (waiting) {
            // The owning resource policy decides an unknown member from its sources (provenance) or waits for it.
            waitUnlessOwned(onUnknown, [source.type === TOPIC ? TOPIC_PUBLIC_PUBLISH : BUCKET_IAM_PUBLIC], grant, waiting);
            continue;
        }
        if (source.type === TOPIC && everyoneMayPublish(grant.type, grant.props)) {
            out.push({ reportedBy: { policy: TOPIC_PUBLIC_PUBLISH, node: grant }, what: `${className(grant.type)} ${quote(grant.name)} lets allUsers or allAuthenticatedUsers publish` });
        } else if (source.type === BUCKET && everyoneMayWriteObjects(grant.type, grant.props)) {
            out.push({ reportedBy: { policy: BUCKET_IAM_PUBLIC, node: grant }, what: `${className(grant.type)} ${quote(grant.name)} lets allUsers or allAuthenticatedUsers create objects` });
        }
    }
    return out;
}
