// What every report format shares (the scanned resources, the tool, how findings are counted and
// worded), and the human-readable and JSON formats. Findings are grouped the way `pulumi preview`
// groups policy results. SARIF and JUnit live in sarif.ts and junit.ts.
import { Diagnostic, EngineResource, RunResult } from "./engine";
import { FORMAT_LABELS, InputFormat } from "./inputs";

const LEVEL_ORDER: Record<string, number> = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 };

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
}

export interface TextOptions {
    color: boolean;
    /** Adds a line naming the input and its format. */
    context?: ReportContext;
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

export function summarize(result: RunResult): { mandatory: number; advisory: number; resources: number } {
    const mandatory = result.diagnostics.filter(isMandatory).length;
    const advisory = result.diagnostics.filter(d => d.enforcementLevel === "advisory").length;
    return { mandatory, advisory, resources: new Set(result.diagnostics.map(d => d.urn)).size };
}

/**
 * Replaces every secret string of the input wherever it appears in the run's findings. Policies
 * never quote values, so this should find nothing: it is the guarantee that a misbehaving policy
 * still can't put a secret into a report. Remediated property values are dropped for the same reason.
 */
export function redactSecrets(result: RunResult, secrets: string[]): RunResult {
    const scrub = (text: string): string => {
        let out = text;
        for (const s of secrets) {
            if (s && out.includes(s)) {
                out = out.split(s).join("[secret]");
            }
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

export function formatText(result: RunResult, options: TextOptions): string {
    const byUrn = new Map<string, Diagnostic[]>();
    for (const d of result.diagnostics) {
        const list = byUrn.get(d.urn) ?? [];
        list.push(d);
        byUrn.set(d.urn, list);
    }
    const rank = (ds: Diagnostic[]) => Math.min(...ds.map(d => LEVEL_ORDER[d.enforcementLevel] ?? 9));
    const groups = [...byUrn.entries()].sort((a, b) => rank(a[1]) - rank(b[1]) || a[0].localeCompare(b[0]));
    const { mandatory, advisory, resources } = summarize(result);
    const lines: string[] = [];
    const ctx = options.context;
    if (ctx) {
        const source = ctx.inputPath ?? "standard input";
        const format = ctx.format ? ` (${FORMAT_LABELS[ctx.format]})` : "";
        lines.push(`Scanned ${ctx.resources.length} resource${ctx.resources.length === 1 ? "" : "s"} from ${source}${format}.`);
        lines.push("");
    }
    const mark = mandatory > 0 ? paint(options.color, "31", "❌") : advisory > 0 ? paint(options.color, "33", "⚠️ ") : paint(options.color, "32", "✅");
    lines.push("Policies:");
    lines.push(`    ${mark} ${result.pack.name}@v${result.pack.version}`);
    for (const [urn, ds] of groups) {
        lines.push(`        ${paint(options.color, "1", resourceLabel(urn))}`);
        ds.sort((a, b) => (LEVEL_ORDER[a.enforcementLevel] ?? 9) - (LEVEL_ORDER[b.enforcementLevel] ?? 9) || a.policyName.localeCompare(b.policyName));
        for (const d of ds) {
            const level = isMandatory(d) ? paint(options.color, "31", "[mandatory]") : paint(options.color, "33", `[${d.enforcementLevel}]`);
            lines.push(`          - ${level}  ${d.policyName}${d.severity ? ` (${d.severity})` : ""}`);
            for (const line of d.message.split("\n")) {
                lines.push(`            ${line}`);
            }
        }
    }
    for (const r of result.remediations) {
        if (r.properties) {
            lines.push(`        ${paint(options.color, "36", "remediated")}  ${r.policyName} on ${resourceLabel(r.urn)}`);
        }
    }
    lines.push("");
    const summary = `${mandatory} mandatory and ${advisory} advisory violation${mandatory + advisory === 1 ? "" : "s"} on ${resources} resource${resources === 1 ? "" : "s"}.`;
    lines.push(mandatory > 0 ? paint(options.color, "1;31", summary) : advisory > 0 ? paint(options.color, "1;33", summary) : paint(options.color, "1;32", summary));
    return lines.join("\n") + "\n";
}

export function formatJson(result: RunResult, context?: ReportContext): string {
    return JSON.stringify({
        pack: result.pack,
        input: context ? { file: context.inputPath ?? "-", format: context.format, resources: context.resources.length } : undefined,
        summary: summarize(result),
        diagnostics: result.diagnostics,
        remediations: result.remediations.map(r => ({ policyName: r.policyName, urn: r.urn, diagnostic: r.diagnostic, remediated: !!r.properties })),
    }, null, 2) + "\n";
}
