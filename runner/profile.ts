// Enforcement profiles: a policy config generated from severity thresholds, because organizations
// think in severities rather than in policy names, with one shared exemption list expanded into the
// policies it names.
import { definitions } from "../policies/registry";
import { globMatch } from "../policies/lib/glob";
import { parseIsoDate } from "../policies/lib/runtimes";
import { ConfigError } from "./config";

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type SeverityName = typeof SEVERITIES[number];

export interface ProfileOptions {
    /** Policies at or above this severity are mandatory ("none": no policy is). */
    mandatoryAt: SeverityName | "none";
    /** Policies at or above this severity (and below mandatoryAt) are advisory; lower ones are disabled. */
    advisoryAt: SeverityName;
    /** Config values applied to every policy whose schema has the property, e.g. requireCustomerManagedKey=true. */
    set?: Record<string, unknown>;
    /** Shared exemptions, expanded into each policy they name. */
    exemptions?: unknown;
}

export interface SharedExemption {
    policies: string[];
    resource: string;
    reason: string;
    expires: string;
    approvedBy?: string;
}

const rank = (s: string) => SEVERITIES.indexOf(s as SeverityName);

/**
 * Policies whose level doesn't follow from a severity: they report no findings of their own (the
 * pack's line of checks that can't decide yet). Severity thresholds leave them at their own level.
 */
export function unrankedPolicies(): typeof definitions {
    return definitions.filter(d => d.meta.informational);
}

/** Reads a shared exemption list, naming any malformed entry. */
export function parseSharedExemptions(value: unknown, source = "exemptions"): SharedExemption[] {
    const list = Array.isArray(value) ? value : (typeof value === "object" && value !== null && Array.isArray((value as { exemptions?: unknown }).exemptions)) ? (value as { exemptions: unknown[] }).exemptions : undefined;
    if (!list) {
        throw new ConfigError(`${source} must be a list of {policies, resource, reason, expires, approvedBy?} entries (or {"exemptions": [...]})`);
    }
    const names = definitions.map(d => d.meta.name);
    return list.map((e, i) => {
        const where = `${source} entry ${i}`;
        if (typeof e !== "object" || e === null || Array.isArray(e)) {
            throw new ConfigError(`${where} is not an object`);
        }
        const x = e as Record<string, unknown>;
        const allowed = new Set(["policies", "resource", "reason", "expires", "approvedBy"]);
        const extra = Object.keys(x).filter(k => !allowed.has(k));
        if (extra.length > 0) {
            throw new ConfigError(`${where} has unknown field ${extra.map(k => JSON.stringify(k)).join(", ")}`);
        }
        const policies = typeof x.policies === "string" ? [x.policies] : x.policies;
        if (!Array.isArray(policies) || policies.length === 0 || !policies.every(p => typeof p === "string" && p.length > 0)) {
            throw new ConfigError(`${where}: "policies" must list policy names or patterns (e.g. "aws-lambda-*" or "*")`);
        }
        for (const p of policies as string[]) {
            if (!names.some(n => globMatch(p, n))) {
                throw new ConfigError(`${where}: "${p}" matches no policy of the pack`);
            }
        }
        if (typeof x.resource !== "string" || x.resource.length === 0) {
            throw new ConfigError(`${where}: "resource" (URN, name or type pattern) is required`);
        }
        if (typeof x.reason !== "string" || x.reason.trim().length < 3) {
            throw new ConfigError(`${where}: "reason" is required`);
        }
        if (!parseIsoDate(x.expires)) {
            throw new ConfigError(`${where}: "expires" must be a date that exists, as YYYY-MM-DD (got ${JSON.stringify(x.expires)})`);
        }
        if (x.approvedBy !== undefined && typeof x.approvedBy !== "string") {
            throw new ConfigError(`${where}: "approvedBy" must be a string`);
        }
        return { policies: policies as string[], resource: x.resource, reason: x.reason, expires: x.expires as string, approvedBy: x.approvedBy as string | undefined };
    });
}

/** A complete policy config: a level for every policy, the given values, and expanded exemptions. */
export function generateProfile(options: ProfileOptions): Record<string, unknown> {
    if (options.mandatoryAt !== "none" && rank(options.mandatoryAt) < rank(options.advisoryAt)) {
        throw new ConfigError(`the mandatory threshold (${options.mandatoryAt}) is below the advisory threshold (${options.advisoryAt})`);
    }
    const shared = options.exemptions === undefined ? [] : parseSharedExemptions(options.exemptions);
    const out: Record<string, unknown> = {};
    const unranked = new Set(unrankedPolicies().map(d => d.meta.name));
    for (const d of definitions) {
        const severity = rank(d.meta.severity);
        const level = unranked.has(d.meta.name) ? d.defaultLevel
            : options.mandatoryAt !== "none" && severity >= rank(options.mandatoryAt) ? "mandatory"
                : severity >= rank(options.advisoryAt) ? "advisory" : "disabled";
        const entry: Record<string, unknown> = { enforcementLevel: level };
        for (const [key, value] of Object.entries(options.set ?? {})) {
            if (d.meta.config && key in d.meta.config) {
                entry[key] = value;
            }
        }
        const exemptions = shared
            .filter(e => e.policies.some(p => globMatch(p, d.meta.name)))
            .map(({ resource, reason, expires, approvedBy }) => approvedBy ? { resource, reason, expires, approvedBy } : { resource, reason, expires });
        if (exemptions.length > 0) {
            entry.exemptions = exemptions;
        }
        out[d.meta.name] = Object.keys(entry).length === 1 ? level : entry;
    }
    return out;
}
