import { check } from "../../support/harness";
import { expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import * as fx from "../../fixtures/azure";
import { UNKNOWN } from "../../../runner/wire";

describe("azure function app network", () => {
    describe("azure-functionapp-client-certificates", () => {
        const name = "azure-functionapp-client-certificates";
        const required = { config: { requireClientCertificates: true } };
        it("passes apps without client certificates by default, and required certificates always", () => {
            [fx.functionApp, fx.flexFunctionApp].forEach(a => expectPass(check(name, a)));
            expectPass(check(name, mutate(fx.functionApp, a => { a.props.clientCertEnabled = true; a.props.clientCertMode = "Required"; }), required));
            expectPass(check(name, mutate(fx.functionApp, a => { a.props.clientCertEnabled = true; }), required));
        });
        it("flags certificates enabled but optional", () => {
            expectViolation(check(name, mutate(fx.functionApp, a => { a.props.clientCertEnabled = true; a.props.clientCertMode = "Optional"; })),
                /clientCertMode is `Optional` while clientCertEnabled is true, so requests without a certificate are still accepted/, "advisory");
            expectViolation(check(name, mutate(fx.functionApp, a => { a.props.clientCertEnabled = true; a.props.clientCertMode = "OptionalInteractiveUser"; })), /`OptionalInteractiveUser`/);
        });
        it("requires client certificates only when the organization asks for mutual TLS", () => {
            expectViolation(check(name, fx.functionApp, required), /clientCertEnabled is not true: callers are not asked for a client certificate/);
        });
        it("leaves other web apps alone and can't decide on unknown settings", () => {
            expectNotApplicable(check(name, mutate(fx.plainWebApp, a => { a.props.clientCertEnabled = true; a.props.clientCertMode = "Optional"; })));
            expectUnknown(check(name, mutate(fx.functionApp, a => { a.props.clientCertEnabled = UNKNOWN; })));
            expectUnknown(check(name, mutate(fx.functionApp, a => { a.props.clientCertEnabled = true; a.props.clientCertMode = UNKNOWN; })));
        });
    });

    describe("azure-functionapp-vnet-integration", () => {
        const name = "azure-functionapp-vnet-integration";
        const required = { config: { requireVnetIntegration: true } };
        it("is opt-in, with the same flag style as gcp-cloudfunction-vpc-egress", () => {
            expectNotApplicable(check(name, mutate(fx.functionApp, a => { delete a.props.virtualNetworkSubnetId; })), /requireVnetIntegration/);
        });
        it("passes an integrated app routing all traffic, a computed subnet counting as set", () => {
            expectPass(check(name, fx.functionApp, required));
            expectPass(check(name, mutate(fx.functionApp, a => { delete a.props.outboundVnetRouting; a.props.siteConfig.vnetRouteAllEnabled = true; }), required));
            expectPass(check(name, mutate(fx.flexFunctionApp, a => { a.props.virtualNetworkSubnetId = UNKNOWN; }), required));
        });
        it("flags an app without VNet integration, or routing only private traffic", () => {
            expectViolation(check(name, mutate(fx.functionApp, a => { delete a.props.virtualNetworkSubnetId; }), required), /virtualNetworkSubnetId is not set/, "advisory");
            expectViolation(check(name, fx.flexFunctionApp, required), /virtualNetworkSubnetId is not set/);
            expectViolation(check(name, mutate(fx.functionApp, a => { a.props.outboundVnetRouting = { allTraffic: false }; }), required), /outboundVnetRouting\.allTraffic .* is not true/);
        });
        it("can't decide on unknown routing", () => expectUnknown(check(name, mutate(fx.functionApp, a => { a.props.outboundVnetRouting = UNKNOWN; }), required)));
    });
});
