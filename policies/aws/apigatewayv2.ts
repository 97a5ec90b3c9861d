// API Gateway HTTP and WebSocket APIs (v2): quick-create APIs and stage throttling.
import type { apigatewayv2 } from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { resourcePolicy } from "../lib/define";
import { asNumber, isSet } from "../lib/values";
import { HTTP_API } from "./openapi";
import { HTTP_STAGE } from "./apigateway-stages";

export const apiGatewayV2Policies = [
    resourcePolicy<Unwrap<apigatewayv2.ApiArgs>>({
        name: "aws-apigatewayv2-api-quick-create",
        description: "HTTP APIs must not be created with quick create (target): its $default route sends every request to the target and can't carry an authorizer.",
        severity: "high",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2"],
        remediation: "Remove target (and routeKey) and declare aws.apigatewayv2.Integration, Route (with authorizationType \"JWT\", \"AWS_IAM\" or \"CUSTOM\") and Stage resources instead.",
        resourceTypes: [HTTP_API],
        check: ({ props, report }) => {
            if (!isSet(props, "target")) {
                return;
            }
            report("target is set: quick create makes a route (routeKey, $default unless set) to the target without any authorizer, and a stage without access logs or throttling; declare the route, integration and stage as separate resources.");
        },
    }),

    resourcePolicy<Unwrap<apigatewayv2.StageArgs>>({
        name: "aws-apigatewayv2-stage-throttling",
        description: "HTTP and WebSocket API stages should throttle their default route, or one caller can drive the functions behind it to the account limit and run up the bill (denial of wallet).",
        severity: "medium",
        threats: ["P4"],
        remediation: "Set defaultRouteSettings.throttlingRateLimit and defaultRouteSettings.throttlingBurstLimit to what the functions behind the API can take.",
        resourceTypes: [HTTP_STAGE],
        check: ({ props, report, part }) => {
            for (const key of ["throttlingRateLimit", "throttlingBurstLimit"] as const) {
                part(() => {
                    const value = asNumber(props.defaultRouteSettings?.[key]);
                    if (value === undefined || value < 0) {
                        report(`defaultRouteSettings.${key} is not set, so the stage takes as many requests as the account allows; set it.`);
                    }
                });
            }
        },
    }),
];
