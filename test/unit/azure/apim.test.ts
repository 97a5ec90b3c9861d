// API Management in front of function apps: caller authentication (subscription or JWT policy),
// HTTPS only, function keys in named values, and the backend's certificate validation.
import * as assert from "assert";
import { check, checkStack, remediate, TestResource } from "../../support/harness";
import { expectPass, expectUndecided, expectUnknown, expectViolation, mutate } from "../../support/expect";
import * as fx from "../../fixtures/azure";
import * as fxc from "../../fixtures/azure-classic";
import { secret, UNKNOWN } from "../../../runner/wire";
import { authenticatesCallers } from "../../../policies/azure/apim";

const open = (api: TestResource) => mutate(api, a => { a.props.subscriptionRequired = false; });
/** The function apps behind the fixtures' APIs (serviceUrl https://orders-fn.azurewebsites.net/api). */
const app = mutate(fx.functionApp, a => { a.props.name = "orders-fn"; });
const classicApp = mutate(fxc.linuxFunctionApp, a => { a.props.name = "orders-fn"; });
const SVC = { resourceGroupName: "orders-rg", serviceName: "orders-apim", apiId: "orders" };
const JWT = "<policies><inbound><base /><validate-jwt header-name=\"Authorization\" /></inbound></policies>";
const operation = (operationId: string, policies?: string) => ({
    type: "azure-native:apimanagement:ApiOperation", name: `op-${operationId}`,
    props: { ...SVC, operationId, displayName: operationId, method: "GET", urlTemplate: `/${operationId}`, ...(policies ? { policies } : {}) },
});
const operationPolicy = (operationId: string, value = JWT) => ({
    type: "azure-native:apimanagement:ApiOperationPolicy", name: `op-${operationId}-policy`, props: { ...SVC, operationId, policyId: "policy", format: "rawxml", value },
});
const urnOf = (r: TestResource) => `urn:pulumi:test::test::${r.type}::${r.name}`;
const FUNCTION_KEY = "q8Xv2LmN4pR7sT1uW3yZ5aB6cD9eF0gH2iJ4kL6mN8oP0qR2sT4uVw==";

describe("azure api management", () => {
    describe("azure-apim-api-no-auth", () => {
        const name = "azure-apim-api-no-auth";
        it("passes an API that requires a subscription", () => expectPass(check(name, fx.apimApi)));
        it("passes an open API whose policy validates a token, linked by name or by dependency", async () => {
            expectPass(await checkStack(name, [open(fx.apimApi), fx.apimApiPolicy]));
            const linked = { ...mutate(fx.apimApiPolicy, p => { p.props.apiId = UNKNOWN; }), propertyDependencies: { apiId: [urnOf(fx.apimApi)] } };
            expectPass(await checkStack(name, [open(fx.apimApi), linked]));
            expectPass(await checkStack(name, [open(fxc.apimApi), fxc.apimApiPolicy]));
        });
        it("links resources read back from Azure (no path parameters) by their ARM ids", async () => {
            const svc = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/orders-rg/providers/Microsoft.ApiManagement/service/orders-apim";
            const api = { type: fx.apimApi.type, name: "orders-api", props: { name: "orders", id: `${svc}/apis/orders`, subscriptionRequired: false, protocols: ["https"], serviceUrl: "https://orders-fn.azurewebsites.net/api" } };
            const policy = { type: fx.apimApiPolicy.type, name: "orders-api-policy", props: { name: "policy", id: `${svc}/apis/orders/policies/policy`, format: "xml", value: fx.apimApiPolicy.props.value } };
            expectPass(await checkStack(name, [api, policy]));
            const otherApi = { ...policy, props: { ...policy.props, id: `${svc}/apis/payments/policies/policy` } };
            expectViolation(await checkStack(name, [app, api, otherApi]), /subscriptionRequired is false/);
        });
        it("passes an open API under a service-wide policy that validates a JWT", async () => {
            const global = { type: "azure-native:apimanagement:Policy", name: "global", props: { resourceGroupName: "orders-rg", serviceName: "orders-apim", value: "<policies><inbound><validate-jwt header-name=\"Authorization\" /></inbound></policies>" } };
            expectPass(await checkStack(name, [open(fx.apimApi), global]));
        });
        it("flags an open API without a token check, including a commented-out one or another API's policy", async () => {
            expectViolation(await checkStack(name, [app, open(fx.apimApi)]), /subscriptionRequired is false and no policy of the API or of its service validates a JWT or client certificate/, "mandatory");
            const commented = mutate(fx.apimApiPolicy, p => { p.props.value = "<policies><inbound><!-- <validate-jwt header-name=\"Authorization\" /> --><base /></inbound></policies>"; });
            expectViolation(await checkStack(name, [app, open(fx.apimApi), commented]), /subscriptionRequired is false/);
            const other = mutate(fx.apimApiPolicy, p => { p.props.apiId = "payments"; });
            expectViolation(await checkStack(name, [app, open(fx.apimApi), other]), /subscriptionRequired is false/);
            expectViolation(await checkStack(name, [classicApp, open(fxc.apimApi)]), /subscriptionRequired is false/);
        });
        it("applies only to APIs in front of a function app of the stack", async () => {
            expectPass(await checkStack(name, [open(fx.apimApi)]));
            expectPass(await checkStack(name, [mutate(app, a => { a.props.kind = "app,linux"; }), open(fx.apimApi)]));
            expectPass(await checkStack(name, [app, mutate(open(fx.apimApi), a => { a.props.serviceUrl = "https://orders.example.com/api"; })]));
            expectUnknown(await checkStack(name, [mutate(app, a => { a.props.kind = UNKNOWN; }), open(fx.apimApi)]));
        });
        it("follows a set-backend-service policy to a backend whose url or resourceId is the function app", async () => {
            const noUrl = mutate(open(fx.apimApi), a => { delete a.props.serviceUrl; });
            const routes = (xml: string) => mutate(fx.apimApiPolicy, p => { p.props.value = `<policies><inbound><base />${xml}</inbound></policies>`; });
            expectPass(await checkStack(name, [app, noUrl]));
            expectViolation(await checkStack(name, [app, noUrl, fx.apimBackend, routes("<set-backend-service backend-id=\"orders-fn\" />")]), /subscriptionRequired is false/);
            const byResourceId = mutate(fx.apimBackend, b => {
                b.props.url = "https://internal.example.com"; b.props.resourceId = "https://management.azure.com/subscriptions/0/resourceGroups/orders-rg/providers/Microsoft.Web/sites/orders-fn";
            });
            expectViolation(await checkStack(name, [app, noUrl, byResourceId, routes("<set-backend-service backend-id='orders-fn' />")]), /subscriptionRequired is false/);
            expectViolation(await checkStack(name, [app, noUrl, routes("<set-backend-service base-url=\"https://orders-fn.azurewebsites.net/api\" />")]), /subscriptionRequired is false/);
            expectPass(await checkStack(name, [app, noUrl, fx.apimBackend, routes("<!-- <set-backend-service backend-id=\"orders-fn\" /> -->")]));
        });
        it("reads operation policies: each operation with a token check is covered, the API is open where one has none", async () => {
            expectPass(await checkStack(name, [app, open(fx.apimApi), operation("list"), operationPolicy("list"), operation("get", JWT)]));
            expectViolation(await checkStack(name, [app, open(fx.apimApi), operation("list"), operationPolicy("list"), operation("get"), operation("delete")]),
                /operations `delete` and `get` have no operation policy that does, so anyone can call them/, "mandatory");
            expectViolation(await checkStack(name, [app, open(fx.apimApi), operation("list"), operationPolicy("list", "<policies><inbound><base /></inbound></policies>")]),
                /so anyone can call the API and the functions behind it/);
            const classicOp = { type: "azure:apimanagement/apiOperation:ApiOperation", name: "op-get", props: { resourceGroupName: "orders-rg", apiManagementName: "orders-apim", apiName: "orders", operationId: "get", method: "GET", urlTemplate: "/get", displayName: "get" } };
            const classicPolicy = { type: "azure:apimanagement/apiOperationPolicy:ApiOperationPolicy", name: "op-list-policy", props: { resourceGroupName: "orders-rg", apiManagementName: "orders-apim", apiName: "orders", operationId: "list", xmlContent: JWT } };
            expectViolation(await checkStack(name, [classicApp, open(fxc.apimApi), classicOp, classicPolicy]), /operation `get` has no operation policy that does/);
            expectPass(await checkStack(name, [classicApp, open(fxc.apimApi), classicPolicy]));
        });
        it("can't tell which imported operations an operation policy leaves out, and waits for a computed one", async () => {
            const imported = mutate(open(fx.apimApi), a => { a.props.format = "openapi+json"; a.props.value = "{}"; });
            expectUndecided(await checkStack(name, [app, imported, operationPolicy("list")]), "unrecorded");
            expectViolation(await checkStack(name, [app, imported]), /so anyone can call the API/);
            expectUnknown(await checkStack(name, [app, open(fx.apimApi), operation("get"), operationPolicy("list", UNKNOWN)]));
        });
        it("waits for a policy whose XML is computed, and can't read one fetched from a link", async () => {
            expectUnknown(await checkStack(name, [app, open(fx.apimApi), mutate(fx.apimApiPolicy, p => { p.props.value = UNKNOWN; })]));
            expectUndecided(await checkStack(name, [classicApp, open(fxc.apimApi), mutate(fxc.apimApiPolicy, p => { delete p.props.xmlContent; p.props.xmlLink = "https://example.com/policy.xml"; })]), "unrecorded");
        });
        it("can't decide on a computed subscription setting", () => expectUnknown(check(name, mutate(fx.apimApi, a => { a.props.subscriptionRequired = UNKNOWN; }))));
        it("recognises the token and certificate checks", () => {
            assert.ok(authenticatesCallers("<inbound><validate-azure-ad-token tenant-id=\"t\" /></inbound>"));
            assert.ok(authenticatesCallers("<inbound><validate-client-certificate /></inbound>"));
            assert.ok(!authenticatesCallers("<inbound><check-header name=\"x-key\" /><authentication-managed-identity resource=\"r\" /></inbound>"));
        });
    });

    describe("azure-apim-api-http", () => {
        const name = "azure-apim-api-http";
        it("passes HTTPS-only APIs", () => expectPass(check(name, fx.apimApi)));
        it("flags http among the protocols", () => {
            expectViolation(check(name, mutate(fx.apimApi, a => { a.props.protocols = ["Http", "https"]; })), /protocols includes "http", so API Management accepts plain HTTP requests/, "mandatory");
        });
        it("remediates to HTTPS only", () => {
            assert.deepStrictEqual((remediate(name, mutate(fx.apimApi, a => { a.props.protocols = ["http", "https"]; })) as any).protocols, ["https"]);
        });
        it("can't decide on computed protocols", () => expectUnknown(check(name, mutate(fx.apimApi, a => { a.props.protocols = UNKNOWN; }))));
    });

    describe("azure-apim-named-value-plaintext-secret", () => {
        const name = "azure-apim-named-value-plaintext-secret";
        const plain = (value: unknown, displayName = "orders-fn-key") => mutate(fx.apimNamedValue, n => { n.props.secret = false; delete n.props.keyVault; n.props.value = value; n.props.displayName = displayName; n.props.namedValueId = displayName; });
        it("passes Key Vault references, secret named values and plain configuration", () => {
            expectPass(check(name, fx.apimNamedValue));
            expectPass(check(name, mutate(plain(FUNCTION_KEY), n => { n.props.secret = true; })));
            expectPass(check(name, plain("https://orders-fn.azurewebsites.net/api", "orders-backend-url")));
        });
        it("flags a function key in a plain named value, never printing it", () => {
            const out = check(name, plain(FUNCTION_KEY));
            expectViolation(out, /the named value's value holds a secret in plain text \(.*\) while secret is not true/, "mandatory");
            assert.ok(!JSON.stringify(out).includes(FUNCTION_KEY));
            expectViolation(check(name, plain("abcdefghijklmnopqrstuvwxyz012345", "ordersFunctionKey")), /function key/);
            expectViolation(check(name, plain(secret("anything-at-all"), "region")), /holds a Pulumi secret/);
        });
        it("can't decide on a computed value without sources", () => expectUnknown(check(name, plain(UNKNOWN))));
    });

    describe("azure-apim-backend-tls-validation", () => {
        const name = "azure-apim-backend-tls-validation";
        it("passes validation on or left at the default", () => {
            expectPass(check(name, fx.apimBackend));
            expectPass(check(name, mutate(fx.apimBackend, b => { delete b.props.tls; })));
        });
        it("flags validation turned off", () => {
            expectViolation(check(name, mutate(fx.apimBackend, b => { b.props.tls.validateCertificateName = false; b.props.tls.validateCertificateChain = false; })),
                /tls\.validateCertificateChain and tls\.validateCertificateName are false, so API Management accepts any certificate/, "advisory");
        });
        it("remediates both switches", () => {
            const fixed = remediate(name, mutate(fx.apimBackend, b => { b.props.tls.validateCertificateName = false; b.props.tls.validateCertificateChain = false; })) as any;
            assert.deepStrictEqual(fixed.tls, { validateCertificateChain: true, validateCertificateName: true });
        });
        it("can't decide on computed settings", () => expectUnknown(check(name, mutate(fx.apimBackend, b => { b.props.tls = UNKNOWN; }))));
    });
});
