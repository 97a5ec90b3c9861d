// What every report format shares (the scanned resources, the tool, how findings are counted and
// worded), and the human-readable and JSON formats. Findings are grouped the way `pulumi preview`
// groups policy results. SARIF and JUnit live in sarif.ts and junit.ts.
import { exemptedSection, exemptionsJson } from "./exemptions";
import { DeferredCause, DeferredCheck as PackDeferredCheck, DEFERRED_POLICY, formatDeferred, parseDeferred } from "../policies/lib/deferred";
import { redact } from "../policies/lib/redact";
import { Level } from "./config";
import { Diagnostic, EngineResource, RunResult } from "./engine";
import { FORMAT_LABELS, InputFormat } from "./inputs";
import { jsonChunks, JsonText, lazy } from "./stream";

/** The tool as reports name it. */
export interface ToolInfo {
    name: string;
    version: string;
    /** Absolute URI of the tool's documentation. */
    informationUri: string;
}

/** What a report knows besides the run's results. */
export interface ReportContext {
    tool: ToolInfo;
    /** The scanned resources, in input order (for types, names and source positions). */
    resources: EngineResource[];
    /** The scanned file as given on the command line; absent for standard input. */
    inputPath?: string;
    /** The scanned text, to point at the line of each resource in the input file. */
    inputText?: string;
    format?: InputFormat;
    /** The Pulumi project's directory relative to the repository root, for `project:///` source positions. */
    sourceRoot?: string;
    /** Directory that relative paths in reports are relative to (default: the process's working directory). */
    cwd?: string;
    /** Time of the scan (reports that carry a timestamp use it). */
    now?: Date;
    /** The stack and project the input holds (from its URNs, or --stack). */
    stack?: string;
    project?: string;
}

/** One scanned input: the pack's results on it and what the reports know about it. */
export interface ScannedStack {
    result: RunResult;
    ctx: ReportContext;
}

/** An input that couldn't be scanned, and why (one line, no stack trace). */
export interface InputFailure {
    input: string;
    message: string;
}

/** Everything one `scan` invocation produced: a result per input that could be scanned, and the others' errors. */
export interface ScanReport {
    stacks: ScannedStack[];
    failures: InputFailure[];
}

function paint(on: boolean, code: string, text: string): string {
    return on ? `\u001b[${code}m${text}\u001b[0m` : text;
}

/** `<type>: <name>` from `urn:pulumi:<stack>::<project>::<type chain>::<name>`. */
export function resourceLabel(urn: string): string {
    const parts = urn.split("::");
    if (parts.length < 4) {
        return urn || "(stack)";
    }
    const types = parts[2].split("$");
    return `${types[types.length - 1]}: ${parts.slice(3).join("::")}`;
}

/** A mandatory finding: mandatory, or remediate that could not fix the resource (the SDK reports that as mandatory). */
export function isMandatory(d: Diagnostic): boolean {
    return d.enforcementLevel === "mandatory" || d.enforcementLevel === "remediate";
}

/** The SDK's "can't run policy … during preview" diagnostic: the policy met an unknown value, so it neither passed nor failed. */
export function isCantRun(d: Diagnostic): boolean {
    return /^can't run policy '[^']+' from policy pack '[^']+' during preview/.test(d.message);
}

/** The finding itself: the SDK prefixes each message with the policy description and a newline. */
export function detailOf(d: Diagnostic): string {
    const prefix = d.description ? `${d.description}\n` : "";
    const detail = prefix && d.message.startsWith(prefix) ? d.message.slice(prefix.length) : d.message;
    return detail.trim() || d.description;
}

/**
 * A check that neither passed nor failed: it waited for values unknown during preview, or (with a
 * cause) can't tell which resource a reference means or can't find settings in the recorded state.
 */
export interface DeferredCheck {
    urn: string;
    policy: string;
    /** The property paths concerned (empty when the pack didn't say). */
    properties: string[];
    /** Absent for values unknown during preview. */
    cause?: Exclude<DeferredCause, "unknown">;
    /** The check's own level, which applies when it runs with real values. */
    enforcementLevel: Level;
    phase: Diagnostic["phase"];
}

/** How reports head the checks of each cause (text and Markdown). */
export const DEFERRED_HEADINGS: Record<DeferredCause, { heading(n: number): string; note: string }> = {
    unknown: { heading: n => `${n === 1 ? "waits" : "wait"} for values unknown during preview`, note: "they run with real values during `pulumi up`" },
    ambiguous: { heading: () => "can't tell which resource a reference means", note: "several resources match it and nothing recorded says which" },
    unrecorded: { heading: n => `${n === 1 ? "needs" : "need"} settings the recorded state doesn't hold`, note: "the cloud returned none for the resource" },
};

/** The causes in report order, with the checks of each (empty causes left out). */
export function deferredByCause<T extends { cause?: DeferredCheck["cause"] }>(checks: readonly T[]): [DeferredCause, T[]][] {
    return (Object.keys(DEFERRED_HEADINGS) as DeferredCause[])
        .map((cause): [DeferredCause, T[]] => [cause, checks.filter(c => (c.cause ?? "unknown") === cause)])
        .filter(([, list]) => list.length > 0);
}

/**
 * The checks a diagnostic defers: the pack's merged line (one per resource, listing every check
 * that waits) or the SDK's own "can't run policy … during preview" line (older packs, other packs).
 * Undefined for a finding.
 */
export function deferredChecksOf(d: Diagnostic): PackDeferredCheck[] | undefined {
    if (d.policyName === DEFERRED_POLICY) {
        return parseDeferred(d.message) ?? [];
    }
    return isCantRun(d) ? parseDeferred(d.message) ?? [{ policy: d.policyName, properties: [] }] : undefined;
}

export function isDeferred(d: Diagnostic): boolean {
    return deferredChecksOf(d) !== undefined;
}

/** The findings of a run: its diagnostics without the deferred checks. */
export function findingsOf(result: RunResult): Diagnostic[] {
    return result.diagnostics.filter(d => !isDeferred(d));
}

/** Every deferred check of a run, one per policy and resource, in the order the pack reported them. */
export function deferredOf(result: RunResult): DeferredCheck[] {
    const out: DeferredCheck[] = [];
    const seen = new Map<string, DeferredCheck>();
    for (const d of result.diagnostics) {
        for (const c of deferredChecksOf(d) ?? []) {
            const key = `${c.policy}\u0000${d.urn}\u0000${c.cause ?? ""}`;
            const known = seen.get(key);
            if (known) {
                known.properties = [...new Set([...known.properties, ...c.properties])].sort();
                continue;
            }
            const policy = result.policies.find(p => p.name === c.policy);
            const check: DeferredCheck = {
                urn: d.urn,
                policy: c.policy,
                properties: [...new Set(c.properties)].sort(),
                ...(c.cause ? { cause: c.cause } : {}),
                enforcementLevel: result.levels?.[c.policy] ?? policy?.enforcementLevel ?? "advisory",
                phase: d.phase,
            };
            seen.set(key, check);
            out.push(check);
        }
    }
    return out;
}

/**
 * A stack policy that meets an unknown value reports it for the whole stack, naming the value as
 * `<type>::<name>.<path>`. This attributes each such check to the resource it names (one line per
 * resource, as for resource policies); checks naming no resource of the input stay with the stack.
 */
export function attributeDeferred(result: RunResult, resources: EngineResource[]): RunResult {
    const byKey = new Map<string, string>();
    for (const r of resources) {
        byKey.set(`${r.type}::${r.name}`, r.urn);
    }
    const resolve = (p: string): { urn: string; path: string } | undefined => {
        const sep = p.indexOf("::");
        for (let dot = p.indexOf(".", sep + 2); sep > 0 && dot > 0; dot = p.indexOf(".", dot + 1)) {
            const urn = byKey.get(p.slice(0, dot));
            if (urn) {
                return { urn, path: p.slice(dot + 1) };
            }
        }
        return undefined;
    };
    const diagnostics: Diagnostic[] = [];
    let changed = false;
    for (const d of result.diagnostics) {
        const checks = d.urn ? undefined : deferredChecksOf(d);
        if (!checks) {
            diagnostics.push(d);
            continue;
        }
        const perUrn = new Map<string, PackDeferredCheck[]>();
        for (const c of checks) {
            const resolved = c.properties.map(resolve);
            if (c.properties.length === 0 || resolved.some(x => !x)) {
                perUrn.set("", [...(perUrn.get("") ?? []), c]);
                continue;
            }
            for (const { urn, path } of resolved as { urn: string; path: string }[]) {
                perUrn.set(urn, [...(perUrn.get(urn) ?? []), { ...c, properties: [path] }]);
            }
        }
        changed = true;
        for (const [urn, list] of perUrn) {
            diagnostics.push({ ...d, policyName: DEFERRED_POLICY, description: "", message: formatDeferred(list), enforcementLevel: "advisory", urn });
        }
    }
    return changed ? { ...result, diagnostics } : result;
}

/** `.a, .b` for the paths a deferred check waits for. */
export function describeWaiting(c: DeferredCheck): string {
    return c.properties.map(p => `.${p.replace(/^\./, "")}`).join(", ");
}

/** Why a check neither passed nor failed, in one clause after "not evaluated yet: " (JUnit, SARIF). */
export function deferredReason(c: DeferredCheck): string {
    const paths = c.properties.length ? describeWaiting(c) : undefined;
    switch (c.cause) {
        case "ambiguous":
            return `can't tell which resource ${paths ?? "a reference"} means: several resources match and nothing recorded (a dependency, a full ARN or id) says which`;
        case "unrecorded":
            return `needs ${paths ? `${paths}, which` : "settings that"} the recorded state doesn't hold`;
        default:
            return `waits for ${paths ? `${paths}, unknown during preview` : "values unknown during preview"}; it runs with real values during \`pulumi up\``;
    }
}

export interface Summary {
    mandatory: number;
    advisory: number;
    /** Resources with at least one finding. */
    resources: number;
    /** Checks that neither passed nor failed, and the resources they concern. */
    deferred: number;
    deferredResources: number;
    /** Of those, the checks that can't decide on known values (an ambiguous reference, settings not recorded). */
    undecided: number;
}

export function summarize(result: RunResult): Summary {
    const findings = findingsOf(result);
    const deferred = deferredOf(result);
    const mandatory = findings.filter(isMandatory).length;
    const advisory = findings.filter(d => d.enforcementLevel === "advisory").length;
    return {
        mandatory, advisory, resources: new Set(findings.map(d => d.urn)).size,
        deferred: deferred.length, deferredResources: new Set(deferred.map(c => c.urn)).size,
        undecided: deferred.filter(c => c.cause).length,
    };
}

/** The summary of several stacks (resources are counted per stack: URNs name their stack). */
export function summarizeAll(results: RunResult[]): Summary {
    const total: Summary = { mandatory: 0, advisory: 0, resources: 0, deferred: 0, deferredResources: 0, undecided: 0 };
    for (const r of results) {
        const s = summarize(r);
        for (const k of Object.keys(total) as (keyof Summary)[]) {
            total[k] += s[k];
        }
    }
    return total;
}

/** `N checks on M resources wait for values unknown during preview; they run with real values during `pulumi up`.` (and those that can't decide) */
export function deferredSentence(s: Summary): string {
    const n = s.deferred;
    const waiting = n - s.undecided;
    const on = `${n} check${n === 1 ? "" : "s"} on ${s.deferredResources} resource${s.deferredResources === 1 ? "" : "s"}`;
    if (s.undecided === 0) {
        return `${on} ${n === 1 ? "waits" : "wait"} for values unknown during preview; ${n === 1 ? "it runs" : "they run"} with real values during \`pulumi up\`.`;
    }
    const undecided = "can't decide on what the stack records (which resource a reference means, or settings not recorded)";
    if (waiting === 0) {
        return `${on} ${undecided}; ${n === 1 ? "it neither passes nor fails" : "they neither pass nor fail"}.`;
    }
    return `${on} neither passed nor failed: ${waiting} ${waiting === 1 ? "waits" : "wait"} for values unknown during preview (${waiting === 1 ? "it runs" : "they run"} with real values during \`pulumi up\`), ${s.undecided} ${undecided}.`;
}

/** `2 mandatory and 3 advisory violations on 4 resources.` */
export function violationSentence(s: Summary): string {
    return `${s.mandatory} mandatory and ${s.advisory} advisory violation${s.mandatory + s.advisory === 1 ? "" : "s"} on ${s.resources} resource${s.resources === 1 ? "" : "s"}.`;
}

/**
 * Replaces every secret string of the input wherever it appears in the run's findings. Policies
 * never quote values, so this should find nothing: it is the guarantee that a misbehaving policy
 * still can't put a secret into a report. Remediated property values are dropped for the same reason.
 */
export function redactSecrets(result: RunResult, secrets: string[]): RunResult {
    // Descriptions, reasons and many messages repeat across a stack's resources: each text is checked once.
    const done = new Map<string, string>();
    const scrub = (text: string): string => {
        let out = done.get(text);
        if (out === undefined) {
            out = redact(text, secrets);
            done.set(text, out);
        }
        return out;
    };
    return {
        ...result,
        diagnostics: result.diagnostics.map(d => ({ ...d, message: scrub(d.message), description: scrub(d.description) })),
        notApplicable: result.notApplicable.map(n => ({ ...n, reason: scrub(n.reason) })),
        remediations: result.remediations.map(r => ({
            policyName: r.policyName,
            urn: r.urn,
            description: scrub(r.description),
            diagnostic: r.diagnostic === undefined ? undefined : scrub(r.diagnostic),
            // Only whether something was fixed is reported; the fixed properties may hold secrets.
            properties: r.properties ? {} : undefined,
        })),
    };
}

/** Groups items by URN, in first-seen order. */
export function byResource<T extends { urn: string }>(items: readonly T[]): Map<string, T[]> {
    const out = new Map<string, T[]>();
    for (const item of items) {
        const list = out.get(item.urn);
        if (list) {
            list.push(item);
        } else {
            out.set(item.urn, [item]);
        }
    }
    return out;
}

/** Severities from the most to the least severe, as policies declare them. */
export const SEVERITY_ORDER = ["critical", "high", "medium", "low"] as const;
export type SeverityName = typeof SEVERITY_ORDER[number];

/** 0 for critical … 3 for low; 4 for a finding without a severity. */
export function severityRank(severity: string | undefined): number {
    const i = SEVERITY_ORDER.indexOf(severity as SeverityName);
    return i < 0 ? SEVERITY_ORDER.length : i;
}

/** Mandatory before advisory, then by severity. */
function findingRank(d: Diagnostic): number {
    return (isMandatory(d) ? 0 : 10) + severityRank(d.severity);
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function scannedLine(ctx: ReportContext): string {
    const source = ctx.inputPath ?? "standard input";
    const format = ctx.format ? ` (${FORMAT_LABELS[ctx.format]})` : "";
    return `Scanned ${plural(ctx.resources.length, "resource")} from ${source}${format}.`;
}

/** What the text report's findings read like: see `TextOptions.detail`. */
export type TextDetail = "compact" | "normal" | "verbose";

export interface TextOptions {
    color: boolean;
    /** Adds a line naming the input and its format. */
    context?: ReportContext;
    /**
     * normal: findings grouped by resource and policy, then each policy's description and remediation
     * once at the end; compact: one line per finding, no descriptions; verbose: each policy's
     * description and remediation under it on every resource.
     */
    detail?: TextDetail;
    /** --quiet: only the findings that fail the scan, then one summary line. */
    quiet?: { fails(d: Diagnostic): boolean; failOn: string };
}

/** What a policy checks and how to fix its findings, from the pack's policy list (or the finding itself). */
interface PolicyText {
    description: string;
    remediation?: string;
}

function policyTexts(results: readonly RunResult[]): Map<string, PolicyText> {
    const out = new Map<string, PolicyText>();
    for (const r of results) {
        for (const p of r.policies) {
            if (!out.has(p.name)) {
                out.set(p.name, { description: p.description, remediation: p.remediationSteps?.trim() || undefined });
            }
        }
        for (const d of r.diagnostics) {
            if (!out.has(d.policyName)) {
                out.set(d.policyName, { description: d.description });
            }
        }
    }
    return out;
}

/** `mandatory critical ` with fixed widths, so that policy names line up. */
function levelAndSeverity(d: Diagnostic, color: boolean): string {
    const level = (isMandatory(d) ? "mandatory" : d.enforcementLevel).padEnd(9);
    return `${paint(color, isMandatory(d) ? "31" : "33", level)} ${(d.severity ?? "unrated").padEnd(8)}`;
}

function counts(ds: readonly Diagnostic[]): string {
    const mandatory = ds.filter(isMandatory).length;
    const advisory = ds.length - mandatory;
    return [mandatory ? `${mandatory} mandatory` : "", advisory ? `${advisory} advisory` : ""].filter(Boolean).join(", ");
}

/** Groups items by a key, in first-seen order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
    const out = new Map<string, T[]>();
    for (const item of items) {
        const k = key(item);
        out.set(k, [...(out.get(k) ?? []), item]);
    }
    return out;
}

/**
 * One stack's findings by resource (the resource with the worst finding first), each resource's
 * findings by policy; then what was remediated and the checks that can't decide yet. `listed` collects
 * the policies shown, for the descriptions at the end.
 */
function textBody(result: RunResult, options: TextOptions, texts: Map<string, PolicyText>, listed: Set<string>, indent: string): string[] {
    const color = options.color;
    const detail = options.detail ?? "normal";
    const findings = findingsOf(result).filter(d => !options.quiet || options.quiet.fails(d));
    const worst = (ds: Diagnostic[]) => Math.min(...ds.map(findingRank));
    const groups = [...byResource(findings)].sort((a, b) => worst(a[1]) - worst(b[1]) || resourceLabel(a[0]).localeCompare(resourceLabel(b[0])) || a[0].localeCompare(b[0]));
    const lines: string[] = [];
    const sub = `${indent}  `;
    const item = `${sub}    `;
    for (const [urn, ds] of groups) {
        lines.push("", `${indent}${paint(color, "1", resourceLabel(urn))}  (${counts(ds)})`);
        const perPolicy = [...groupBy(ds, d => d.policyName)].sort((a, b) => worst(a[1]) - worst(b[1]) || a[0].localeCompare(b[0]));
        for (const [policy, list] of perPolicy) {
            listed.add(policy);
            const head = `${sub}${levelAndSeverity(list[0], color)} ${policy}`;
            const text = texts.get(policy);
            if (detail === "compact") {
                lines.push(...list.map(d => `${sub}${levelAndSeverity(d, color)} ${policy}: ${detailOf(d).replace(/\s*\n\s*/g, " ")}`));
                continue;
            }
            lines.push(head);
            if (detail === "verbose" && text?.description) {
                lines.push(`${item}${text.description}`);
            }
            for (const d of list) {
                lines.push(`${item}- ${detailOf(d).split("\n").join(`\n${item}  `)}`);
            }
            if (detail === "verbose" && text?.remediation) {
                lines.push(`${item}Fix: ${text.remediation}`);
            }
        }
    }
    if (options.quiet) {
        return lines;
    }
    const remediated = result.remediations.filter(r => r.properties);
    if (remediated.length > 0) {
        lines.push("");
        for (const r of remediated) {
            lines.push(`${indent}${paint(color, "36", "remediated")}  ${r.policyName} on ${resourceLabel(r.urn)}`);
        }
    }
    for (const [cause, list] of deferredByCause(deferredOf(result))) {
        const { heading, note } = DEFERRED_HEADINGS[cause];
        const title = cause === "unknown" ? "Waiting for values unknown during preview (not findings; they run during `pulumi up`):" : `Checks that ${heading(2)} (not findings; ${note}):`;
        lines.push("", `${indent}${paint(color, "2", title)}`);
        for (const [urn, checks] of [...byResource(list).entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
            const text = checks.map(c => `${c.policy}${c.properties.length ? ` (${describeWaiting(c)})` : ""}`).join(", ");
            lines.push(`${sub}${resourceLabel(urn)}: ${text}`);
        }
    }
    return lines;
}

/** Each policy shown, once: what it checks and how to fix its findings (the normal detail level). */
function policyLegend(listed: Set<string>, texts: Map<string, PolicyText>, options: TextOptions): string[] {
    if ((options.detail ?? "normal") !== "normal" || options.quiet || listed.size === 0) {
        return [];
    }
    const lines = [paint(options.color, "1", "What these policies check, and how to fix their findings:")];
    for (const name of listed) {
        const text = texts.get(name);
        lines.push(`  ${name}: ${text?.description || "(no description)"}`);
        if (text?.remediation) {
            lines.push(`      Fix: ${text.remediation}`);
        }
    }
    return lines;
}

/** The counts by level and severity, as a small table. */
function severityTable(findings: readonly Diagnostic[]): string[] {
    const columns: string[] = [...SEVERITY_ORDER];
    if (findings.some(d => severityRank(d.severity) === SEVERITY_ORDER.length)) {
        columns.push("unrated");
    }
    const count = (mandatory: boolean, column: string) =>
        findings.filter(d => isMandatory(d) === mandatory && (column === "unrated" ? severityRank(d.severity) === SEVERITY_ORDER.length : d.severity === column)).length;
    const rows: [string, number[]][] = [["mandatory", columns.map(c => count(true, c))], ["advisory", columns.map(c => count(false, c))]];
    const cell = (text: string | number, i: number) => String(text).padStart(Math.max(columns[i].length, 3));
    return [
        `  ${"".padEnd(9)}  ${columns.map((c, i) => cell(c, i)).join("  ")}`,
        ...rows.map(([level, values]) => `  ${level.padEnd(9)}  ${values.map((v, i) => cell(v, i)).join("  ")}`),
    ];
}

function summaryLines(results: readonly RunResult[], s: Summary, options: TextOptions): string[] {
    const color = options.color;
    const findings = results.flatMap(findingsOf);
    if (options.quiet) {
        const failing = findings.filter(options.quiet.fails);
        const others = findings.length - failing.length;
        const rest = others > 0 ? `; ${plural(others, "other finding")} not shown` : "";
        return failing.length > 0
            ? [paint(color, "1;31", `${plural(failing.length, "finding")} on ${plural(new Set(failing.map(d => d.urn)).size, "resource")} ${failing.length === 1 ? "fails" : "fail"} the scan (${options.quiet.failOn})${rest}.`)]
            : [paint(color, "1;32", `No finding fails the scan (${options.quiet.failOn})${rest}.`)];
    }
    const sentence = violationSentence(s);
    const lines = [s.mandatory > 0 ? paint(color, "1;31", sentence) : s.advisory > 0 ? paint(color, "1;33", sentence) : paint(color, "1;32", sentence)];
    if (findings.length > 0) {
        lines.push(...severityTable(findings));
    }
    if (s.deferred > 0) {
        lines.push(deferredSentence(s));
    }
    return lines;
}

/** Blocks separated by one empty line, empty blocks left out. */
function joinBlocks(blocks: string[][]): string {
    return blocks.filter(b => b.length > 0).map(b => b.join("\n").replace(/^\n+/, "")).join("\n\n") + "\n";
}

export function formatText(result: RunResult, options: TextOptions): string {
    return formatTextScan({ stacks: [{ result, ctx: options.context! }], failures: [] }, options);
}

/** The stack's name as reports show it: `project/stack`, or the input it came from. */
export function stackTitle(ctx: ReportContext): string {
    const name = ctx.stack ? `${ctx.project ? `${ctx.project}/` : ""}${ctx.stack}` : undefined;
    const source = ctx.inputPath ?? "standard input";
    return name ? `${name} (${source})` : source;
}

/**
 * The text report: the findings of each stack grouped by resource, the policies' descriptions and
 * remediations once, then the summary. Several stacks get a section each and a summary over all of them.
 */
export function formatTextScan(scan: ScanReport, opts: TextOptions | boolean): string {
    const options: TextOptions = typeof opts === "boolean" ? { color: opts } : opts;
    const results = scan.stacks.map(s => s.result);
    const texts = policyTexts(results);
    const listed = new Set<string>();
    const blocks: string[][] = [];
    const single = scan.stacks.length === 1 && scan.failures.length === 0;
    if (single) {
        const { result, ctx } = scan.stacks[0];
        if (ctx && !options.quiet) {
            blocks.push([scannedLine(ctx)]);
        }
        blocks.push(textBody(result, options, texts, listed, ""));
    } else {
        const resources = scan.stacks.reduce((n, s) => n + s.ctx.resources.length, 0);
        if (!options.quiet) {
            blocks.push([`Scanned ${plural(resources, "resource")} in ${plural(scan.stacks.length, "stack")}${scan.failures.length ? ` (${plural(scan.failures.length, "input")} could not be scanned)` : ""}.`]);
        }
        for (const { result, ctx } of scan.stacks) {
            const s = summarize(result);
            const body = textBody(result, options, texts, listed, "  ");
            if (options.quiet && body.length === 0) {
                continue;
            }
            blocks.push([
                paint(options.color, "1", `Stack ${stackTitle(ctx)}: ${plural(ctx.resources.length, "resource")}${ctx.format ? `, ${FORMAT_LABELS[ctx.format]}` : ""}`),
                ...(options.quiet ? [] : [`  ${mark(s, options.color)} ${violationSentence(s)}${s.deferred ? ` ${deferredSentence(s)}` : ""}`]),
                ...body,
            ]);
        }
        for (const f of scan.failures) {
            blocks.push([`${paint(options.color, "1;31", "Not scanned")} ${f.input}: ${f.message}`]);
        }
    }
    blocks.push(policyLegend(listed, texts, options));
    // Exempted findings come after the findings and before the summary, which stays the last thing a
    // CI log shows; --quiet shows only what fails the scan.
    if (!options.quiet) {
        blocks.push(exemptedSection(scan.stacks.map(s => ({ result: s.result, title: scan.stacks.length > 1 ? stackTitle(s.ctx) : undefined }))));
    }
    blocks.push(summaryLines(results, summarizeAll(results), options));
    return joinBlocks(blocks);
}

function mark(s: Summary, color: boolean): string {
    return s.mandatory > 0 ? paint(color, "31", "❌") : s.advisory > 0 ? paint(color, "33", "⚠️ ") : paint(color, "32", "✅");
}

/** A deferred check as JSON reports list it. */
function deferredJson(c: DeferredCheck) {
    return { urn: c.urn, resource: resourceLabel(c.urn), policy: c.policy, properties: c.properties, ...(c.cause ? { cause: c.cause } : {}), enforcementLevel: c.enforcementLevel, phase: c.phase };
}

function jsonInput(ctx: ReportContext) {
    return { file: ctx.inputPath ?? "-", format: ctx.format, resources: ctx.resources.length };
}

/** One stack's part of a JSON report; its lists are written element by element (see stream.ts). */
function jsonStack(result: RunResult) {
    return {
        summary: summarize(result),
        diagnostics: lazy(() => findingsOf(result)),
        deferred: lazy(() => deferredOf(result).map(deferredJson)),
        exempted: lazy(() => exemptionsJson(result)),
        remediations: lazy(() => result.remediations.map(r => ({ policyName: r.policyName, urn: r.urn, diagnostic: r.diagnostic, remediated: !!r.properties }))),
    };
}

function jsonReport(result: RunResult, context?: ReportContext) {
    const { summary, ...lists } = jsonStack(result);
    return {
        pack: result.pack,
        input: context ? jsonInput(context) : undefined,
        summary,
        ...lists,
    };
}

export function formatJson(result: RunResult, context?: ReportContext): string {
    return [...jsonChunks(jsonReport(result, context)), "\n"].join("");
}

/**
 * Several stacks: the pack, a summary over all stacks, then each stack's input, summary, findings
 * and deferred checks, and the inputs that could not be scanned. One input keeps the one-stack shape.
 */
export function formatJsonScan(scan: ScanReport): string {
    return [...jsonScanChunks(scan)].join("");
}

/** A stack's element in the JSON report of several stacks. */
function jsonStackElement({ result, ctx }: { result: RunResult; ctx: ReportContext }) {
    return { stack: ctx.stack, project: ctx.project, input: jsonInput(ctx), ...jsonStack(result) };
}

/** Where a stack's element of a several-stack JSON report sits: in the top-level object's `stacks` list. */
const STACK_ELEMENT_INDENT = "    ";

/**
 * A stack's element of the JSON report of several stacks, written out as soon as its run is done (a
 * scan with workers does it while the others still run), for jsonScanChunks to take as it is.
 */
export function jsonStackText(stack: { result: RunResult; ctx: ReportContext }): JsonText {
    return new JsonText([...jsonChunks(jsonStackElement(stack), STACK_ELEMENT_INDENT)].join(""));
}

/** The JSON report of a scan, in pieces as it is written; `written` gives the stacks' elements written out already (jsonStackText). */
export function* jsonScanChunks(scan: ScanReport, written?: (stack: ScanReport["stacks"][number]) => JsonText | undefined): Generator<string> {
    if (scan.stacks.length === 1 && scan.failures.length === 0) {
        yield* jsonChunks(jsonReport(scan.stacks[0].result, scan.stacks[0].ctx));
    } else {
        yield* jsonChunks({
            pack: scan.stacks[0]?.result.pack,
            summary: summarizeAll(scan.stacks.map(s => s.result)),
            stacks: scan.stacks.map(s => written?.(s) ?? jsonStackElement(s)),
            errors: scan.failures,
        });
    }
    yield "\n";
}
