// The migration ratchet: exempt exactly the violations existing stacks have today, until a date, so
// that existing debt stays visible (as not-applicable with a reason) while new violations fail.
// Exemptions name each resource by URN, which holds its stack and project, so one config for a
// whole policy group keeps every stack's own. A resource an exemption of the base config already
// names keeps that exemption (its reason and expiry), even once it has expired.
import { PolicyConfigEntry } from "./config";
import { Diagnostic } from "./engine";
import { isDeferred } from "./report";
import { globMatch } from "../policies/lib/glob";

export interface RatchetOptions {
    until: string;
    reason?: string;
    /** Also exempt advisory findings (default: mandatory ones only). */
    includeAdvisory?: boolean;
    today?: string;
}

function isFinding(d: Diagnostic): boolean {
    return !isDeferred(d) && !/internal error/.test(d.message) && !!d.urn;
}

/** Merges exemptions for the given findings into a config (as parsed config entries keep their levels and values). */
export function ratchetConfig(base: Record<string, PolicyConfigEntry>, diagnostics: Diagnostic[], options: RatchetOptions): Record<string, unknown> {
    const reason = options.reason ?? `existing violation recorded by the migration ratchet on ${options.today ?? new Date().toISOString().slice(0, 10)}`;
    const byPolicy = new Map<string, Set<string>>();
    for (const d of diagnostics) {
        if (isFinding(d) && (d.enforcementLevel === "mandatory" || (options.includeAdvisory && d.enforcementLevel === "advisory"))) {
            const urns = byPolicy.get(d.policyName) ?? new Set();
            urns.add(d.urn);
            byPolicy.set(d.policyName, urns);
        }
    }
    const out: Record<string, unknown> = {};
    for (const [name, entry] of Object.entries(base)) {
        out[name] = entry.properties || !entry.enforcementLevel ? { ...(entry.enforcementLevel ? { enforcementLevel: entry.enforcementLevel } : {}), ...entry.properties } : entry.enforcementLevel;
    }
    for (const [policy, urns] of [...byPolicy.entries()].sort()) {
        const current = out[policy];
        const obj: Record<string, unknown> = typeof current === "string" ? { enforcementLevel: current } : { ...(current as Record<string, unknown> | undefined) };
        const existing = Array.isArray(obj.exemptions) ? obj.exemptions : [];
        const added = [...urns].sort().filter(urn => !existing.some(e => coveredBy(e, urn)));
        if (added.length === 0) {
            continue;
        }
        obj.exemptions = [...existing, ...added.map(urn => ({ resource: urn, reason, expires: options.until }))];
        out[policy] = obj;
    }
    return out;
}

/** Whether an exemption entry names the resource (by URN, name or type, as the pack matches them). */
function coveredBy(entry: unknown, urn: string): boolean {
    const pattern = typeof entry === "object" && entry !== null ? (entry as { resource?: unknown }).resource : undefined;
    if (typeof pattern !== "string") {
        return false;
    }
    const parts = urn.split("::");
    const name = parts[parts.length - 1];
    const type = (parts[parts.length - 2] ?? "").split("$").pop() ?? "";
    return [urn, name, type].some(v => globMatch(pattern, v));
}

/** How many exemptions a config holds. */
export function exemptionCount(config: Record<string, unknown>): number {
    return Object.values(config).reduce<number>((n, e) => n + (typeof e === "object" && e !== null && Array.isArray((e as { exemptions?: unknown[] }).exemptions) ? (e as { exemptions: unknown[] }).exemptions.length : 0), 0);
}
