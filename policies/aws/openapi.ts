// Routes defined by an OpenAPI 2 or 3 document (the `body` of a REST or HTTP API), as API Gateway
// reads them: which operations are authenticated and which Lambda functions they integrate.
import { resourcePolicy } from "../lib/define";
import { fencesCaller, narrowsCaller, parsePolicyDocument, PolicyDocument } from "../lib/iam";
import { readOpenApi } from "../lib/openapi";
import { asStrings, at, isRecord, isSet, quote } from "../lib/values";

export const REST_API = "aws:apigateway/restApi:RestApi";
export const HTTP_API = "aws:apigatewayv2/api:Api";

// OPTIONS is left out: CORS preflight requests carry no credentials, so they need no authentication.
const METHODS = ["get", "put", "post", "delete", "patch", "head", "trace", "x-amazon-apigateway-any-method"];

export interface Operation {
    /** e.g. "POST /orders", "ANY /{proxy+}" */
    route: string;
    /** Set when the operation is authenticated, naming how. */
    authenticatedBy?: string;
    /** Why the operation is unauthenticated, when it is. */
    gap?: string;
    /** The integration's uri, when it is a known string. */
    integrationUri?: string;
    /** Set for mock integrations, which answer from API Gateway itself and reach no backend. */
    mock?: boolean;
}

export interface OpenApiRoutes {
    operations: Operation[];
    /** Parts of the document that could not be read (e.g. a $ref to another file). */
    unreadable: string[];
}

/** How a security scheme authenticates callers, or undefined when it doesn't (an API key, an unknown scheme). */
function schemeAuthenticates(scheme: unknown): string | undefined {
    if (!isRecord(scheme)) {
        return undefined;
    }
    const authorizer = scheme["x-amazon-apigateway-authorizer"];
    if (isRecord(authorizer)) {
        const type = typeof authorizer.type === "string" ? authorizer.type.toLowerCase() : "custom";
        return type === "jwt" ? "a JWT authorizer" : type === "cognito_user_pools" ? "a Cognito authorizer" : "a Lambda authorizer";
    }
    const authType = scheme["x-amazon-apigateway-authtype"];
    if (typeof authType === "string") {
        const t = authType.toLowerCase();
        if (t === "awssigv4") { return "IAM (SigV4)"; }
        if (t === "cognito_user_pools") { return "a Cognito authorizer"; }
        if (t === "custom") { return "a Lambda authorizer"; }
    }
    if (scheme.type === "oauth2" || scheme.type === "openIdConnect") {
        return `an ${scheme.type} scheme`;
    }
    return undefined;
}

/**
 * Whether a security requirement list authenticates every caller: some alternative must exist, and
 * each alternative must name at least one authenticating scheme.
 */
function requirementAuth(requirements: unknown, schemes: Record<string, unknown>): { by?: string; gap?: string } {
    if (!Array.isArray(requirements) || requirements.length === 0) {
        return { gap: "no security requirement" };
    }
    let by: string | undefined;
    for (const alternative of requirements) {
        const names = isRecord(alternative) ? Object.keys(alternative) : [];
        if (names.length === 0) {
            return { gap: "a security alternative `{}` lets callers in without credentials" };
        }
        const auth = names.map(n => schemeAuthenticates(schemes[n])).find(a => a !== undefined);
        if (!auth) {
            const undefinedNames = names.filter(n => !isRecord(schemes[n]));
            return {
                gap: undefinedNames.length > 0
                    ? `security names ${undefinedNames.map(n => `\`${n}\``).join(", ")}, which no security scheme defines`
                    : `security requires only ${names.map(n => `\`${n}\``).join(", ")} (an API key identifies a client but doesn't authenticate it)`,
            };
        }
        by = by ?? auth;
    }
    return { by };
}

function securitySchemes(doc: Record<string, unknown>): Record<string, unknown> {
    const v3 = isRecord(doc.components) ? doc.components.securitySchemes : undefined;
    const v2 = doc.securityDefinitions;
    return { ...(isRecord(v2) ? v2 : {}), ...(isRecord(v3) ? v3 : {}) };
}

/** Every operation of the document with its effective authentication and its integration. */
export function openApiRoutes(doc: Record<string, unknown>): OpenApiRoutes {
    const out: OpenApiRoutes = { operations: [], unreadable: [] };
    const schemes = securitySchemes(doc);
    for (const [name, scheme] of Object.entries(schemes)) {
        if (isRecord(scheme) && typeof scheme.$ref === "string") {
            out.unreadable.push(`security scheme \`${name}\` is a $ref`);
        }
    }
    const paths = isRecord(doc.paths) ? doc.paths : {};
    for (const [path, item] of Object.entries(paths)) {
        if (!isRecord(item)) {
            continue;
        }
        if (typeof item.$ref === "string") {
            out.unreadable.push(`path \`${path}\` is a $ref`);
            continue;
        }
        for (const method of METHODS) {
            const op = item[method];
            if (!isRecord(op)) {
                continue;
            }
            const verb = method === "x-amazon-apigateway-any-method" ? "ANY" : method.toUpperCase();
            const operation: Operation = { route: `${verb} ${path}` };
            const integration = op["x-amazon-apigateway-integration"];
            if (isRecord(integration) && typeof integration.uri === "string") {
                operation.integrationUri = integration.uri;
            }
            if (isRecord(integration) && typeof integration.type === "string" && integration.type.toLowerCase() === "mock") {
                operation.mock = true;
            }
            const iamAuth = op["x-amazon-apigateway-auth"];
            const iamType = isRecord(iamAuth) && typeof iamAuth.type === "string" ? iamAuth.type.toUpperCase() : undefined;
            if (iamType === "AWS_IAM") {
                operation.authenticatedBy = "IAM (x-amazon-apigateway-auth)";
            } else {
                const auth = requirementAuth(op.security !== undefined ? op.security : doc.security, schemes);
                if (auth.by) {
                    operation.authenticatedBy = auth.by;
                } else {
                    operation.gap = auth.gap;
                }
            }
            out.operations.push(operation);
        }
    }
    return out;
}

/**
 * The function a Lambda integration uri names: the function ARN inside an API Gateway invocation
 * uri (arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations) or
 * a function ARN itself (HTTP APIs). Undefined for other integrations and stage-variable uris.
 */
export function lambdaOfUri(uri: string): string | undefined {
    const s = uri.trim();
    if (s.length > 2048) {
        return undefined;
    }
    const path = s.indexOf(":lambda:path/");
    const functions = path < 0 ? -1 : s.indexOf("/functions/", path);
    if (path >= 0 && (functions < 0 || !s.endsWith("/invocations"))) {
        return undefined;
    }
    const arn = path >= 0 ? s.slice(functions + "/functions/".length, s.length - "/invocations".length) : s;
    const m = /^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+)(?::[A-Za-z0-9_$-]+)?$/.exec(arn);
    return m ? m[1] : undefined;
}

/** Whether an API's resource policy limits who may call it (specific principals, or a condition narrowing the caller on every grant, or a Deny for everyone outside a range). */
export function resourcePolicyLimitsCallers(doc: PolicyDocument): boolean {
    const allows = doc.statements.filter(s => s.effect === "Allow");
    if (doc.statements.some(s => fencesCaller(s))) {
        return true;
    }
    return allows.length > 0 && allows.every(s => narrowsCaller(s) || (s.principal !== undefined && s.principal !== "*"
        && !Object.values(s.principal).some(values => values.includes("*"))));
}

/** Why an API is not reachable by anyone on the internet, when its settings say so. */
export function restApiClosed(props: Record<string, unknown>): string | undefined {
    const types = asStrings(at(props, "endpointConfiguration", "types")).map(t => t.toUpperCase());
    if (types.includes("PRIVATE")) {
        return "the API is private (reachable only through VPC endpoints)";
    }
    const policy = props.policy;
    if (typeof policy === "string" && policy.trim() !== "" || isRecord(policy)) {
        const doc = parsePolicyDocument(policy);
        if (!doc.error && resourcePolicyLimitsCallers(doc)) {
            return "its resource policy limits callers";
        }
    }
    return undefined;
}

/** A short list of routes for a message. */
export function routeList(routes: string[]): string {
    const shown = routes.slice(0, 5).map(r => quote(r)).join(", ");
    return routes.length > 5 ? `${shown} and ${routes.length - 5} more` : shown;
}

export const OPENAPI_AUTHORIZATION = "aws-apigateway-openapi-authorization";

/** Operations of a body that take calls without authentication: the root cause aws-apigateway-openapi-authorization reports on an open API. */
export const unauthenticatedOperations = (routes: OpenApiRoutes) => routes.operations.filter(o => o.gap !== undefined && !o.mock);

export const openApiPolicies = [
    resourcePolicy({
        name: OPENAPI_AUTHORIZATION,
        description: "Routes defined in an API's OpenAPI body must require authentication (an authorizer or IAM) unless the API is private or its resource policy limits callers.",
        severity: "high",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2", "OWASP API2:2023"],
        remediation: "Add a security requirement to every operation (or globally) that names a security scheme with x-amazon-apigateway-authorizer or x-amazon-apigateway-authtype, or set x-amazon-apigateway-auth type AWS_IAM; or make the REST API private.",
        resourceTypes: [REST_API, HTTP_API],
        check: ({ type, props, report, warn, notApplicable }) => {
            const p = props as Record<string, unknown>;
            if (!isSet(p, "body")) {
                notApplicable("the API has no OpenAPI body (its routes are separate resources)");
            }
            const doc = readOpenApi(p.body);
            if (!doc) {
                warn("body is not an OpenAPI document the pack can read (JSON, or YAML without anchors, tags or multi-line flow collections), so its routes were not checked.");
                return;
            }
            const routes = openApiRoutes(doc);
            const open = unauthenticatedOperations(routes);
            if (open.length > 0) {
                const closed = type === REST_API ? restApiClosed(p) : undefined;
                if (!closed) {
                    const reasons = [...new Set(open.map(o => o.gap!))];
                    report(`body route${open.length > 1 ? "s" : ""} ${routeList(open.map(o => o.route))} ${open.length > 1 ? "have" : "has"} no authentication (${reasons.slice(0, 2).join("; ")}); add a security requirement naming an authorizer or IAM.`);
                }
            }
            if (routes.unreadable.length > 0) {
                warn(`body has parts the pack can't follow (${routes.unreadable.slice(0, 3).join("; ")}), so their routes were not checked.`);
            }
        },
    }),
];
