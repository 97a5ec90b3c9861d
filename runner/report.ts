// Human-readable findings, grouped the way `pulumi preview` groups policy results.
import { Diagnostic, RunResult } from "./engine";

const LEVEL_ORDER: Record<string, number> = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 };

export interface TextOptions {
    color: boolean;
}

function paint(on: boolean, code: string, text: string): string {
    return on ? `\u001b[${code}m${text}\u001b[0m` : text;
}

function resourceLabel(urn: string): string {
    // urn:pulumi:<stack>::<project>::<type chain>::<name>
    const parts = urn.split("::");
    if (parts.length < 4) {
        return urn || "(stack)";
    }
    const types = parts[2].split("$");
    return `${types[types.length - 1]}: ${parts.slice(3).join("::")}`;
}

export function summarize(result: RunResult): { mandatory: number; advisory: number; resources: number } {
    const mandatory = result.diagnostics.filter(d => d.enforcementLevel === "mandatory").length;
    const advisory = result.diagnostics.filter(d => d.enforcementLevel === "advisory").length;
    return { mandatory, advisory, resources: new Set(result.diagnostics.map(d => d.urn)).size };
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
    const mark = mandatory > 0 ? paint(options.color, "31", "❌") : advisory > 0 ? paint(options.color, "33", "⚠️ ") : paint(options.color, "32", "✅");
    lines.push("Policies:");
    lines.push(`    ${mark} ${result.pack.name}@v${result.pack.version}`);
    for (const [urn, ds] of groups) {
        lines.push(`        ${paint(options.color, "1", resourceLabel(urn))}`);
        ds.sort((a, b) => (LEVEL_ORDER[a.enforcementLevel] ?? 9) - (LEVEL_ORDER[b.enforcementLevel] ?? 9) || a.policyName.localeCompare(b.policyName));
        for (const d of ds) {
            const level = d.enforcementLevel === "mandatory" ? paint(options.color, "31", "[mandatory]") : paint(options.color, "33", `[${d.enforcementLevel}]`);
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
    lines.push(`${mandatory} mandatory and ${advisory} advisory violation${mandatory + advisory === 1 ? "" : "s"} on ${resources} resource${resources === 1 ? "" : "s"}.`);
    return lines.join("\n") + "\n";
}

export function formatJson(result: RunResult): string {
    return JSON.stringify({
        pack: result.pack,
        summary: summarize(result),
        diagnostics: result.diagnostics,
        remediations: result.remediations.map(r => ({ policyName: r.policyName, urn: r.urn, diagnostic: r.diagnostic, remediated: !!r.properties })),
    }, null, 2) + "\n";
}
