// Markdown for a pull-request comment or a GitHub Actions job summary: counts by level and severity,
// findings grouped by resource, then what is collapsed (policies with many findings, checks that wait
// for values unknown during preview or can't decide on known ones, exemptions with their expiry).
//
// Every piece of text from the run (messages, names, reasons) is escaped, so that a property value
// can't start a table, a link, an HTML element or a mention, and redacted against the input's secret
// values. The whole report stays within GitHub's comment limit whatever the number of findings.
import { DeferredCause } from "../policies/lib/deferred";
import { redact } from "../policies/lib/redact";
import { AnalyzerPolicy, Diagnostic, RunResult } from "./engine";
import { byExpiry, Exemption, exemptionsOf } from "./exemptions";
import { FORMAT_LABELS } from "./inputs";
import {
    byResource, DeferredCheck, deferredByCause, DEFERRED_HEADINGS, deferredOf, describeWaiting, detailOf, findingsOf, isMandatory,
    ReportContext, resourceLabel, ScanReport, stackTitle, summarize, summarizeAll, Summary,
} from "./report";

/** A policy with more findings than this is listed once, collapsed, instead of under each resource. */
export const COLLAPSE_AT = 8;
/** At most this many entries in one collapsed list. */
export const LIST_LIMIT = 40;
/** GitHub rejects comments over 65,536 characters; stay well under it. */
export const MAX_CHARS = 60000;

const SEVERITIES = ["critical", "high", "medium", "low"] as const;

/** Text safe anywhere in a Markdown line: no HTML, no emphasis, links, tables, mentions or issue references. */
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "&#64;", "#": "&#35;" };

export function escapeMarkdown(text: string): string {
    return text
        .replace(/[&<>@#]/g, c => ENTITIES[c])
        .replace(/([\\`*_[\]|~])/g, "\\$1")
        .replace(/\s*[\r\n]+\s*/g, " ")
        .trim();
}

export interface MarkdownOptions {
    /** Secret values of the input: any occurrence in the report is replaced by a placeholder. */
    secrets?: readonly string[];
    /** Heading level of the report's title (default 2; stacks and sections go one and two deeper). */
    level?: number;
}

class Writer {
    readonly lines: string[] = [];
    private size = 0;
    constructor(private readonly secrets: readonly string[]) {}
    /** Escaped, redacted text from the run. */
    t(text: string): string {
        return escapeMarkdown(redact(text, this.secrets));
    }
    push(...lines: string[]): void {
        for (const l of lines) {
            this.lines.push(l);
            this.size += l.length + 1;
        }
    }
    get chars(): number {
        return this.size;
    }
}

function heading(level: number, text: string): string {
    return `${"#".repeat(Math.min(level, 6))} ${text}`;
}

function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function levelOf(d: Diagnostic): "mandatory" | "advisory" {
    return isMandatory(d) ? "mandatory" : "advisory";
}

function icon(s: Summary): string {
    return s.mandatory > 0 ? "🔴" : s.advisory > 0 ? "🟡" : "🟢";
}

function countsTable(w: Writer, findings: Diagnostic[], s: Summary): void {
    const bySeverity = (level: string, severity: string | undefined) => findings.filter(d => levelOf(d) === level && (d.severity ?? "") === (severity ?? "")).length;
    const severities: (string | undefined)[] = [...SEVERITIES];
    if (findings.some(d => !d.severity)) {
        severities.push(undefined);
    }
    w.push("| Severity | Mandatory | Advisory |", "|---|---:|---:|");
    for (const sev of severities) {
        const m = bySeverity("mandatory", sev);
        const a = bySeverity("advisory", sev);
        if (m + a > 0 || sev !== undefined) {
            w.push(`| ${sev ?? "unrated"} | ${m} | ${a} |`);
        }
    }
    w.push(`| **total** | **${s.mandatory}** | **${s.advisory}** |`, "");
}

function findingLine(w: Writer, d: Diagnostic): string {
    return `- **${levelOf(d)}** · ${d.severity ?? "unrated"} · \`${w.t(d.policyName).replace(/`/g, "")}\`: ${w.t(detailOf(d))}`;
}

function remediationOf(policies: Map<string, AnalyzerPolicy>, name: string): string | undefined {
    return policies.get(name)?.remediationSteps?.trim() || undefined;
}

const RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const order = (d: Diagnostic) => (isMandatory(d) ? 0 : 10) + (RANK[d.severity ?? ""] ?? 4);

function findingsSection(w: Writer, result: RunResult, level: number): void {
    const findings = findingsOf(result);
    const policies = new Map(result.policies.map(p => [p.name, p]));
    const perPolicy = new Map<string, Diagnostic[]>();
    for (const d of findings) {
        perPolicy.set(d.policyName, [...(perPolicy.get(d.policyName) ?? []), d]);
    }
    const frequent = new Set([...perPolicy].filter(([, ds]) => ds.length > COLLAPSE_AT).map(([p]) => p));
    const listed = findings.filter(d => !frequent.has(d.policyName));
    if (findings.length === 0) {
        return;
    }
    w.push(heading(level, "Findings by resource"), "");
    const groups = [...byResource(listed)].sort((a, b) => Math.min(...a[1].map(order)) - Math.min(...b[1].map(order)) || a[0].localeCompare(b[0]));
    let shown = 0;
    for (const [urn, ds] of groups) {
        if (w.chars > MAX_CHARS * 0.6) {
            const rest = groups.length - shown;
            w.push(`_${plural(rest, "more resource")} with findings not shown here: the JSON or SARIF report has them all._`, "");
            break;
        }
        shown++;
        w.push(`**${w.t(resourceLabel(urn))}**`, "");
        const sorted = [...ds].sort((a, b) => order(a) - order(b) || a.policyName.localeCompare(b.policyName));
        sorted.forEach((d, i) => {
            w.push(findingLine(w, d));
            const fix = remediationOf(policies, d.policyName);
            // The remediation once per policy, after its last finding on the resource.
            if (fix && sorted[i + 1]?.policyName !== d.policyName) {
                w.push(`  <br>Remediation: ${w.t(fix)}`);
            }
        });
        w.push("");
    }
    if (frequent.size > 0) {
        w.push(heading(level, "Policies with many findings"), "");
        const sorted = [...frequent].sort((a, b) => order(perPolicy.get(a)![0]) - order(perPolicy.get(b)![0]) || a.localeCompare(b));
        for (const name of sorted) {
            const ds = perPolicy.get(name)!;
            const first = ds[0];
            w.push("<details>", `<summary><b>${levelOf(first)}</b> · ${first.severity ?? "unrated"} · <code>${w.t(name)}</code>: ${plural(new Set(ds.map(d => d.urn)).size, "resource")}</summary>`, "");
            const fix = remediationOf(policies, name);
            if (fix) {
                w.push(`Remediation: ${w.t(fix)}`, "");
            }
            const budget = w.chars > MAX_CHARS * 0.8 ? 5 : LIST_LIMIT;
            for (const d of ds.slice(0, budget)) {
                w.push(`- ${w.t(resourceLabel(d.urn))}: ${w.t(detailOf(d))}`);
            }
            if (ds.length > budget) {
                w.push(`- _and ${ds.length - budget} more_`);
            }
            w.push("", "</details>", "");
        }
    }
}

/** One collapsed block per cause: checks that wait for values unknown during preview, and those that can't decide on known values. */
function deferredSection(w: Writer, deferred: DeferredCheck[]): void {
    for (const [cause, list] of deferredByCause(deferred)) {
        deferredBlock(w, list, DEFERRED_HEADINGS[cause]);
    }
}

function deferredBlock(w: Writer, deferred: DeferredCheck[], wording: (typeof DEFERRED_HEADINGS)[DeferredCause]): void {
    const groups = [...byResource(deferred)].sort((a, b) => a[0].localeCompare(b[0]));
    const note = wording.note.replace(/`([^`]+)`/g, "<code>$1</code>");
    w.push("<details>", `<summary>${plural(deferred.length, "check")} on ${plural(groups.length, "resource")} ${wording.heading(deferred.length)} (not findings; ${note})</summary>`, "");
    const budget = w.chars > MAX_CHARS * 0.8 ? 5 : LIST_LIMIT;
    for (const [urn, checks] of groups.slice(0, budget)) {
        const list = checks.map(c => `${w.t(c.policy)}${c.properties.length ? ` (${w.t(describeWaiting(c))})` : ""}${c.enforcementLevel === "mandatory" ? " **mandatory**" : ""}`);
        w.push(`- ${w.t(resourceLabel(urn))}: ${list.join(", ")}`);
    }
    if (groups.length > budget) {
        w.push(`- _and ${plural(groups.length - budget, "more resource")}_`);
    }
    w.push("", "</details>", "");
}

function exemptionsSection(w: Writer, exemptions: Exemption[]): void {
    if (exemptions.length === 0) {
        return;
    }
    w.push("<details>", `<summary>${plural(exemptions.length, "finding")} not enforced: exempted until a date</summary>`, "");
    w.push("| Resource | Policy | Expires | Reason | Exempted by |", "|---|---|---|---|---|");
    const sorted = byExpiry(exemptions);
    const budget = w.chars > MAX_CHARS * 0.8 ? 5 : LIST_LIMIT;
    for (const e of sorted.slice(0, budget)) {
        w.push(`| ${w.t(resourceLabel(e.urn))} | ${w.t(e.policy)} | ${e.expires} | ${w.t(e.reason)} | ${w.t(e.source)} |`);
    }
    if (sorted.length > budget) {
        w.push(`| _and ${sorted.length - budget} more_ | | | | |`);
    }
    w.push("", "</details>", "");
}

function stackBody(w: Writer, result: RunResult, level: number): void {
    const s = summarize(result);
    if (s.mandatory + s.advisory > 0) {
        countsTable(w, findingsOf(result), s);
    }
    findingsSection(w, result, level);
    deferredSection(w, deferredOf(result));
    exemptionsSection(w, exemptionsOf(result));
}

function statusLine(s: Summary): string {
    const parts = [`${icon(s)} **${s.mandatory} mandatory** and **${s.advisory} advisory** violation${s.mandatory + s.advisory === 1 ? "" : "s"} on ${plural(s.resources, "resource")}`];
    if (s.deferred > s.undecided) {
        parts.push(`${plural(s.deferred - s.undecided, "check")} waiting for values unknown during preview`);
    }
    if (s.undecided > 0) {
        parts.push(`${plural(s.undecided, "check")} that can't decide on what the stack records`);
    }
    return `${parts.join("; ")}.`;
}

function inputLine(w: Writer, ctx: ReportContext): string {
    return `Scanned ${plural(ctx.resources.length, "resource")} from ${w.t(ctx.inputPath ?? "standard input")}${ctx.format ? ` (${FORMAT_LABELS[ctx.format]})` : ""}.`;
}

export function formatMarkdown(result: RunResult, ctx: ReportContext, options: MarkdownOptions = {}): string {
    return formatMarkdownScan({ stacks: [{ result, ctx }], failures: [] }, ctx.tool, options);
}

/** The report; several stacks get a section each after a line per stack. */
export function formatMarkdownScan(scan: ScanReport, tool: ReportContext["tool"], options: MarkdownOptions = {}): string {
    const level = options.level ?? 2;
    const w = new Writer(options.secrets ?? []);
    const total = summarizeAll(scan.stacks.map(s => s.result));
    w.push(heading(level, `${w.t(tool.name)} policy report`), "", statusLine(total), "");
    if (scan.stacks.length === 1 && scan.failures.length === 0) {
        const { result, ctx } = scan.stacks[0];
        w.push(inputLine(w, ctx), "");
        stackBody(w, result, level + 1);
    } else {
        w.push("| Stack | Resources | Mandatory | Advisory | Not decided |", "|---|---:|---:|---:|---:|");
        for (const { result, ctx } of scan.stacks) {
            const s = summarize(result);
            w.push(`| ${icon(s)} ${w.t(stackTitle(ctx))} | ${ctx.resources.length} | ${s.mandatory} | ${s.advisory} | ${s.deferred} |`);
        }
        for (const f of scan.failures) {
            w.push(`| ⚠️ ${w.t(f.input)} | not scanned: ${w.t(f.message)} | | | |`);
        }
        w.push("");
        for (const { result, ctx } of scan.stacks) {
            const s = summarize(result);
            w.push(heading(level + 1, `${icon(s)} ${w.t(stackTitle(ctx))}`), "", statusLine(s), "", inputLine(w, ctx), "");
            stackBody(w, result, level + 2);
        }
    }
    let text = w.lines.join("\n").replace(/\n{3,}/g, "\n\n");
    if (text.length > MAX_CHARS) {
        const cut = text.lastIndexOf("\n", MAX_CHARS - 200);
        text = `${text.slice(0, cut)}\n\n_The report was cut here to stay within ${MAX_CHARS.toLocaleString("en-US")} characters: the JSON or SARIF report has every finding._\n`;
        // A cut inside a collapsed block leaves it open: close it.
        const open = (text.match(/<details>/g) ?? []).length - (text.match(/<\/details>/g) ?? []).length;
        text += "\n</details>\n".repeat(Math.max(0, open));
    }
    return text.endsWith("\n") ? text : `${text}\n`;
}
