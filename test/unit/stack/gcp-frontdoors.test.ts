// Google API Gateway in front of Cloud Functions and Cloud Run services: the gateway calls its backends
// over their public endpoints, so ingress ALLOW_ALL is what that design requires; the front door's own
// security (and the host's invoker IAM, held by the gateway's identity) count for the host behind it.
// Only a gateway that really names the host (its known URL, or a document built from the host's
// outputs) counts, and a host that is also public through an invoker grant keeps its ingress line.
import { check, checkStack, TestResource } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import * as fx from "../../fixtures/gcp";
import { UNKNOWN } from "../../../runner/wire";
import { recordConfiguredLevel } from "../../../policies/lib/redecide";

const INGRESS = "gcp-cloudfunction-ingress";
const urn = (type: string, name: string) => `urn:pulumi:dev::shop::${type}::${name}`;
const withUrn = <T extends { type: string; name: string; props: any }>(r: T, deps: Record<string, { type: string; name: string }[]> = {}): TestResource & T => ({
    ...r, urn: urn(r.type, r.name),
    propertyDependencies: Object.fromEntries(Object.entries(deps).map(([k, rs]) => [k, rs.map(d => urn(d.type, d.name))])),
});

/** A gen-1 HTTP function named `orders` in the gateway spec's project and region, ingress ALLOW_ALL by default. */
const orders = withUrn(mutate(fx.functionV1, f => {
    f.name = "orders"; f.props.name = "orders"; f.props.project = "shop-prod"; delete f.props.ingressSettings;
}));
/** A gen-2 function whose URL is computed during preview. */
const ordersV2 = withUrn(mutate(fx.functionV2, f => { f.props.name = "orders-v2"; f.props.url = UNKNOWN; f.props.serviceConfig.ingressSettings = "ALLOW_ALL"; }));
/** A Cloud Run service with a known URL. */
const service = withUrn(mutate(fx.runServiceV2, s => { s.props.ingress = "INGRESS_TRAFFIC_ALL"; s.props.uri = "https://orders-run-7hs2kq-ew.a.run.app"; }));

/** The fixture's API config (routes to https://europe-west1-shop-prod.cloudfunctions.net/orders behind an API key). */
const gateway = withUrn(fx.apiConfig);
const gatewayTo = (address: string) => withUrn(mutate(fx.apiConfig, c => {
    c.props.openapiDocuments[0].document.contents = fx.base64(fx.GATEWAY_SPEC.replace("https://europe-west1-shop-prod.cloudfunctions.net/orders", address));
}));
/** A config whose document is built from the gen-2 function's URL (unknown during preview). */
const computedGateway = withUrn({ ...fx.apiConfig, name: "computed-config", props: { ...fx.apiConfig.props, openapiDocuments: [{ document: { path: "openapi.yaml", contents: UNKNOWN } }] } },
    { openapiDocuments: [ordersV2] });

const V1_MEMBER = "gcp:cloudfunctions/functionIamMember:FunctionIamMember";
const invoker = (member: unknown, fn = orders) => withUrn({ type: V1_MEMBER, name: "orders-invoker", props: { cloudFunction: UNKNOWN, region: "europe-west1", role: "roles/cloudfunctions.invoker", member } },
    { cloudFunction: [fn] });

describe("front doors: Google API Gateway in front of functions and Cloud Run", () => {
    describe("gcp-cloudfunction-ingress counts the gateway that must reach the host", () => {
        it("reports ALLOW_ALL on a host no gateway fronts", async () => {
            expectViolation(await checkStack(INGRESS, [orders]), /ingressSettings is not set, so it defaults to "ALLOW_ALL"/, "advisory");
        });
        it("leaves a function the gateway names by its cloudfunctions.net URL (known name, region and project)", async () => {
            expectPass(await checkStack(INGRESS, [orders, gateway]));
            expectPass(await checkStack(INGRESS, [orders, gateway, invoker("serviceAccount:orders-gateway@shop-prod.iam.gserviceaccount.com")]));
        });
        it("leaves a Cloud Run service the gateway names by its known URL", async () => {
            expectViolation(await checkStack(INGRESS, [service]), /ingress is `INGRESS_TRAFFIC_ALL`/);
            expectPass(await checkStack(INGRESS, [service, gatewayTo("https://orders-run-7hs2kq-ew.a.run.app/v1")]));
        });
        it("leaves a function whose computed document is built from it (provenance)", async () => {
            expectViolation(await checkStack(INGRESS, [ordersV2]), /serviceConfig\.ingressSettings is `ALLOW_ALL`/);
            expectPass(await checkStack(INGRESS, [ordersV2, computedGateway]));
        });
        it("keeps the line when the host is also public through an invoker grant", async () => {
            expectViolation(await checkStack(INGRESS, [orders, gateway, invoker("allUsers")]), /ingressSettings is not set, so it defaults to "ALLOW_ALL"/, "advisory");
            expectViolation(await checkStack(INGRESS, [orders, gateway, invoker("allAuthenticatedUsers")]), /defaults to "ALLOW_ALL"/);
        });
        it("waits on an invoker grant to the host whose member is unknown", async () => {
            expectUnknown(await checkStack(INGRESS, [orders, gateway, invoker(UNKNOWN)]));
        });
        it("keeps the line when the gateway names another function, or the same name elsewhere", async () => {
            expectViolation(await checkStack(INGRESS, [orders, gatewayTo("https://europe-west1-shop-prod.cloudfunctions.net/payments")]), /defaults to "ALLOW_ALL"/);
            expectViolation(await checkStack(INGRESS, [orders, gatewayTo("https://us-central1-shop-prod.cloudfunctions.net/orders")]), /defaults to "ALLOW_ALL"/);
            expectViolation(await checkStack(INGRESS, [orders, gatewayTo("https://europe-west1-shop-prod.cloudfunctions.net/orders-legacy")]), /defaults to "ALLOW_ALL"/);
            expectViolation(await checkStack(INGRESS, [service, gatewayTo("https://orders-run-zz99-ew.a.run.app")]), /INGRESS_TRAFFIC_ALL/);
            // A computed document built from another resource says nothing about this host.
            expectViolation(await checkStack(INGRESS, [ordersV2, withUrn({ ...computedGateway }, { openapiDocuments: [orders] }), orders]), /serviceConfig\.ingressSettings is `ALLOW_ALL`/);
        });
        it("links a deployed or discovered function by its url output, without project or provider", async () => {
            const deployed = withUrn(mutate(fx.functionV2, f => {
                f.name = "orders"; f.props.name = "orders"; f.props.url = "https://europe-west1-shop-prod.cloudfunctions.net/orders"; f.props.serviceConfig.ingressSettings = "ALLOW_ALL";
            }));
            expectViolation(await checkStack(INGRESS, [deployed]), /`ALLOW_ALL`/);
            expectPass(await checkStack(INGRESS, [deployed, gateway]));
        });
        it("doesn't name a function by URL when its project is unknown", async () => {
            const noProject = withUrn(mutate(orders, f => { delete f.props.project; }));
            expectViolation(await checkStack(INGRESS, [noProject, gateway]), /defaults to "ALLOW_ALL"/);
        });
        it("still reports what the organization disallows short of ALLOW_ALL", async () => {
            const gclb = withUrn(mutate(orders, f => { f.props.ingressSettings = "ALLOW_INTERNAL_AND_GCLB"; }));
            expectViolation(check(INGRESS, gclb, { config: { allowedIngress: ["ALLOW_INTERNAL_ONLY"] } }), /`ALLOW_INTERNAL_AND_GCLB`/);
        });
    });

    describe("the invocation family counts a gateway route without security as a public path", () => {
        const PUBLIC = "stack-function-public-invocation";
        const UNCAPPED = "stack-function-public-uncapped";
        const OPEN_SPEC = fx.GATEWAY_SPEC.replace("security:\n  - api_key: []\n", "");
        const openGateway = withUrn(mutate(fx.apiConfig, c => { c.props.openapiDocuments[0].document.contents = fx.base64(OPEN_SPEC); }));
        /** `orders` without an instance cap: gen 1 scales to 3,000 by default. */
        const uncapped = withUrn(mutate(orders, f => { delete f.props.maxInstances; }));
        it("names the open route of the gateway config that reports it, on the uncapped function", async () => {
            expectPass(await checkStack(PUBLIC, [uncapped, openGateway]));
            expectViolation(check("gcp-apigateway-route-no-auth", openGateway), /routes GET \/orders/, "mandatory");
            expectViolation(await checkStack(UNCAPPED, [uncapped, openGateway]),
                /function `orders` has no instance cap \(maxInstances\) and is public \(ApiConfig `orders-api-config` routes GET \/orders to it from openapiDocuments\[0\] \(`openapi\.yaml`\) with no security requirement, calling it as the gateway \(gcp-apigateway-route-no-auth reports it on `orders-api-config`\)\)/, "advisory");
        });
        it("a Cloud Run service behind an open route, by its known URL", async () => {
            const toRun = withUrn(mutate(openGateway, c => { c.props.openapiDocuments[0].document.contents = fx.base64(OPEN_SPEC.replace("https://europe-west1-shop-prod.cloudfunctions.net/orders", "https://orders-run-7hs2kq-ew.a.run.app")); }));
            try {
                recordConfiguredLevel("gcp-apigateway-route-no-auth", "disabled");
                expectViolation(await checkStack(PUBLIC, [service, toRun]), /Cloud Run service `orders-run` can be invoked without authentication: ApiConfig `orders-api-config` routes GET \/orders/);
                expectPass(await checkStack(PUBLIC, [service, gatewayTo("https://orders-run-7hs2kq-ew.a.run.app")]));
            } finally {
                recordConfiguredLevel("gcp-apigateway-route-no-auth", "mandatory");
            }
        });
        it("passes routes behind an API key or a JWT, routes the gateway calls unsigned, and capped functions", async () => {
            expectPass(await checkStack(UNCAPPED, [uncapped, gateway]));
            const unsigned = withUrn(mutate(openGateway, c => {
                c.props.openapiDocuments[0].document.contents = fx.base64(OPEN_SPEC.replace("  address: https://europe-west1-shop-prod.cloudfunctions.net/orders\n", "  address: https://europe-west1-shop-prod.cloudfunctions.net/orders\n  disable_auth: true\n"));
            }));
            expectPass(await checkStack(UNCAPPED, [uncapped, unsigned]));
            expectPass(await checkStack(UNCAPPED, [orders, openGateway]));
        });
        it("can't tell a route of a document computed from the function yet", async () => {
            expectUnknown(await checkStack(PUBLIC, [ordersV2, computedGateway]));
            expectPass(await checkStack(PUBLIC, [ordersV2]));
        });
        it("reports the open route itself on the function when the gateway's policy is disabled", async () => {
            try {
                recordConfiguredLevel("gcp-apigateway-route-no-auth", "disabled");
                expectViolation(await checkStack(PUBLIC, [uncapped, openGateway]), /function `orders` can be invoked without authentication: ApiConfig `orders-api-config` routes GET \/orders to it/, "mandatory");
                // The open route is that line's root cause; the missing cap stays advice (one mandatory line).
                expectViolation(await checkStack(UNCAPPED, [uncapped, openGateway]), /function `orders` has no instance cap/, "advisory");
            } finally {
                recordConfiguredLevel("gcp-apigateway-route-no-auth", "mandatory");
            }
        });
    });
});
