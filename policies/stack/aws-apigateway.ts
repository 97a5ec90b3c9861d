// API Gateway in the stack graph: routes defined by OpenAPI bodies and quick-create HTTP APIs that
// reach Lambda functions, and what protects each REST stage (throttling, WAF).
import { stackPolicy } from "../lib/define";
import { isUnknown, knownString, Node, ResourceGraph } from "../lib/graph";
import { parsePolicyDocument } from "../lib/iam";
import { asList, asNumber, at, isRecord, quote } from "../lib/values";
import { FUNCTION } from "../aws/lambda";
import { HTTP_API, lambdaOfUri, openApiRoutes, readOpenApi, resourcePolicyLimitsCallers, REST_API, restApiClosed, routeList } from "../aws/openapi";
import { METHOD_SETTINGS, REST_STAGE } from "../aws/apigateway-stages";
import type { OnUnknown, Path } from "./aws";

export const REST_API_POLICY = "aws:apigateway/restApiPolicy:RestApiPolicy";
export const USAGE_PLAN = "aws:apigateway/usagePlan:UsagePlan";
export const WEB_ACL_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation";

const FUNCTIONS = new Set([FUNCTION]);
const REST_APIS = new Set([REST_API]);
const REST_STAGES = new Set([REST_STAGE]);

/** Why a REST API is closed to the internet, following separate RestApiPolicy resources too; undefined when open or unknown. */
function closedReason(g: ResourceGraph, api: Node, onUnknown: OnUnknown): string | undefined | "unknown" {
    for (const key of ["endpointConfiguration", "policy"]) {
        if (isUnknown(api.props[key]) || (key === "endpointConfiguration" && isUnknown(at(api.props, key, "types")))) {
            onUnknown(api, key);
            return "unknown";
        }
    }
    const own = restApiClosed(api.props);
    if (own) {
        return own;
    }
    for (const rp of g.referrers(api, "restApiId", [REST_API_POLICY])) {
        if (isUnknown(rp.props.policy)) {
            onUnknown(rp, "policy");
            return "unknown";
        }
        const doc = parsePolicyDocument(rp.props.policy);
        if (!doc.error && resourcePolicyLimitsCallers(doc)) {
            return `RestApiPolicy ${quote(rp.name)} limits callers`;
        }
    }
    return undefined;
}

/** Unauthenticated routes to Lambda functions defined by OpenAPI bodies and quick-create HTTP APIs. */
export function apiGatewayPaths(g: ResourceGraph, onUnknown: OnUnknown): Path[] {
    const out: Path[] = [];
    for (const api of g.ofType(REST_API, HTTP_API)) {
        const label = api.type === REST_API ? "REST API" : "HTTP API";
        if (api.type === HTTP_API && (isUnknown(api.props.target) || knownString(api.props.target))) {
            const fns = g.refs(api, "target", FUNCTIONS);
            if (fns.length === 0 && isUnknown(api.props.target)) {
                onUnknown(api, "target");
            }
            for (const fn of fns) {
                out.push({ fn, path: `${label} ${quote(api.name)} is a quick-create API whose route sends every request to it without an authorizer` });
            }
            continue;
        }
        const body = api.props.body;
        if (isUnknown(body)) {
            onUnknown(api, "body");
            continue;
        }
        const doc = knownString(body) ? readOpenApi(body) : undefined;
        if (!doc) {
            continue; // no body, or one that can't be read: aws-apigateway-openapi-authorization says so
        }
        const open = openApiRoutes(doc).operations.filter(o => o.gap !== undefined && o.integrationUri);
        if (open.length === 0 || (api.type === REST_API && closedReason(g, api, onUnknown) !== undefined)) {
            continue;
        }
        const byFunction = new Map<Node, string[]>();
        for (const op of open) {
            const arn = lambdaOfUri(op.integrationUri!);
            for (const fn of arn ? g.lookup(arn, FUNCTIONS) : []) {
                byFunction.set(fn, [...(byFunction.get(fn) ?? []), op.route]);
            }
        }
        for (const [fn, routes] of byFunction) {
            out.push({ fn, path: `OpenAPI route${routes.length > 1 ? "s" : ""} ${routeList(routes)} of ${label} ${quote(api.name)} ${routes.length > 1 ? "have" : "has"} no authentication and integrate${routes.length > 1 ? "" : "s"} it` });
        }
    }
    return out;
}

/** Whether `from` (method settings, a usage plan's stage entry) names `stage`: true, false, or undefined when unknown. */
function namesStage(g: ResourceGraph, from: Node, stageProp: string, stageName: unknown, apiProp: string, apiValue: unknown, stage: Node): boolean | undefined {
    if (g.deps(from, stageProp, REST_STAGES).includes(stage)) {
        return true;
    }
    const own = knownString(stage.props.stageName);
    if (isUnknown(stageName) || own === undefined) {
        return isUnknown(stageName) || isUnknown(stage.props.stageName) ? undefined : false;
    }
    if (knownString(stageName) !== own) {
        return false;
    }
    const apis = g.refs(from, apiProp, REST_APIS);
    const stageApis = g.refs(stage, "restApi", REST_APIS);
    if (apis.length > 0 && stageApis.length > 0) {
        return apis.some(a => stageApis.includes(a));
    }
    if (knownString(apiValue) && knownString(stage.props.restApi)) {
        return apiValue === stage.props.restApi;
    }
    return undefined;
}

const rateSet = (value: unknown) => (asNumber(value) ?? -1) >= 0;

/** How a REST stage is throttled: the resource that throttles it, undefined when unknown, null when nothing does. */
function restStageThrottle(g: ResourceGraph, stage: Node): string | null | undefined {
    let maybe = false;
    for (const ms of g.ofType(METHOD_SETTINGS)) {
        const same = namesStage(g, ms, "stageName", ms.props.stageName, "restApi", ms.props.restApi, stage);
        const rate = at(ms.props, "settings", "throttlingRateLimit");
        if (same === false || (!isUnknown(ms.props.methodPath) && ms.props.methodPath !== "*/*")) {
            continue;
        }
        if (isUnknown(ms.props.methodPath) || isUnknown(rate) || isUnknown(ms.props.settings)) {
            maybe = true;
            continue;
        }
        if (rateSet(rate)) {
            if (same === true) {
                return `MethodSettings ${quote(ms.name)}`;
            }
            maybe = true;
        }
    }
    for (const plan of g.ofType(USAGE_PLAN)) {
        const planRate = at(plan.props, "throttleSettings", "rateLimit");
        const entries = asList(plan.props.apiStages);
        if (isUnknown(plan.props.apiStages)) {
            maybe = true;
            continue;
        }
        for (const entry of entries) {
            if (!isRecord(entry)) {
                continue;
            }
            const same = g.deps(plan, "apiStages", REST_STAGES).includes(stage) && (knownString(entry.stage) === undefined || entry.stage === stage.props.stageName)
                ? true
                : namesStage(g, plan, "apiStages", entry.stage, "apiStages", entry.apiId, stage);
            if (same === false) {
                continue;
            }
            const throttled = rateSet(planRate) || asList(entry.throttles).some(t => rateSet(at(t, "rateLimit")));
            const unknownRate = isUnknown(planRate) || isUnknown(plan.props.throttleSettings) || isUnknown(entry.throttles);
            if (throttled && same === true) {
                return `UsagePlan ${quote(plan.name)}`;
            }
            maybe = maybe || throttled || unknownRate;
        }
    }
    return maybe ? undefined : null;
}

export const apiGatewayStackPolicies = [
    stackPolicy({
        name: "stack-aws-apigateway-throttling",
        description: "Every API Gateway REST stage should be throttled (method settings for */* or a usage plan), or one caller can drive the functions behind it to the account limit (denial of wallet).",
        severity: "medium",
        threats: ["P4"],
        remediation: "Add an aws.apigateway.MethodSettings for methodPath \"*/*\" with settings.throttlingRateLimit and throttlingBurstLimit, or a UsagePlan with throttleSettings that lists the stage.",
        check: ({ graph, report, unknown }) => {
            for (const stage of graph.ofType(REST_STAGE)) {
                const via = restStageThrottle(graph, stage);
                if (via === null) {
                    report(stage.resource, `stage ${quote(stage.name)} has no throttling: no MethodSettings for "*/*" with a rate limit and no UsagePlan with throttle settings lists it.`);
                } else if (via === undefined) {
                    unknown(stage, "throttling");
                }
            }
        },
    }),

    stackPolicy({
        name: "stack-aws-apigateway-waf",
        description: "Public API Gateway REST stages should be protected by an AWS WAF web ACL that filters common attacks and floods before they reach the functions.",
        severity: "medium",
        threats: ["P1", "R1"],
        references: ["CIS AWS Compute (API Gateway WAF)"],
        remediation: "Associate the stage with a WAFv2 web ACL (aws.wafv2.WebAclAssociation with resourceArn set to the stage's ARN), or exempt stages behind CloudFront with their own web ACL.",
        check: ({ graph, report, unknown }) => {
            const associations = graph.ofType(WEB_ACL_ASSOCIATION);
            for (const stage of graph.ofType(REST_STAGE)) {
                const apis = graph.refs(stage, "restApi", REST_APIS);
                if (apis.some(api => isPrivate(api))) {
                    continue;
                }
                if (associations.some(a => graph.refs(a, "resourceArn", REST_STAGES).includes(stage))) {
                    continue;
                }
                const unlinked = associations.find(a => isUnknown(a.props.resourceArn) && graph.deps(a, "resourceArn").length === 0);
                if (unlinked) {
                    unknown(unlinked, "resourceArn");
                    continue;
                }
                report(stage.resource, `stage ${quote(stage.name)} has no WAF web ACL association; associate one with aws.wafv2.WebAclAssociation.`);
            }
        },
    }),
];

function isPrivate(api: Node): boolean {
    return asList(at(api.props, "endpointConfiguration", "types")).some(t => typeof t === "string" && t.toUpperCase() === "PRIVATE");
}
