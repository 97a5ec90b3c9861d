// Stack policies on small Google Cloud Functions graphs (gen 1 and gen 2), linked the way the engine
// links them during preview: emails, names and ids unknown, links through propertyDependencies (and
// by known emails, names and service paths where given).
import * as assert from "assert";
import { check, checkStack, TestResource } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation, expectUndecided } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import { recordConfiguredLevel } from "../../../policies/lib/redecide";
import { ACCOUNT, TOPIC_IAM_TYPES } from "../../../policies/model/gcp";
import { SERVICE_ACCOUNT_IAM_TYPES } from "../../../policies/gcp/service-account-iam";

const urn = (type: string, name: string) => `urn:pulumi:dev::shop::${type}::${name}`;
const F1 = "gcp:cloudfunctions/function:Function";
const F2 = "gcp:cloudfunctionsv2/function:Function";
const SA = ACCOUNT;
const PROJECT_MEMBER = "gcp:projects/iAMMember:IAMMember";
const PROJECT_BINDING = "gcp:projects/iAMBinding:IAMBinding";
const PROJECT_POLICY = "gcp:projects/iAMPolicy:IAMPolicy";
const BUCKET = "gcp:storage/bucket:Bucket";
const BUCKET_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember";
const TOPIC = "gcp:pubsub/topic:Topic";
const TOPIC_MEMBER = TOPIC_IAM_TYPES[0];
const SECRET = "gcp:secretmanager/secret:Secret";
const SECRET_MEMBER = "gcp:secretmanager/secretIamMember:SecretIamMember";
const REPO = "gcp:artifactregistry/repository:Repository";
const EMAIL = "orders-fn@shop.iam.gserviceaccount.com";

type Deps = Record<string, [string, string][]>;

function res(type: string, name: string, props: Record<string, unknown>, deps: Deps = {}): TestResource {
    return {
        type, name, urn: urn(type, name), props,
        propertyDependencies: Object.fromEntries(Object.entries(deps).map(([k, refs]) => [k, refs.map(([t, n]) => urn(t, n))])),
    };
}

/** A service account created in the same program: its email is unknown during preview. */
const account = res(SA, "fn-sa", { accountId: "orders-fn", project: "shop", email: UNKNOWN, member: UNKNOWN });
/** A gen-2 function running as `fn-sa`, linked by dependency. */
const v2 = (name: string, serviceConfig: Record<string, unknown> = {}, extra: Record<string, unknown> = {}, deps: Deps = {}) => res(F2, name, {
    name, location: "europe-west1",
    buildConfig: { runtime: "nodejs24", entryPoint: "handle", source: { storageSource: { bucket: UNKNOWN, object: UNKNOWN } } },
    serviceConfig: { serviceAccountEmail: UNKNOWN, maxInstanceCount: 10, ingressSettings: "ALLOW_INTERNAL_ONLY", ...serviceConfig },
    ...extra,
}, { serviceConfig: [[SA, "fn-sa"]], ...deps });
/** A gen-1 function running as `fn-sa`, linked by its known email. */
const v1 = (name: string, extra: Record<string, unknown> = {}, deps: Deps = {}) => res(F1, name, {
    name, region: "europe-west1", runtime: "python312", entryPoint: "handle", serviceAccountEmail: EMAIL, maxInstances: 5, ...extra,
}, deps);
/** A project-level grant to `fn-sa`, linked by dependency. */
const projectGrant = (name: string, role: unknown, member: unknown = UNKNOWN, deps: Deps = { member: [[SA, "fn-sa"]] }) =>
    res(PROJECT_MEMBER, name, { project: "shop", role, member }, deps);

describe("stack policies: Google Cloud", () => {
    it("links only type tokens that @pulumi/gcp defines", () => {
        const sdk = require("@pulumi/gcp");
        const tokens = [F1, F2, SA, PROJECT_MEMBER, PROJECT_BINDING, PROJECT_POLICY, BUCKET, BUCKET_MEMBER, TOPIC, SECRET, SECRET_MEMBER, REPO, ...TOPIC_IAM_TYPES,
            "gcp:cloudfunctions/functionIamMember:FunctionIamMember", "gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "gcp:cloudrun/iamMember:IamMember",
            ...SERVICE_ACCOUNT_IAM_TYPES, "gcp:cloudrunv2/service:Service", "gcp:cloudrun/service:Service"];
        for (const token of tokens) {
            const [, module, cls] = token.split(":");
            assert.strictEqual(sdk[module.split("/")[0]]?.[cls]?.__pulumiType, token, token);
        }
    });

    describe("stack-function-identity-privileged", () => {
        const name = "stack-function-identity-privileged";
        it("passes a function whose service account has narrow roles", async () => {
            expectPass(await checkStack(name, [account, v2("api"), projectGrant("sa-logs", "roles/logging.logWriter")]));
        });
        it("flags Editor on the project for the function's service account, naming both ends", async () => {
            const out = await checkStack(name, [account, v2("api"), projectGrant("sa-editor", "roles/editor")]);
            expectViolation(out, /function `api` runs as service account `fn-sa`, which gets `roles\/editor` on the project via IAMMember `sa-editor` \(write access/, "mandatory");
            assert.strictEqual(out.violations[0].urn, urn(F2, "api"));
        });
        it("links function, service account and binding by known emails", async () => {
            const binding = res(PROJECT_BINDING, "token-creators", { project: "shop", role: "roles/iam.serviceAccountTokenCreator", members: [`serviceAccount:${EMAIL}`] });
            // Members known by email are what gcp-iam-impersonation-role-scope-wide reads: one line, on the binding.
            expectPass(await checkStack(name, [account, v1("api"), binding]));
            expectViolation(check("gcp-iam-impersonation-role-scope-wide", binding), /grants `roles\/iam.serviceAccountTokenCreator` to a service account on the whole project/, "mandatory");
            // The same grant linked to the account only by dependency is one no resource policy can read during preview.
            const linked = res(PROJECT_BINDING, "token-creators", { project: "shop", role: "roles/iam.serviceAccountTokenCreator", members: [UNKNOWN] }, { members: [[SA, "fn-sa"]] });
            expectViolation(await checkStack(name, [account, v1("api"), linked]), /function `api` runs as service account `fn-sa`, which gets `roles\/iam.serviceAccountTokenCreator` on the project via IAMBinding `token-creators` \(it can mint/);
        });
        it("reads an authoritative IAM policy given as JSON", async () => {
            const policy = res(PROJECT_POLICY, "project-policy", { project: "shop", policyData: JSON.stringify({ bindings: [{ role: "roles/owner", members: ["user:admin@example.com", `serviceAccount:${EMAIL}`] }] }) });
            expectPass(await checkStack(name, [account, v1("api"), policy]));
            expectViolation(check("gcp-iam-service-account-admin-role", policy), /grants `roles\/owner` \(.*\) to a service account on the whole project/, "mandatory");
        });
        it("follows the default service account of a function that sets none", async () => {
            const graph = (role: string) => [res(F2, "api", { name: "api", serviceConfig: { maxInstanceCount: 3 } }), projectGrant("compute-editor", role, "serviceAccount:123456789012-compute@developer.gserviceaccount.com", {})];
            // Reported on the grant by gcp-iam-service-account-admin-role; linked only by a dependency, by the stack policy.
            expectPass(await checkStack(name, graph("roles/editor")));
            expectViolation(check("gcp-iam-service-account-admin-role", graph("roles/editor")[1]), /grants `roles\/editor`/, "mandatory");
            expectPass(await checkStack(name, graph("roles/logging.logWriter")));
        });
        it("ignores grants to other service accounts", async () => {
            expectPass(await checkStack(name, [account, v2("api"), projectGrant("ci-owner", "roles/owner", "serviceAccount:ci@shop.iam.gserviceaccount.com", {})]));
        });
        it("can't decide while the function's account or a privileged grant's member is unknown and unlinked", async () => {
            expectUnknown(await checkStack(name, [account, v2("api", {}, {}, { serviceConfig: [] })]));
            expectUnknown(await checkStack(name, [account, v2("api"), projectGrant("who-edits", "roles/editor", UNKNOWN, {})]));
        });
    });

    describe("stack-gcp-function-identity-impersonation", () => {
        const name = "stack-gcp-function-identity-impersonation";
        const SA_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember";
        const SA_BINDING = "gcp:serviceaccount/iAMBinding:IAMBinding";
        const SA_POLICY = "gcp:serviceaccount/iAMPolicy:IAMPolicy";
        const RUN2 = "gcp:cloudrunv2/service:Service";
        /** A grant on `fn-sa`, linked by dependency (its name is unknown during preview). */
        const onAccount = (iamName: string, role: unknown, member: unknown, deps: Deps = { serviceAccountId: [[SA, "fn-sa"]] }) =>
            res(SA_MEMBER, iamName, { serviceAccountId: UNKNOWN, role, member }, deps);

        it("passes specific principals, and broad grants on accounts no function runs as", async () => {
            expectPass(await checkStack(name, [account, v2("api"), onAccount("deployer", "roles/iam.serviceAccountUser", "serviceAccount:ci@shop.iam.gserviceaccount.com")]));
            const other = res(SA_MEMBER, "batch-users", { serviceAccountId: "projects/shop/serviceAccounts/batch@shop.iam.gserviceaccount.com", role: "roles/iam.serviceAccountUser", member: "allUsers" });
            expectPass(await checkStack(name, [account, v1("api"), other]));
        });
        it("flags everyone acting as a gen-2 function's service account, on the function", async () => {
            const out = await checkStack(name, [account, v2("api"), onAccount("sa-users", "roles/iam.serviceAccountUser", "allUsers")]);
            expectViolation(out, /function `api` runs as service account `fn-sa`, on which IAMMember `sa-users` grants `roles\/iam\.serviceAccountUser` to allUsers, that is everyone: they may act as this function's identity and run code with its rights/, "mandatory");
            assert.strictEqual(out.violations[0].urn, urn(F2, "api"));
        });
        it("links a gen-1 function by its known email and a Cloud Run service by its template's account; domains per allowedDomains", async () => {
            const binding = res(SA_BINDING, "token-creators", { serviceAccountId: `projects/shop/serviceAccounts/${EMAIL}`, role: "roles/iam.serviceAccountTokenCreator", members: ["domain:example.com"] });
            expectViolation(await checkStack(name, [v1("api"), binding]), /function `api` runs as its service account \(not managed in this stack\), on which IAMBinding `token-creators` grants `roles\/iam\.serviceAccountTokenCreator` to every account of a whole domain/);
            expectPass(await checkStack(name, [v1("api"), binding], { config: { allowedDomains: ["Example.com"] } }));
            const service = res(RUN2, "orders-run", { name: "orders-run", location: "europe-west1", template: { serviceAccount: EMAIL, containers: [{ image: "x" }] } });
            const policy = res(SA_POLICY, "sa-policy", { serviceAccountId: UNKNOWN, policyData: JSON.stringify({ bindings: [{ role: "roles/iam.serviceAccountUser", members: ["principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/ci/*"] }] }) }, { serviceAccountId: [[SA, "fn-sa"]] });
            expectViolation(await checkStack(name, [account, service, policy]), /Cloud Run service `orders-run` runs as service account `fn-sa`, on which IAMPolicy `sa-policy` grants `roles\/iam\.serviceAccountUser` to a whole set of workload identities/);
        });
        it("doesn't link an account of the same id in another project", async () => {
            const runner = (project: string) => res(SA, `runner-${project}`, { accountId: "runner", project, email: UNKNOWN, member: UNKNOWN });
            const fn = (email: string) => res(F1, "api", { name: "api", region: "europe-west1", project: "p1", serviceAccountEmail: email, maxInstances: 5 });
            const grant = res(SA_MEMBER, "runner-users", { serviceAccountId: "projects/p2/serviceAccounts/runner@p2.iam.gserviceaccount.com", role: "roles/iam.serviceAccountUser", member: "allUsers" });
            expectPass(await checkStack(name, [runner("p1"), runner("p2"), fn("runner@p1.iam.gserviceaccount.com"), grant]));
            expectViolation(await checkStack(name, [runner("p1"), runner("p2"), fn("runner@p2.iam.gserviceaccount.com"), grant]), /function `api` runs as service account `runner-p2`, on which IAMMember `runner-users`/);
            // Two accounts `runner` whose project is the provider's default, unknown here: the grant can't be placed.
            const unplaced = (n: string) => res(SA, n, { accountId: "runner", email: UNKNOWN, member: UNKNOWN });
            const onRunner = res(SA_MEMBER, "runner-users", { serviceAccountId: "projects/p1/serviceAccounts/runner@p1.iam.gserviceaccount.com", role: "roles/iam.serviceAccountUser", member: "allUsers" });
            const out = await checkStack(name, [unplaced("runner-a"), unplaced("runner-b"), fn("runner@p1.iam.gserviceaccount.com"), onRunner]);
            // The full email still links grant and function; which account resource it is can't be told.
            expectViolation(out, /function `api` runs as its service account \(not managed in this stack\), on which IAMMember `runner-users`/);
            expectUndecided(out, "ambiguous", { [String(onRunner.urn)]: ["serviceAccountId"] });
        });
        it("can't decide during preview while the account, the member or the role is unknown and unlinked", async () => {
            const unplaced = await checkStack(name, [account, v2("api"), onAccount("who", "roles/iam.serviceAccountUser", "allUsers", {})]);
            expectUnknown(unplaced);
            assert.deepStrictEqual(unplaced.violations, []);
            expectUnknown(await checkStack(name, [account, v2("api"), onAccount("who", "roles/iam.serviceAccountUser", UNKNOWN, { serviceAccountId: [[SA, "fn-sa"]], member: [] })]));
            expectUnknown(await checkStack(name, [account, v2("api"), onAccount("what", UNKNOWN, "allUsers")]));
            expectUnknown(await checkStack(name, [account, v2("api", {}, {}, { serviceConfig: [] }), onAccount("sa-users", "roles/iam.serviceAccountUser", "allUsers")]));
            // Nothing waits where no broad grant could reach a function.
            expectPass(await checkStack(name, [account, v2("api", {}, {}, { serviceConfig: [] })]));
        });
    });

    describe("public invocation", () => {
        const fnMember = (member: string, role: unknown = "roles/cloudfunctions.invoker") =>
            res("gcp:cloudfunctions/functionIamMember:FunctionIamMember", "api-invoker", { cloudFunction: UNKNOWN, region: "europe-west1", role, member }, { cloudFunction: [[F1, "api"]] });
        const runMember = (member: string) =>
            res("gcp:cloudrunv2/serviceIamMember:ServiceIamMember", "api-run-invoker", { name: UNKNOWN, location: "europe-west1", role: "roles/run.invoker", member }, { name: [[F2, "api"]] });

        // gcp-iam-function-public-access reports a public invoker on its IAM resource, so stack-function-public-invocation
        // stays silent; the uncapped line on a function without an instance cap shows each public path the stack finds.
        const P = "stack-function-public-uncapped";
        it("allUsers on a gen-1 function: one line on the IAM member; the missing cap on the function, naming it", async () => {
            expectPass(await checkStack("stack-function-public-invocation", [account, v1("api", { triggerHttp: true }), fnMember("allUsers")]));
            expectViolation(await checkStack("gcp-iam-function-public-access", [account, v1("api", { triggerHttp: true }), fnMember("allUsers")]), /grants `roles\/cloudfunctions.invoker` to allUsers/, "mandatory");
            const out = await checkStack(P, [account, v1("api", { triggerHttp: true, maxInstances: undefined }), fnMember("allUsers")]);
            // The grant's own line is mandatory and carries the fix; the missing cap on top of it is advice.
            expectViolation(out, /function `api` has no instance cap \(maxInstances\) and is public \(FunctionIamMember `api-invoker` grants `roles\/cloudfunctions.invoker` to allUsers \(gcp-iam-function-public-access reports it on `api-invoker`\)\)/, "advisory");
            assert.strictEqual(out.violations[0].urn, urn(F1, "api"));
        });
        it("leaves allAuthenticatedUsers on a gen-2 function's Cloud Run service to the grant's line: gen 2 stops at 100 instances by default", async () => {
            expectPass(await checkStack(P, [account, v2("api", { maxInstanceCount: 0 }), runMember("allAuthenticatedUsers")]));
            expectViolation(check("gcp-iam-function-public-access", runMember("allAuthenticatedUsers")), /grants `roles\/run.invoker` to allAuthenticatedUsers/, "mandatory");
        });
        it("passes invokers that are service accounts, and public roles that don't invoke", async () => {
            expectPass(await checkStack("stack-function-public-invocation", [account, v2("api"), runMember("serviceAccount:scheduler@shop.iam.gserviceaccount.com")]));
            expectPass(await checkStack("stack-function-public-invocation", [account, v1("api"), fnMember("allUsers", "roles/cloudfunctions.viewer")]));
        });
        it("ignores the inert allUsers grant of a @pulumi/gcp callback function on a Pub/Sub topic (no HTTP trigger)", async () => {
            // pulumi/examples gcp-ts-slackbot: topic.onMessagePublished() -> gen-1 function with an eventTrigger plus an allUsers invoker.
            const subscriber = v1("api", { maxInstances: undefined, eventTrigger: { eventType: "google.pubsub.topic.publish", resource: UNKNOWN } });
            for (const name of ["stack-function-public-invocation", "stack-function-public-uncapped"]) {
                expectPass(await checkStack(name, [account, subscriber, fnMember("allUsers")]));
            }
            expectUnknown(await checkStack("stack-function-public-invocation", [account, v1("api", { triggerHttp: UNKNOWN, eventTrigger: undefined }), fnMember("allUsers")]));
        });
        it("can't decide while a public grant's role is unknown", async () => {
            expectUnknown(await checkStack("stack-function-public-invocation", [account, v1("api"), fnMember("allUsers", UNKNOWN)]));
        });
        it("stack-function-public-uncapped flags a public function without an instance cap", async () => {
            const name = "stack-function-public-uncapped";
            expectPass(await checkStack(name, [account, v1("api"), fnMember("allUsers")]));
            expectViolation(await checkStack(name, [account, v1("api", { maxInstances: undefined }), fnMember("allUsers")]), /function `api` has no instance cap \(maxInstances\) and is public \(/, "advisory");
            // Gen 2 left uncapped stops at Google's default of 100 instances: capped.
            expectPass(await checkStack(name, [account, v2("api", { maxInstanceCount: 0 }), runMember("allUsers")]));
            expectPass(await checkStack(name, [account, v2("api", { maxInstanceCount: undefined }), runMember("allUsers")]));
            expectPass(await checkStack(name, [account, v1("api", { maxInstances: undefined })]));
            expectUnknown(await checkStack(name, [account, v2("api", { maxInstanceCount: UNKNOWN }), runMember("allUsers")]));
        });
    });

    describe("event flow", () => {
        const uploads = res(BUCKET, "uploads", { name: "shop-uploads", uniformBucketLevelAccess: true });
        const storageFn = (name: string, event = "google.cloud.storage.object.v1.finalized") =>
            v2(name, {}, { eventTrigger: { eventType: event, eventFilters: [{ attribute: "bucket", value: UNKNOWN }] } }, { eventTrigger: [[BUCKET, "uploads"]] });
        const bucketGrant = (role: string, member: unknown = UNKNOWN, deps: Deps = { member: [[SA, "fn-sa"]] }) =>
            res(BUCKET_MEMBER, "uploads-writer", { bucket: UNKNOWN, role, member }, { bucket: [[BUCKET, "uploads"]], ...deps });
        const jobs = res(TOPIC, "jobs", { name: "jobs", project: "shop" });
        const topicFn = (name: string) => v1(name, { eventTrigger: { eventType: "google.pubsub.topic.publish", resource: "projects/shop/topics/jobs" } });

        it("stack-function-event-loop flags a storage-triggered function that can write to its bucket", async () => {
            const out = await checkStack("stack-function-event-loop", [account, uploads, storageFn("thumb"), bucketGrant("roles/storage.objectCreator")]);
            expectViolation(out, /function `thumb` is triggered by Cloud Storage bucket `uploads` \(via eventTrigger\.eventFilters\) and, running as service account `fn-sa`, can create objects in it via BucketIAMMember `uploads-writer` \(`roles\/storage.objectCreator`\): each write can invoke it again/, "mandatory");
        });
        it("passes read-only access, and counts project-level storage roles", async () => {
            expectPass(await checkStack("stack-function-event-loop", [account, uploads, storageFn("thumb"), bucketGrant("roles/storage.objectViewer")]));
            expectViolation(await checkStack("stack-function-event-loop", [account, uploads, storageFn("thumb"), projectGrant("sa-storage", "roles/storage.objectAdmin")]),
                /IAMMember `sa-storage` \(`roles\/storage.objectAdmin` on the project\)/);
        });
        it("flags a Pub/Sub-triggered function that can publish to its topic (linked by the known topic path)", async () => {
            const publisher = res(TOPIC_MEMBER, "jobs-publisher", { topic: "projects/shop/topics/jobs", role: "roles/pubsub.publisher", member: `serviceAccount:${EMAIL}` });
            expectViolation(await checkStack("stack-function-event-loop", [account, jobs, topicFn("worker"), publisher]),
                /function `worker` is triggered by Pub\/Sub topic `jobs` \(via eventTrigger\.resource\) and, running as service account `fn-sa`, can publish to it via TopicIAMMember `jobs-publisher`/);
            expectPass(await checkStack("stack-function-event-loop", [account, jobs, topicFn("worker")]));
        });
        it("leaves a loop through a grant to allUsers on the trigger to the source's own policy, unless that policy is disabled", async () => {
            const everyone = res(TOPIC_MEMBER, "jobs-everyone", { topic: "projects/shop/topics/jobs", role: "roles/pubsub.publisher", member: "allUsers" });
            const stack = [account, jobs, topicFn("worker"), everyone];
            expectPass(await checkStack("stack-function-event-loop", stack));
            expectViolation(check("gcp-pubsub-topic-iam-public-publish", everyone), /allUsers/);
            try {
                recordConfiguredLevel("gcp-pubsub-topic-iam-public-publish", "disabled");
                expectViolation(await checkStack("stack-function-event-loop", stack), /can publish to it via TopicIAMMember `jobs-everyone` \(`roles\/pubsub.publisher` to allUsers\)/);
            } finally {
                recordConfiguredLevel("gcp-pubsub-topic-iam-public-publish", "mandatory");
            }
        });
        it("can't decide while a writer grant's member is unknown and unlinked", async () => {
            expectUnknown(await checkStack("stack-function-event-loop", [account, uploads, storageFn("thumb"), bucketGrant("roles/storage.objectCreator", UNKNOWN, {})]));
        });
        it("follows push subscriptions and Cloud Storage subscriptions: a Cloud Run service that can publish to the topic pushing to it, a function whose bucket its topic archives into", async () => {
            const RUN = "gcp:cloudrunv2/service:Service";
            const service = res(RUN, "svc", { name: "svc", project: "shop", location: "europe-west1", template: { serviceAccount: UNKNOWN } }, { template: [[SA, "fn-sa"]] });
            const push = res("gcp:pubsub/subscription:Subscription", "jobs-push", { topic: UNKNOWN, pushConfig: { pushEndpoint: UNKNOWN } }, { topic: [[TOPIC, "jobs"]], pushConfig: [[RUN, "svc"]] });
            const publisher = res(TOPIC_MEMBER, "jobs-publisher", { topic: "projects/shop/topics/jobs", role: "roles/pubsub.publisher", member: UNKNOWN }, { member: [[SA, "fn-sa"]] });
            expectViolation(await checkStack("stack-function-event-loop", [account, jobs, service, push, publisher]),
                /Cloud Run service `svc` is triggered by Pub\/Sub topic `jobs` \(via push subscription `jobs-push`\) and, running as service account `fn-sa`, can publish to it via TopicIAMMember `jobs-publisher`/);
            expectPass(await checkStack("stack-function-event-loop", [account, jobs, service, push]));
            const archive = res("gcp:pubsub/subscription:Subscription", "jobs-archive", { topic: UNKNOWN, cloudStorageConfig: { bucket: UNKNOWN } }, { topic: [[TOPIC, "jobs"]], cloudStorageConfig: [[BUCKET, "uploads"]] });
            const out = await checkStack("stack-function-event-loop", [account, jobs, uploads, archive, storageFn("thumb"), publisher]);
            expectViolation(out, /function `thumb` is triggered by Pub\/Sub topic `jobs` \(via Cloud Storage subscription `jobs-archive` -> Cloud Storage bucket `uploads` -> eventTrigger\.eventFilters\) and, running as service account `fn-sa`, can publish to it/);
            // Two push subscriptions are Pub/Sub's own fan-out; a relayed path repeats its relay's.
            const push2 = res("gcp:pubsub/subscription:Subscription", "jobs-push-2", { topic: UNKNOWN, pushConfig: { pushEndpoint: UNKNOWN } }, { topic: [[TOPIC, "jobs"]], pushConfig: [[RUN, "svc2"]] });
            expectPass(await checkStack("stack-function-event-fanout", [account, jobs, service, res(RUN, "svc2", service.props, { template: [[SA, "fn-sa"]] }), push, push2]));
            expectPass(await checkStack("stack-function-event-fanout", [account, jobs, uploads, archive, storageFn("thumb"), topicFn("worker")]));
        });
        it("stack-function-event-fanout flags several functions on one topic, not on different events of one bucket", async () => {
            const out = await checkStack("stack-function-event-fanout", [account, jobs, topicFn("worker"), topicFn("auditor")]);
            expectViolation(out, /function `worker` is one of 2 functions \(`worker`, `auditor`\) triggered by `jobs`/, "advisory");
            expectPass(await checkStack("stack-function-event-fanout", [account, uploads, storageFn("thumb"), storageFn("cleanup", "google.cloud.storage.object.v1.deleted")]));
            expectViolation(await checkStack("stack-function-event-fanout", [account, uploads, storageFn("thumb"), v1("indexer", { eventTrigger: { eventType: "google.storage.object.finalize", resource: "shop-uploads" } })]), /one of 2 functions/);
        });
    });

    describe("stack-function-data-path-encryption", () => {
        const name = "stack-function-data-path-encryption";
        const cmk = { config: { requireCustomerManagedKey: true } };
        const source = (encryption?: Record<string, unknown>) => res(BUCKET, "src", { name: "shop-src", ...(encryption ? { encryption } : {}) });
        const fn = v2("api", {}, {}, { buildConfig: [[BUCKET, "src"]] });
        it("requires CMEK on the source bucket of a gen-2 function only where configured", async () => {
            expectViolation(await checkStack(name, [account, fn, source()], cmk),
                /function `api` loads its source from Cloud Storage bucket `src` \(via buildConfig\.source\.storageSource\.bucket\), which is not encrypted with a customer-managed key \(encryption\.defaultKmsKeyName is not set\)/, "advisory");
            expectPass(await checkStack(name, [account, fn, source({ defaultKmsKeyName: UNKNOWN })], cmk));
            expectPass(await checkStack(name, [account, fn, source()]));
        });
        it("follows a gen-1 function's image repository by its known path, and its trigger topic", async () => {
            const repo = (props: Record<string, unknown>) => res(REPO, "images", { repositoryId: "functions", location: "europe-west1", format: "DOCKER", ...props });
            const f = v1("api", { dockerRepository: "projects/shop/locations/europe-west1/repositories/functions", eventTrigger: { eventType: "google.pubsub.topic.publish", resource: UNKNOWN } }, { eventTrigger: [[TOPIC, "jobs"]] });
            const out = await checkStack(name, [account, f, repo({}), res(TOPIC, "jobs", { name: "jobs" })], cmk);
            expectViolation(out, /function `api` stores its image in Artifact Registry repository `images` \(via dockerRepository\)/);
            expectViolation(out, /function `api` is triggered by Pub\/Sub topic `jobs` \(via eventTrigger\.resource\), which is not encrypted with a customer-managed key \(kmsKeyName is not set\)/);
            expectPass(await checkStack(name, [account, f, repo({ kmsKeyName: "projects/shop/locations/europe-west1/keyRings/r/cryptoKeys/k" }), res(TOPIC, "jobs", { name: "jobs", kmsKeyName: UNKNOWN })], cmk));
        });
    });

    describe("stack-function-secret-reference", () => {
        const name = "stack-function-secret-reference";
        const secret = (replication: Record<string, unknown> = { auto: {} }) => res(SECRET, "db", { secretId: "db-password", project: "shop", replication });
        const fn = v1("api", { secretEnvironmentVariables: [{ key: "DB_PASSWORD", secret: "db-password", version: "latest" }] });
        const accessor = (role = "roles/secretmanager.secretAccessor", member: unknown = UNKNOWN, deps: Deps = { member: [[SA, "fn-sa"]] }) =>
            res(SECRET_MEMBER, "db-access", { secretId: UNKNOWN, role, member }, { secretId: [[SECRET, "db"]], ...deps });

        it("passes a secret the function's service account can access, on the secret or the project", async () => {
            expectPass(await checkStack(name, [account, fn, secret(), accessor()]));
            expectPass(await checkStack(name, [account, fn, secret(), projectGrant("sa-secrets", "roles/secretmanager.secretAccessor")]));
        });
        it("flags a secret nobody granted to the function's service account, naming both ends", async () => {
            const out = await checkStack(name, [account, fn, secret(), accessor("roles/secretmanager.secretAccessor", "serviceAccount:other@shop.iam.gserviceaccount.com", {})]);
            expectViolation(out, /function `api` reads Secret Manager secret `db` \(secretEnvironmentVariables `DB_PASSWORD`\), but service account `fn-sa` can't access it/, "advisory");
            assert.strictEqual(out.violations[0].urn, urn(F1, "api"));
        });
        it("follows a gen-2 secret volume whose secret is computed, through its dependency", async () => {
            const f = v2("api", { secretVolumes: [{ mountPath: "/etc/secrets", projectId: "shop", secret: UNKNOWN }] }, {}, { serviceConfig: [[SA, "fn-sa"], [SECRET, "db"]] });
            expectViolation(await checkStack(name, [account, f, secret()]), /reads Secret Manager secret `db` \(serviceConfig\.secretVolumes\[0\]\)/);
            expectPass(await checkStack(name, [account, f, secret(), accessor("roles/secretmanager.admin")]));
        });
        it("requires CMEK on the secret where configured", async () => {
            const cmk = { config: { requireCustomerManagedKey: true } };
            expectViolation(await checkStack(name, [account, fn, secret(), accessor()], cmk), /which is not encrypted with a customer-managed key \(replication\.auto\.customerManagedEncryption\.kmsKeyName is not set\)/);
            expectPass(await checkStack(name, [account, fn, secret({ userManaged: { replicas: [{ location: "europe-west1", customerManagedEncryption: { kmsKeyName: UNKNOWN } }] } }), accessor()], cmk));
        });
        it("can't decide while an accessor grant's member is unknown and unlinked", async () => {
            expectUnknown(await checkStack(name, [account, fn, secret(), accessor("roles/secretmanager.secretAccessor", UNKNOWN, {})]));
        });
    });

    it("stack-function-logging has nothing to add for Cloud Functions, which log to Cloud Logging", async () => {
        expectPass(await checkStack("stack-function-logging", [account, v1("api"), v2("worker")]));
    });
});
