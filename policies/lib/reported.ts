// Root causes that a resource policy already reports. A stack policy that meets one on a path names it
// (or stays silent) instead of reporting it again on another resource: one root cause, one line, on
// the resource that carries the setting to change. The stack side decides coverage by evaluating the
// resource policy's own predicate on the same resource, never by re-deriving it.
import { Node } from "./graph";
import { quote } from "./values";
import { configuredLevel } from "./redecide";

/** A resource policy's finding on one resource of the stack. */
export interface ReportedBy {
    /** The resource policy's id. */
    policy: string;
    /** The resource it reports on: the one carrying the setting to change. */
    node: Node;
}

/** How a stack message refers to it, e.g. "aws-lambda-permission-public reports it on `anyone`". */
export function reportedText(r: ReportedBy): string {
    return `${r.policy} reports it on ${quote(r.node.name)}`;
}

/** The items no resource policy reports: what only a stack policy can see. */
export function unreported<T extends { reportedBy?: ReportedBy }>(items: readonly T[]): T[] {
    return items.filter(item => item.reportedBy === undefined || !reportsInThisRun(item.reportedBy.policy));
}

/** Whether a resource policy reports in this run: one the configuration disabled leaves its root cause to the stack policies. */
export function reportsInThisRun(policy: string): boolean {
    return configuredLevel(policy) !== "disabled";
}

/** A finding of `policy` on `node` when `reports` holds (the resource policy's predicate on that resource). */
export function reportedWhen(reports: boolean, policy: string, node: Node): ReportedBy | undefined {
    return reports ? { policy, node } : undefined;
}
