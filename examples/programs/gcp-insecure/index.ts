// An order API on Google Cloud Functions (gen 1 and gen 2), written the quick way: every resource
// here carries a flaw that serverless-guard stops at `pulumi preview`. Preview only; never deploy it.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

const project = "orders-dev";
const region = "europe-west1";

// The functions' identity is a project Editor.
const sa = new gcp.serviceaccount.Account("orders-fn", { accountId: "orders-fn", project });
new gcp.projects.IAMMember("orders-fn-editor", {
    project,
    role: "roles/editor",
    member: sa.member, // unknown during preview
});

// Source bucket readable by anyone.
const source = new gcp.storage.Bucket("orders-source", { location: "EU", publicAccessPrevention: "inherited" });
new gcp.storage.BucketIAMMember("orders-source-public-read", { bucket: source.name, role: "roles/storage.objectViewer", member: "allUsers" });
const archive = new gcp.storage.BucketObject("orders-source-zip", {
    bucket: source.name,
    name: "orders.zip",
    source: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset("exports.handle = (req, res) => res.send('ok');") }),
});

const stripeKey = new gcp.secretmanager.Secret("stripe-key", { secretId: "stripe-key", project, replication: { auto: {} } });
new gcp.secretmanager.SecretIamBinding("stripe-key-readers", {
    secretId: stripeKey.id,
    project,
    role: "roles/secretmanager.secretAccessor",
    members: ["allAuthenticatedUsers"],
});

// Gen 1: end-of-life runtime, plain HTTP allowed, open to the internet, the default compute
// identity, and a database password in plain configuration (a Pulumi secret in the program).
const webhook = new gcp.cloudfunctions.Function("orders-webhook", {
    name: "orders-webhook",
    region,
    runtime: "nodejs16",
    entryPoint: "handle",
    sourceArchiveBucket: source.name,
    sourceArchiveObject: archive.name,
    triggerHttp: true,
    httpsTriggerSecurityLevel: "SECURE_OPTIONAL",
    ingressSettings: "ALLOW_ALL",
    timeout: 540,
    environmentVariables: { DB_PASSWORD: pulumi.secret("hunter2-insecure-example") },
});
new gcp.cloudfunctions.FunctionIamMember("orders-webhook-public", {
    cloudFunction: webhook.name,
    region,
    project,
    role: "roles/cloudfunctions.invoker",
    member: "allUsers",
});

// Gen 2: runs as the project Editor identity above, up to 1000 instances, callable by anyone.
const worker = new gcp.cloudfunctionsv2.Function("orders-worker", {
    name: "orders-worker",
    location: region,
    buildConfig: {
        runtime: "nodejs16",
        entryPoint: "handle",
        source: { storageSource: { bucket: source.name, object: archive.name } },
    },
    serviceConfig: {
        serviceAccountEmail: sa.email, // unknown during preview
        maxInstanceCount: 1000,
        timeoutSeconds: 3600,
        ingressSettings: "ALLOW_ALL",
    },
});
new gcp.cloudfunctionsv2.FunctionIamBinding("orders-worker-invokers", {
    cloudFunction: worker.name,
    location: region,
    project,
    role: "roles/cloudfunctions.invoker",
    members: ["allUsers"],
});

// A Cloud Run service hosting a function: no IAM check at all, the default compute identity, an API
// key in plain configuration, and no instance cap.
const api = new gcp.cloudrunv2.Service("orders-api", {
    name: "orders-api",
    location: region,
    project,
    invokerIamDisabled: true,
    template: {
        containers: [{
            image: `${region}-docker.pkg.dev/${project}/functions/orders-api:1.0.0`,
            envs: [{ name: "STRIPE_SECRET_KEY", value: pulumi.secret("hunter2-insecure-example") }],
        }],
    },
});

// Order events are pushed to it without an OIDC token, so the service must accept anyone.
const events = new gcp.pubsub.Topic("order-events", { name: "order-events", project });
new gcp.pubsub.Subscription("order-events-push", {
    name: "order-events-push",
    project,
    topic: events.id,
    pushConfig: { pushEndpoint: api.uri },
});

export const webhookUrl = webhook.httpsTriggerUrl;
