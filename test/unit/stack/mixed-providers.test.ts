// Stack policies on AWS Cloud Control (aws-native) and classic Azure (@pulumi/azure) graphs, and on
// stacks that mix them with @pulumi/aws and azure-native: every link kind (execution role and its
// policies, permissions, URLs, event sources, log groups, app identities and role assignments, Key
// Vault references, host storage, diagnostic settings) on the new provider and across providers,
// and no link between resources in different scopes.
import * as assert from "assert";
import { check, checkStack, TestResource, withPoliciesDisabled } from "../../support/harness";

/** A run with aws-sqs-queue-encryption disabled: the data path then names the unencrypted queue itself. */
async function withQueueEncryptionOff<T>(run: () => Promise<T>): Promise<T> {
    let out: T | undefined;
    await withPoliciesDisabled(["aws-sqs-queue-encryption"], async () => {
        out = await run();
    });
    return out!;
}
import { expectPass, expectUnknown, expectViolation } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";

type Deps = Record<string, [string, string][]>;
type Provider = NonNullable<TestResource["provider"]>;

const urn = (type: string, name: string) => `urn:pulumi:dev::shop::${type}::${name}`;
function res(type: string, name: string, props: Record<string, unknown>, deps: Deps = {}, extra: Partial<TestResource> = {}): TestResource {
    return {
        type, name, urn: urn(type, name), props,
        propertyDependencies: Object.fromEntries(Object.entries(deps).map(([k, refs]) => [k, refs.map(([t, n]) => urn(t, n))])),
        ...extra,
    };
}
const flagged = (out: Awaited<ReturnType<typeof checkStack>>) => out.violations.map(v => v.urn!.split("::").pop()).sort();

describe("stack policies: aws-native, classic Azure and mixed stacks", () => {
    const N_FN = "aws-native:lambda:Function";
    const N_ROLE = "aws-native:iam:Role";
    const N_ROLE_POLICY = "aws-native:iam:RolePolicy";
    const N_MANAGED = "aws-native:iam:ManagedPolicy";
    const N_URL = "aws-native:lambda:Url";
    const N_PERMISSION = "aws-native:lambda:Permission";
    const N_ESM = "aws-native:lambda:EventSourceMapping";
    const N_QUEUE = "aws-native:sqs:Queue";
    const N_SECRET = "aws-native:secretsmanager:Secret";
    const N_LOG_GROUP = "aws-native:logs:LogGroup";
    const ROLE = "aws:iam/role:Role";
    const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
    const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
    const URL = "aws:lambda/functionUrl:FunctionUrl";

    const ACCOUNT = "111122223333";
    const doc = (...statements: object[]) => ({ Version: "2012-10-17", Statement: statements });
    const ADMIN = doc({ Effect: "Allow", Action: "*", Resource: "*" });
    const trust = doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" });
    const nRole = (name: string, extra: Record<string, unknown> = {}, deps: Deps = {}) => res(N_ROLE, name, { assumeRolePolicyDocument: trust, ...extra }, deps);
    const nFn = (name: string, roleName: string, extra: Record<string, unknown> = {}, deps: Deps = {}) =>
        res(N_FN, name, { functionName: `${name}-fn`, runtime: "nodejs22.x", role: UNKNOWN, reservedConcurrentExecutions: 5, ...extra }, { role: [[N_ROLE, roleName]], ...deps });
    const nProvider = (region: string): Provider => ({ type: "pulumi:providers:aws-native", urn: `urn:pulumi:dev::shop::pulumi:providers:aws-native::${region}`, props: { region } });

    describe("AWS identity: roles and their policies", () => {
        const name = "stack-function-identity-privileged";
        it("passes an aws-native function whose inline policy object is scoped", async () => {
            expectPass(await checkStack(name, [
                nRole("r", { policies: [{ policyName: "q", policyDocument: doc({ Effect: "Allow", Action: "sqs:SendMessage", Resource: `arn:aws:sqs:eu-west-1:${ACCOUNT}:q` }) }] }), nFn("api", "r"),
            ]));
        });
        // The document and managed-policy checks read every source below on the resource that carries it, so the
        // stack policy leaves each grant to that one line (the event-loop tests below follow the same sources).
        it("leaves an inline policy object of an aws-native role to aws-iam-policy-admin-access on the role", async () => {
            const r = nRole("r", { policies: [{ policyName: "everything", policyDocument: ADMIN }] });
            expectPass(await checkStack(name, [r, nFn("api", "r")]));
            expectViolation(check("aws-iam-policy-admin-access", r), /policies\[0\] grants administrator access/, "mandatory");
        });
        it("leaves an aws-native RolePolicy, a ManagedPolicy and managedPolicyArns to the policies that read them", async () => {
            const inline = res(N_ROLE_POLICY, "inline", { roleName: "api-role", policyName: "p", policyDocument: ADMIN });
            const managed = res(N_MANAGED, "managed", { roles: [UNKNOWN], policyDocument: doc({ Effect: "Allow", Action: "iam:*", Resource: "*" }) }, { roles: [[N_ROLE, "r"]] });
            expectPass(await checkStack(name, [nRole("r", { roleName: "api-role" }), nFn("api", "r"), inline, managed]));
            expectViolation(check("aws-iam-policy-admin-access", inline), /administrator access/);
            expectViolation(check("aws-iam-policy-service-wildcard", managed), /grants a whole service/);
            const r = nRole("r", { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess", UNKNOWN] }, { managedPolicyArns: [[N_MANAGED, "custom"]] });
            expectPass(await checkStack(name, [r, nFn("api", "r"), res(N_MANAGED, "custom", { policyDocument: doc({ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }) })]));
            expectViolation(check("aws-iam-managed-policy-admin", r), /AdministratorAccess/);
        });
        it("links an aws-native function to an @pulumi/aws role by ARN (seen through the role's trust)", async () => {
            const ec2Too = JSON.stringify(doc({ Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com", "ec2.amazonaws.com"] }, Action: "sts:AssumeRole" }));
            const out = await checkStack("stack-aws-lambda-role-trust", [
                res(ROLE, "classic-role", { name: "api-role", arn: `arn:aws:iam::${ACCOUNT}:role/api-role`, assumeRolePolicy: ec2Too }),
                res(N_FN, "api", { functionName: "api", role: `arn:aws:iam::${ACCOUNT}:role/api-role`, reservedConcurrentExecutions: 5 }),
            ]);
            expectViolation(out, /role `classic-role`, which also trusts Service `ec2.amazonaws.com`, is the execution role of function `api`/);
        });
        it("doesn't link a role of another account", async () => {
            expectPass(await checkStack(name, [
                nRole("r", { roleName: "api-role", arn: `arn:aws:iam::${ACCOUNT}:role/api-role`, policies: [{ policyName: "all", policyDocument: ADMIN }] }),
                res(N_FN, "api", { functionName: "api", role: "arn:aws:iam::444455556666:role/api-role", reservedConcurrentExecutions: 5 }),
            ]));
        });
        it("can't decide while an aws-native function's role or policy document is unknown", async () => {
            expectUnknown(await checkStack(name, [res(N_FN, "api", { role: UNKNOWN })]));
            expectUnknown(await checkStack(name, [nRole("r", { policies: [{ policyName: "p", policyDocument: UNKNOWN }] }), nFn("api", "r")]));
        });
        it("flags broad actions, a shared role and a role trusting anyone on aws-native", async () => {
            const broad = await checkStack("stack-aws-lambda-role-broad-actions", [
                nRole("r"), nFn("api", "r"), res(N_ROLE_POLICY, "write", { roleName: UNKNOWN, policyDocument: doc({ Effect: "Allow", Action: "s3:PutObject", Resource: "*" }) }, { roleName: [[N_ROLE, "r"]] }),
            ]);
            expectPass(broad); // aws-iam-policy-unscoped-write reports it on the RolePolicy
            const shared = await checkStack("stack-aws-lambda-shared-role", [nRole("r"), nFn("a", "r"), nFn("b", "r")]);
            assert.deepStrictEqual(flagged(shared), ["a", "b"]);
            const trusted = await checkStack("stack-aws-lambda-role-trust", [
                nRole("r", { assumeRolePolicyDocument: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }) }), nFn("api", "r"),
            ]);
            expectPass(trusted); // aws-iam-role-trust-too-broad reports a role anyone may assume
            expectViolation(check("aws-iam-role-trust-too-broad", nRole("r", { assumeRolePolicyDocument: doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }) })), /anyone can assume the role/);
            expectUnknown(await checkStack("stack-aws-lambda-role-trust", [nRole("r", { assumeRolePolicyDocument: UNKNOWN }), nFn("api", "r")]));
        });
    });

    describe("AWS invocation", () => {
        it("flags an aws-native Url and Permission open to anyone, and the missing concurrency cap", async () => {
            const resources = [
                nRole("r"), nFn("api", "r", { reservedConcurrentExecutions: undefined }),
                res(N_URL, "url", { targetFunctionArn: UNKNOWN, authType: "NONE" }, { targetFunctionArn: [[N_FN, "api"]] }),
                res(N_PERMISSION, "anyone", { functionName: UNKNOWN, principal: "*", action: "lambda:InvokeFunction" }, { functionName: [[N_FN, "api"]] }),
            ];
            expectPass(await checkStack("stack-function-public-invocation", resources));
            expectViolation(await checkStack("stack-function-public-uncapped", resources), /function `api` has no reserved concurrency .*Permission `anyone` lets principal "\*" invoke it \(aws-lambda-permission-public reports it on `anyone`\); Url `url` has authType NONE \(aws-lambda-function-url-auth reports it on `url`\)/);
        });
        it("passes an IAM-authenticated aws-native Url", async () => {
            expectPass(await checkStack("stack-function-public-invocation", [nRole("r"), nFn("api", "r"), res(N_URL, "url", { targetFunctionArn: UNKNOWN, authType: "AWS_IAM" }, { targetFunctionArn: [[N_FN, "api"]] })]));
        });
        it("links an @pulumi/aws FunctionUrl to an aws-native function by name", async () => {
            const out = await checkStack("stack-function-public-uncapped", [
                res(N_FN, "api", { functionName: "api", role: "x" }),
                res(URL, "url", { functionName: "api", authorizationType: "NONE" }),
            ]);
            expectViolation(out, /function `api` has no reserved concurrency .*FunctionUrl `url` has authorization type NONE/);
        });
        it("links a permission by short name only to the function of its provider's region", async () => {
            const fn = (id: string, region: string) => res(N_FN, id, { functionName: "api", arn: `arn:aws:lambda:${region}:${ACCOUNT}:function:api` }, {}, { provider: nProvider(region) });
            const out = await checkStack("stack-function-public-uncapped", [
                fn("api-us", "us-east-1"), fn("api-eu", "eu-west-1"),
                res(N_PERMISSION, "anyone", { functionName: "api", principal: "*", action: "lambda:InvokeFunction" }, {}, { provider: nProvider("eu-west-1") }),
            ]);
            assert.deepStrictEqual(flagged(out), ["api-eu"]);
        });
        it("flags an aws-native function invoked by S3 without a dead letter", async () => {
            const out = await checkStack("aws-lambda-function-dead-letter", [
                nRole("r"), nFn("api", "r"),
                res(N_PERMISSION, "s3", { functionName: UNKNOWN, principal: "s3.amazonaws.com", action: "lambda:InvokeFunction", sourceArn: "arn:aws:s3:::uploads" }, { functionName: [[N_FN, "api"]] }),
            ]);
            expectViolation(out, /function `api` is invoked asynchronously \(by Permission `s3` for s3.amazonaws.com\) but deadLetterConfig.targetArn is not set and no EventInvokeConfig has an on-failure destination/);
            expectPass(await checkStack("aws-lambda-function-dead-letter", [
                nRole("r"), nFn("api", "r"),
                res(N_PERMISSION, "s3", { functionName: UNKNOWN, principal: "s3.amazonaws.com", action: "lambda:InvokeFunction", sourceArn: "arn:aws:s3:::uploads" }, { functionName: [[N_FN, "api"]] }),
                res("aws-native:lambda:EventInvokeConfig", "failures", { functionName: UNKNOWN, qualifier: "$LATEST", destinationConfig: { onFailure: { destination: "arn:aws:sqs:eu-west-1:111122223333:dlq" } } }, { functionName: [[N_FN, "api"]] }),
            ]));
        });
    });

    describe("AWS data, secrets, events and logs", () => {
        const queue = (extra: Record<string, unknown> = {}) => res(N_QUEUE, "jobs", { queueName: "jobs", arn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:jobs`, ...extra });
        const mapping = (name: string, fn: string) => res(N_ESM, name, { functionName: UNKNOWN, eventSourceArn: UNKNOWN }, { functionName: [[N_FN, fn]], eventSourceArn: [[N_QUEUE, "jobs"]] });
        it("flags an event loop through an aws-native queue and a @pulumi/aws policy, and a fan-out", async () => {
            const loop = await checkStack("stack-function-event-loop", [
                nRole("r", { roleName: "api-role" }), nFn("api", "r"), queue(), mapping("m", "api"),
                res(ROLE_POLICY, "send", { role: "api-role", policy: JSON.stringify(doc({ Effect: "Allow", Action: "sqs:SendMessage", Resource: `arn:aws:sqs:eu-west-1:${ACCOUNT}:jobs` })) }),
            ]);
            expectViolation(loop, /function `api` is triggered by SQS queue `jobs` \(via EventSourceMapping `m`\) and can sqs:SendMessage to it via RolePolicy `send`/);
            const fanout = await checkStack("stack-function-event-fanout", [nRole("r"), nRole("s"), nFn("a", "r"), nFn("b", "s"), queue(), mapping("ma", "a"), mapping("mb", "b")]);
            assert.deepStrictEqual(flagged(fanout), ["a", "b"]);
        });
        it("follows an aws-native event source mapping to an @pulumi/aws queue by ARN", async () => {
            const out = await withQueueEncryptionOff(() => checkStack("stack-function-data-path-encryption", [
                nRole("r"), nFn("api", "r"),
                res("aws:sqs/queue:Queue", "classic-jobs", { name: "jobs", arn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:jobs`, sqsManagedSseEnabled: false }),
                res(N_ESM, "m", { functionName: "api-fn", eventSourceArn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:jobs` }),
            ]));
            expectViolation(out, /function `api` is triggered by SQS queue `classic-jobs` \(via EventSourceMapping `m`\), which is not encrypted at rest/);
        });
        it("flags an unencrypted aws-native queue on a function's path", async () => {
            const stack = [nRole("r"), nFn("api", "r"), queue({ sqsManagedSseEnabled: false }), mapping("m", "api")];
            expectPass(await checkStack("stack-function-data-path-encryption", stack));
            expectViolation(await withQueueEncryptionOff(() => checkStack("stack-function-data-path-encryption", stack)), /function `api` is triggered by SQS queue `jobs` .* which is not encrypted at rest/);
            expectPass(await checkStack("stack-function-data-path-encryption", [nRole("r"), nFn("api", "r"), queue(), mapping("m", "api")]));
        });
        it("flags an aws-native secret its function's role can't read, and passes one it can", async () => {
            const arn = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:db-AbCdEf`;
            const secret = res(N_SECRET, "db", { name: "db", id: arn, kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/1" });
            const fn = nFn("api", "r", { environment: { variables: { DB_SECRET: arn } } });
            expectViolation(await checkStack("stack-function-secret-reference", [nRole("r"), fn, secret]), /references Secrets Manager secret `db`, but its role can't secretsmanager:GetSecretValue on it/);
            expectPass(await checkStack("stack-function-secret-reference", [
                nRole("r", { policies: [{ policyName: "read", policyDocument: doc({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: arn }) }] }), fn, secret,
            ]));
        });
        it("finds an aws-native function's aws-native log group and its retention", async () => {
            const name = "stack-function-logging";
            expectViolation(await checkStack(name, [nRole("r"), nFn("api", "r")]), /function `api` has no log group in the stack/);
            expectPass(await checkStack(name, [nRole("r"), nFn("api", "r"), res(N_LOG_GROUP, "logs", { logGroupName: "/aws/lambda/api-fn", retentionInDays: 30 })]));
            expectViolation(await checkStack(name, [nRole("r"), nFn("api", "r"), res(N_LOG_GROUP, "logs", { logGroupName: "/aws/lambda/api-fn" })]), /logs to `logs`, which has no retention period/);
            expectPass(await checkStack(name, [nRole("r"), nFn("api", "r", { loggingConfig: { logGroup: "shared" } }), res("aws:cloudwatch/logGroup:LogGroup", "shared", { name: "shared", retentionInDays: 7 })]));
        });
    });

    describe("classic Azure function apps", () => {
        const APP = "azure:appservice/linuxFunctionApp:LinuxFunctionApp";
        const SLOT = "azure:appservice/linuxFunctionAppSlot:LinuxFunctionAppSlot";
        const FN = "azure:appservice/functionAppFunction:FunctionAppFunction";
        const ASSIGNMENT = "azure:authorization/assignment:Assignment";
        const KV = "azure:keyvault/keyVault:KeyVault";
        const ACCOUNT_TYPE = "azure:storage/account:Account";
        const N_APP = "azure-native:web:WebApp";
        const N_RA = "azure-native:authorization:RoleAssignment";
        const N_KV = "azure-native:keyvault:Vault";
        const DIAG = "azure:monitoring/diagnosticSetting:DiagnosticSetting";
        const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
        const OWNER_ID = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635`;
        const PRINCIPAL = "11111111-2222-3333-4444-555555555555";
        const RESOURCE = `${SUB}/resourceGroups/orders-rg/providers/Microsoft.Storage/storageAccounts/ordersfnstore`;
        const KV_REF = "@Microsoft.KeyVault(SecretUri=https://orders-kv.vault.azure.net/secrets/db-password/)";

        const app = (name: string, extra: Record<string, unknown> = {}, deps: Deps = {}, type = APP) => res(type, name, {
            name: `${name}-fn`, resourceGroupName: "orders-rg", storageAccountName: "ordersfnstore",
            identity: { type: "SystemAssigned", principalId: UNKNOWN },
            siteConfig: { appScaleLimit: 10, applicationInsightsConnectionString: UNKNOWN },
            appSettings: {},
            ...extra,
        }, deps);
        const assignment = (name: string, props: Record<string, unknown>, deps: Deps = {}, type = ASSIGNMENT) =>
            res(type, name, { principalId: UNKNOWN, scope: SUB, ...props }, { principalId: [[APP, "api"]], ...deps });
        const vault = (props: Record<string, unknown> = {}) => res(KV, "kv", { name: "orders-kv", resourceGroupName: "orders-rg", rbacAuthorizationEnabled: true, ...props });

        it("links only type tokens that @pulumi/azure defines", () => {
            const sdk = require("@pulumi/azure");
            for (const token of [APP, SLOT, FN, ASSIGNMENT, KV, ACCOUNT_TYPE, DIAG, "azure:authorization/userAssignedIdentity:UserAssignedIdentity", "azure:core/resourceGroup:ResourceGroup", "azure:keyvault/accessPolicy:AccessPolicy", "azure:keyvault/secret:Secret"]) {
                const [, module, cls] = token.split(":");
                assert.strictEqual(sdk[module.split("/")[0]]?.[cls]?.__pulumiType, token, token);
            }
            const native = require("@pulumi/aws-native");
            for (const token of [N_FN, N_ROLE, N_ROLE_POLICY, N_MANAGED, N_URL, N_PERMISSION, N_ESM, N_QUEUE, N_SECRET, N_LOG_GROUP, "aws-native:lambda:EventInvokeConfig"]) {
                const [, module, cls] = token.split(":");
                assert.strictEqual(native[module]?.[cls]?.__pulumiType, token, token);
            }
        });
        it("flags Owner on one resource by role name on a classic Assignment and by id on an azure-native RoleAssignment; leaves broad scopes to the assignment policy", async () => {
            const name = "stack-function-identity-privileged";
            const byName = await checkStack(name, [app("api"), assignment("owner", { roleDefinitionName: "Owner", scope: RESOURCE })]);
            expectViolation(byName, /function app `api` gets `Owner` on a single resource's scope via Assignment `owner`/, "mandatory");
            const byId = await checkStack(name, [app("api"), assignment("owner", { roleDefinitionId: OWNER_ID, scope: RESOURCE }, {}, N_RA)]);
            expectViolation(byId, /function app `api` gets `Owner` on a single resource's scope via RoleAssignment `owner`/);
            const onSubscription = assignment("owner", { roleDefinitionName: "Owner" });
            expectPass(await checkStack(name, [app("api"), onSubscription]));
            expectViolation(check("azure-roleassignment-privileged-role", onSubscription), /roleDefinitionName is Owner .* at subscription scope/, "mandatory");
            expectPass(await checkStack(name, [app("api"), assignment("reader", { roleDefinitionName: "Storage Blob Data Reader" })]));
            expectUnknown(await checkStack(name, [app("api"), assignment("owner", { roleDefinitionName: UNKNOWN })]));
        });
        it("links a classic Assignment to an azure-native app by known principal id", async () => {
            const out = await checkStack("stack-function-identity-privileged", [
                res(N_APP, "api", { kind: "functionapp", resourceGroupName: "orders-rg", identity: { type: "SystemAssigned", principalId: PRINCIPAL } }),
                res(ASSIGNMENT, "owner", { principalId: PRINCIPAL, roleDefinitionName: "Owner", scope: RESOURCE }),
            ]);
            expectViolation(out, /function app `api` gets `Owner` on a single resource's scope via Assignment `owner`/);
        });
        it("flags an anonymous classic function on an app without authentication, and the missing scale limit", async () => {
            const config = JSON.stringify({ bindings: [{ type: "httpTrigger", authLevel: "anonymous", direction: "in", name: "req" }] });
            const fn = res(FN, "hello", { name: "hello", functionAppId: UNKNOWN, configJson: config }, { functionAppId: [[APP, "api"]] });
            expectPass(await checkStack("stack-function-public-invocation", [app("api"), fn]));
            expectViolation(await checkStack("stack-function-public-uncapped", [app("api", { siteConfig: {} }), fn]), /function app `api` has no scale-out limit \(siteConfig\.appScaleLimit\) and is public \(function `hello`: its httpTrigger has authLevel "anonymous" and function app `api` doesn't require App Service authentication/);
            expectPass(await checkStack("stack-function-public-uncapped", [app("api", { siteConfig: {}, authSettingsV2: { authEnabled: true, requireAuthentication: true, unauthenticatedAction: "Return401" } }), fn]));
            expectUnknown(await checkStack("stack-function-public-uncapped", [app("api", { siteConfig: {}, authSettingsV2: UNKNOWN }), fn]));
        });
        it("doesn't link a classic function to an app of another resource group", async () => {
            const id = (rg: string) => `${SUB}/resourceGroups/${rg}/providers/Microsoft.Web/sites/api-fn`;
            const config = JSON.stringify({ bindings: [{ type: "httpTrigger", authLevel: "anonymous" }] });
            const out = await checkStack("stack-function-public-uncapped", [
                app("api", { id: id("orders-rg"), siteConfig: {} }), app("other", { id: id("other-rg"), resourceGroupName: "other-rg", siteConfig: {} }),
                res(FN, "hello", { name: "hello", functionAppId: id("other-rg"), configJson: config }),
            ]);
            expectViolation(out, /function app `other` doesn't require/);
            assert.ok(!out.violations.some(v => /function app `api`/.test(v.message)));
        });
        it("flags a Key Vault reference the app's identity can't read, on classic and azure-native vaults", async () => {
            const name = "stack-function-secret-reference";
            const withRef = app("api", { appSettings: { DB_PASSWORD: KV_REF } });
            expectViolation(await checkStack(name, [withRef, vault()]), /function app `api` references Key Vault `kv` in app setting `DB_PASSWORD` \(appSettings\), but its system-assigned identity has no Key Vault Secrets User/);
            expectPass(await checkStack(name, [withRef, vault(), assignment("reader", { roleDefinitionName: "Key Vault Secrets User", scope: UNKNOWN }, { scope: [[KV, "kv"]] })]));
            expectViolation(await checkStack(name, [withRef, vault({ rbacAuthorizationEnabled: false, accessPolicies: [{ objectId: "someone-else", tenantId: "t", secretPermissions: ["Get"] }] })]), /access policies don't let its system-assigned identity get secrets/);
            const native = res(N_KV, "kv", { vaultName: "orders-kv", resourceGroupName: "orders-rg", properties: { enableRbacAuthorization: true } });
            expectPass(await checkStack(name, [withRef, native, assignment("reader", { roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`, scope: UNKNOWN }, { scope: [[N_KV, "kv"]] }, N_RA)]));
            expectViolation(await checkStack(name, [withRef, native]), /references Key Vault `kv`/);
            expectUnknown(await checkStack(name, [app("api", { appSettings: UNKNOWN }), vault()]));
            expectUnknown(await checkStack(name, [withRef, vault({ rbacAuthorizationEnabled: UNKNOWN })]));
        });
        it("flags a host storage account named by storageAccountName that allows public blobs by default", async () => {
            const name = "stack-function-data-path-encryption";
            const account = (props: Record<string, unknown>) => res(ACCOUNT_TYPE, "store", { name: "ordersfnstore", resourceGroupName: "orders-rg", ...props });
            expectPass(await checkStack(name, [app("api"), account({})]));
            let out = await checkStack(name, [app("api"), account({})]);
            await withPoliciesDisabled(["azure-storage-blob-public-access"], async () => {
                out = await checkStack(name, [app("api"), account({})]);
            });
            expectViolation(out, /function app `api` keeps its host storage in storage account `store` \(via storageAccountName\), which allows anonymous public access to its blobs \(allowNestedItemsToBePublic is true by default\)/);
            expectPass(await checkStack(name, [app("api"), account({ allowNestedItemsToBePublic: false })]));
        });
        it("reads Application Insights from a classic app and diagnostic settings of either provider", async () => {
            expectViolation(await checkStack("stack-function-logging", [app("api", { siteConfig: {} })]), /function app `api` has no APPLICATIONINSIGHTS_CONNECTION_STRING/);
            expectPass(await checkStack("stack-function-logging", [app("api", { siteConfig: {}, appSettings: { APPLICATIONINSIGHTS_CONNECTION_STRING: UNKNOWN } })]));
            const name = "stack-azure-functionapp-diagnostic-logs";
            expectPass(await checkStack(name, [app("api")]));
            expectViolation(await checkStack(name, [app("api", { siteConfig: {} })]), /function app `api` has no Application Insights connection and no diagnostic setting/);
            expectPass(await checkStack(name, [app("api", { siteConfig: {} }), res(DIAG, "diag", { targetResourceId: UNKNOWN, logAnalyticsWorkspaceId: UNKNOWN, enabledLogs: [{ category: "FunctionAppLogs" }] }, { targetResourceId: [[APP, "api"]] })]));
            expectPass(await checkStack(name, [app("api", { siteConfig: {} }), res("azure-native:monitor:DiagnosticSetting", "diag", { resourceUri: UNKNOWN, workspaceId: UNKNOWN, logs: [{ categoryGroup: "allLogs", enabled: true }] }, { resourceUri: [[APP, "api"]] })]));
        });
        it("covers classic slots with their own identity", async () => {
            const slot = app("staging", { functionAppId: UNKNOWN }, { functionAppId: [[APP, "api"]] }, SLOT);
            const out = await checkStack("stack-function-identity-privileged", [app("api"), slot, res(ASSIGNMENT, "owner", { principalId: UNKNOWN, roleDefinitionName: "Owner", scope: RESOURCE }, { principalId: [[SLOT, "staging"]] })]);
            expectViolation(out, /function app `staging` gets `Owner`/);
        });
    });
});
