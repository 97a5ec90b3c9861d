// stack-function-trigger-open on Google Cloud and Azure: a function's triggers followed back to their
// topic, bucket, Event Grid topic, namespace or storage account, reported on the function when anyone
// outside the project (or anyone holding a key, in any tenant) can write to the source.
import * as assert from "assert";
import { checkStack, TestResource } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import { recordConfiguredLevel } from "../../../policies/lib/redecide";

const NAME = "stack-function-trigger-open";
const urn = (type: string, name: string) => `urn:pulumi:dev::shop::${type}::${name}`;
type Deps = Record<string, [string, string][]>;
function res(type: string, name: string, props: Record<string, unknown>, deps: Deps = {}): TestResource {
    return {
        type, name, urn: urn(type, name), props,
        propertyDependencies: Object.fromEntries(Object.entries(deps).map(([k, refs]) => [k, refs.map(([t, n]) => urn(t, n))])),
    };
}

describe("stack-function-trigger-open (Google Cloud)", () => {
    const F1 = "gcp:cloudfunctions/function:Function";
    const TOPIC = "gcp:pubsub/topic:Topic";
    const TOPIC_MEMBER = "gcp:pubsub/topicIAMMember:TopicIAMMember";
    const BUCKET = "gcp:storage/bucket:Bucket";
    const BUCKET_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember";
    const RUN = "gcp:cloudrunv2/service:Service";
    const worker = res(F1, "worker", { runtime: "nodejs22", eventTrigger: { eventType: "google.pubsub.topic.publish", resource: UNKNOWN } }, { eventTrigger: [[TOPIC, "orders"]] });
    const publishers = (member: unknown, role = "roles/pubsub.publisher") => res(TOPIC_MEMBER, "orders-publishers", { topic: UNKNOWN, role, member }, { topic: [[TOPIC, "orders"]] });
    afterEach(() => recordConfiguredLevel("gcp-pubsub-topic-iam-public-publish", "mandatory"));

    it("reports a function triggered by a topic everyone may publish to, naming the path and where the cause is reported", async () => {
        expectViolation(await checkStack(NAME, [res(TOPIC, "orders", {}), worker, publishers("allUsers")]),
            /function `worker` is triggered by events that anyone outside its project can send: Pub\/Sub topic `orders` -> eventTrigger.resource -> function `worker` \(gcp-pubsub-topic-iam-public-publish reports it on `orders-publishers`\)/, "advisory");
    });
    it("passes a topic only a service account may publish to, a grant that doesn't publish, and leaves a computed member to the resource policy", async () => {
        expectPass(await checkStack(NAME, [res(TOPIC, "orders", {}), worker, publishers("serviceAccount:pub@shop.iam.gserviceaccount.com")]));
        expectPass(await checkStack(NAME, [res(TOPIC, "orders", {}), worker, publishers("allUsers", "roles/pubsub.viewer")]));
        // A computed member is the resource policy's to decide (from its sources) or wait for; this one waits only when that one is disabled.
        expectPass(await checkStack(NAME, [res(TOPIC, "orders", {}), worker, publishers(UNKNOWN)]));
        recordConfiguredLevel("gcp-pubsub-topic-iam-public-publish", "disabled");
        expectUnknown(await checkStack(NAME, [res(TOPIC, "orders", {}), worker, publishers(UNKNOWN)]));
    });
    it("names the root cause itself when gcp-pubsub-topic-iam-public-publish is disabled", async () => {
        recordConfiguredLevel("gcp-pubsub-topic-iam-public-publish", "disabled");
        expectViolation(await checkStack(NAME, [res(TOPIC, "orders", {}), worker, publishers("allAuthenticatedUsers")]),
            /\(TopicIAMMember `orders-publishers` lets allUsers or allAuthenticatedUsers publish\)/);
    });
    it("follows an Eventarc trigger's transport topic to a Cloud Run service, and a bucket anyone may write to (not one anyone may only read)", async () => {
        const stack = [
            res(TOPIC, "orders", {}), publishers("allUsers"), res(RUN, "svc", { name: "svc" }),
            res("gcp:eventarc/trigger:Trigger", "to-svc", { destination: { cloudRunService: { service: UNKNOWN } }, transport: { pubsub: { topic: UNKNOWN } } }, { destination: [[RUN, "svc"]], transport: [[TOPIC, "orders"]] }),
        ];
        expectViolation(await checkStack(NAME, stack), /Pub\/Sub topic `orders` -> Eventarc trigger `to-svc` -> Cloud Run service `svc`/);
        const onUpload = res(F1, "thumbs", { eventTrigger: { eventType: "google.storage.object.finalize", resource: "shop-uploads" } });
        const bucket = res(BUCKET, "uploads", { name: "shop-uploads" });
        const grant = (role: string) => res(BUCKET_MEMBER, "uploads-public", { bucket: "shop-uploads", role, member: "allUsers" });
        expectViolation(await checkStack(NAME, [bucket, onUpload, grant("roles/storage.objectCreator")]),
            /Cloud Storage bucket `uploads` -> eventTrigger.resource -> function `thumbs` \(gcp-storage-bucket-iam-public reports it on `uploads-public`\)/);
        expectPass(await checkStack(NAME, [bucket, onUpload, grant("roles/storage.objectViewer")]));
    });
    describe("chained sources", () => {
        const SUB = "gcp:pubsub/subscription:Subscription";
        const NOTIFICATION = "gcp:storage/notification:Notification";
        const onUpload = (eventType = "google.storage.object.finalize") => res(F1, "thumbs", { eventTrigger: { eventType, resource: UNKNOWN } }, { eventTrigger: [[BUCKET, "uploads"]] });
        const archive = res(SUB, "orders-archive", { topic: UNKNOWN, cloudStorageConfig: { bucket: UNKNOWN } }, { topic: [[TOPIC, "orders"]], cloudStorageConfig: [[BUCKET, "uploads"]] });

        it("follows an open topic through its Cloud Storage subscription to the bucket that triggers a function, once", async () => {
            const out = await checkStack(NAME, [res(TOPIC, "orders", {}), publishers("allUsers"), archive, res(BUCKET, "uploads", {}), onUpload()]);
            expectViolation(out, /function `thumbs` is triggered by events that anyone outside its project can send: Pub\/Sub topic `orders` -> Cloud Storage subscription `orders-archive` -> Cloud Storage bucket `uploads` -> eventTrigger.resource -> function `thumbs` \(gcp-pubsub-topic-iam-public-publish reports it on `orders-publishers`\)\.$/);
            assert.strictEqual(out.violations.length, 1);
        });
        it("passes a closed topic, and a function triggered on deletes (a subscription only writes new objects)", async () => {
            expectPass(await checkStack(NAME, [res(TOPIC, "orders", {}), publishers("serviceAccount:pub@shop.iam.gserviceaccount.com"), archive, res(BUCKET, "uploads", {}), onUpload()]));
            expectPass(await checkStack(NAME, [res(TOPIC, "orders", {}), publishers("allUsers"), archive, res(BUCKET, "uploads", {}), onUpload("google.storage.object.delete")]));
        });
        it("follows an open bucket through its notification of new objects to the topic that triggers a function (deployed: by name), and waits for computed event types", async () => {
            const bucket = res(BUCKET, "uploads", { name: "shop-uploads", project: "shop" });
            const topic = res(TOPIC, "orders", { name: "orders", project: "shop", id: "projects/shop/topics/orders" });
            const fn = res(F1, "worker", { project: "shop", eventTrigger: { eventType: "google.pubsub.topic.publish", resource: "projects/shop/topics/orders" } });
            const notify = (eventTypes?: unknown) => res(NOTIFICATION, "uploads-to-orders", { bucket: "shop-uploads", topic: "projects/shop/topics/orders", payloadFormat: "JSON_API_V1", ...(eventTypes ? { eventTypes } : {}) });
            const open = res(BUCKET_MEMBER, "uploads-public", { bucket: "shop-uploads", role: "roles/storage.objectCreator", member: "allUsers" });
            expectViolation(await checkStack(NAME, [bucket, topic, fn, notify(), open]),
                /Cloud Storage bucket `uploads` -> bucket notification `uploads-to-orders` -> Pub\/Sub topic `orders` -> eventTrigger.resource -> function `worker` \(gcp-storage-bucket-iam-public reports it on `uploads-public`\)/);
            expectPass(await checkStack(NAME, [bucket, topic, fn, notify(["OBJECT_DELETE"]), open]));
            expectUnknown(await checkStack(NAME, [bucket, topic, fn, notify(UNKNOWN), open]));
        });
    });
});

describe("stack-function-trigger-open (Azure)", () => {
    const APP = "azure-native:web:WebApp";
    const TOPIC = "azure-native:eventgrid:Topic";
    const NS = "azure-native:servicebus:Namespace";
    const ACCOUNT = "azure-native:storage:StorageAccount";
    const app = (siteConfig: unknown = {}, deps: Deps = {}) => res(APP, "orders", { kind: "functionapp,linux", resourceGroupName: "rg", name: "orders-fn", siteConfig }, deps);
    const topic = (props: Record<string, unknown>) => res(TOPIC, "events", { resourceGroupName: "rg", ...props });
    const subscription = res("azure-native:eventgrid:EventSubscription", "events-to-fn", { scope: UNKNOWN, destination: { endpointType: "AzureFunction", resourceId: UNKNOWN } }, { scope: [[TOPIC, "events"]], destination: [[APP, "orders"]] });

    it("reports a function app an Event Grid subscription feeds from a topic taking keys from any network", async () => {
        expectViolation(await checkStack(NAME, [app(), topic({}), subscription]),
            /function app `orders` is triggered by events that anyone holding a key \(in any tenant\) can send: Event Grid topic `events` -> EventSubscription `events-to-fn` -> function app `orders` \(azure-messaging-local-auth-public-network reports it on `events`\)/, "advisory");
    });
    it("passes a topic with local auth disabled or public network closed, and leaves a computed local-auth setting to the resource policy", async () => {
        expectPass(await checkStack(NAME, [app(), topic({ disableLocalAuth: true }), subscription]));
        expectPass(await checkStack(NAME, [app(), topic({ publicNetworkAccess: "Disabled" }), subscription]));
        expectPass(await checkStack(NAME, [app(), topic({ disableLocalAuth: UNKNOWN }), subscription]));
        recordConfiguredLevel("azure-messaging-local-auth-public-network", "disabled");
        expectUnknown(await checkStack(NAME, [app(), topic({ disableLocalAuth: UNKNOWN }), subscription]));
        recordConfiguredLevel("azure-messaging-local-auth-public-network", "mandatory");
    });
    it("follows a connection setting to the Service Bus namespace it names, by its host, and a computed one by its source", async () => {
        const ns = res(NS, "bus", { resourceGroupName: "rg", name: "orders-bus", publicNetworkAccess: "Enabled" });
        const byHost = app({ appSettings: [{ name: "Orders__fullyQualifiedNamespace", value: "orders-bus.servicebus.windows.net" }] });
        expectViolation(await checkStack(NAME, [byHost, ns]),
            /Service Bus namespace `bus` -> app setting `Orders__fullyQualifiedNamespace` \(a binding's connection\) -> function app `orders` \(azure-messaging-local-auth-public-network reports it on `bus`\)/);
        const computed = app({ appSettings: [{ name: "ServiceBusConnection", value: UNKNOWN }] }, { siteConfig: [[NS, "bus"]] });
        expectViolation(await checkStack(NAME, [computed, ns]), /Service Bus namespace `bus` -> siteConfig.appSettings, computed from it \(a binding's connection\) -> function app `orders`/);
        expectPass(await checkStack(NAME, [app({ appSettings: [{ name: "Other__fullyQualifiedNamespace", value: "someone-else.servicebus.windows.net" }] }), ns]));
        // As a program declares it: by namespaceName (its name is an output, unknown during preview).
        const declared = res(NS, "bus", { resourceGroupName: "rg", namespaceName: "orders-bus", name: UNKNOWN });
        expectViolation(await checkStack(NAME, [byHost, declared]), /Service Bus namespace `bus` -> app setting `Orders__fullyQualifiedNamespace`/);
        expectPass(await checkStack(NAME, [byHost, res(NS, "bus", { resourceGroupName: "rg", namespaceName: "orders-bus", name: UNKNOWN, disableLocalAuth: true })]));
        // A queue's namespaceName names its parent, not the queue: no path from the queue.
        const queue = res("azure-native:servicebus:Queue", "orders-queue", { resourceGroupName: "rg", namespaceName: "orders-bus", queueName: "orders" });
        expectPass(await checkStack(NAME, [byHost, queue]));
        const connectionString = app({ connectionStrings: [{ name: "Events", type: "ServiceBus", connectionString: "Endpoint=sb://orders-bus.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=c2VjcmV0" }] });
        const out = await checkStack(NAME, [connectionString, ns]);
        expectViolation(out, /Service Bus namespace `bus` -> connection string `Events` \(a binding's connection\) -> function app `orders`/);
        assert.ok(!out.violations.some(v => v.message.includes("c2VjcmV0")), "no key in the message");
    });
    describe("chained sources: Event Grid delivering into a namespace or account a binding reads", () => {
        const QUEUE = "azure-native:servicebus:Queue";
        const ns = res(NS, "bus", { resourceGroupName: "rg", name: "orders-bus", disableLocalAuth: true });
        const reader = app({ appSettings: [{ name: "Orders__fullyQualifiedNamespace", value: "orders-bus.servicebus.windows.net" }] });
        const queue = res(QUEUE, "orders-queue", { resourceGroupName: "rg", namespaceName: "orders-bus", queueName: "orders" });
        const toQueue = res("azure-native:eventgrid:EventSubscription", "events-to-queue", { scope: UNKNOWN, destination: { endpointType: "ServiceBusQueue", resourceId: UNKNOWN } }, { scope: [[TOPIC, "events"]], destination: [[QUEUE, "orders-queue"]] });

        it("names the whole path of an open topic through its subscription to a Service Bus queue whose namespace the app reads, once", async () => {
            const out = await checkStack(NAME, [reader, ns, queue, topic({}), toQueue]);
            expectViolation(out, /function app `orders` is triggered by events that anyone holding a key \(in any tenant\) can send: Event Grid topic `events` -> EventSubscription `events-to-queue` -> Service Bus namespace `bus` -> app setting `Orders__fullyQualifiedNamespace` \(a binding's connection\) -> function app `orders` \(azure-messaging-local-auth-public-network reports it on `events`\)\.$/);
            assert.strictEqual(out.violations.length, 1);
        });
        it("passes a closed topic, and a subscription into another namespace (deployed: by id)", async () => {
            expectPass(await checkStack(NAME, [reader, ns, queue, topic({ disableLocalAuth: true }), toQueue]));
            const byId = (namespace: string) => res("azure-native:eventgrid:EventSubscription", "events-to-queue", {
                id: "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.EventGrid/topics/events/providers/Microsoft.EventGrid/eventSubscriptions/events-to-queue",
                destination: { endpointType: "ServiceBusQueue", resourceId: `/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ServiceBus/namespaces/${namespace}/queues/orders` },
            });
            const deployed = [
                { ...reader, props: { ...reader.props, id: "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/sites/orders-fn" } },
                { ...ns, props: { ...ns.props, id: "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ServiceBus/namespaces/orders-bus" } },
                topic({ name: "events", id: "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.EventGrid/topics/events" }),
            ];
            expectViolation(await checkStack(NAME, [...deployed, byId("orders-bus")]), /Event Grid topic `events` -> EventSubscription `events-to-queue` -> Service Bus namespace `bus` -> app setting/);
            expectPass(await checkStack(NAME, [...deployed, byId("other-bus")]));
        });
        it("follows a classic subscription's storage queue endpoint to the account a binding reads, and leaves a computed local-auth setting to the resource policy", async () => {
            const store = res(ACCOUNT, "store", { accountName: "ordersstore", allowSharedKeyAccess: false });
            const binding = app({ appSettings: [{ name: "Uploads__accountName", value: "ordersstore" }] });
            const classic = res("azure:eventgrid/eventSubscription:EventSubscription", "events-to-store", { scope: UNKNOWN, storageQueueEndpoint: { storageAccountId: UNKNOWN, queueName: "uploads" } }, { scope: [[TOPIC, "events"]], storageQueueEndpoint: [[ACCOUNT, "store"]] });
            expectViolation(await checkStack(NAME, [binding, store, topic({}), classic]), /Event Grid topic `events` -> EventSubscription `events-to-store` -> storage account `store` -> app setting `Uploads__accountName`/);
            expectPass(await checkStack(NAME, [binding, store, topic({ disableLocalAuth: UNKNOWN }), classic]));
        });
    });

    it("follows a storage binding's connection to an account that accepts Shared Key, but not the host's AzureWebJobsStorage", async () => {
        const store = (extra: Record<string, unknown> = {}) => res(ACCOUNT, "store", { accountName: "ordersstore", ...extra });
        const binding = app({ appSettings: [{ name: "Uploads__accountName", value: "ordersstore" }] });
        const out = await checkStack(NAME, [binding, store()]);
        expectViolation(out, /storage account `store` -> app setting `Uploads__accountName` \(a binding's connection\) -> function app `orders` \(azure-storage-shared-key-access reports it on `store`\)/);
        assert.strictEqual(out.violations.length, 1);
        expectPass(await checkStack(NAME, [binding, store({ allowSharedKeyAccess: false })]));
        // Every function app has its host storage, HTTP-only ones too: it says nothing about a trigger.
        expectPass(await checkStack(NAME, [app({ appSettings: [{ name: "AzureWebJobsStorage", value: "DefaultEndpointsProtocol=https;AccountName=ordersstore;AccountKey=x" }] }), store()]));
        expectPass(await checkStack(NAME, [app({ appSettings: [{ name: "AzureWebJobsStorage", value: UNKNOWN }] }, { siteConfig: [[ACCOUNT, "store"]] }), store()]));
    });
});
