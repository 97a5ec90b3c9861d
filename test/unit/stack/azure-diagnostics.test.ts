// Function apps and the Azure Monitor diagnostic settings that export their logs, linked through
// propertyDependencies (the app's id is unknown during preview) or a known resource id.
import * as assert from "assert";
import { checkStack, TestResource } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import { DIAGNOSTIC_SETTING } from "../../../policies/stack/azure-diagnostics";

const APP = "azure-native:web:WebApp";
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
    it("links a type token that azure-native defines", () => {
        assert.strictEqual(require("@pulumi/azure-native").monitor.DiagnosticSetting.__pulumiType, DIAGNOSTIC_SETTING);
    });
    it("passes an app whose diagnostic setting sends its logs, linked by dependency or by a known id", async () => {
        expectPass(await checkStack(name, [app(), setting(FUNCTION_LOGS)]));
        expectPass(await checkStack(name, [app(), setting([{ categoryGroup: "allLogs", enabled: true }])]));
        const id = "/subscriptions/0000/resourceGroups/orders-rg/providers/Microsoft.Web/sites/orders-api";
        expectPass(await checkStack(name, [app(), setting([{ category: "AppServiceHTTPLogs", enabled: true }], id, false)]));
    });
    it("flags an app without a diagnostic setting", async () => {
        const out = await checkStack(name, [app()]);
        expectViolation(out, /function app `api` has no diagnostic setting, so its execution and HTTP logs are kept nowhere/, "advisory");
        assert.strictEqual(out.violations[0].urn, urn(APP, "api"));
    });
    it("flags a setting that enables no app log category", async () => {
        expectViolation(await checkStack(name, [app(), setting([{ category: "FunctionAppLogs", enabled: false }, { category: "AppServiceAuditLogs", enabled: true }])]), /none enables FunctionAppLogs/);
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
