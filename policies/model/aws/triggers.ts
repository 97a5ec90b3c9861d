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
import { type OnUnknown, type OpenWriter, waitUnlessOwned } from "../core";
import { permissionTarget } from "./frontdoors";
import { BUCKET_NOTIFICATION, BUCKETS, DYNAMODB_TABLE, FUNCTIONS, KINESIS_STREAM, set, TOPIC_SUBSCRIPTION } from "./types";

export interface Trigger {
    fn: Node;
    source: Node;
    /** How the source triggers the function, e.g. "EventSourceMapping `m`". */
    via: string;
    /** Set when S3 notifications are limited by prefix or suffix. */
    filtered?: boolean;
}

/** Event sources that invoke functions: stream/queue mappings, SNS subscriptions, S3 notifications. */
export function triggers(g: ResourceGraph): Trigger[] {
    const out: Trigger[] = [];
    const sources = set(QUEUE, NATIVE_QUEUE, KINESIS_STREAM, DYNAMODB_TABLE);
    for (const m of g.ofType(EVENT_SOURCE_MAPPING, NATIVE_EVENT_SOURCE_MAPPING)) {
        for (const source of g.refs(m, "eventSourceArn", sources)) {
            for (const fn of g.refs(m, "functionName", FUNCTIONS)) {
                out.push({ fn, source, via: `EventSourceMapping ${quote(m.name)}` });
            }
        }
    }
    for (const sub of g.ofType(TOPIC_SUBSCRIPTION)) {
        if (sub.props.protocol !== "lambda") {
            continue;
        }
        for (const source of g.refs(sub, "topic", set(TOPIC, NATIVE_TOPIC))) {
            for (const fn of g.refs(sub, "endpoint", FUNCTIONS)) {
                out.push({ fn, source, via: `TopicSubscription ${quote(sub.name)}` });
            }
        }
    }
    for (const n of g.ofType(BUCKET_NOTIFICATION)) {
        const entries = asList(n.props.lambdaFunctions).filter(isRecord);
        const filtered = entries.length > 0 && entries.every(e => !!asString(e.filterPrefix) || !!asString(e.filterSuffix));
        for (const source of g.refs(n, "bucket", BUCKETS)) {
            for (const fn of g.refs(n, "lambdaFunctions", FUNCTIONS)) {
                out.push({ fn, source, via: `BucketNotification ${quote(n.name)}`, filtered });
            }
        }
    }
    return out;
}

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
}

const SOURCE_WHAT: Record<string, string> = {
    [QUEUE]: "SQS queue", [NATIVE_QUEUE]: "SQS queue", [TOPIC]: "SNS topic", [NATIVE_TOPIC]: "SNS topic",
    [BUCKET]: "S3 bucket", [BUCKET_V2]: "S3 bucket", [NATIVE_BUCKET]: "S3 bucket",
    [KINESIS_STREAM]: "Kinesis stream", [NATIVE_KINESIS_STREAM]: "Kinesis stream",
    [DYNAMODB_TABLE]: "DynamoDB table", [NATIVE_DYNAMODB_TABLE]: "DynamoDB table",
    [EVENT_BUS]: "event bus", [NATIVE_EVENT_BUS]: "event bus",
};
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

/**
 * Every trigger of every function, back to its source: event source mappings, SNS subscriptions (both
 * providers), S3 notifications (both providers), EventBridge rules with their targets (both providers)
 * and Lambda permissions whose sourceArn names a topic, bucket or rule. Links are those the graph
 * settles (ids, ARNs, names, propertyDependencies); a link it can't settle is reported unknown.
 */
export function triggerPaths(g: ResourceGraph, onUnknown: OnUnknown): TriggerPath[] {
    const out: TriggerPath[] = triggers(g).map(t => ({ fn: t.fn, source: t.source, sourceLabel: sourceLabelOf(t.source), via: t.via }));
    for (const m of g.ofType(EVENT_SOURCE_MAPPING, NATIVE_EVENT_SOURCE_MAPPING)) {
        for (const source of g.refs(m, "eventSourceArn", set(NATIVE_KINESIS_STREAM, NATIVE_DYNAMODB_TABLE))) {
            for (const fn of g.refs(m, "functionName", FUNCTIONS)) {
                out.push({ fn, source, sourceLabel: sourceLabelOf(source), via: `EventSourceMapping ${quote(m.name)}` });
            }
        }
    }
    for (const sub of g.ofType(NATIVE_SUBSCRIPTION)) {
        if (sub.props.protocol !== "lambda") {
            continue;
        }
        for (const source of g.refs(sub, "topicArn", TOPICS)) {
            for (const fn of g.refs(sub, "endpoint", FUNCTIONS)) {
                out.push({ fn, source, sourceLabel: sourceLabelOf(source), via: `Subscription ${quote(sub.name)}` });
            }
        }
    }
    for (const bucket of g.ofType(NATIVE_BUCKET)) {
        for (const fn of g.refs(bucket, "notificationConfiguration", FUNCTIONS)) {
            out.push({ fn, source: bucket, sourceLabel: sourceLabelOf(bucket), via: "notificationConfiguration.lambdaConfigurations" });
        }
    }
    const fromRule = (rule: Node, fns: Node[], via: string) => {
        if (fns.length === 0 || scheduleOnly(rule)) {
            return;
        }
        const bus = ruleSource(g, rule, onUnknown);
        for (const fn of bus ? fns : []) {
            out.push({ fn, source: bus!.source, sourceLabel: bus!.label, via, rule: bus!.source ? undefined : rule });
        }
    };
    for (const t of g.ofType(EVENT_TARGET)) {
        const fns = g.refs(t, "arn", FUNCTIONS);
        for (const rule of fns.length > 0 ? g.refs(t, "rule", set(EVENT_RULE)) : []) {
            fromRule(rule, fns, `EventRule ${quote(rule.name)} -> EventTarget ${quote(t.name)}`);
        }
    }
    for (const rule of g.ofType(NATIVE_RULE)) {
        fromRule(rule, g.refs(rule, "targets", FUNCTIONS), `Rule ${quote(rule.name)}`);
    }
    for (const p of g.ofType(PERMISSION, NATIVE_PERMISSION)) {
        const fns = g.refs(p, permissionTarget(p), FUNCTIONS);
        if (fns.length === 0) {
            continue;
        }
        for (const source of g.refs(p, "sourceArn", SOURCES)) {
            out.push(...fns.map(fn => ({ fn, source, sourceLabel: sourceLabelOf(source), via: `Permission ${quote(p.name)}` })));
        }
        for (const rule of g.refs(p, "sourceArn", RULES)) {
            fromRule(rule, fns, `${rule.type === NATIVE_RULE ? "Rule" : "EventRule"} ${quote(rule.name)} -> Permission ${quote(p.name)}`);
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
