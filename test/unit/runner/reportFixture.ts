// A small, hand-made run result for the report writers' unit tests (no pack process involved).
import { AnalyzerPolicy, Diagnostic, EngineResource, RunResult } from "../../../runner/engine";
import { ReportContext } from "../../../runner/report";

export const STACK = "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev";
export const FN = "urn:pulumi:dev::shop::aws:lambda/function:Function::api";
export const QUEUE = "urn:pulumi:dev::shop::aws:sqs/queue:Queue::jobs";
export const URL = "urn:pulumi:dev::shop::aws:lambda/functionUrl:FunctionUrl::api-url";

function policy(name: string, severity: string, level: AnalyzerPolicy["enforcementLevel"], extra: Partial<AnalyzerPolicy> = {}): AnalyzerPolicy {
    return {
        name, displayName: "", description: `${name} description.`, enforcementLevel: level, severity,
        tags: ["aws", "R2", "OWASP SAS-1"], remediationSteps: `Fix ${name}.`,
        framework: { name: "serverless-guard threat model", version: "1", reference: "R2", specification: "R2: weak authentication" },
        ...extra,
    };
}

export const policies: AnalyzerPolicy[] = [
    policy("aws-lambda-function-url-auth", "critical", "mandatory"),
    policy("aws-lambda-function-tracing", "low", "advisory"),
    policy("aws-sqs-queue-encryption", "medium", "advisory"),
    policy("aws-lambda-function-timeout", "low", "advisory"),
    policy("stack-function-public-invocation", "high", "mandatory"),
    policy("stack-function-logging", "low", "advisory"),
];

export const resources: EngineResource[] = [
    { urn: STACK, type: "pulumi:pulumi:Stack", name: "shop-dev", props: {} },
    { urn: FN, type: "aws:lambda/function:Function", name: "api", props: {}, sourcePosition: "project:///index.ts#14,13" },
    { urn: URL, type: "aws:lambda/functionUrl:FunctionUrl", name: "api-url", props: {}, sourcePosition: "file:///home/me/shop/url.ts#3" },
    { urn: QUEUE, type: "aws:sqs/queue:Queue", name: "jobs", props: {} },
];

export function diag(policyName: string, urn: string, level: Diagnostic["enforcementLevel"], detail: string, phase: Diagnostic["phase"] = "resource"): Diagnostic {
    const p = policies.find(x => x.name === policyName)!;
    return {
        policyName, policyPackName: "serverless-guard", policyPackVersion: "0.1.0", description: p.description,
        message: `${p.description}\n${detail}`, enforcementLevel: level, severity: p.severity, urn, phase,
    };
}

export const diagnostics: Diagnostic[] = [
    diag("aws-lambda-function-url-auth", URL, "mandatory", "authorizationType is \"NONE\": the function URL is public."),
    diag("aws-sqs-queue-encryption", QUEUE, "advisory", "messages are stored <unencrypted> & \"plain\""),
    {
        ...diag("aws-lambda-function-tracing", FN, "advisory", ""),
        message: "can't run policy 'aws-lambda-function-tracing' from policy pack 'serverless-guard@v0.1.0' during preview: object value at .tracingConfig can't be known during preview",
    },
    diag("stack-function-public-invocation", FN, "mandatory", "function `api` can be invoked without authentication.", "stack"),
];

/** What the SDK answers for the type-filtered resource policies. */
const notApplicable = [
    ...resources.filter(r => r.type !== "aws:lambda/functionUrl:FunctionUrl").map(r => ({ policyName: "aws-lambda-function-url-auth", reason: "type", urn: r.urn })),
    ...resources.filter(r => r.type !== "aws:lambda/function:Function").map(r => ({ policyName: "aws-lambda-function-tracing", reason: "type", urn: r.urn })),
    ...resources.filter(r => r.type !== "aws:sqs/queue:Queue").map(r => ({ policyName: "aws-sqs-queue-encryption", reason: "type", urn: r.urn })),
    ...resources.filter(r => r.type !== "aws:lambda/function:Function").map(r => ({ policyName: "aws-lambda-function-timeout", reason: "type", urn: r.urn })),
];

export function runResult(overrides: Partial<RunResult> = {}): RunResult {
    return {
        pack: { name: "serverless-guard", version: "0.1.0" },
        policies,
        diagnostics,
        notApplicable,
        remediations: [],
        levels: Object.fromEntries(policies.map(p => [p.name, p.enforcementLevel])),
        ...overrides,
    };
}

export function context(overrides: Partial<ReportContext> = {}): ReportContext {
    return {
        tool: { name: "serverless-guard", version: "0.1.0", informationUri: "https://www.pulumi.com/docs/iac/crossguard/" },
        resources,
        inputPath: "stacks/dev.json",
        inputText: JSON.stringify({ resources: resources.map(r => ({ urn: r.urn, type: r.type })) }, null, 2),
        format: "stack-export",
        cwd: "/repo",
        now: new Date("2026-11-20T10:00:00.000Z"),
        ...overrides,
    };
}
