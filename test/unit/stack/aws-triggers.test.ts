// stack-function-trigger-open on AWS: every trigger followed back to its source, reported on the function
// when outsiders may write to that source, naming the path and the resource policy that reports the cause.
import * as assert from "assert";
import { checkStack, messages, TestResource } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import { recordConfiguredLevel } from "../../../policies/lib/redecide";

const NAME = "stack-function-trigger-open";
const urn = (type: string, name: string) => `urn:pulumi:dev::shop::${type}::${name}`;
const FN = "aws:lambda/function:Function";
const QUEUE = "aws:sqs/queue:Queue";
const TOPIC = "aws:sns/topic:Topic";
const ESM = "aws:lambda/eventSourceMapping:EventSourceMapping";
const RULE = "aws:cloudwatch/eventRule:EventRule";
const TARGET = "aws:cloudwatch/eventTarget:EventTarget";
const PERMISSION = "aws:lambda/permission:Permission";

function res(type: string, name: string, props: Record<string, unknown>, deps: Record<string, [string, string][]> = {}): TestResource {
    return {
        type, name, urn: urn(type, name), props,
        propertyDependencies: Object.fromEntries(Object.entries(deps).map(([k, refs]) => [k, refs.map(([t, n]) => urn(t, n))])),
    };
}

const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const anyoneSends = doc({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*" });
const worker = res(FN, "worker", { name: "worker", runtime: "nodejs22.x", role: UNKNOWN });
const mapping = res(ESM, "jobs-mapping", { functionName: UNKNOWN, eventSourceArn: UNKNOWN }, { functionName: [[FN, "worker"]], eventSourceArn: [[QUEUE, "jobs"]] });
const queuePolicy = (policy: unknown) => res("aws:sqs/queuePolicy:QueuePolicy", "jobs-policy", { queueUrl: UNKNOWN, policy }, { queueUrl: [[QUEUE, "jobs"]] });

describe("stack-function-trigger-open (AWS)", () => {
    afterEach(() => {
        recordConfiguredLevel("aws-event-source-public-write", "mandatory");
    });

    it("reports a function whose queue anyone may send to, once, naming the path and the policy that reports the cause", async () => {
        const out = await checkStack(NAME, [worker, res(QUEUE, "jobs", {}), mapping, queuePolicy(anyoneSends)]);
        expectViolation(out, /function `worker` is triggered by events that writers outside its account can send: SQS queue `jobs` -> EventSourceMapping `jobs-mapping` -> function `worker` \(aws-event-source-public-write reports it on `jobs-policy`\)/, "advisory");
        assert.strictEqual(out.violations.length, 1);
    });

    it("passes a closed or conditioned source, and a function with no trigger", async () => {
        expectPass(await checkStack(NAME, [worker, res(QUEUE, "jobs", {}), mapping]));
        const conditioned = doc({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*", Condition: { ArnEquals: { "aws:SourceArn": UNKNOWN } } });
        expectPass(await checkStack(NAME, [worker, res(QUEUE, "jobs", {}), mapping, queuePolicy(JSON.parse(conditioned))]));
        const account = doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "sqs:SendMessage", Resource: "*" });
        expectPass(await checkStack(NAME, [worker, res(QUEUE, "jobs", { policy: account }), mapping]));
        expectPass(await checkStack(NAME, [worker, res(QUEUE, "jobs", { policy: anyoneSends })]));
    });

    it("leaves a source policy computed during preview to the resource policy that waits for it (waits itself when that one is disabled), and decides from the known parts of an object document", async () => {
        expectPass(await checkStack(NAME, [worker, res(QUEUE, "jobs", {}), mapping, queuePolicy(UNKNOWN)]));
        recordConfiguredLevel("aws-event-source-public-write", "disabled");
        expectUnknown(await checkStack(NAME, [worker, res(QUEUE, "jobs", {}), mapping, queuePolicy(UNKNOWN)]));
        recordConfiguredLevel("aws-event-source-public-write", "mandatory");
        const object = { Statement: [{ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: UNKNOWN }] };
        expectViolation(await checkStack(NAME, [worker, res(QUEUE, "jobs", {}), mapping, queuePolicy(object)]), /SQS queue `jobs`/);
    });

    it("names the root cause itself when aws-event-source-public-write is disabled in the run", async () => {
        recordConfiguredLevel("aws-event-source-public-write", "disabled");
        expectViolation(await checkStack(NAME, [worker, res(QUEUE, "jobs", {}), mapping, queuePolicy(anyoneSends)]),
            /SQS queue `jobs` -> EventSourceMapping `jobs-mapping` -> function `worker` \(policy statement 0 of `jobs-policy` lets anyone \(Principal "\*"\) write\)/);
    });

    it("names a service allowed to send for any account's resources (aws-event-source-service-unscoped)", async () => {
        const sns = doc({ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: "*" });
        expectViolation(await checkStack(NAME, [worker, res(QUEUE, "jobs", { policy: sns }), mapping]),
            /SQS queue `jobs` -> EventSourceMapping `jobs-mapping` -> function `worker` \(aws-event-source-service-unscoped reports it on `jobs`\)/);
    });

    it("follows an SNS subscription and the permission naming the topic, as one source", async () => {
        const stack = [
            worker, res(TOPIC, "orders", { policy: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "SNS:Publish", Resource: "*" }) }),
            res("aws:sns/topicSubscription:TopicSubscription", "orders-sub", { topic: UNKNOWN, protocol: "lambda", endpoint: UNKNOWN }, { topic: [[TOPIC, "orders"]], endpoint: [[FN, "worker"]] }),
            res(PERMISSION, "orders-invoke", { function: UNKNOWN, principal: "sns.amazonaws.com", action: "lambda:InvokeFunction", sourceArn: UNKNOWN }, { function: [[FN, "worker"]], sourceArn: [[TOPIC, "orders"]] }),
        ];
        const out = await checkStack(NAME, stack);
        expectViolation(out, /SNS topic `orders` -> TopicSubscription `orders-sub`, Permission `orders-invoke` -> function `worker` \(aws-event-source-public-write reports it on `orders`\)/);
        assert.strictEqual(messages(out).length, 1);
    });

    describe("EventBridge", () => {
        const rule = (props: Record<string, unknown>) => res(RULE, "orders-rule", { eventPattern: JSON.stringify({ source: ["shop.orders"] }), ...props });
        const target = res(TARGET, "orders-target", { rule: UNKNOWN, arn: UNKNOWN }, { rule: [[RULE, "orders-rule"]], arn: [[FN, "worker"]] });
        const permission = (region: string) => res("aws:cloudwatch/eventPermission:EventPermission", "everyone", { principal: "*", statementId: "all", region });
        const inRegion = (r: TestResource, region: string) => ({ ...r, props: { ...r.props, region } });

        it("reports a rule on the default bus when an EventPermission of that account and region lets every account put events", async () => {
            expectViolation(await checkStack(NAME, [inRegion(worker, "eu-west-1"), rule({ region: "eu-west-1" }), target, permission("eu-west-1")]),
                /the default event bus -> EventRule `orders-rule` -> EventTarget `orders-target` -> function `worker` \(aws-event-source-public-write reports it on `everyone`\)/);
        });
        it("leaves a permission of another region, a schedule-only rule and a permission with an organization condition", async () => {
            expectPass(await checkStack(NAME, [inRegion(worker, "eu-west-1"), rule({ region: "eu-west-1" }), target, permission("us-east-1")]));
            expectPass(await checkStack(NAME, [worker, res(RULE, "orders-rule", { scheduleExpression: "rate(5 minutes)" }), target, permission("eu-west-1")]));
            const org = res("aws:cloudwatch/eventPermission:EventPermission", "org", { principal: "*", statementId: "org", condition: { key: "aws:PrincipalOrgID", type: "StringEquals", value: "o-123" } });
            expectPass(await checkStack(NAME, [worker, rule({}), target, org]));
        });
        it("follows a rule to its own bus, by name, and the bus policy naming it", async () => {
            const stack = [
                worker, res("aws:cloudwatch/eventBus:EventBus", "orders-bus", { name: "orders" }), rule({ eventBusName: "orders" }), target,
                res("aws:cloudwatch/eventBusPolicy:EventBusPolicy", "orders-bus-policy", { eventBusName: "orders", policy: doc({ Effect: "Allow", Principal: "*", Action: "events:PutEvents", Resource: "*" }) }),
            ];
            expectViolation(await checkStack(NAME, stack), /event bus `orders-bus` -> EventRule `orders-rule` -> EventTarget `orders-target` -> function `worker` \(aws-event-source-public-write reports it on `orders-bus-policy`\)/);
        });
        it("follows an aws-native rule's targets to an aws-native bus with an open inline policy", async () => {
            const stack = [
                res("aws-native:lambda:Function", "native-worker", { functionName: "native-worker", arn: "arn:aws:lambda:eu-west-1:111122223333:function:native-worker" }),
                res("aws-native:events:EventBus", "bus", { name: "orders", policy: { Statement: [{ Effect: "Allow", Principal: "*", Action: "events:PutEvents", Resource: "*" }] } }),
                res("aws-native:events:Rule", "r", { eventBusName: "orders", eventPattern: { source: ["shop"] }, targets: [{ id: "fn", arn: "arn:aws:lambda:eu-west-1:111122223333:function:native-worker" }] }),
            ];
            expectViolation(await checkStack(NAME, stack), /event bus `bus` -> Rule `r` -> function `native-worker`/);
        });
    });

    it("links deployed state by ARN and name alone (audit): an S3 bucket notification and an aws-native SNS subscription", async () => {
        const arn = "arn:aws:lambda:eu-west-1:111122223333:function:worker";
        const deployed = res(FN, "worker", { name: "worker", arn, runtime: "nodejs22.x", role: "arn:aws:iam::111122223333:role/worker" });
        const stack = [
            deployed, res("aws:s3/bucketV2:BucketV2", "uploads", { bucket: "shop-uploads", arn: "arn:aws:s3:::shop-uploads" }),
            res("aws:s3/bucketPolicy:BucketPolicy", "uploads-policy", { bucket: "shop-uploads", policy: doc({ Effect: "Allow", Principal: "*", Action: "s3:PutObject", Resource: "arn:aws:s3:::shop-uploads/*" }) }),
            res("aws:s3/bucketNotification:BucketNotification", "uploads-events", { bucket: "shop-uploads", lambdaFunctions: [{ lambdaFunctionArn: arn, events: ["s3:ObjectCreated:*"] }] }),
            res("aws-native:sns:Topic", "alerts", { topicArn: "arn:aws:sns:eu-west-1:111122223333:alerts", topicName: "alerts" }),
            res("aws-native:sns:TopicPolicy", "alerts-policy", { topics: ["arn:aws:sns:eu-west-1:111122223333:alerts"], policyDocument: { Statement: [{ Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: "*" }] } }),
            res("aws-native:sns:Subscription", "alerts-sub", { topicArn: "arn:aws:sns:eu-west-1:111122223333:alerts", protocol: "lambda", endpoint: arn }),
        ];
        const out = await checkStack(NAME, stack);
        expectViolation(out, /S3 bucket `uploads` -> BucketNotification `uploads-events` -> function `worker` \(aws-event-source-public-write reports it on `uploads-policy`\); SNS topic `alerts` -> Subscription `alerts-sub` -> function `worker` \(aws-event-source-public-write reports it on `alerts-policy`\)/);
        assert.strictEqual(out.violations.length, 1);
    });

    it("doesn't link a same-named source of another account", async () => {
        const arn = "arn:aws:lambda:eu-west-1:111122223333:function:worker";
        const stack = [
            res(FN, "worker", { name: "worker", arn }),
            res(QUEUE, "jobs", { name: "jobs", arn: "arn:aws:sqs:eu-west-1:999988887777:jobs", policy: anyoneSends }),
            res(ESM, "m", { functionName: arn, eventSourceArn: "arn:aws:sqs:eu-west-1:111122223333:jobs" }),
        ];
        expectPass(await checkStack(NAME, stack));
    });

    describe("chained sources: a queue fed by a topic, a rule or a bucket", () => {
        const SUB = "aws:sns/topicSubscription:TopicSubscription";
        const anyonePublishes = doc({ Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: "*" });
        // The queue lets only the topic send (aws:SourceArn): on its own it is closed; whoever may publish to the topic may write to it.
        const onlyTheTopic = doc({ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: "*", Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:eu-west-1:111122223333:orders" } } });
        const topic = (policy?: unknown) => res(TOPIC, "orders", policy === undefined ? {} : { policy });
        const toQueue = (deps: Record<string, [string, string][]> = { topic: [[TOPIC, "orders"]], endpoint: [[QUEUE, "jobs"]] }, endpoint: unknown = UNKNOWN) =>
            res(SUB, "orders-to-jobs", { topic: UNKNOWN, protocol: "sqs", endpoint }, deps);
        const chain = (policy?: unknown) => [worker, topic(policy), toQueue(), res(QUEUE, "jobs", {}), queuePolicy(onlyTheTopic), mapping];

        it("names the whole path of an open topic through its SQS subscription, once, with the cause on the topic", async () => {
            const out = await checkStack(NAME, chain(anyonePublishes));
            expectViolation(out, /function `worker` is triggered by events that writers outside its account can send: SNS topic `orders` -> TopicSubscription `orders-to-jobs` -> SQS queue `jobs` -> EventSourceMapping `jobs-mapping` -> function `worker` \(aws-event-source-public-write reports it on `orders`\)\.$/);
            assert.strictEqual(out.violations.length, 1);
        });

        it("passes a closed topic, and one whose statement for everyone names the sending account", async () => {
            expectPass(await checkStack(NAME, chain()));
            const account = doc({ Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: "*", Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } });
            expectPass(await checkStack(NAME, chain(account)));
            // An email subscription delivers to no queue.
            expectPass(await checkStack(NAME, [worker, topic(anyonePublishes), res(SUB, "mail", { topic: UNKNOWN, protocol: "email", endpoint: "ops@example.com" }, { topic: [[TOPIC, "orders"]] }), res(QUEUE, "jobs", {}), mapping]));
        });

        it("leaves a topic policy computed during preview to its resource policy, and waits for a subscription endpoint that nothing in the stack computes", async () => {
            expectPass(await checkStack(NAME, chain(UNKNOWN)));
            recordConfiguredLevel("aws-event-source-public-write", "disabled");
            expectUnknown(await checkStack(NAME, chain(UNKNOWN)));
            recordConfiguredLevel("aws-event-source-public-write", "mandatory");
            const unsettled = await checkStack(NAME, [worker, topic(anyonePublishes), toQueue({ topic: [[TOPIC, "orders"]] }), res(QUEUE, "jobs", {}), mapping]);
            expectUnknown(unsettled);
            assert.strictEqual(unsettled.violations.length, 0);
        });

        it("follows a rule on the default bus to its queue target, and a bucket through a topic to a queue, by ARN alone (audit), in the right account", async () => {
            const arn = "arn:aws:lambda:eu-west-1:111122223333:function:worker";
            const queueArn = "arn:aws:sqs:eu-west-1:111122223333:jobs";
            const topicArn = "arn:aws:sns:eu-west-1:111122223333:uploads";
            const deployed = [
                res(FN, "worker", { name: "worker", arn, region: "eu-west-1" }),
                res(QUEUE, "jobs", { name: "jobs", arn: queueArn, url: "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs", region: "eu-west-1" }),
                res(ESM, "m", { functionName: arn, eventSourceArn: queueArn }),
            ];
            const rule = [
                res(RULE, "orders-rule", { name: "orders", arn: "arn:aws:events:eu-west-1:111122223333:rule/orders", eventPattern: JSON.stringify({ source: ["shop.orders"] }), region: "eu-west-1" }),
                res(TARGET, "orders-target", { rule: "orders", arn: queueArn, region: "eu-west-1" }),
                res("aws:cloudwatch/eventPermission:EventPermission", "everyone", { principal: "*", statementId: "all", region: "eu-west-1" }),
            ];
            expectViolation(await checkStack(NAME, [...deployed, ...rule]),
                /the default event bus -> EventRule `orders-rule` -> EventTarget `orders-target` -> SQS queue `jobs` -> EventSourceMapping `m` -> function `worker` \(aws-event-source-public-write reports it on `everyone`\)/);
            const bucket = [
                res("aws:s3/bucketV2:BucketV2", "uploads", { bucket: "shop-uploads", arn: "arn:aws:s3:::shop-uploads" }),
                res("aws:s3/bucketPolicy:BucketPolicy", "uploads-policy", { bucket: "shop-uploads", policy: doc({ Effect: "Allow", Principal: "*", Action: "s3:PutObject", Resource: "arn:aws:s3:::shop-uploads/*" }) }),
                res("aws:s3/bucketNotification:BucketNotification", "uploads-events", { bucket: "shop-uploads", topics: [{ topicArn, events: ["s3:ObjectCreated:*"] }] }),
                res(TOPIC, "uploads-topic", { name: "uploads", arn: topicArn }),
                res(SUB, "uploads-to-jobs", { topic: topicArn, protocol: "sqs", endpoint: queueArn }),
            ];
            const out = await checkStack(NAME, [...deployed, ...bucket]);
            expectViolation(out, /S3 bucket `uploads` -> BucketNotification `uploads-events` -> SNS topic `uploads-topic` -> TopicSubscription `uploads-to-jobs` -> SQS queue `jobs` -> EventSourceMapping `m` -> function `worker` \(aws-event-source-public-write reports it on `uploads-policy`\)/);
            assert.strictEqual(out.violations.length, 1);
            // The same chain to a queue of that name in another account feeds another function.
            const elsewhere = bucket.map(r => r.name === "uploads-to-jobs" ? res(SUB, "uploads-to-jobs", { topic: topicArn, protocol: "sqs", endpoint: "arn:aws:sqs:eu-west-1:999988887777:jobs" }) : r);
            expectPass(await checkStack(NAME, [...deployed, ...elsewhere]));
        });
    });
});
