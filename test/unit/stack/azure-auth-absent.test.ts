// stack-azure-functionapp-auth-absent: function apps with HTTP functions and no App Service
// authentication configured at all, linked the way the engine links them during preview.
import { checkStack, TestResource } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";

const name = "stack-azure-functionapp-auth-absent";
const urn = (type: string, n: string) => `urn:pulumi:dev::orders::${type}::${n}`;
const APP = "azure-native:web:WebApp";
const FN = "azure-native:web:WebAppFunction";
const AUTH = "azure-native:web:WebAppAuthSettingsV2";
const CLASSIC_APP = "azure:appservice/linuxFunctionApp:LinuxFunctionApp";
const CLASSIC_FN = "azure:appservice/functionAppFunction:FunctionAppFunction";

function res(type: string, n: string, props: Record<string, unknown>, deps: Record<string, [string, string][]> = {}): TestResource {
    return { type, name: n, urn: urn(type, n), props, propertyDependencies: Object.fromEntries(Object.entries(deps).map(([k, refs]) => [k, refs.map(([t, r]) => urn(t, r))])) };
}

const app = (kind: unknown = "functionapp,linux") => res(APP, "api", { resourceGroupName: "orders-rg", kind, name: "api-fn" });
const fn = (n: string, level: unknown, type: unknown = "httpTrigger") => res(FN, n, {
    name: UNKNOWN, resourceGroupName: "orders-rg", functionName: n, config: { bindings: [{ type, direction: "in", name: "req", authLevel: level }] },
}, { name: [[APP, "api"]] });
const auth = res(AUTH, "api-auth", { name: UNKNOWN, platform: { enabled: false } }, { name: [[APP, "api"]] });

describe(name, () => {
    it("flags an app whose HTTP functions rely on function keys with no App Service authentication, advisory", async () => {
        expectViolation(await checkStack(name, [app(), fn("create", "function"), fn("list", "function")]),
            /function app `api` serves HTTP functions `create` and `list` with no App Service authentication configured/, "advisory");
    });
    it("passes an app with WebAppAuthSettingsV2 (its settings are checked by azure-functionapp-auth-required)", async () => {
        expectPass(await checkStack(name, [app(), fn("create", "function"), auth]));
    });
    it("leaves apps with anonymous HTTP functions to azure-functionapp-function-anonymous, and apps without HTTP functions alone", async () => {
        expectPass(await checkStack(name, [app(), fn("create", "function"), fn("hook", "anonymous")]));
        expectPass(await checkStack(name, [app(), fn("drain", undefined, "queueTrigger")]));
        expectPass(await checkStack(name, [app()]));
        expectPass(await checkStack(name, [res(APP, "web", { kind: "app,linux", name: "web" })]));
    });
    it("reads classic apps' authSettingsV2 and JSON function configs", async () => {
        const classic = (extra: Record<string, unknown> = {}) => res(CLASSIC_APP, "orders-fn", { name: "orders-fn", resourceGroupName: "orders-rg", ...extra });
        const classicFn = res(CLASSIC_FN, "create", { name: "create", functionAppId: UNKNOWN, configJson: JSON.stringify({ bindings: [{ type: "httpTrigger", authLevel: "function" }] }) },
            { functionAppId: [[CLASSIC_APP, "orders-fn"]] });
        expectViolation(await checkStack(name, [classic(), classicFn]), /function app `orders-fn` serves HTTP function `create`/);
        expectPass(await checkStack(name, [classic({ authSettingsV2: { authEnabled: true, requireAuthentication: true } }), classicFn]));
    });
    it("takes the authSettingsV2 block a classic app is read back with (authentication off, no identity provider) for no configuration", async () => {
        const classic = (authSettingsV2: unknown) => res(CLASSIC_APP, "orders-fn", { name: "orders-fn", resourceGroupName: "orders-rg", authSettingsV2 });
        const classicFn = res(CLASSIC_FN, "create", { name: "create", functionAppId: UNKNOWN, configJson: JSON.stringify({ bindings: [{ type: "httpTrigger", authLevel: "function" }] }) },
            { functionAppId: [[CLASSIC_APP, "orders-fn"]] });
        const readBack = { authEnabled: false, requireAuthentication: false, unauthenticatedAction: "RedirectToLoginPage", runtimeVersion: "~1", login: { tokenStoreEnabled: false } };
        expectViolation(await checkStack(name, [classic(readBack), classicFn]), /function app `orders-fn` serves HTTP function `create` with no App Service authentication configured/);
        // Configured but switched off (an identity provider named): azure-functionapp-auth-required reports it.
        expectPass(await checkStack(name, [classic({ ...readBack, activeDirectoryV2: { clientId: "6f1c3f52-0d3e-4a40-9a57-0c1e1f6f9a11" } }), classicFn]));
        expectUnknown(await checkStack(name, [classic(UNKNOWN), classicFn]));
        expectUnknown(await checkStack(name, [classic({ ...readBack, authEnabled: UNKNOWN }), classicFn]));
    });
    it("reads the legacy FunctionApp's authSettings (v1) and names that block", async () => {
        const LEGACY_APP = "azure:appservice/functionApp:FunctionApp";
        const legacy = (extra: Record<string, unknown> = {}) => res(LEGACY_APP, "greet-fn", { name: "greet-fn", resourceGroupName: "orders-rg", ...extra });
        const legacyFn = res(CLASSIC_FN, "hello", { name: "hello", functionAppId: UNKNOWN, configJson: JSON.stringify({ bindings: [{ type: "httpTrigger", authLevel: "function" }] }) },
            { functionAppId: [[LEGACY_APP, "greet-fn"]] });
        expectViolation(await checkStack(name, [legacy(), legacyFn]), /function app `greet-fn` serves HTTP function `hello` with no App Service authentication configured[\s\S]*an authSettings block/);
        expectViolation(await checkStack(name, [legacy({ authSettings: { enabled: false, unauthenticatedClientAction: "" } }), legacyFn]), /serves HTTP function `hello`/);
        expectPass(await checkStack(name, [legacy({ authSettings: { enabled: true, activeDirectory: { clientId: "6f1c3f52-0d3e-4a40-9a57-0c1e1f6f9a11" } } }), legacyFn]));
    });
    it("waits on unknown bindings and an unknown kind", async () => {
        expectUnknown(await checkStack(name, [app(), fn("create", UNKNOWN)]));
        expectUnknown(await checkStack(name, [app(UNKNOWN), fn("create", "function")]));
    });

    describe("Azure Functions on Container Apps", () => {
        const ACA = "azure-native:app:ContainerApp";
        const ACA_AUTH = "azure-native:app:ContainerAppsAuthConfig";
        const aca = (ingress: unknown = { external: true, allowInsecure: false, targetPort: 80 }, kind: unknown = "functionapp") =>
            res(ACA, "orders-aca", { resourceGroupName: "orders-rg", containerAppName: "orders-aca", kind, configuration: { ingress } });
        const acaAuth = (extra: Record<string, unknown> = {}) => res(ACA_AUTH, "orders-aca-auth", {
            resourceGroupName: "orders-rg", containerAppName: UNKNOWN, authConfigName: "current",
            platform: { enabled: true }, identityProviders: { azureActiveDirectory: { registration: { clientId: "6f1c3f52-0d3e-4a40-9a57-0c1e1f6f9a11" } } },
            globalValidation: { unauthenticatedClientAction: "Return401" }, ...extra,
        }, { containerAppName: [[ACA, "orders-aca"]] });

        it("flags a function container app on an external ingress with no ContainerAppsAuthConfig, advisory", async () => {
            expectViolation(await checkStack(name, [aca()]),
                /container app `orders-aca` hosts Azure Functions \(kind functionapp\) on an external ingress with no ContainerAppsAuthConfig: [\s\S]*add a ContainerAppsAuthConfig with an identity provider[\s\S]*make the ingress internal/, "advisory");
        });
        it("flags an auth config that requires nothing: platform off, no identity provider, or AllowAnonymous", async () => {
            expectViolation(await checkStack(name, [aca(), acaAuth({ platform: { enabled: false } })]), /ContainerAppsAuthConfig `orders-aca-auth`, which doesn't require authentication/);
            expectViolation(await checkStack(name, [aca(), acaAuth({ identityProviders: {} })]), /which doesn't require authentication/);
            expectViolation(await checkStack(name, [aca(), acaAuth({ identityProviders: { azureActiveDirectory: { enabled: false } } })]), /which doesn't require authentication/);
            expectViolation(await checkStack(name, [aca(), acaAuth({ globalValidation: { unauthenticatedClientAction: "AllowAnonymous" } })]), /which doesn't require authentication/);
        });
        it("passes with a ContainerAppsAuthConfig enabling an identity provider, linked by dependency, by name or by ARM id", async () => {
            expectPass(await checkStack(name, [aca(), acaAuth()]));
            expectPass(await checkStack(name, [aca(), res(ACA_AUTH, "by-name", { resourceGroupName: "orders-rg", containerAppName: "orders-aca", platform: { enabled: true },
                identityProviders: { customOpenIdConnectProviders: { corp: { registration: { clientId: "orders" } } } } })]));
            // Read back from Azure: nothing names the app but the config's id.
            const readBack = res(ACA, "orders-aca", { name: "orders-aca", id: "/subscriptions/9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/resourceGroups/orders-rg/providers/Microsoft.App/containerApps/orders-aca", kind: "functionapp", configuration: { ingress: { external: true } } });
            const byId = (id: string) => res(ACA_AUTH, "current", { name: "current", id, platform: { enabled: true }, identityProviders: { gitHub: { registration: { clientId: "orders" } } } });
            expectPass(await checkStack(name, [readBack, byId("/subscriptions/9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/resourceGroups/orders-rg/providers/Microsoft.App/containerApps/orders-aca/authConfigs/current")]));
            expectViolation(await checkStack(name, [readBack, byId("/subscriptions/9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d/resourceGroups/orders-rg/providers/Microsoft.App/containerApps/orders-aca-old/authConfigs/current")]), /with no ContainerAppsAuthConfig/);
        });
        it("passes an internal or TCP ingress, no ingress, and a container app of another kind", async () => {
            expectPass(await checkStack(name, [aca({ external: false, targetPort: 80 })]));
            expectPass(await checkStack(name, [aca({ external: true, transport: "tcp", targetPort: 5432 })]));
            expectPass(await checkStack(name, [res(ACA, "worker", { resourceGroupName: "orders-rg", kind: "functionapp", configuration: {} })]));
            expectPass(await checkStack(name, [aca(undefined, "workflowapp")]));
            expectPass(await checkStack(name, [res(ACA, "site", { resourceGroupName: "orders-rg", configuration: { ingress: { external: true, targetPort: 80 } } })]));
        });
        it("waits on an unknown kind, ingress or auth config, never guessing", async () => {
            expectUnknown(await checkStack(name, [aca(undefined, UNKNOWN)]));
            expectUnknown(await checkStack(name, [aca(UNKNOWN)]));
            expectUnknown(await checkStack(name, [aca({ external: UNKNOWN, targetPort: 80 })]));
            expectUnknown(await checkStack(name, [aca(), acaAuth({ platform: UNKNOWN })]));
            expectUnknown(await checkStack(name, [aca(), acaAuth({ identityProviders: UNKNOWN })]));
            expectUnknown(await checkStack(name, [aca(), acaAuth({ globalValidation: { unauthenticatedClientAction: UNKNOWN } })]));
            // A config whose container app is computed and linked by nothing yet.
            expectUnknown(await checkStack(name, [aca(), { ...acaAuth(), propertyDependencies: {} }]));
        });
    });
});
