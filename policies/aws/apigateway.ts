// API Gateway routes and methods: the public front doors of Lambda functions.
import type { apigateway, apigatewayv2 } from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { resourcePolicy } from "../lib/define";
import { asBoolean, asString, isSet, quote } from "../lib/values";

export const HTTP_ROUTE = "aws:apigatewayv2/route:Route";
export const REST_METHOD = "aws:apigateway/method:Method";

const HTTP_ROUTE_KEY = /^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \//;
const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "ANY"]);

export const apiGatewayPolicies = [
    resourcePolicy<Unwrap<apigatewayv2.RouteArgs>>({
        name: "aws-apigatewayv2-route-authorization",
        description: "API Gateway HTTP and WebSocket routes must authorize callers before they reach the function.",
        severity: "high",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2", "OWASP API2:2023"],
        remediation: "Set authorizationType to \"JWT\", \"AWS_IAM\" or \"CUSTOM\" with an authorizerId.",
        resourceTypes: [HTTP_ROUTE],
        check: ({ props, report, notApplicable }) => {
            const routeKey = asString(props.routeKey) ?? "";
            if (routeKey.startsWith("OPTIONS ")) {
                notApplicable("CORS preflight requests carry no credentials");
            }
            const isHttp = HTTP_ROUTE_KEY.test(routeKey) || routeKey === "$default";
            if (!isHttp && routeKey !== "$connect") {
                notApplicable("WebSocket message routes are authorized on $connect");
            }
            const type = asString(props.authorizationType) ?? "NONE";
            if (type === "NONE") {
                report(`route ${quote(routeKey)} has authorizationType "NONE".`);
            }
        },
    }),

    resourcePolicy<Unwrap<apigateway.MethodArgs>>({
        name: "aws-apigateway-method-authorization",
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
            if ((asString(props.authorization) ?? "NONE").toUpperCase() === "NONE") {
                const apiKey = asBoolean(props.apiKeyRequired) === true;
                report(`method ${quote(method)} has authorization "NONE"${apiKey ? " (an API key identifies a client but doesn't authenticate it)" : ""}.`);
            }
        },
    }),

    resourcePolicy<Unwrap<apigateway.MethodArgs>>({
        name: "aws-apigateway-method-request-validation",
        description: "API Gateway REST methods that accept a body should validate requests so malformed or malicious event data is rejected before it reaches the function.",
        severity: "medium",
        threats: ["R1", "P1"],
        references: ["OWASP SAS-1"],
        remediation: "Create an aws.apigateway.RequestValidator (validateRequestBody and validateRequestParameters) and a request model, and set requestValidatorId.",
        resourceTypes: [REST_METHOD],
        check: ({ props, report, notApplicable }) => {
            const method = (asString(props.httpMethod) ?? "").toUpperCase();
            if (!BODY_METHODS.has(method)) {
                notApplicable(`${method || "this"} method carries no request body`);
            }
            if (!isSet(props, "requestValidatorId")) {
                report(`method ${quote(method)} has no requestValidatorId.`);
            }
        },
    }),
];
