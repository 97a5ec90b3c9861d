// Stack policies on AWS front doors (OpenAPI bodies, quick create, stages) and on everything that
// reaches a function: who invokes it asynchronously and every attachment of its role.
import * as assert from "assert";
import { checkStack, messages, TestResource } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import * as fx from "../../fixtures/aws";
import { EVENT_TARGET, LOG_SUBSCRIPTION, SCHEDULE } from "../../../policies/stack/aws-lambda";
import { REST_API_POLICY, USAGE_PLAN, WEB_ACL_ASSOCIATION } from "../../../policies/stack/aws-apigateway";
import { BUCKET_NOTIFICATION, TOPIC_SUBSCRIPTION } from "../../../policies/stack/aws";
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

    describe("stack-function-public-invocation through OpenAPI bodies and quick create", () => {
        const name = "stack-function-public-invocation";
        it("passes authenticated OpenAPI routes", async () => {
            expectPass(await checkStack(name, [role("r"), fn("api"), res(REST_API, "rest", { body: body() })]));
        });
        it("follows an unauthenticated OpenAPI route to the function its integration uri names", async () => {
            const out = await checkStack(name, [role("r"), fn("api"), res(REST_API, "rest", { body: body(b => { delete b.security; }) })]);
            expectViolation(out, /function `api` can be invoked without authentication: OpenAPI routes `POST \/orders`, `GET \/orders\/\{id\}` of REST API `rest` have no authentication and integrate it/, "mandatory");
            assert.strictEqual(out.violations[0].urn, urn(FN, "api"));
        });
        it("skips private APIs and APIs whose RestApiPolicy limits callers", async () => {
            const open = body(b => { delete b.security; });
            expectPass(await checkStack(name, [role("r"), fn("api"), res(REST_API, "rest", { body: open, endpointConfiguration: { types: "PRIVATE" } })]));
            const limit = doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:role/caller" }, Action: "execute-api:Invoke", Resource: "*" });
            expectPass(await checkStack(name, [role("r"), fn("api"), res(REST_API, "rest", { body: open }), res(REST_API_POLICY, "rest-policy", { restApiId: UNKNOWN, policy: limit }, { restApiId: [[REST_API, "rest"]] })]));
            expectUnknown(await checkStack(name, [role("r"), fn("api"), res(REST_API, "rest", { body: open }), res(REST_API_POLICY, "rest-policy", { restApiId: UNKNOWN, policy: UNKNOWN }, { restApiId: [[REST_API, "rest"]] })]));
        });
        it("treats a quick-create HTTP API as an unauthenticated route to its target", async () => {
            const out = await checkStack(name, [role("r"), fn("api"), res(HTTP_API, "quick", { protocolType: "HTTP", target: UNKNOWN }, { target: [[FN, "api"]] })]);
            expectViolation(out, /HTTP API `quick` is a quick-create API whose route sends every request to it without an authorizer/);
        });
        it("can't decide while a body or an unlinked target is unknown", async () => {
            expectUnknown(await checkStack(name, [role("r"), fn("api"), res(REST_API, "rest", { body: UNKNOWN })]));
            expectUnknown(await checkStack(name, [role("r"), fn("api"), res(HTTP_API, "quick", { protocolType: "HTTP", target: UNKNOWN })]));
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
        const readAll = res(POLICY, "read-all", { policy: doc({ Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "ssm:GetParameter"], Resource: "*" }) });
        it("stack-aws-lambda-role-broad-actions follows PolicyAttachment and RolePolicyAttachmentsExclusive", async () => {
            const name = "stack-aws-lambda-role-broad-actions";
            const viaPolicyAttachment = res(POLICY_ATTACHMENT, "attach", { roles: [UNKNOWN], policyArn: UNKNOWN }, { roles: [[ROLE, "r"]], policyArn: [[POLICY, "read-all"]] });
            expectViolation(await checkStack(name, [role("r"), fn("api"), readAll, viaPolicyAttachment]),
                /function `api` gets data exfiltration \(statement 0 allows secretsmanager:GetSecretValue, ssm:GetParameter on resource "\*"\) via PolicyAttachment `attach` \(policy `read-all`\) on role `r`/, "mandatory");
            const byName = res(ROLE_POLICY_ATTACHMENTS_EXCLUSIVE, "exclusive", { roleName: "api-role", policyArns: ["arn:aws:iam::111122223333:policy/read-all"] });
            const named = [res(ROLE, "r", { name: "api-role", assumeRolePolicy: "{}" }), fn("api"), res(POLICY, "read-all", { ...readAll.props, arn: "arn:aws:iam::111122223333:policy/read-all" }), byName];
            expectViolation(await checkStack(name, named), /via RolePolicyAttachmentsExclusive `exclusive` \(policy `read-all`\)/);
            expectPass(await checkStack(name, [role("r"), fn("api"), res(POLICY, "scoped", { policy: doc({ Effect: "Allow", Action: "ssm:GetParameter", Resource: "arn:aws:ssm:eu-west-1:111122223333:parameter/api/*" }) }),
                res(POLICY_ATTACHMENT, "attach", { roles: [UNKNOWN], policyArn: UNKNOWN }, { roles: [[ROLE, "r"]], policyArn: [[POLICY, "scoped"]] })]));
            expectUnknown(await checkStack(name, [role("r"), fn("api"), res(POLICY_ATTACHMENT, "attach", { roles: [UNKNOWN], policyArn: UNKNOWN }, { roles: [[ROLE, "r"]] })]));
        });
        it("stack-function-identity-privileged sees administrator policies attached with PolicyAttachment", async () => {
            const admin = res(POLICY_ATTACHMENT, "admin", { roles: ["api-role"], policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
            expectViolation(await checkStack("stack-function-identity-privileged", [res(ROLE, "r", { name: "api-role", assumeRolePolicy: "{}" }), fn("api"), admin]),
                /gets the AWS managed policy `AdministratorAccess` via PolicyAttachment `admin` on role `r`/);
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
