// What a scan shows and what fails it: `--severity` keeps the findings (and the checks that can't
// decide yet) of the listed severities in every report and count, and `--fail-on` decides which of the
// remaining findings make the scan exit 1.
import { DEFERRED_POLICY, formatDeferred } from "../policies/lib/deferred";
import { Diagnostic, RunResult } from "./engine";
import { deferredChecksOf, isMandatory, SEVERITY_ORDER, SeverityName, severityRank } from "./report";

/** A `--fail-on` condition: an enforcement level, or a severity (that severity or above). */
export type FailCondition = "mandatory" | "advisory" | SeverityName;

export function isSeverity(value: string): value is SeverityName {
    return (SEVERITY_ORDER as readonly string[]).includes(value);
}

/**
 * A finding the pack reports only as a note: a stack policy's finding on a resource with an active
 * exemption (`(not enforced: exempted by … until …)`). Resource policies report such findings as not
 * applicable, so they never reach the findings at all.
 */
export function isExemptedFinding(d: Diagnostic): boolean {
    return d.message.includes("(not enforced: exempted by ");
}

/**
 * Whether a finding fails the scan under the `--fail-on` conditions (any of them; none: nothing fails).
 * `mandatory`: a mandatory finding; `advisory`: any finding; a severity: a finding of that severity or
 * above, whatever its level, because the severity says how bad the flaw is while the level says how
 * far the rollout has come. An exempted finding fails nothing until its exemption expires.
 */
export function failsScan(d: Diagnostic, conditions: readonly FailCondition[]): boolean {
    if (isExemptedFinding(d)) {
        return false;
    }
    return conditions.some(c => c === "advisory" ? true
        : c === "mandatory" ? isMandatory(d)
            : d.severity !== undefined && severityRank(d.severity) <= severityRank(c));
}

/** `--fail-on mandatory,high` as the reports name it. */
export function describeFailOn(conditions: readonly FailCondition[]): string {
    return `--fail-on ${conditions.length === 0 ? "none" : conditions.join(",")}`;
}

/**
 * Keeps only the findings, checks that can't decide yet, policies, exemptions and remediations of the
 * given severities, so that every report and count shows the same selection. The pack's merged line
 * of deferred checks is rewritten to list only the kept policies' checks; the pack's own policy (which
 * checks nothing) stays.
 */
export function filterBySeverity(result: RunResult, severities: ReadonlySet<string>): RunResult {
    const severityOf = new Map(result.policies.map(p => [p.name, p.severity]));
    const kept = (policy: string, fallback?: string) => policy === DEFERRED_POLICY || severities.has(severityOf.get(policy) ?? fallback ?? "");
    const diagnostics: Diagnostic[] = [];
    for (const d of result.diagnostics) {
        const checks = deferredChecksOf(d);
        if (!checks || d.policyName !== DEFERRED_POLICY) {
            if (kept(d.policyName, d.severity)) {
                diagnostics.push(d);
            }
            continue;
        }
        const left = checks.filter(c => kept(c.policy));
        if (left.length === checks.length) {
            diagnostics.push(d);
        } else if (left.length > 0) {
            const list = formatDeferred(left);
            diagnostics.push({ ...d, message: d.description ? `${d.description}\n${list}` : list });
        }
    }
    return {
        ...result,
        policies: result.policies.filter(p => kept(p.name)),
        diagnostics,
        notApplicable: result.notApplicable.filter(n => kept(n.policyName)),
        remediations: result.remediations.filter(r => kept(r.policyName)),
    };
}
