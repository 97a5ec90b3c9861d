// Stack policies on AWS front doors (OpenAPI bodies, quick create, stages) and on everything that
// reaches a function: who invokes it asynchronously and every attachment of its role.
import * as assert from "assert";
import { check, checkStack, messages, TestResource } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import * as fx from "../../fixtures/aws";
import { BUCKET_NOTIFICATION, EVENT_TARGET, LOG_SUBSCRIPTION, REST_API_POLICY, SCHEDULE, TOPIC_SUBSCRIPTION, USAGE_PLAN, WEB_ACL_ASSOCIATION } from "../../../policies/model/aws";
import { POLICY_ATTACHMENT, ROLE_POLICY_ATTACHMENTS_EXCLUSIVE } from "../../../policies/aws/iam";

const urn = (type: string, name: string) => `urn:pulumi:dev::shop::${type}::${name}`;
const FN = "aws:lambda/function:Function";
const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const REST_API = fx.restApi.type;
const REST_STAGE = fx.restStage.type;
const SETTINGS = fx.methodSettings.type;
const HTTP_API = fx.httpApi.type;

function res(type: string, name: string, props: Record<string, unknown>, deps: Record<string, [string, string][]> = {}): TestResource {
    return {
        type, name, urn: urn(type, name), props,
        propertyDependencies: Object.fromEntries(Object.entries(deps).map(([k, refs]) => [k, refs.map(([t, n]) => urn(t, n))])),
    };
}

const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const role = (name: string, extra: Record<string, unknown> = {}) => res(ROLE, name, { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }), ...extra });
const fn = (name: string, extra: Record<string, unknown> = {}, deps: Record<string, [string, string][]> = {}) =>
    res(FN, name, { name: `${name}-1a2b3c`, runtime: "nodejs22.x", role: UNKNOWN, reservedConcurrentExecutions: 5, ...extra }, { role: [[ROLE, "r"]], ...deps });
const body = (change: (b: any) => void = () => undefined) => {
    const b = JSON.parse(JSON.stringify(fx.openApiBody));
    change(b);
    return JSON.stringify(b);
};

describe("stack policies: AWS front doors", () => {
    it("links only type tokens that @pulumi/aws defines", () => {
        const sdk = require("@pulumi/aws");
        for (const token of [EVENT_TARGET, SCHEDULE, LOG_SUBSCRIPTION, REST_API_POLICY, USAGE_PLAN, WEB_ACL_ASSOCIATION, BUCKET_NOTIFICATION, TOPIC_SUBSCRIPTION, POLICY_ATTACHMENT, ROLE_POLICY_ATTACHMENTS_EXCLUSIVE]) {
            const [, module, cls] = token.split(":");
            assert.strictEqual(sdk[module.split("/")[0]]?.[cls]?.__pulumiType, token, token);
        }
    });

    // aws-apigateway-openapi-authorization and aws-apigatewayv2-api-quick-create report these paths on the API, so
    // stack-function-public-invocation stays silent; the uncapped line on a function without a cap names each path.
    describe("public paths through OpenAPI bodies and quick create", () => {
        const name = "stack-function-public-uncapped";
        it("passes authenticated OpenAPI routes", async () => {
            expectPass(await checkStack(name, [role("r"), fn("api", { reservedConcurrentExecutions: undefined }), res(REST_API, "rest", { body: body() })]));
        });
        it("follows an unauthenticated OpenAPI route to the function its integration uri names", async () => {
            const out = await checkStack(name, [role("r"), fn("api", { reservedConcurrentExecutions: undefined }), res(REST_API, "rest", { body: body(b => { delete b.security; }) })]);
            expectViolation(out, /function `api` has no reserved concurrency .*OpenAPI routes `POST \/orders`, `GET \/orders\/\{id\}` of REST API `rest` have no authentication and integrate it \(aws-apigateway-openapi-authorization reports it on `rest`\)/, "advisory");
            expectPass(await checkStack("stack-function-public-invocation", [role("r"), fn("api"), res(REST_API, "rest", { body: body(b => { delete b.security; }) })]));
            assert.strictEqual(out.violations[0].urn, urn(FN, "api"));
        });
        it("skips private APIs and APIs whose RestApiPolicy limits callers", async () => {
            const open = body(b => { delete b.security; });
            expectPass(await checkStack(name, [role("r"), fn("api", { reservedConcurrentExecutions: undefined }), res(REST_API, "rest", { body: open, endpointConfiguration: { types: "PRIVATE" } })]));
            const limit = doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:role/caller" }, Action: "execute-api:Invoke", Resource: "*" });
            expectPass(await checkStack(name, [role("r"), fn("api", { reservedConcurrentExecutions: undefined }), res(REST_API, "rest", { body: open }), res(REST_API_POLICY, "rest-policy", { restApiId: UNKNOWN, policy: limit }, { restApiId: [[REST_API, "rest"]] })]));
            expectUnknown(await checkStack(name, [role("r"), fn("api", { reservedConcurrentExecutions: undefined }), res(REST_API, "rest", { body: open }), res(REST_API_POLICY, "rest-policy", { restApiId: UNKNOWN, policy: UNKNOWN }, { restApiId: [[REST_API, "rest"]] })]));
        });
        it("treats a quick-create HTTP API as an unauthenticated route to its target", async () => {
            const out = await checkStack(name, [role("r"), fn("api", { reservedConcurrentExecutions: undefined }), res(HTTP_API, "quick", { protocolType: "HTTP", target: UNKNOWN }, { target: [[FN, "api"]] })]);
            expectViolation(out, /HTTP API `quick` is a quick-create API whose route sends every request to it without an authorizer \(aws-apigatewayv2-api-quick-create reports it on `quick`\)/);
        });
        it("can't decide while a body or an unlinked target is unknown", async () => {
            expectUnknown(await checkStack(name, [role("r"), fn("api", { reservedConcurrentExecutions: undefined }), res(REST_API, "rest", { body: UNKNOWN })]));
            expectUnknown(await checkStack(name, [role("r"), fn("api", { reservedConcurrentExecutions: undefined }), res(HTTP_API, "quick", { protocolType: "HTTP", target: UNKNOWN })]));
        });
    });

    describe("route- and method-level throttles cap a public path (stack-function-public-uncapped)", () => {
        const name = "stack-function-public-uncapped";
        const HTTP_ROUTE = "aws:apigatewayv2/route:Route";
        const HTTP_INTEGRATION = "aws:apigatewayv2/integration:Integration";
        const HTTP_STAGE = fx.httpStage.type;
        const open = () => fn("lambdaFunction", { reservedConcurrentExecutions: undefined });
        // pulumi/examples aws-ts-apigatewayv2-http-api: a $default route without an authorizer, throttled only by the stage's routeSettings.
        const httpApi = (routeSettings: unknown, defaultRouteSettings?: unknown) => [
            role("r"), open(),
            res(HTTP_API, "httpApiGateway", { protocolType: "HTTP" }),
            res(HTTP_INTEGRATION, "lambdaIntegration", { apiId: UNKNOWN, integrationType: "AWS_PROXY", integrationUri: UNKNOWN, integrationMethod: "POST", payloadFormatVersion: "2.0" }, { apiId: [[HTTP_API, "httpApiGateway"]], integrationUri: [[FN, "lambdaFunction"]] }),
            res(HTTP_ROUTE, "apiRoute", { apiId: UNKNOWN, routeKey: "$default", target: UNKNOWN }, { apiId: [[HTTP_API, "httpApiGateway"]], target: [[HTTP_INTEGRATION, "lambdaIntegration"]] }),
            res(HTTP_STAGE, "apiStage", { apiId: UNKNOWN, name: "dev", autoDeploy: true, routeSettings, defaultRouteSettings }, { apiId: [[HTTP_API, "httpApiGateway"]], routeSettings: [[HTTP_ROUTE, "apiRoute"]] }),
        ];
        it("an HTTP API route throttled through the stage's routeSettings is capped; the missing authorizer stays one line, on the route", async () => {
            expectPass(await checkStack(name, httpApi([{ routeKey: "$default", throttlingBurstLimit: 5000, throttlingRateLimit: 10000 }])));
            expectPass(await checkStack(name, httpApi([{ routeKey: "$default", throttlingBurstLimit: 1, throttlingRateLimit: 0.5 }])));
            expectPass(await checkStack(name, httpApi(undefined, { throttlingRateLimit: 20, throttlingBurstLimit: 40 })));
            expectPass(await checkStack("stack-function-public-invocation", httpApi(undefined)));
            expectViolation(check("aws-apigatewayv2-route-authorization", httpApi(undefined)[4]), /route `\$default` has authorizationType "NONE"/, "mandatory");
        });
        it("flags the route when no stage setting throttles it, naming the route and the policy that reports it", async () => {
            const out = await checkStack(name, httpApi(undefined));
            assert.deepStrictEqual(messages(out), ["function `lambdaFunction` has no reserved concurrency (reservedConcurrentExecutions) and is public (API Gateway route `$default` (`apiRoute`) has no authorizer and integrates it through `lambdaIntegration` (aws-apigatewayv2-route-authorization reports it on `apiRoute`)), so anyone can scale it to the account limit; cap it, or require authentication on that path."]);
            expectViolation(await checkStack(name, httpApi([{ routeKey: "GET /other", throttlingRateLimit: 5 }])), /route `\$default`/);
            expectViolation(await checkStack(name, httpApi([{ routeKey: "$default", loggingLevel: "INFO" }])), /route `\$default`/);
        });
        it("waits while the throttled route's key is unknown", async () => {
            expectUnknown(await checkStack(name, httpApi([{ routeKey: UNKNOWN, throttlingRateLimit: 5 }])));
        });

        // A REST method on a resource path, as aws-ts-apigateway programs declare it, throttled by MethodSettings for its own path.
        const RESOURCE = "aws:apigateway/resource:Resource";
        const restApi = (methodPath: unknown, settings: Record<string, unknown> = { throttlingRateLimit: 0.5, throttlingBurstLimit: 1 }) => [
            role("r"), open(),
            res(REST_API, "api", { name: "api" }),
            res(RESOURCE, "orders", { restApi: UNKNOWN, parentId: UNKNOWN, pathPart: "orders" }, { restApi: [[REST_API, "api"]], parentId: [[REST_API, "api"]] }),
            res("aws:apigateway/method:Method", "post", { restApi: UNKNOWN, resourceId: UNKNOWN, httpMethod: "POST", authorization: "NONE" }, { restApi: [[REST_API, "api"]], resourceId: [[RESOURCE, "orders"]] }),
            res("aws:apigateway/integration:Integration", "post-int", { restApi: UNKNOWN, resourceId: UNKNOWN, httpMethod: "POST", type: "AWS_PROXY", uri: UNKNOWN }, { restApi: [[REST_API, "api"]], resourceId: [[RESOURCE, "orders"]], uri: [[FN, "lambdaFunction"]] }),
            res(REST_STAGE, "prod", { restApi: UNKNOWN, deployment: UNKNOWN, stageName: "prod" }, { restApi: [[REST_API, "api"]] }),
            res(SETTINGS, "throttle", { restApi: UNKNOWN, stageName: UNKNOWN, methodPath, settings }, { restApi: [[REST_API, "api"]], stageName: [[REST_STAGE, "prod"]] }),
        ];
        it("a REST method throttled by MethodSettings for its own path (or */*) is capped", async () => {
            expectPass(await checkStack(name, restApi("orders/POST")));
            expectPass(await checkStack(name, restApi("*/*")));
        });
        it("flags a REST method whose path is not throttled, naming the method", async () => {
            expectViolation(await checkStack(name, restApi("orders/GET")), /REST method `POST` \(`post`\) has authorization NONE .*\(aws-apigateway-method-authorization reports it on `post`\)/, "advisory");
            expectViolation(await checkStack(name, restApi("orders/POST", { loggingLevel: "ERROR" })), /REST method `POST`/);
        });
        it("waits while the method settings' path is unknown", async () => {
            expectUnknown(await checkStack(name, restApi(UNKNOWN)));
        });
    });

    describe("stack-aws-apigateway-throttling", () => {
        const name = "stack-aws-apigateway-throttling";
        const stage = res(REST_STAGE, "prod", { ...fx.restStage.props }, { restApi: [[REST_API, "rest"]] });
        const settings = (extra: Record<string, unknown> = {}, deps: Record<string, [string, string][]> = { stageName: [[REST_STAGE, "prod"]] }) =>
            res(SETTINGS, "all", { ...fx.methodSettings.props, ...extra }, deps);
        it("passes a stage throttled by method settings for */* (linked by dependency or by name)", async () => {
            expectPass(await checkStack(name, [res(REST_API, "rest", {}), stage, settings()]));
            expectPass(await checkStack(name, [res(REST_API, "rest", {}), stage, settings({ stageName: "prod" }, { restApi: [[REST_API, "rest"]] })]));
        });
        it("passes a stage listed by a usage plan with throttle settings", async () => {
            const plan = res(USAGE_PLAN, "plan", { apiStages: [{ apiId: UNKNOWN, stage: UNKNOWN }], throttleSettings: { rateLimit: 20, burstLimit: 40 } }, { apiStages: [[REST_STAGE, "prod"]] });
            expectPass(await checkStack(name, [res(REST_API, "rest", {}), stage, plan]));
        });
        it("flags a stage without throttling, or throttled on one method only", async () => {
            expectViolation(await checkStack(name, [res(REST_API, "rest", {}), stage]), /stage `prod` has no throttling/, "advisory");
            expectViolation(await checkStack(name, [res(REST_API, "rest", {}), stage, settings({ methodPath: "orders/POST" })]), /no throttling/);
            expectViolation(await checkStack(name, [res(REST_API, "rest", {}), stage, settings({ settings: { loggingLevel: "ERROR" } })]), /no throttling/);
        });
        it("can't decide while the method settings' stage is unknown and unlinked", async () => {
            expectUnknown(await checkStack(name, [res(REST_API, "rest", {}), stage, settings({}, {})]));
        });
    });

    describe("stack-aws-apigateway-waf", () => {
        const name = "stack-aws-apigateway-waf";
        const stage = res(REST_STAGE, "prod", { ...fx.restStage.props }, { restApi: [[REST_API, "rest"]] });
        const association = (deps: Record<string, [string, string][]>) => res(WEB_ACL_ASSOCIATION, "waf", { resourceArn: UNKNOWN, webAclArn: "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/a/b" }, deps);
        it("passes a stage with a web ACL association", async () => {
            expectPass(await checkStack(name, [res(REST_API, "rest", {}), stage, association({ resourceArn: [[REST_STAGE, "prod"]] })]));
        });
        it("flags a public stage without one, advisory; private APIs are left alone", async () => {
            expectViolation(await checkStack(name, [res(REST_API, "rest", {}), stage]), /stage `prod` has no WAF web ACL association/, "advisory");
            expectPass(await checkStack(name, [res(REST_API, "rest", { endpointConfiguration: { types: "PRIVATE" } }), stage]));
        });
        it("can't decide while an association's resource is unknown and unlinked", async () => {
            expectUnknown(await checkStack(name, [res(REST_API, "rest", {}), stage, association({})]));
        });
    });

    describe("aws-lambda-function-dead-letter (asynchronous invokers only)", () => {
        const name = "aws-lambda-function-dead-letter";
        const noDlq = () => fn("api");
        const B = "aws:s3/bucketV2:BucketV2";
        const notification = res(BUCKET_NOTIFICATION, "n", { bucket: UNKNOWN, lambdaFunctions: [{ lambdaFunctionArn: UNKNOWN, events: ["s3:ObjectCreated:*"] }] }, { bucket: [[B, "uploads"]], lambdaFunctions: [[FN, "api"]] });
        it("flags a function S3 invokes without a dead-letter target", async () => {
            const out = await checkStack(name, [role("r"), noDlq(), res(B, "uploads", {}), notification]);
            assert.deepStrictEqual(messages(out), ["function `api` is invoked asynchronously (by BucketNotification `n`) but deadLetterConfig.targetArn is not set and no FunctionEventInvokeConfig has an on-failure destination: failed events are dropped."]);
            assert.strictEqual(out.violations[0].level, "advisory");
        });
        it("flags EventBridge targets, schedules, log subscriptions, SNS and permissions for async services", async () => {
            const cases: TestResource[] = [
                res(EVENT_TARGET, "rule-target", { rule: "nightly", arn: UNKNOWN }, { arn: [[FN, "api"]] }),
                res(SCHEDULE, "every-hour", { target: { arn: UNKNOWN, roleArn: UNKNOWN } }, { target: [[FN, "api"]] }),
                res(LOG_SUBSCRIPTION, "errors", { destinationArn: UNKNOWN }, { destinationArn: [[FN, "api"]] }),
                res(TOPIC_SUBSCRIPTION, "sub", { protocol: "lambda", topic: UNKNOWN, endpoint: UNKNOWN }, { endpoint: [[FN, "api"]] }),
                res("aws:lambda/permission:Permission", "events", { function: UNKNOWN, principal: "events.amazonaws.com", sourceArn: UNKNOWN }, { function: [[FN, "api"]] }),
            ];
            for (const invoker of cases) {
                expectViolation(await checkStack(name, [role("r"), noDlq(), invoker]), new RegExp(`invoked asynchronously \\(by [^)]*${invoker.name}`));
            }
        });
        it("passes with a dead-letter target or an on-failure destination", async () => {
            expectPass(await checkStack(name, [role("r"), fn("api", { deadLetterConfig: { targetArn: UNKNOWN } }), res(B, "uploads", {}), notification]));
            const onFailure = res("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "async", { functionName: UNKNOWN, destinationConfig: { onFailure: { destination: UNKNOWN } } }, { functionName: [[FN, "api"]] });
            expectPass(await checkStack(name, [role("r"), noDlq(), res(B, "uploads", {}), notification, onFailure]));
            const noDestination = res("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "async", { functionName: UNKNOWN, maximumRetryAttempts: 0 }, { functionName: [[FN, "api"]] });
            expectViolation(await checkStack(name, [role("r"), noDlq(), noDestination]), /FunctionEventInvokeConfig `async`/);
        });
        it("doesn't require one for synchronous or polled functions", async () => {
            const apiGw = res("aws:lambda/permission:Permission", "apigw", { function: UNKNOWN, principal: "apigateway.amazonaws.com", sourceArn: UNKNOWN }, { function: [[FN, "api"]] });
            const mapping = res("aws:lambda/eventSourceMapping:EventSourceMapping", "m", { functionName: UNKNOWN, eventSourceArn: UNKNOWN }, { functionName: [[FN, "api"]], eventSourceArn: [["aws:sqs/queue:Queue", "jobs"]] });
            expectPass(await checkStack(name, [role("r"), noDlq(), apiGw, mapping, res("aws:sqs/queue:Queue", "jobs", {})]));
            expectPass(await checkStack(name, [role("r"), noDlq()]));
        });
        it("can't decide while a permission's principal is unknown", async () => {
            expectUnknown(await checkStack(name, [role("r"), noDlq(), res("aws:lambda/permission:Permission", "p", { function: UNKNOWN, principal: UNKNOWN }, { function: [[FN, "api"]] })]));
        });
    });

    describe("every attachment reaches the function's role", () => {
        // The document and managed-policy checks report these grants on the policy or attachment; the stack
        // policies leave them there, and stack-function-secret-reference shows that each attachment reaches the role.
        const S = "aws:secretsmanager/secret:Secret";
        const readAll = res(POLICY, "read-all", { policy: doc({ Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "ssm:GetParameter"], Resource: "*" }) });
        const reader = (extra: Record<string, unknown> = {}) => res(FN, "api", { name: "api-1a2b3c", role: UNKNOWN, environment: { variables: { DB_SECRET_ARN: UNKNOWN } }, ...extra }, { role: [[ROLE, "r"]], environment: [[S, "db"]] });
        const secret = res(S, "db", { arn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCd", kmsKeyId: UNKNOWN });
        it("PolicyAttachment and RolePolicyAttachmentsExclusive reach the role; the broad grant stays one line, on the policy", async () => {
            const viaPolicyAttachment = res(POLICY_ATTACHMENT, "attach", { roles: [UNKNOWN], policyArn: UNKNOWN }, { roles: [[ROLE, "r"]], policyArn: [[POLICY, "read-all"]] });
            expectPass(await checkStack("stack-function-secret-reference", [role("r"), reader(), secret, readAll, viaPolicyAttachment]));
            expectViolation(await checkStack("stack-function-secret-reference", [role("r"), reader(), secret, readAll]), /can't secretsmanager:GetSecretValue/);
            expectPass(await checkStack("stack-aws-lambda-role-broad-actions", [role("r"), fn("api"), readAll, viaPolicyAttachment]));
            expectViolation(check("aws-iam-policy-data-exfiltration", readAll), /allows data exfiltration: statement 0 allows secretsmanager:GetSecretValue, ssm:GetParameter on resource "\*"/);
            const byName = res(ROLE_POLICY_ATTACHMENTS_EXCLUSIVE, "exclusive", { roleName: "api-role", policyArns: ["arn:aws:iam::111122223333:policy/read-all"] });
            const named = [res(ROLE, "r", { name: "api-role", assumeRolePolicy: "{}" }), reader(), secret, res(POLICY, "read-all", { ...readAll.props, arn: "arn:aws:iam::111122223333:policy/read-all" }), byName];
            expectPass(await checkStack("stack-function-secret-reference", named));
            expectUnknown(await checkStack("stack-aws-lambda-role-broad-actions", [role("r"), fn("api"), res(POLICY_ATTACHMENT, "attach", { roles: [UNKNOWN], policyArn: UNKNOWN }, { roles: [[ROLE, "r"]] })]));
        });
        it("an administrator policy attached with PolicyAttachment is reported once, on the attachment", async () => {
            const admin = res(POLICY_ATTACHMENT, "admin", { roles: ["api-role"], policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
            const graph = [res(ROLE, "r", { name: "api-role", assumeRolePolicy: "{}" }), reader(), secret, admin];
            expectPass(await checkStack("stack-function-secret-reference", graph));
            expectPass(await checkStack("stack-function-identity-privileged", graph));
            expectViolation(check("aws-iam-managed-policy-admin", admin), /policyArn attaches the AWS managed policy `AdministratorAccess`/, "mandatory");
        });
    });

    describe("IAM resource patterns as IAM matches them", () => {
        const S = "aws:secretsmanager/secret:Secret";
        const name = "stack-function-secret-reference";
        const graph = (resource: string, secretProps: Record<string, unknown> = { name: "db", kmsKeyId: UNKNOWN, arn: UNKNOWN }) => [
            role("r", { inlinePolicies: [{ name: "read", policy: doc({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: resource }) }] }),
            fn("api", { environment: { variables: { DB_SECRET_ARN: UNKNOWN } } }, { environment: [[S, "db"]] }),
            res(S, "db", secretProps),
        ];
        it("matches the six random characters of a new secret's ARN with -?????? or *", async () => {
            expectPass(await checkStack(name, graph("arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-??????")));
            expectPass(await checkStack(name, graph("arn:aws:secretsmanager:*:*:secret:db*")));
        });
        it("doesn't match a pattern without the suffix, another name, or a different case", async () => {
            expectViolation(await checkStack(name, graph("arn:aws:secretsmanager:eu-west-1:111122223333:secret:db")), /can't secretsmanager:GetSecretValue/);
            expectViolation(await checkStack(name, graph("arn:aws:secretsmanager:eu-west-1:111122223333:secret:dbx-??????")), /can't/);
            const known = { name: "db", kmsKeyId: UNKNOWN, arn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf" };
            expectPass(await checkStack(name, graph("arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCdEf", known)));
            expectViolation(await checkStack(name, graph("arn:aws:secretsmanager:eu-west-1:111122223333:secret:DB-AbCdEf", known)), /can't/);
            expectViolation(await checkStack(name, graph("arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-?????", known)), /can't/);
        });
    });
});
