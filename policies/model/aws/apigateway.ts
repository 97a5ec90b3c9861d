// API Gateway in the stack graph: routes defined by OpenAPI bodies and quick-create HTTP APIs that
// reach Lambda functions, and what protects each REST stage (throttling, WAF).
import { HTTP_STAGE, METHOD_SETTINGS, namesStage, REST_APIS, REST_STAGE, REST_STAGES } from "../../aws/apigateway-stages";
import { QUICK_CREATE, routeThrottled } from "../../aws/apigatewayv2";
import {
    HTTP_API, lambdaOfUri, OPENAPI_AUTHORIZATION, openApiRoutes, resourcePolicyLimitsCallers, REST_API, restApiClosed, routeList, unauthenticatedOperations,
} from "../../aws/openapi";
import { readOpenApi } from "../../lib/openapi";
import { isUnknown, knownString, Node, ResourceGraph } from "../../lib/graph";
import { parsePolicyDocument } from "../../lib/iam";
import { asList, asNumber, at, isRecord, quote } from "../../lib/values";
import type { OnUnknown } from "../core";
import { FUNCTIONS, Path, Throttle } from "./types";

export const REST_API_POLICY = "aws:apigateway/restApiPolicy:RestApiPolicy";
export const USAGE_PLAN = "aws:apigateway/usagePlan:UsagePlan";
export const WEB_ACL_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation";
export const REST_RESOURCE = "aws:apigateway/resource:Resource";

// Classic API Gateway resources may integrate functions of either AWS provider.

export { REST_APIS, REST_STAGES };
const REST_RESOURCES = new Set([REST_RESOURCE]);
const HTTP_APIS = new Set([HTTP_API]);

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
                out.push({ fn, path: `${label} ${quote(api.name)} is a quick-create API whose route sends every request to it without an authorizer`, reportedBy: { policy: QUICK_CREATE, node: api } });
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
        // Every route found here is one aws-apigateway-openapi-authorization reports on the API.
        const open = unauthenticatedOperations(openApiRoutes(doc)).filter(o => o.integrationUri);
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
            out.push({
                fn,
                path: `OpenAPI route${routes.length > 1 ? "s" : ""} ${routeList(routes)} of ${label} ${quote(api.name)} ${routes.length > 1 ? "have" : "has"} no authentication and integrate${routes.length > 1 ? "" : "s"} it`,
                reportedBy: { policy: OPENAPI_AUTHORIZATION, node: api },
                throttle: () => allThrottled(routes.map(route => {
                    const [verb, ...rest] = route.split(" ");
                    return api.type === HTTP_API ? httpRouteThrottle(g, api, route) : restMethodThrottle(g, api, rest.join(" "), verb);
                })),
            });
        }
    }
    return out;
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
export function throttleIndex(g: ResourceGraph): ThrottleIndex {
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



const NO_THROTTLE: Throttle = { capped: false };

/** Several throttles that must all hold: false wins over unknown, unknown over true. */
function allThrottled(throttles: Throttle[]): Throttle {
    return throttles.find(t => t.capped === false) ?? throttles.find(t => t.capped === undefined) ?? throttles[0] ?? NO_THROTTLE;
}

/** Whether every stage of an HTTP API in the stack throttles a route (its routeSettings entry or the stage default). */
function httpRouteThrottle(g: ResourceGraph, api: Node, routeKey: string): Throttle {
    const stages = g.referrers(api, "apiId", [HTTP_STAGE]);
    return stages.length === 0 ? NO_THROTTLE : allThrottled(stages.map(stage => {
        const capped = routeThrottled(stage.props, routeKey);
        return { capped, at: { node: stage, property: capped === undefined ? "routeSettings" : "defaultRouteSettings" } };
    }));
}

/** The throttle of an API Gateway v2 route that integrates a function: every stage of the route's API. */
export function routeThrottle(g: ResourceGraph, route: Node, routeKey: string): Throttle {
    return allThrottled(g.refs(route, "apiId", HTTP_APIS).map(api => httpRouteThrottle(g, api, routeKey)));
}

/** A REST resource's path ("/orders/{id}"): its `path` output, or its pathPart under its parents; undefined when unknown. */
function resourcePath(g: ResourceGraph, resource: Node, depth = 0): string | undefined {
    const own = knownString(resource.props.path);
    const part = knownString(resource.props.pathPart);
    if (own !== undefined || part === undefined || depth > 32) {
        return own;
    }
    const [parent] = g.refs(resource, "parentId", REST_RESOURCES);
    const above = parent ? resourcePath(g, parent, depth + 1) : g.refs(resource, "parentId", REST_APIS).length > 0 ? "" : undefined;
    return above === undefined ? undefined : `${above.replace(/\/$/, "")}/${part}`;
}

/** The resource path of a REST method: its resource's, or "/" when it hangs on the API's root resource. */
export function methodResourcePath(g: ResourceGraph, method: Node): string | undefined {
    const [resource] = g.refs(method, "resourceId", REST_RESOURCES);
    if (resource) {
        return resourcePath(g, resource);
    }
    return g.refs(method, "resourceId", REST_APIS).length > 0 ? "/" : undefined;
}

/** A MethodSettings methodPath as "<resource path>/<VERB>", e.g. "orders/GET" or "~1/GET" for the root, normalized to "/orders/GET". */
function normalizedMethodPath(methodPath: string): string {
    const p = methodPath.trim().replace(/~1/g, "/");
    return p.startsWith("/") ? p : `/${p}`;
}

/**
 * Whether every stage of a REST API in the stack throttles one method: "*\/*" method settings or a
 * usage plan for the stage (see throttleIndex), or method settings for this method's own path.
 */
function restMethodThrottle(g: ResourceGraph, api: Node, path: string | undefined, verb: string): Throttle {
    const stages = g.referrers(api, "restApi", [REST_STAGE]);
    const index = throttleIndex(g);
    const wanted = path === undefined ? undefined : `${path.replace(/\/$/, "")}/${verb.toUpperCase()}`.replace(/^\/?/, "/");
    return stages.length === 0 ? NO_THROTTLE : allThrottled(stages.map((stage): Throttle => {
        if (index.throttled.has(stage.urn)) {
            return { capped: true, at: { node: stage, property: "throttling" } };
        }
        let undecided = index.maybe.has(stage.urn) || index.unlinked;
        for (const ms of g.ofType(METHOD_SETTINGS)) {
            const methodPath = ms.props.methodPath;
            if (methodPath === "*/*") {
                continue; // stage-wide: in the index
            }
            const rate = at(ms.props, "settings", "throttlingRateLimit");
            const same = namesStage(g, ms, "stageName", ms.props.stageName, "restApi", ms.props.restApi, stage);
            if (same === false) {
                continue;
            }
            if (isUnknown(methodPath) || wanted === undefined || isUnknown(ms.props.settings) || isUnknown(rate)) {
                undecided = true;
            } else if (knownString(methodPath) !== undefined && normalizedMethodPath(methodPath as string) === wanted && rateSet(rate)) {
                if (same === true) {
                    return { capped: true, at: { node: ms, property: "settings.throttlingRateLimit" } };
                }
                undecided = true;
            }
        }
        return undecided ? { capped: undefined, at: { node: stage, property: "throttling" } } : NO_THROTTLE;
    }));
}

/** The throttle of a REST method that integrates a function: every stage of the method's API. */
export function methodThrottle(g: ResourceGraph, method: Node, verb: string): Throttle {
    const path = methodResourcePath(g, method);
    return allThrottled(g.refs(method, "restApi", REST_APIS).map(api => restMethodThrottle(g, api, path, verb)));
}



export function isPrivate(api: Node): boolean {
    return asList(at(api.props, "endpointConfiguration", "types")).some(t => typeof t === "string" && t.toUpperCase() === "PRIVATE");
}
