// API Gateway HTTP and WebSocket APIs (v2): quick-create APIs and stage throttling.
import type { apigatewayv2 } from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { resourcePolicy } from "../lib/define";
import { asList, asNumber, asString, at, isSet, wordList } from "../lib/values";
import { isUnknown } from "../lib/identity";
import { HTTP_API } from "./openapi";
import { HTTP_STAGE } from "./apigateway-stages";

const THROTTLE_LIMITS = ["throttlingRateLimit", "throttlingBurstLimit"] as const;

/** A throttling limit in force: set and not negative (-1 means unset to the API). */
const limitSet = (value: unknown) => (asNumber(value) ?? -1) >= 0;

/** Whether any routeSettings entry of a stage throttles its route. */
function throttlesSomeRoute(props: Record<string, unknown>): boolean {
    return asList(props.routeSettings).some(entry => limitSet(at(entry, "throttlingRateLimit")));
}

/**
 * Whether a stage throttles one route: its routeSettings entry for the route key, or the stage's
 * defaultRouteSettings, sets a rate limit; undefined when a value that could decide it is unknown
 * during preview (stack properties carry unknowns as sentinel values).
 */
export function routeThrottled(stage: Record<string, unknown>, routeKey: string): boolean | undefined {
    let undecided = false;
    const decides = (value: unknown) => {
        undecided = undecided || isUnknown(value);
        return limitSet(value);
    };
    if (decides(at(stage.defaultRouteSettings, "throttlingRateLimit"))) {
        return true;
    }
    if (isUnknown(stage.routeSettings) || isUnknown(stage.defaultRouteSettings)) {
        return undefined;
    }
    for (const entry of asList(stage.routeSettings)) {
        const key = at(entry, "routeKey");
        if (isUnknown(entry) || isUnknown(key)) {
            undecided = undecided || decides(at(entry, "throttlingRateLimit")) || isUnknown(entry);
        } else if (asString(key) === routeKey && decides(at(entry, "throttlingRateLimit"))) {
            return true;
        }
    }
    return undecided ? undefined : false;
}

export const QUICK_CREATE = "aws-apigatewayv2-api-quick-create";

export const apiGatewayV2Policies = [
    resourcePolicy<Unwrap<apigatewayv2.ApiArgs>>({
        name: QUICK_CREATE,
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
        description: "HTTP and WebSocket API stages should throttle their routes, or one caller can drive the functions behind them to the account limit and run up the bill (denial of wallet).",
        severity: "medium",
        threats: ["P4"],
        remediation: "Set defaultRouteSettings.throttlingRateLimit and defaultRouteSettings.throttlingBurstLimit (or the same per route in routeSettings) to what the functions behind the API can take.",
        resourceTypes: [HTTP_STAGE],
        check: ({ props, report, part }) => {
            const missing: string[] = [];
            for (const key of THROTTLE_LIMITS) {
                part(() => {
                    if (!limitSet(at(props.defaultRouteSettings, key))) {
                        missing.push(`defaultRouteSettings.${key}`);
                    }
                });
            }
            // Routes throttled one by one are judged where the routes are known: on the public route reaching a function (stack-function-public-uncapped).
            if (missing.length === 0 || throttlesSomeRoute(props)) {
                return;
            }
            report(`${wordList(missing)} ${missing.length > 1 ? "are" : "is"} not set and no routeSettings entry throttles a route, so the stage takes as many requests as the account allows; set ${missing.length > 1 ? "them" : "it"}.`);
        },
    }),
];
