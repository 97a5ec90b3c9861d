// The migration ratchet: exempt exactly the violations an existing stack has today, until a date, so
// that existing debt stays visible (as not-applicable with a reason) while new violations fail.
import { PolicyConfigEntry } from "./config";
import { Diagnostic } from "./engine";
import { isDeferred } from "./report";

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
        obj.exemptions = [...existing, ...[...urns].sort().map(urn => ({ resource: urn, reason, expires: options.until }))];
        out[policy] = obj;
    }
    return out;
}
