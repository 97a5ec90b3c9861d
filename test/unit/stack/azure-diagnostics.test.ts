// Function apps and the Azure Monitor diagnostic settings that export their logs, linked through
// propertyDependencies (the app's id is unknown during preview) or a known resource id.
import * as assert from "assert";
import { checkStack, TestResource } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import { DIAGNOSTIC_SETTING, LOGS_CONFIG, LOGS_CONFIG_SLOT } from "../../../policies/model/azure";

const APP = "azure-native:web:WebApp";
const CLASSIC_APP = "azure:appservice/linuxFunctionApp:LinuxFunctionApp";
const urn = (type: string, name: string) => `urn:pulumi:dev::orders::${type}::${name}`;
const name = "stack-azure-functionapp-diagnostic-logs";

const app = (extra: Record<string, unknown> = {}): TestResource => ({
    type: APP, name: "api", urn: urn(APP, "api"),
    props: { resourceGroupName: "orders-rg", kind: "functionapp,linux", name: "orders-api", ...extra },
});
function setting(logs: unknown, resourceUri: unknown = UNKNOWN, linked = true): TestResource {
    return {
        type: DIAGNOSTIC_SETTING, name: "api-logs", urn: urn(DIAGNOSTIC_SETTING, "api-logs"),
        props: { resourceUri, workspaceId: UNKNOWN, logs },
        propertyDependencies: linked ? { resourceUri: [urn(APP, "api")] } : {},
    };
}
const FUNCTION_LOGS = [{ category: "FunctionAppLogs", enabled: true }];

describe("stack: Azure function app diagnostic logs", () => {
    it("links type tokens that azure-native defines", () => {
        const sdk = require("@pulumi/azure-native");
        assert.strictEqual(sdk.monitor.DiagnosticSetting.__pulumiType, DIAGNOSTIC_SETTING);
        assert.strictEqual(sdk.web.WebAppDiagnosticLogsConfiguration.__pulumiType, LOGS_CONFIG);
        assert.strictEqual(sdk.web.WebAppDiagnosticLogsConfigurationSlot.__pulumiType, LOGS_CONFIG_SLOT);
    });
    it("passes an app whose diagnostic setting sends its logs, linked by dependency or by a known id", async () => {
        expectPass(await checkStack(name, [app(), setting(FUNCTION_LOGS)]));
        expectPass(await checkStack(name, [app(), setting([{ categoryGroup: "allLogs", enabled: true }])]));
        const id = "/subscriptions/0000/resourceGroups/orders-rg/providers/Microsoft.Web/sites/orders-api";
        expectPass(await checkStack(name, [app(), setting([{ category: "AppServiceHTTPLogs", enabled: true }], id, false)]));
    });
    it("flags an app without a diagnostic setting", async () => {
        const out = await checkStack(name, [app()]);
        expectViolation(out, /function app `api` has no Application Insights connection and no diagnostic setting, so its execution and HTTP logs are kept nowhere/, "advisory");
        assert.strictEqual(out.violations[0].urn, urn(APP, "api"));
    });
    it("flags a setting that enables no app log category", async () => {
        expectViolation(await checkStack(name, [app(), setting([{ category: "FunctionAppLogs", enabled: false }, { category: "AppServiceAuditLogs", enabled: true }])]), /none enables FunctionAppLogs/);
    });
    describe("App Service HTTP logging", () => {
        /** The app's logs configuration (WebAppDiagnosticLogsConfiguration), linked by its known app name or by dependency. */
        const logsConfig = (httpLogs: unknown, linked = false): TestResource => ({
            type: LOGS_CONFIG, name: "api-http", urn: urn(LOGS_CONFIG, "api-http"),
            props: { resourceGroupName: "orders-rg", name: linked ? UNKNOWN : "orders-api", httpLogs },
            propertyDependencies: linked ? { name: [urn(APP, "api")] } : {},
        });
        const classic = (siteConfig: Record<string, unknown>): TestResource => ({
            type: CLASSIC_APP, name: "api", urn: urn(CLASSIC_APP, "api"),
            props: { name: "orders-api", resourceGroupName: "orders-rg", siteConfig },
        });

        it("passes HTTP logs sent to blob storage", async () => {
            expectPass(await checkStack(name, [app(), logsConfig({ azureBlobStorage: { enabled: true, sasUrl: UNKNOWN, retentionInDays: 90 } })]));
            expectPass(await checkStack(name, [app(), logsConfig({ azureBlobStorage: { enabled: true, sasUrl: UNKNOWN } }, true)]));
        });
        it("names HTTP logging to the app's own file system, which doesn't keep them (azure-native)", async () => {
            expectViolation(await checkStack(name, [app({ siteConfig: { httpLoggingEnabled: true } })]),
                /function app `api` has no Application Insights connection and no diagnostic setting, so its execution logs are kept nowhere you can review them and its HTTP logs only on its own file system \(siteConfig\.httpLoggingEnabled\), where the oldest are deleted once they fill the app's log quota/, "advisory");
            expectViolation(await checkStack(name, [app(), logsConfig({ fileSystem: { enabled: true, retentionInMb: 35 }, azureBlobStorage: { enabled: false } })]),
                /its HTTP logs only on its own file system \(WebAppDiagnosticLogsConfiguration `api-http` \(httpLogs\.fileSystem\)\)/);
            expectViolation(await checkStack(name, [app({ siteConfig: { httpLoggingEnabled: true } }), setting([{ category: "AppServiceAuditLogs", enabled: true }])]),
                /has no Application Insights connection and a diagnostic setting, but none enables FunctionAppLogs, AppServiceHTTPLogs or the allLogs group, and it keeps its HTTP logs only on its own file system \(siteConfig\.httpLoggingEnabled\)/);
        });
        it("names HTTP logging to the app's own file system (classic siteConfig.appServiceLogs)", async () => {
            expectViolation(await checkStack(name, [classic({ appServiceLogs: { diskQuotaMb: 35, retentionPeriodDays: 7 } })]),
                /function app `api` has no Application Insights connection and no diagnostic setting, so its execution logs are kept nowhere you can review them and its HTTP logs only on its own file system \(siteConfig\.appServiceLogs\)/);
            expectViolation(await checkStack(name, [classic({})]), /function app `api` has no Application Insights connection and no diagnostic setting, so its execution and HTTP logs are kept nowhere/);
        });
        it("can't decide while a logs configuration's HTTP logs are unknown", async () => {
            const out = await checkStack(name, [app(), logsConfig(UNKNOWN, true)]);
            expectUnknown(out);
            assert.deepStrictEqual(out.violations, []);
            expectUnknown(await checkStack(name, [app(), logsConfig({ azureBlobStorage: { enabled: UNKNOWN } })]));
        });
    });
    describe("Application Insights", () => {
        const SETTINGS = "azure-native:web:WebAppApplicationSettings";
        it("passes an app whose settings connect it to Application Insights (connection string or instrumentation key)", async () => {
            for (const key of ["APPLICATIONINSIGHTS_CONNECTION_STRING", "APPINSIGHTS_INSTRUMENTATIONKEY"]) {
                expectPass(await checkStack(name, [app({ siteConfig: { appSettings: [{ name: "FUNCTIONS_WORKER_RUNTIME", value: "node" }, { name: key, value: UNKNOWN }] } })]));
            }
            const settings: TestResource = {
                type: SETTINGS, name: "api-settings", urn: urn(SETTINGS, "api-settings"),
                props: { resourceGroupName: "orders-rg", name: UNKNOWN, properties: { APPLICATIONINSIGHTS_CONNECTION_STRING: UNKNOWN } },
                propertyDependencies: { name: [urn(APP, "api")] },
            };
            expectPass(await checkStack(name, [app(), settings]));
        });
        it("passes a classic app with siteConfig.applicationInsightsConnectionString or applicationInsightsKey", async () => {
            for (const key of ["applicationInsightsConnectionString", "applicationInsightsKey"]) {
                expectPass(await checkStack(name, [{ type: CLASSIC_APP, name: "api", urn: urn(CLASSIC_APP, "api"), props: { name: "orders-api", resourceGroupName: "orders-rg", siteConfig: { [key]: UNKNOWN } } }]));
            }
        });
        it("still flags the app of pulumi/examples azure-ts-functions: settings without Application Insights, no diagnostic setting", async () => {
            const appSettings = ["AzureWebJobsStorage", "FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_WORKER_RUNTIME", "WEBSITE_NODE_DEFAULT_VERSION", "WEBSITE_RUN_FROM_PACKAGE"].map(n => ({ name: n, value: UNKNOWN }));
            expectViolation(await checkStack(name, [app({ kind: "functionapp", siteConfig: { appSettings, http20Enabled: true, nodeVersion: "~14" } })]), /has no Application Insights connection and no diagnostic setting/);
        });
        it("can't decide while the app's settings are unknown", async () => {
            const out = await checkStack(name, [app({ siteConfig: UNKNOWN })]);
            expectUnknown(out);
            assert.deepStrictEqual(out.violations, []);
        });
    });
    it("leaves web apps that aren't function apps alone", async () => {
        expectPass(await checkStack(name, [app({ kind: "app,linux" })]));
    });
    it("can't decide on unknown logs or a setting whose target can't be told", async () => {
        expectUnknown(await checkStack(name, [app(), setting(UNKNOWN)]));
        expectUnknown(await checkStack(name, [app(), setting([{ category: UNKNOWN, enabled: true }])]));
        const out = await checkStack(name, [app(), setting(FUNCTION_LOGS, UNKNOWN, false)]);
        expectUnknown(out);
        assert.deepStrictEqual(out.violations, []);
    });
});
