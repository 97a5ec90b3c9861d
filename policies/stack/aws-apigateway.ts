// API Gateway in the stack graph: routes defined by OpenAPI bodies and quick-create HTTP APIs that
// reach Lambda functions, and what protects each REST stage (throttling, WAF).
import { stackPolicy } from "../lib/define";
import { isUnknown, knownString, Node, ResourceGraph } from "../lib/graph";
import { parsePolicyDocument } from "../lib/iam";
import { asList, asNumber, at, isRecord, quote } from "../lib/values";
import { FUNCTION } from "../aws/lambda";
import { NATIVE_FUNCTION } from "../aws/views";
import { HTTP_API, lambdaOfUri, openApiRoutes, readOpenApi, resourcePolicyLimitsCallers, REST_API, restApiClosed, routeList } from "../aws/openapi";
import { METHOD_SETTINGS, REST_STAGE } from "../aws/apigateway-stages";
import type { OnUnknown, Path } from "./aws";

export const REST_API_POLICY = "aws:apigateway/restApiPolicy:RestApiPolicy";
export const USAGE_PLAN = "aws:apigateway/usagePlan:UsagePlan";
export const WEB_ACL_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation";

// Classic API Gateway resources may integrate functions of either AWS provider.
const FUNCTIONS = new Set([FUNCTION, NATIVE_FUNCTION]);
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

interface ThrottleIndex {
    /** Stage URN -> the resource that throttles it. */
    throttled: Map<string, string>;
    /** Stages that may be throttled by something whose link or limit is unknown. */
    maybe: Set<string>;
    /** Set when some method settings or usage plan names a stage that can't be known yet. */
    unlinked: boolean;
}

/**
 * Which REST stages are throttled, built once per graph: method settings for every method and usage
 * plans with throttle settings, linked by dependency or by stage name and API.
 */
function throttleIndex(g: ResourceGraph): ThrottleIndex {
    return g.remember("aws-apigateway:throttle", () => {
        const index: ThrottleIndex = { throttled: new Map(), maybe: new Set(), unlinked: false };
        const byName = new Map<string, Node[]>();
        for (const stage of g.ofType(REST_STAGE)) {
            const name = knownString(stage.props.stageName);
            if (name) {
                byName.set(name, [...(byName.get(name) ?? []), stage]);
            }
        }
        const mark = (from: Node, via: string, stageProp: string, stageName: unknown, apiProp: string, apiValue: unknown, throttled: boolean | undefined) => {
            const linked = g.deps(from, stageProp, REST_STAGES);
            const candidates = linked.length > 0 ? linked : byName.get(knownString(stageName) ?? "") ?? [];
            if (linked.length === 0 && isUnknown(stageName)) {
                index.unlinked = index.unlinked || throttled !== false;
            }
            for (const stage of candidates) {
                const same = linked.includes(stage) ? true : namesStage(g, from, stageProp, stageName, apiProp, apiValue, stage);
                if (same === false || throttled === false) {
                    continue;
                }
                if (same === true && throttled === true) {
                    index.throttled.set(stage.urn, via);
                } else {
                    index.maybe.add(stage.urn);
                }
            }
        };
        for (const ms of g.ofType(METHOD_SETTINGS)) {
            const path = ms.props.methodPath;
            if (!isUnknown(path) && path !== "*/*") {
                continue;
            }
            const rate = at(ms.props, "settings", "throttlingRateLimit");
            const throttled = isUnknown(path) || isUnknown(ms.props.settings) || isUnknown(rate) ? undefined : rateSet(rate);
            mark(ms, `MethodSettings ${quote(ms.name)}`, "stageName", ms.props.stageName, "restApi", ms.props.restApi, throttled);
        }
        for (const plan of g.ofType(USAGE_PLAN)) {
            const planRate = at(plan.props, "throttleSettings", "rateLimit");
            if (isUnknown(plan.props.apiStages)) {
                index.unlinked = index.unlinked || g.deps(plan, "apiStages", REST_STAGES).length === 0;
            }
            for (const entry of asList(plan.props.apiStages).filter(isRecord)) {
                const rates = [planRate, ...asList(entry.throttles).map(t => at(t, "rateLimit"))];
                const throttled = rates.some(rateSet) ? true : isUnknown(plan.props.throttleSettings) || rates.some(isUnknown) || isUnknown(entry.throttles) ? undefined : false;
                mark(plan, `UsagePlan ${quote(plan.name)}`, "apiStages", entry.stage, "apiStages", entry.apiId, throttled);
            }
        }
        return index;
    });
}

export const apiGatewayStackPolicies = [
    stackPolicy({
        name: "stack-aws-apigateway-throttling",
        description: "Every API Gateway REST stage should be throttled (method settings for */* or a usage plan), or one caller can drive the functions behind it to the account limit (denial of wallet).",
        severity: "medium",
        threats: ["P4"],
        remediation: "Add an aws.apigateway.MethodSettings for methodPath \"*/*\" with settings.throttlingRateLimit and throttlingBurstLimit, or a UsagePlan with throttleSettings that lists the stage.",
        check: ({ graph, report, unknown }) => {
            const index = throttleIndex(graph);
            for (const stage of graph.ofType(REST_STAGE)) {
                if (index.throttled.has(stage.urn)) {
                    continue;
                }
                if (index.maybe.has(stage.urn) || index.unlinked) {
                    unknown(stage, "throttling");
                } else {
                    report(stage.resource, `stage ${quote(stage.name)} has no throttling: no MethodSettings for "*/*" with a rate limit and no UsagePlan with throttle settings lists it.`);
                }
            }
        },
    }),

    stackPolicy({
        name: "stack-aws-apigateway-waf",
        description: "Public API Gateway REST stages should be protected by an AWS WAF web ACL that filters common attacks and floods before they reach the functions.",
        severity: "medium",
        threats: ["P1", "R1"],
        references: ["Checkov CKV2_AWS_29"],
        remediation: "Associate the stage with a WAFv2 web ACL (aws.wafv2.WebAclAssociation with resourceArn set to the stage's ARN), or exempt stages behind CloudFront with their own web ACL.",
        check: ({ graph, report, unknown }) => {
            const protectedStages = new Set<string>();
            let unlinked: Node | undefined;
            for (const a of graph.ofType(WEB_ACL_ASSOCIATION)) {
                graph.refs(a, "resourceArn", REST_STAGES).forEach(stage => protectedStages.add(stage.urn));
                if (isUnknown(a.props.resourceArn) && graph.deps(a, "resourceArn").length === 0) {
                    unlinked = unlinked ?? a;
                }
            }
            for (const stage of graph.ofType(REST_STAGE)) {
                if (protectedStages.has(stage.urn) || graph.refs(stage, "restApi", REST_APIS).some(isPrivate)) {
                    continue;
                }
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
