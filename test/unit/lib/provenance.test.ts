// Provenance at preview: values computed from other resources of the stack, decided from the types of
// the resources they come from (propertyDependencies, sent only with AnalyzeStack). Each case runs as
// the engine runs a preview: resource policies per resource without dependencies (they wait), then the
// AnalyzeStack call where the pack decides them again; and, where it matters, the same resource during
// `pulumi up` (values known, secrets marked).
import * as assert from "assert";
import { check, preview, PreviewOutcome, TestResource } from "../../support/harness";
import { secret, UNKNOWN } from "../../../runner/wire";
import * as aws from "../../fixtures/aws";
import * as awsNative from "../../fixtures/aws-native";
import * as azure from "../../fixtures/azure";
import * as azureClassic from "../../fixtures/azure-classic";
import * as gcp from "../../fixtures/gcp";

const urn = (type: string, name: string) => `urn:pulumi:dev::shop::${type}::${name}`;

function res(type: string, name: string, props: Record<string, unknown>, deps: Record<string, [string, string][]> = {}): TestResource {
    return {
        type, name, urn: urn(type, name), props,
        propertyDependencies: Object.fromEntries(Object.entries(deps).map(([k, refs]) => [k, refs.map(([t, n]) => urn(t, n))])),
    };
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
const keys = (o: PreviewOutcome) => o.findings.map(f => `${f.resource}|${f.policy}|${f.level}`).sort();
const waitingPolicies = (o: PreviewOutcome, resource: string) => (o.waiting[resource] ?? []).map(c => c.policy).sort();

const SA = "gcp:serviceaccount/account:Account";
const PASSWORD = "random:index/randomPassword:RandomPassword";
const password = res(PASSWORD, "db-password", { length: 32, special: true });

describe("provenance: values computed from other resources, decided at AnalyzeStack", () => {
    describe("Google Cloud: members and service accounts computed from service accounts of the stack", () => {
        const account = res(SA, "orders-fn", { accountId: "orders-fn", project: "shop-prod" });

        it("an invoker member computed from a service account is that account: no public-access wait, no finding", async () => {
            const member = res(gcp.functionIamMember.type, "orders-invoker", { ...gcp.functionIamMember.props, member: UNKNOWN }, { member: [[SA, "orders-fn"]] });
            assert.ok(check("gcp-iam-function-public-access", member).unknown, "Analyze alone can't tell");
            const out = await preview(["gcp-iam-function-public-access", "gcp-iam-function-domain-invoker"], [account, member]);
            assert.deepStrictEqual(keys(out), []);
            assert.deepStrictEqual(out.waiting, {});
        });

        it("a member computed from something that isn't an identity still waits, and the line says what it comes from", async () => {
            const project = res("gcp:organizations/project:Project", "shop", { projectId: "shop-prod" });
            const member = res(gcp.functionIamMember.type, "orders-invoker", { ...gcp.functionIamMember.props, member: UNKNOWN }, { member: [["gcp:organizations/project:Project", "shop"]] });
            const out = await preview(["gcp-iam-function-public-access"], [project, member]);
            assert.deepStrictEqual(keys(out), []);
            assert.deepStrictEqual(waitingPolicies(out, "orders-invoker"), ["gcp-iam-function-public-access"]);
        });

        it("a binding whose whole member list comes from service accounts decides clean", async () => {
            const binding = res(gcp.functionIamBinding.type, "orders-v1-invokers", { ...gcp.functionIamBinding.props, members: UNKNOWN }, { members: [[SA, "orders-fn"]] });
            const out = await preview(["gcp-iam-function-public-access"], [account, binding]);
            assert.deepStrictEqual(out.waiting, {});
        });

        it("roles/editor granted to a member computed from a service account is reported at preview, on the grant, under its own policy", async () => {
            const grant = res(gcp.projectIamMember.type, "orders-fn-editor", { ...gcp.projectIamMember.props, role: "roles/editor", member: UNKNOWN }, { member: [[SA, "orders-fn"]] });
            const out = await preview(["gcp-iam-service-account-admin-role"], [account, grant]);
            assert.deepStrictEqual(keys(out), ["orders-fn-editor|gcp-iam-service-account-admin-role|mandatory"]);
            assert.match(out.findings[0].message, /roles\/editor/);
            assert.deepStrictEqual(out.waiting, {});
        });

        it("a gen-2 function's service account computed from a service account of the stack is not a default account", async () => {
            const fn = res(gcp.functionV2.type, "orders-v2", { ...clone(gcp.functionV2.props), serviceConfig: { ...clone(gcp.functionV2.props.serviceConfig), serviceAccountEmail: UNKNOWN } },
                { serviceConfig: [[SA, "orders-fn"], ["gcp:pubsub/topic:Topic", "orders"]] });
            const topic = res("gcp:pubsub/topic:Topic", "orders", { name: "orders" });
            assert.ok(check("gcp-cloudfunction-service-account", fn).unknown);
            const out = await preview(["gcp-cloudfunction-service-account"], [account, topic, fn]);
            assert.deepStrictEqual(keys(out), []);
            assert.deepStrictEqual(out.waiting, {});
        });

        it("stack policies: a function whose identity and invoker come from service accounts of the stack is neither public nor waiting", async () => {
            const fn = res(gcp.functionV2.type, "orders-v2", { ...clone(gcp.functionV2.props), name: "orders-v2", serviceConfig: { ...clone(gcp.functionV2.props.serviceConfig), serviceAccountEmail: UNKNOWN } },
                { serviceConfig: [[SA, "orders-fn"]] });
            const member = res(gcp.functionIamMember.type, "orders-invoker", { ...gcp.functionIamMember.props, member: UNKNOWN }, { member: [[SA, "orders-fn"]], cloudFunction: [[gcp.functionV2.type, "orders-v2"]] });
            const out = await preview(["gcp-iam-function-public-access", "stack-function-public-invocation"], [account, fn, member]);
            assert.deepStrictEqual(keys(out), []);
            assert.deepStrictEqual(out.waiting, {});
        });
    });

    describe("computed secrets in a function's plain environment", () => {
        it("AWS Lambda: a variable computed from a random password is reported at preview, one from a queue is a reference", async () => {
            const queue = res("aws:sqs/queue:Queue", "jobs", { sqsManagedSseEnabled: true });
            const fn = res(aws.lambdaFunction.type, "api", {
                ...clone(aws.lambdaFunction.props),
                environment: { variables: { QUEUE_URL: UNKNOWN, DB_CONN: UNKNOWN, LOG_LEVEL: "info" } },
            }, { environment: [[PASSWORD, "db-password"], ["aws:sqs/queue:Queue", "jobs"]] });
            const out = await preview(["aws-lambda-function-env-plaintext-secret"], [password, queue, fn]);
            assert.deepStrictEqual(keys(out), ["api|aws-lambda-function-env-plaintext-secret|mandatory"]);
            // Sources are recorded per top-level property: the two unknown variables share them, and one line says so.
            assert.match(out.findings[0].message, /environment\.variables\.(QUEUE_URL|DB_CONN), environment\.variables\.(QUEUE_URL|DB_CONN) are computed from random password `db-password`, a secret, so at least one of them holds it/);
            assert.match(out.findings[0].message, /Secrets Manager or SSM Parameter Store/);
            assert.deepStrictEqual(out.waiting, {});

            const onlyQueue = res(aws.lambdaFunction.type, "api", { ...clone(aws.lambdaFunction.props), environment: { variables: { QUEUE_URL: UNKNOWN } } }, { environment: [["aws:sqs/queue:Queue", "jobs"]] });
            const clean = await preview(["aws-lambda-function-env-plaintext-secret"], [queue, onlyQueue]);
            assert.deepStrictEqual(keys(clean), []);
            assert.deepStrictEqual(clean.waiting, {});
        });

        it("AWS Lambda during `pulumi up`: the same password, now known but still a Pulumi secret, is reported by its secret mark", () => {
            const fn = { ...aws.lambdaFunction, props: { ...clone(aws.lambdaFunction.props), environment: { variables: { DB_CONN: secret("x7#Lq9!vB2mZ") } } } };
            const out = check("aws-lambda-function-env-plaintext-secret", fn);
            assert.strictEqual(out.violations.length, 1);
            assert.match(out.violations[0].message, /environment\.variables\.DB_CONN holds a Pulumi secret/);
            assert.ok(!out.violations[0].message.includes("x7#Lq9!vB2mZ"));
        });

        it("AWS Lambda at preview: a secret wrapped around an unknown value is reported in Analyze already", () => {
            const fn = { ...aws.lambdaFunction, props: { ...clone(aws.lambdaFunction.props), environment: { variables: { SIGNING: secret(UNKNOWN) } } } };
            const out = check("aws-lambda-function-env-plaintext-secret", fn);
            assert.strictEqual(out.unknown, undefined);
            assert.match(out.violations[0]?.message ?? "", /SIGNING holds a Pulumi secret/);
        });

        it("aws-native Lambda: a variable computed from an IAM access key is reported; a whole environment from a table is clean", async () => {
            const key = res("aws:iam/accessKey:AccessKey", "deployer", { user: "deployer" });
            const fn = res(awsNative.lambdaFunction.type, "orders", { ...clone(awsNative.lambdaFunction.props), environment: { variables: { UPSTREAM_SECRET: UNKNOWN } } },
                { environment: [["aws:iam/accessKey:AccessKey", "deployer"]] });
            const out = await preview(["aws-lambda-function-env-plaintext-secret"], [key, fn]);
            assert.deepStrictEqual(keys(out), ["orders|aws-lambda-function-env-plaintext-secret|mandatory"]);
            assert.match(out.findings[0].message, /IAM access key `deployer`/);

            const table = res("aws-native:dynamodb:Table", "orders", {});
            const whole = res(awsNative.lambdaFunction.type, "orders", { ...clone(awsNative.lambdaFunction.props), environment: UNKNOWN }, { environment: [["aws-native:dynamodb:Table", "orders"]] });
            const clean = await preview(["aws-lambda-function-env-plaintext-secret"], [table, whole]);
            assert.deepStrictEqual(keys(clean), []);
            assert.deepStrictEqual(clean.waiting, {});
        });

        it("AWS Lambda: a value from a resource the pack can't classify still waits, naming it", async () => {
            const db = res("aws:rds/instance:Instance", "orders-db", {});
            const fn = res(aws.lambdaFunction.type, "api", { ...clone(aws.lambdaFunction.props), environment: { variables: { DB_URL: UNKNOWN } } }, { environment: [["aws:rds/instance:Instance", "orders-db"]] });
            const out = await preview(["aws-lambda-function-env-plaintext-secret"], [db, fn]);
            assert.deepStrictEqual(keys(out), []);
            assert.deepStrictEqual(out.waiting.api, [{ policy: "aws-lambda-function-env-plaintext-secret", properties: ["environment.variables.DB_URL from aws:rds/instance:Instance orders-db"] }]);
        });

        it("Google Cloud: gen-2 env computed from a random password, Cloud Run v2 env from a service account key; a Pub/Sub topic name is a reference", async () => {
            const fn = res(gcp.functionV2.type, "orders-v2", {
                ...clone(gcp.functionV2.props),
                serviceConfig: { ...clone(gcp.functionV2.props.serviceConfig), environmentVariables: { DB_PASS: UNKNOWN } },
            }, { serviceConfig: [[PASSWORD, "db-password"]] });
            const key = res("gcp:serviceaccount/key:Key", "ci-key", { serviceAccountId: "ci" });
            const runProps = clone(gcp.runServiceV2.props) as Record<string, any>;
            runProps.template.containers[0].envs.push({ name: "GOOGLE_CREDENTIALS", value: UNKNOWN });
            const run = res(gcp.runServiceV2.type, "orders-run", runProps, { template: [["gcp:serviceaccount/key:Key", "ci-key"]] });
            const out = await preview(["gcp-cloudfunction-env-plaintext-secret"], [password, key, fn, run]);
            assert.deepStrictEqual(keys(out), ["orders-run|gcp-cloudfunction-env-plaintext-secret|mandatory", "orders-v2|gcp-cloudfunction-env-plaintext-secret|mandatory"]);
            assert.ok(out.findings.every(f => /Secret Manager/.test(f.message)), out.findings.map(f => f.message).join("\n"));

            const topic = res("gcp:pubsub/topic:Topic", "orders", { name: "orders" });
            const v1 = res(gcp.functionV1.type, "orders-v1", { ...clone(gcp.functionV1.props), environmentVariables: { TOPIC: UNKNOWN } }, { environmentVariables: [["gcp:pubsub/topic:Topic", "orders"]] });
            const clean = await preview(["gcp-cloudfunction-env-plaintext-secret"], [topic, v1]);
            assert.deepStrictEqual(keys(clean), []);
            assert.deepStrictEqual(clean.waiting, {});
        });

        it("Google Cloud during `pulumi up`: a secret version's data, known and marked secret, in a Cloud Run env is reported", () => {
            const props = clone(gcp.runServiceV2.props) as Record<string, any>;
            props.template.containers[0].envs.push({ name: "STRIPE", value: secret("sk_fake_value_1234") });
            const out = check("gcp-cloudfunction-env-plaintext-secret", { ...gcp.runServiceV2, props });
            assert.strictEqual(out.violations.length, 1);
            assert.match(out.violations[0].message, /`STRIPE`.*holds a Pulumi secret/);
            assert.ok(!out.violations[0].message.includes("sk_fake_value_1234"));
        });

        it("azure-native: AzureWebJobsStorage computed from the storage account is a key; the identity-based account name is a reference", async () => {
            const account = res(azure.storageAccount.type, "ordersfnstore", clone(azure.storageAccount.props));
            const props = clone(azure.functionApp.props) as Record<string, any>;
            props.siteConfig.appSettings.push({ name: "AzureWebJobsStorage", value: UNKNOWN });
            props.siteConfig.appSettings[2].value = UNKNOWN; // AzureWebJobsStorage__accountName
            const app = res(azure.functionApp.type, "orders-fn", props, { siteConfig: [[azure.storageAccount.type, "ordersfnstore"]] });
            const out = await preview(["azure-functionapp-plaintext-secret"], [account, app]);
            assert.deepStrictEqual(keys(out), ["orders-fn|azure-functionapp-plaintext-secret|mandatory"]);
            assert.match(out.findings[0].message, /`AzureWebJobsStorage` \(siteConfig\.appSettings\) is computed from storage account `ordersfnstore`, a secret/);
            assert.match(out.findings[0].message, /Key Vault reference/);
            assert.deepStrictEqual(out.waiting, {});
        });

        it("azure-native WebAppApplicationSettings: a setting computed from a random password is reported; a known Pulumi secret too (pulumi up)", async () => {
            const settings = res(azure.appSettings.type, "orders-fn-settings", { ...clone(azure.appSettings.props), properties: { ...clone(azure.appSettings.props.properties), SESSION_KEY: UNKNOWN } },
                { properties: [[PASSWORD, "db-password"]] });
            const out = await preview(["azure-functionapp-plaintext-secret"], [password, settings]);
            assert.deepStrictEqual(keys(out), ["orders-fn-settings|azure-functionapp-plaintext-secret|mandatory"]);

            const up = check("azure-functionapp-plaintext-secret", { ...azure.appSettings, props: { ...clone(azure.appSettings.props), properties: { ...clone(azure.appSettings.props.properties), SESSION_KEY: secret("kq2-Zz81-pp0") } } });
            assert.strictEqual(up.violations.length, 1);
            assert.match(up.violations[0].message, /`SESSION_KEY`.*holds a Pulumi secret/);
        });

        it("classic azure: app_settings computed from the storage account's connection string is reported", async () => {
            const account = res(azureClassic.storageAccount.type, "ordersfnstore", clone(azureClassic.storageAccount.props));
            const app = res(azureClassic.linuxFunctionApp.type, "orders-fn", {
                ...clone(azureClassic.linuxFunctionApp.props),
                appSettings: { ...clone(azureClassic.linuxFunctionApp.props.appSettings), AzureWebJobsStorage: UNKNOWN },
            }, { appSettings: [[azureClassic.storageAccount.type, "ordersfnstore"]] });
            const out = await preview(["azure-functionapp-plaintext-secret"], [account, app]);
            assert.deepStrictEqual(keys(out), ["orders-fn|azure-functionapp-plaintext-secret|mandatory"]);
        });
    });

    describe("Azure: app settings computed from messaging namespaces and other stores", () => {
        const SETTINGS_POLICIES = ["azure-functionapp-plaintext-secret", "azure-functionapp-keyvault-reference"];
        const NS = "azure-native:servicebus:Namespace";
        const bus = res(NS, "orders-bus", { namespaceName: "orders-bus", resourceGroupName: "orders-rg", sku: { name: "Premium" } });
        const app = (settings: { name: string; value: unknown }[], deps: Record<string, [string, string][]>) => {
            const props = clone(azure.functionApp.props) as Record<string, any>;
            props.siteConfig.appSettings.push(...settings);
            return res(azure.functionApp.type, "orders-fn", props, deps);
        };

        it("azure-native: an identity-based connection's namespace computed from a Service Bus namespace is decided (no finding, nothing waits)", async () => {
            const fn = app([{ name: "OrdersQueue__fullyQualifiedNamespace", value: UNKNOWN }, { name: "SERVICEBUS_NAMESPACE", value: UNKNOWN }], { siteConfig: [[NS, "orders-bus"]] });
            // In Analyze (no dependencies) both checks wait on it ...
            assert.ok(check("azure-functionapp-keyvault-reference", fn).unknown);
            assert.ok(check("azure-functionapp-plaintext-secret", fn).unknown);
            // ... and at AnalyzeStack the namespace settles it.
            const out = await preview(SETTINGS_POLICIES, [bus, fn]);
            assert.deepStrictEqual(keys(out), []);
            assert.deepStrictEqual(out.waiting, {});
        });

        it("classic azure: Event Hubs namespace, Cosmos DB endpoint and Application Insights connection string computed from their resources are decided", async () => {
            const hub = res(azureClassic.eventHubNamespace.type, "orders-hub", clone(azureClassic.eventHubNamespace.props));
            const cosmos = res("azure:cosmosdb/account:Account", "orders-db", { resourceGroupName: "orders-rg", offerType: "Standard" });
            const insights = res("azure:appinsights/insights:Insights", "orders-ai", { resourceGroupName: "orders-rg", applicationType: "web" });
            const fn = res(azureClassic.linuxFunctionApp.type, "orders-fn", {
                ...clone(azureClassic.linuxFunctionApp.props),
                appSettings: { ...clone(azureClassic.linuxFunctionApp.props.appSettings), Events__fullyQualifiedNamespace: UNKNOWN, COSMOS_ENDPOINT: UNKNOWN, APPLICATIONINSIGHTS_CONNECTION_STRING: UNKNOWN },
            }, { appSettings: [[hub.type, "orders-hub"], [cosmos.type, "orders-db"], [insights.type, "orders-ai"]] });
            const out = await preview(SETTINGS_POLICIES, [hub, cosmos, insights, fn]);
            assert.deepStrictEqual(keys(out), []);
            assert.deepStrictEqual(out.waiting, {});
        });

        it("a connection string computed from a namespace (listNamespaceKeys) in a secret-like setting is reported; in a binding's connection setting it waits", async () => {
            const reported = await preview(SETTINGS_POLICIES, [bus, app([{ name: "ServiceBusConnectionString", value: UNKNOWN }], { siteConfig: [[NS, "orders-bus"]] })]);
            assert.deepStrictEqual(keys(reported), ["orders-fn|azure-functionapp-plaintext-secret|mandatory"]);
            assert.match(reported.findings[0].message, /`ServiceBusConnectionString` \(siteConfig\.appSettings\) is computed from Service Bus namespace `orders-bus`, a secret/);
            // The secret-like name's Key Vault check still needs the value: it waits, in the same one line per resource.
            assert.deepStrictEqual(waitingPolicies(reported, "orders-fn"), ["azure-functionapp-keyvault-reference"]);

            // `OrdersQueue` is where a binding named OrdersQueue reads a connection string: never passed as a reference.
            const waits = await preview(SETTINGS_POLICIES, [bus, app([{ name: "OrdersQueue", value: UNKNOWN }], { siteConfig: [[NS, "orders-bus"]] })]);
            assert.deepStrictEqual(keys(waits), []);
            assert.deepStrictEqual(waitingPolicies(waits, "orders-fn"), ["azure-functionapp-plaintext-secret"]);
            assert.match(JSON.stringify(waits.waiting["orders-fn"]), /OrdersQueue from azure-native:servicebus:Namespace/);
        });

        it("classic azure: a setting computed from a Service Bus authorization rule's connection string is reported", async () => {
            const RULE = "azure:servicebus/namespaceAuthorizationRule:NamespaceAuthorizationRule";
            const rule = res(RULE, "orders-sender", { namespaceId: UNKNOWN, send: true });
            const fn = res(azureClassic.linuxFunctionApp.type, "orders-fn", {
                ...clone(azureClassic.linuxFunctionApp.props),
                appSettings: { ...clone(azureClassic.linuxFunctionApp.props.appSettings), SERVICEBUS_CONNECTION_STRING: UNKNOWN },
            }, { appSettings: [[RULE, "orders-sender"]] });
            const out = await preview(["azure-functionapp-plaintext-secret"], [rule, fn]);
            assert.deepStrictEqual(keys(out), ["orders-fn|azure-functionapp-plaintext-secret|mandatory"]);
            assert.match(out.findings[0].message, /Service Bus authorization rule `orders-sender`, a secret/);
        });

        it("a setting computed from a key vault may be a Key Vault reference: the Key Vault check waits for it", async () => {
            const vault = res(azure.vault.type, "orders-kv", clone(azure.vault.props));
            const out = await preview(SETTINGS_POLICIES, [vault, app([{ name: "ORDERS_CONFIG", value: UNKNOWN }], { siteConfig: [[azure.vault.type, "orders-kv"]] })]);
            assert.deepStrictEqual(keys(out), []);
            assert.deepStrictEqual(waitingPolicies(out, "orders-fn"), ["azure-functionapp-keyvault-reference"]);
        });

        it("unknown settings with no recorded dependency wait, in one line for the resource", async () => {
            const out = await preview(SETTINGS_POLICIES, [app([{ name: "OrdersQueue__fullyQualifiedNamespace", value: UNKNOWN }, { name: "DB_PASSWORD_2", value: UNKNOWN }], {})]);
            assert.deepStrictEqual(keys(out), []);
            assert.deepStrictEqual(Object.keys(out.waiting), ["orders-fn"]);
            assert.deepStrictEqual(waitingPolicies(out, "orders-fn"), SETTINGS_POLICIES.slice().sort());
        });
    });

    describe("AWS principals computed from roles of the stack", () => {
        const role = res("aws:iam/role:Role", "partner", { assumeRolePolicy: UNKNOWN });

        it("a Lambda permission whose principal is a role's ARN is neither public nor a whole account", async () => {
            const perm = res(aws.permission.type, "partner-invoke", { action: "lambda:InvokeFunction", function: UNKNOWN, principal: UNKNOWN }, { principal: [["aws:iam/role:Role", "partner"]] });
            assert.ok(check("aws-lambda-permission-public", perm).unknown);
            const out = await preview(["aws-lambda-permission-public", "aws-lambda-permission-service-source"], [role, perm]);
            assert.deepStrictEqual(keys(out), []);
            assert.deepStrictEqual(out.waiting, {});
        });

        it("aws-native: the same on a permission of a function in the stack, with the stack's public-invocation policy", async () => {
            const fn = res(awsNative.lambdaFunction.type, "orders", clone(awsNative.lambdaFunction.props));
            const perm = res(awsNative.permission.type, "partner-invoke", { ...clone(awsNative.permission.props), principal: UNKNOWN }, { principal: [["aws:iam/role:Role", "partner"]], functionName: [[awsNative.lambdaFunction.type, "orders"]] });
            const out = await preview(["aws-lambda-permission-public", "stack-function-public-invocation"], [role, fn, perm]);
            assert.deepStrictEqual(keys(out).filter(k => k.startsWith("partner-invoke")), []);
            assert.deepStrictEqual(waitingPolicies(out, "partner-invoke"), []);
        });
    });

    it("the level configured for the resource policy applies to what it decides at AnalyzeStack", async () => {
        const key = res("aws:iam/accessKey:AccessKey", "deployer", { user: "deployer" });
        const fn = res(aws.lambdaFunction.type, "api", { ...clone(aws.lambdaFunction.props), environment: { variables: { UPSTREAM: UNKNOWN } } }, { environment: [["aws:iam/accessKey:AccessKey", "deployer"]] });
        const out = await preview(["aws-lambda-function-env-plaintext-secret"], [key, fn], { config: { enforcementLevel: "advisory" } });
        assert.deepStrictEqual(keys(out), ["api|aws-lambda-function-env-plaintext-secret|advisory"]);
    });
});
