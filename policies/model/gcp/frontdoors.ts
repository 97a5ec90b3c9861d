// How a function or Cloud Run service can be invoked from outside: invoker IAM for allUsers or
// allAuthenticatedUsers on the function or its service, Cloud Run's invoker IAM check disabled, and
// what caps its instances. Gen-2 functions' own services are linked to their function; the Cloud Run
// services are those a program declares itself.
import { INVOKER_ROLES } from "../../data/gcp";
import { CLOUD_RUN_FIELDS, CLOUD_RUN_SERVICES, CLOUD_RUN_V1, CLOUD_RUN_V2, INVOKER_IAM_DISABLED, showPath } from "../../gcp/cloudrun";
import { roleName } from "../../gcp/common";
import { DEFAULT_INSTANCE_CEILING, defaultMaxInstances, FUNCTION_V1, FUNCTION_V2, httpReachable } from "../../gcp/functions";
import { isUnknown, knownString, Node, ResourceGraph } from "../../lib/graph";
import { ReportedBy } from "../../lib/reported";
import { asBoolean, asList, asNumber, asString, at, quote, trimTrailingSlashes } from "../../lib/values";
import { API_CONFIG, backendAddresses, configRoutes, openFunctionRoutes, ROUTE_NO_AUTH } from "../../gcp/apigateway";
import type { OnUnknown } from "../core";
import { grantsOf, IamGrant, OWNER_EDITOR } from "./grants";
import { byName, className, fieldPath, FUNCTION_IAM_TYPES, FUNCTION_PUBLIC_ACCESS, GCP_FUNCTIONS, read, set } from "./types";

// ---------------------------------------------------------------------------------------------
// Public invocation

/** Roles that let the holder invoke a function or its Cloud Run service. */
export const INVOKE_ROLES = [...INVOKER_ROLES, "roles/cloudfunctions.admin", "roles/cloudfunctions.developer", "roles/run.admin", "roles/run.developer", ...OWNER_EDITOR];

/** The property of each invoker IAM type that names its function or Cloud Run service. */
function invokerTarget(type: string): { property: string; run: boolean } {
    if (type.startsWith("gcp:cloudrunv2/")) { return { property: "name", run: true }; }
    if (type.startsWith("gcp:cloudrun/")) { return { property: "service", run: true }; }
    return { property: "cloudFunction", run: false };
}

/** Functions an invoker IAM resource applies to: the function itself, or a gen-2 function's Cloud Run service. */
export function invokedFunctions(g: ResourceGraph, iam: Node, onUnknown: OnUnknown): Node[] {
    const { property, run } = invokerTarget(iam.type);
    const value = iam.props[property];
    if (isUnknown(value)) {
        const found = g.deps(iam, property, run ? set(FUNCTION_V2) : set(...GCP_FUNCTIONS));
        if (found.length === 0 && g.deps(iam, property).length === 0) {
            onUnknown(iam, property);
        }
        return found;
    }
    const known = knownString(value);
    if (!known) {
        return [];
    }
    return byName(g, iam, property, run || iam.type.startsWith("gcp:cloudfunctionsv2/") ? [FUNCTION_V2] : [FUNCTION_V1], known, onUnknown);
}

/** The functions among `fns` that requests can reach (an invoker grant on an event-only gen-1 function is inert). */
export function reachableOverHttp(fns: Node[], onUnknown: OnUnknown): Node[] {
    return fns.filter(fn => {
        const reachable = httpReachable(fn.type, fn.props);
        if (reachable === undefined) {
            onUnknown(fn, "triggerHttp");
        }
        return reachable === true;
    });
}

export interface GcpPublicPath {
    fn: Node;
    path: string;
    reportedBy?: ReportedBy;
}

/**
 * What an IAM resource grants, among `roles`, to the members `broad` describes (it returns why a
 * member is broad, e.g. "allUsers"), one "grants `role` to <who>" each. A grant whose member can't be
 * told yet, and a broad grant whose role can't, are reported unknown.
 */
export function broadGrants(g: ResourceGraph, iam: Node, roles: readonly string[], broad: (grant: IamGrant) => string | undefined, onUnknown: OnUnknown): string[] {
    const out: string[] = [];
    for (const grant of grantsOf(g, iam)) {
        const role = isUnknown(grant.role) ? undefined : asString(grant.role)?.trim() ?? "";
        if (grant.unresolved) {
            if (role === undefined || roles.includes(role)) {
                onUnknown(iam, grant.property);
            }
            continue;
        }
        const who = broad(grant);
        if (!who) {
            continue;
        }
        if (role === undefined) {
            onUnknown(iam, grant.property === "policyData" ? "policyData" : "role");
        } else if (roles.includes(role)) {
            out.push(`grants ${roleName(role)} to ${who}`);
        }
    }
    return out;
}

/** allUsers / allAuthenticatedUsers invokers on functions and on gen-2 functions' Cloud Run services. */
export function publicInvocationPaths(g: ResourceGraph, onUnknown: OnUnknown): GcpPublicPath[] {
    const out: GcpPublicPath[] = [];
    for (const iam of g.ofType(...FUNCTION_IAM_TYPES)) {
        const open = broadGrants(g, iam, INVOKE_ROLES, grant => grant.public, onUnknown);
        if (open.length === 0) {
            continue;
        }
        const onRun = invokerTarget(iam.type).run ? " on its Cloud Run service" : "";
        for (const fn of reachableOverHttp(invokedFunctions(g, iam, onUnknown), onUnknown)) {
            // Any role granted to allUsers or allAuthenticatedUsers is what gcp-iam-function-public-access reports on the IAM resource.
            out.push({ fn, path: `${className(iam.type)} ${quote(iam.name)}${onRun} ${open.join(" and ")}`, reportedBy: { policy: FUNCTION_PUBLIC_ACCESS, node: iam } });
        }
    }
    return out;
}

/**
 * Whether a function caps its instances: maxInstances / serviceConfig.maxInstanceCount set above 0, or,
 * left unset, Google's default for its generation at or below the pack's default ceiling (gen 2 stops
 * at 100; gen 1 goes to 3,000).
 */
export function instanceCap(fn: Node): { capped: boolean | undefined; property: string } {
    const path = fieldPath(fn, "maxInstances");
    const { value, unknownAt } = read(fn, path);
    if (unknownAt !== undefined) {
        return { capped: undefined, property: unknownAt };
    }
    const n = asNumber(value);
    return { capped: (n !== undefined && n > 0) || cappedByDefault(fn.type), property: path.join(".") };
}

/** Whether Google's default instance limit for a host type is within the pack's default ceiling. */
export function cappedByDefault(type: string): boolean {
    return defaultMaxInstances(type) <= DEFAULT_INSTANCE_CEILING;
}


const SERVICES = new Set(CLOUD_RUN_SERVICES);

/** The property of a Cloud Run IAM type that names its service. */
function serviceProperty(iamType: string): string | undefined {
    return iamType.startsWith("gcp:cloudrunv2/") ? "name" : iamType.startsWith("gcp:cloudrun/") ? "service" : undefined;
}

/** A nested value, or the first unknown on the way to it. */
function readService(node: Node, path: readonly string[]): { value: unknown; unknown: boolean } {
    let current: unknown = node.props;
    for (const key of path) {
        if (isUnknown(current)) {
            return { value: current, unknown: true };
        }
        current = at(current, key);
    }
    return { value: current, unknown: isUnknown(current) };
}

/** Cloud Run services a Cloud Run IAM resource applies to: by dependency, or by the service's known name or id. */
function servicesOf(g: ResourceGraph, iam: Node, onUnknown: OnUnknown): Node[] {
    const property = serviceProperty(iam.type)!;
    const value = iam.props[property];
    if (isUnknown(value)) {
        const found = g.deps(iam, property, SERVICES);
        if (found.length === 0 && g.deps(iam, property).length === 0) {
            onUnknown(iam, property);
        }
        return found;
    }
    const known = knownString(value);
    if (!known) {
        return [];
    }
    // By name in the IAM resource's own project and region (see lib/identity): a service of the same name elsewhere is another service.
    const found = g.resolveValue(iam, property, known, new Set([iam.type.startsWith("gcp:cloudrunv2/") ? CLOUD_RUN_V2 : CLOUD_RUN_V1]));
    if (found.undecided) {
        onUnknown(iam, property, "ambiguous");
    }
    return found.nodes;
}

export interface RunPublicPath {
    fn: Node;
    path: string;
    reportedBy?: ReportedBy;
}

/** Every unauthenticated path to a Cloud Run service declared in the stack. */
export function cloudRunPublicPaths(g: ResourceGraph, onUnknown: OnUnknown): RunPublicPath[] {
    const out: RunPublicPath[] = [];
    for (const service of g.ofType(...CLOUD_RUN_SERVICES)) {
        const path = CLOUD_RUN_FIELDS[service.type].invokerIamDisabled!;
        const { value, unknown } = readService(service, path);
        if (unknown) {
            onUnknown(service, showPath(path));
        } else if (asBoolean(value) === true) {
            out.push({ fn: service, path: `its ${showPath(path)} is true, so requests skip the IAM check`, reportedBy: { policy: INVOKER_IAM_DISABLED, node: service } });
        }
    }
    for (const iam of g.ofType(...FUNCTION_IAM_TYPES).filter(n => serviceProperty(n.type) !== undefined)) {
        const open = broadGrants(g, iam, INVOKE_ROLES, grant => grant.public, onUnknown);
        if (open.length > 0) {
            for (const service of servicesOf(g, iam, onUnknown)) {
                out.push({ fn: service, path: `${className(iam.type)} ${quote(iam.name)} ${open.join(" and ")}`, reportedBy: { policy: FUNCTION_PUBLIC_ACCESS, node: iam } });
            }
        }
    }
    return out;
}

/** Whether a Cloud Run service caps its instances (per revision, or service-wide on v2; unset, Cloud Run's default of 100), and where. */
export function cloudRunInstanceCap(service: Node): { capped: boolean | undefined; property: string } {
    const paths = [CLOUD_RUN_FIELDS[service.type].serviceMaxInstances, CLOUD_RUN_FIELDS[service.type].maxInstances]
        .filter((p): p is readonly string[] => p !== undefined);
    if (service.type === CLOUD_RUN_V2 && asString(at(service.props, "scaling", "scalingMode")) === "MANUAL") {
        return { capped: true, property: "scaling.scalingMode" };
    }
    for (const path of paths) {
        const { value, unknown } = readService(service, path);
        if (unknown) {
            return { capped: undefined, property: showPath(path) };
        }
        const n = asNumber(value);
        if (n !== undefined && n > 0) {
            return { capped: true, property: showPath(path) };
        }
    }
    return { capped: cappedByDefault(service.type), property: showPath(paths[paths.length - 1]) };
}

// ---------------------------------------------------------------------------------------------
// Front doors

/** The known URLs a host answers on: its own URL outputs, and a Cloud Function's cloudfunctions.net URL from its known name, region and project. */
function hostUrls(host: Node): string[] {
    const own = host.type === FUNCTION_V1 ? [host.props.httpsTriggerUrl]
        : host.type === FUNCTION_V2 ? [host.props.url, at(host.props, "serviceConfig", "uri")]
            : host.type === CLOUD_RUN_V2 ? [host.props.uri, ...asList(host.props.urls)]
                : asList(host.props.statuses).map(s => at(s, "url"));
    const urls = own.map(knownString).filter((u): u is string => u !== undefined);
    const name = knownString(host.props.name);
    const [project, region] = host.scope;
    if ((host.type === FUNCTION_V1 || host.type === FUNCTION_V2) && name && project && region) {
        urls.push(`https://${region}-${project}.cloudfunctions.net/${name}`);
    }
    return urls;
}

interface Place { origin: string; path: string }

/** A URL's origin (lower case) and path, or undefined where it doesn't parse. */
function placeOf(u: string): Place | undefined {
    try {
        const url = new URL(u);
        return { origin: url.origin.toLowerCase(), path: url.pathname };
    } catch {
        return undefined;
    }
}

/** Whether a backend address goes to a URL: the same origin, and a path at or under the URL's path. */
function addressedTo(address: Place | undefined, url: Place | undefined): boolean {
    if (!address || !url || address.origin !== url.origin) {
        return false;
    }
    const base = trimTrailingSlashes(url.path);
    return address.path === base || address.path.startsWith(`${base}/`);
}

/**
 * The backend addresses of every API Gateway config, worked out once per graph (each config's
 * documents decoded and parsed once, not once per host): the readable ones by origin, and for the
 * configs whose documents are computed during preview, the resources those documents are built from.
 */
function gatewayIndex(g: ResourceGraph): { byOrigin: Map<string, { config: Node; address: Place }[]>; builtFrom: Map<Node, Set<Node>> } {
    return g.remember("gcp:gateway-backends", () => {
        const byOrigin = new Map<string, { config: Node; address: Place }[]>();
        const builtFrom = new Map<Node, Set<Node>>();
        for (const config of g.ofType(API_CONFIG)) {
            const { addresses, computed } = backendAddresses(config.props);
            for (const address of addresses.map(placeOf)) {
                if (address) {
                    const list = byOrigin.get(address.origin) ?? [];
                    list.push({ config, address });
                    byOrigin.set(address.origin, list);
                }
            }
            if (computed) {
                for (const source of g.deps(config, "openapiDocuments")) {
                    builtFrom.set(source, (builtFrom.get(source) ?? new Set<Node>()).add(config));
                }
            }
        }
        return { byOrigin, builtFrom };
    });
}

/**
 * The Google API Gateway configs that route requests to a function or Cloud Run service over its
 * public endpoint: a backend address that names one of the host's known URLs, or, for documents
 * computed during preview, documents built from the host's own outputs (the config's
 * propertyDependencies on it). A host neither names is not behind that config.
 */
export function gatewaysInFront(g: ResourceGraph, host: Node): Node[] {
    const { byOrigin, builtFrom } = gatewayIndex(g);
    const found = new Set<Node>(builtFrom.get(host) ?? []);
    for (const url of hostUrls(host).map(placeOf)) {
        for (const { config, address } of url ? byOrigin.get(url.origin) ?? [] : []) {
            if (addressedTo(address, url)) {
                found.add(config);
            }
        }
    }
    return found.size === 0 ? [] : g.ofType(API_CONFIG).filter(config => found.has(config));
}

/**
 * Whether anyone may invoke a function or Cloud Run service without authentication (an invoker grant
 * to allUsers or allAuthenticatedUsers, or Cloud Run's invoker IAM check disabled); undefined when a
 * grant or setting that applies to it can't be told yet (reported through `onUnknown`).
 */
export function publiclyInvocable(g: ResourceGraph, host: Node, onUnknown: OnUnknown): boolean | undefined {
    // Worked out once per graph: which hosts are public, and which undecided grants concern each host.
    const { publicHosts, pendingFor } = g.remember("gcp:publicly-invocable", () => {
        const pending: Parameters<OnUnknown>[] = [];
        const record: OnUnknown = (...args) => { pending.push(args); };
        const hosts = new Set([...publicInvocationPaths(g, record), ...cloudRunPublicPaths(g, record)].map(p => p.fn));
        const ignore: OnUnknown = () => undefined;
        const byHost = new Map<Node, Parameters<OnUnknown>[]>();
        for (const args of pending) {
            const n = args[0];
            const targets = new Set<Node>([n]);
            if (FUNCTION_IAM_TYPES.includes(n.type)) {
                invokedFunctions(g, n, ignore).forEach(t => targets.add(t));
                if (serviceProperty(n.type) !== undefined) {
                    servicesOf(g, n, ignore).forEach(t => targets.add(t));
                }
            }
            targets.forEach(t => byHost.set(t, [...(byHost.get(t) ?? []), args]));
        }
        return { publicHosts: hosts, pendingFor: byHost };
    });
    if (publicHosts.has(host)) {
        return true;
    }
    const relevant = pendingFor.get(host) ?? [];
    relevant.forEach(args => onUnknown(...args));
    return relevant.length > 0 ? undefined : false;
}

const HOSTS = [...GCP_FUNCTIONS, ...CLOUD_RUN_SERVICES];

/**
 * Routes of API Gateway configs that reach a function or Cloud Run service with no security
 * requirement while the gateway signs its calls with its own identity: anyone can then call the host
 * through the gateway, whatever its invoker IAM says. Each is what gcp-apigateway-route-no-auth reports
 * on the config. A document computed during preview and built from a host can't be read yet: that
 * host's path is unknown.
 */
export function gatewayPublicPaths(g: ResourceGraph, onUnknown: OnUnknown): GcpPublicPath[] {
    const out: GcpPublicPath[] = [];
    const hosts = g.ofType(...HOSTS).map(host => ({ host, urls: hostUrls(host).map(placeOf) }));
    // Which hosts (by their position) answer on an origin: a route is only compared with those.
    const hostsByOrigin = new Map<string, number[]>();
    hosts.forEach(({ urls }, i) => {
        for (const origin of new Set(urls.map(u => u?.origin).filter((o): o is string => o !== undefined))) {
            const list = hostsByOrigin.get(origin) ?? [];
            list.push(i);
            hostsByOrigin.set(origin, list);
        }
    });
    for (const config of g.ofType(API_CONFIG)) {
        if (backendAddresses(config.props).computed) {
            if (g.deps(config, "openapiDocuments", set(...HOSTS)).length > 0) {
                onUnknown(config, "openapiDocuments");
            }
            continue;
        }
        for (const { name, routes } of configRoutes(config.props)) {
            const open = openFunctionRoutes(routes).filter(r => r.signed).map(r => ({ route: r.route, address: placeOf(r.address) }));
            const candidates = new Set(open.flatMap(r => (r.address ? hostsByOrigin.get(r.address.origin) : undefined) ?? []));
            for (const { host, urls } of [...candidates].sort((a, b) => a - b).map(i => hosts[i])) {
                const reaching = open.filter(r => urls.some(u => addressedTo(r.address, u))).map(r => r.route);
                if (reaching.length > 0) {
                    const shown = reaching.slice(0, 2).join(", ") + (reaching.length > 2 ? ` and ${reaching.length - 2} more` : "");
                    out.push({
                        fn: host,
                        path: `ApiConfig ${quote(config.name)} routes ${shown} to it from ${name} with no security requirement, calling it as the gateway`,
                        reportedBy: { policy: ROUTE_NO_AUTH, node: config },
                    });
                }
            }
        }
    }
    return out;
}
