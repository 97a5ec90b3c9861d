// API Gateway routes and methods: the public front doors of Lambda functions.
import type { apigateway, apigatewayv2 } from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { resourcePolicy } from "../lib/define";
import { asBoolean, asString, isRecord, isSet, quote } from "../lib/values";

export const HTTP_ROUTE = "aws:apigatewayv2/route:Route";
export const REST_METHOD = "aws:apigateway/method:Method";

const HTTP_ROUTE_KEY = /^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \//;
const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "ANY"]);

export const ROUTE_AUTHORIZATION = "aws-apigatewayv2-route-authorization";
export const METHOD_AUTHORIZATION = "aws-apigateway-method-authorization";

/** The request parameters a method marks required (`method.request.querystring.id: true`), by name. */
function requiredParameters(params: unknown): string[] {
    if (!isRecord(params)) {
        return [];
    }
    return Object.keys(params).filter(key => asBoolean(params[key]) === true).map(key => key.replace(/^method\.request\./, ""));
}

/** Why a route is not checked: a CORS preflight, or a WebSocket message route (authorized on $connect). */
function routeNotChecked(routeKey: string): string | undefined {
    if (routeKey.startsWith("OPTIONS ")) {
        return "CORS preflight requests carry no credentials";
    }
    const isHttp = HTTP_ROUTE_KEY.test(routeKey) || routeKey === "$default";
    return !isHttp && routeKey !== "$connect" ? "WebSocket message routes are authorized on $connect" : undefined;
}

/** A route that lets callers in without authorization (the root cause aws-apigatewayv2-route-authorization reports). */
export function routeWithoutAuthorization(props: { routeKey?: unknown; authorizationType?: unknown }): boolean {
    return routeNotChecked(asString(props.routeKey) ?? "") === undefined && (asString(props.authorizationType) ?? "NONE") === "NONE";
}

/** A method that lets callers in without authorization (the root cause aws-apigateway-method-authorization reports). */
export function methodWithoutAuthorization(props: { httpMethod?: unknown; authorization?: unknown }): boolean {
    return (asString(props.httpMethod) ?? "").toUpperCase() !== "OPTIONS" && (asString(props.authorization) ?? "NONE").toUpperCase() === "NONE";
}

export const apiGatewayPolicies = [
    resourcePolicy<Unwrap<apigatewayv2.RouteArgs>>({
        name: ROUTE_AUTHORIZATION,
        description: "API Gateway HTTP and WebSocket routes must authorize callers before they reach the function.",
        severity: "high",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2", "OWASP API2:2023"],
        remediation: "Set authorizationType to \"JWT\", \"AWS_IAM\" or \"CUSTOM\" with an authorizerId.",
        resourceTypes: [HTTP_ROUTE],
        check: ({ props, report, notApplicable }) => {
            const routeKey = asString(props.routeKey) ?? "";
            const skip = routeNotChecked(routeKey);
            if (skip) {
                notApplicable(skip);
            }
            if (routeWithoutAuthorization(props)) {
                report(`route ${quote(routeKey)} has authorizationType "NONE".`);
            }
        },
    }),

    resourcePolicy<Unwrap<apigateway.MethodArgs>>({
        name: METHOD_AUTHORIZATION,
        description: "API Gateway REST methods must authorize callers (IAM, Cognito or a Lambda authorizer) before they reach the function.",
        severity: "high",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2", "OWASP API2:2023"],
        remediation: "Set authorization to \"AWS_IAM\", \"COGNITO_USER_POOLS\" or \"CUSTOM\" with an authorizerId.",
        resourceTypes: [REST_METHOD],
        check: ({ props, report, notApplicable }) => {
            const method = (asString(props.httpMethod) ?? "").toUpperCase();
            if (method === "OPTIONS") {
                notApplicable("CORS preflight requests carry no credentials");
            }
            if (methodWithoutAuthorization(props)) {
                const apiKey = asBoolean(props.apiKeyRequired) === true;
                report(`method ${quote(method)} has authorization "NONE"${apiKey ? " (an API key identifies a client but doesn't authenticate it)" : ""}.`);
            }
        },
    }),

    resourcePolicy<Unwrap<apigateway.MethodArgs>>({
        name: "aws-apigateway-method-request-validation",
        description: "API Gateway REST methods that accept a body should validate requests so malformed or malicious event data is rejected before it reaches the function; methods without a body that declare required parameters get an advisory line when nothing validates them.",
        severity: "medium",
        threats: ["R1", "P1"],
        references: ["OWASP SAS-1", "Checkov CKV2_AWS_53"],
        remediation: "Create an aws.apigateway.RequestValidator (validateRequestBody and validateRequestParameters) and a request model, and set requestValidatorId.",
        resourceTypes: [REST_METHOD],
        check: ({ props, report, warn, notApplicable }) => {
            const method = (asString(props.httpMethod) ?? "").toUpperCase();
            if (!BODY_METHODS.has(method)) {
                // Without a body only required parameters can be validated; a method that declares none has nothing to check.
                const required = requiredParameters(props.requestParameters);
                if (required.length === 0 || method === "OPTIONS") {
                    notApplicable(`${method || "this"} method carries no request body and declares no required parameters`);
                }
                if (!isSet(props, "requestValidatorId")) {
                    warn(`method ${quote(method)} declares ${required.length} required request parameter${required.length > 1 ? "s" : ""} (${required.slice(0, 3).map(quote).join(", ")}${required.length > 3 ? ", ..." : ""}) but has no requestValidatorId, so requests without ${required.length > 1 ? "them" : "it"} reach the function; set a validator with validateRequestParameters.`);
                }
                return;
            }
            if (!isSet(props, "requestValidatorId")) {
                report(`method ${quote(method)} has no requestValidatorId.`);
            }
        },
    }),
];
