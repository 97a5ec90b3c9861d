// SARIF 2.1.0 (OASIS), as GitHub code scanning and other SARIF viewers read it: one run, a rule per
// policy of the pack, a result per finding with the resource URN as its logical location and, when
// the input allows it, a file location.
import { createHash } from "crypto";
import { AnalyzerPolicy, Diagnostic, EngineResource, RunResult } from "./engine";
import { Level } from "./config";
import { FileLocation, inputFileUri, locateResources, parseSourcePosition } from "./locations";
import { DEFERRED_POLICY } from "../policies/lib/deferred";
import { DeferredCheck, deferredOf, deferredReason, detailOf, findingsOf, InputFailure, isMandatory, ReportContext, ScanReport } from "./report";
import { Exemption, exemptionOfDiagnostic, exemptionsOf } from "./exemptions";
import { jsonChunks, lazy, materialize } from "./stream";

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

/** An exempted finding is a suppressed result: accepted outside the code, with the exemption's reason and expiry. */
function suppression(e: Exemption) {
    return {
        kind: "external",
        status: "accepted",
        justification: `${e.reason} (exempted by ${e.source} until ${e.expires})`,
        properties: { expires: e.expires, exemptedBy: e.source },
    };
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

/** One run: the pack's rules, a result per finding and an "open" result per deferred check. */
function sarifRun(result: RunResult, ctx: ReportContext, automationId?: string): Record<string, unknown> {
    // The merged line of deferred checks is not a check: its checks become results of their own rules.
    const policies: AnalyzerPolicy[] = result.policies.filter(p => p.name !== DEFERRED_POLICY);
    const findings = findingsOf(result);
    const deferred = deferredOf(result);
    for (const d of [...findings.map(f => ({ policy: f.policyName, description: f.description, severity: f.severity })), ...deferred.map(c => ({ policy: c.policy, description: "", severity: undefined }))]) {
        if (!policies.some(p => p.name === d.policy)) {
            policies.push({ name: d.policy, displayName: "", description: d.description, enforcementLevel: "advisory", severity: d.severity, tags: [], remediationSteps: "" });
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
            // A result must point at a line: one the input does not place (the stack as a whole) points at the top of the file.
            return { ...input, kind: "input", ...(inInput.get(urn) ?? { line: 1 }) };
        }
        return undefined;
    };

    const locationOf = (urn: string) => {
        const file = fileLocation(urn);
        const resource = byUrn.get(urn);
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
        return { file, resource, location };
    };

    const findingResult = (d: Diagnostic) => {
        const urn = d.urn || stackUrn || "";
        const detail = detailOf(d);
        const { file, resource, location } = locationOf(urn);
        const exempted = exemptionOfDiagnostic(d);
        return {
            ruleId: d.policyName,
            ruleIndex: ruleIndex.get(d.policyName)!,
            kind: "fail",
            level: isMandatory(d) ? "error" : "warning",
            message: { text: sentence(detail) },
            ...(Object.keys(location).length ? { locations: [location] } : {}),
            partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(d.policyName, urn, detail) },
            ...(exempted ? { suppressions: [suppression(exempted)] } : {}),
            properties: {
                enforcementLevel: isMandatory(d) ? "mandatory" : d.enforcementLevel,
                ...(d.severity ? { severity: d.severity } : {}),
                ...(resource ? { resourceType: resource.type } : {}),
                ...(file ? { locationKind: file.kind } : {}),
            },
        };
    };
    // An exempted finding the pack answered with not-applicable: a failed result with a suppression.
    const exemptionResult = (e: Exemption) => {
        const { file, resource, location } = locationOf(e.urn);
        const policy = policies[ruleIndex.get(e.policy)!];
        const level = result.levels?.[e.policy] ?? policy.enforcementLevel;
        const detail = e.finding ?? `${e.policy} is exempted on this resource`;
        return {
            ruleId: e.policy,
            ruleIndex: ruleIndex.get(e.policy)!,
            kind: "fail",
            level: levelOf(level),
            message: { text: sentence(detail) },
            ...(Object.keys(location).length ? { locations: [location] } : {}),
            partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(e.policy, e.urn, detail) },
            suppressions: [suppression(e)],
            properties: {
                enforcementLevel: level === "remediate" ? "mandatory" : level,
                ...(policy.severity ? { severity: policy.severity } : {}),
                ...(resource ? { resourceType: resource.type } : {}),
                ...(file ? { locationKind: file.kind } : {}),
            },
        };
    };
    const exempted = exemptionsOf(result).filter(x => !x.diagnostic && ruleIndex.has(x.policy));
    // A check that waits for a value unknown during preview, or can't decide on known ones, neither
    // passed nor failed: SARIF's "open" kind ("the tool could not determine whether the result is pass
    // or fail"), which requires level "none".
    const deferredResult = (c: DeferredCheck) => {
        const urn = c.urn || stackUrn || "";
        const { file, resource, location } = locationOf(urn);
        return {
            ruleId: c.policy,
            ruleIndex: ruleIndex.get(c.policy)!,
            kind: "open",
            level: "none",
            message: { text: `Not evaluated yet: ${c.policy} ${deferredReason(c)}.` },
            ...(Object.keys(location).length ? { locations: [location] } : {}),
            partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(c.policy, urn, "deferred") },
            properties: {
                enforcementLevel: c.enforcementLevel === "remediate" ? "mandatory" : c.enforcementLevel,
                deferred: true,
                unknownProperties: c.properties,
                ...(c.cause ? { cause: c.cause } : {}),
                ...(resource ? { resourceType: resource.type } : {}),
                ...(file ? { locationKind: file.kind } : {}),
            },
        };
    };
    // Results are made as the report is written (see stream.ts).
    const results = lazy(function* () {
        for (const d of findings) {
            yield findingResult(d);
        }
        for (const e of exempted) {
            yield exemptionResult(e);
        }
        for (const c of deferred) {
            yield deferredResult(c);
        }
    });
    const relativeLocation = [...findings.map(d => d.urn), ...exempted.map(e => e.urn), ...deferred.map(c => c.urn)].some(urn => fileLocation(urn || stackUrn || "")?.relative);

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
            ...(automationId ? { automationDetails: { id: automationId } } : {}),
            tool: { driver: { ...driver(ctx.tool), rules: policies.map(rule) } },
            invocations: [{
                executionSuccessful: true,
                ...(overrides.length ? { ruleConfigurationOverrides: overrides } : {}),
            }],
            ...(input?.relative || relativeLocation
                ? { originalUriBaseIds: { "%SRCROOT%": { description: { text: "The directory the scan ran in, normally the repository root." } } } }
                : {}),
            results,
            columnKind: "utf16CodeUnits",
            properties: {
                ...(ctx.format ? { inputFormat: ctx.format } : {}),
                resourcesScanned: ctx.resources.length,
                ...(automationId && ctx.stack ? { stack: ctx.stack, ...(ctx.project ? { project: ctx.project } : {}) } : {}),
                ...(deferred.length ? { deferredChecks: deferred.length } : {}),
            },
    };
}

function driver(ctx: ReportContext["tool"]) {
    return { name: ctx.name, version: ctx.version, semanticVersion: ctx.version, informationUri: ctx.informationUri };
}

/** A run for an input that could not be scanned: no results, an unsuccessful invocation saying why. */
function failedRun(f: InputFailure, tool: ReportContext["tool"], automationId: string): Record<string, unknown> {
    return {
        automationDetails: { id: automationId },
        tool: { driver: { ...driver(tool), rules: [] } },
        invocations: [{
            executionSuccessful: false,
            toolExecutionNotifications: [{ level: "error", message: { text: sentence(`${f.input} was not scanned: ${f.message}`) } }],
        }],
        results: [],
        columnKind: "utf16CodeUnits",
        properties: { input: f.input },
    };
}

function sarifLog(result: RunResult, ctx: ReportContext): object {
    return { $schema: SARIF_SCHEMA_URI, version: "2.1.0", runs: [sarifRun(result, ctx)] };
}

export function toSarif(result: RunResult, ctx: ReportContext): object {
    return materialize(sarifLog(result, ctx));
}

/** A category per stack, as GitHub code scanning keys runs (`<tool>/<project>/<stack>/`). */
function automationId(ctx: ReportContext, index: number): string {
    const clean = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "-");
    return `${clean(ctx.tool.name)}/${ctx.stack ? `${ctx.project ? `${clean(ctx.project)}/` : ""}${clean(ctx.stack)}` : `input-${index + 1}`}/`;
}

/** Several stacks: one run per stack (each with its own automation id), and one per input that failed. */
export function toSarifScan(scan: ScanReport, tool: ReportContext["tool"]): object {
    return materialize(sarifScanLog(scan, tool));
}

/** The SARIF log of a scan, its results made as it is written (see stream.ts). */
function sarifScanLog(scan: ScanReport, tool: ReportContext["tool"]): object {
    if (scan.stacks.length === 1 && scan.failures.length === 0) {
        return sarifLog(scan.stacks[0].result, scan.stacks[0].ctx);
    }
    const ids = new Map<string, number>();
    const unique = (id: string) => {
        const n = (ids.get(id) ?? 0) + 1;
        ids.set(id, n);
        return n === 1 ? id : `${id.slice(0, -1)}-${n}/`;
    };
    return {
        $schema: SARIF_SCHEMA_URI,
        version: "2.1.0",
        runs: [
            ...scan.stacks.map((s, i) => sarifRun(s.result, s.ctx, unique(automationId(s.ctx, i)))),
            ...scan.failures.map((f, i) => failedRun(f, tool, unique(`${tool.name}/failed-input-${i + 1}/`))),
        ],
    };
}

export function formatSarif(result: RunResult, ctx: ReportContext): string {
    return [...jsonChunks(sarifLog(result, ctx)), "\n"].join("");
}

export function formatSarifScan(scan: ScanReport, tool: ReportContext["tool"]): string {
    return [...sarifScanChunks(scan, tool)].join("");
}

/** The SARIF log of a scan, in pieces as it is written. */
export function* sarifScanChunks(scan: ScanReport, tool: ReportContext["tool"]): Generator<string> {
    yield* jsonChunks(sarifScanLog(scan, tool));
    yield "\n";
}
