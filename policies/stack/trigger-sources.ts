// Who can trigger a function: every trigger followed back to its source, and the sources that writers
// outside the account can reach. Whether a source is open is its resource policy's question, decided
// by that policy's own predicate (lib/reported.ts): the mandatory line is on the source; this family
// adds what no single resource shows (which functions an open source drives, and through what), and
// reports the root cause itself only where the owning resource policy is disabled in the run.
import { stackPolicy } from "../lib/define";
import { Node, ResourceGraph } from "../lib/graph";
import { reportedText, reportsInThisRun } from "../lib/reported";
import { quote } from "../lib/values";
import * as aws from "../model/aws";
import * as azure from "../model/azure";
import type { OnUnknown, OpenWriter } from "../model/core";
import * as gcp from "../model/gcp";

/** One trigger of a function whose source outsiders may write to, in provider-neutral words. */
export interface OpenTrigger {
    /** The function, Cloud Run service or function app the trigger invokes. */
    fn: Node;
    /** Groups the paths of one source, e.g. its URN. */
    sourceKey: string;
    /** e.g. "SNS topic `orders`". */
    sourceLabel: string;
    /** The trigger resources between source and function, e.g. "TopicSubscription `s`". */
    via: string;
    /** Who the source is open to, e.g. "writers outside its account". */
    outsiders: string;
    /** Each way outsiders may write, with the resource policy that reports it there. */
    open: OpenWriter[];
}

/** The triggers of every function, of every cloud, whose source is open to writers outside the account, project or tenant. */
export function openTriggers(graph: ResourceGraph, unknown: OnUnknown): OpenTrigger[] {
    const out: OpenTrigger[] = [];
    for (const path of aws.triggerPaths(graph, unknown)) {
        const open = aws.openWriters(graph, path, unknown);
        if (open.length > 0) {
            const sourceKey = path.source?.urn ?? `${path.sourceLabel}#${path.rule?.scope.join("/")}`;
            out.push({ fn: path.fn, sourceKey, sourceLabel: path.sourceLabel, via: path.via, outsiders: "writers outside its account", open });
        }
    }
    for (const path of gcp.triggerPaths(graph, unknown)) {
        const open = gcp.openWriters(graph, path.source, unknown);
        if (open.length > 0) {
            out.push({ fn: path.fn, sourceKey: path.source.urn, sourceLabel: gcp.gcpSourceLabel(path.source), via: path.via, outsiders: "anyone outside its project", open });
        }
    }
    for (const path of azure.triggerPaths(graph, unknown)) {
        const open = azure.openWriters(graph, path.source, unknown);
        if (open.length > 0) {
            out.push({ fn: path.app, sourceKey: path.source.urn, sourceLabel: azure.azureSourceLabel(path.source), via: path.via, outsiders: "anyone holding a key (in any tenant)", open });
        }
    }
    return out;
}

const SHOWN = 3;

/** A source's causes: where each is reported, or (its owner disabled in this run) what it is. */
function causes(open: OpenWriter[]): string {
    const seen = new Set<string>();
    const parts: string[] = [];
    for (const o of open) {
        const text = reportsInThisRun(o.reportedBy.policy) ? reportedText(o.reportedBy) : o.what;
        if (!seen.has(text)) {
            seen.add(text);
            parts.push(text);
        }
    }
    return parts.join("; ");
}

export const triggerSourcePolicies = [
    stackPolicy({
        name: "stack-function-trigger-open",
        description: "A function should not be triggered by an event source that writers outside its account, project or tenant can write to: whoever writes the events drives the function (event-data injection).",
        // The root cause is the source's resource policy, critical and mandatory there; this line adds which functions it drives.
        severity: "medium",
        threats: ["R1", "R5"],
        references: ["OWASP SAS-1"],
        remediation: "Close the source named in the message where its resource policy reports it: on AWS name the accounts, roles or services that should write (or add a condition on aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID); on Google Cloud remove allUsers and allAuthenticatedUsers from the topic's or bucket's IAM; on Azure disable local (key) authentication or public network access on the topic or namespace, and Shared Key access on the storage account.",
        check: ({ graph, report, unknown }) => {
            const byFn = new Map<Node, Map<string, { label: string; vias: string[]; open: OpenWriter[] }>>();
            const outsiders = new Map<Node, string>();
            for (const t of openTriggers(graph, unknown)) {
                outsiders.set(t.fn, t.outsiders);
                const sources = byFn.get(t.fn) ?? new Map();
                const entry = sources.get(t.sourceKey) ?? { label: t.sourceLabel, vias: [], open: [] };
                if (!entry.vias.includes(t.via)) {
                    entry.vias.push(t.via);
                }
                entry.open.push(...t.open);
                sources.set(t.sourceKey, entry);
                byFn.set(t.fn, sources);
            }
            for (const [fn, sources] of byFn) {
                const list = [...sources.values()];
                const what = azure.ALL_APPS.has(fn.type) ? "function app" : gcp.CLOUD_RUN_TYPES.has(fn.type) ? "Cloud Run service" : "function";
                const shown = list.slice(0, SHOWN).map(s => `${s.label} -> ${s.vias.join(", ")} -> ${what} ${quote(fn.name)} (${causes(s.open)})`);
                const more = list.length > SHOWN ? `; and ${list.length - SHOWN} more` : "";
                report(fn.resource, `${what} ${quote(fn.name)} is triggered by events that ${outsiders.get(fn)} can send: ${shown.join("; ")}${more}.`);
            }
        },
    }),
];
