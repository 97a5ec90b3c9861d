// An order API on Azure Functions written with the classic Azure provider (@pulumi/azure), the quick
// way: every resource here carries a flaw that serverless-guard stops at `pulumi preview`, under the
// same policy names as the azure-native program in ../azure-insecure. Preview only; never deploy it.
import * as azure from "@pulumi/azure";
import * as pulumi from "@pulumi/pulumi";

const subscription = "00000000-0000-0000-0000-000000000000";
const tenantId = "11111111-2222-3333-4444-555555555555";

const rg = new azure.core.ResourceGroup("orders-rg", { name: "orders-rg", location: "westeurope" });

// HTTP allowed, TLS 1.0, nested items public (the classic default), shared keys on.
const store = new azure.storage.Account("ordersfnstore", {
    name: "ordersfnstore",
    resourceGroupName: rg.name,
    location: rg.location,
    accountTier: "Standard",
    accountReplicationType: "LRS",
    httpsTrafficOnlyEnabled: false,
    minTlsVersion: "TLS1_0",
});

// No purge protection, access policies instead of RBAC, open to every network.
new azure.keyvault.KeyVault("orders-kv", {
    name: "orders-kv",
    resourceGroupName: rg.name,
    location: rg.location,
    tenantId,
    skuName: "standard",
    rbacAuthorizationEnabled: false,
    accessPolicies: [{ tenantId, objectId: "9d3c2b1a-5e4f-4a6b-8c7d-0e1f2a3b4c5d", secretPermissions: ["Get", "List", "Set", "Delete"] }],
});

const plan = new azure.appservice.ServicePlan("orders-plan", {
    resourceGroupName: rg.name,
    location: rg.location,
    osType: "Linux",
    skuName: "Y1",
});

// Functions host 3, Node 16, plain HTTP, TLS 1.0, FTP, remote debugging, the storage account key and
// the database password in app settings (a Pulumi secret in the program, readable by anyone who can
// read the settings), and authentication that lets anonymous callers through.
const app = new azure.appservice.LinuxFunctionApp("orders-api", {
    resourceGroupName: rg.name,
    location: rg.location,
    servicePlanId: plan.id, // unknown during preview
    storageAccountName: store.name,
    storageAccountAccessKey: store.primaryAccessKey,
    functionsExtensionVersion: "~3",
    httpsOnly: false,
    siteConfig: {
        minimumTlsVersion: "1.0",
        ftpsState: "AllAllowed",
        remoteDebuggingEnabled: true,
        remoteDebuggingVersion: "VS2022",
        cors: { allowedOrigins: ["*"], supportCredentials: true },
        applicationStack: { nodeVersion: "16" },
    },
    appSettings: {
        DB_PASSWORD: pulumi.secret("hunter2-insecure-example"),
        ORDERS_TABLE: "orders",
    },
    authSettingsV2: {
        authEnabled: true,
        requireAuthentication: false,
        unauthenticatedAction: "AllowAnonymous",
        login: {},
        activeDirectoryV2: { clientId: "6f1c3f52-0d3e-4a40-9a57-0c1e1f6f9a11", tenantAuthEndpoint: `https://login.microsoftonline.com/${tenantId}/v2.0` },
    },
});

// A worker whose host storage is the storage account's connection string, key included: unknown
// during preview, and a secret because it comes from the account's keys.
new azure.appservice.LinuxFunctionApp("orders-worker", {
    resourceGroupName: rg.name,
    location: rg.location,
    servicePlanId: plan.id, // unknown during preview
    storageAccountName: store.name,
    storageUsesManagedIdentity: true,
    functionsExtensionVersion: "~4",
    httpsOnly: true,
    identity: { type: "SystemAssigned" },
    siteConfig: { minimumTlsVersion: "1.2", ftpsState: "Disabled", applicationStack: { nodeVersion: "22" } },
    appSettings: { AzureWebJobsStorage: store.primaryConnectionString },
});

// An HTTP function anyone on the internet can call.
new azure.appservice.FunctionAppFunction("orders-create", {
    functionAppId: app.id,
    name: "create-order",
    language: "Javascript",
    configJson: JSON.stringify({ bindings: [
        { type: "httpTrigger", direction: "in", name: "req", authLevel: "anonymous", methods: ["post"] },
        { type: "http", direction: "out", name: "res" },
    ] }),
});

// Contributor on the whole resource group for a principal given by id.
new azure.authorization.Assignment("orders-api-contributor", {
    scope: `/subscriptions/${subscription}/resourceGroups/orders-rg`,
    roleDefinitionName: "Contributor",
    principalId: "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
    principalType: "ServicePrincipal",
});

// Order events for the app's Event Grid trigger: the topic takes access keys from any network (the
// provider's defaults), and so does the Service Bus namespace whose queue the app reads.
new azure.eventgrid.Topic("orders-events", { name: "orders-events", resourceGroupName: rg.name, location: rg.location });
const bus = new azure.servicebus.Namespace("orders-bus", { name: "orders-bus", resourceGroupName: rg.name, location: rg.location, sku: "Standard" });
new azure.servicebus.Queue("orders-queue", { name: "orders", namespaceId: bus.id, defaultMessageTtl: "PT1H" });
