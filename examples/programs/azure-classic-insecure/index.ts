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

// The Service Bus namespace whose queue the app's trigger reads (its OrdersQueue__fullyQualifiedNamespace
// setting, computed from the namespace's name): it takes access keys and SAS tokens from any network.
const bus = new azure.servicebus.Namespace("orders-bus", { name: "orders-bus", resourceGroupName: rg.name, location: rg.location, sku: "Standard" });

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
        // The queue trigger's (identity-based) connection: the namespace orders-bus above.
        OrdersQueue__fullyQualifiedNamespace: pulumi.interpolate`${bus.name}.servicebus.windows.net`,
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
// provider's defaults), like the Service Bus namespace above, so whoever holds a key, in any tenant,
// can post orders the function acts on; expired messages on the namespace's queue are dropped instead
// of dead-lettered.
new azure.eventgrid.Topic("orders-events", { name: "orders-events", resourceGroupName: rg.name, location: rg.location });
new azure.servicebus.Queue("orders-queue", { name: "orders", namespaceId: bus.id, defaultMessageTtl: "PT1H" });

// ---------------------------------------------------------------------------------------------
// Front doors: a container app answering plain HTTP on its external ingress with a password as a plain
// environment value; API Management in front of the function app with no subscription and no token
// check, plain HTTP allowed, the function key in a plain named value, and the backend's certificate
// not checked.
new azure.containerapp.App("orders-aca", {
    resourceGroupName: rg.name,
    containerAppEnvironmentId: `/subscriptions/${subscription}/resourceGroups/orders-rg/providers/Microsoft.App/managedEnvironments/orders-env`,
    revisionMode: "Single",
    ingress: {
        externalEnabled: true,
        allowInsecureConnections: true,
        targetPort: 80,
        trafficWeights: [{ latestRevision: true, percentage: 100 }],
    },
    template: {
        containers: [{
            name: "orders",
            image: "ordersacr.azurecr.io/orders-fn:1.0.0",
            cpu: 0.5,
            memory: "1Gi",
            envs: [{ name: "DB_PASSWORD", value: "hunter2-aca-password" }],
        }],
    },
});
const apimService = "orders-apim";
new azure.apimanagement.Api("orders-apim-api", {
    name: "orders",
    resourceGroupName: rg.name,
    apiManagementName: apimService,
    revision: "1",
    displayName: "Orders",
    path: "orders",
    protocols: ["http", "https"],
    subscriptionRequired: false,
    serviceUrl: pulumi.interpolate`https://${app.defaultHostname}/api`,
});
new azure.apimanagement.NamedValue("orders-fn-key", {
    name: "orders-fn-key",
    resourceGroupName: rg.name,
    apiManagementName: apimService,
    displayName: "orders-fn-key",
    secret: false,
    value: "q8Xv2LmN4pR7sT1uW3yZ5aB6cD9eF0gH2iJ4kL6mN8oP0qR2sT4uVw==",
});
new azure.apimanagement.Backend("orders-fn-backend", {
    name: "orders-fn",
    resourceGroupName: rg.name,
    apiManagementName: apimService,
    protocol: "http",
    url: "https://orders-api.azurewebsites.net/api",
    tls: { validateCertificateChain: false, validateCertificateName: false },
});
