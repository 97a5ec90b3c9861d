// A small Google Cloud serverless stack in the scanner's resource-list form (links by resource name),
// used by the benchmark generator when no example stack covers Google Cloud. Half hardened, half with
// the usual flaws (public invoker, plaintext secret, uncapped scaling), like the other examples.
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const KEY = "projects/shop-prod/locations/europe-west1/keyRings/functions/cryptoKeys/orders";
const SA = "orders-fn@shop-prod.iam.gserviceaccount.com";

export const GCP_TEMPLATE = {
    stack: "dev",
    resources: [
        { type: "gcp:serviceaccount/account:Account", name: "orders-fn", props: { accountId: "orders-fn", displayName: "orders functions", email: SA } },
        { type: "gcp:storage/bucket:Bucket", name: "orders-source", props: { name: "orders-source-3f9a", location: "EUROPE-WEST1", uniformBucketLevelAccess: true, publicAccessPrevention: "enforced", encryption: { defaultKmsKeyName: KEY }, versioning: { enabled: true } } },
        { type: "gcp:storage/bucket:Bucket", name: "orders-uploads", props: { name: "orders-uploads-3f9a", location: "EUROPE-WEST1", uniformBucketLevelAccess: false, publicAccessPrevention: "inherited" } },
        { type: "gcp:storage/bucketIAMMember:BucketIAMMember", name: "uploads-public", props: { bucket: "orders-uploads-3f9a", role: "roles/storage.objectViewer", member: "allUsers" }, propertyDependencies: { bucket: ["orders-uploads"] } },
        { type: "gcp:storage/bucketIAMMember:BucketIAMMember", name: "uploads-writer", props: { bucket: UNKNOWN, role: "roles/storage.objectCreator", member: `serviceAccount:${SA}` }, propertyDependencies: { bucket: ["orders-uploads"], member: ["orders-fn"] } },
        { type: "gcp:secretmanager/secret:Secret", name: "db-password", props: { secretId: "db-password", replication: { userManaged: { replicas: [{ location: "europe-west1", customerManagedEncryption: { kmsKeyName: KEY } }] } } } },
        { type: "gcp:secretmanager/secretIamMember:SecretIamMember", name: "db-password-access", props: { secretId: UNKNOWN, role: "roles/secretmanager.secretAccessor", member: UNKNOWN }, propertyDependencies: { secretId: ["db-password"], member: ["orders-fn"] } },
        { type: "gcp:pubsub/topic:Topic", name: "orders-events", props: { name: "orders-events", kmsKeyName: KEY } },
        {
            type: "gcp:cloudfunctions/function:Function", name: "orders-v1",
            props: {
                name: "orders-v1", runtime: "python38", entryPoint: "handle", region: "europe-west1", sourceArchiveBucket: UNKNOWN, sourceArchiveObject: "orders.zip",
                triggerHttp: true, httpsTriggerSecurityLevel: "SECURE_OPTIONAL", ingressSettings: "ALLOW_ALL", serviceAccountEmail: UNKNOWN,
                environmentVariables: { TABLE: "orders", DB_PASSWORD: "hunter2-prod-pw", LOG_LEVEL: "info" },
            },
            propertyDependencies: { sourceArchiveBucket: ["orders-source"], serviceAccountEmail: ["orders-fn"] },
        },
        { type: "gcp:cloudfunctions/functionIamMember:FunctionIamMember", name: "orders-v1-public", props: { cloudFunction: UNKNOWN, region: "europe-west1", role: "roles/cloudfunctions.invoker", member: "allUsers" }, propertyDependencies: { cloudFunction: ["orders-v1"] } },
        {
            type: "gcp:cloudfunctionsv2/function:Function", name: "orders-v2",
            props: {
                name: "orders-v2", location: "europe-west1", kmsKeyName: KEY,
                buildConfig: { runtime: "nodejs22", entryPoint: "handle", source: { storageSource: { bucket: UNKNOWN, object: "orders-v2.zip" } }, environmentVariables: { NODE_ENV: "production" } },
                serviceConfig: {
                    serviceAccountEmail: UNKNOWN, ingressSettings: "ALLOW_INTERNAL_ONLY", maxInstanceCount: 10, timeoutSeconds: 60, availableMemory: "256M",
                    environmentVariables: { TOPIC: "orders-events", API_KEY_SECRET: "projects/shop-prod/secrets/api-key" },
                    secretEnvironmentVariables: [{ key: "DB_PASSWORD", projectId: "shop-prod", secret: "db-password", version: "latest" }],
                },
                eventTrigger: { eventType: "google.cloud.pubsub.topic.v1.messagePublished", pubsubTopic: UNKNOWN, retryPolicy: "RETRY_POLICY_RETRY" },
            },
            propertyDependencies: { buildConfig: ["orders-source"], serviceConfig: ["orders-fn", "db-password"], eventTrigger: ["orders-events"] },
        },
        { type: "gcp:cloudfunctionsv2/functionIamMember:FunctionIamMember", name: "orders-v2-invoker", props: { cloudFunction: UNKNOWN, location: "europe-west1", role: "roles/cloudfunctions.invoker", member: "serviceAccount:scheduler@shop-prod.iam.gserviceaccount.com" }, propertyDependencies: { cloudFunction: ["orders-v2"] } },
        { type: "gcp:projects/iAMMember:IAMMember", name: "orders-fn-editor", props: { project: "shop-prod", role: "roles/editor", member: UNKNOWN }, propertyDependencies: { member: ["orders-fn"] } },
        { type: "gcp:projects/iAMMember:IAMMember", name: "orders-fn-logs", props: { project: "shop-prod", role: "roles/logging.logWriter", member: `serviceAccount:${SA}` }, propertyDependencies: { member: ["orders-fn"] } },
    ],
};
