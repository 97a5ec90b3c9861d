// The classic provider's legacy FunctionApp and FunctionAppSlot (azurerm_function_app): the function-app
// policies read them through their own adapter (siteConfig.minTlsVersion, `version` defaulting to "~1",
// FUNCTIONS_WORKER_RUNTIME with WEBSITE_NODE_DEFAULT_VERSION or siteConfig.linuxFxVersion, authSettings
// v1, osType, appServicePlanId). A hardened legacy app passes every policy but the storage key its type
// can't do without; the app the HttpEventSubscription helper creates fails the ones it should.
import * as assert from "assert";
import { definitions } from "../../../policies/registry";
import { check, checkStack, remediate, TestResource } from "../../support/harness";
import { expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import * as fxc from "../../fixtures/azure-classic";
import { secret, UNKNOWN } from "../../../runner/wire";

const TODAY = { evaluationDate: "2026-11-28" };
// The engine's signatures of assets and archives on the wire (@pulumi/pulumi runtime/rpc).
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const LEGACY_PLAN = "azure:appservice/plan:Plan";
const urnOf = (r: TestResource) => r.urn ?? `urn:pulumi:test::test::${r.type}::${r.name ?? "test"}`;

/** The app as the classic HttpEventSubscription helper declares it (pulumi/examples classic-azure-ts-api-management). */
const helperApp: TestResource = {
    type: "azure:appservice/functionApp:FunctionApp",
    name: "greeting-func",
    props: {
        resourceGroupName: "rg",
        appServicePlanId: UNKNOWN,
        storageAccountName: "greetingfunc",
        storageAccountAccessKey: secret("uOqQEp2Gi1sSbpcQisEbr3FzbdRKtxm2WywDa9VsVCQ="),
        version: "~4",
        appSettings: { FUNCTIONS_WORKER_RUNTIME: "node", WEBSITE_NODE_DEFAULT_VERSION: "~14", WEBSITE_RUN_FROM_PACKAGE: UNKNOWN },
    },
};

/** A legacy App Service plan, and the app with appServicePlanId computed from it. */
function onPlan(app: TestResource, plan: Record<string, unknown>): TestResource[] {
    const planResource: TestResource = { type: LEGACY_PLAN, name: `${app.name}-plan`, props: plan };
    return [planResource, { ...app, props: { ...app.props, appServicePlanId: UNKNOWN }, propertyDependencies: { appServicePlanId: [urnOf(planResource)] } }];
}
const WINDOWS_CONSUMPTION = { resourceGroupName: "rg", kind: "FunctionApp", sku: { size: "Y1", tier: "Dynamic" } };
const LINUX_CONSUMPTION = { resourceGroupName: "rg", kind: "Linux", reserved: true, sku: { size: "Y1", tier: "Dynamic" } };
const LINUX_PREMIUM = { resourceGroupName: "rg", kind: "elastic", reserved: true, sku: { size: "EP1", tier: "ElasticPremium" } };

const LEGACY_TYPES = ["azure:appservice/functionApp:FunctionApp", "azure:appservice/functionAppSlot:FunctionAppSlot"];
const resourcePolicies = (type: string) => definitions.filter(d => d.kind === "resource" && d.resourceTypes.includes(type)).map(d => d.meta.name);

describe("azure classic legacy FunctionApp and FunctionAppSlot", () => {
    it("are checked by the function-app policies that have a setting to read on them", () => {
        for (const type of LEGACY_TYPES) {
            const names = resourcePolicies(type);
            for (const expected of ["azure-functionapp-https-only", "azure-functionapp-min-tls", "azure-functionapp-ftps", "azure-functionapp-extension-version",
                "azure-functionapp-runtime-deprecated", "azure-functionapp-auth-required", "azure-functionapp-plaintext-secret", "azure-functionapp-storage-identity"]) {
                assert.ok(names.includes(expected), `${expected} doesn't check ${type}`);
            }
        }
    });

    it("report nothing hardened but the account key their type needs for host storage", () => {
        for (const fixture of fxc.legacy) {
            for (const name of resourcePolicies(fixture.type)) {
                const out = check(name, fixture, /runtime-deprecated/.test(name) ? { config: TODAY } : {});
                assert.strictEqual(out.unknown, undefined, `${name} stopped on an unknown value`);
                if (name === "azure-functionapp-storage-identity") {
                    expectViolation(out, /storageAccountAccessKey is set: this legacy app type reaches its host storage only with an account key; move to LinuxFunctionApp or WindowsFunctionApp/, "advisory");
                } else {
                    assert.deepStrictEqual(out.violations.map(v => v.message), [], name);
                }
            }
        }
    });

    describe("the app the HttpEventSubscription helper creates", () => {
        it("answers plain HTTP (httpsOnly defaults to false) and is remediated on httpsOnly", () => {
            expectViolation(check("azure-functionapp-https-only", helperApp), /httpsOnly is not true/, "mandatory");
            assert.strictEqual(remediate("azure-functionapp-https-only", helperApp)!.httpsOnly, true);
        });
        it("runs Node 14, out of support, read from FUNCTIONS_WORKER_RUNTIME and WEBSITE_NODE_DEFAULT_VERSION", () => {
            expectViolation(check("azure-functionapp-runtime-deprecated", helperApp, { config: TODAY }),
                /FUNCTIONS_WORKER_RUNTIME with WEBSITE_NODE_DEFAULT_VERSION selects node:14, out of support since 2024-06-30; move to node:/, "mandatory");
            expectPass(check("azure-functionapp-runtime-deprecated", fxc.legacyFunctionApp, { config: TODAY }));
        });
        it("allows plain FTP on Windows (ftpsState defaults to AllAllowed); on Linux the plan decides", async () => {
            expectViolation(check("azure-functionapp-ftps", helperApp), /siteConfig\.ftpsState is not set, so plain FTP is allowed/, "mandatory");
            const linux = mutate(helperApp, f => { f.props.osType = "linux"; });
            expectUnknown(await checkStack("azure-functionapp-ftps", [linux]));
            expectPass(await checkStack("azure-functionapp-ftps", onPlan(linux, LINUX_CONSUMPTION)));
            expectViolation(await checkStack("azure-functionapp-ftps", onPlan(linux, LINUX_PREMIUM)), /siteConfig\.ftpsState is not set/);
            assert.strictEqual((remediate("azure-functionapp-ftps", helperApp) as any).siteConfig.ftpsState, "Disabled");
        });
        it("has no HTTP/2, no identity, no Application Insights, no access restriction", () => {
            expectViolation(check("azure-functionapp-http2", helperApp), /siteConfig\.http2Enabled is not true/);
            expectViolation(check("azure-functionapp-managed-identity", helperApp), /identity\.type is not set/);
            expectViolation(check("azure-functionapp-app-insights", helperApp), /no APPLICATIONINSIGHTS_CONNECTION_STRING or APPINSIGHTS_INSTRUMENTATIONKEY in appSettings/);
            expectViolation(check("azure-functionapp-public-network", helperApp), /siteConfig\.ipRestrictions doesn't limit callers and this legacy app type has no setting that switches public network access off: every function is reachable from the internet; restrict access, or tag/, "advisory");
        });
        it("reaches its host storage with the account key", () => {
            expectViolation(check("azure-functionapp-storage-identity", helperApp), /storageAccountAccessKey is set/, "advisory");
        });
        it("runs host 4 (version \"~4\") and leaves TLS at the default 1.2", () => {
            expectPass(check("azure-functionapp-extension-version", helperApp));
            expectPass(check("azure-functionapp-min-tls", helperApp));
        });
        it("has no authSettings: App Service authentication is not configured", () => {
            expectNotApplicable(check("azure-functionapp-auth-required", helperApp), /no authSettings block/);
        });
        it("caps nothing on Windows Consumption: 200 instances", async () => {
            expectViolation(await checkStack("azure-functionapp-scale-limit", onPlan(helperApp, WINDOWS_CONSUMPTION)), /siteConfig\.appScaleLimit is not set, so the app scales out to the Windows Consumption maximum of 200/);
        });
    });

    describe("the code package the helpers upload (a Blob whose source archive holds host.json and <function>/function.json)", () => {
        const name = "azure-functionapp-function-anonymous";
        const text = (t: string) => ({ [SIG_KEY]: ASSET_SIG, text: t });
        const binding = (authLevel: string) => JSON.stringify({ disabled: false, bindings: [{ authLevel, type: "httpTrigger", direction: "in", name: "req" }, { type: "http", direction: "out", name: "$return" }] });
        const blob = (files: Record<string, string>): TestResource => ({
            type: "azure:storage/blob:Blob", name: "greeting-func",
            props: {
                storageAccountName: "greetingfunc", storageContainerName: "greeting-func", type: "Block",
                source: { [SIG_KEY]: ARCHIVE_SIG, assets: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, text(v)])) },
            },
        });
        const HOST = '{"version":"2.0"}';
        const anonymous = blob({ "host.json": HOST, "greeting-func/function.json": binding("anonymous"), "greeting-func/index.js": "module.exports = require(\"./handler\").handler" });
        it("flags an anonymous HTTP trigger in the package (HttpEventSubscription writes authLevel \"anonymous\")", () => {
            expectViolation(check(name, anonymous), /source\["greeting-func\/function\.json"\]\.bindings\[0\] is an httpTrigger with authLevel "anonymous"/, "mandatory");
        });
        it("reads every function of a package, and honours the allow-list by function folder", () => {
            const two = blob({ "host.json": HOST, "AddUrl/function.json": binding("anonymous"), "GetUrl/function.json": binding("anonymous") });
            assert.strictEqual(check(name, two).violations.length, 1);
            assert.match(check(name, two).violations[0].message, /AddUrl\/function\.json[\s\S]*GetUrl\/function\.json/);
            expectViolation(check(name, two, { config: { allowedAnonymousFunctions: ["GetUrl"] } }), /AddUrl/);
            expectPass(check(name, two, { config: { allowedAnonymousFunctions: ["GetUrl", "AddUrl"] } }));
        });
        it("passes function-level keys", () => {
            expectPass(check(name, blob({ "host.json": HOST, "greeting-func/function.json": binding("function") })));
        });
        it("declares other blobs not applicable: no host.json, or no inline archive", () => {
            expectNotApplicable(check(name, blob({ "greeting-func/function.json": binding("anonymous") })), /not an Azure Functions code package/);
            expectNotApplicable(check(name, mutate(anonymous, f => { f.props.source = { [SIG_KEY]: ARCHIVE_SIG, path: "./app.zip" }; })), /not an Azure Functions code package/);
            expectNotApplicable(check(name, mutate(anonymous, f => { delete f.props.source; f.props.sourceContent = "hello"; })));
        });
        it("waits while the source is unknown", () => expectUnknown(check(name, mutate(anonymous, f => { f.props.source = UNKNOWN; }))));
    });

    describe("settings of their own", () => {
        it("take host ~1 when version is unset, and name an old host", () => {
            expectViolation(check("azure-functionapp-extension-version", mutate(fxc.legacyFunctionApp, f => { delete f.props.version; })),
                /version is not set, so the provider's default "~1" selects host 1\.x: set it to "~4"/, "mandatory");
            expectViolation(check("azure-functionapp-extension-version", mutate(fxc.legacyFunctionApp, f => { f.props.version = "~3"; })), /version is not "~4" \(`~3`\)/);
            expectUnknown(check("azure-functionapp-extension-version", mutate(fxc.legacyFunctionApp, f => { f.props.version = UNKNOWN; })));
        });
        it("read TLS from siteConfig.minTlsVersion", () => {
            const weak = mutate(fxc.legacyFunctionApp, f => { f.props.siteConfig.minTlsVersion = "1.0"; });
            expectViolation(check("azure-functionapp-min-tls", weak), /siteConfig\.minTlsVersion is `1\.0`/);
            assert.strictEqual((remediate("azure-functionapp-min-tls", weak) as any).siteConfig.minTlsVersion, "1.2");
        });
        it("read a Linux slot's stack from siteConfig.linuxFxVersion", () => {
            const old = mutate(fxc.legacyFunctionAppSlot, f => { f.props.siteConfig.linuxFxVersion = "node|14"; });
            expectViolation(check("azure-functionapp-runtime-deprecated", old, { config: TODAY }), /siteConfig\.linuxFxVersion selects node:14/);
            expectPass(check("azure-functionapp-runtime-deprecated", mutate(fxc.legacyFunctionAppSlot, f => { f.props.siteConfig.linuxFxVersion = "DOCKER|orders:1"; }), { config: TODAY }));
        });
        it("read a Java or .NET app's version from siteConfig.javaVersion or dotnetFrameworkVersion", () => {
            const java = mutate(fxc.legacyFunctionApp, f => { f.props.appSettings.FUNCTIONS_WORKER_RUNTIME = "java"; f.props.siteConfig.javaVersion = "17"; });
            expectPass(check("azure-functionapp-runtime-deprecated", java, { config: TODAY }));
            const dotnet = mutate(fxc.legacyFunctionApp, f => { f.props.appSettings.FUNCTIONS_WORKER_RUNTIME = "dotnet"; f.props.siteConfig.dotnetFrameworkVersion = "v6.0"; });
            expectViolation(check("azure-functionapp-runtime-deprecated", dotnet, { config: TODAY }), /FUNCTIONS_WORKER_RUNTIME with siteConfig\.dotnetFrameworkVersion selects dotnet:6, out of support since 2024-11-12/);
        });
        it("judge authentication v1: off, anonymous, the action unset (advisory)", () => {
            const name = "azure-functionapp-auth-required";
            expectViolation(check(name, mutate(fxc.legacyFunctionApp, f => { f.props.authSettings.enabled = false; })), /authSettings\.enabled is not true/, "mandatory");
            expectViolation(check(name, mutate(fxc.legacyFunctionApp, f => { f.props.authSettings.unauthenticatedClientAction = "AllowAnonymous"; })),
                /authSettings\.unauthenticatedClientAction is "AllowAnonymous": unauthenticated requests reach the functions; use "RedirectToLoginPage"/, "mandatory");
            expectViolation(check(name, mutate(fxc.legacyFunctionApp, f => { delete f.props.authSettings.unauthenticatedClientAction; })),
                /authSettings\.unauthenticatedClientAction is not set: authentication v1 leaves/, "advisory");
            expectViolation(check(name, mutate(fxc.legacyFunctionApp, f => { f.props.authSettings.unauthenticatedClientAction = ""; })), /unauthenticatedClientAction is not set/, "advisory");
            expectNotApplicable(check(name, mutate(fxc.legacyFunctionApp, f => { f.props.authSettings = { enabled: false, unauthenticatedClientAction: "" }; })), /authSettings neither turns App Service authentication on/);
            expectUnknown(check(name, mutate(fxc.legacyFunctionApp, f => { f.props.authSettings = UNKNOWN; })));
        });
        it("find secrets in appSettings and connectionStrings", () => {
            const name = "azure-functionapp-plaintext-secret";
            expectViolation(check(name, mutate(fxc.legacyFunctionApp, f => { f.props.appSettings.DB_PASSWORD = "hunter2-prod-pw"; })), /app setting `DB_PASSWORD` \(appSettings\) holds a secret/);
            expectViolation(check(name, mutate(fxc.legacyFunctionAppSlot, f => { f.props.connectionStrings[0].value = "Server=tcp:x;Password=Pr0d-Sql-Pass!;"; })), /connection string `OrdersDb` \(connectionStrings\[0\]\) holds a secret/);
        });
        it("read ipRestrictions, CORS and the scale limit", () => {
            expectViolation(check("azure-functionapp-public-network", mutate(fxc.legacyFunctionApp, f => { f.props.siteConfig.ipRestrictions = [{ action: "Allow", ipAddress: "0.0.0.0/0" }]; })), /siteConfig\.ipRestrictions doesn't limit callers/);
            expectViolation(check("azure-functionapp-cors", mutate(fxc.legacyFunctionApp, f => { f.props.siteConfig.cors.allowedOrigins = ["*"]; })), /siteConfig\.cors\.allowedOrigins contains "\*"/);
        });
        it("let the plan tell the OS while osType is unknown", async () => {
            const unknownOs = mutate(helperApp, f => { f.props.osType = UNKNOWN; });
            expectViolation(await checkStack("azure-functionapp-ftps", onPlan(unknownOs, WINDOWS_CONSUMPTION)), /siteConfig\.ftpsState is not set/);
            expectPass(await checkStack("azure-functionapp-ftps", onPlan(unknownOs, LINUX_CONSUMPTION)));
        });
    });
});
