import { check } from "../../support/harness";
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
        it("flags missing or unlimited throttling", () => {
            expectViolation(check(name, mutate(fx.httpStage, f => { delete f.props.defaultRouteSettings; })), /throttlingRateLimit is not set/, "advisory");
            expectViolation(check(name, mutate(fx.httpStage, f => { f.props.defaultRouteSettings.throttlingBurstLimit = -1; })), /throttlingBurstLimit/);
        });
        it("can't decide while a limit is unknown", () => expectUnknown(check(name, mutate(fx.httpStage, f => { f.props.defaultRouteSettings.throttlingRateLimit = UNKNOWN; }))));
    });
});
