// Execution flow between linked resources: triggers that re-invoke the function that feeds them,
// and events consumed by several functions.
import { stackPolicy } from "../lib/define";
import { Node } from "../lib/graph";
import { quote } from "../lib/values";
import { allows, EVENT_BUS, executionRoles, roleSources, sourceLabel, triggerPaths, WRITE_ACTION } from "../model/aws";
import * as gcp from "../model/gcp";
import { computeLabel } from "../model/labels";
import { BUCKET_IAM_PUBLIC } from "../gcp/storage";
import { TOPIC_PUBLIC_PUBLISH } from "../gcp/pubsub";
import { reportsInThisRun } from "../lib/reported";
import { MANAGED_POLICY_SERVICE_WIDE } from "../aws/iam";
import { sourceReportedBy } from "./identity";

/** Whether a trigger's target is a Cloud Run service (not a function), for messages. */
const isService = (node: Node) => gcp.CLOUD_RUN_TYPES.has(node.type);

/** AWS sources whose purpose is to deliver each event to several consumers. */
const FANS_OUT = new Set(["aws:sns/topic:Topic", "aws-native:sns:Topic", EVENT_BUS, "aws-native:events:EventBus"]);

/** The resource policy that reports a grant to allUsers on a Google trigger source: the root cause of a loop through it. */
const PUBLIC_GRANT_POLICY: Record<string, string> = { [gcp.BUCKET]: BUCKET_IAM_PUBLIC, [gcp.TOPIC]: TOPIC_PUBLIC_PUBLISH };

export const flowPolicies = [
    stackPolicy({
        name: "stack-function-event-loop",
        description: "A function must not be able to write to the event source that triggers it, or one event can re-invoke it without end (and be used to manipulate the flow).",
        severity: "high",
        threats: ["R5", "P4"],
        references: ["OWASP SAS-6"],
        remediation: "Write results to a different bucket, queue or topic than the trigger (for Lambda, or separate them with S3 prefix/suffix filters), and scope the role's Resource or the service account's IAM grant to the output location only.",
        check: ({ graph, report, unknown }) => {
            for (const t of triggerPaths(graph, unknown)) {
                // A permission alone delivers nothing; a path filtered by S3 prefix or suffix is separated on purpose.
                const write = t.source && !t.permissionOnly && !t.filtered ? WRITE_ACTION[t.source.type] : undefined;
                if (!write || !t.source) {
                    continue;
                }
                for (const role of executionRoles(graph, t.fn, unknown)) {
                    // An administrator or service-wide AWS managed policy lets the function write to its trigger only because it lets
                    // it write to every bucket, queue, stream or topic: the attachment's own policy reports that, the one setting to change.
                    const sources = roleSources(graph, role, unknown).filter(s => !s.managed || !sourceReportedBy(s, MANAGED_POLICY_SERVICE_WIDE));
                    const grant = allows(graph, sources, write.action, t.source);
                    if (grant) {
                        report(t.fn.resource, `function ${quote(t.fn.name)} is triggered by ${write.what} ${quote(t.source.name)} (via ${t.via}) and can ${write.action} to it via ${sourceLabel(grant)}: each write can invoke it again.`);
                    }
                }
            }
            for (const t of gcp.triggerPaths(graph, unknown)) {
                const id = gcp.functionIdentity(graph, t.fn, unknown);
                const write = id && gcp.canWrite(graph, id, t.source);
                if (!id || !write) {
                    continue;
                }
                const spec = gcp.WRITE_SPEC[t.source.type];
                // A grant to allUsers on the source lets the function write only because it lets anyone write: its resource policy reports that.
                const owner = PUBLIC_GRANT_POLICY[t.source.type];
                const reported = new Set(owner !== undefined && reportsInThisRun(owner) ? write.viaPublic ?? [] : []);
                const via = write.via.filter(v => !reported.has(v));
                if (via.length > 0) {
                    report(t.fn.resource, `${computeLabel(t.fn)} is triggered by ${spec.what} ${quote(t.source.name)} (via ${t.via}) and, running as ${id.label}, can ${spec.can} via ${via.join(", ")}: each write can invoke it again.`);
                } else if (reported.size > 0) {
                    continue;
                } else {
                    write.maybe.forEach(m => unknown(m.node, m.property));
                }
            }
        },
    }),

    stackPolicy({
        name: "stack-function-event-fanout",
        description: "One event source consumed by several functions should be a deliberate fan-out; otherwise each event triggers functions it wasn't meant for.",
        severity: "low",
        threats: ["R5"],
        remediation: "Give each function its own queue, stream, bucket, topic or notification filter, or fan out deliberately through an SNS topic or EventBridge rule (AWS) or separate Pub/Sub subscriptions (Google Cloud).",
        check: ({ graph, report, unknown }) => {
            const bySource = new Map<string, { names: Set<string>; source: string; fns: typeof graph.nodes }>();
            // Only what the stack shows can't change the outcome here (topics and buses are left out), so nothing waits.
            for (const t of triggerPaths(graph, () => undefined)) {
                // SNS topics and EventBridge buses exist to fan out; a relayed path starts on one of those or a bucket that
                // fans out through them; filtered notifications are separated on purpose; a permission alone delivers nothing.
                if (!t.source || t.through || t.permissionOnly || t.filtered || FANS_OUT.has(t.source.type)) {
                    continue;
                }
                const entry = bySource.get(t.source.urn) ?? { names: new Set(), source: t.source.name, fns: [] };
                if (!entry.names.has(t.fn.urn)) {
                    entry.names.add(t.fn.urn);
                    entry.fns.push(t.fn);
                }
                bySource.set(t.source.urn, entry);
            }
            for (const t of gcp.triggerPaths(graph, unknown)) {
                if (t.kind === "push" || t.through) {
                    continue; // a push subscription per function is the deliberate fan-out of Pub/Sub; a relayed path repeats its relay's
                }
                const key = `${t.source.urn}#${t.event}`;
                const entry = bySource.get(key) ?? { names: new Set(), source: t.source.name, fns: [] };
                if (!entry.names.has(t.fn.urn)) {
                    entry.names.add(t.fn.urn);
                    entry.fns.push(t.fn);
                }
                bySource.set(key, entry);
            }
            for (const { source, fns } of bySource.values()) {
                if (fns.length > 1) {
                    for (const fn of fns) {
                        const more = fns.length > 4 ? `, and ${fns.length - 4} more` : "";
                        const services = fns.some(isService) ? "functions and services" : "functions";
                        report(fn.resource, `${computeLabel(fn)} is one of ${fns.length} ${services} (${fns.slice(0, 4).map(f => quote(f.name)).join(", ")}${more}) triggered by ${quote(source)}.`);
                    }
                }
            }
        },
    }),
];
