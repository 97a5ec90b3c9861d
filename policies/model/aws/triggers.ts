// What invokes an AWS Lambda function: event sources (queue and stream mappings, SNS subscriptions,
// S3 notifications, EventBridge rules and their targets, permissions naming a source) and asynchronous
// invokers, who may write to each source (its resource policies), and where it keeps failed events.
import { EVENT_INVOKE_CONFIG, EVENT_SOURCE_MAPPING, PERMISSION } from "../../aws/lambda";
import { BUCKET, BUCKET_V2, QUEUE, TOPIC } from "../../aws/storage";
import { NATIVE_BUCKET, NATIVE_EVENT_INVOKE_CONFIG, NATIVE_EVENT_SOURCE_MAPPING, NATIVE_PERMISSION, NATIVE_QUEUE, NATIVE_TOPIC } from "../../aws/views";
import {
    BUCKET_POLICY, DYNAMODB_RESOURCE_POLICY, EVENT_BUS_POLICY, EVENT_PERMISSION, KINESIS_RESOURCE_POLICY, NATIVE_BUCKET_POLICY, NATIVE_DYNAMODB_TABLE,
    NATIVE_EVENT_BUS, NATIVE_EVENT_BUS_POLICY, NATIVE_KINESIS_RESOURCE_POLICY, NATIVE_KINESIS_STREAM, NATIVE_QUEUE_INLINE_POLICY, NATIVE_TOPIC_INLINE_POLICY,
    NATIVE_TOPIC_POLICY, QUEUE_POLICY, SOURCE_POLICIES, TOPIC_POLICY,
} from "../../aws/eventsource-views";
import { publicWrites, SOURCE_PUBLIC_WRITE, SOURCE_SERVICE_UNSCOPED, unscopedServiceWrites } from "../../aws/eventsources";
import { ASYNC_INVOKING_SERVICES } from "../../data/aws-lambda";
import { isUnknown, knownString, Node, ResourceGraph } from "../../lib/graph";
import { scopesAgree } from "../../lib/identity";
import { identityFor } from "../../lib/provenance";
import { asList, asString, at, isRecord, isSet, quote, wordList } from "../../lib/values";
import { type OnUnknown, type OpenWriter, rememberWaiting, waitUnlessOwned } from "../core";
import { permissionTarget } from "./frontdoors";
import { BUCKET_NOTIFICATION, BUCKETS, DYNAMODB_TABLE, FUNCTIONS, KINESIS_STREAM, set, TOPIC_SUBSCRIPTION } from "./types";

/** The write action that feeds each trigger source back into its functions. */
export const WRITE_ACTION: Record<string, { action: string; what: string }> = {
    [QUEUE]: { action: "sqs:SendMessage", what: "SQS queue" },
    [NATIVE_QUEUE]: { action: "sqs:SendMessage", what: "SQS queue" },
    [TOPIC]: { action: "sns:Publish", what: "SNS topic" },
    [NATIVE_TOPIC]: { action: "sns:Publish", what: "SNS topic" },
    [BUCKET]: { action: "s3:PutObject", what: "S3 bucket" },
    [NATIVE_BUCKET]: { action: "s3:PutObject", what: "S3 bucket" },
    [BUCKET_V2]: { action: "s3:PutObject", what: "S3 bucket" },
    [DYNAMODB_TABLE]: { action: "dynamodb:PutItem", what: "DynamoDB table" },
    [KINESIS_STREAM]: { action: "kinesis:PutRecord", what: "Kinesis stream" },
    [NATIVE_KINESIS_STREAM]: { action: "kinesis:PutRecord", what: "Kinesis stream" },
    [NATIVE_DYNAMODB_TABLE]: { action: "dynamodb:PutItem", what: "DynamoDB table" },
};

export const EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget";
export const SCHEDULE = "aws:scheduler/schedule:Schedule";
export const LOG_SUBSCRIPTION = "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter";

const ASYNC_SERVICES = new Set(ASYNC_INVOKING_SERVICES);

/** Who invokes each function asynchronously, in words, e.g. "BucketNotification `uploads`". */
export function asyncInvokers(g: ResourceGraph, onUnknown: OnUnknown): Map<Node, string[]> {
    const out = new Map<Node, string[]>();
    const add = (fns: Node[], via: string) => fns.forEach(fn => out.set(fn, [...(out.get(fn) ?? []), via]));
    for (const n of g.ofType(BUCKET_NOTIFICATION)) {
        add(g.refs(n, "lambdaFunctions", FUNCTIONS), `BucketNotification ${quote(n.name)}`);
    }
    for (const sub of g.ofType(TOPIC_SUBSCRIPTION)) {
        if (sub.props.protocol === "lambda") {
            add(g.refs(sub, "endpoint", FUNCTIONS), `TopicSubscription ${quote(sub.name)}`);
        }
    }
    for (const t of g.ofType(EVENT_TARGET)) {
        add(g.refs(t, "arn", FUNCTIONS), `EventBridge target ${quote(t.name)}`);
    }
    for (const s of g.ofType(SCHEDULE)) {
        add(g.refs(s, "target", FUNCTIONS), `Scheduler schedule ${quote(s.name)}`);
    }
    for (const f of g.ofType(LOG_SUBSCRIPTION)) {
        add(g.refs(f, "destinationArn", FUNCTIONS), `log subscription filter ${quote(f.name)}`);
    }
    for (const c of g.ofType(EVENT_INVOKE_CONFIG, NATIVE_EVENT_INVOKE_CONFIG)) {
        add(g.refs(c, "functionName", FUNCTIONS), `${c.type === EVENT_INVOKE_CONFIG ? "FunctionEventInvokeConfig" : "EventInvokeConfig"} ${quote(c.name)}`);
    }
    for (const p of g.ofType(PERMISSION, NATIVE_PERMISSION)) {
        const fns = g.refs(p, permissionTarget(p), FUNCTIONS);
        if (fns.length > 0 && isUnknown(p.props.principal)) {
            // A principal computed only from roles or users of the stack is no AWS service.
            if (!identityFor(g, p, "principal")) {
                onUnknown(p, "principal");
            }
            continue;
        }
        const principal = asString(p.props.principal)?.trim();
        if (principal && ASYNC_SERVICES.has(principal)) {
            add(fns, `Permission ${quote(p.name)} for ${principal}`);
        }
    }
    return out;
}

/** Where a function keeps failed asynchronous events: its dead-letter target or an on-failure destination. */
export function keepsFailures(g: ResourceGraph, fn: Node): boolean {
    if (isSet(fn.props.deadLetterConfig, "targetArn")) {
        return true;
    }
    return g.referrers(fn, "functionName", [EVENT_INVOKE_CONFIG, NATIVE_EVENT_INVOKE_CONFIG])
        .some(c => isSet(at(c.props, "destinationConfig", "onFailure"), "destination"));
}

// ---------------------------------------------------------------------------------------------
// The trigger surface: every path from an event source to a function, and who guards each source

const QUEUES = set(QUEUE, NATIVE_QUEUE);
const TOPICS = set(TOPIC, NATIVE_TOPIC);
export const EVENT_BUS = "aws:cloudwatch/eventBus:EventBus";
export const EVENT_RULE = "aws:cloudwatch/eventRule:EventRule";
export const NATIVE_RULE = "aws-native:events:Rule";
export const NATIVE_SUBSCRIPTION = "aws-native:sns:Subscription";
const BUSES = set(EVENT_BUS, NATIVE_EVENT_BUS);
const RULES = set(EVENT_RULE, NATIVE_RULE);
const SOURCES = set(...QUEUES, ...TOPICS, ...BUCKETS, KINESIS_STREAM, NATIVE_KINESIS_STREAM, DYNAMODB_TABLE, NATIVE_DYNAMODB_TABLE, ...BUSES);

/** One way an event source invokes a function. */
export interface TriggerPath {
    fn: Node;
    /** The source, when it is a resource of the stack; undefined for an account's default event bus. */
    source?: Node;
    /** The source in words, e.g. "SNS topic `orders`" or "the default event bus". */
    sourceLabel: string;
    /** The resources between source and function, in words, e.g. "Rule `r` -> EventTarget `t`". */
    via: string;
    /** For a rule on the default bus: the rule, whose scope names the bus's account and region. */
    rule?: Node;
    /** Set when S3 notifications on the path are limited by prefix or suffix. */
    filtered?: boolean;
    /** Set when only a Lambda permission names the source: it may invoke the function, but what delivers its events isn't in sight. */
    permissionOnly?: boolean;
    /** For a source that feeds another one (a topic's SQS subscription, a rule's queue target): the queues and topics in between, nearest the source first. */
    through?: Node[];
}

const SOURCE_WHAT: Record<string, string> = {
    [QUEUE]: "SQS queue", [NATIVE_QUEUE]: "SQS queue", [TOPIC]: "SNS topic", [NATIVE_TOPIC]: "SNS topic",
    [BUCKET]: "S3 bucket", [BUCKET_V2]: "S3 bucket", [NATIVE_BUCKET]: "S3 bucket",
    [KINESIS_STREAM]: "Kinesis stream", [NATIVE_KINESIS_STREAM]: "Kinesis stream",
    [DYNAMODB_TABLE]: "DynamoDB table", [NATIVE_DYNAMODB_TABLE]: "DynamoDB table",
    [EVENT_BUS]: "event bus", [NATIVE_EVENT_BUS]: "event bus",
};
/** The event sources whose writers the trigger family follows back from a function. */
export const TRIGGER_SOURCE_TYPES: readonly string[] = Object.keys(SOURCE_WHAT);
export const sourceLabelOf = (source: Node) => `${SOURCE_WHAT[source.type] ?? "source"} ${quote(source.name)}`;

/** Whether an event bus name (or ARN) is the account's default bus: unset, "default" or an ARN ending in /default. */
function isDefaultBus(value: unknown): boolean {
    if (value === undefined || value === null || value === "") {
        return true;
    }
    const name = knownString(value);
    return name === "default" || (name !== undefined && /^arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/default$/.test(name));
}

/** Whether a rule only runs on a schedule: no event anyone sends can match it. */
function scheduleOnly(rule: Node): boolean {
    const pattern = rule.props.eventPattern;
    return knownString(rule.props.scheduleExpression) !== undefined && (pattern === undefined || pattern === null || pattern === "");
}

/** The bus a rule listens on: the stack's bus it names, the default bus, or nothing decidable (reported unknown). */
function ruleSource(g: ResourceGraph, rule: Node, onUnknown: OnUnknown): { source?: Node; label: string } | undefined {
    const buses = g.refs(rule, "eventBusName", BUSES);
    if (buses.length > 0) {
        return { source: buses[0], label: sourceLabelOf(buses[0]) };
    }
    const name = rule.props.eventBusName;
    if (isUnknown(name)) {
        if (g.deps(rule, "eventBusName").length === 0) {
            onUnknown(rule, "eventBusName");
        }
        return undefined;
    }
    return isDefaultBus(name) ? { label: "the default event bus" } : undefined;
}

/** The sources whose events another source can deliver on (SNS topics and SQS queues are both targets and sources). */
const RELAYS = set(...QUEUES, ...TOPICS);
/** How far a chain of sources is followed back (bucket -> topic -> queue -> function is two relays). */
const MAX_RELAYS = 3;

/** One way a source delivers its events into a topic or queue of the stack. */
interface Feed {
    source?: Node;
    sourceLabel: string;
    /** The resources between the feeding source and the relay, in words. */
    via: string;
    rule?: Node;
    filtered?: boolean;
}

/** Whether the S3 notification entries of a kind are all limited by prefix or suffix. */
function allFiltered(entries: unknown): boolean {
    const list = asList(entries).filter(isRecord);
    return list.length > 0 && list.every(e => !!asString(e.filterPrefix) || !!asString(e.filterSuffix));
}

/** The targets of an SNS subscription of the given protocol; an unknown protocol or endpoint the graph can't settle is reported unknown. */
function subscribed(g: ResourceGraph, sub: Node, protocol: string, targets: ReadonlySet<string>, onUnknown: OnUnknown): Node[] {
    const found = g.refs(sub, "endpoint", targets);
    if (isUnknown(sub.props.protocol)) {
        if (found.length > 0) {
            onUnknown(sub, "protocol");
        }
        return [];
    }
    if (sub.props.protocol !== protocol) {
        return [];
    }
    if (found.length === 0 && protocol === "sqs" && isUnknown(sub.props.endpoint) && g.deps(sub, "endpoint").length === 0) {
        onUnknown(sub, "endpoint");
    }
    return found;
}

/**
 * Every trigger of every function, back to its source: event source mappings, SNS subscriptions (both
 * providers), S3 notifications (both providers), EventBridge rules with their targets (both providers)
 * and Lambda permissions whose sourceArn names a topic, bucket or rule; and, where the source is itself
 * fed by another one (an SNS topic's SQS subscription, a rule's queue or topic target, a bucket's queue
 * or topic notification), the chain back to the first source, a bounded number of relays deep. Links are
 * those the graph settles (ids, ARNs, names, propertyDependencies); a link it can't settle is reported unknown.
 */
export function triggerPaths(g: ResourceGraph, onUnknown: OnUnknown): readonly TriggerPath[] {
    return rememberWaiting(g, "aws:trigger-paths", onUnknown, wait => {
        const direct = directPaths(g, wait);
        // What feeds a relay matters only where a relay triggers a function: only then does a value it can't settle wait.
        const relayed = direct.some(p => p.source && RELAYS.has(p.source.type));
        return relayed ? [...direct, ...chains(direct, relayFeeds(g, wait))] : direct;
    });
}

/** Each path that starts on a topic or queue, extended back through what feeds it. */
function chains(direct: readonly TriggerPath[], feeds: Map<Node, Feed[]>): TriggerPath[] {
    const out: TriggerPath[] = [];
    let frontier = direct.filter(p => p.source && !p.permissionOnly && feeds.has(p.source));
    for (let relays = 0; relays < MAX_RELAYS && frontier.length > 0; relays++) {
        const next: TriggerPath[] = [];
        for (const p of frontier) {
            const relay = p.source!;
            const through = [relay, ...(p.through ?? [])];
            for (const f of feeds.get(relay) ?? []) {
                if (f.source && through.includes(f.source)) {
                    continue;
                }
                const chained: TriggerPath = {
                    fn: p.fn, source: f.source, sourceLabel: f.sourceLabel, rule: f.rule, through,
                    via: `${f.via} -> ${p.sourceLabel} -> ${p.via}`, filtered: p.filtered || f.filtered,
                };
                out.push(chained);
                if (f.source && feeds.has(f.source)) {
                    next.push(chained);
                }
            }
        }
        frontier = next;
    }
    return out;
}

/** What feeds each topic or queue of the stack: SNS subscriptions to a queue, rules targeting one, bucket notifications to one. */
function relayFeeds(g: ResourceGraph, onUnknown: OnUnknown): Map<Node, Feed[]> {
    const out = new Map<Node, Feed[]>();
    const add = (into: Node, feed: Feed) => out.set(into, [...(out.get(into) ?? []), feed]);
    for (const sub of g.ofType(TOPIC_SUBSCRIPTION, NATIVE_SUBSCRIPTION)) {
        const queues = subscribed(g, sub, "sqs", QUEUES, onUnknown);
        for (const topic of queues.length > 0 ? g.refs(sub, sub.type === TOPIC_SUBSCRIPTION ? "topic" : "topicArn", TOPICS) : []) {
            queues.forEach(q => add(q, { source: topic, sourceLabel: sourceLabelOf(topic), via: `${sub.type === TOPIC_SUBSCRIPTION ? "TopicSubscription" : "Subscription"} ${quote(sub.name)}` }));
        }
    }
    for (const { target, feed } of ruleTargets(g, RELAYS, onUnknown)) {
        add(target, feed);
    }
    for (const n of g.ofType(BUCKET_NOTIFICATION)) {
        for (const [property, kinds] of [["queues", QUEUES], ["topics", TOPICS]] as const) {
            const into = g.refs(n, property, kinds);
            for (const bucket of into.length > 0 ? g.refs(n, "bucket", BUCKETS) : []) {
                into.forEach(r => add(r, { source: bucket, sourceLabel: sourceLabelOf(bucket), via: `BucketNotification ${quote(n.name)}`, filtered: allFiltered(n.props[property]) }));
            }
        }
    }
    for (const bucket of g.ofType(NATIVE_BUCKET)) {
        // Queue ARNs appear only in queueConfigurations, topic ARNs only in topicConfigurations.
        for (const [key, kinds] of [["queueConfigurations", QUEUES], ["topicConfigurations", TOPICS]] as const) {
            g.refs(bucket, "notificationConfiguration", kinds).forEach(r => add(r, { source: bucket, sourceLabel: sourceLabelOf(bucket), via: `notificationConfiguration.${key}` }));
        }
    }
    return out;
}

/** A rule's events as a feed from its bus; none for a schedule-only rule or a bus the graph can't settle (reported unknown). */
function ruleFeed(g: ResourceGraph, rule: Node, via: string, onUnknown: OnUnknown): Feed | undefined {
    if (scheduleOnly(rule)) {
        return undefined;
    }
    const bus = ruleSource(g, rule, onUnknown);
    return bus && { source: bus.source, sourceLabel: bus.label, via, rule: bus.source ? undefined : rule };
}

/** The targets of the given types of every EventBridge rule (EventTarget resources, aws-native rules' targets), each with the rule's feed. */
function ruleTargets(g: ResourceGraph, types: ReadonlySet<string>, onUnknown: OnUnknown): { target: Node; feed: Feed }[] {
    const out: { target: Node; feed: Feed }[] = [];
    const each = (rule: Node, targets: Node[], via: string) => {
        const feed = targets.length > 0 ? ruleFeed(g, rule, via, onUnknown) : undefined;
        targets.forEach(target => feed && out.push({ target, feed }));
    };
    for (const t of g.ofType(EVENT_TARGET)) {
        const targets = g.refs(t, "arn", types);
        for (const rule of targets.length > 0 ? g.refs(t, "rule", set(EVENT_RULE)) : []) {
            each(rule, targets, `EventRule ${quote(rule.name)} -> EventTarget ${quote(t.name)}`);
        }
    }
    for (const rule of g.ofType(NATIVE_RULE)) {
        each(rule, g.refs(rule, "targets", types), `Rule ${quote(rule.name)}`);
    }
    return out;
}

/** Every path on which a source invokes a function itself (no relay in between). */
function directPaths(g: ResourceGraph, onUnknown: OnUnknown): TriggerPath[] {
    const out: TriggerPath[] = [];
    const push = (fn: Node, source: Node, via: string, extra: Partial<TriggerPath> = {}) => out.push({ fn, source, sourceLabel: sourceLabelOf(source), via, ...extra });
    // In the order the family has always listed them: classic sources first, then aws-native ones.
    const mappings = (sources: ReadonlySet<string>) => {
        for (const m of g.ofType(EVENT_SOURCE_MAPPING, NATIVE_EVENT_SOURCE_MAPPING)) {
            for (const source of g.refs(m, "eventSourceArn", sources)) {
                g.refs(m, "functionName", FUNCTIONS).forEach(fn => push(fn, source, `EventSourceMapping ${quote(m.name)}`));
            }
        }
    };
    const subscriptions = (type: string, topic: string, label: string) => {
        for (const sub of g.ofType(type)) {
            const fns = subscribed(g, sub, "lambda", FUNCTIONS, onUnknown);
            for (const source of fns.length > 0 ? g.refs(sub, topic, TOPICS) : []) {
                fns.forEach(fn => push(fn, source, `${label} ${quote(sub.name)}`));
            }
        }
    };
    mappings(set(...QUEUES, KINESIS_STREAM, DYNAMODB_TABLE));
    subscriptions(TOPIC_SUBSCRIPTION, "topic", "TopicSubscription");
    for (const n of g.ofType(BUCKET_NOTIFICATION)) {
        const filtered = allFiltered(n.props.lambdaFunctions);
        for (const source of g.refs(n, "bucket", BUCKETS)) {
            g.refs(n, "lambdaFunctions", FUNCTIONS).forEach(fn => push(fn, source, `BucketNotification ${quote(n.name)}`, { filtered }));
        }
    }
    mappings(set(NATIVE_KINESIS_STREAM, NATIVE_DYNAMODB_TABLE));
    subscriptions(NATIVE_SUBSCRIPTION, "topicArn", "Subscription");
    for (const bucket of g.ofType(NATIVE_BUCKET)) {
        for (const fn of g.refs(bucket, "notificationConfiguration", FUNCTIONS)) {
            push(fn, bucket, "notificationConfiguration.lambdaConfigurations");
        }
    }
    for (const { target, feed } of ruleTargets(g, FUNCTIONS, onUnknown)) {
        out.push({ fn: target, ...feed });
    }
    for (const p of g.ofType(PERMISSION, NATIVE_PERMISSION)) {
        const fns = g.refs(p, permissionTarget(p), FUNCTIONS);
        if (fns.length === 0) {
            continue;
        }
        for (const source of g.refs(p, "sourceArn", SOURCES)) {
            fns.forEach(fn => push(fn, source, `Permission ${quote(p.name)}`, { permissionOnly: true }));
        }
        for (const rule of g.refs(p, "sourceArn", RULES)) {
            const feed = ruleFeed(g, rule, `${rule.type === NATIVE_RULE ? "Rule" : "EventRule"} ${quote(rule.name)} -> Permission ${quote(p.name)}`, onUnknown);
            fns.forEach(fn => feed && out.push({ fn, ...feed, permissionOnly: true }));
        }
    }
    return out;
}

/** Each queue that an event source mapping reads for a function, with the mappings, in words. */
export function queueTriggers(g: ResourceGraph): Map<Node, string[]> {
    const out = new Map<Node, string[]>();
    for (const m of g.ofType(EVENT_SOURCE_MAPPING, NATIVE_EVENT_SOURCE_MAPPING)) {
        const fns = g.refs(m, "functionName", FUNCTIONS);
        for (const queue of g.refs(m, "eventSourceArn", QUEUES)) {
            const via = `${fns.length > 0 ? `function ${fns.map(f => quote(f.name)).join(", ")} through ` : ""}EventSourceMapping ${quote(m.name)}`;
            out.set(queue, [...(out.get(queue) ?? []), via]);
        }
    }
    return out;
}

/** Where each resource policy type names the source it guards. */
const GUARD_LINKS: Record<string, { property: string; sources: ReadonlySet<string> }> = {
    [TOPIC_POLICY]: { property: "arn", sources: TOPICS },
    [NATIVE_TOPIC_POLICY]: { property: "topics", sources: TOPICS },
    [NATIVE_TOPIC_INLINE_POLICY]: { property: "topicArn", sources: TOPICS },
    [QUEUE_POLICY]: { property: "queueUrl", sources: QUEUES },
    [NATIVE_QUEUE_INLINE_POLICY]: { property: "queue", sources: QUEUES },
    [EVENT_BUS_POLICY]: { property: "eventBusName", sources: BUSES },
    [EVENT_PERMISSION]: { property: "eventBusName", sources: BUSES },
    [NATIVE_EVENT_BUS_POLICY]: { property: "eventBusName", sources: BUSES },
    [KINESIS_RESOURCE_POLICY]: { property: "resourceArn", sources: set(KINESIS_STREAM, NATIVE_KINESIS_STREAM) },
    [NATIVE_KINESIS_RESOURCE_POLICY]: { property: "resourceArn", sources: set(KINESIS_STREAM, NATIVE_KINESIS_STREAM) },
    [DYNAMODB_RESOURCE_POLICY]: { property: "resourceArn", sources: set(DYNAMODB_TABLE, NATIVE_DYNAMODB_TABLE) },
    [BUCKET_POLICY]: { property: "bucket", sources: BUCKETS },
    [NATIVE_BUCKET_POLICY]: { property: "bucket", sources: BUCKETS },
};
const BUS_GUARDS = [EVENT_BUS_POLICY, EVENT_PERMISSION, NATIVE_EVENT_BUS_POLICY];

/**
 * The resources whose resource policy says who may write to a trigger's source: the source itself when
 * it carries one inline, and every policy resource that names it (for the default bus: those of the
 * rule's account and region that name no other bus).
 */
export function sourceGuards(g: ResourceGraph, path: TriggerPath): Node[] {
    if (!path.source) {
        const rule = path.rule;
        return rule ? g.ofType(...BUS_GUARDS).filter(p => isDefaultBus(p.props.eventBusName) && scopesAgree(p.scope, rule.scope)) : [];
    }
    const source = path.source;
    const out = SOURCE_POLICIES[source.type] ? [source] : [];
    for (const [type, link] of Object.entries(GUARD_LINKS)) {
        if (link.sources.has(source.type)) {
            out.push(...g.referrers(source, link.property, [type]));
        }
    }
    return out;
}

/** Whether a policy document (or a value inside its statements) waits for a value unknown during preview. */
function documentWaits(value: unknown, depth = 0): boolean {
    if (isUnknown(value)) {
        return true;
    }
    if (depth > 6) {
        return false;
    }
    if (Array.isArray(value)) {
        return value.some(v => documentWaits(v, depth + 1));
    }
    if (!isRecord(value)) {
        return false;
    }
    return Object.entries(value).some(([k, v]) => k === "Condition"
        // A computed condition value is another resource's output (an ARN, id or account): it narrows (lib/iam narrowsCaller).
        ? isUnknown(v) || (isRecord(v) && Object.values(v).some(isUnknown))
        : k !== "Resource" && k !== "NotResource" && k !== "Sid" && documentWaits(v, depth + 1));
}

/**
 * Who outside the account may write to a trigger's source, by the predicates of the source's resource
 * policies: anyone (aws-event-source-public-write) or an AWS service on behalf of any account's
 * resource (aws-event-source-service-unscoped). A document unknown during preview is those policies' to
 * wait for (this one waits too where they are disabled).
 */
export function openWriters(g: ResourceGraph, path: TriggerPath, onUnknown: OnUnknown): OpenWriter[] {
    const out: OpenWriter[] = [];
    for (const guard of sourceGuards(g, path)) {
        const view = SOURCE_POLICIES[guard.type].view(guard.props, guard.type);
        const waiting = view.documents().find(d => documentWaits(d.read()));
        if (waiting) {
            waitUnlessOwned(onUnknown, [SOURCE_PUBLIC_WRITE, SOURCE_SERVICE_UNSCOPED], guard, waiting.where.split(".")[0]);
            continue;
        }
        const open = publicWrites(view);
        if (open.length > 0) {
            out.push({
                reportedBy: { policy: SOURCE_PUBLIC_WRITE, node: guard },
                what: `${open.map(o => `${o.document.where} ${o.statement}`).join(", ")} of ${quote(guard.name)} lets anyone (Principal "*") write`,
            });
        }
        const unscoped = unscopedServiceWrites(view);
        if (unscoped.length > 0) {
            out.push({
                reportedBy: { policy: SOURCE_SERVICE_UNSCOPED, node: guard },
                what: `${unscoped.map(u => `${u.document.where} ${u.statement}`).join(", ")} of ${quote(guard.name)} lets ${wordList([...new Set(unscoped.flatMap(u => u.services))].map(quote))} write for any account's resources`,
            });
        }
    }
    return out;
}
