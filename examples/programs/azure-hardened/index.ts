// The order API of azure-insecure, hardened: it passes every serverless-guard policy, mandatory and
// advisory, under the default configuration.
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import * as keyvault from "@pulumi/azure-native/keyvault";
import * as monitor from "@pulumi/azure-native/monitor";
import * as operationalinsights from "@pulumi/azure-native/operationalinsights";
import * as resources from "@pulumi/azure-native/resources";
import * as servicebus from "@pulumi/azure-native/servicebus";
import * as storage from "@pulumi/azure-native/storage";
import * as web from "@pulumi/azure-native/web";

const subscription = "00000000-0000-0000-0000-000000000000";
const tenantId = "11111111-2222-3333-4444-555555555555";
const keyVaultSecretsUser = `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6`;

const rg = new resources.ResourceGroup("orders-rg", {});

// Host storage: HTTPS and TLS 1.2 only, no anonymous access, no shared keys, double encryption.
new storage.StorageAccount("ordersfnstore", {
    accountName: "ordersfnstore",
    resourceGroupName: rg.name, // unknown during preview
    kind: storage.Kind.StorageV2,
    sku: { name: storage.SkuName.Standard_ZRS },
    enableHttpsTrafficOnly: true,
    minimumTlsVersion: storage.MinimumTlsVersion.TLS1_2,
    allowBlobPublicAccess: false,
    allowSharedKeyAccess: false,
    defaultToOAuthAuthentication: true,
    networkRuleSet: { defaultAction: storage.DefaultAction.Deny, bypass: storage.Bypass.AzureServices },
    encryption: {
        requireInfrastructureEncryption: true,
        keySource: storage.KeySource.Microsoft_Storage,
        services: { blob: { enabled: true, keyType: storage.KeyType.Account } },
    },
});

// The vault: recoverable, RBAC-authorized, private.
const vault = new keyvault.Vault("orders-kv", {
    vaultName: "orders-kv",
    resourceGroupName: rg.name,
    properties: {
        tenantId,
        sku: { family: keyvault.SkuFamily.A, name: keyvault.SkuName.Standard },
        enableSoftDelete: true,
        softDeleteRetentionInDays: 90,
        enablePurgeProtection: true,
        enableRbacAuthorization: true,
        publicNetworkAccess: "Disabled",
        networkAcls: { defaultAction: keyvault.NetworkRuleAction.Deny, bypass: keyvault.NetworkRuleBypassOptions.AzureServices },
    },
});

// The database password lives in the vault, with an expiry date.
new keyvault.Secret("db-password", {
    resourceGroupName: rg.name,
    vaultName: vault.name,
    secretName: "db-password",
    properties: {
        value: pulumi.secret("correct-horse-battery-staple"),
        contentType: "text/plain",
        attributes: { enabled: true, expires: 1830297600 },
    },
});

const plan = new web.AppServicePlan("orders-plan", {
    resourceGroupName: rg.name,
    kind: "elastic",
    reserved: true,
    maximumElasticWorkerCount: 20,
    sku: { name: "EP1", tier: "ElasticPremium" },
});

// The orders queue the app's Service Bus trigger reads through an identity-based connection: no SAS
// keys (Microsoft Entra ID only), TLS 1.2, reachable only through a private endpoint, and expired
// messages are dead-lettered.
const bus = new servicebus.Namespace("orders-bus", {
    namespaceName: "orders-bus",
    resourceGroupName: rg.name,
    sku: { name: servicebus.SkuName.Premium, tier: servicebus.SkuTier.Premium, capacity: 1 },
    premiumMessagingPartitions: 1,
    disableLocalAuth: true,
    publicNetworkAccess: servicebus.PublicNetworkAccess.Disabled,
    minimumTlsVersion: servicebus.TlsVersion.TlsVersion_1_2,
});

const app = new web.WebApp("orders-api", {
    resourceGroupName: rg.name,
    kind: "functionapp,linux",
    serverFarmId: plan.id, // unknown during preview
    httpsOnly: true,
    publicNetworkAccess: "Disabled",
    identity: { type: web.ManagedServiceIdentityType.SystemAssigned },
    siteConfig: {
        linuxFxVersion: "Node|24",
        minTlsVersion: web.SupportedTlsVersions.SupportedTlsVersions_1_2,
        scmMinTlsVersion: web.SupportedTlsVersions.SupportedTlsVersions_1_2,
        ftpsState: web.FtpsState.Disabled,
        remoteDebuggingEnabled: false,
        http20Enabled: true,
        functionAppScaleLimit: 20,
        cors: { allowedOrigins: ["https://shop.example.com"] },
    },
});

// The app's settings, in their own resource (it holds the app's whole set): @pulumi/azure-native passes
// siteConfig through one apply, so a value computed from another resource there (the namespace's host
// name below) would make the whole siteConfig unknown during preview, and every check of it would wait.
new web.WebAppApplicationSettings("orders-api-settings", {
    name: app.name, // unknown during preview
    resourceGroupName: rg.name,
    properties: {
        FUNCTIONS_EXTENSION_VERSION: "~4",
        FUNCTIONS_WORKER_RUNTIME: "node",
        AzureWebJobsStorage__accountName: "ordersfnstore",
        AzureWebJobsStorage__credential: "managedidentity",
        APPLICATIONINSIGHTS_CONNECTION_STRING: "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/",
        DB_PASSWORD: "@Microsoft.KeyVault(SecretUri=https://orders-kv.vault.azure.net/secrets/db-password/)",
        // The queue trigger's identity-based connection: the namespace orders-bus, by its host name
        // (unknown during preview, computed from the namespace's name).
        OrdersQueue__fullyQualifiedNamespace: pulumi.interpolate`${bus.name}.servicebus.windows.net`,
    },
});

// Publishing needs Microsoft Entra ID: no basic-auth FTP or Kudu.
new web.WebAppFtpAllowed("orders-api-ftp", { name: app.name, resourceGroupName: rg.name, allow: false });
new web.WebAppScmAllowed("orders-api-scm", { name: app.name, resourceGroupName: rg.name, allow: false });

// The app's identity may read the vault's secrets, and nothing more.
new authorization.RoleAssignment("orders-api-secrets", {
    principalId: app.identity.apply(i => i?.principalId ?? ""), // unknown during preview
    principalType: authorization.PrincipalType.ServicePrincipal,
    roleDefinitionId: keyVaultSecretsUser,
    scope: vault.id, // unknown during preview
});

// Execution and HTTP logs go to a Log Analytics workspace, where they are kept for 90 days.
const logs = new operationalinsights.Workspace("orders-logs", {
    resourceGroupName: rg.name,
    sku: { name: operationalinsights.WorkspaceSkuNameEnum.PerGB2018 },
    retentionInDays: 90,
});
new monitor.DiagnosticSetting("orders-api-diagnostics", {
    resourceUri: app.id, // unknown during preview
    workspaceId: logs.id,
    logs: [{ category: "FunctionAppLogs", enabled: true }, { category: "AppServiceHTTPLogs", enabled: true }],
});

// Its orders queue, declared with the namespace above.
new servicebus.Queue("orders-queue", {
    queueName: "orders",
    namespaceName: bus.name, // unknown during preview
    resourceGroupName: rg.name,
    defaultMessageTimeToLive: "P1D",
    deadLetteringOnMessageExpiration: true,
});
// The app's identity may receive from the namespace (Azure Service Bus Data Receiver), and nothing more.
new authorization.RoleAssignment("orders-api-bus-receiver", {
    principalId: app.identity.apply(i => i?.principalId ?? ""), // unknown during preview
    principalType: authorization.PrincipalType.ServicePrincipal,
    roleDefinitionId: `/subscriptions/${subscription}/providers/Microsoft.Authorization/roleDefinitions/4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0`,
    scope: bus.id, // unknown during preview
});

export const appName = app.name;

// ---------------------------------------------------------------------------------------------
// Front doors: Azure Functions on Container Apps, HTTPS only, callers signed in with Entra ID, its
// password a Key Vault-backed secret; API Management in front of the function app, HTTPS only,
// validating Entra ID tokens, the function key a Key Vault reference, the backend's certificate checked.
import * as containerapp from "@pulumi/azure-native/app";
import * as apimanagement from "@pulumi/azure-native/apimanagement";

const ordersAca = new containerapp.ContainerApp("orders-aca", {
    resourceGroupName: rg.name,
    kind: "functionapp",
    managedEnvironmentId: `/subscriptions/${subscription}/resourceGroups/orders-rg/providers/Microsoft.App/managedEnvironments/orders-env`,
    identity: { type: "SystemAssigned" },
    configuration: {
        ingress: { external: true, allowInsecure: false, targetPort: 80 },
        secrets: [{ name: "db-password", keyVaultUrl: "https://orders-kv.vault.azure.net/secrets/db-password", identity: "system" }],
    },
    template: {
        containers: [{
            name: "orders",
            image: "ordersacr.azurecr.io/orders-fn:1.0.0",
            env: [{ name: "DB_PASSWORD", secretRef: "db-password" }],
        }],
    },
});
// Callers of the container app's external ingress sign in with Entra ID before any function runs
// (unauthenticated requests get 401).
new containerapp.ContainerAppsAuthConfig("orders-aca-auth", {
    resourceGroupName: rg.name,
    containerAppName: ordersAca.name,
    authConfigName: "current",
    platform: { enabled: true },
    identityProviders: {
        azureActiveDirectory: {
            enabled: true,
            registration: { clientId: "11111111-1111-1111-1111-111111111111", openIdIssuer: "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0" },
        },
    },
    globalValidation: { unauthenticatedClientAction: "Return401" },
});
const apimService = "orders-apim";
const ordersApi = new apimanagement.Api("orders-apim-api", {
    resourceGroupName: rg.name,
    serviceName: apimService,
    apiId: "orders",
    displayName: "Orders",
    path: "orders",
    protocols: ["https"],
    subscriptionRequired: false,
    serviceUrl: "https://orders-api.azurewebsites.net/api",
});
new apimanagement.ApiPolicy("orders-apim-api-policy", {
    resourceGroupName: rg.name,
    serviceName: apimService,
    apiId: ordersApi.name, // unknown during preview
    policyId: "policy",
    format: "rawxml",
    value: [
        "<policies><inbound><base />",
        `<validate-azure-ad-token tenant-id="${tenantId}"><client-application-ids><application-id>22222222-3333-4444-5555-666666666666</application-id></client-application-ids></validate-azure-ad-token>`,
        "<set-header name=\"x-functions-key\" exists-action=\"override\"><value>{{orders-fn-key}}</value></set-header>",
        "</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>",
    ].join(""),
});
new apimanagement.NamedValue("orders-fn-key", {
    resourceGroupName: rg.name,
    serviceName: apimService,
    namedValueId: "orders-fn-key",
    displayName: "orders-fn-key",
    secret: true,
    keyVault: { secretIdentifier: "https://orders-kv.vault.azure.net/secrets/orders-fn-key" },
});
new apimanagement.Backend("orders-fn-backend", {
    resourceGroupName: rg.name,
    serviceName: apimService,
    backendId: "orders-fn",
    protocol: "http",
    url: "https://orders-api.azurewebsites.net/api",
    tls: { validateCertificateChain: true, validateCertificateName: true },
});
