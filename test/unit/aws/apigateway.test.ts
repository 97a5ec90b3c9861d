import { check } from "../../support/harness";
import { expectNotApplicable, expectPass, expectViolation, mutate } from "../../support/expect";
import * as fx from "../../fixtures/aws";

describe("aws api gateway", () => {
    describe("aws-apigatewayv2-route-authorization", () => {
        const name = "aws-apigatewayv2-route-authorization";
        it("passes a JWT-authorized route", () => expectPass(check(name, fx.httpRoute)));
        it("flags NONE and a missing authorization type", () => {
            expectViolation(check(name, mutate(fx.httpRoute, f => { f.props.authorizationType = "NONE"; })), /POST \/orders/, "mandatory");
            expectViolation(check(name, mutate(fx.httpRoute, f => { delete f.props.authorizationType; })), /"NONE"/);
            expectViolation(check(name, mutate(fx.httpRoute, f => { f.props.routeKey = "$default"; delete f.props.authorizationType; })), /\$default/);
        });
        it("leaves CORS preflight and WebSocket message routes alone", () => {
            expectNotApplicable(check(name, mutate(fx.httpRoute, f => { f.props.routeKey = "OPTIONS /orders"; f.props.authorizationType = "NONE"; })), /preflight/);
            expectNotApplicable(check(name, mutate(fx.httpRoute, f => { f.props.routeKey = "sendMessage"; f.props.authorizationType = "NONE"; })), /\$connect/);
            expectViolation(check(name, mutate(fx.httpRoute, f => { f.props.routeKey = "$connect"; f.props.authorizationType = "NONE"; })), /\$connect/);
        });
    });

    describe("aws-apigateway-method-authorization", () => {
        const name = "aws-apigateway-method-authorization";
        it("passes a Cognito-authorized method", () => expectPass(check(name, fx.restMethod)));
        it("flags NONE, noting that API keys are not authentication", () => {
            expectViolation(check(name, mutate(fx.restMethod, f => { f.props.authorization = "NONE"; f.props.apiKeyRequired = true; })), /API key identifies a client/);
        });
        it("leaves OPTIONS alone", () => expectNotApplicable(check(name, mutate(fx.restMethod, f => { f.props.httpMethod = "OPTIONS"; f.props.authorization = "NONE"; }))));
    });

    describe("aws-apigateway-method-request-validation", () => {
        const name = "aws-apigateway-method-request-validation";
        it("passes a validated POST", () => expectPass(check(name, fx.restMethod)));
        it("flags a POST without a validator", () => expectViolation(check(name, mutate(fx.restMethod, f => { delete f.props.requestValidatorId; })), /requestValidatorId/));
        it("is not applicable to a GET without required parameters", () => {
            expectNotApplicable(check(name, mutate(fx.restMethod, f => { f.props.httpMethod = "GET"; delete f.props.requestValidatorId; })));
            expectNotApplicable(check(name, mutate(fx.restMethod, f => {
                f.props.httpMethod = "GET"; delete f.props.requestValidatorId; f.props.requestParameters = { "method.request.querystring.page": false };
            })));
        });
        it("warns, advisory only, on a GET or DELETE with required parameters and no validator", () => {
            const out = check(name, mutate(fx.restMethod, f => {
                f.props.httpMethod = "DELETE"; delete f.props.requestValidatorId; f.props.requestParameters = { "method.request.path.id": true };
            }));
            expectViolation(out, /method `DELETE` declares 1 required request parameter \(`path\.id`\) but has no requestValidatorId/, "advisory");
            expectPass(check(name, mutate(fx.restMethod, f => { f.props.httpMethod = "GET"; f.props.requestParameters = { "method.request.path.id": true }; })));
        });
    });
});
