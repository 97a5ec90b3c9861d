// Google API Gateway in front of Cloud Functions and Cloud Run: the OpenAPI document's security per
// route to a function, and the identity the gateway calls the functions as.
import * as assert from "assert";
import { check } from "../../support/harness";
import { expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import * as fx from "../../fixtures/gcp";
import { UNKNOWN } from "../../../runner/wire";
import { routesOf } from "../../../policies/gcp/apigateway";
import { parseYaml } from "../../../policies/lib/yaml";

const withSpec = (spec: string) => mutate(fx.apiConfig, c => { c.props.openapiDocuments[0].document.contents = fx.base64(spec); });
const OPEN_SPEC = fx.GATEWAY_SPEC.replace("security:\n  - api_key: []\n", "");

describe("gcp api gateway", () => {
    describe("gcp-apigateway-route-no-auth", () => {
        const name = "gcp-apigateway-route-no-auth";
        it("passes routes behind an API key or a JWT, and ignores CORS preflight", () => expectPass(check(name, fx.apiConfig)));
        it("flags function routes without a security requirement, naming the document and routes", () => {
            expectViolation(check(name, withSpec(OPEN_SPEC)), /openapiDocuments\[0\] \(`openapi\.yaml`\) routes GET \/orders to a Cloud Functions or Cloud Run backend with no security requirement/, "mandatory");
            const empty = fx.GATEWAY_SPEC.replace("      security:\n        - auth0: []\n", "      security: []\n");
            expectViolation(check(name, withSpec(empty)), /routes POST \/orders to/);
        });
        it("doesn't count an anonymous alternative or an undeclared scheme as authentication", () => {
            const anonymous = fx.GATEWAY_SPEC.replace("security:\n  - api_key: []\n", "security:\n  - api_key: []\n  - {}\n");
            expectViolation(check(name, withSpec(anonymous)), /routes GET \/orders/);
            const undeclared = fx.GATEWAY_SPEC.replace("security:\n  - api_key: []\n", "security:\n  - basic: []\n");
            expectViolation(check(name, withSpec(undeclared)), /routes GET \/orders/);
        });
        it("reads JSON documents and YAML anchors", () => {
            const json = JSON.stringify({ swagger: "2.0", info: { title: "t", version: "1" }, paths: { "/a": { get: { "x-google-backend": { address: "https://orders-abc-ew.a.run.app" }, responses: {} } } } });
            expectViolation(check(name, withSpec(json)), /routes GET \/a/);
            const anchors = `swagger: "2.0"\ninfo: { title: t, version: "1" }\nx-defaults: &backend\n  address: https://europe-west1-p.cloudfunctions.net/f\npaths:\n  /a:\n    get:\n      x-google-backend: *backend\n      responses: {}\n`;
            expectViolation(check(name, withSpec(anchors)), /routes GET \/a/);
        });
        it("leaves routes to other backends and unreadable documents alone", () => {
            expectPass(check(name, withSpec(OPEN_SPEC.replace("https://europe-west1-shop-prod.cloudfunctions.net/orders", "https://legacy.example.com"))));
            expectPass(check(name, mutate(fx.apiConfig, c => { c.props.openapiDocuments[0].document.contents = "not base64 !!"; })));
            expectPass(check(name, mutate(fx.apiConfig, c => { c.props.openapiDocuments = "x"; })));
        });
        it("can't decide on a document computed from the function's URL", () => {
            expectUnknown(check(name, mutate(fx.apiConfig, c => { c.props.openapiDocuments[0].document.contents = UNKNOWN; })));
        });
        it("lists the routes of a document", () => {
            const routes = routesOf(parseYaml(fx.GATEWAY_SPEC) as Record<string, unknown>);
            assert.deepStrictEqual(routes.map(r => [r.route, r.functionBackend, r.authenticated]), [["GET /orders", true, true], ["POST /orders", true, true]]);
        });
    });

    describe("gcp-apigateway-backend-service-account", () => {
        const name = "gcp-apigateway-backend-service-account";
        it("passes a dedicated backend account", () => expectPass(check(name, fx.apiConfig)));
        it("flags the Compute Engine default account", () => {
            expectViolation(check(name, mutate(fx.apiConfig, c => { c.props.gatewayConfig.backendConfig.googleServiceAccount = "123456789012-compute@developer.gserviceaccount.com"; })),
                /gatewayConfig\.backendConfig\.googleServiceAccount is the Compute Engine default service account/, "advisory");
        });
        it("flags a config that calls functions with no backend account of its own", () => {
            expectViolation(check(name, mutate(fx.apiConfig, c => { delete c.props.gatewayConfig; })), /googleServiceAccount is not set: the config names no identity for its calls to Cloud Functions and Cloud Run backends \(Google documents no default\)/);
        });
        it("is not applicable without signed calls to Cloud Functions or Cloud Run", () => {
            const other = mutate(withSpec(fx.GATEWAY_SPEC.replace("https://europe-west1-shop-prod.cloudfunctions.net/orders", "https://legacy.example.com")), c => { delete c.props.gatewayConfig; });
            expectNotApplicable(check(name, other), /calls no Cloud Functions or Cloud Run backend/);
            const unsigned = mutate(withSpec(fx.GATEWAY_SPEC.replace("cloudfunctions.net/orders\n", "cloudfunctions.net/orders\n  disable_auth: true\n")), c => { delete c.props.gatewayConfig; });
            expectNotApplicable(check(name, unsigned));
        });
        it("can't decide on an account computed from another resource", () => {
            expectUnknown(check(name, mutate(fx.apiConfig, c => { c.props.gatewayConfig.backendConfig.googleServiceAccount = UNKNOWN; })));
        });
    });
});
