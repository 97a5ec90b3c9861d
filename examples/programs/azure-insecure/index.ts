// An order API on Azure Functions, written the quick way: every resource here carries a flaw that
// serverless-guard stops at `pulumi preview`. Preview only; never deploy it.
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import * as web from "@pulumi/azure-native/web";

const subscription = "00000000-0000-0000-0000-000000000000";
const tenantId = "11111111-2222-3333-4444-555555555555";
const dbPassword = pulumi.secret("hunter2-insecure-example");

const rg = new resources.ResourceGroup("orders-rg", { resourceGroupName: "orders-rg" });

// HTTP allowed, TLS 1.0, anonymous blob access.
new storage.StorageAccount("ordersfnstore", {
    accountName: "ordersfnstore",
    resourceGroupName: rg.name,
    kind: storage.Kind.StorageV2,
    sku: { name: storage.SkuName.Standard_LRS },
    enableHttpsTrafficOnly: false,
    minimumTlsVersion: storage.MinimumTlsVersion.TLS1_0,
    allowBlobPublicAccess: true,
});

// Soft delete and purge protection off, access policies instead of RBAC.
new keyvault.Vault("orders-kv", {
    vaultName: "orders-kv",
    resourceGroupName: rg.name,
    properties: {
        tenantId,
        sku: { family: keyvault.SkuFamily.A, name: keyvault.SkuName.Standard },
        enableSoftDelete: false,
        enablePurgeProtection: false,
        enableRbacAuthorization: false,
        accessPolicies: [{ tenantId, objectId: "9d3c2b1a-5e4f-4a6b-8c7d-0e1f2a3b4c5d", permissions: { secrets: ["all"] } }],
    },
});

const plan = new web.AppServicePlan("orders-plan", {
    resourceGroupName: rg.name,
    kind: "functionapp",
    sku: { name: "Y1", tier: "Dynamic" },
});

// Functions host 3, Node 16, plain HTTP, TLS 1.0, FTP, remote debugging, client certificates asked
// for but not required, no diagnostic logs, and the database password in an app setting (a Pulumi
// secret in the program, readable by anyone who can read the settings).
const app = new web.WebApp("orders-api", {
    resourceGroupName: rg.name,
    kind: "functionapp",
    serverFarmId: plan.id, // unknown during preview
    httpsOnly: false,
    clientCertEnabled: true,
    clientCertMode: web.ClientCertMode.Optional,
    identity: { type: web.ManagedServiceIdentityType.SystemAssigned },
    siteConfig: {
        minTlsVersion: web.SupportedTlsVersions.SupportedTlsVersions_1_0,
        ftpsState: web.FtpsState.AllAllowed,
        remoteDebuggingEnabled: true,
        remoteDebuggingVersion: "VS2022",
        cors: { allowedOrigins: ["*"], supportCredentials: true },
        appSettings: [
            { name: "FUNCTIONS_EXTENSION_VERSION", value: "~3" },
            { name: "FUNCTIONS_WORKER_RUNTIME", value: "node" },
            { name: "WEBSITE_NODE_DEFAULT_VERSION", value: "~16" },
            { name: "DB_PASSWORD", value: dbPassword },
        ],
    },
});

// The function app's identity becomes Contributor of the whole subscription.
new authorization.RoleAssignment("orders-api-contributor", {
    principalId: app.identity.apply(i => i?.principalId ?? ""), // unknown during preview
    principalType: authorization.PrincipalType.ServicePrincipal,
    roleDefinitionId: `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`,
    scope: `/subscriptions/${subscription}`,
});

export const appName = app.name;
