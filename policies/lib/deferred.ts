// Checks that must wait for values computed by other resources (unknown during `pulumi preview`).
//
// Each policy that meets an unknown value reports it as a "waiting" marker; the pack merges every
// marker of one resource (and the SDK's own "can't run policy ... during preview" lines), from its
// resource and stack policies, into a single advisory line at the end of the run, so a resource whose
// inputs are computed gets one line, not one per policy. During `pulumi up` the same checks see real
// values, and mandatory ones still block there. Setting `pack-deferred-checks` to disabled hides the
// lines (its stack policy is what releases them).

/** The policy name of the merged line (a registered, always-advisory policy of the pack). */
export const DEFERRED_POLICY = "pack-deferred-checks";

export const DEFERRED_DESCRIPTION =
    "Lists, once per resource, the checks that wait for values computed by other resources; they run with real values during `pulumi up`, where mandatory ones still block.";

export interface DeferredCheck {
    policy: string;
    /** Property paths the check waits for (may be empty when the SDK didn't say). */
    properties: string[];
}

const MARKER = "waits for values known only after deployment: ";
const WAITING = "Waiting: ";
const MAX_PATHS = 6;
const LEGACY = /^can't run policy '([^']+)' from policy pack '[^']*' during preview: (?:[a-z]+ value at \.(.*) can't be known during preview)?/s;

/** Property paths are names, but a map key can be anything: keep them to one short, parseable line. */
function cleanPath(path: string): string {
    const clean = path.replace(/[\r\n\t;()]+/g, " ").replace(/,\s*/g, " ").trim();
    return clean.length > 80 ? clean.slice(0, 77) + "..." : clean;
}

function uniqueSorted(paths: readonly string[]): string[] {
    return [...new Set(paths.map(cleanPath).filter(p => p !== ""))].sort();
}

/** The message of one policy's "waiting" marker on one resource. */
export function deferredMarker(paths: readonly string[]): string {
    return `${MARKER}${uniqueSorted(paths).join(", ")}.`;
}

/** The paths of a marker message, or undefined when the message is not a marker. */
export function markerPaths(message: string): string[] | undefined {
    if (!message.startsWith(MARKER)) {
        return undefined;
    }
    const list = message.slice(MARKER.length).replace(/\.$/, "");
    return list === "" ? [] : list.split(", ");
}

/** The check a diagnostic defers: a pack marker or the SDK's legacy "can't run ... during preview" line. */
export function deferredCheckOf(policyName: string, message: string): DeferredCheck | undefined {
    const paths = markerPaths(message);
    if (paths) {
        return { policy: policyName, properties: paths };
    }
    const legacy = LEGACY.exec(message);
    if (legacy) {
        return { policy: legacy[1], properties: legacy[2] ? [cleanPath(legacy[2])] : [] };
    }
    return undefined;
}

function describeCheck(c: DeferredCheck): string {
    const paths = uniqueSorted(c.properties);
    if (paths.length === 0) {
        return c.policy;
    }
    const shown = paths.slice(0, MAX_PATHS).join(", ");
    const more = paths.length > MAX_PATHS ? `, +${paths.length - MAX_PATHS} more` : "";
    return `${c.policy} (${shown}${more})`;
}

/** The merged line's message for one resource. */
export function formatDeferred(checks: readonly DeferredCheck[]): string {
    const merged = new Map<string, string[]>();
    for (const c of checks) {
        merged.set(c.policy, [...(merged.get(c.policy) ?? []), ...c.properties]);
    }
    const list = [...merged].map(([policy, properties]) => describeCheck({ policy, properties }));
    const n = list.length;
    return `${n} ${n === 1 ? "check waits" : "checks wait"} for values computed by other resources; ${n === 1 ? "it runs" : "they run"} with real values during \`pulumi up\`, where mandatory ones still block.\n${WAITING}${list.join("; ")}.`;
}

/** The checks listed by a merged line (or by one legacy SDK line); undefined for any other message. */
export function parseDeferred(message: string): DeferredCheck[] | undefined {
    const line = message.split("\n").find(l => l.startsWith(WAITING));
    if (line === undefined) {
        const legacy = deferredCheckOf("", message);
        return legacy && !markerPaths(message) ? [legacy] : undefined;
    }
    return line.slice(WAITING.length).replace(/\.$/, "").split("; ").filter(s => s !== "").map(item => {
        const m = /^([^\s(]+)(?: \((.*)\))?$/.exec(item);
        if (!m) {
            return { policy: item, properties: [] };
        }
        const properties = (m[2] ?? "").split(", ").filter(p => p !== "" && !/^\+\d+ more$/.test(p));
        return { policy: m[1], properties };
    });
}

/** The shape of the SDK's diagnostics (internal to @pulumi/policy). */
export interface SdkDiagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description?: string;
    message: string;
    enforcementLevel: string;
    urn?: string;
    severity?: string;
    [key: string]: unknown;
}

/**
 * Deferred checks of resources analyzed so far in this process, by URN, waiting for the end of the
 * run. Resource policies run in Analyze, one call per resource; stack policies in one AnalyzeStack
 * call at the end of a preview. Holding the first until the second gives one line per resource that
 * lists both. The engine calls AnalyzeStack once every step succeeded (pkg/resource/deploy,
 * deploymentExecutor.Execute); a preview that fails earlier ends with errors of its own.
 */
const pending = new Map<string, DeferredCheck[]>();
let stackPhase = false;

/** Marks the response being built as AnalyzeStack's (called by the pack's own stack policy). */
export function enterStackPhase(): void {
    stackPhase = true;
}

function mergedLine<D extends SdkDiagnostic>(first: D, checks: DeferredCheck[], urn: string | undefined): D {
    const merged = {
        policyName: DEFERRED_POLICY,
        policyPackName: first.policyPackName,
        policyPackVersion: first.policyPackVersion,
        description: DEFERRED_DESCRIPTION,
        message: `${DEFERRED_DESCRIPTION}\n${formatDeferred(checks)}`,
        enforcementLevel: "advisory",
        severity: "low",
    } as D;
    if (urn !== undefined) {
        merged.urn = urn;
    }
    return merged;
}

/**
 * Takes the waiting markers and legacy "can't run" lines out of one response. In an Analyze response
 * they are held per resource; the AnalyzeStack response gets one advisory line per resource with
 * everything held and everything its stack policies deferred. Lines without a resource (a legacy
 * line of a policy the pack doesn't define) are merged into one line at once. Other diagnostics keep
 * their order. `atEnd` says whether this is the AnalyzeStack response.
 */
export function mergeDeferred<D extends SdkDiagnostic>(ds: readonly D[], atEnd = true): D[] {
    const groups = new Map<string | undefined, { first: D; checks: DeferredCheck[] }>();
    const out: D[] = [];
    let template: D | undefined;
    for (const d of ds) {
        const check = typeof d?.message === "string" && d.policyName !== DEFERRED_POLICY ? deferredCheckOf(d.policyName, d.message) : undefined;
        if (!check) {
            out.push(d);
            continue;
        }
        template = template ?? d;
        const group = groups.get(d.urn);
        if (group) {
            group.checks.push(check);
        } else {
            groups.set(d.urn, { first: d, checks: [check] });
        }
    }
    for (const [urn, { first, checks }] of groups) {
        if (urn !== undefined && !atEnd) {
            pending.set(urn, [...(pending.get(urn) ?? []), ...checks]);
        } else if (urn === undefined) {
            out.push(mergedLine(first, checks, undefined));
        }
    }
    if (atEnd) {
        const urns = new Set([...pending.keys(), ...[...groups.keys()].filter((u): u is string => u !== undefined)]);
        for (const urn of urns) {
            const checks = [...(pending.get(urn) ?? []), ...(groups.get(urn)?.checks ?? [])];
            const first = groups.get(urn)?.first ?? template ?? ds.find(d => d.policyPackName) ?? out[0];
            out.push(mergedLine(first ?? ({ policyPackName: "serverless-guard", policyPackVersion: "" } as D), checks, urn));
        }
        pending.clear();
    }
    return out;
}

/**
 * The diagnostics of the response being built, deferred checks merged: at the end of AnalyzeStack
 * with everything held since the run began, otherwise only this response's own.
 */
export function mergeDeferredForResponse<D extends SdkDiagnostic>(ds: readonly D[]): D[] {
    const atEnd = stackPhase;
    stackPhase = false;
    return mergeDeferred(ds, atEnd);
}
