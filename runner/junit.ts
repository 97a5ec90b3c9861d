// JUnit XML (the Ant/Jenkins dialect that GitLab, Jenkins, Azure DevOps and GitHub test-report
// actions read): one test case per policy/resource pair the pack evaluated, and one failing case per
// violation (a pair with several violations gets a numbered case for each: a case holds one failure).
//
// One test suite per POLICY, not per resource type: a suite then answers "which rule fails, and
// where", its failure count is that policy's violation count (the same grouping as the SARIF rules),
// and suite names stay stable as resources are added or renamed. Per resource type, every suite would
// mix unrelated rules and repeat the policy name in each case.
import { AnalyzerPolicy, Diagnostic, EngineResource, RunResult, wasNotApplicable } from "./engine";
import { Level } from "./config";
import { inputFileUri, parseSourcePosition } from "./locations";
import { DEFERRED_POLICY } from "../policies/lib/deferred";
import { Exemption, exemptionLine, exemptionOfDiagnostic, exemptionsOf } from "./exemptions";
import { DeferredCheck, deferredOf, deferredReason, detailOf, findingsOf, isMandatory, ReportContext, resourceLabel, ScanReport, stackTitle } from "./report";

/** One policy evaluated on one resource (or, for a stack policy that reported nothing, on the stack). */
export interface Evaluation {
    policy: AnalyzerPolicy;
    urn: string;
    resource?: EngineResource;
    /** The findings (violations) of the policy on the resource. */
    diagnostics: Diagnostic[];
    /** Set when the policy waited for a value unknown during preview. */
    deferred?: DeferredCheck;
    /** Set when an exemption keeps the policy's finding on the resource from being enforced. */
    exemption?: Exemption;
    remediated: boolean;
}

/**
 * Stack policies run once over all resources in AnalyzeStack; the protocol doesn't mark them, so the
 * pack's naming convention (`stack-…` ids) and what the run shows (a diagnostic from AnalyzeStack, or
 * a not-applicable answer to it) identify them.
 */
function stackPolicies(result: RunResult): Set<string> {
    const names = new Set(result.policies.filter(p => p.name.startsWith("stack-")).map(p => p.name));
    // Not the phase of deferred checks: the pack reports those of resource policies in AnalyzeStack too.
    findingsOf(result).filter(d => d.phase === "stack").forEach(d => names.add(d.policyName));
    result.notApplicable.filter(n => n.urn === "").forEach(n => names.add(n.policyName));
    return names;
}

/**
 * The policy/resource pairs the pack evaluated: every enabled resource policy on every resource it
 * didn't declare not applicable to, and every enabled stack policy that ran, on each resource it
 * reported (or on the stack as a whole when it reported nothing).
 */
export function evaluations(result: RunResult, resources: EngineResource[]): Evaluation[] {
    const stack = stackPolicies(result);
    const notApplicable = new Set(result.notApplicable.map(n => `${n.policyName}\u0000${n.urn}`));
    const findings = findingsOf(result);
    const byPair = new Map<string, Diagnostic[]>();
    for (const d of findings) {
        const key = `${d.policyName}\u0000${d.urn}`;
        byPair.set(key, [...(byPair.get(key) ?? []), d]);
    }
    const deferred = deferredOf(result);
    const deferredPair = new Map(deferred.map(c => [`${c.policy}\u0000${c.urn}`, c]));
    const remediated = new Set(result.remediations.filter(r => r.properties).map(r => `${r.policyName}\u0000${r.urn}`));
    const byUrn = new Map(resources.map(r => [r.urn, r]));
    const stackUrn = resources.find(r => r.type === "pulumi:pulumi:Stack")?.urn ?? "";
    const level = (p: AnalyzerPolicy): Level => result.levels?.[p.name] ?? p.enforcementLevel;
    const out: Evaluation[] = [];
    const seen = new Set<string>();
    const exempted = new Map<string, Exemption>();
    for (const e of exemptionsOf(result)) {
        exempted.set(`${e.policy}\u0000${e.urn}`, e);
    }
    const push = (p: AnalyzerPolicy, urn: string) => {
        const key = `${p.name}\u0000${urn}`;
        if (!seen.has(key)) {
            seen.add(key);
            out.push({ policy: p, urn, resource: byUrn.get(urn), diagnostics: byPair.get(key) ?? [], deferred: deferredPair.get(key), exemption: exempted.get(key), remediated: remediated.has(key) });
        }
    };
    // The merged line of deferred checks is not a check: its checks are skipped cases of their own policies.
    const policies = result.policies.filter(p => p.name !== DEFERRED_POLICY);
    const unlisted = [
        ...findings.map(d => ({ name: d.policyName, description: d.description, enforcementLevel: d.enforcementLevel, severity: d.severity })),
        ...deferred.map(c => ({ name: c.policy, description: "", enforcementLevel: c.enforcementLevel, severity: undefined })),
    ];
    for (const d of unlisted) {
        if (!policies.some(p => p.name === d.name)) {
            policies.push({ ...d, displayName: "", tags: [], remediationSteps: "" });
        }
    }
    for (const p of policies) {
        const reported = [...findings.filter(d => d.policyName === p.name).map(d => d.urn), ...deferred.filter(c => c.policy === p.name).map(c => c.urn)];
        if (level(p) === "disabled" && reported.length === 0) {
            continue;
        }
        if (stack.has(p.name)) {
            if (notApplicable.has(`${p.name}\u0000`) && reported.length === 0) {
                continue;
            }
            reported.length ? reported.forEach(urn => push(p, urn)) : push(p, stackUrn);
            continue;
        }
        for (const r of resources) {
            if (!wasNotApplicable(result, p.name, r, notApplicable) || exempted.has(`${p.name}\u0000${r.urn}`)) {
                push(p, r.urn);
            }
        }
        reported.forEach(urn => push(p, urn));
    }
    return out;
}

/** Escapes text for XML 1.0, dropping the characters XML can't carry at all. */
export function xmlEscape(text: string, attribute = false): string {
    const clean = text
        .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
        .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
    const escaped = clean.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    return attribute
        ? escaped.replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;")
        : escaped;
}

function attrs(values: Record<string, string | number | undefined>): string {
    return Object.entries(values)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => ` ${k}="${xmlEscape(String(v), true)}"`)
        .join("");
}

/** `2024-05-01T12:00:00`: the Ant schema's timestamp has no zone (it is UTC here). */
function timestamp(now: Date): string {
    return now.toISOString().replace(/\.\d+Z$/, "");
}

/** Why a deferred check was skipped. */
export function skipReason(c: DeferredCheck): string {
    return `not evaluated yet: ${deferredReason(c)}`;
}

interface Counts { tests: number; failures: number; skipped: number }

/** One stack's suites (a suite per policy); `stack` prefixes suite names and class names when several stacks share a report. */
function junitSuites(result: RunResult, ctx: ReportContext, firstId: number, stack?: string): { lines: string[]; counts: Counts; suites: number } {
    const all = evaluations(result, ctx.resources);
    const input = ctx.inputPath ? inputFileUri(ctx.inputPath, ctx.cwd) : undefined;
    const fileOf = (e: Evaluation): string | undefined => {
        const program = e.resource?.sourcePosition ? parseSourcePosition(e.resource.sourcePosition, ctx.sourceRoot) : undefined;
        const loc = program ?? input;
        return loc ? (loc.relative ? decodeURI(loc.uri) : loc.uri) : undefined;
    };
    // Test case names are the resource labels, unless two resources share one; then the URN.
    const labelCount = new Map<string, number>();
    for (const r of ctx.resources) {
        labelCount.set(resourceLabel(r.urn), (labelCount.get(resourceLabel(r.urn)) ?? 0) + 1);
    }
    const caseName = (urn: string) => !urn ? "(stack)" : (labelCount.get(resourceLabel(urn)) ?? 0) > 1 ? urn : resourceLabel(urn);

    const suites = new Map<string, Evaluation[]>();
    for (const e of all) {
        suites.set(e.policy.name, [...(suites.get(e.policy.name) ?? []), e]);
    }
    const stamp = timestamp(ctx.now ?? new Date());
    // An exempted finding is skipped, with the exemption as the reason.
    const exemptionOf = (e: Evaluation) => e.exemption ?? (e.diagnostics.length && e.diagnostics.every(d => exemptionOfDiagnostic(d)) ? exemptionOfDiagnostic(e.diagnostics[0]) : undefined);
    const outcome = (e: Evaluation) => exemptionOf(e) ? "skipped" : e.diagnostics.length ? "failure" : e.deferred ? "skipped" : "passed";
    // One case per violation: a pair with several violations gets a case for each, numbered.
    const cases = (es: Evaluation[]) => es.reduce((n, e) => n + (outcome(e) === "failure" ? e.diagnostics.length : 1), 0);
    const failures = (es: Evaluation[]) => es.reduce((n, e) => n + (outcome(e) === "failure" ? e.diagnostics.length : 0), 0);
    const skipped = (es: Evaluation[]) => es.filter(e => outcome(e) === "skipped").length;

    const lines: string[] = [];
    let id = firstId;
    for (const [name, es] of suites) {
        const p = es[0].policy;
        const suiteName = stack ? `${stack}: ${name}` : name;
        const className = stack ? `${ctx.tool.name}.${stack}.${name}` : `${ctx.tool.name}.${name}`;
        lines.push(`  <testsuite${attrs({ name: suiteName, id: id++, package: ctx.tool.name, tests: cases(es), failures: failures(es), errors: 0, skipped: skipped(es), time: "0", timestamp: stamp, file: input ? decodeURI(input.uri) : undefined })}>`);
        lines.push("    <properties>");
        if (stack) {
            lines.push(`      <property${attrs({ name: "stack", value: stack })}/>`);
        }
        lines.push(`      <property${attrs({ name: "enforcementLevel", value: result.levels?.[p.name] ?? p.enforcementLevel })}/>`);
        if (p.severity) {
            lines.push(`      <property${attrs({ name: "severity", value: p.severity })}/>`);
        }
        lines.push(`      <property${attrs({ name: "description", value: p.description })}/>`);
        lines.push("    </properties>");
        for (const e of es) {
            const open = (suffix = "") => `    <testcase${attrs({ name: `${caseName(e.urn)}${suffix}`, classname: className, file: fileOf(e), time: "0" })}`;
            const state = outcome(e);
            if (state === "passed" && !e.remediated) {
                lines.push(`${open()}/>`);
                continue;
            }
            const remediated = e.remediated ? [`      <system-out>${xmlEscape(`remediated by ${name}: the setting was fixed before analysis`)}</system-out>`] : [];
            if (state === "failure") {
                const n = e.diagnostics.length;
                e.diagnostics.forEach((d, i) => {
                    const body = [
                        `[${isMandatory(d) ? "mandatory" : d.enforcementLevel}]${d.severity ? ` (${d.severity})` : ""} ${detailOf(d)}`,
                        ...(e.deferred && i === 0 ? [`[not evaluated] ${skipReason(e.deferred)}`] : []),
                        "",
                        `Resource: ${e.urn || "(stack)"}`,
                        `Policy: ${name}: ${p.description}`,
                        ...(p.remediationSteps ? [`Remediation: ${p.remediationSteps}`] : []),
                    ].join("\n");
                    lines.push(`${open(n > 1 ? ` [${i + 1}/${n}]` : "")}>`);
                    lines.push(`      <failure${attrs({ message: detailOf(d), type: isMandatory(d) ? "mandatory" : d.enforcementLevel })}>${xmlEscape(body)}</failure>`);
                    lines.push(...(i === 0 ? remediated : []), "    </testcase>");
                });
                continue;
            }
            lines.push(`${open()}>`);
            if (state === "skipped") {
                const exemption = exemptionOf(e);
                lines.push(`      <skipped${attrs({ message: exemption ? `${exemptionLine(exemption)}${exemption.finding ? `; finding: ${exemption.finding}` : ""}` : skipReason(e.deferred!) })}/>`);
            }
            lines.push(...remediated, "    </testcase>");
        }
        lines.push("  </testsuite>");
    }
    return { lines, counts: { tests: cases(all), failures: failures(all), skipped: skipped(all) }, suites: suites.size };
}

export function formatJunit(result: RunResult, ctx: ReportContext): string {
    return formatJunitScan({ stacks: [{ result, ctx }], failures: [] }, ctx.tool);
}

/**
 * Several stacks: each stack's suites, named `<stack>: <policy>`; an input that could not be scanned
 * is a suite with one errored case naming the input.
 */
export function formatJunitScan(scan: ScanReport, tool: ReportContext["tool"]): string {
    const several = scan.stacks.length + scan.failures.length > 1;
    const body: string[] = [];
    const total: Counts = { tests: 0, failures: 0, skipped: 0 };
    let id = 0;
    for (const { result, ctx } of scan.stacks) {
        const part = junitSuites(result, ctx, id, several ? stackTitle(ctx) : undefined);
        body.push(...part.lines);
        id += part.suites;
        total.tests += part.counts.tests;
        total.failures += part.counts.failures;
        total.skipped += part.counts.skipped;
    }
    for (const f of scan.failures) {
        body.push(`  <testsuite${attrs({ name: `${f.input}: not scanned`, id: id++, package: tool.name, tests: 1, failures: 0, errors: 1, skipped: 0, time: "0" })}>`);
        body.push(`    <testcase${attrs({ name: f.input, classname: `${tool.name}.input`, time: "0" })}>`);
        body.push(`      <error${attrs({ message: f.message, type: "input" })}/>`);
        body.push("    </testcase>");
        body.push("  </testsuite>");
    }
    const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
    lines.push(`<testsuites${attrs({ name: tool.name, tests: total.tests + scan.failures.length, failures: total.failures, errors: scan.failures.length, skipped: total.skipped, time: "0" })}>`);
    lines.push(...body);
    lines.push("</testsuites>");
    return lines.join("\n") + "\n";
}
