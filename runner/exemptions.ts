// Exempted findings as the pack reports them, for every report format: a resource policy's exempted
// finding ends as not-applicable with the reason "exempted by <source> until <date>: <reason>; finding
// not enforced: <message>", a stack policy's as an advisory finding ending "(not enforced: exempted
// by <source> until <date>: <reason>)." (policies/lib/define.ts writes both).
import { Diagnostic, RunResult } from "./engine";
import { findingsOf, resourceLabel } from "./report";

export interface Exemption {
    urn: string;
    policy: string;
    /** Where the exemption is written: `exemptions[0]`, `tag serverless-guard:exempt:<policy>`, `label …`. */
    source: string;
    /** The last day it applies (YYYY-MM-DD). */
    expires: string;
    reason: string;
    /** The finding it keeps from being enforced, when the pack named it. */
    finding?: string;
    /** For a stack policy's exempted finding: the advisory diagnostic that carries it. */
    diagnostic?: Diagnostic;
}

const EXEMPTED = /^exempted by (.+?) until (\d{4}-\d{2}-\d{2}): ([\s\S]*?)(?:; finding not enforced: ([\s\S]*))?$/;
const NOT_ENFORCED = "(not enforced: ";

/** The exemption a diagnostic reports as not enforced, if it does. */
export function exemptionOfDiagnostic(d: Diagnostic): Exemption | undefined {
    const at = d.message.lastIndexOf(`${NOT_ENFORCED}exempted by `);
    if (at < 0) {
        return undefined;
    }
    const m = EXEMPTED.exec(d.message.slice(at + NOT_ENFORCED.length).replace(/\)\.?\s*$/, ""));
    if (!m) {
        return undefined;
    }
    const finding = d.message.slice(0, at).split("\n").pop()!.trim();
    return { urn: d.urn, policy: d.policyName, source: m[1], expires: m[2], reason: m[3], finding: finding || undefined, diagnostic: d };
}

/** Every exempted finding of a run. */
export function exemptionsOf(result: RunResult): Exemption[] {
    const out: Exemption[] = [];
    for (const n of result.notApplicable) {
        const m = n.urn ? EXEMPTED.exec(n.reason) : null;
        if (m) {
            out.push({ urn: n.urn, policy: n.policyName, source: m[1], expires: m[2], reason: m[3], finding: m[4]?.trim() || undefined });
        }
    }
    for (const d of findingsOf(result)) {
        const e = exemptionOfDiagnostic(d);
        if (e) {
            out.push(e);
        }
    }
    return out;
}

/** Soonest expiry first. */
export function byExpiry(exemptions: readonly Exemption[]): Exemption[] {
    return [...exemptions].sort((a, b) => a.expires.localeCompare(b.expires) || a.urn.localeCompare(b.urn) || a.policy.localeCompare(b.policy));
}

/** "until <date> (<source>): <reason>", the one line every format gives an exemption. */
export function exemptionLine(e: Exemption): string {
    return `exempted until ${e.expires} by ${e.source}: ${e.reason}`;
}

/** The exemptions in JSON reports. */
export function exemptionsJson(result: RunResult) {
    return byExpiry(exemptionsOf(result)).map(e => ({
        urn: e.urn, resource: resourceLabel(e.urn), policy: e.policy, expires: e.expires, reason: e.reason, exemptedBy: e.source,
        ...(e.finding ? { finding: e.finding } : {}),
    }));
}

/**
 * The text report's section of exempted findings (none when nothing is exempted), appended after the
 * rest so that the layout above it can change on its own.
 */
export function exemptedSection(stacks: { result: RunResult; title?: string }[]): string[] {
    const lines: string[] = [];
    for (const { result, title } of stacks) {
        const exemptions = byExpiry(exemptionsOf(result));
        if (exemptions.length === 0) {
            continue;
        }
        lines.push("", `Exempted findings${title ? ` in ${title}` : ""} (not enforced until the exemption expires):`);
        for (const e of exemptions) {
            lines.push(`    ${resourceLabel(e.urn)}  ${e.policy}  ${exemptionLine(e)}`);
            if (e.finding) {
                lines.push(`        finding: ${e.finding.replace(/\s+/g, " ")}`);
            }
        }
    }
    return lines;
}

