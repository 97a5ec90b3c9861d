// The order API of azure-classic-insecure, hardened: it passes every serverless-guard policy, mandatory
// and advisory, under the default configuration.
import * as azure from "@pulumi/azure";

const subscription = "00000000-0000-0000-0000-000000000000";
const tenantId = "11111111-2222-3333-4444-555555555555";
const appInsights = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/";

const rg = new azure.core.ResourceGroup("orders-rg", { name: "orders-rg", location: "westeurope" });

const store = new azure.storage.Account("ordersfnstore", {
    name: "ordersfnstore",
    resourceGroupName: rg.name,
    location: rg.location,
    accountTier: "Standard",
    accountReplicationType: "ZRS",
    httpsTrafficOnlyEnabled: true,
    minTlsVersion: "TLS1_2",
    allowNestedItemsToBePublic: false,
    sharedAccessKeyEnabled: false,
});

const vault = new azure.keyvault.KeyVault("orders-kv", {
    name: "orders-kv",
    resourceGroupName: rg.name,
    location: rg.location,
    tenantId,
    skuName: "standard",
    purgeProtectionEnabled: true,
    softDeleteRetentionDays: 90,
    rbacAuthorizationEnabled: true,
    networkAcls: { bypass: "AzureServices", defaultAction: "Deny" },
});

new azure.keyvault.Secret("db-password", {
    keyVaultId: vault.id,
    name: "db-password",
    valueWo: "rotated-by-the-dba-team",
    valueWoVersion: 1,
    expirationDate: "2027-06-30T00:00:00Z",
    contentType: "password",
});

const plan = new azure.appservice.ServicePlan("orders-plan", {
    resourceGroupName: rg.name,
    location: rg.location,
    osType: "Linux",
    skuName: "EP1",
});

// Identity-based host storage, a Key Vault reference for the password, TLS 1.2, no FTP or basic
// publishing credentials, callers only through Front Door, capped scale-out, authentication required.
const app = new azure.appservice.LinuxFunctionApp("orders-api", {
    resourceGroupName: rg.name,
    location: rg.location,
    servicePlanId: plan.id,
    storageAccountName: store.name,
    storageUsesManagedIdentity: true,
    functionsExtensionVersion: "~4",
    httpsOnly: true,
    ftpPublishBasicAuthenticationEnabled: false,
    webdeployPublishBasicAuthenticationEnabled: false,
    identity: { type: "SystemAssigned" },
    siteConfig: {
        minimumTlsVersion: "1.2",
        scmMinimumTlsVersion: "1.2",
        ftpsState: "Disabled",
        remoteDebuggingEnabled: false,
        http2Enabled: true,
        appScaleLimit: 20,
        applicationInsightsConnectionString: appInsights,
        cors: { allowedOrigins: ["https://shop.example.com"] },
        ipRestrictionDefaultAction: "Deny",
        ipRestrictions: [{ name: "front-door", action: "Allow", serviceTag: "AzureFrontDoor.Backend", priority: 100 }],
        applicationStack: { nodeVersion: "24" },
    },
    appSettings: {
        DB_PASSWORD: "@Microsoft.KeyVault(SecretUri=https://orders-kv.vault.azure.net/secrets/db-password/)",
        ORDERS_TABLE: "orders",
        // The queue trigger's identity-based connection: the namespace orders-bus below.
        OrdersQueue__fullyQualifiedNamespace: "orders-bus.servicebus.windows.net",
    },
    authSettingsV2: {
        authEnabled: true,
        requireAuthentication: true,
        unauthenticatedAction: "Return401",
        login: {},
        activeDirectoryV2: { clientId: "6f1c3f52-0d3e-4a40-9a57-0c1e1f6f9a11", tenantAuthEndpoint: `https://login.microsoftonline.com/${tenantId}/v2.0` },
    },
});

new azure.appservice.FunctionAppFunction("orders-create", {
    functionAppId: app.id,
    name: "create-order",
    language: "Javascript",
    configJson: JSON.stringify({ bindings: [
        { type: "httpTrigger", direction: "in", name: "req", authLevel: "function", methods: ["post"] },
        { type: "http", direction: "out", name: "res" },
    ] }),
});

// The app's identity may read the vault's secrets, and nothing else.
new azure.authorization.Assignment("orders-api-kv-secrets", {
    scope: vault.id,
    roleDefinitionName: "Key Vault Secrets User",
    principalId: app.identity.apply(i => i?.principalId ?? ""),
    principalType: "ServicePrincipal",
});

// Execution and HTTP logs go to a Log Analytics workspace.
const workspace = new azure.operationalinsights.AnalyticsWorkspace("orders-logs", {
    resourceGroupName: rg.name,
    location: rg.location,
    sku: "PerGB2018",
    retentionInDays: 90,
});
new azure.monitoring.DiagnosticSetting("orders-api-diagnostics", {
    targetResourceId: app.id,
    logAnalyticsWorkspaceId: workspace.id,
    enabledLogs: [{ categoryGroup: "allLogs" }],
});

// Order events for the app's Event Grid trigger and its Service Bus queue (its
// OrdersQueue__fullyQualifiedNamespace setting): no access keys or SAS tokens (Microsoft Entra ID
// only), reachable only through private endpoints, TLS 1.2, expired messages dead-lettered.
new azure.eventgrid.Topic("orders-events", {
    name: "orders-events",
    resourceGroupName: rg.name,
    location: rg.location,
    localAuthEnabled: false,
    publicNetworkAccessEnabled: false,
});
const bus = new azure.servicebus.Namespace("orders-bus", {
    name: "orders-bus",
    resourceGroupName: rg.name,
    location: rg.location,
    sku: "Premium",
    capacity: 1,
    premiumMessagingPartitions: 1,
    localAuthEnabled: false,
    publicNetworkAccessEnabled: false,
    minimumTlsVersion: "1.2",
});
new azure.servicebus.Queue("orders-queue", { name: "orders", namespaceId: bus.id, defaultMessageTtl: "P1D", deadLetteringOnMessageExpiration: true });
// The app's identity may receive from the namespace, and nothing more.
new azure.authorization.Assignment("orders-api-bus-receiver", {
    scope: bus.id,
    roleDefinitionName: "Azure Service Bus Data Receiver",
    principalId: app.identity.apply(i => i?.principalId ?? ""),
    principalType: "ServicePrincipal",
});

// ---------------------------------------------------------------------------------------------
// Front doors: a container app, HTTPS only, its password a Key Vault-backed secret read with its own
// identity; API Management in front of the function app, HTTPS only, requiring a subscription and
// validating Entra ID tokens, the function key a Key Vault reference, the backend's certificate checked.
new azure.containerapp.App("orders-aca", {
    resourceGroupName: rg.name,
    containerAppEnvironmentId: `/subscriptions/${subscription}/resourceGroups/orders-rg/providers/Microsoft.App/managedEnvironments/orders-env`,
    revisionMode: "Single",
    identity: { type: "SystemAssigned" },
    ingress: {
        externalEnabled: true,
        allowInsecureConnections: false,
        targetPort: 80,
        trafficWeights: [{ latestRevision: true, percentage: 100 }],
    },
    secrets: [{ name: "db-password", keyVaultSecretId: "https://orders-kv.vault.azure.net/secrets/db-password", identity: "System" }],
    template: {
        containers: [{
            name: "orders",
            image: "ordersacr.azurecr.io/orders-fn:1.0.0",
            cpu: 0.5,
            memory: "1Gi",
            envs: [{ name: "DB_PASSWORD", secretName: "db-password" }],
        }],
    },
});
const apimService = "orders-apim";
const ordersApi = new azure.apimanagement.Api("orders-apim-api", {
    name: "orders",
    resourceGroupName: rg.name,
    apiManagementName: apimService,
    revision: "1",
    displayName: "Orders",
    path: "orders",
    protocols: ["https"],
    subscriptionRequired: true,
    serviceUrl: "https://orders-api.azurewebsites.net/api",
});
new azure.apimanagement.ApiPolicy("orders-apim-api-policy", {
    apiName: ordersApi.name,
    apiManagementName: apimService,
    resourceGroupName: rg.name,
    xmlContent: [
        "<policies><inbound><base />",
        `<validate-azure-ad-token tenant-id="${tenantId}"><client-application-ids><application-id>22222222-3333-4444-5555-666666666666</application-id></client-application-ids></validate-azure-ad-token>`,
        "<set-header name=\"x-functions-key\" exists-action=\"override\"><value>{{orders-fn-key}}</value></set-header>",
        "</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>",
    ].join(""),
});
new azure.apimanagement.NamedValue("orders-fn-key", {
    name: "orders-fn-key",
    resourceGroupName: rg.name,
    apiManagementName: apimService,
    displayName: "orders-fn-key",
    secret: true,
    valueFromKeyVault: { secretId: "https://orders-kv.vault.azure.net/secrets/orders-fn-key" },
});
new azure.apimanagement.Backend("orders-fn-backend", {
    name: "orders-fn",
    resourceGroupName: rg.name,
    apiManagementName: apimService,
    protocol: "http",
    url: "https://orders-api.azurewebsites.net/api",
    tls: { validateCertificateChain: true, validateCertificateName: true },
});
