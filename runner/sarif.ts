// SARIF 2.1.0 (OASIS), as GitHub code scanning and other SARIF viewers read it: one run, a rule per
// policy of the pack, a result per finding with the resource URN as its logical location and, when
// the input allows it, a file location.
import { createHash } from "crypto";
import { AnalyzerPolicy, Diagnostic, EngineResource, RunResult } from "./engine";
import { Level } from "./config";
import { FileLocation, inputFileUri, locateResources, parseSourcePosition } from "./locations";
import { detailOf, isCantRun, isMandatory, ReportContext } from "./report";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

/** GitHub's scale for `security-severity` (critical ≥ 9.0, high ≥ 7.0, medium ≥ 4.0, low > 0). */
export const SECURITY_SEVERITY: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

/** The key of the fingerprint this tool computes, so that viewers can follow a finding across scans. */
export const FINGERPRINT_KEY = "serverlessGuardFinding/v1";

type SarifLevel = "error" | "warning" | "note" | "none";

function levelOf(enforcementLevel: Level | undefined): SarifLevel {
    switch (enforcementLevel) {
        case "mandatory":
        case "remediate":
            return "error";
        case "disabled":
            return "none";
        default:
            return "warning";
    }
}

/** `aws-lambda-function-url-auth` → `AwsLambdaFunctionUrlAuth` (SARIF rule names are readable identifiers, distinct from ids). */
export function ruleName(policyName: string): string {
    return policyName.split(/[^A-Za-z0-9]+/).filter(Boolean).map(w => w[0].toUpperCase() + w.slice(1)).join("");
}

/** Messages are sentences: viewers expect them to end with a period. */
function sentence(text: string): string {
    const t = text.trim();
    return /[.!?]$/.test(t) ? t : `${t}.`;
}

export function fingerprint(policyName: string, urn: string, message: string): string {
    return createHash("sha256").update(`${policyName}\u0000${urn}\u0000${message}`).digest("hex").slice(0, 32);
}

function rule(p: AnalyzerPolicy) {
    const threats = p.framework?.specification ? ` Threat model: ${p.framework.specification}.` : "";
    const remediation = p.remediationSteps?.trim() || "See the policy description.";
    const references = p.tags.filter(t => !/^(aws|azure|gcp|stack|[RP]\d)$/.test(t));
    return {
        id: p.name,
        name: ruleName(p.name),
        shortDescription: { text: sentence(p.description || p.name) },
        fullDescription: { text: sentence(`${p.description || p.name}${threats}`) },
        help: {
            text: sentence(remediation),
            markdown: [
                `**${p.description || p.name}**`,
                "",
                `Remediation: ${sentence(remediation)}`,
                ...(p.framework?.specification ? ["", `Threat model: ${p.framework.specification}.`] : []),
                ...(references.length ? ["", `References: ${references.join(", ")}.`] : []),
            ].join("\n"),
        },
        defaultConfiguration: { level: levelOf(p.enforcementLevel), ...(p.enforcementLevel === "disabled" ? { enabled: false } : {}) },
        properties: {
            ...(p.severity && SECURITY_SEVERITY[p.severity] ? { "security-severity": SECURITY_SEVERITY[p.severity] } : {}),
            ...(p.severity ? { severity: p.severity } : {}),
            tags: ["security", ...p.tags.filter(t => t !== "security")],
        },
    };
}

export function toSarif(result: RunResult, ctx: ReportContext): object {
    const policies: AnalyzerPolicy[] = [...result.policies];
    for (const d of result.diagnostics) {
        if (!policies.some(p => p.name === d.policyName)) {
            policies.push({ name: d.policyName, displayName: "", description: d.description, enforcementLevel: "advisory", severity: d.severity, tags: [], remediationSteps: "" });
        }
    }
    const ruleIndex = new Map(policies.map((p, i) => [p.name, i]));
    const byUrn = new Map<string, EngineResource>(ctx.resources.map(r => [r.urn, r]));
    const stackUrn = ctx.resources.find(r => r.type === "pulumi:pulumi:Stack")?.urn;
    const input = ctx.inputPath ? inputFileUri(ctx.inputPath, ctx.cwd) : undefined;
    const inInput = ctx.inputPath && ctx.inputText ? locateResources(ctx.inputText, ctx.resources) : new Map<string, { line: number; column: number }>();

    const fileLocation = (urn: string): FileLocation | undefined => {
        const r = byUrn.get(urn);
        const program = r?.sourcePosition ? parseSourcePosition(r.sourcePosition, ctx.sourceRoot) : undefined;
        if (program) {
            return program;
        }
        if (input) {
            return { ...input, kind: "input", ...(inInput.get(urn) ?? {}) };
        }
        return undefined;
    };

    const results = result.diagnostics.map((d: Diagnostic) => {
        const urn = d.urn || stackUrn || "";
        const resource = byUrn.get(urn);
        const detail = detailOf(d);
        const file = fileLocation(urn);
        const cantRun = isCantRun(d);
        const location: Record<string, unknown> = {};
        if (file) {
            location.physicalLocation = {
                artifactLocation: { uri: file.uri, ...(file.relative ? { uriBaseId: "%SRCROOT%" } : {}) },
                ...(file.line ? { region: { startLine: file.line, ...(file.column ? { startColumn: file.column } : {}) } } : {}),
            };
        }
        if (urn) {
            location.logicalLocations = [{ name: resource?.name ?? urn.split("::").pop(), fullyQualifiedName: urn, kind: "resource" }];
        }
        return {
            ruleId: d.policyName,
            ruleIndex: ruleIndex.get(d.policyName)!,
            // A policy that met a value unknown during preview neither passed nor failed: SARIF's
            // "open" kind, which the specification requires to have level "none".
            ...(cantRun ? { kind: "open", level: "none" } : { kind: "fail", level: isMandatory(d) ? "error" : "warning" }),
            message: { text: sentence(detail) },
            ...(Object.keys(location).length ? { locations: [location] } : {}),
            partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(d.policyName, urn, detail) },
            properties: {
                enforcementLevel: isMandatory(d) ? "mandatory" : d.enforcementLevel,
                ...(d.severity ? { severity: d.severity } : {}),
                ...(resource ? { resourceType: resource.type } : {}),
                ...(file ? { locationKind: file.kind } : {}),
            },
        };
    });

    // Levels set by the policy config (the engine's merge) differ from each policy's default:
    // SARIF records them as configuration overrides of this invocation.
    const overrides = policies
        .map((p, i) => ({ p, i, level: result.levels?.[p.name] }))
        .filter(({ p, level }) => level !== undefined && level !== p.enforcementLevel)
        .map(({ p, i, level }) => ({
            descriptor: { id: p.name, index: i },
            configuration: level === "disabled" ? { enabled: false, level: "none" } : { enabled: true, level: levelOf(level) },
        }));

    return {
        $schema: SARIF_SCHEMA_URI,
        version: "2.1.0",
        runs: [{
            tool: {
                driver: {
                    name: ctx.tool.name,
                    version: ctx.tool.version,
                    semanticVersion: ctx.tool.version,
                    informationUri: ctx.tool.informationUri,
                    rules: policies.map(rule),
                },
            },
            invocations: [{
                executionSuccessful: true,
                ...(overrides.length ? { ruleConfigurationOverrides: overrides } : {}),
            }],
            ...(input?.relative || results.some(r => (r.locations?.[0] as any)?.physicalLocation?.artifactLocation?.uriBaseId)
                ? { originalUriBaseIds: { "%SRCROOT%": { description: { text: "The directory the scan ran in, normally the repository root." } } } }
                : {}),
            results,
            columnKind: "utf16CodeUnits",
            properties: {
                ...(ctx.format ? { inputFormat: ctx.format } : {}),
                resourcesScanned: ctx.resources.length,
            },
        }],
    };
}

export function formatSarif(result: RunResult, ctx: ReportContext): string {
    return JSON.stringify(toSarif(result, ctx), null, 2) + "\n";
}
