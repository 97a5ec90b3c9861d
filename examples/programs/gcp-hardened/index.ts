// The order API of gcp-insecure, hardened: it passes every serverless-guard policy, mandatory and
// advisory, under the default configuration.
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";

const project = "orders-prod";
const region = "europe-west1";
const identity = `orders-fn@${project}.iam.gserviceaccount.com`;
const gateway = `serviceAccount:edge-gateway@${project}.iam.gserviceaccount.com`;
// The account the API Gateway calls its backends as (the config's backendConfig.googleServiceAccount).
const gatewayBackend = `orders-gateway@${project}.iam.gserviceaccount.com`;
const builder = `projects/${project}/serviceAccounts/orders-build@${project}.iam.gserviceaccount.com`;
const pusher = `orders-push@${project}.iam.gserviceaccount.com`;

// A dedicated identity for the functions, allowed to write logs and nothing project-wide beyond that.
const sa = new gcp.serviceaccount.Account("orders-fn", { accountId: "orders-fn", project, displayName: "Orders functions" });
new gcp.projects.IAMMember("orders-fn-logs", {
    project,
    role: "roles/logging.logWriter",
    member: sa.member, // unknown during preview
});
// Builds run as their own identity, not the project's default build account.
new gcp.serviceaccount.Account("orders-build", { accountId: "orders-build", project, displayName: "Orders function builds" });

// Function source: private, uniform access, public access prevention enforced.
const source = new gcp.storage.Bucket("orders-source", {
    name: `${project}-orders-source`,
    location: "EUROPE-WEST1",
    uniformBucketLevelAccess: true,
    publicAccessPrevention: "enforced",
    versioning: { enabled: true },
});
new gcp.storage.BucketIAMMember("orders-source-reader", { bucket: source.name, role: "roles/storage.objectViewer", member: `serviceAccount:${identity}` });
const archive = new gcp.storage.BucketObject("orders-source-zip", {
    bucket: source.name,
    name: "orders.zip",
    source: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset("exports.handle = (req, res) => res.send('ok');") }),
});

// The database password lives in Secret Manager; only the functions' identity may read it.
const dbPassword = new gcp.secretmanager.Secret("db-password", { secretId: "db-password", project, replication: { auto: {} } });
new gcp.secretmanager.SecretVersion("db-password-v1", { secret: dbPassword.id, secretData: pulumi.secret("correct-horse-battery-staple") });
new gcp.secretmanager.SecretIamMember("db-password-access", {
    secretId: dbPassword.id,
    project,
    role: "roles/secretmanager.secretAccessor",
    member: `serviceAccount:${identity}`,
});

// Gen 1: HTTPS only, capped, with the secret mounted from Secret Manager. The API Gateway below calls
// it over its public endpoint, so its ingress accepts all traffic, and its invoker IAM admits only
// the gateway's backend account: a request that doesn't come through the gateway is refused.
const webhook = new gcp.cloudfunctions.Function("orders-webhook", {
    name: "orders-webhook",
    region,
    runtime: "nodejs24",
    entryPoint: "handle",
    sourceArchiveBucket: source.name,
    sourceArchiveObject: archive.name,
    triggerHttp: true,
    httpsTriggerSecurityLevel: "SECURE_ALWAYS",
    ingressSettings: "ALLOW_ALL",
    serviceAccountEmail: identity,
    buildServiceAccount: builder,
    maxInstances: 20,
    timeout: 60,
    environmentVariables: { TABLE: "orders" },
    secretEnvironmentVariables: [{ key: "DB_PASSWORD", secret: "db-password", version: "latest" }],
});
new gcp.cloudfunctions.FunctionIamMember("orders-webhook-invoker", {
    cloudFunction: webhook.name,
    region,
    project,
    role: "roles/cloudfunctions.invoker",
    member: `serviceAccount:${gatewayBackend}`,
});

// Gen 2: internal traffic only, capped, the same identity and secret.
const worker = new gcp.cloudfunctionsv2.Function("orders-worker", {
    name: "orders-worker",
    location: region,
    buildConfig: {
        runtime: "nodejs24",
        entryPoint: "handle",
        source: { storageSource: { bucket: source.name, object: archive.name } },
        serviceAccount: builder,
    },
    serviceConfig: {
        serviceAccountEmail: identity,
        ingressSettings: "ALLOW_INTERNAL_ONLY",
        maxInstanceCount: 10,
        timeoutSeconds: 60,
        availableMemory: "256M",
        secretEnvironmentVariables: [{ key: "DB_PASSWORD", projectId: project, secret: "db-password", version: "latest" }],
    },
});
new gcp.cloudfunctionsv2.FunctionIamBinding("orders-worker-invokers", {
    cloudFunction: worker.name,
    location: region,
    project,
    role: "roles/cloudfunctions.invoker",
    members: [gateway],
});

// A Cloud Run service hosting a function: behind the load balancer, IAM-checked, capped, with the
// secret referenced from Secret Manager.
const api = new gcp.cloudrunv2.Service("orders-api", {
    name: "orders-api",
    location: region,
    project,
    ingress: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
    template: {
        serviceAccount: identity,
        timeout: "60s",
        scaling: { maxInstanceCount: 10 },
        containers: [{
            image: `${region}-docker.pkg.dev/${project}/functions/orders-api:1.0.0`,
            envs: [
                { name: "TABLE", value: "orders" },
                { name: "DB_PASSWORD", valueSource: { secretKeyRef: { secret: "db-password", version: "latest" } } },
            ],
        }],
    },
});

// Order events reach the service through a push subscription that signs each request with an OIDC
// token of its own identity, the only one allowed to invoke the service.
new gcp.serviceaccount.Account("orders-push", { accountId: "orders-push", project, displayName: "Order event push" });
new gcp.cloudrunv2.ServiceIamMember("orders-api-push-invoker", {
    name: api.name,
    location: region,
    project,
    role: "roles/run.invoker",
    member: `serviceAccount:${pusher}`,
});
const events = new gcp.pubsub.Topic("order-events", { name: "order-events", project });
// Only the checkout service's own identity may publish order events.
const checkout = new gcp.serviceaccount.Account("orders-checkout", { accountId: "orders-checkout", project, displayName: "Checkout (publishes order events)" });
new gcp.pubsub.TopicIAMMember("order-events-publisher", { topic: events.name, project, role: "roles/pubsub.publisher", member: checkout.member });
new gcp.pubsub.Subscription("order-events-push", {
    name: "order-events-push",
    project,
    topic: events.id,
    ackDeadlineSeconds: 60,
    pushConfig: {
        pushEndpoint: api.uri, // unknown during preview
        oidcToken: { serviceAccountEmail: pusher },
    },
});

export const webhookUrl = webhook.httpsTriggerUrl;

// ---------------------------------------------------------------------------------------------
// Front doors and callers: an API Gateway route to the webhook function that requires a JWT, the
// gateway calling it as a dedicated account (the function's only invoker); a Cloud Run job, a Cloud
// Tasks queue and a workflow, each as its own account, the job's password from Secret Manager and
// the workflow's settings plain.
const webhookAddress = `https://${region}-${project}.cloudfunctions.net/orders-webhook`;
const gatewayApi = new gcp.apigateway.Api("orders-gateway-api", { apiId: "orders", project });
new gcp.apigateway.ApiConfig("orders-gateway-config", {
    api: gatewayApi.apiId,
    project,
    openapiDocuments: [{
        document: {
            path: "openapi.yaml",
            contents: Buffer.from([
                "swagger: \"2.0\"",
                "info: { title: orders, version: \"1.0\" }",
                "x-google-backend:",
                `  address: ${webhookAddress}`,
                "securityDefinitions:",
                "  auth0:",
                "    authorizationUrl: \"\"",
                "    flow: implicit",
                "    type: oauth2",
                "    x-google-issuer: https://orders.eu.auth0.com/",
                "    x-google-jwks_uri: https://orders.eu.auth0.com/.well-known/jwks.json",
                "    x-google-audiences: orders",
                "security:",
                "  - auth0: []",
                "paths:",
                "  /orders:",
                "    post:",
                "      operationId: createOrder",
                "      responses: { \"200\": { description: ok } }",
            ].join("\n")).toString("base64"),
        },
    }],
    gatewayConfig: { backendConfig: { googleServiceAccount: gatewayBackend } },
});
new gcp.cloudrunv2.Job("orders-reconcile", {
    name: "orders-reconcile",
    location: region,
    project,
    template: {
        template: {
            serviceAccount: `orders-jobs@${project}.iam.gserviceaccount.com`,
            containers: [{
                image: `${region}-docker.pkg.dev/${project}/functions/reconcile:1.0.0`,
                envs: [{ name: "DB_PASSWORD", valueSource: { secretKeyRef: { secret: "db-password", version: "latest" } } }],
            }],
        },
    },
});
new gcp.cloudtasks.Queue("orders-tasks", {
    name: "orders-tasks",
    location: region,
    project,
    httpTarget: { httpMethod: "POST", oidcToken: { serviceAccountEmail: `orders-tasks@${project}.iam.gserviceaccount.com` } },
});
new gcp.workflows.Workflow("orders-flow", {
    name: "orders-flow",
    region,
    project,
    serviceAccount: `orders-flow@${project}.iam.gserviceaccount.com`,
    userEnvVars: { ORDERS_URL: webhookAddress },
    sourceContents: [
        "main:",
        "  steps:",
        "    - notify:",
        "        call: http.post",
        "        args:",
        "          url: ${sys.get_env(\"ORDERS_URL\")}",
        "          auth:",
        "            type: OIDC",
    ].join("\n"),
});
