import * as assert from "assert";
import { check, messages } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import * as fx from "../../fixtures/aws";

describe("aws api gateway v2", () => {
    describe("aws-apigatewayv2-api-quick-create", () => {
        const name = "aws-apigatewayv2-api-quick-create";
        it("passes an API declared route by route", () => expectPass(check(name, fx.httpApi)));
        it("flags quick create, even while the target (a new function's ARN) is unknown", () => {
            expectViolation(check(name, mutate(fx.httpApi, f => { f.props.target = UNKNOWN; })), /target is set: quick create makes a route \(routeKey, \$default unless set\) to the target without any authorizer/, "mandatory");
            expectViolation(check(name, mutate(fx.httpApi, f => { f.props.target = "arn:aws:lambda:eu-west-1:111122223333:function:api"; f.props.routeKey = "POST /orders"; })), /quick create/);
        });
    });

    describe("aws-apigatewayv2-stage-throttling", () => {
        const name = "aws-apigatewayv2-stage-throttling";
        it("passes a throttled default route", () => expectPass(check(name, fx.httpStage)));
        it("flags missing or unlimited throttling in one line listing every limit at fault", () => {
            const out = check(name, mutate(fx.httpStage, f => { delete f.props.defaultRouteSettings; }));
            assert.deepStrictEqual(messages(out), ["defaultRouteSettings.throttlingRateLimit and defaultRouteSettings.throttlingBurstLimit are not set and no routeSettings entry throttles a route, so the stage takes as many requests as the account allows; set them."]);
            assert.strictEqual(out.violations[0].level, "advisory");
            expectViolation(check(name, mutate(fx.httpStage, f => { f.props.defaultRouteSettings.throttlingBurstLimit = -1; })), /\ndefaultRouteSettings\.throttlingBurstLimit is not set and/);
        });
        it("leaves a stage that throttles routes one by one (routeSettings, as aws-ts-apigatewayv2-http-api does) to the route that reaches a function", () => {
            // pulumi/examples aws-ts-apigatewayv2-http-api: a stage with routeSettings for the $default route only.
            const perRoute = mutate(fx.httpStage, f => {
                delete f.props.defaultRouteSettings;
                f.props.routeSettings = [{ routeKey: "$default", throttlingBurstLimit: 5000, throttlingRateLimit: 10000 }];
            });
            expectPass(check(name, perRoute));
            expectViolation(check(name, mutate(perRoute, f => { f.props.routeSettings = [{ routeKey: "$default", loggingLevel: "INFO" }]; })), /no routeSettings entry throttles a route/);
        });
        it("can't decide while a limit is unknown", () => expectUnknown(check(name, mutate(fx.httpStage, f => { f.props.defaultRouteSettings.throttlingRateLimit = UNKNOWN; }))));
    });
});
