// API Management in front of function apps: an API that requires no subscription and validates no
// JWT lets anyone call the functions behind it. azure-apim-api-no-auth reports that on the API; the
// invocation family names it, reports it once when that policy is disabled, and counts it for the
// app's missing scale-out limit.
import { checkStack, TestResource } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import { recordConfiguredLevel } from "../../../policies/lib/redecide";
import * as fx from "../../fixtures/azure";
import * as fxc from "../../fixtures/azure-classic";

const PUBLIC = "stack-function-public-invocation";
const UNCAPPED = "stack-function-public-uncapped";
const urnOf = (r: { type: string; name?: string }) => `urn:pulumi:test::test::${r.type}::${r.name}`;
const linked = <T extends TestResource>(r: T, deps: Record<string, TestResource[]> = {}): T => ({
    ...r, urn: urnOf(r), propertyDependencies: Object.fromEntries(Object.entries(deps).map(([k, rs]) => [k, rs.map(urnOf)])),
});
/** The orders function app, named (its host orders-fn.azurewebsites.net), without a scale-out limit. */
const app = linked(mutate(fx.functionApp, a => { a.props.name = "orders-fn"; delete a.props.siteConfig.functionAppScaleLimit; }));
const openApi = linked(mutate(fx.apimApi, a => { a.props.subscriptionRequired = false; }));

describe("front doors: API Management in front of function apps", () => {
    it("names an open API forwarding to an uncapped app, reported on the API", async () => {
        expectViolation(await checkStack("azure-apim-api-no-auth", [app, openApi]), /subscriptionRequired is false/, "mandatory");
        expectPass(await checkStack(PUBLIC, [app, openApi]));
        expectViolation(await checkStack(UNCAPPED, [app, openApi]),
            /function app `orders-fn` has no scale-out limit \(siteConfig\.functionAppScaleLimit\) and is public \(API Management API `orders-api` requires no subscription and validates no JWT, and forwards to it \(azure-apim-api-no-auth reports it on `orders-api`\)\)/, "advisory");
    });
    it("passes an API that requires a subscription or validates a token, a capped app, and an API to another host", async () => {
        expectPass(await checkStack(UNCAPPED, [app, linked(fx.apimApi)]));
        expectPass(await checkStack(UNCAPPED, [app, openApi, linked(fx.apimApiPolicy)]));
        expectPass(await checkStack(UNCAPPED, [linked(mutate(fx.functionApp, a => { a.props.name = "orders-fn"; })), openApi]));
        expectPass(await checkStack(UNCAPPED, [app, linked(mutate(openApi, a => { a.props.serviceUrl = "https://payments-fn.azurewebsites.net/api"; }))]));
    });
    it("links a serviceUrl computed from the app, and classic Azure", async () => {
        const computed = linked(mutate(openApi, a => { a.props.serviceUrl = UNKNOWN; }), { serviceUrl: [app] });
        expectViolation(await checkStack(UNCAPPED, [app, computed]), /function app `orders-fn` has no scale-out limit/);
        const classicApp = linked(mutate(fxc.linuxFunctionApp, a => { a.props.name = "orders-fn"; }));
        const classicApi = linked(mutate(fxc.apimApi, a => { a.props.subscriptionRequired = false; }));
        try {
            recordConfiguredLevel("azure-apim-api-no-auth", "disabled");
            expectViolation(await checkStack(PUBLIC, [classicApp, classicApi]), /function `orders-fn` can be invoked without authentication: API Management API `orders-api` requires no subscription/, "mandatory");
        } finally {
            recordConfiguredLevel("azure-apim-api-no-auth", "mandatory");
        }
    });
    it("can't tell while the API's policy XML is unknown", async () => {
        const policy = linked(mutate(fx.apimApiPolicy, p => { p.props.value = UNKNOWN; }));
        expectUnknown(await checkStack(PUBLIC, [app, openApi, policy]));
    });
    it("reports the open API on the app when azure-apim-api-no-auth is disabled", async () => {
        try {
            recordConfiguredLevel("azure-apim-api-no-auth", "disabled");
            expectViolation(await checkStack(PUBLIC, [app, openApi]), /function `orders-fn` can be invoked without authentication: API Management API `orders-api`/, "mandatory");
        } finally {
            recordConfiguredLevel("azure-apim-api-no-auth", "mandatory");
        }
    });
});
