// What invokes an AWS Lambda function: event sources (queue and stream mappings, SNS subscriptions,
// S3 notifications) and asynchronous invokers, and where it keeps failed events.
import { EVENT_INVOKE_CONFIG, EVENT_SOURCE_MAPPING, PERMISSION } from "../../aws/lambda";
import { BUCKET, BUCKET_V2, QUEUE, TOPIC } from "../../aws/storage";
import { NATIVE_BUCKET, NATIVE_EVENT_INVOKE_CONFIG, NATIVE_EVENT_SOURCE_MAPPING, NATIVE_PERMISSION, NATIVE_QUEUE, NATIVE_TOPIC } from "../../aws/views";
import { ASYNC_INVOKING_SERVICES } from "../../data/aws-lambda";
import { isUnknown, Node, ResourceGraph } from "../../lib/graph";
import { identityFor } from "../../lib/provenance";
import { asList, asString, at, isRecord, isSet, quote } from "../../lib/values";
import type { OnUnknown } from "../core";
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
