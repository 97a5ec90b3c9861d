// Google API Gateway in front of Cloud Functions and Cloud Run: an API config carries the OpenAPI
// document (base64 text, YAML or JSON) whose `x-google-backend` routes requests to the functions, and
// the service account the gateway signs its calls to them with. A route to a function without any
// security requirement lets anyone on the internet call the function through the gateway, even though
// the function itself keeps requiring IAM (the gateway's identity passes that check for every caller).
import { resourcePolicy } from "../lib/define";
import { readOpenApi } from "../lib/openapi";
import { isUnknown } from "../lib/graph";
import { asBoolean, asList, asString, at, Dict, isRecord, quote } from "../lib/values";
import { COMPUTE_DEFAULT, defaultIdentity, isStackAccount } from "./common";
import { showPath } from "./cloudrun";

export const API_CONFIG = "gcp:apigateway/apiConfig:ApiConfig";
export const ROUTE_NO_AUTH = "gcp-apigateway-route-no-auth";

/** Hosts of Cloud Functions and Cloud Run services. */
export const FUNCTION_BACKEND = /^https?:\/\/[^/?#]*(?:\.run\.app|\.cloudfunctions\.net)(?::\d+)?(?:[/?#]|$)/i;

// OPTIONS is left out: CORS preflight requests carry no credentials.
const METHODS = ["get", "put", "post", "delete", "patch", "head"];
const BASE64 = /^[A-Za-z0-9+/=\s_-]*$/;
const MAX_ROUTES_SHOWN = 5;

/** One OpenAPI document of a config, decoded and parsed; undefined where it can't be read (the gateway refuses it too). */
function documentAt(props: Dict, i: number): Dict | undefined {
    const contents = asString(at(props, "openapiDocuments", i, "document", "contents"));
    if (contents === undefined || !BASE64.test(contents)) {
        return undefined;
    }
    return readOpenApi(Buffer.from(contents, "base64").toString("utf8"));
}

/** A document's name for messages: its `path` when it is a plain YAML or JSON file name (anything else could be a secret pasted there). */
function documentName(props: Dict, i: number): string {
    const path = asString(at(props, "openapiDocuments", i, "document", "path"));
    const where = `openapiDocuments[${i}]`;
    return path !== undefined && /^[\w./-]{1,60}\.(ya?ml|json)$/i.test(path) ? `${where} (${quote(path)})` : where;
}

/** How a security scheme authenticates callers at the gateway (an API key or a JWT), or undefined. */
function schemeKind(scheme: unknown): string | undefined {
    if (!isRecord(scheme)) {
        return undefined;
    }
    if (scheme.type === "apiKey") {
        return "an API key";
    }
    if (scheme.type === "oauth2" && typeof scheme["x-google-issuer"] === "string") {
        return "a JWT";
    }
    return undefined;
}

interface Route {
    route: string;
    /** The x-google-backend address the route goes to ("" when it names none). */
    address: string;
    /** Set when the route reaches a Cloud Functions or Cloud Run backend. */
    functionBackend: boolean;
    /** Whether the gateway calls that backend with its own ID token (x-google-backend disable_auth not true). */
    signed: boolean;
    authenticated: boolean;
}

/** The operations of a document with where they go and whether the gateway authenticates their callers. */
export function routesOf(doc: Dict): Route[] {
    const schemes = { ...(isRecord(doc.securityDefinitions) ? doc.securityDefinitions : {}), ...(isRecord(at(doc, "components", "securitySchemes")) ? at(doc, "components", "securitySchemes") as Dict : {}) };
    const authenticates = (requirements: unknown): boolean => {
        const list = asList(requirements);
        // Every alternative must name a scheme the gateway checks; an empty alternative ({}) lets anyone in.
        return list.length > 0 && list.every(alt => isRecord(alt) && Object.keys(alt).length > 0 && Object.keys(alt).some(name => schemeKind(schemes[name]) !== undefined));
    };
    const out: Route[] = [];
    const paths = isRecord(doc.paths) ? doc.paths : {};
    for (const [path, item] of Object.entries(paths)) {
        if (!isRecord(item)) {
            continue;
        }
        for (const method of METHODS) {
            const op = item[method];
            if (!isRecord(op)) {
                continue;
            }
            const backend = isRecord(op["x-google-backend"]) ? op["x-google-backend"] : doc["x-google-backend"];
            const address = asString(at(backend, "address")) ?? "";
            out.push({
                route: `${method.toUpperCase()} ${path.length <= 200 ? path : `${path.slice(0, 200)}…`}`,
                address,
                functionBackend: FUNCTION_BACKEND.test(address),
                signed: asBoolean(at(backend, "disable_auth")) !== true,
                authenticated: authenticates(Array.isArray(op.security) ? op.security : doc.security),
            });
        }
    }
    return out;
}

/** The routes of every readable document of a config, with the document's name. */
export function configRoutes(props: Dict): { name: string; routes: Route[] }[] {
    return asList(props.openapiDocuments).flatMap((_, i) => {
        const doc = documentAt(props, i);
        return doc ? [{ name: documentName(props, i), routes: routesOf(doc) }] : [];
    });
}

/**
 * The backend addresses an API config's routes go to, and whether its documents are computed during
 * preview (then the addresses can't be read, and only the config's propertyDependencies say what the
 * documents were built from).
 */
export function backendAddresses(props: Dict): { addresses: string[]; computed: boolean } {
    const documents = props.openapiDocuments;
    const computed = isUnknown(documents) || asList(documents).some(d => isUnknown(d) || isUnknown(at(d, "document")) || isUnknown(at(d, "document", "contents")));
    const addresses = computed ? [] : configRoutes(props).flatMap(d => d.routes.map(r => r.address)).filter(a => a !== "");
    return { addresses: [...new Set(addresses)], computed };
}

/** The routes of a config that reach a Cloud Functions or Cloud Run backend with no security requirement (what ROUTE_NO_AUTH reports). */
export function openFunctionRoutes(routes: readonly Route[]): Route[] {
    return routes.filter(r => r.functionBackend && !r.authenticated);
}

const BACKEND_ACCOUNT = ["gatewayConfig", "backendConfig", "googleServiceAccount"];

export const apiGatewayPolicies = [
    resourcePolicy({
        name: ROUTE_NO_AUTH,
        description: "Google API Gateway routes to Cloud Functions and Cloud Run must require an API key or a JWT: the gateway calls the function with its own identity, so a route without security lets anyone on the internet call the function, whatever its IAM says.",
        severity: "high",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2"],
        remediation: "Add a securityDefinitions entry (an apiKey, or oauth2 with x-google-issuer and x-google-jwks_uri for JWTs) and require it with a top-level or per-operation security list; for a deliberately public route record a dated exemption in this policy's exemptions config.",
        resourceTypes: [API_CONFIG],
        check: ({ props, report, part }) => {
            for (const { name, routes } of configRoutes(props)) {
                part(() => {
                    const open = openFunctionRoutes(routes).map(r => r.route);
                    if (open.length > 0) {
                        const shown = open.slice(0, MAX_ROUTES_SHOWN).join(", ") + (open.length > MAX_ROUTES_SHOWN ? ` and ${open.length - MAX_ROUTES_SHOWN} more` : "");
                        report(`${name} routes ${shown} to a Cloud Functions or Cloud Run backend with no security requirement, so anyone can call the function through the gateway; require an API key or a JWT (x-google-issuer) security definition on ${open.length === 1 ? "it" : "them"}.`);
                    }
                });
            }
        },
    }),

    resourcePolicy({
        name: "gcp-apigateway-backend-service-account",
        description: "A Google API Gateway config that calls Cloud Functions or Cloud Run should sign those calls as a dedicated service account, invoker on those backends only, not the Compute Engine default one that every workload shares.",
        severity: "medium",
        threats: ["P2", "R5"],
        remediation: "Create a service account for the gateway, grant it roles/run.invoker (roles/cloudfunctions.invoker for gen-1 functions) on the backends only, and set gatewayConfig.backendConfig.googleServiceAccount to its email.",
        resourceTypes: [API_CONFIG],
        provenance: true,
        check: ({ props, report, notApplicable }) => {
            if (isStackAccount(props, BACKEND_ACCOUNT)) {
                return;
            }
            const given = at(props, ...BACKEND_ACCOUNT);
            const where = showPath(BACKEND_ACCOUNT);
            if (given === undefined || given === null || asString(given)?.trim() === "") {
                // Google documents no default identity for a config without one; it matters only where the
                // gateway signs calls to Cloud Functions or Cloud Run.
                if (!configRoutes(props).some(d => d.routes.some(r => r.functionBackend && r.signed))) {
                    notApplicable("the config calls no Cloud Functions or Cloud Run backend with the gateway's identity");
                }
                report(`${where} is not set: the config names no identity for its calls to Cloud Functions and Cloud Run backends (Google documents no default), so the backends' invoker role can't be limited to an account of the gateway's own; set it to a dedicated service account with roles/run.invoker on the backends only.`);
                return;
            }
            const d = defaultIdentity(given, COMPUTE_DEFAULT);
            if (d) {
                report(`${where} is ${d.name}, which every workload of the project shares; set it to a dedicated service account with roles/run.invoker on the backends only.`);
            }
        },
    }),
];
