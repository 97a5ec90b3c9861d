// Stack policies on small Azure Functions graphs, linked the way the engine links them during preview:
// principal ids, names and computed settings unknown, links through propertyDependencies (and by
// known names and principal ids where given).
import * as assert from "assert";
import { check, checkStack, messages, TestResource, withPoliciesDisabled } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import { ACCESS_POLICY, RESOURCE_GROUP, USER_ASSIGNED_IDENTITY } from "../../../policies/model/azure";

const urn = (type: string, name: string) => `urn:pulumi:dev::orders::${type}::${name}`;
const APP = "azure-native:web:WebApp";
const SLOT = "azure-native:web:WebAppSlot";
const SETTINGS = "azure-native:web:WebAppApplicationSettings";
const AUTH = "azure-native:web:WebAppAuthSettingsV2";
const FN = "azure-native:web:WebAppFunction";
const RA = "azure-native:authorization:RoleAssignment";
const UAI = USER_ASSIGNED_IDENTITY;
const RG = RESOURCE_GROUP;
const STORE = "azure-native:storage:StorageAccount";
const KV = "azure-native:keyvault:Vault";
const KV_SECRET = "azure-native:keyvault:Secret";
const INSIGHTS = "azure-native:applicationinsights:Component";

const ROLE = (guid: string) => `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const OWNER = ROLE("8e3af657-a8ff-443c-a75c-2fe8c4bcb635");
const CONTRIBUTOR = ROLE("b24988ac-6180-42a0-ab88-20f7382dd24c");
const UAA = ROLE("18d7d88d-d35e-4fb5-a5c3-7773c20a72d9");
const BLOB_OWNER = ROLE("b7e6dc6d-f1e8-4753-8033-0f276bb0955b");
const SECRETS_USER = ROLE("4633458b-17de-408a-b874-0445c86b69e6");
const SUBSCRIPTION = "/subscriptions/00000000-0000-0000-0000-000000000000";
const STORE_SCOPE = `${SUBSCRIPTION}/resourceGroups/orders-rg/providers/Microsoft.Storage/storageAccounts/ordersfnstore`;
const KV_REF = "@Microsoft.KeyVault(SecretUri=https://orders-kv.vault.azure.net/secrets/db-password/)";
const STORAGE_KEY = "DefaultEndpointsProtocol=https;AccountName=ordersfnstore;AccountKey=q8Xv2LmN4pR7sT1uW3yZ5aB6cD9eF0gH2iJ4kL6mN8oP0qR2sT4uV6wX8yZ0aB2cD4eF6gH8iJ0kL2mN4oP6qR8s==;EndpointSuffix=core.windows.net";

type Deps = Record<string, [string, string][]>;

function res(type: string, name: string, props: Record<string, unknown>, deps: Deps = {}): TestResource {
    return {
        type, name, urn: urn(type, name), props,
        propertyDependencies: Object.fromEntries(Object.entries(deps).map(([k, refs]) => [k, refs.map(([t, n]) => urn(t, n))])),
    };
}

const setting = (name: string, value: unknown) => ({ name, value });
/** A function app with a system-assigned identity, Application Insights (computed) and identity-based host storage. */
function app(name: string, siteConfig: Record<string, unknown> = {}, extra: Record<string, unknown> = {}, deps: Deps = {}): TestResource {
    return res(APP, name, {
        resourceGroupName: "orders-rg", kind: "functionapp,linux", name: `${name}-fn`,
        identity: { type: "SystemAssigned", principalId: UNKNOWN, tenantId: UNKNOWN },
        siteConfig: {
            functionAppScaleLimit: 20,
            appSettings: [setting("APPLICATIONINSIGHTS_CONNECTION_STRING", UNKNOWN), setting("AzureWebJobsStorage__accountName", "ordersfnstore")],
            ...siteConfig,
        },
        ...extra,
    }, { siteConfig: [[INSIGHTS, "insights"]], ...deps });
}
const insights = res(INSIGHTS, "insights", { kind: "web", applicationType: "web" });
const store = (props: Record<string, unknown> = {}) => res(STORE, "store", { accountName: "ordersfnstore", allowBlobPublicAccess: false, encryption: { keySource: "Microsoft.Storage" }, ...props });
const assignment = (name: string, role: string, scope: unknown, deps: Deps, principalId: unknown = UNKNOWN) =>
    res(RA, name, { principalId, principalType: "ServicePrincipal", roleDefinitionId: role, scope }, deps);

describe("stack policies: Azure", () => {
    it("links only type tokens that azure-native defines", () => {
        const sdk = require("@pulumi/azure-native");
        const tokens = [APP, SLOT, SETTINGS, AUTH, FN, RA, UAI, RG, STORE, KV, KV_SECRET, INSIGHTS, ACCESS_POLICY, "azure-native:web:WebAppAuthSettings", "azure-native:web:WebAppApplicationSettingsSlot"];
        for (const token of tokens) {
            const [, module, cls] = token.split(":");
            assert.strictEqual(sdk[module]?.[cls]?.__pulumiType, token, token);
        }
    });

    describe("stack-function-identity-privileged", () => {
        const name = "stack-function-identity-privileged";
        it("passes an app identity with a narrow data role", async () => {
            expectPass(await checkStack(name, [insights, app("api"), store(), assignment("api-blob", BLOB_OWNER, UNKNOWN, { principalId: [[APP, "api"]], scope: [[STORE, "store"]] })]));
        });
        it("flags Owner on a single resource for the app's system-assigned identity, naming both ends (no resource policy reports that scope)", async () => {
            const out = await checkStack(name, [insights, app("api"), assignment("api-owner", OWNER, STORE_SCOPE, { principalId: [[APP, "api"]] })]);
            expectViolation(out, /function app `api` gets `Owner` on a single resource's scope via RoleAssignment `api-owner` \(full control/, "mandatory");
            assert.strictEqual(out.violations[0].urn, urn(APP, "api"));
        });
        it("leaves Owner on the subscription to azure-roleassignment-privileged-role, which reports it on the assignment", async () => {
            const owner = assignment("api-owner", OWNER, SUBSCRIPTION, { principalId: [[APP, "api"]] });
            expectPass(await checkStack(name, [insights, app("api"), owner]));
            expectViolation(check("azure-roleassignment-privileged-role", owner), /is Owner .* at subscription scope for a ServicePrincipal/, "mandatory");
        });
        it("links by a known principal id and names a resource-group scope from its dependency", async () => {
            const known = "6f1c3f52-0d3e-4a40-9a57-0c1e1f6f9a11";
            const out = await checkStack(name, [
                insights, app("api", {}, { identity: { type: "SystemAssigned", principalId: known } }), res(RG, "rg", { resourceGroupName: "orders-rg" }),
                assignment("api-contrib", CONTRIBUTOR, UNKNOWN, { scope: [[RG, "rg"]] }, known),
            ]);
            expectViolation(out, /function app `api` gets `Contributor` on resource group `rg` via RoleAssignment `api-contrib`/);
        });
        it("follows a user-assigned identity", async () => {
            const out = await checkStack(name, [
                insights, res(UAI, "api-id", { resourceGroupName: "orders-rg" }),
                app("api", {}, { identity: { type: "UserAssigned", userAssignedIdentities: [UNKNOWN] } }, { identity: [[UAI, "api-id"]] }),
                assignment("api-uaa", UAA, STORE_SCOPE, { principalId: [[UAI, "api-id"]] }),
            ]);
            expectViolation(out, /gets `User Access Administrator` on a single resource's scope via RoleAssignment `api-uaa` to its user-assigned identity `api-id`/);
        });
        it("ignores privileged roles of other principals and web apps that are not function apps", async () => {
            expectPass(await checkStack(name, [insights, app("api"), assignment("ops-owner", OWNER, SUBSCRIPTION, {}, "0a0b0c0d-0000-0000-0000-000000000000")]));
            expectPass(await checkStack(name, [res(APP, "web", { kind: "app,linux", identity: { type: "SystemAssigned" } }), assignment("web-owner", OWNER, SUBSCRIPTION, { principalId: [[APP, "web"]] })]));
        });
        it("can't decide while a linked role or an unlinked principal is unknown", async () => {
            expectUnknown(await checkStack(name, [insights, app("api"), assignment("api-role", UNKNOWN, SUBSCRIPTION, { principalId: [[APP, "api"]] })]));
            expectUnknown(await checkStack(name, [insights, app("api"), assignment("someone-owner", OWNER, SUBSCRIPTION, {})]));
        });
    });

    describe("public invocation", () => {
        const httpFn = (level: unknown, extra: Record<string, unknown> = {}) => res(FN, "create", {
            name: UNKNOWN, resourceGroupName: "orders-rg", functionName: "create-order",
            config: { bindings: [{ type: "httpTrigger", direction: "in", name: "req", authLevel: level }, { type: "http", direction: "out", name: "res" }] },
            ...extra,
        }, { name: [[APP, "api"]] });
        const auth = (validation: Record<string, unknown>, enabled: unknown = true) => res(AUTH, "api-auth", { name: UNKNOWN, platform: { enabled }, globalValidation: validation }, { name: [[APP, "api"]] });
        const required = { requireAuthentication: true, unauthenticatedClientAction: "Return401" };
        // azure-functionapp-function-anonymous reports the anonymous binding on the function, so stack-function-public-invocation
        // stays silent; the uncapped line on an app without a scale-out limit shows each public path the stack finds.
        const P = "stack-function-public-uncapped";
        const open = () => app("api", { functionAppScaleLimit: undefined });

        it("an anonymous HTTP function on an app without authentication: one line on the function (resource policy), the cap on the app", async () => {
            expectPass(await checkStack("stack-function-public-invocation", [insights, app("api"), httpFn("anonymous")]));
            expectViolation(check("azure-functionapp-function-anonymous", httpFn("anonymous")), /authLevel "anonymous"/, "mandatory");
            const out = await checkStack(P, [insights, open(), httpFn("anonymous")]);
            assert.deepStrictEqual(messages(out), ["function app `api` has no scale-out limit (siteConfig.functionAppScaleLimit) and is public (function `create`: its httpTrigger has authLevel \"anonymous\" and function app `api` has no App Service authentication (WebAppAuthSettingsV2) (azure-functionapp-function-anonymous reports it on `create`)), so anyone can scale it to the platform maximum; cap it, or require authentication on that path."]);
            assert.strictEqual(out.violations[0].urn, urn(APP, "api"));
        });
        it("passes function keys, and anonymous functions behind required App Service authentication", async () => {
            expectPass(await checkStack(P, [insights, open(), httpFn("function")]));
            expectPass(await checkStack(P, [insights, open(), httpFn("anonymous"), auth(required)]));
            const v1 = res("azure-native:web:WebAppAuthSettings", "api-auth-v1", { name: UNKNOWN, enabled: true, unauthenticatedClientAction: "RedirectToLoginPage" }, { name: [[APP, "api"]] });
            expectPass(await checkStack(P, [insights, open(), httpFn("anonymous"), v1]));
        });
        it("flags authentication that allows anonymous requests or excludes the function's route, and reads config given as JSON", async () => {
            expectViolation(await checkStack(P, [insights, open(), httpFn("anonymous"), auth({ requireAuthentication: false, unauthenticatedClientAction: "AllowAnonymous" })]),
                /WebAppAuthSettingsV2 `api-auth` of function app `api` doesn't require authentication/);
            expectViolation(await checkStack(P, [insights, open(), httpFn("anonymous"), auth({ ...required, excludedPaths: ["/api/create-order"] })]), /doesn't require authentication/);
            expectViolation(await checkStack(P, [insights, open(), httpFn("anonymous"), auth({ ...required, excludedPaths: ["/api/*"] })]), /doesn't require authentication/);
            expectPass(await checkStack(P, [insights, open(), httpFn("anonymous"), auth({ ...required, excludedPaths: ["/api/health"] })]));
            const json = httpFn("anonymous", { config: JSON.stringify({ bindings: [{ type: "httpTrigger", authLevel: "Anonymous" }] }) });
            expectViolation(await checkStack(P, [insights, open(), json]), /authLevel "anonymous"/);
        });
        it("links the function to its app by a known name", async () => {
            const byName = res(FN, "create", { name: "api-fn", functionName: "create-order", config: { bindings: [{ type: "httpTrigger", authLevel: "anonymous" }] } });
            expectViolation(await checkStack(P, [insights, open(), byName]), /function app `api`/);
        });
        it("can't decide while the auth level or the authentication settings are unknown", async () => {
            expectUnknown(await checkStack(P, [insights, open(), httpFn(UNKNOWN)]));
            expectUnknown(await checkStack(P, [insights, open(), httpFn("anonymous"), auth(required, UNKNOWN)]));
        });
        it("stack-function-public-uncapped flags a public function whose app has no scale-out limit", async () => {
            const name = "stack-function-public-uncapped";
            expectPass(await checkStack(name, [insights, app("api"), httpFn("anonymous")]));
            const out = await checkStack(name, [insights, app("api", { functionAppScaleLimit: undefined }), httpFn("anonymous")]);
            expectViolation(out, /function app `api` has no scale-out limit \(siteConfig\.functionAppScaleLimit\) and is public \(function `create`: /, "advisory");
            expectPass(await checkStack(name, [insights, app("api", { functionAppScaleLimit: undefined }), httpFn("function")]));
        });
        it("stack-function-public-uncapped reads the Flex Consumption maximum instance count, and stops on an unknown one", async () => {
            const name = "stack-function-public-uncapped";
            const flex = (count: unknown) => app("api", { functionAppScaleLimit: undefined }, { functionAppConfig: { runtime: { name: "node", version: "22" }, scaleAndConcurrency: { maximumInstanceCount: count } } });
            expectPass(await checkStack(name, [insights, flex(40), httpFn("anonymous")]));
            expectViolation(await checkStack(name, [insights, flex(undefined), httpFn("anonymous")]), /functionAppConfig\.scaleAndConcurrency\.maximumInstanceCount/);
            expectUnknown(await checkStack(name, [insights, flex(UNKNOWN), httpFn("anonymous")]));
        });
    });

    describe("stack-function-data-path-encryption", () => {
        const name = "stack-function-data-path-encryption";
        it("flags a host storage account named in a connection string that allows public blobs, without quoting the key", async () => {
            const stack = [insights, app("api", { appSettings: [setting("AzureWebJobsStorage", STORAGE_KEY)] }), store({ allowBlobPublicAccess: true })];
            // azure-storage-blob-public-access reports it on the account; the path repeats it only when that one is disabled.
            expectPass(await checkStack(name, stack));
            let out = await checkStack(name, stack);
            await withPoliciesDisabled(["azure-storage-blob-public-access"], async () => {
                out = await checkStack(name, stack);
            });
            expectViolation(out, /function app `api` keeps its host storage in storage account `store` \(via AzureWebJobsStorage in siteConfig\.appSettings\), which allows anonymous public access to its blobs/, "advisory");
            assert.ok(!JSON.stringify(out).includes("q8Xv2LmN4pR7"));
        });
        it("passes an identity-based host storage account without public blobs", async () => {
            expectPass(await checkStack(name, [insights, app("api"), store()]));
        });
        it("requires a customer-managed key where configured, following a settings resource's dependency", async () => {
            const graph = (encryption: Record<string, unknown>) => [
                insights, app("api", { appSettings: [setting("APPLICATIONINSIGHTS_CONNECTION_STRING", UNKNOWN)] }), store({ accountName: UNKNOWN, encryption }),
                res(SETTINGS, "api-settings", { name: UNKNOWN, properties: { AzureWebJobsStorage: UNKNOWN } }, { name: [[APP, "api"]], properties: [[STORE, "store"]] }),
            ];
            const cmk = { config: { requireCustomerManagedKey: true } };
            expectViolation(await checkStack(name, graph({ keySource: "Microsoft.Storage" }), cmk), /function app `api` keeps its host storage in storage account `store` \(via AzureWebJobsStorage in WebAppApplicationSettings `api-settings`\), which is not encrypted with a customer-managed key/);
            expectPass(await checkStack(name, graph({ keySource: "Microsoft.Keyvault", keyVaultProperties: { keyName: "k" } }), cmk));
            expectPass(await checkStack(name, graph({ keySource: "Microsoft.Storage" })));
        });
        it("follows Flex Consumption deployment storage", async () => {
            const flex = app("api", { appSettings: [setting("APPLICATIONINSIGHTS_CONNECTION_STRING", UNKNOWN)] }, { functionAppConfig: { deployment: { storage: { type: "blobContainer", value: "https://ordersfnstore.blob.core.windows.net/deploy" } } } });
            await withPoliciesDisabled(["azure-storage-blob-public-access"], async () => {
                expectViolation(await checkStack(name, [insights, flex, store({ allowBlobPublicAccess: true })]), /function app `api` deploys its code from storage account `store` \(via functionAppConfig\.deployment\.storage\)/);
            });
        });
        it("can't decide while the host storage setting or the account's public access is unknown", async () => {
            expectUnknown(await checkStack(name, [insights, app("api", { appSettings: [setting("APPLICATIONINSIGHTS_CONNECTION_STRING", UNKNOWN), setting("AzureWebJobsStorage", UNKNOWN)] }, {}, { siteConfig: [] }), store()]));
            expectUnknown(await checkStack(name, [insights, app("api"), store({ allowBlobPublicAccess: UNKNOWN })]));
        });
    });

    describe("stack-function-secret-reference", () => {
        const name = "stack-function-secret-reference";
        const vault = (properties: Record<string, unknown>, deps: Deps = {}) => res(KV, "kv", { vaultName: "orders-kv", resourceGroupName: "orders-rg", properties: { tenantId: "t", ...properties } }, deps);
        const withRef = (extra: Record<string, unknown> = {}) => app("api", { appSettings: [setting("APPLICATIONINSIGHTS_CONNECTION_STRING", UNKNOWN), setting("DB_PASSWORD", KV_REF)] }, extra);
        const reader = (scope: unknown, deps: Deps) => assignment("api-secrets", SECRETS_USER, scope, { principalId: [[APP, "api"]], ...deps });

        it("passes a reference the app's identity can read through Key Vault Secrets User on the vault or its resource group", async () => {
            expectPass(await checkStack(name, [insights, withRef(), vault({ enableRbacAuthorization: true }), reader(UNKNOWN, { scope: [[KV, "kv"]] })]));
            expectPass(await checkStack(name, [insights, withRef(), vault({ enableRbacAuthorization: true }), reader(`${SUBSCRIPTION}/resourceGroups/orders-rg`, {})]));
        });
        it("flags a reference the identity can't read, naming the setting and the vault but no value", async () => {
            const out = await checkStack(name, [insights, withRef(), vault({ enableRbacAuthorization: true }), reader(`${SUBSCRIPTION}/resourceGroups/other-rg`, {})]);
            expectViolation(out, /function app `api` references Key Vault `kv` in app setting `DB_PASSWORD` \(siteConfig\.appSettings\), but its system-assigned identity has no Key Vault Secrets User, Secrets Officer or Administrator role/, "advisory");
            assert.ok(!messages(out).join().includes("SecretUri"));
        });
        it("flags a reference from an app without a managed identity", async () => {
            expectViolation(await checkStack(name, [insights, withRef({ identity: undefined }), vault({ enableRbacAuthorization: true })]), /has no managed identity/);
        });
        it("reads access policies linked to the app's identity by dependency", async () => {
            const policy = (secrets: string[]) => vault({ accessPolicies: [{ tenantId: "t", objectId: UNKNOWN, permissions: { secrets } }] }, { properties: [[APP, "api"]] });
            expectPass(await checkStack(name, [insights, withRef(), policy(["get", "list"])]));
            expectViolation(await checkStack(name, [insights, withRef(), policy(["list"])]), /the vault's access policies don't let its system-assigned identity get secrets/);
            const other = vault({ accessPolicies: [{ tenantId: "t", objectId: "0a0b0c0d-0000-0000-0000-000000000000", permissions: { secrets: ["all"] } }] });
            expectViolation(await checkStack(name, [insights, withRef(), other]), /access policies don't let/);
        });
        it("follows a computed reference through a settings resource's dependency on a vault secret", async () => {
            const graph = (readerToo: boolean) => [
                insights, app("api"), vault({ enableRbacAuthorization: true }),
                res(KV_SECRET, "db", { vaultName: UNKNOWN, secretName: "db-password" }, { vaultName: [[KV, "kv"]] }),
                res(SETTINGS, "api-settings", { name: UNKNOWN, properties: { DB_PASSWORD: UNKNOWN } }, { name: [[APP, "api"]], properties: [[KV_SECRET, "db"]] }),
                ...(readerToo ? [reader(UNKNOWN, { scope: [[KV_SECRET, "db"]] })] : []),
            ];
            expectViolation(await checkStack(name, graph(false)), /references Key Vault `kv` in settings computed from its secret `db` \(WebAppApplicationSettings `api-settings`\)/);
            expectPass(await checkStack(name, graph(true)));
        });
        it("ignores vaults outside the stack", async () => {
            expectPass(await checkStack(name, [insights, withRef()]));
        });
        it("can't decide while the vault's authorization mode or the assignment's scope is unknown", async () => {
            expectUnknown(await checkStack(name, [insights, withRef(), vault({ enableRbacAuthorization: UNKNOWN })]));
            expectUnknown(await checkStack(name, [insights, withRef(), vault({ enableRbacAuthorization: true }), reader(UNKNOWN, {})]));
            expectUnknown(await checkStack(name, [insights, withRef(), vault({ accessPolicies: [{ tenantId: "t", objectId: UNKNOWN, permissions: { secrets: ["get"] } }] })]));
        });
    });

    describe("stack-function-logging", () => {
        const name = "stack-function-logging";
        it("passes Application Insights inline or in a linked settings resource", async () => {
            expectPass(await checkStack(name, [insights, app("api")]));
            expectPass(await checkStack(name, [
                app("api", { appSettings: [] }),
                res(SETTINGS, "api-settings", { name: UNKNOWN, properties: { APPINSIGHTS_INSTRUMENTATIONKEY: "00000000-0000-0000-0000-000000000000" } }, { name: [[APP, "api"]] }),
            ]));
        });
        it("flags a function app without Application Insights", async () => {
            const out = await checkStack(name, [app("api", { appSettings: [setting("FUNCTIONS_EXTENSION_VERSION", "~4")] }, {}, { siteConfig: [] })]);
            expectViolation(out, /function app `api` has no APPLICATIONINSIGHTS_CONNECTION_STRING or APPINSIGHTS_INSTRUMENTATIONKEY app setting/, "advisory");
        });
        it("applies to slots through their settings resource", async () => {
            const slot = res(SLOT, "api-staging", { name: "api-fn", slot: "staging", kind: "functionapp", siteConfig: {} });
            expectViolation(await checkStack(name, [slot]), /function app `api-staging`/);
            expectPass(await checkStack(name, [slot, res("azure-native:web:WebAppApplicationSettingsSlot", "staging-settings", { name: "api-fn", slot: UNKNOWN, properties: { APPLICATIONINSIGHTS_CONNECTION_STRING: UNKNOWN } }, { slot: [[SLOT, "api-staging"]] })]));
        });
        it("can't decide while the app's settings are unknown", async () => {
            expectUnknown(await checkStack(name, [app("api", {}, { siteConfig: UNKNOWN })]));
        });
    });
});
