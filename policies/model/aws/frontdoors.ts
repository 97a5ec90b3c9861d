// How an AWS Lambda function can be invoked from outside: permissions for everyone, function URLs
// and API Gateway routes without authentication, and what caps how often it runs.
import {
    HTTP_ROUTE, METHOD_AUTHORIZATION, methodWithoutAuthorization, REST_METHOD, ROUTE_AUTHORIZATION, routeWithoutAuthorization,
} from "../../aws/apigateway";
import {
    everyoneMayInvoke, FUNCTION_URL, FUNCTION_URL_AUTH, opensUrlWithoutAuth, PERMISSION, PERMISSION_PUBLIC, PERMISSION_URL_AUTH, urlWithoutAuth,
} from "../../aws/lambda";
import { FUNCTION_URLS, NATIVE_PERMISSION, NATIVE_URL, PERMISSIONS } from "../../aws/views";
import { API_KEY_AUTH, apiKeyReach, DATA_SOURCE, GRAPHQL_API, GRAPHQL_APIS, NATIVE_DATA_SOURCE, NATIVE_GRAPHQL_API } from "../../aws/appsync";
import { isUnknown, knownString, Node, ResourceGraph } from "../../lib/graph";
import { identityFor } from "../../lib/provenance";
import { asNumber, asString, quote } from "../../lib/values";
import type { OnUnknown } from "../core";
import { apiGatewayPaths, methodThrottle, routeThrottle } from "./apigateway";
import { FUNCTIONS, HTTP_INTEGRATION, Path, REST_INTEGRATION, set } from "./types";

/** The functions a property names; a name that matches functions in several regions or accounts, with no dependency to decide, can't be told. */
function linkedFunctions(g: ResourceGraph, from: Node, property: string, onUnknown: OnUnknown): Node[] {
    const found = g.resolve(from, property, FUNCTIONS);
    if (found.undecided) {
        onUnknown(from, property, "ambiguous");
    }
    return found.nodes;
}

/** The property of a Lambda permission that names its function (`function` on aws, `functionName` on aws-native). */
export const permissionTarget = (p: Node) => (p.type === NATIVE_PERMISSION ? "functionName" : "function");

/** Ways a Lambda function can be invoked without authentication, each with the resource policy that reports it. */
export function publicInvocationPaths(g: ResourceGraph, onUnknown: OnUnknown): Path[] {
    const out: Path[] = [];
    for (const p of g.ofType(PERMISSION, NATIVE_PERMISSION)) {
        const view = PERMISSIONS[p.type].view(p.props, p.type);
        const principal = view.principal.read();
        if (isUnknown(principal)) {
            // A principal computed only from roles or users of the stack is one of them, never "*".
            if (!identityFor(g, p, "principal")) {
                onUnknown(p, "principal");
            }
            continue;
        }
        const openUrl = opensUrlWithoutAuth(view);
        if (everyoneMayInvoke(view) || openUrl) {
            for (const fn of linkedFunctions(g, p, permissionTarget(p), onUnknown)) {
                out.push({
                    fn,
                    path: `Permission ${quote(p.name)} lets ${openUrl ? "the function URL be called without authentication" : "principal \"*\" invoke it"}`,
                    reportedBy: { policy: openUrl ? PERMISSION_URL_AUTH : PERMISSION_PUBLIC, node: p },
                });
            }
        }
    }
    for (const u of g.ofType(FUNCTION_URL, NATIVE_URL)) {
        if (urlWithoutAuth(FUNCTION_URLS[u.type].view(u.props, u.type))) {
            for (const fn of linkedFunctions(g, u, u.type === NATIVE_URL ? "targetFunctionArn" : "functionName", onUnknown)) {
                out.push({
                    fn,
                    path: u.type === NATIVE_URL ? `Url ${quote(u.name)} has authType NONE` : `FunctionUrl ${quote(u.name)} has authorization type NONE`,
                    reportedBy: { policy: FUNCTION_URL_AUTH, node: u },
                });
            }
        }
    }
    for (const route of g.ofType(HTTP_ROUTE)) {
        if (isUnknown(route.props.authorizationType) || isUnknown(route.props.routeKey) || !routeWithoutAuthorization(route.props)) {
            continue;
        }
        const key = asString(route.props.routeKey) ?? "";
        for (const integration of g.refs(route, "target", set(HTTP_INTEGRATION))) {
            for (const fn of g.refs(integration, "integrationUri", FUNCTIONS)) {
                out.push({
                    fn,
                    path: `API Gateway route ${quote(key)} (${quote(route.name)}) has no authorizer and integrates it through ${quote(integration.name)}`,
                    reportedBy: { policy: ROUTE_AUTHORIZATION, node: route },
                    throttle: () => routeThrottle(g, route, key),
                });
            }
        }
    }
    for (const integration of g.ofType(REST_INTEGRATION)) {
        const fns = g.refs(integration, "uri", FUNCTIONS);
        if (fns.length === 0) {
            continue;
        }
        const method = asString(integration.props.httpMethod)?.toUpperCase();
        const resources = new Set((integration.resource.propertyDependencies?.resourceId ?? []).map(r => r.urn));
        for (const m of g.ofType(REST_METHOD)) {
            const sameResource = (m.resource.propertyDependencies?.resourceId ?? []).some(r => resources.has(r.urn))
                || (knownString(m.props.resourceId) !== undefined && m.props.resourceId === integration.props.resourceId);
            if (sameResource && asString(m.props.httpMethod)?.toUpperCase() === method && !isUnknown(m.props.authorization) && methodWithoutAuthorization(m.props)) {
                for (const fn of fns) {
                    out.push({
                        fn,
                        path: `REST method ${quote(method ?? "")} (${quote(m.name)}) has authorization NONE and integrates it through ${quote(integration.name)}`,
                        reportedBy: { policy: METHOD_AUTHORIZATION, node: m },
                        throttle: () => methodThrottle(g, m, method ?? ""),
                    });
                }
            }
        }
    }
    out.push(...apiGatewayPaths(g, onUnknown));
    out.push(...appSyncPaths(g, onUnknown));
    return out;
}

const GRAPHQL = set(GRAPHQL_API, NATIVE_GRAPHQL_API);

/**
 * Lambda data sources of AppSync APIs that take an API key alone: anyone with the key, which every
 * client carries, runs the resolvers and so the functions. What aws-appsync-api-key-auth reports on the API.
 */
function appSyncPaths(g: ResourceGraph, onUnknown: OnUnknown): Path[] {
    const out: Path[] = [];
    for (const source of g.ofType(DATA_SOURCE, NATIVE_DATA_SOURCE)) {
        if (isUnknown(source.props.type)) {
            onUnknown(source, "type");
            continue;
        }
        if (asString(source.props.type)?.trim().toUpperCase() !== "AWS_LAMBDA") {
            continue;
        }
        for (const api of g.refs(source, "apiId", GRAPHQL)) {
            const view = GRAPHQL_APIS[api.type].view(api.props, api.type);
            const unknownAt = [view.authenticationType, view.additionalProviders, view.visibility].find(f => isUnknown(f.read()));
            if (unknownAt) {
                onUnknown(api, unknownAt.where);
                continue;
            }
            if (apiKeyReach(view) !== "alone") {
                continue;
            }
            for (const fn of linkedFunctions(g, source, "lambdaConfig", onUnknown)) {
                out.push({
                    fn,
                    path: `GraphQL API ${quote(api.name)} takes an API key alone and resolves through its Lambda data source ${quote(source.name)}`,
                    reportedBy: { policy: API_KEY_AUTH, node: api },
                });
            }
        }
    }
    return out;
}

/** Whether a function's concurrency is capped; undefined when that can't be known yet. */
export function concurrencyCapped(fn: Node): boolean | undefined {
    const v = fn.props.reservedConcurrentExecutions;
    if (isUnknown(v)) {
        return undefined;
    }
    const n = asNumber(v);
    return n !== undefined && n >= 0;
}
