// Checks that must wait for values computed by other resources (unknown during `pulumi preview`), and
// checks that can't decide from what the stack records: a reference that matches several resources
// nothing tells apart, or settings the recorded state doesn't hold (audit mode: deployed state and
// discovered resources, where every value is known and waiting for `pulumi up` would be the wrong word).
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
    "Lists, once per resource, the checks that can't decide yet: those that wait for values computed by other resources (they run with real values during `pulumi up`, where mandatory ones still block), and those that can't tell which resource a reference means or can't find settings in the recorded state.";

/**
 * Why a check can't decide: a value unknown during preview (`unknown`), a reference that matches
 * several resources and nothing recorded tells which one is meant (`ambiguous`), or settings the
 * recorded state doesn't hold (`unrecorded`, e.g. an Azure app's settings read back as null).
 */
export type DeferredCause = "unknown" | "ambiguous" | "unrecorded";

export interface DeferredCheck {
    policy: string;
    /** Property paths the check waits for (may be empty when the SDK didn't say). */
    properties: string[];
    /** Absent for a value unknown during preview. */
    cause?: Exclude<DeferredCause, "unknown">;
}

const they = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Per cause: a policy's marker, the merged line's list label, and the sentence that explains the list. */
const WORDING: Record<DeferredCause, { marker: string; label: string; sentence(n: number): string }> = {
    unknown: {
        marker: "waits for values known only after deployment: ",
        label: "Waiting: ",
        sentence: n => `${they(n, "check waits", "checks wait")} for values computed by other resources; ${n === 1 ? "it runs" : "they run"} with real values during \`pulumi up\`, where mandatory ones still block.`,
    },
    ambiguous: {
        marker: "can't tell which resource is meant by: ",
        label: "Can't tell which resource: ",
        sentence: n => `${they(n, "check can't", "checks can't")} tell which resource a reference means: it matches several resources and nothing recorded (a dependency, a full ARN or id) says which; ${n === 1 ? "it neither passes nor fails" : "they neither pass nor fail"} until the reference names one.`,
    },
    unrecorded: {
        marker: "needs settings the recorded state doesn't hold: ",
        label: "Not recorded: ",
        sentence: n => `${they(n, "check needs", "checks need")} settings the recorded state doesn't hold (the cloud returned none for the resource); ${n === 1 ? "it neither passes nor fails" : "they neither pass nor fail"} until they are recorded.`,
    },
};
const CAUSES = Object.keys(WORDING) as DeferredCause[];
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

/** The message of one policy's marker on one resource ("waiting" unless another cause is given). */
export function deferredMarker(paths: readonly string[], cause: DeferredCause = "unknown"): string {
    return `${WORDING[cause].marker}${uniqueSorted(paths).join(", ")}.`;
}

/** The paths and cause of a marker message, or undefined when the message is not a marker. */
export function parseMarker(message: string): { paths: string[]; cause: DeferredCause } | undefined {
    const cause = CAUSES.find(c => message.startsWith(WORDING[c].marker));
    if (cause === undefined) {
        return undefined;
    }
    const list = message.slice(WORDING[cause].marker.length).replace(/\.$/, "");
    return { paths: list === "" ? [] : list.split(", "), cause };
}

/** The paths of a marker message (any cause), or undefined when the message is not a marker. */
export function markerPaths(message: string): string[] | undefined {
    return parseMarker(message)?.paths;
}

function checkWith(policy: string, properties: string[], cause: DeferredCause): DeferredCheck {
    return cause === "unknown" ? { policy, properties } : { policy, properties, cause };
}

/** The check a diagnostic defers: a pack marker or the SDK's legacy "can't run ... during preview" line. */
export function deferredCheckOf(policyName: string, message: string): DeferredCheck | undefined {
    const marker = parseMarker(message);
    if (marker) {
        return checkWith(policyName, marker.paths, marker.cause);
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

/**
 * The merged line's message for one resource: per cause (values unknown during preview first), a
 * sentence that says why, then the list of checks with the properties concerned.
 */
export function formatDeferred(checks: readonly DeferredCheck[]): string {
    const lines: string[] = [];
    for (const cause of CAUSES) {
        const merged = new Map<string, string[]>();
        for (const c of checks.filter(c => (c.cause ?? "unknown") === cause)) {
            merged.set(c.policy, [...(merged.get(c.policy) ?? []), ...c.properties]);
        }
        if (merged.size > 0) {
            const list = [...merged].map(([policy, properties]) => describeCheck({ policy, properties }));
            lines.push(WORDING[cause].sentence(list.length), `${WORDING[cause].label}${list.join("; ")}.`);
        }
    }
    return lines.join("\n");
}

/** The checks listed by a merged line (or by one legacy SDK line); undefined for any other message. */
export function parseDeferred(message: string): DeferredCheck[] | undefined {
    const out: DeferredCheck[] = [];
    let listed = false;
    for (const line of message.split("\n")) {
        const cause = CAUSES.find(c => line.startsWith(WORDING[c].label));
        if (cause === undefined) {
            continue;
        }
        listed = true;
        for (const item of line.slice(WORDING[cause].label.length).replace(/\.$/, "").split("; ").filter(s => s !== "")) {
            const m = /^([^\s(]+)(?: \((.*)\))?$/.exec(item);
            const properties = (m?.[2] ?? "").split(", ").filter(p => p !== "" && !/^\+\d+ more$/.test(p));
            out.push(checkWith(m ? m[1] : item, properties, cause));
        }
    }
    if (!listed) {
        const legacy = deferredCheckOf("", message);
        return legacy && !markerPaths(message) ? [legacy] : undefined;
    }
    return out;
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

/**
 * Replaces what one policy holds as waiting on a resource with what it still can't decide after
 * deciding again with the values' sources (redecide.ts); an empty list means it decided.
 */
export function replaceHeldChecks(urn: string, policy: string, checks: readonly DeferredCheck[]): void {
    const kept = (pending.get(urn) ?? []).filter(c => c.policy !== policy);
    const next = [...kept, ...checks];
    if (next.length > 0) {
        pending.set(urn, next);
    } else {
        pending.delete(urn);
    }
}

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
