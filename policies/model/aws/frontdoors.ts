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
import { Behavior, DISTRIBUTION, DISTRIBUTIONS, DistributionView, NATIVE_DISTRIBUTION, Origin, targetOrigins } from "../../aws/cloudfront";
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
    const fronted = cloudFrontFronts(g, onUnknown);
    for (const u of g.ofType(FUNCTION_URL, NATIVE_URL)) {
        if (urlWithoutAuth(FUNCTION_URLS[u.type].view(u.props, u.type))) {
            // Behind a distribution, the URL itself stays a second door that skips the distribution's filters.
            const cdns = [...new Set(fronted.filter(f => f.url === u).map(f => f.distribution))];
            const bypass = cdns.length > 0 ? `, a door around CloudFront distribution ${cdns.map(d => quote(d.name)).join(", ")} in front of it` : "";
            for (const fn of linkedFunctions(g, u, urlTarget(u), onUnknown)) {
                out.push({
                    fn,
                    path: `${u.type === NATIVE_URL ? `Url ${quote(u.name)} has authType NONE` : `FunctionUrl ${quote(u.name)} has authorization type NONE`}${bypass}`,
                    reportedBy: { policy: FUNCTION_URL_AUTH, node: u },
                });
            }
        }
    }
    out.push(...cloudFrontPaths(g, fronted, onUnknown));
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

const URLS = set(FUNCTION_URL, NATIVE_URL);
/** The property of a function URL that names its function. */
const urlTarget = (u: Node) => (u.type === NATIVE_URL ? "targetFunctionArn" : "functionName");

/** A function URL that a distribution sends requests to, through which origin (undefined when its domain is computed and several origins could be it). */
interface Fronted {
    distribution: Node;
    view: DistributionView;
    url: Node;
    origin?: Origin;
    /** Whether the origin's requests are signed by an origin access control; undefined when that can't be told. */
    signed: boolean | undefined;
}

/** The host a function URL answers on, from its known `functionUrl` output. */
function urlHost(u: Node): string | undefined {
    const url = knownString(u.props.functionUrl);
    return url?.trim().replace(/^https:\/\//i, "").replace(/\/.*$/, "").toLowerCase() || undefined;
}

/**
 * The function URLs of the stack each distribution fronts: an origin whose known domain is the URL's
 * host, or, when origin domains are computed during preview, the URLs the origins are computed from.
 */
function cloudFrontFronts(g: ResourceGraph, onUnknown: OnUnknown): Fronted[] {
    const out: Fronted[] = [];
    const urls = g.ofType(FUNCTION_URL, NATIVE_URL);
    if (urls.length === 0) {
        return out;
    }
    const hosts = new Map(urls.map(u => [urlHost(u), u]));
    for (const distribution of g.ofType(DISTRIBUTION, NATIVE_DISTRIBUTION)) {
        const view = DISTRIBUTIONS[distribution.type].view(distribution.props, distribution.type);
        const origins = view.origins();
        // A function URL is a custom origin (an S3 origin's computed domain is not one of these).
        const computed = origins.filter(o => o.domain.isUnknown() && o.customConfig.isSet());
        if (origins.length === 0 && g.deps(distribution, view.originsProperty, URLS).length > 0) {
            // The origins are computed as a whole from function URLs: which one and how it is signed can't be told yet.
            onUnknown(distribution, view.originsProperty);
            continue;
        }
        const byDomain = new Set<Node>();
        for (const origin of origins) {
            const domain = origin.domain.isUnknown() ? undefined : asString(origin.domain.read())?.trim().replace(/^https:\/\//i, "").replace(/\/$/, "").toLowerCase();
            const url = domain ? hosts.get(domain) : undefined;
            if (url) {
                byDomain.add(url);
                out.push({ distribution, view, url, origin, signed: origin.originAccessControl.isSet() });
            }
        }
        if (computed.length > 0) {
            for (const url of g.deps(distribution, view.originsProperty, URLS).filter(u => !byDomain.has(u))) {
                // One computed origin is this URL's; among several, it is signed only if every one of them is.
                const signed = computed.map(o => o.originAccessControl.isSet());
                const decided = signed.every(x => x) ? true : signed.every(x => !x) ? false : undefined;
                if (decided === undefined) {
                    onUnknown(distribution, view.originsProperty, "ambiguous");
                }
                out.push({ distribution, view, url, origin: computed.length === 1 ? computed[0] : undefined, signed: decided });
            }
        }
    }
    return out;
}

/**
 * Whether the behaviors that can send requests to `origin` (every behavior when it can't be told)
 * authenticate viewers or filter them: a web ACL, signed URLs or cookies (trusted key groups or
 * signers), or a viewer-request Lambda@Edge function or CloudFront Function, which may check a token.
 * Undefined when an association's event type is computed.
 */
function viewersChecked(view: DistributionView, origin: Origin | undefined): { checked: boolean | undefined; at?: string } {
    if (view.webAclId.isSet()) {
        return { checked: true };
    }
    const id = origin && !origin.id.isUnknown() ? asString(origin.id.read()) : undefined;
    const all = view.behaviors().filter(b => !b.isUnknown());
    const behaviors = id === undefined ? all : all.filter(b => b.targetOriginId.isUnknown() || targetOrigins(view, b).some(o => asString(o.id.read()) === id));
    if (behaviors.length === 0 && !view.behaviorsUnknown()) {
        return { checked: false };
    }
    const guarded = (b: Behavior): boolean | string => {
        if (b.trustedKeyGroups.isSet() || b.trustedSigners.isSet()) {
            return true;
        }
        for (const a of [...b.edgeFunctions(), ...b.cloudFrontFunctions()]) {
            if (a.eventType.isUnknown()) {
                return a.eventType.where;
            }
            if ((asString(a.eventType.read()) ?? "").trim().toLowerCase() === "viewer-request") {
                return true;
            }
        }
        return false;
    };
    const results = behaviors.map(guarded);
    // A behavior unknown as a whole may be one more that checks no viewer.
    const undecided = results.find((r): r is string => typeof r === "string") ?? (view.behaviorsUnknown() ? view.behaviorProperties.join(", ") : undefined);
    if (results.some(r => r === false)) {
        return { checked: false };
    }
    return undecided ? { checked: undefined, at: undecided } : { checked: true };
}

/**
 * Functions anyone can invoke through a distribution: its origin is a function URL taking AWS_IAM,
 * which the distribution's origin access control signs for every viewer, and the distribution checks
 * no viewer. A CDN in front of a function is a normal design: the path is public by design (its lines
 * stay advisory), and no resource policy reports it (aws-cloudfront-waf reports a missing web ACL as
 * such, not the function it exposes).
 */
function cloudFrontPaths(g: ResourceGraph, fronted: Fronted[], onUnknown: OnUnknown): Path[] {
    const out: Path[] = [];
    for (const f of fronted) {
        const auth = FUNCTION_URLS[f.url.type].view(f.url.props, f.url.type).authType;
        if (auth.isUnknown()) {
            onUnknown(f.url, auth.where);
            continue;
        }
        // AWS_IAM without a signing origin access control: CloudFront's requests are refused, no path.
        if ((asString(auth.read()) ?? "NONE").trim().toUpperCase() !== "AWS_IAM" || f.signed !== true) {
            continue;
        }
        const { checked, at: unknownAt } = viewersChecked(f.view, f.origin);
        if (checked === undefined) {
            onUnknown(f.distribution, unknownAt ?? f.view.originsProperty);
            continue;
        }
        if (checked) {
            continue;
        }
        const originText = f.origin ? ` (origin ${quote(asString(f.origin.id.read()) ?? f.origin.where)})` : "";
        const label = f.url.type === NATIVE_URL ? "Url" : "FunctionUrl";
        for (const fn of linkedFunctions(g, f.url, urlTarget(f.url), onUnknown)) {
            out.push({
                fn,
                path: `CloudFront distribution ${quote(f.distribution.name)} signs any viewer's request to ${label} ${quote(f.url.name)}${originText} with its origin access control and checks no viewer (no web ACL, trusted key group or viewer-request function)`,
                byDesign: "the URL's AWS_IAM authenticates the distribution, not the viewer: if the function is not meant to be public, require signed URLs or cookies, or check a token in a viewer-request function",
            });
        }
    }
    return out;
}

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
