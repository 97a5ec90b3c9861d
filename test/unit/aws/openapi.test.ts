import * as assert from "assert";
import { check, messages } from "../../support/harness";
import { expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import * as fx from "../../fixtures/aws";
import { lambdaOfUri, openApiRoutes } from "../../../policies/aws/openapi";
import { readOpenApi } from "../../../policies/lib/openapi";

const withBody = (change: (body: any) => void) => mutate(fx.restApi, f => {
    const body = JSON.parse(f.props.body);
    change(body);
    f.props.body = JSON.stringify(body);
});

const YAML_BODY = `swagger: "2.0"
info: {title: orders, version: "1.0"}
securityDefinitions:
  sigv4:
    type: apiKey
    name: Authorization
    in: header
    x-amazon-apigateway-authtype: awsSigv4
  api_key: {type: apiKey, name: x-api-key, in: header}
security:
  - sigv4: []
paths:
  /orders:
    post:
      x-amazon-apigateway-integration:
        uri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:api/invocations
    get:
      security:
        - api_key: []
`;

describe("aws api gateway: OpenAPI bodies", () => {
    describe("aws-apigateway-openapi-authorization", () => {
        const name = "aws-apigateway-openapi-authorization";
        it("passes a body whose operations all need a Cognito token (OPTIONS preflight aside)", () => expectPass(check(name, fx.restApi)));
        it("flags an operation that opts out with security: []", () => {
            const out = check(name, withBody(b => { b.paths["/orders/{id}"].get.security = []; }));
            expectViolation(out, /body route `GET \/orders\/\{id\}` has no authentication \(no security requirement\)/, "mandatory");
        });
        it("flags a body without any security, and an anonymous alternative {}", () => {
            expectViolation(check(name, withBody(b => { delete b.security; })), /routes `POST \/orders`, `GET \/orders\/\{id\}` have no authentication/);
            expectViolation(check(name, withBody(b => { b.security = [{ cognito: [] }, {}]; })), /security alternative `\{\}`/);
        });
        it("flags API keys and undefined schemes as no authentication", () => {
            expectViolation(check(name, withBody(b => { b.components.securitySchemes.key = { type: "apiKey", name: "x-api-key", in: "header" }; b.security = [{ key: [] }]; })), /requires only `key` \(an API key identifies a client/);
            expectViolation(check(name, withBody(b => { b.security = [{ nobody: [] }]; })), /`nobody`, which no security scheme defines/);
        });
        it("leaves mock integrations alone: they reach no backend", () => {
            expectPass(check(name, withBody(b => { b.paths["/health"] = { get: { security: [], "x-amazon-apigateway-integration": { type: "MOCK" } } }; })));
        });
        it("accepts x-amazon-apigateway-auth AWS_IAM on an operation", () => {
            expectPass(check(name, withBody(b => { delete b.security; b.paths["/orders"].post["x-amazon-apigateway-auth"] = { type: "AWS_IAM" }; b.paths["/orders/{id}"].get["x-amazon-apigateway-auth"] = { type: "aws_iam" }; })));
        });
        it("reads YAML bodies (OpenAPI 2) and flags the API-key-only GET", () => {
            const out = check(name, mutate(fx.restApi, f => { f.props.body = YAML_BODY; }));
            assert.deepStrictEqual(messages(out), ["body route `GET /orders` has no authentication (security requires only `api_key` (an API key identifies a client but doesn't authenticate it)); add a security requirement naming an authorizer or IAM."]);
        });
        it("reads YAML bodies that share parts through anchors and merge keys, as real specs do", () => {
            const shared = [
                "openapi: 3.0.1",
                "components:",
                "  securitySchemes:",
                "    sigv4: {type: apiKey, name: Authorization, in: header,",
                "      x-amazon-apigateway-authtype: awsSigv4}",
                "x-integration: &lambda",
                "  type: aws_proxy",
                "  uri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:api/invocations",
                "paths:",
                "  /orders:",
                "    post: &signed",
                "      security: [{sigv4: []}]",
                "      x-amazon-apigateway-integration: {<<: *lambda}",
                "    put: *signed",
                "    get:",
                "      x-amazon-apigateway-integration: *lambda",
            ].join("\n");
            const out = check(name, mutate(fx.restApi, f => { f.props.body = shared; }));
            assert.deepStrictEqual(messages(out).length, 1, JSON.stringify(messages(out)));
            assert.match(messages(out)[0], /`GET \/orders` has no authentication/);
        });
        it("leaves private APIs and APIs whose resource policy limits callers alone", () => {
            const open = withBody(b => { delete b.security; });
            expectPass(check(name, mutate(open, f => { f.props.endpointConfiguration = { types: "PRIVATE", vpcEndpointIds: [UNKNOWN] }; })));
            const policy = JSON.stringify({ Version: "2012-10-17", Statement: [
                { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "*" },
                { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "*", Condition: { NotIpAddress: { "aws:SourceIp": ["203.0.113.0/24"] } } },
            ] });
            expectPass(check(name, mutate(open, f => { f.props.policy = policy; })));
            const everyone = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "*" }] });
            expectViolation(check(name, mutate(open, f => { f.props.policy = everyone; })), /no authentication/);
        });
        it("applies to HTTP APIs with a body too", () => {
            expectViolation(check(name, mutate(fx.httpApi, f => { f.props.body = JSON.stringify({ openapi: "3.0.1", paths: { "/": { get: {} } } }); })), /`GET \/` has no authentication/);
        });
        it("is not applicable without a body", () => expectNotApplicable(check(name, fx.httpApi), /no OpenAPI body/));
        it("can't decide while the body or the endpoint type is unknown", () => {
            expectUnknown(check(name, mutate(fx.restApi, f => { f.props.body = UNKNOWN; })));
            expectUnknown(check(name, mutate(withBody(b => { delete b.security; }), f => { f.props.endpointConfiguration = UNKNOWN; })));
        });
        it("says so, as an advisory, when the body can't be read, and never passes it", () => {
            for (const body of ["{not json", "a: &anchor 1\nb: *anchor\n", "just text", JSON.stringify({ paths: { "/x": { $ref: "other.yaml#/x" } } })]) {
                const out = check(name, mutate(fx.restApi, f => { f.props.body = body; }), { config: {} });
                assert.ok(out.violations.length > 0 && out.violations.every(v => v.level === "advisory"), `${body}: ${JSON.stringify(out)}`);
                assert.ok(messages(out).some(m => /not checked/.test(m)));
            }
        });
    });

    describe("the OpenAPI reader", () => {
        it("finds each operation's integration and the Lambda function behind it", () => {
            const routes = openApiRoutes(readOpenApi(fx.restApi.props.body)!);
            assert.deepStrictEqual(routes.operations.map(o => [o.route, o.authenticatedBy ?? o.gap]), [
                ["POST /orders", "a Cognito authorizer"], ["GET /orders/{id}", "a Cognito authorizer"],
            ]);
            assert.strictEqual(lambdaOfUri(routes.operations[0].integrationUri!), "arn:aws:lambda:eu-west-1:111122223333:function:api-1a2b3c");
            assert.strictEqual(lambdaOfUri("arn:aws:lambda:eu-west-1:111122223333:function:api:live"), "arn:aws:lambda:eu-west-1:111122223333:function:api");
            assert.strictEqual(lambdaOfUri("arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:${stageVariables.fn}/invocations"), undefined);
            assert.strictEqual(lambdaOfUri("https://example.com/orders"), undefined);
        });
        it("treats x-amazon-apigateway-any-method as ANY", () => {
            const doc = readOpenApi(JSON.stringify({ openapi: "3.0.1", paths: { "/{proxy+}": { "x-amazon-apigateway-any-method": {} } } }))!;
            assert.deepStrictEqual(openApiRoutes(doc).operations.map(o => o.route), ["ANY /{proxy+}"]);
        });
    });
});
