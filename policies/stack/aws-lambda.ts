// Lambda functions in the stack graph: which ones are invoked asynchronously (and so need somewhere
// to keep failed events), and which action classes reach their roles through any policy.
import { stackPolicy } from "../lib/define";
import { isUnknown, Node, ResourceGraph } from "../lib/graph";
import { identityFor } from "../lib/provenance";
import { actionClassGrants } from "../lib/iam";
import { asString, at, isSet, quote } from "../lib/values";
import { ASYNC_INVOKING_SERVICES } from "../data/aws-lambda";
import { EVENT_INVOKE_CONFIG, FUNCTION, PERMISSION } from "../aws/lambda";
import { NATIVE_EVENT_INVOKE_CONFIG, NATIVE_PERMISSION } from "../aws/views";
import { ACTION_CLASSES } from "../aws/iam-actions";
import { BUCKET_NOTIFICATION, executionRoles, FUNCTION_TYPES, OnUnknown, permissionTarget, roleSources, sourceReportedBy, TOPIC_SUBSCRIPTION } from "./aws";

export const EVENT_TARGET = "aws:cloudwatch/eventTarget:EventTarget";
export const SCHEDULE = "aws:scheduler/schedule:Schedule";
export const LOG_SUBSCRIPTION = "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter";

const FUNCTIONS = new Set(FUNCTION_TYPES);
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
function keepsFailures(g: ResourceGraph, fn: Node): boolean {
    if (isSet(fn.props.deadLetterConfig, "targetArn")) {
        return true;
    }
    return g.referrers(fn, "functionName", [EVENT_INVOKE_CONFIG, NATIVE_EVENT_INVOKE_CONFIG])
        .some(c => isSet(at(c.props, "destinationConfig", "onFailure"), "destination"));
}

export const lambdaStackPolicies = [
    stackPolicy({
        name: "aws-lambda-function-dead-letter",
        description: "Lambda functions invoked asynchronously (S3, SNS, EventBridge, async invoke configs) should keep failed events (dead-letter queue or on-failure destination) so that failures and attacks are not lost silently.",
        severity: "medium",
        threats: ["P7", "R1"],
        remediation: "Set deadLetterConfig.targetArn to an encrypted SQS queue or SNS topic, or add a FunctionEventInvokeConfig with destinationConfig.onFailure.destination.",
        check: ({ graph, report, unknown }) => {
            for (const [fn, via] of asyncInvokers(graph, unknown)) {
                if (isUnknown(fn.props.deadLetterConfig)) {
                    unknown(fn, "deadLetterConfig");
                } else if (!keepsFailures(graph, fn)) {
                    report(fn.resource, `function ${quote(fn.name)} is invoked asynchronously (by ${[...new Set(via)].join(", ")}) but deadLetterConfig.targetArn is not set and no ${fn.type === FUNCTION ? "FunctionEventInvokeConfig" : "EventInvokeConfig"} has an on-failure destination: failed events are dropped.`);
                }
            }
        },
    }),

    stackPolicy({
        name: "stack-aws-lambda-role-broad-actions",
        description: "A Lambda function's role must not receive data-exfiltration, credential-exposure, permissions-management or unscoped write actions on every resource through any policy that reaches it.",
        severity: "high",
        threats: ["P2", "R4"],
        references: ["OWASP SAS-5"],
        remediation: "Scope the statement named in the message to the resources the function uses, or remove the actions; check every inline policy, RolePolicy and attachment (RolePolicyAttachment, PolicyAttachment, RolePolicyAttachmentsExclusive, managedPolicyArns) of the role.",
        check: ({ graph, report, unknown }) => {
            for (const fn of graph.ofType(...FUNCTION_TYPES)) {
                for (const role of executionRoles(graph, fn, unknown)) {
                    for (const source of roleSources(graph, role, unknown)) {
                        // A modelled AWS managed policy is reported on its attachment by its scope as a whole, and a class
                        // that the resource policy of the same name reports on the document's resource is left to it.
                        for (const cls of source.managed ? [] : ACTION_CLASSES.filter(c => !sourceReportedBy(source, c.policy))) {
                            for (const grant of actionClassGrants(source.doc, cls.actions)) {
                                report(fn.resource, `function ${quote(fn.name)} gets ${cls.label} (${grant.statement} ${grant.detail}) via ${source.via}.`);
                            }
                        }
                    }
                }
            }
        },
    }),
];

