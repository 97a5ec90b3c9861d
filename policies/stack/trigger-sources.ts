// Who can trigger a function: every trigger followed back to its source, and the sources that writers
// outside the account can reach. Whether a source is open is its resource policy's question, decided
// by that policy's own predicate (lib/reported.ts): the mandatory line is on the source; this family
// adds what no single resource shows (which functions an open source drives, and through what), and
// reports the root cause itself only where the owning resource policy is disabled in the run.
import { stackPolicy } from "../lib/define";
import { Node } from "../lib/graph";
import { ReportedBy, reportedText, reportsInThisRun } from "../lib/reported";
import { quote } from "../lib/values";
import * as aws from "../model/aws";

/** One trigger of a function whose source outsiders may write to, in provider-neutral words. */
export interface OpenTrigger {
    fn: Node;
    /** Groups the paths of one source, e.g. its URN. */
    sourceKey: string;
    /** e.g. "SNS topic `orders`". */
    sourceLabel: string;
    /** The trigger resources between source and function, e.g. "TopicSubscription `s`". */
    via: string;
    /** Each way outsiders may write, with the resource policy that reports it there. */
    open: { reportedBy: ReportedBy; what: string }[];
}

/** The triggers of every function whose source is open to writers outside the account, project or tenant. */
export function openTriggers(graph: Parameters<typeof aws.triggerPaths>[0], unknown: Parameters<typeof aws.triggerPaths>[1]): OpenTrigger[] {
    const out: OpenTrigger[] = [];
    for (const path of aws.triggerPaths(graph, unknown)) {
        const open = aws.openWriters(graph, path, unknown);
        if (open.length > 0) {
            const sourceKey = path.source?.urn ?? `${path.sourceLabel}#${path.rule?.scope.join("/")}`;
            out.push({ fn: path.fn, sourceKey, sourceLabel: path.sourceLabel, via: path.via, open });
        }
    }
    return out;
}

const SHOWN = 3;

/** A source's causes: where each is reported, or (its owner disabled in this run) what it is. */
function causes(open: OpenTrigger["open"]): string {
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
        description: "A function should not be triggered by an event source that writers outside its account can write to: whoever writes the events drives the function (event-data injection).",
        severity: "high",
        // The root cause is the source's resource policy, mandatory there; this line says which functions it drives.
        enforcementLevel: "advisory",
        threats: ["R1", "R5"],
        references: ["OWASP SAS-1"],
        remediation: "Close the source's resource policy named in the message (name the accounts, roles or services that should write, or add a condition on aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID), or trigger the function from a source only your account writes to.",
        check: ({ graph, report, unknown }) => {
            const byFn = new Map<Node, Map<string, { label: string; vias: string[]; open: OpenTrigger["open"] }>>();
            for (const t of openTriggers(graph, unknown)) {
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
                const shown = list.slice(0, SHOWN).map(s => `${s.label} -> ${s.vias.join(", ")} -> function ${quote(fn.name)} (${causes(s.open)})`);
                const more = list.length > SHOWN ? `; and ${list.length - SHOWN} more` : "";
                report(fn.resource, `function ${quote(fn.name)} is triggered by events that writers outside its account can send: ${shown.join("; ")}${more}.`);
            }
        },
    }),
];
