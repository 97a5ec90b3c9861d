// Pulumi engine events, as the CLI writes them one JSON object per line: `--event-log <file>` for
// `pulumi preview`/`up`, standard output for `pulumi policy analyze --json`. The end-to-end tier reads
// policy results from these events rather than from the CLI's human-readable output.

export interface PolicyEvent {
    resourceUrn?: string;
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    enforcementLevel: string;
    severity?: string;
    message: string;
}

export interface PolicyRemediationEvent {
    resourceUrn: string;
    policyName: string;
    policyPackName: string;
    before: Record<string, unknown>;
    after: Record<string, unknown>;
}

/** policyAnalyzeSummaryEvent (per resource) and policyAnalyzeStackSummaryEvent (resourceUrn absent). */
export interface PolicySummary { resourceUrn?: string; policyPackName: string; passed?: string[]; failed?: string[] }

export interface SummaryEvent {
    result?: string;
    isPreview?: boolean;
    resourceChanges?: Record<string, number>;
    /** `<pack name>[|local|<path>]` → version. */
    PolicyPacks?: Record<string, string>;
}

/** A resource step about to happen (`resourcePreEvent`), with the inputs the engine will use. */
export interface ResourceStep { op: string; urn: string; type: string; inputs: Record<string, unknown> }

export interface Diagnostic { urn?: string; severity?: string; prefix?: string; message: string }

export interface EngineEvents {
    policy: PolicyEvent[];
    remediations: PolicyRemediationEvent[];
    summaries: PolicySummary[];
    stackSummaries: PolicySummary[];
    steps: ResourceStep[];
    diagnostics: Diagnostic[];
    summary?: SummaryEvent;
}

export function parseEngineEvents(text: string): EngineEvents {
    const events: EngineEvents = { policy: [], remediations: [], summaries: [], stackSummaries: [], steps: [], diagnostics: [] };
    for (const line of text.split("\n")) {
        if (line.trim() === "") {
            continue;
        }
        const e = JSON.parse(line);
        if (e.policyEvent) {
            events.policy.push(e.policyEvent);
        } else if (e.policyRemediationEvent) {
            events.remediations.push(e.policyRemediationEvent);
        } else if (e.policyAnalyzeSummaryEvent) {
            events.summaries.push(e.policyAnalyzeSummaryEvent);
        } else if (e.policyAnalyzeStackSummaryEvent) {
            events.stackSummaries.push(e.policyAnalyzeStackSummaryEvent);
        } else if (e.resourcePreEvent) {
            const m = e.resourcePreEvent.metadata;
            events.steps.push({ op: m.op, urn: m.urn, type: m.type, inputs: m.new?.inputs ?? {} });
        } else if (e.diagnosticEvent) {
            events.diagnostics.push(e.diagnosticEvent);
        } else if (e.summaryEvent) {
            events.summary = e.summaryEvent;
        }
    }
    return events;
}

/** The resource name at the end of a URN (`…::orders-role` → `orders-role`); "" for none. */
export function resourceName(urn: string | undefined): string {
    return (urn ?? "").split("::").pop() ?? "";
}

/** `<resource name>|<policy>` for each event (of the given level), sorted and de-duplicated. */
export function findingKeys(events: PolicyEvent[], level?: string): string[] {
    return [...new Set(events.filter(e => !level || e.enforcementLevel === level).map(e => `${resourceName(e.resourceUrn)}|${e.policyName}`))].sort();
}
