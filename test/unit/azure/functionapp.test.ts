import * as assert from "assert";
import { check, checkStack, remediate, TestResource } from "../../support/harness";
import { expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate, expectFailedDespiteUnknown } from "../../support/expect";
import * as fx from "../../fixtures/azure";
import * as fxc from "../../fixtures/azure-classic";
import { UNKNOWN } from "../../../runner/wire";

const setting = (f: any, name: string, value: unknown) => {
    const list = f.props.siteConfig.appSettings as { name: string; value: unknown }[];
    const hit = list.find(s => s.name === name);
    if (hit) { hit.value = value; } else { list.push({ name, value }); }
};
const dropSetting = (f: any, name: string) => {
    f.props.siteConfig.appSettings = f.props.siteConfig.appSettings.filter((s: { name: string }) => s.name !== name);
};
const TODAY = { evaluationDate: "2026-11-28" };

const NATIVE_PLAN = "azure-native:web:AppServicePlan";
const CLASSIC_PLAN = "azure:appservice/servicePlan:ServicePlan";
const urnOf = (r: TestResource) => r.urn ?? `urn:pulumi:test::test::${r.type}::${r.name ?? "test"}`;
/** An App Service plan, and the app with its plan id computed from it (as `serverFarmId: plan.id` declares it). */
function onPlan(app: TestResource, plan: Record<string, unknown>, planType = NATIVE_PLAN): TestResource[] {
    const planResource: TestResource = { type: planType, name: `${app.name ?? "app"}-plan`, props: plan };
    const property = planType === NATIVE_PLAN ? "serverFarmId" : "servicePlanId";
    const linked = { ...app, props: { ...app.props, [property]: UNKNOWN }, propertyDependencies: { ...(app.propertyDependencies ?? {}), [property]: [urnOf(planResource)] } };
    return [planResource, linked];
}
// Plans of pulumi/examples azure-ts-functions-many (and azure-ts-functions, azure-py-functions).
const WINDOWS_CONSUMPTION = { resourceGroupName: "rg", sku: { name: "Y1", tier: "Dynamic" } };
const LINUX_CONSUMPTION = { resourceGroupName: "rg", kind: "Linux", sku: { name: "Y1", tier: "Dynamic" }, reserved: true };
const PREMIUM = { resourceGroupName: "rg", kind: "elastic", sku: { tier: "ElasticPremium", name: "EP1" }, maximumElasticWorkerCount: 20 };
const DEDICATED = { resourceGroupName: "rg", kind: "linux", sku: { name: "B1", tier: "Basic" }, reserved: true };
/** A function app as those programs declare it: kind "FunctionApp", settings only, nothing about FTP or scale. */
const examplesApp = (name: string): TestResource => ({
    type: "azure-native:web:WebApp", name,
    props: {
        resourceGroupName: "rg", kind: "FunctionApp", serverFarmId: UNKNOWN,
        siteConfig: { appSettings: [{ name: "FUNCTIONS_WORKER_RUNTIME", value: "python" }, { name: "FUNCTIONS_EXTENSION_VERSION", value: "~3" }] },
    },
});

describe("azure function app", () => {
    describe("applicability", () => {
        it("declares other web apps not applicable", () => {
            expectNotApplicable(check("azure-functionapp-https-only", fx.plainWebApp), /not a function app/);
            expectNotApplicable(check("azure-functionapp-ftps", fx.plainWebApp), /not a function app/);
            expectNotApplicable(check("azure-functionapp-plaintext-secret", mutate(fx.plainWebApp, f => { delete f.props.kind; })), /not a function app/);
        });
        it("checks slots and kinds with more parts", () => {
            const slot = mutate(fx.functionApp, f => { f.type = "azure-native:web:WebAppSlot"; f.props.kind = "functionapp,linux,container"; f.props.httpsOnly = false; });
            expectViolation(check("azure-functionapp-https-only", slot), /httpsOnly/);
        });
        it("can't decide on an unknown kind", () => expectUnknown(check("azure-functionapp-https-only", mutate(fx.functionApp, f => { f.props.kind = UNKNOWN; }))));
    });

    describe("azure-functionapp-https-only", () => {
        const name = "azure-functionapp-https-only";
        it("passes httpsOnly", () => expectPass(check(name, fx.functionApp)));
        it("flags a missing httpsOnly", () => expectViolation(check(name, mutate(fx.functionApp, f => { delete f.props.httpsOnly; })), /httpsOnly is not true/, "mandatory"));
        it("remediates to true", () => {
            assert.strictEqual(remediate(name, mutate(fx.functionApp, f => { f.props.httpsOnly = false; }))!.httpsOnly, true);
            assert.strictEqual(remediate(name, fx.plainWebApp), undefined);
        });
        it("can't decide on an unknown value", () => expectUnknown(check(name, mutate(fx.functionApp, f => { f.props.httpsOnly = UNKNOWN; }))));
    });

    describe("azure-functionapp-min-tls", () => {
        const name = "azure-functionapp-min-tls";
        it("passes 1.2 and 1.3, and the platform default", () => {
            expectPass(check(name, fx.functionApp));
            expectPass(check(name, fx.flexFunctionApp));
            expectPass(check(name, mutate(fx.functionApp, f => { delete f.props.siteConfig.minTlsVersion; })));
        });
        it("flags 1.0 on the site and 1.1 on the SCM site", () => {
            expectViolation(check(name, mutate(fx.functionApp, f => { f.props.siteConfig.minTlsVersion = "1.0"; })), /siteConfig\.minTlsVersion is `1\.0`/);
            expectViolation(check(name, mutate(fx.functionApp, f => { f.props.siteConfig.scmMinTlsVersion = "1.1"; })), /scmMinTlsVersion/);
        });
        it("keeps checking the SCM site when the site's value is unknown", () => {
            const out = check(name, mutate(fx.functionApp, f => { f.props.siteConfig.minTlsVersion = UNKNOWN; f.props.siteConfig.scmMinTlsVersion = "1.0"; }));
            expectViolation(out, /scmMinTlsVersion/);
            expectFailedDespiteUnknown(out);
        });
        it("remediates only what is below 1.2", () => {
            const fixed = remediate(name, mutate(fx.functionApp, f => { f.props.siteConfig.scmMinTlsVersion = "1.0"; })) as any;
            assert.strictEqual(fixed.siteConfig.scmMinTlsVersion, "1.2");
            assert.strictEqual(fixed.siteConfig.appSettings.length, fx.functionApp.props.siteConfig.appSettings.length);
        });
    });

    describe("azure-functionapp-ftps", () => {
        const name = "azure-functionapp-ftps";
        it("passes Disabled and FtpsOnly", () => {
            expectPass(check(name, fx.functionApp));
            expectPass(check(name, fx.flexFunctionApp));
        });
        it("flags AllAllowed and an unset state on a plan with FTP", async () => {
            const allAllowed = mutate(fx.functionApp, f => { f.props.siteConfig.ftpsState = "AllAllowed"; });
            // A Linux app's FTP endpoint depends on its plan: one resource alone can't tell.
            expectPass(check(name, allAllowed));
            expectViolation(await checkStack(name, onPlan(allAllowed, PREMIUM)), /ftpsState is "AllAllowed"/, "mandatory");
            expectViolation(await checkStack(name, onPlan(mutate(fx.functionApp, f => { delete f.props.siteConfig.ftpsState; }), DEDICATED)), /not set/);
        });
        it("reads the plan: Windows Consumption and Premium apps have FTP, Linux Consumption apps don't (pulumi/examples azure-ts-functions-many)", async () => {
            expectViolation(await checkStack(name, onPlan(examplesApp("httpnode"), WINDOWS_CONSUMPTION)), /siteConfig\.ftpsState is not set, so plain FTP is allowed/, "mandatory");
            expectViolation(await checkStack(name, onPlan(examplesApp("httppremium"), PREMIUM)), /ftpsState is not set/);
            const python = await checkStack(name, onPlan(examplesApp("httppython"), LINUX_CONSUMPTION));
            expectPass(python);
        });
        it("flags a classic Windows app without the stack, and reads a classic Linux app's ServicePlan", async () => {
            const windows = mutate(fxc.windowsFunctionApp, f => { delete f.props.siteConfig.ftpsState; });
            expectViolation(check(name, windows), /siteConfig\.ftpsState is not set/);
            const linux = mutate(fxc.linuxFunctionApp, f => { delete f.props.siteConfig.ftpsState; });
            expectPass(await checkStack(name, onPlan(linux, { osType: "Linux", skuName: "Y1" }, CLASSIC_PLAN)));
            expectViolation(await checkStack(name, onPlan(linux, { osType: "Linux", skuName: "EP1" }, CLASSIC_PLAN)), /ftpsState is not set/);
        });
        it("waits while the plan can't be told", async () => {
            const unset = mutate(fx.functionApp, f => { delete f.props.siteConfig.ftpsState; });
            const out = await checkStack(name, [unset]);
            assert.deepStrictEqual(out.violations, []);
            expectUnknown(out);
            expectUnknown(await checkStack(name, onPlan(unset, { ...LINUX_CONSUMPTION, sku: UNKNOWN })));
        });
        it("remediates to Disabled", () => {
            const fixed = remediate(name, mutate(fx.functionApp, f => { f.props.siteConfig.ftpsState = "AllAllowed"; })) as any;
            assert.strictEqual(fixed.siteConfig.ftpsState, "Disabled");
        });
    });

    describe("azure-functionapp-remote-debugging", () => {
        const name = "azure-functionapp-remote-debugging";
        it("passes when off", () => expectPass(check(name, fx.functionApp)));
        it("flags remote debugging", () => expectViolation(check(name, mutate(fx.functionApp, f => { f.props.siteConfig.remoteDebuggingEnabled = true; })), /remoteDebuggingEnabled is true/));
        it("tolerates a siteConfig of the wrong shape", () => expectPass(check(name, mutate(fx.functionApp, f => { f.props.siteConfig = "nope"; }))));
    });

    describe("azure-functionapp-cors", () => {
        const name = "azure-functionapp-cors";
        it("passes listed origins", () => expectPass(check(name, fx.functionApp)));
        it("flags *, worse with credentials", () => {
            expectViolation(check(name, mutate(fx.functionApp, f => { f.props.siteConfig.cors.allowedOrigins = ["*"]; })), /credentialed/);
            const plain = check(name, mutate(fx.functionApp, f => { f.props.siteConfig.cors = { allowedOrigins: ["*"] }; }));
            expectViolation(plain, /contains "\*"/, "advisory");
            assert.ok(!/credentialed/.test(plain.violations[0].message));
        });
    });

    describe("azure-functionapp-managed-identity", () => {
        const name = "azure-functionapp-managed-identity";
        it("passes a system-assigned identity", () => expectPass(check(name, fx.functionApp)));
        it("flags no identity and None", () => {
            expectViolation(check(name, mutate(fx.functionApp, f => { delete f.props.identity; })), /no managed identity/);
            expectViolation(check(name, mutate(fx.functionApp, f => { f.props.identity.type = "None"; })), /no managed identity/);
        });
    });

    describe("azure-functionapp-public-network", () => {
        const name = "azure-functionapp-public-network";
        const open = mutate(fx.functionApp, f => { f.props.publicNetworkAccess = "Enabled"; delete f.props.siteConfig.ipSecurityRestrictions; });
        it("passes disabled public access and access restrictions", () => {
            expectPass(check(name, fx.functionApp));
            expectPass(check(name, mutate(fx.functionApp, f => { f.props.publicNetworkAccess = "Enabled"; })));
            expectPass(check(name, mutate(open, f => { f.props.siteConfig.ipSecurityRestrictionsDefaultAction = "Deny"; })));
        });
        it("flags an open app (advisory), naming the tag that marks it deliberately public", () => expectViolation(check(name, open), /reachable from the internet; .* tag a deliberately public app `serverless-guard:public`: "true" \(config publicTag\)/, "advisory"));
        it("doesn't count allow-any rules or an Allow default action as restrictions", () => {
            expectViolation(check(name, mutate(open, f => { f.props.siteConfig.ipSecurityRestrictions = [{ action: "Allow", ipAddress: "Any" }]; })), /internet/);
            expectViolation(check(name, mutate(fx.functionApp, f => { f.props.publicNetworkAccess = "Enabled"; f.props.siteConfig.ipSecurityRestrictionsDefaultAction = "Allow"; })), /internet/);
        });
        it("accepts the configured public tag", () => {
            expectPass(check(name, mutate(open, f => { f.props.tags["serverless-guard:public"] = "true"; })));
            expectPass(check(name, mutate(open, f => { f.props.tags.exposure = "true"; }), { config: { publicTag: "exposure" } }));
        });
    });

    describe("azure-functionapp-http2", () => {
        const name = "azure-functionapp-http2";
        it("passes HTTP/2", () => expectPass(check(name, fx.functionApp)));
        it("flags HTTP/1.1 only (low, advisory) and remediates", () => {
            const app = mutate(fx.functionApp, f => { delete f.props.siteConfig.http20Enabled; });
            expectViolation(check(name, app), /http20Enabled/, "advisory");
            assert.strictEqual((remediate(name, app) as any).siteConfig.http20Enabled, true);
        });
    });

    describe("azure-functionapp-extension-version", () => {
        const name = "azure-functionapp-extension-version";
        it("passes ~4 inline and in a settings resource, and a Flex app without it", () => {
            expectPass(check(name, fx.functionApp));
            expectPass(check(name, fx.appSettings));
            expectPass(check(name, fx.flexFunctionApp));
        });
        it("flags an older host", () => {
            expectViolation(check(name, mutate(fx.functionApp, f => setting(f, "FUNCTIONS_EXTENSION_VERSION", "~3"))), /FUNCTIONS_EXTENSION_VERSION is not "~4" \(`~3`\)/, "mandatory");
            expectViolation(check(name, mutate(fx.appSettings, f => { f.props.properties.FUNCTIONS_EXTENSION_VERSION = "~1"; })), /properties FUNCTIONS_EXTENSION_VERSION/);
        });
        it("flags a missing setting on an app with inline settings", () => {
            expectViolation(check(name, mutate(fx.functionApp, f => dropSetting(f, "FUNCTIONS_EXTENSION_VERSION"))), /no FUNCTIONS_EXTENSION_VERSION/);
        });
        it("matches setting names case-insensitively", () => {
            const lower = mutate(fx.functionApp, f => {
                dropSetting(f, "FUNCTIONS_EXTENSION_VERSION");
                f.props.siteConfig.appSettings.push({ name: "functions_extension_version", value: "~2" });
            });
            expectViolation(check(name, lower), /not "~4"/);
        });
        it("can't decide when a setting's name is unknown", () => {
            expectUnknown(check(name, mutate(fx.functionApp, f => { dropSetting(f, "FUNCTIONS_EXTENSION_VERSION"); f.props.siteConfig.appSettings.push({ name: UNKNOWN, value: "~4" }); })));
        });
    });

    describe("azure-functionapp-runtime-deprecated", () => {
        const name = "azure-functionapp-runtime-deprecated";
        const on = (change: (f: any) => void, base: any = fx.functionApp) => check(name, mutate(base, change), { config: TODAY });
        it("passes supported stacks", () => {
            expectPass(check(name, fx.functionApp, { config: TODAY }));
            expectPass(check(name, fx.flexFunctionApp, { config: TODAY }));
            expectPass(check(name, fx.appSettings, { config: TODAY }));
        });
        it("flags an end-of-life Linux stack and suggests the newest of its language", () => {
            expectViolation(on(f => { f.props.siteConfig.linuxFxVersion = "Python|3.9"; }), /siteConfig\.linuxFxVersion selects python:3\.9, out of support since 2025-10-31; move to python:3\.14/, "mandatory");
        });
        it("flags Flex Consumption runtimes", () => {
            expectViolation(on(f => { f.props.functionAppConfig.runtime = { name: "dotnet-isolated", version: "8.0" }; }, fx.flexFunctionApp), /dotnet-isolated:8.*move to dotnet-isolated:10/);
        });
        it("flags Windows stacks from FUNCTIONS_WORKER_RUNTIME and the version setting", () => {
            const windows = (change: (f: any) => void) => on(f => { f.props.kind = "functionapp"; delete f.props.siteConfig.linuxFxVersion; change(f); });
            expectViolation(windows(f => { setting(f, "WEBSITE_NODE_DEFAULT_VERSION", "~18"); }), /WEBSITE_NODE_DEFAULT_VERSION selects node:18/);
            expectViolation(windows(f => { setting(f, "FUNCTIONS_WORKER_RUNTIME", "dotnet"); f.props.siteConfig.netFrameworkVersion = "v6.0"; }), /netFrameworkVersion selects dotnet:6.*move to dotnet-isolated:10/);
            expectViolation(windows(f => { setting(f, "FUNCTIONS_WORKER_RUNTIME", "powershell"); f.props.siteConfig.powerShellVersion = "7.2"; }), /powershell:7\.2/);
            const java8 = mutate(fx.functionApp, f => { f.props.kind = "functionapp"; delete f.props.siteConfig.linuxFxVersion; setting(f, "FUNCTIONS_WORKER_RUNTIME", "java"); f.props.siteConfig.javaVersion = "1.8"; });
            expectViolation(check(name, java8, { config: { evaluationDate: "2027-10-01" } }), /javaVersion selects java:8, out of support since 2027-09-30/);
        });
        it("flags a settings resource's Node version", () => {
            expectViolation(check(name, mutate(fx.appSettings, f => { f.props.properties.WEBSITE_NODE_DEFAULT_VERSION = "~16"; }), { config: TODAY }), /node:16/);
        });
        it("warns (advisory) before the end-of-support date", () => {
            expectViolation(check(name, fx.functionApp, { config: { evaluationDate: "2028-03-01" } }), /node:24, out of support on 2028-04-30/, "advisory");
        });
        it("ignores containers, custom handlers and stacks without a date", () => {
            expectPass(on(f => { f.props.siteConfig.linuxFxVersion = "DOCKER|registry.example.com/orders:1"; }));
            expectPass(on(f => { f.props.functionAppConfig.runtime = { name: "custom", version: "1.0" }; }, fx.flexFunctionApp));
            expectPass(on(f => { f.props.kind = "functionapp"; delete f.props.siteConfig.linuxFxVersion; setting(f, "FUNCTIONS_WORKER_RUNTIME", "constructor"); }));
        });
        it("can't decide on an unknown stack", () => expectUnknown(on(f => { f.props.siteConfig.linuxFxVersion = UNKNOWN; })));
    });

    describe("azure-functionapp-scale-limit", () => {
        const name = "azure-functionapp-scale-limit";
        it("passes bounded apps", () => {
            expectPass(check(name, fx.functionApp));
            expectPass(check(name, fx.flexFunctionApp));
        });
        it("flags no limit where the platform maximum is above the ceiling, naming the config", async () => {
            const unset = mutate(fx.functionApp, f => { delete f.props.siteConfig.functionAppScaleLimit; });
            expectPass(check(name, unset));
            expectViolation(await checkStack(name, onPlan(unset, { ...PREMIUM, maximumElasticWorkerCount: undefined })), /functionAppScaleLimit is not set, so the app scales out to the platform maximum; set it at or below the ceiling of 100 \(config maxInstances\)/);
            expectViolation(await checkStack(name, onPlan(unset, { ...PREMIUM, maximumElasticWorkerCount: 150 })), /maximum burst \(maximumElasticWorkerCount\) of 150 instances, above the ceiling of 100 \(config maxInstances\)/);
            expectViolation(await checkStack(name, onPlan(examplesApp("httpnode"), WINDOWS_CONSUMPTION)), /not set, so the app scales out to the Windows Consumption maximum of 200 instances, above the ceiling of 100 \(config maxInstances\)/, "advisory");
        });
        it("passes unset limits the platform already holds at the ceiling: Linux Consumption (100), Flex Consumption (100), a Premium plan's burst", async () => {
            expectPass(await checkStack(name, onPlan(examplesApp("httppython"), LINUX_CONSUMPTION)));
            expectPass(await checkStack(name, onPlan(examplesApp("httppremium"), PREMIUM)));
            expectPass(check(name, mutate(fx.flexFunctionApp, f => { delete f.props.functionAppConfig.scaleAndConcurrency; })));
            expectViolation(check(name, mutate(fx.flexFunctionApp, f => { delete f.props.functionAppConfig.scaleAndConcurrency; }), { config: { maxInstances: 50 } }), /maximumInstanceCount is not set, so the app scales out to the Flex Consumption maximum of 100 instances, above the ceiling of 50/);
        });
        it("reads a classic app's ServicePlan (skuName, osType)", async () => {
            const windows = mutate(fxc.windowsFunctionApp, f => { delete f.props.siteConfig.appScaleLimit; });
            expectViolation(await checkStack(name, onPlan(windows, { osType: "Windows", skuName: "Y1" }, CLASSIC_PLAN)), /siteConfig\.appScaleLimit is not set, so the app scales out to the Windows Consumption maximum of 200 instances/);
            expectPass(await checkStack(name, onPlan(mutate(fxc.linuxFunctionApp, f => { delete f.props.siteConfig.appScaleLimit; }), { osType: "Linux", skuName: "Y1" }, CLASSIC_PLAN)));
        });
        it("doesn't apply on a dedicated App Service plan, whose instance count sets the scale", async () => {
            const out = await checkStack(name, onPlan(examplesApp("api"), DEDICATED));
            expectPass(out);
            expectPass(await checkStack(name, onPlan(mutate(fxc.windowsFunctionApp, f => { f.props.siteConfig.appScaleLimit = 500; }), { osType: "Windows", skuName: "P1v3" }, CLASSIC_PLAN)));
        });
        it("flags a limit above the configured ceiling", () => {
            expectViolation(check(name, fx.flexFunctionApp, { config: { maxInstances: 10 } }), /40, above the ceiling of 10 \(config maxInstances\)/);
        });
    });

    describe("azure-functionapp-app-insights", () => {
        const name = "azure-functionapp-app-insights";
        it("passes apps and settings resources with a connection string", () => {
            expectPass(check(name, fx.functionApp));
            expectPass(check(name, fx.appSettings));
        });
        it("flags missing telemetry (advisory)", () => {
            expectViolation(check(name, mutate(fx.functionApp, f => dropSetting(f, "APPLICATIONINSIGHTS_CONNECTION_STRING"))), /no APPLICATIONINSIGHTS_CONNECTION_STRING/, "advisory");
            expectViolation(check(name, mutate(fx.appSettings, f => { delete f.props.properties.APPLICATIONINSIGHTS_CONNECTION_STRING; })), /properties/);
        });
        it("leaves apps whose settings live in a separate resource to that resource", () => {
            expectNotApplicable(check(name, mutate(fx.functionApp, f => { delete f.props.siteConfig.appSettings; })), /WebAppApplicationSettings/);
        });
    });
});

describe("azure function app companion resources", () => {
    describe("azure-functionapp-auth-required", () => {
        const name = "azure-functionapp-auth-required";
        it("passes enforced authentication", () => expectPass(check(name, fx.authSettings)));
        it("flags disabled platform auth", () => expectViolation(check(name, mutate(fx.authSettings, f => { f.props.platform.enabled = false; })), /platform\.enabled/, "mandatory"));
        it("flags anonymous access", () => {
            expectViolation(check(name, mutate(fx.authSettings, f => { f.props.globalValidation.unauthenticatedClientAction = "AllowAnonymous"; })), /AllowAnonymous/);
            expectViolation(check(name, mutate(fx.authSettings, f => { delete f.props.globalValidation; })), /requireAuthentication/);
        });
        it("checks a slot's settings too", () => {
            expectViolation(check(name, mutate(fx.authSettings, f => { f.type = "azure-native:web:WebAppAuthSettingsV2Slot"; f.props.platform = {}; })), /platform\.enabled/);
        });
    });

    describe("azure-functionapp-function-anonymous", () => {
        const name = "azure-functionapp-function-anonymous";
        const anonymous = mutate(fx.webAppFunction, f => { f.props.config.bindings[0].authLevel = "anonymous"; });
        it("passes function-level keys", () => expectPass(check(name, fx.webAppFunction)));
        it("flags an anonymous HTTP trigger", () => expectViolation(check(name, anonymous), /config\.bindings\[0\] is an httpTrigger with authLevel "anonymous"/, "mandatory"));
        it("reads a config given as a JSON string", () => {
            expectViolation(check(name, mutate(anonymous, f => { f.props.config = JSON.stringify(f.props.config); })), /anonymous/);
            expectPass(check(name, mutate(fx.webAppFunction, f => { f.props.config = "{not json"; })));
        });
        it("honours the allow-list", () => expectPass(check(name, anonymous, { config: { allowedAnonymousFunctions: ["create-order"] } })));
        it("checks bindings even when the function name is unknown", () => {
            expectViolation(check(name, mutate(anonymous, f => { f.props.functionName = UNKNOWN; })), /anonymous/);
        });
    });

    describe("azure-functionapp-basic-publishing-credentials", () => {
        const name = "azure-functionapp-basic-publishing-credentials";
        it("passes disabled basic auth", () => {
            expectPass(check(name, fx.ftpAllowed));
            expectPass(check(name, fx.scmAllowed));
        });
        it("flags enabled FTP and SCM basic auth and remediates", () => {
            expectViolation(check(name, mutate(fx.ftpAllowed, f => { f.props.allow = true; })), /for FTP/, "advisory");
            const scm = mutate(fx.scmAllowed, f => { f.props.allow = true; });
            expectViolation(check(name, scm), /SCM/);
            assert.strictEqual(remediate(name, scm)!.allow, false);
        });
    });
});
