// The trigger surface of each cloud's model: every path from an event source to a function, linked
// only where the graph settles it (dependencies, ARNs, ids, names in the right scope), never guessed.
import * as assert from "assert";
import { PolicyResource } from "@pulumi/policy";
import { Node, ResourceGraph } from "../../../policies/lib/graph";
import * as aws from "../../../policies/model/aws";
import * as gcp from "../../../policies/model/gcp";
import { UNKNOWN } from "../../../runner/wire";

const urn = (type: string, name: string) => `urn:pulumi:dev::shop::${type}::${name}`;
interface R { type: string; name: string; props: Record<string, unknown>; deps?: Record<string, [string, string][]> }
const r = (type: string, name: string, props: Record<string, unknown>, deps?: Record<string, [string, string][]>): R => ({ type, name, props, deps });

function graph(resources: R[]): ResourceGraph {
    return ResourceGraph.build(resources.map(x => ({
        type: x.type, name: x.name, urn: urn(x.type, x.name), props: x.props,
        propertyDependencies: Object.fromEntries(Object.entries(x.deps ?? {}).map(([k, refs]) => [k, refs.map(([t, n]) => ({ urn: urn(t, n) }))])),
    }) as unknown as PolicyResource));
}

/** "source -> via -> function" for every path, sorted, and the unknowns reported. */
function surface<P extends { fn: Node; via: string }>(find: (g: ResourceGraph, onUnknown: (n: Node, p: string) => void) => readonly P[], label: (p: P) => string, resources: R[]) {
    const waits: string[] = [];
    const paths = find(graph(resources), (n, p) => waits.push(`${n.name}.${p}`)).map(p => `${label(p)} -> ${p.via} -> ${p.fn.name}`).sort();
    return { paths, waits };
}

const FN = "aws:lambda/function:Function";
const NATIVE_FN = "aws-native:lambda:Function";
const fnArn = (name: string, region = "eu-west-1") => `arn:aws:lambda:${region}:111122223333:function:${name}`;
const awsSurface = (resources: R[]) => surface(aws.triggerPaths, p => p.sourceLabel, resources);

describe("model: the trigger surface", () => {
    describe("AWS", () => {
        it("follows mappings, subscriptions, notifications, rules and permissions by dependency during preview", () => {
            const { paths, waits } = awsSurface([
                r(FN, "worker", { name: UNKNOWN }),
                r("aws:sqs/queue:Queue", "jobs", {}),
                r("aws:lambda/eventSourceMapping:EventSourceMapping", "m", { functionName: UNKNOWN, eventSourceArn: UNKNOWN }, { functionName: [[FN, "worker"]], eventSourceArn: [["aws:sqs/queue:Queue", "jobs"]] }),
                r("aws:sns/topic:Topic", "t", {}),
                r("aws:sns/topicSubscription:TopicSubscription", "s", { protocol: "lambda", topic: UNKNOWN, endpoint: UNKNOWN }, { topic: [["aws:sns/topic:Topic", "t"]], endpoint: [[FN, "worker"]] }),
                r("aws:sns/topicSubscription:TopicSubscription", "mail", { protocol: "email", topic: UNKNOWN, endpoint: "ops@example.com" }, { topic: [["aws:sns/topic:Topic", "t"]] }),
                r("aws:cloudwatch/eventBus:EventBus", "bus", { name: UNKNOWN }),
                r("aws:cloudwatch/eventRule:EventRule", "rule", { eventBusName: UNKNOWN, eventPattern: "{}" }, { eventBusName: [["aws:cloudwatch/eventBus:EventBus", "bus"]] }),
                r("aws:cloudwatch/eventTarget:EventTarget", "target", { rule: UNKNOWN, arn: UNKNOWN }, { rule: [["aws:cloudwatch/eventRule:EventRule", "rule"]], arn: [[FN, "worker"]] }),
                r("aws:s3/bucketV2:BucketV2", "b", {}),
                r("aws:lambda/permission:Permission", "p", { function: UNKNOWN, principal: "s3.amazonaws.com", sourceArn: UNKNOWN }, { function: [[FN, "worker"]], sourceArn: [["aws:s3/bucketV2:BucketV2", "b"]] }),
            ]);
            assert.deepStrictEqual(paths, [
                "S3 bucket `b` -> Permission `p` -> worker",
                "SNS topic `t` -> TopicSubscription `s` -> worker",
                "SQS queue `jobs` -> EventSourceMapping `m` -> worker",
                "event bus `bus` -> EventRule `rule` -> EventTarget `target` -> worker",
            ]);
            assert.deepStrictEqual(waits, []);
        });

        it("links deployed and discovered resources by ARN and name, in the referrer's account and region", () => {
            const { paths } = awsSurface([
                r(FN, "api-eu", { name: "api", arn: fnArn("api") }),
                r(FN, "api-us", { name: "api", arn: fnArn("api", "us-east-1") }),
                r("aws:cloudwatch/eventRule:EventRule", "rule-us", { name: "orders", arn: "arn:aws:events:us-east-1:111122223333:rule/orders", eventPattern: "{}", region: "us-east-1" }),
                r("aws:cloudwatch/eventTarget:EventTarget", "target-us", { rule: "orders", arn: fnArn("api", "us-east-1"), region: "us-east-1" }),
                r("aws-native:sns:Topic", "alerts", { topicArn: "arn:aws:sns:eu-west-1:111122223333:alerts" }),
                r("aws-native:sns:Subscription", "alerts-sub", { topicArn: "arn:aws:sns:eu-west-1:111122223333:alerts", protocol: "lambda", endpoint: fnArn("api") }),
                r("aws-native:s3:Bucket", "uploads", { bucketName: "shop-uploads", notificationConfiguration: { lambdaConfigurations: [{ event: "s3:ObjectCreated:*", function: fnArn("api") }] } }),
                r(NATIVE_FN, "native", { functionName: "native", arn: fnArn("native") }),
                r("aws-native:events:Rule", "native-rule", { eventPattern: { source: ["x"] }, targets: [{ id: "1", arn: fnArn("native") }], arn: "arn:aws:events:eu-west-1:111122223333:rule/native-rule" }),
                r("aws-native:lambda:Permission", "native-invoke", { functionName: fnArn("native"), principal: "events.amazonaws.com", sourceArn: "arn:aws:events:eu-west-1:111122223333:rule/native-rule" }),
            ]);
            assert.deepStrictEqual(paths, [
                "S3 bucket `uploads` -> notificationConfiguration.lambdaConfigurations -> api-eu",
                "SNS topic `alerts` -> Subscription `alerts-sub` -> api-eu",
                "the default event bus -> EventRule `rule-us` -> EventTarget `target-us` -> api-us",
                "the default event bus -> Rule `native-rule` -> Permission `native-invoke` -> native",
                "the default event bus -> Rule `native-rule` -> native",
            ].sort());
        });

        it("leaves schedule-only rules, and waits for a rule's bus computed by nothing the stack shows", () => {
            const target = r("aws:cloudwatch/eventTarget:EventTarget", "t", { rule: UNKNOWN, arn: UNKNOWN }, { rule: [["aws:cloudwatch/eventRule:EventRule", "rule"]], arn: [[FN, "worker"]] });
            const scheduled = awsSurface([r(FN, "worker", {}), r("aws:cloudwatch/eventRule:EventRule", "rule", { scheduleExpression: "rate(1 hour)" }), target]);
            assert.deepStrictEqual(scheduled, { paths: [], waits: [] });
            const computed = awsSurface([r(FN, "worker", {}), r("aws:cloudwatch/eventRule:EventRule", "rule", { eventPattern: "{}", eventBusName: UNKNOWN }), target]);
            assert.deepStrictEqual(computed, { paths: [], waits: ["rule.eventBusName"] });
        });

        it("links a mapping on a DynamoDB table's stream ARN or a Kinesis stream consumer's ARN to its table or stream (audit), in the mapping's account and region", () => {
            const streamArn = "arn:aws:dynamodb:eu-west-1:111122223333:table/orders/stream/2026-11-30T10:00:00.000";
            const consumerArn = "arn:aws:kinesis:eu-west-1:111122223333:stream/clicks/consumer/worker:1764496800";
            const table = (name: string, account: string, extra: Record<string, unknown> = {}) =>
                r("aws:dynamodb/table:Table", name, { name: "orders", arn: `arn:aws:dynamodb:eu-west-1:${account}:table/orders`, ...extra });
            const { paths, waits } = awsSurface([
                r(FN, "worker", { name: "worker", arn: fnArn("worker") }),
                table("orders", "111122223333", { streamArn }),
                table("orders-other-account", "999988887777", { streamArn: "arn:aws:dynamodb:eu-west-1:999988887777:table/orders/stream/2026-11-30T10:00:00.000" }),
                r("aws:lambda/eventSourceMapping:EventSourceMapping", "orders-stream", { functionName: fnArn("worker"), eventSourceArn: streamArn }),
                r("aws-native:dynamodb:Table", "native-orders", { tableName: "native-orders", arn: "arn:aws:dynamodb:eu-west-1:111122223333:table/native-orders" }),
                r("aws:lambda/eventSourceMapping:EventSourceMapping", "native-stream", { functionName: fnArn("worker"), eventSourceArn: "arn:aws:dynamodb:eu-west-1:111122223333:table/native-orders/stream/2026-11-30T10:00:00.000" }),
                r("aws:kinesis/stream:Stream", "clicks", { name: "clicks", arn: "arn:aws:kinesis:eu-west-1:111122223333:stream/clicks" }),
                r("aws:kinesis/stream:Stream", "clicks-us", { name: "clicks", arn: "arn:aws:kinesis:us-east-1:111122223333:stream/clicks" }),
                r("aws:lambda/eventSourceMapping:EventSourceMapping", "clicks-efo", { functionName: fnArn("worker"), eventSourceArn: consumerArn }),
            ]);
            assert.deepStrictEqual(paths, [
                "DynamoDB table `native-orders` -> EventSourceMapping `native-stream` -> worker",
                "DynamoDB table `orders` -> EventSourceMapping `orders-stream` -> worker",
                "Kinesis stream `clicks` -> EventSourceMapping `clicks-efo` -> worker",
            ]);
            assert.deepStrictEqual(waits, []);
        });

        it("follows a queue back through what feeds it: SNS subscriptions, rule targets and bucket notifications, of both providers", () => {
            const Q = "aws:sqs/queue:Queue";
            const T = "aws:sns/topic:Topic";
            const { paths, waits } = awsSurface([
                r(FN, "worker", {}),
                r(Q, "jobs", {}),
                r("aws:lambda/eventSourceMapping:EventSourceMapping", "m", { functionName: UNKNOWN, eventSourceArn: UNKNOWN }, { functionName: [[FN, "worker"]], eventSourceArn: [[Q, "jobs"]] }),
                r(T, "t", {}),
                r("aws:sns/topicSubscription:TopicSubscription", "t-jobs", { protocol: "sqs", topic: UNKNOWN, endpoint: UNKNOWN }, { topic: [[T, "t"]], endpoint: [[Q, "jobs"]] }),
                r("aws:s3/bucketV2:BucketV2", "b", {}),
                r("aws:s3/bucketNotification:BucketNotification", "b-t", { bucket: UNKNOWN, topics: [{ topicArn: UNKNOWN }] }, { bucket: [["aws:s3/bucketV2:BucketV2", "b"]], topics: [[T, "t"]] }),
                r("aws-native:events:Rule", "nr", { eventPattern: { source: ["x"] }, targets: [{ id: "1", arn: UNKNOWN }] }, { targets: [[Q, "jobs"]] }),
                r("aws-native:s3:Bucket", "nb", { notificationConfiguration: { queueConfigurations: [{ event: "s3:ObjectCreated:*", queue: UNKNOWN }] } }, { notificationConfiguration: [[Q, "jobs"]] }),
            ]);
            assert.deepStrictEqual(paths, [
                "S3 bucket `b` -> BucketNotification `b-t` -> SNS topic `t` -> TopicSubscription `t-jobs` -> SQS queue `jobs` -> EventSourceMapping `m` -> worker",
                "S3 bucket `nb` -> notificationConfiguration.queueConfigurations -> SQS queue `jobs` -> EventSourceMapping `m` -> worker",
                "SNS topic `t` -> TopicSubscription `t-jobs` -> SQS queue `jobs` -> EventSourceMapping `m` -> worker",
                "SQS queue `jobs` -> EventSourceMapping `m` -> worker",
                "the default event bus -> Rule `nr` -> SQS queue `jobs` -> EventSourceMapping `m` -> worker",
            ]);
            assert.deepStrictEqual(waits, []);
        });

        it("finds the resource policies guarding a source: inline, separate, and for the default bus those of the rule's account and region", () => {
            const g = graph([
                r(FN, "worker", { region: "eu-west-1" }),
                r("aws:sqs/queue:Queue", "jobs", { policy: "{}" }),
                r("aws:sqs/queuePolicy:QueuePolicy", "jobs-policy", { queueUrl: UNKNOWN, policy: "{}" }, { queueUrl: [["aws:sqs/queue:Queue", "jobs"]] }),
                r("aws:cloudwatch/eventRule:EventRule", "rule", { eventPattern: "{}", region: "eu-west-1" }),
                r("aws:cloudwatch/eventTarget:EventTarget", "t", { rule: UNKNOWN, arn: UNKNOWN, region: "eu-west-1" }, { rule: [["aws:cloudwatch/eventRule:EventRule", "rule"]], arn: [[FN, "worker"]] }),
                r("aws:cloudwatch/eventPermission:EventPermission", "here", { principal: "*", statementId: "a", region: "eu-west-1" }),
                r("aws:cloudwatch/eventPermission:EventPermission", "elsewhere", { principal: "*", statementId: "b", region: "us-east-1" }),
                r("aws:cloudwatch/eventPermission:EventPermission", "other-bus", { principal: "*", statementId: "c", eventBusName: "orders", region: "eu-west-1" }),
            ]);
            const guards = Object.fromEntries(aws.triggerPaths(g, () => undefined).map(p => [p.sourceLabel, aws.sourceGuards(g, p).map(n => n.name).sort()]));
            assert.deepStrictEqual(guards, { "the default event bus": ["here"] });
            const queue = g.ofType("aws:sqs/queue:Queue")[0];
            assert.deepStrictEqual(aws.sourceGuards(g, { fn: g.ofType(FN)[0], source: queue, sourceLabel: "", via: "" }).map(n => n.name).sort(), ["jobs", "jobs-policy"]);
        });
    });

    describe("Google Cloud", () => {
        const V1 = "gcp:cloudfunctions/function:Function";
        const V2 = "gcp:cloudfunctionsv2/function:Function";
        const RUN = "gcp:cloudrunv2/service:Service";
        const TOPIC = "gcp:pubsub/topic:Topic";
        const gcpSurface = (resources: R[]) => surface(gcp.triggerPaths, p => gcp.gcpSourceLabel(p.source), resources);

        it("follows gen-1 and gen-2 event triggers, Eventarc triggers and push subscriptions by dependency during preview", () => {
            const { paths, waits } = gcpSurface([
                r(TOPIC, "orders", { name: UNKNOWN }),
                r("gcp:storage/bucket:Bucket", "uploads", { name: UNKNOWN }),
                r(V1, "v1", { eventTrigger: { eventType: "google.pubsub.topic.publish", resource: UNKNOWN } }, { eventTrigger: [[TOPIC, "orders"]] }),
                r(V2, "v2", { eventTrigger: { eventType: "google.cloud.storage.object.v1.finalized", eventFilters: [{ attribute: "bucket", value: UNKNOWN }] } }, { eventTrigger: [["gcp:storage/bucket:Bucket", "uploads"]] }),
                r(RUN, "svc", { name: "svc", uri: UNKNOWN }),
                r("gcp:eventarc/trigger:Trigger", "to-svc", { destination: { cloudRunService: { service: UNKNOWN } }, transport: { pubsub: { topic: UNKNOWN } } }, { destination: [[RUN, "svc"]], transport: [[TOPIC, "orders"]] }),
                r("gcp:pubsub/subscription:Subscription", "push", { topic: UNKNOWN, pushConfig: { pushEndpoint: UNKNOWN } }, { topic: [[TOPIC, "orders"]], pushConfig: [[RUN, "svc"]] }),
                r("gcp:pubsub/subscription:Subscription", "pull", { topic: UNKNOWN }, { topic: [[TOPIC, "orders"]] }),
            ]);
            assert.deepStrictEqual(paths, [
                "Cloud Storage bucket `uploads` -> eventTrigger.eventFilters -> v2",
                "Pub/Sub topic `orders` -> Eventarc trigger `to-svc` -> svc",
                "Pub/Sub topic `orders` -> eventTrigger.resource -> v1",
                "Pub/Sub topic `orders` -> push subscription `push` -> svc",
            ]);
            assert.deepStrictEqual(waits, []);
        });

        it("links deployed resources by name and URL in the trigger's project, and waits for a push endpoint nothing in the stack computes", () => {
            const { paths } = gcpSurface([
                r(TOPIC, "orders", { name: "orders", project: "shop", id: "projects/shop/topics/orders" }),
                r(TOPIC, "orders-other", { name: "orders", project: "other", id: "projects/other/topics/orders" }),
                r(RUN, "svc", { name: "svc", project: "shop", location: "europe-west1", uri: "https://svc-abc-ew.a.run.app" }),
                r(V2, "fn2", { name: "fn2", project: "shop", location: "europe-west1", serviceConfig: { service: "projects/shop/locations/europe-west1/services/fn2" } }),
                r("gcp:eventarc/trigger:Trigger", "to-fn", { project: "shop", location: "europe-west1", destination: { cloudRunService: { service: "fn2", region: "europe-west1" } }, transport: { pubsub: { topic: "projects/shop/topics/orders" } } }),
                r("gcp:pubsub/subscription:Subscription", "push", { project: "shop", topic: "projects/shop/topics/orders", pushConfig: { pushEndpoint: "https://svc-abc-ew.a.run.app/events?x=1" } }),
            ]);
            assert.deepStrictEqual(paths, [
                "Pub/Sub topic `orders` -> Eventarc trigger `to-fn` -> fn2",
                "Pub/Sub topic `orders` -> push subscription `push` -> svc",
            ]);
            const waiting = gcpSurface([r(TOPIC, "orders", {}), r("gcp:pubsub/subscription:Subscription", "push", { topic: UNKNOWN, pushConfig: { pushEndpoint: UNKNOWN } }, { topic: [[TOPIC, "orders"]] })]);
            assert.deepStrictEqual(waiting, { paths: [], waits: ["push.pushConfig.pushEndpoint"] });
        });

        it("follows relays back round a cycle without going round it twice", () => {
            const SUB = "gcp:pubsub/subscription:Subscription";
            const BUCKET = "gcp:storage/bucket:Bucket";
            const NOTIFY = "gcp:storage/notification:Notification";
            // a -> archive bucket x -> notifies topic b -> archive bucket y -> notifies topic a (a cycle), and b triggers the function.
            const archive = (name: string, topic: string, bucket: string) => r(SUB, name, { topic: UNKNOWN, cloudStorageConfig: { bucket: UNKNOWN } }, { topic: [[TOPIC, topic]], cloudStorageConfig: [[BUCKET, bucket]] });
            const notify = (name: string, bucket: string, topic: string) => r(NOTIFY, name, { bucket: UNKNOWN, topic: UNKNOWN }, { bucket: [[BUCKET, bucket]], topic: [[TOPIC, topic]] });
            const { paths, waits } = gcpSurface([
                r(TOPIC, "a", {}), r(TOPIC, "b", {}), r(BUCKET, "x", {}), r(BUCKET, "y", {}),
                archive("a-to-x", "a", "x"), notify("x-to-b", "x", "b"), archive("b-to-y", "b", "y"), notify("y-to-a", "y", "a"),
                r(V1, "fn", { eventTrigger: { eventType: "google.pubsub.topic.publish", resource: UNKNOWN } }, { eventTrigger: [[TOPIC, "b"]] }),
            ]);
            assert.deepStrictEqual(paths, [
                "Cloud Storage bucket `x` -> bucket notification `x-to-b` -> Pub/Sub topic `b` -> eventTrigger.resource -> fn",
                "Cloud Storage bucket `y` -> bucket notification `y-to-a` -> Pub/Sub topic `a` -> Cloud Storage subscription `a-to-x` -> Cloud Storage bucket `x` -> bucket notification `x-to-b` -> Pub/Sub topic `b` -> eventTrigger.resource -> fn",
                "Pub/Sub topic `a` -> Cloud Storage subscription `a-to-x` -> Cloud Storage bucket `x` -> bucket notification `x-to-b` -> Pub/Sub topic `b` -> eventTrigger.resource -> fn",
                "Pub/Sub topic `b` -> eventTrigger.resource -> fn",
            ]);
            assert.deepStrictEqual(waits, []);
        });
    });
});
