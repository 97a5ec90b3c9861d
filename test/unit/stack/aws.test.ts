// Stack policies on small AWS graphs, linked the way the engine links them during preview:
// identifiers unknown, links through propertyDependencies (and by known names/ARNs where given).
import * as assert from "assert";
import { check, checkStack, messages, TestResource, withPoliciesDisabled } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import { recordConfiguredLevel } from "../../../policies/lib/redecide";

const urn = (type: string, name: string) => `urn:pulumi:dev::shop::${type}::${name}`;
const FN = "aws:lambda/function:Function";
const ROLE = "aws:iam/role:Role";

function res(type: string, name: string, props: Record<string, unknown>, deps: Record<string, [string, string][]> = {}): TestResource {
    return {
        type, name, urn: urn(type, name), props,
        propertyDependencies: Object.fromEntries(Object.entries(deps).map(([k, refs]) => [k, refs.map(([t, n]) => urn(t, n))])),
    };
}

const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const lambdaTrust = doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" });
const role = (name: string, extra: Record<string, unknown> = {}) => res(ROLE, name, { assumeRolePolicy: lambdaTrust, ...extra });
const fn = (name: string, roleName: string, extra: Record<string, unknown> = {}, deps: Record<string, [string, string][]> = {}) =>
    res(FN, name, { name: `${name}-1a2b3c`, runtime: "nodejs22.x", role: UNKNOWN, reservedConcurrentExecutions: 5, ...extra }, { role: [[ROLE, roleName]], ...deps });

// The resources @pulumi/aws creates for `topic.onEvent(name, callback)` (snsMixins.js, lambdaMixins.js):
// a CallbackFunction whose role gets one RolePolicyAttachment per default managed policy, a Permission
// spelled "lambda:invokeFunction", and a TopicSubscription.
const CALLBACK_DEFAULT_POLICIES = [
    "AWSLambda_FullAccess", "CloudWatchFullAccessV2", "CloudWatchEventsFullAccess", "AmazonS3FullAccess", "AmazonDynamoDBFullAccess",
    "AmazonSQSFullAccess", "AmazonKinesisFullAccess", "AmazonCognitoPowerUser", "AWSXrayWriteOnlyAccess",
].map(n => `arn:aws:iam::aws:policy/${n}`);
const ATTACH = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
function callbackSubscription(name: string, policies = CALLBACK_DEFAULT_POLICIES, topicProps: Record<string, unknown> = {}): TestResource[] {
    const TOPIC = "aws:sns/topic:Topic";
    return [
        res(TOPIC, "messages", topicProps),
        role(name),
        ...policies.map((arn, i) => res(ATTACH, `${name}-${i}`, { role: UNKNOWN, policyArn: arn }, { role: [[ROLE, name]] })),
        res(FN, name, { runtime: "nodejs22.x", role: UNKNOWN, timeout: 180 }, { role: [[ROLE, name]] }),
        res("aws:lambda/permission:Permission", name, { action: "lambda:invokeFunction", function: UNKNOWN, principal: "sns.amazonaws.com", sourceArn: UNKNOWN }, { function: [[FN, name]], sourceArn: [[TOPIC, "messages"]] }),
        res("aws:sns/topicSubscription:TopicSubscription", name, { topic: UNKNOWN, protocol: "lambda", endpoint: UNKNOWN }, { topic: [[TOPIC, "messages"]], endpoint: [[FN, name]] }),
    ];
}

describe("stack policies: AWS", () => {
    describe("a root cause whose resource policy is disabled in this run is the stack policies' to report", () => {
        afterEach(() => {
            recordConfiguredLevel("aws-lambda-function-url-auth", "mandatory");
            recordConfiguredLevel("aws-iam-policy-data-exfiltration", "mandatory");
        });
        it("stack-function-public-invocation names a public function URL when aws-lambda-function-url-auth is disabled", async () => {
            const stack = [role("r"), fn("api", "r"), res("aws:lambda/functionUrl:FunctionUrl", "api-url", { functionName: UNKNOWN, authorizationType: "NONE" }, { functionName: [[FN, "api"]] })];
            expectPass(await checkStack("stack-function-public-invocation", stack));
            recordConfiguredLevel("aws-lambda-function-url-auth", "disabled");
            expectViolation(await checkStack("stack-function-public-invocation", stack), /function `api` can be invoked without authentication: FunctionUrl `api-url`/);
        });
        it("stack-function-identity-privileged names iam:PassRole on an administrator role when aws-iam-policy-privilege-escalation is disabled", async () => {
            const admin = role("ops-admin", { name: "ops-admin", arn: "arn:aws:iam::111122223333:role/ops-admin", managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] });
            const stack = [admin, role("r", { inlinePolicies: [{ name: "deploy", policy: doc({ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/ops-admin" }) }] }), fn("api", "r")];
            const ownLines = (out: { violations: { message: string }[] }) => out.violations.filter(v => /function `api`/.test(v.message));
            assert.deepStrictEqual(ownLines(await checkStack("stack-function-identity-privileged", stack)), []);
            recordConfiguredLevel("aws-iam-policy-privilege-escalation", "disabled");
            try {
                expectViolation(await checkStack("stack-function-identity-privileged", stack), /function `api` gets privilege escalation \(statement 0 allows iam:PassRole on role `ops-admin`, which has the AWS managed policy `AdministratorAccess`.*\) via inline policy `deploy` of role `r`\./);
            } finally {
                recordConfiguredLevel("aws-iam-policy-privilege-escalation", "mandatory");
            }
        });
        it("stack-aws-lambda-role-broad-actions names a class whose document policy is disabled", async () => {
            const stack = [role("r", { inlinePolicies: [{ name: "p", policy: doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }) }] }), fn("api", "r")];
            expectPass(await checkStack("stack-aws-lambda-role-broad-actions", stack));
            recordConfiguredLevel("aws-iam-policy-data-exfiltration", "disabled");
            expectViolation(await checkStack("stack-aws-lambda-role-broad-actions", stack), /s3:GetObject/);
        });
    });

    describe("@pulumi/aws callback functions with their default managed policies", () => {
        afterEach(() => recordConfiguredLevel("aws-iam-managed-policy-service-wide", "mandatory"));
        it("don't get 'can sns:Publish' from AWSLambda_FullAccess: no default policy publishes to SNS", async () => {
            expectPass(await checkStack("stack-function-event-loop", callbackSubscription("processor")));
        });
        it("leave a loop through a full-access managed policy to the line on its attachment (aws-js-sqs-slack: AmazonSQSFullAccess on a queue consumer)", async () => {
            const withSns = callbackSubscription("processor", [...CALLBACK_DEFAULT_POLICIES, "arn:aws:iam::aws:policy/AmazonSNSFullAccess"]);
            // Scoping the role, what aws-iam-managed-policy-service-wide asks on the attachment, is also what ends the loop.
            expectPass(await checkStack("stack-function-event-loop", withSns));
            expectViolation(check("aws-iam-managed-policy-service-wide", withSns.find(r => r.name === "processor-9")!), /`AmazonSNSFullAccess`/, "mandatory");
            recordConfiguredLevel("aws-iam-managed-policy-service-wide", "disabled");
            expectViolation(await checkStack("stack-function-event-loop", withSns),
                /function `processor` is triggered by SNS topic `messages` \(via TopicSubscription `processor`\) and can sns:Publish to it via the AWS managed policy `AmazonSNSFullAccess` \(RolePolicyAttachment `processor-9` on role `processor`\)/);
        });
        it("leave each full-access policy to the line on its attachment, which says what it allows", async () => {
            const stack = callbackSubscription("processor");
            expectPass(await checkStack("stack-function-identity-privileged", stack));
            const attachment = stack.find(r => r.name === "processor-0")!;
            expectViolation(check("aws-iam-managed-policy-service-wide", attachment), /`AWSLambda_FullAccess` \(every Lambda action on every function, and iam:PassRole of any role to Lambda\)/, "mandatory");
        });
        it("leave managed policies to their attachments in stack-aws-lambda-role-broad-actions", async () => {
            expectPass(await checkStack("stack-aws-lambda-role-broad-actions", callbackSubscription("processor")));
        });
        it("pass the SNS topic's default encryption, and name it when a customer-managed key is required", async () => {
            expectPass(await checkStack("stack-function-data-path-encryption", callbackSubscription("processor")));
            expectViolation(await checkStack("stack-function-data-path-encryption", callbackSubscription("processor"), { config: { requireCustomerManagedKey: true } }),
                /function `processor` is triggered by SNS topic `messages` \(via TopicSubscription `processor`\), which is not encrypted with a customer-managed KMS key/);
        });
        it("see a bucket.onObjectCreated function that AmazonS3FullAccess lets write to its own bucket, while the attachment's line is off", async () => {
            const B = "aws:s3/bucketV2:BucketV2";
            const graph = [
                role("thumb"), ...CALLBACK_DEFAULT_POLICIES.map((arn, i) => res(ATTACH, `thumb-${i}`, { role: UNKNOWN, policyArn: arn }, { role: [[ROLE, "thumb"]] })),
                res(FN, "thumb", { role: UNKNOWN }, { role: [[ROLE, "thumb"]] }),
                res(B, "images", { bucket: UNKNOWN }),
                res("aws:s3/bucketNotification:BucketNotification", "images", { bucket: UNKNOWN, lambdaFunctions: [{ lambdaFunctionArn: UNKNOWN, events: ["s3:ObjectCreated:*"] }] }, { bucket: [[B, "images"]], lambdaFunctions: [[FN, "thumb"]] }),
            ];
            expectPass(await checkStack("stack-function-event-loop", graph));
            recordConfiguredLevel("aws-iam-managed-policy-service-wide", "disabled");
            expectViolation(await checkStack("stack-function-event-loop", graph), /can s3:PutObject to it via the AWS managed policy `AmazonS3FullAccess`/);
        });
    });


    describe("stack-function-identity-privileged", () => {
        const name = "stack-function-identity-privileged";
        it("passes a function whose role is scoped", async () => {
            expectPass(await checkStack(name, [role("r", { inlinePolicies: [{ name: "p", policy: doc({ Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:eu-west-1:111122223333:q" }) }] }), fn("api", "r")]));
        });
        it("leaves a grant in an attached policy to the document policy that reports it there: one line, on the policy", async () => {
            const admin = res("aws:iam/policy:Policy", "admin", { policy: doc({ Effect: "Allow", Action: "iam:*", Resource: "*" }) });
            expectPass(await checkStack(name, [
                role("r"), fn("api", "r"), admin,
                res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "admin-attach", { role: UNKNOWN, policyArn: UNKNOWN }, { role: [[ROLE, "r"]], policyArn: [["aws:iam/policy:Policy", "admin"]] }),
            ]));
            expectViolation(check("aws-iam-policy-service-wildcard", admin), /policy grants a whole service: statement 0 allows "iam:\*" on resource "\*"/, "mandatory");
        });
        it("leaves an administrator managed policy to aws-iam-managed-policy-admin on the attachment", async () => {
            const attach = res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "admin", { role: "api-role", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
            expectPass(await checkStack(name, [res(ROLE, "r", { name: "api-role", arn: "arn:aws:iam::111122223333:role/api-role", assumeRolePolicy: lambdaTrust }), res(FN, "api", { role: "arn:aws:iam::111122223333:role/api-role" }), attach]));
            expectViolation(check("aws-iam-managed-policy-admin", attach), /AdministratorAccess/, "mandatory");
        });
        it("links by known ARNs and names when there are no dependencies (seen through the secret its role can read)", async () => {
            const S = "aws:secretsmanager/secret:Secret";
            const graph = (attachments: TestResource[]) => [
                res(ROLE, "r", { name: "api-role", arn: "arn:aws:iam::111122223333:role/api-role", assumeRolePolicy: lambdaTrust }),
                res(FN, "api", { role: "arn:aws:iam::111122223333:role/api-role", environment: { variables: { DB_SECRET_ARN: UNKNOWN } } }, { environment: [[S, "db"]] }),
                res(S, "db", { arn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCd", kmsKeyId: UNKNOWN }),
                ...attachments,
            ];
            const admin = res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "admin", { role: "api-role", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" });
            expectPass(await checkStack("stack-function-secret-reference", graph([admin])));
            expectViolation(await checkStack("stack-function-secret-reference", graph([])), /can't secretsmanager:GetSecretValue/);
        });
        it("can't decide while the role link and the document are unknown", async () => {
            expectUnknown(await checkStack(name, [res(FN, "api", { role: UNKNOWN })]));
            expectUnknown(await checkStack(name, [role("r", { inlinePolicies: [{ name: "p", policy: UNKNOWN }] }), fn("api", "r")]));
        });
        it("ignores functions whose role lives outside the stack", async () => {
            expectPass(await checkStack(name, [res(FN, "api", { role: "arn:aws:iam::111122223333:role/external" })]));
        });
    });

    describe("stack-aws-lambda-shared-role", () => {
        const name = "stack-aws-lambda-shared-role";
        it("passes one role per function", async () => expectPass(await checkStack(name, [role("a-role"), role("b-role"), fn("a", "a-role"), fn("b", "b-role")])));
        it("flags a role shared by two functions, on each function", async () => {
            const out = await checkStack(name, [role("shared"), fn("a", "shared"), fn("b", "shared")]);
            assert.deepStrictEqual(messages(out).sort(), [
                "function `a` shares execution role `shared` with `b`.",
                "function `b` shares execution role `shared` with `a`.",
            ]);
        });
    });

    describe("stack-aws-lambda-role-trust", () => {
        const name = "stack-aws-lambda-role-trust";
        it("passes a role trusting only Lambda", async () => expectPass(await checkStack(name, [role("r"), fn("api", "r")])));
        it("flags an execution role that also trusts EC2", async () => {
            const trust = doc({ Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com", "ec2.amazonaws.com"] }, Action: "sts:AssumeRole" });
            expectViolation(await checkStack(name, [role("r", { assumeRolePolicy: trust }), fn("api", "r")]), /also trusts Service `ec2\.amazonaws\.com`/);
        });
        it("reports a shared role once, on the role, naming every function that runs with it", async () => {
            const trust = doc({ Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com", "ec2.amazonaws.com"] }, Action: "sts:AssumeRole" });
            const out = await checkStack(name, [role("r", { assumeRolePolicy: trust }), fn("api", "r"), fn("worker", "r")]);
            assert.strictEqual(out.violations.length, 1);
            expectViolation(out, /role `r`, which also trusts Service `ec2\.amazonaws\.com`, is the execution role of functions `api`, `worker`/);
            assert.strictEqual(out.violations[0].urn?.endsWith("::r"), true);
        });
        it("leaves anyone, or every identity of an account, to aws-iam-role-trust-too-broad on the role, unless that policy is disabled", async () => {
            const trust = doc({ Effect: "Allow", Principal: { AWS: ["*", "arn:aws:iam::444455556666:root"], Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" });
            const stack = [role("r", { assumeRolePolicy: trust }), fn("api", "r")];
            expectPass(await checkStack(name, stack));
            try {
                recordConfiguredLevel("aws-iam-role-trust-too-broad", "disabled");
                expectViolation(await checkStack(name, stack), /role `r`, which also trusts AWS `\*`, AWS `arn:aws:iam::444455556666:root`, is the execution role of function `api`/);
            } finally {
                recordConfiguredLevel("aws-iam-role-trust-too-broad", "mandatory");
            }
        });
    });

    describe("public invocation", () => {
        const url = (auth: string) => res("aws:lambda/functionUrl:FunctionUrl", "api-url", { functionName: UNKNOWN, authorizationType: auth }, { functionName: [[FN, "api"]] });
        it("stack-function-public-invocation leaves a URL with authorization type NONE to aws-lambda-function-url-auth", async () => {
            expectPass(await checkStack("stack-function-public-invocation", [role("r"), fn("api", "r"), url("AWS_IAM")]));
            expectPass(await checkStack("stack-function-public-invocation", [role("r"), fn("api", "r"), url("NONE")]));
            expectViolation(check("aws-lambda-function-url-auth", url("NONE")), /authorizationType is "NONE"/, "mandatory");
        });
        it("follows an unauthenticated REST method through its integration, named in the uncapped line with the policy that reports it", async () => {
            const graph = [
                role("r"), fn("api", "r", { reservedConcurrentExecutions: undefined }),
                res("aws:apigateway/resource:Resource", "orders", { pathPart: "orders" }),
                res("aws:apigateway/method:Method", "post", { httpMethod: "POST", authorization: "NONE", resourceId: UNKNOWN }, { resourceId: [["aws:apigateway/resource:Resource", "orders"]] }),
                res("aws:apigateway/integration:Integration", "post-int", { httpMethod: "POST", resourceId: UNKNOWN, uri: UNKNOWN }, { resourceId: [["aws:apigateway/resource:Resource", "orders"]], uri: [[FN, "api"]] }),
            ];
            expectPass(await checkStack("stack-function-public-invocation", graph));
            expectViolation(await checkStack("stack-function-public-uncapped", graph), /REST method `POST` \(`post`\) has authorization NONE .*\(aws-apigateway-method-authorization reports it on `post`\)/);
        });
        it("stack-function-public-uncapped flags a public function without reserved concurrency only, on the function, naming the path once", async () => {
            expectPass(await checkStack("stack-function-public-uncapped", [role("r"), fn("api", "r"), url("NONE")]));
            const out = await checkStack("stack-function-public-uncapped", [role("r"), fn("api", "r", { reservedConcurrentExecutions: undefined }), url("NONE")]);
            assert.deepStrictEqual(messages(out), ["function `api` has no reserved concurrency (reservedConcurrentExecutions) and is public (FunctionUrl `api-url` has authorization type NONE (aws-lambda-function-url-auth reports it on `api-url`)), so anyone can scale it to the account limit; cap it, or require authentication on that path."]);
            assert.strictEqual(out.violations[0].level, "advisory");
        });
    });

    describe("event flow", () => {
        const QUEUE = "aws:sqs/queue:Queue";
        const mapping = res("aws:lambda/eventSourceMapping:EventSourceMapping", "m", { functionName: UNKNOWN, eventSourceArn: UNKNOWN }, { functionName: [[FN, "worker"]], eventSourceArn: [[QUEUE, "jobs"]] });
        it("stack-function-event-loop flags a queue consumer that can send to its own queue", async () => {
            const canSend = role("r", { inlinePolicies: [{ name: "p", policy: doc({ Effect: "Allow", Action: "sqs:*", Resource: "arn:aws:sqs:eu-west-1:111122223333:jobs" }) }] });
            const out = await checkStack("stack-function-event-loop", [canSend, fn("worker", "r"), res(QUEUE, "jobs", { arn: "arn:aws:sqs:eu-west-1:111122223333:jobs" }), mapping]);
            expectViolation(out, /function `worker` is triggered by SQS queue `jobs` \(via EventSourceMapping `m`\) and can sqs:SendMessage to it via inline policy `p` of role `r`/);
        });
        it("passes when the function writes elsewhere", async () => {
            const other = role("r", { inlinePolicies: [{ name: "p", policy: doc({ Effect: "Allow", Action: "sqs:SendMessage", Resource: "arn:aws:sqs:eu-west-1:111122223333:results" }) }] });
            expectPass(await checkStack("stack-function-event-loop", [other, fn("worker", "r"), res(QUEUE, "jobs", { arn: "arn:aws:sqs:eu-west-1:111122223333:jobs" }), mapping]));
        });
        it("flags an S3 notification loop unless prefixes separate input and output", async () => {
            const B = "aws:s3/bucketV2:BucketV2";
            const writer = role("r", { inlinePolicies: [{ name: "p", policy: doc({ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::uploads/*" }) }] });
            const notify = (entry: Record<string, unknown>) => res("aws:s3/bucketNotification:BucketNotification", "n", { bucket: UNKNOWN, lambdaFunctions: [{ lambdaFunctionArn: UNKNOWN, events: ["s3:ObjectCreated:*"], ...entry }] }, { bucket: [[B, "uploads"]], lambdaFunctions: [[FN, "thumb"]] });
            const graph = (entry: Record<string, unknown>) => [writer, fn("thumb", "r"), res(B, "uploads", { bucket: "uploads" }), notify(entry)];
            expectViolation(await checkStack("stack-function-event-loop", graph({})), /S3 bucket `uploads`.*s3:PutObject/);
            expectPass(await checkStack("stack-function-event-loop", graph({ filterPrefix: "incoming/" })));
        });
        it("flags a queue consumer that can publish to the topic feeding its queue, and not a fan-out of the topic's queues", async () => {
            const TOPIC = "aws:sns/topic:Topic";
            const SUB = "aws:sns/topicSubscription:TopicSubscription";
            const publisher = role("r", { inlinePolicies: [{ name: "p", policy: doc({ Effect: "Allow", Action: "sns:Publish", Resource: "arn:aws:sns:eu-west-1:111122223333:orders" }) }] });
            const chain = [res(TOPIC, "orders", { arn: "arn:aws:sns:eu-west-1:111122223333:orders" }), res(SUB, "orders-jobs", { topic: UNKNOWN, protocol: "sqs", endpoint: UNKNOWN }, { topic: [[TOPIC, "orders"]], endpoint: [[QUEUE, "jobs"]] }), res(QUEUE, "jobs", {}), mapping];
            const out = await checkStack("stack-function-event-loop", [publisher, fn("worker", "r"), ...chain]);
            expectViolation(out, /function `worker` is triggered by SNS topic `orders` \(via TopicSubscription `orders-jobs` -> SQS queue `jobs` -> EventSourceMapping `m`\) and can sns:Publish to it via inline policy `p` of role `r`/);
            assert.strictEqual(messages(out).length, 1);
            expectPass(await checkStack("stack-function-event-loop", [role("r"), fn("worker", "r"), ...chain]));
            const audit = res("aws:sqs/queue:Queue", "audit", {});
            const auditing = [res(SUB, "orders-audit", { topic: UNKNOWN, protocol: "sqs", endpoint: UNKNOWN }, { topic: [[TOPIC, "orders"]], endpoint: [[QUEUE, "audit"]] }), audit,
                res("aws:lambda/eventSourceMapping:EventSourceMapping", "m2", { functionName: UNKNOWN, eventSourceArn: UNKNOWN }, { functionName: [[FN, "auditor"]], eventSourceArn: [[QUEUE, "audit"]] })];
            expectPass(await checkStack("stack-function-event-fanout", [role("r"), fn("worker", "r"), fn("auditor", "r"), ...chain, ...auditing]));
        });
        it("stack-function-event-fanout flags two functions on one queue", async () => {
            const m2 = res("aws:lambda/eventSourceMapping:EventSourceMapping", "m2", { functionName: UNKNOWN, eventSourceArn: UNKNOWN }, { functionName: [[FN, "auditor"]], eventSourceArn: [[QUEUE, "jobs"]] });
            expectPass(await checkStack("stack-function-event-fanout", [role("r"), fn("worker", "r"), res(QUEUE, "jobs", {}), mapping]));
            expectViolation(await checkStack("stack-function-event-fanout", [role("r"), fn("worker", "r"), fn("auditor", "r"), res(QUEUE, "jobs", {}), mapping, m2]), /one of 2 functions/, "advisory");
        });
    });

    describe("data paths and secrets", () => {
        it("stack-function-data-path-encryption follows the dead-letter queue", async () => {
            const q = (props: Record<string, unknown>) => res("aws:sqs/queue:Queue", "dlq", props);
            const f = fn("api", "r", { deadLetterConfig: { targetArn: UNKNOWN } }, { deadLetterConfig: [["aws:sqs/queue:Queue", "dlq"]] });
            expectPass(await checkStack("stack-function-data-path-encryption", [role("r"), f, q({ kmsMasterKeyId: UNKNOWN })]));
            // aws-sqs-queue-encryption reports the unencrypted queue on the queue; the path repeats it only when that one is disabled.
            expectPass(await checkStack("stack-function-data-path-encryption", [role("r"), f, q({ sqsManagedSseEnabled: false })]));
            await withPoliciesDisabled(["aws-sqs-queue-encryption"], async () => {
                expectViolation(await checkStack("stack-function-data-path-encryption", [role("r"), f, q({ sqsManagedSseEnabled: false })]), /function `api` sends failed events to SQS queue `dlq`, which is not encrypted at rest/);
            });
            expectViolation(await checkStack("stack-function-data-path-encryption", [role("r"), f, q({})], { config: { requireCustomerManagedKey: true } }), /customer-managed/);
        });
        it("stack-function-data-path-encryption follows a mounted EFS file system", async () => {
            const graph = (encrypted: boolean) => [
                role("r"),
                fn("api", "r", { fileSystemConfig: { arn: UNKNOWN, localMountPath: "/mnt/data" } }, { fileSystemConfig: [["aws:efs/accessPoint:AccessPoint", "ap"]] }),
                res("aws:efs/accessPoint:AccessPoint", "ap", { fileSystemId: UNKNOWN }, { fileSystemId: [["aws:efs/fileSystem:FileSystem", "fs"]] }),
                res("aws:efs/fileSystem:FileSystem", "fs", { encrypted }),
            ];
            expectPass(await checkStack("stack-function-data-path-encryption", graph(true)));
            expectViolation(await checkStack("stack-function-data-path-encryption", graph(false)), /mounts EFS file system `fs` \(via access point `ap`\)/);
        });
        it("stack-function-secret-reference checks that the role can read the referenced secret", async () => {
            const S = "aws:secretsmanager/secret:Secret";
            const secretRes = res(S, "db", { arn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCd", kmsKeyId: UNKNOWN });
            const f = fn("api", "r", { environment: { variables: { DB_SECRET_ARN: UNKNOWN } } }, { environment: [[S, "db"]] });
            const reader = role("r", { inlinePolicies: [{ name: "read", policy: doc({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-*" }) }] });
            expectPass(await checkStack("stack-function-secret-reference", [reader, f, secretRes]));
            expectViolation(await checkStack("stack-function-secret-reference", [role("r"), f, secretRes]), /references Secrets Manager secret `db`, but its role can't secretsmanager:GetSecretValue on it/);
            expectViolation(await checkStack("stack-function-secret-reference", [reader, f, res(S, "db", { arn: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-AbCd" })], { config: { requireCustomerManagedKey: true } }), /customer-managed/);
        });
    });

    describe("stack-function-logging", () => {
        const LG = "aws:cloudwatch/logGroup:LogGroup";
        it("passes a function whose log group has retention (linked by name or dependency)", async () => {
            expectPass(await checkStack("stack-function-logging", [role("r"), fn("api", "r"), res(LG, "api-logs", { name: "/aws/lambda/api-1a2b3c", retentionInDays: 30 })]));
            expectPass(await checkStack("stack-function-logging", [role("r"), fn("api", "r"), res(LG, "api-logs", { name: UNKNOWN, retentionInDays: 30 }, { name: [[FN, "api"]] })]));
        });
        it("flags a function without a log group, and one kept forever", async () => {
            expectViolation(await checkStack("stack-function-logging", [role("r"), fn("api", "r")]), /has no log group in the stack/);
            expectViolation(await checkStack("stack-function-logging", [role("r"), fn("api", "r"), res(LG, "api-logs", { name: "/aws/lambda/api-1a2b3c" })]), /no retention period/);
        });
    });
});
