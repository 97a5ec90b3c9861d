// Checks that must wait for values computed by other resources (unknown during `pulumi preview`).
//
// Each policy that meets an unknown value reports it as a "waiting" marker; the pack merges every
// marker of one resource (and the SDK's own "can't run policy ... during preview" lines) into a single
// advisory line, so a resource whose inputs are computed gets one line, not one per policy. During
// `pulumi up` the same checks see real values, and mandatory ones still block there.

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
interface SdkDiagnostic {
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
 * Replaces the waiting markers and legacy "can't run" lines of one response by one advisory line per
 * resource (per URN; an Analyze response concerns one resource and has none). Other diagnostics keep
 * their order.
 */
export function mergeDeferred<D extends SdkDiagnostic>(ds: readonly D[]): D[] {
    const groups = new Map<string | undefined, { first: D; checks: DeferredCheck[] }>();
    const out: D[] = [];
    for (const d of ds) {
        const check = typeof d?.message === "string" ? deferredCheckOf(d.policyName, d.message) : undefined;
        if (!check || d.policyName === DEFERRED_POLICY) {
            out.push(d);
            continue;
        }
        const group = groups.get(d.urn);
        if (group) {
            group.checks.push(check);
        } else {
            groups.set(d.urn, { first: d, checks: [check] });
        }
    }
    for (const [urn, { first, checks }] of groups) {
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
        out.push(merged);
    }
    return out;
}

const MARK = Symbol.for("serverless-guard.merge-deferred");

/**
 * Makes the SDK's response builder merge deferred checks. Every Analyze and AnalyzeStack response of
 * @pulumi/policy goes through `protoutil.makeAnalyzeResponse(ds, notApplicable)`, once per request;
 * if the SDK's layout ever differs, nothing is patched and each policy keeps its own line.
 */
export function mergeDeferredInResponses(): boolean {
    let mod: { makeAnalyzeResponse?: ((ds: SdkDiagnostic[], na: unknown) => unknown) & { [MARK]?: true } };
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        mod = require("@pulumi/policy/protoutil") as typeof mod;
    } catch {
        return false;
    }
    const original = mod.makeAnalyzeResponse;
    if (typeof original !== "function") {
        return false;
    }
    if (original[MARK]) {
        return true;
    }
    const merging = function (this: unknown, ds: SdkDiagnostic[], notApplicable: unknown): unknown {
        return original.call(this, Array.isArray(ds) ? mergeDeferred(ds) : ds, notApplicable);
    } as typeof original;
    merging[MARK] = true;
    try {
        mod.makeAnalyzeResponse = merging;
    } catch {
        return false;
    }
    return mod.makeAnalyzeResponse === merging;
}
