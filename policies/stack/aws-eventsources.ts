// What happens to a function's events around its sources, where only the links between resources tell:
// the queue an event source mapping reads (does it keep the messages the function keeps failing on?),
// and the destinations asynchronous and stream invocations send events to (do they leave the account?).
import { stackPolicy } from "../lib/define";
import { isUnknown, knownString, Node, ResourceGraph } from "../lib/graph";
import { asStrings, at, quote } from "../lib/values";
import { EVENT_INVOKE_CONFIG, EVENT_SOURCE_MAPPING } from "../aws/lambda";
import { NATIVE_EVENT_INVOKE_CONFIG, NATIVE_EVENT_SOURCE_MAPPING } from "../aws/views";
import { REDRIVE_POLICY } from "../aws/eventsource-views";
import { FUNCTION_TYPES, queueTriggers } from "../model/aws";
import { OnUnknown } from "../model/core";

export const QUEUE_TRIGGER_REDRIVE = "aws-sqs-queue-trigger-redrive";
export const DESTINATION_CROSS_ACCOUNT = "aws-lambda-destination-cross-account";

const FUNCTIONS = new Set(FUNCTION_TYPES);

/**
 * Whether a queue has a redrive policy (inline, or an aws:sqs/redrivePolicy resource naming it); undefined
 * when that waits for a value unknown during preview. A value computed from other resources is set; one
 * the provider computes with nothing feeding it can't tell.
 */
export function hasRedrive(g: ResourceGraph, queue: Node): boolean | undefined {
    if (g.referrers(queue, "queueUrl", [REDRIVE_POLICY]).length > 0) {
        return true;
    }
    const value = queue.props.redrivePolicy;
    if (isUnknown(value)) {
        return g.deps(queue, "redrivePolicy").length > 0 ? true : undefined;
    }
    return value !== undefined && value !== null && value !== "" && !(typeof value === "object" && Object.keys(value).length === 0);
}

/** The account an ARN names (arn:partition:service:region:account:...), when it names one. */
export function accountOfArn(arn: string): string | undefined {
    return /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(arn.trim())?.[1];
}

/** Where each provider's invoke config and event source mapping name their destinations. */
export const DESTINATIONS: Record<string, string[][]> = {
    [EVENT_INVOKE_CONFIG]: [["onFailure", "destination"], ["onSuccess", "destination"]],
    [NATIVE_EVENT_INVOKE_CONFIG]: [["onFailure", "destination"], ["onSuccess", "destination"]],
    [EVENT_SOURCE_MAPPING]: [["onFailure", "destinationArn"]],
    [NATIVE_EVENT_SOURCE_MAPPING]: [["onFailure", "destination"]],
};

/** The account a function lives in: its own scope, or the account of the ARN the config names it by. */
function functionAccount(g: ResourceGraph, config: Node): { fn?: Node; account?: string } {
    const fn = g.refs(config, "functionName", FUNCTIONS)[0];
    const named = knownString(config.props.functionName);
    return { fn, account: fn?.scope[0] ?? (named ? accountOfArn(named) : undefined) };
}

/** Destinations in another account than their function's (both accounts known), in words; waits where only the function's is unknown. */
export function crossAccountDestinations(g: ResourceGraph, config: Node, trusted: readonly string[], onUnknown: OnUnknown): string[] {
    const out: string[] = [];
    for (const [outcome, key] of DESTINATIONS[config.type] ?? []) {
        const where = `destinationConfig.${outcome}.${key}`;
        const arn = knownString(at(config.props, "destinationConfig", outcome, key));
        const destination = arn ? accountOfArn(arn) : undefined;
        if (!destination || trusted.includes(destination)) {
            continue; // computed from a resource of the stack, or an ARN without an account (S3): nothing says it leaves
        }
        const { fn, account } = functionAccount(g, config);
        if (account === undefined) {
            onUnknown(fn ?? config, fn ? "arn" : "functionName");
        } else if (account !== destination) {
            out.push(`${where} is in account ${destination}, not the function's account ${account}`);
        }
    }
    return out;
}

export const eventSourceStackPolicies = [
    stackPolicy({
        name: QUEUE_TRIGGER_REDRIVE,
        description: "An SQS queue that triggers a function should have a redrive policy: without a dead-letter queue, a message the function keeps failing on is received again until the queue's retention ends, then lost.",
        severity: "medium",
        threats: ["R1", "P4", "P7"],
        remediation: "Set redrivePolicy on the queue (or add an aws:sqs/redrivePolicy:RedrivePolicy) with a deadLetterTargetArn and a maxReceiveCount.",
        check: ({ graph, report, unknown }) => {
            for (const [queue, vias] of queueTriggers(graph)) {
                const redrive = hasRedrive(graph, queue);
                if (redrive === undefined) {
                    unknown(queue, "redrivePolicy");
                } else if (!redrive) {
                    report(queue.resource, `queue ${quote(queue.name)} triggers ${vias.join(" and ")} but has no redrivePolicy: messages the function fails on are retried until they expire, then lost.`);
                }
            }
        },
    }),

    stackPolicy<{ trustedAccountIds: string[] }>({
        name: DESTINATION_CROSS_ACCOUNT,
        description: "Asynchronous invocation and event source mapping destinations should stay in the function's account: each one receives the full event (and the function's response or error).",
        severity: "medium",
        threats: ["R4", "R5"],
        remediation: "Send failed and successful events to a queue, topic, bus or function in the function's own account, or list the receiving account in trustedAccountIds.",
        config: {
            trustedAccountIds: { type: "array", items: { type: "string", pattern: "^\\d{12}$" }, default: [], description: "Accounts that may receive a function's events (e.g. a central operations account)." },
        },
        check: ({ graph, report, unknown, config }) => {
            const trusted = asStrings(config.trustedAccountIds);
            for (const c of graph.ofType(...Object.keys(DESTINATIONS))) {
                const found = crossAccountDestinations(graph, c, trusted, unknown);
                if (found.length > 0) {
                    report(c.resource, `${found.join("; ")}: the full event leaves the account.`);
                }
            }
        },
    }),
];
