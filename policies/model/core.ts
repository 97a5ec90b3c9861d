// What the cloud models share: how a question about a link reports a value it needs but can't read
// (unknown during preview, or known but matching several resources that can't be told apart).
import type { DeferredCause } from "../lib/deferred";
import type { Node, ResourceGraph } from "../lib/graph";
import { reportsInThisRun, type ReportedBy } from "../lib/reported";

/** Reports a decisive value that is unknown, or known but undecidable (see the cause); stack policies pass it to their context. */
export type OnUnknown = (node: Node, property: string, cause?: DeferredCause) => void;

/** One way writers outside the account, project or tenant may write to a trigger's source, with the resource policy that reports it. */
export interface OpenWriter {
    /** The resource policy's id and the resource carrying the setting to change. */
    reportedBy: ReportedBy;
    /** What lets them in, in words (names, never values), e.g. "policy statement 0 of `jobs-policy` lets anyone (Principal \"*\") write". */
    what: string;
}

/**
 * A value that decides whether a source is open, unknown during preview: the resource policy that owns
 * the question waits for it on its own resource; a stack policy waits too only where that owner is
 * disabled in the run (then the stack policy is the one that has to decide it).
 */
export function waitUnlessOwned(onUnknown: OnUnknown, owners: readonly string[], node: Node, property: string): void {
    if (owners.some(policy => !reportsInThisRun(policy))) {
        onUnknown(node, property);
    }
}

/**
 * A graph-wide answer worked out once per graph (every stack policy of a call asks it), with the values
 * it waited for replayed to each caller's own onUnknown. The answer is shared: callers only read it.
 */
export function rememberWaiting<T>(g: ResourceGraph, key: string, onUnknown: OnUnknown, compute: (onUnknown: OnUnknown) => T): T {
    const { value, waits } = g.remember(key, () => {
        const waits: Parameters<OnUnknown>[] = [];
        return { value: compute((...args) => { waits.push(args); }), waits };
    });
    waits.forEach(args => onUnknown(...args));
    return value;
}
