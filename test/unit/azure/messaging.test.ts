import * as assert from "assert";
import { check, checkStack, remediate, TestResource } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";

const RG = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/orders-rg";

const topic: TestResource = {
    type: "azure-native:eventgrid:Topic",
    name: "orders-events",
    props: { resourceGroupName: "orders-rg", topicName: "orders-events", disableLocalAuth: true, publicNetworkAccess: "Disabled" },
};
const domain: TestResource = {
    type: "azure-native:eventgrid:Domain",
    name: "orders-domain",
    props: { resourceGroupName: "orders-rg", domainName: "orders-domain", disableLocalAuth: false, publicNetworkAccess: "Enabled", inboundIpRules: [{ ipMask: "203.0.113.0/24", action: "Allow" }] },
};
const bus: TestResource = {
    type: "azure-native:servicebus:Namespace",
    name: "orders-bus",
    urn: "urn:pulumi:test::test::azure-native:servicebus:Namespace::orders-bus",
    props: { resourceGroupName: "orders-rg", namespaceName: "orders-bus", sku: { name: "Premium", tier: "Premium" }, disableLocalAuth: true, minimumTlsVersion: "1.2" },
};
const hub: TestResource = {
    type: "azure-native:eventhub:Namespace",
    name: "orders-hub",
    props: { resourceGroupName: "orders-rg", namespaceName: "orders-hub", sku: { name: "Standard" }, disableLocalAuth: true, minimumTlsVersion: "1.2", publicNetworkAccess: "Disabled" },
};
const busRules: TestResource = {
    type: "azure-native:servicebus:NamespaceNetworkRuleSet",
    name: "orders-bus-rules",
    props: { resourceGroupName: "orders-rg", namespaceName: "orders-bus", defaultAction: "Deny", ipRules: [{ ipMask: "203.0.113.0/24", action: "Allow" }], publicNetworkAccess: "Enabled" },
};

describe("azure messaging event sources", () => {
    describe("azure-messaging-local-auth-public-network", () => {
        const name = "azure-messaging-local-auth-public-network";
        it("passes sources without local auth, or with keys behind a closed network or IP rules", () => {
            expectPass(check(name, topic));
            expectPass(check(name, domain));
            expectPass(check(name, hub));
            expectPass(check(name, mutate(topic, t => { t.props.disableLocalAuth = false; t.props.publicNetworkAccess = "SecuredByPerimeter"; })));
        });
        it("flags an Event Grid topic or domain that takes keys from any network, also by default (advisory: a key is still needed)", () => {
            const open = mutate(topic, t => { delete t.props.disableLocalAuth; delete t.props.publicNetworkAccess; });
            expectViolation(check(name, open), /disableLocalAuth is not true and publicNetworkAccess allows public access and inboundIpRules is empty: this Event Grid topic accepts access keys and SAS tokens from any network/, "advisory");
            expectViolation(check(name, mutate(domain, d => { d.props.inboundIpRules.push({ ipMask: "0.0.0.0/0", action: "Allow" }); })), /inboundIpRules allows every address: this Event Grid domain/);
        });
        it("decides an azure-native namespace with its NamespaceNetworkRuleSet", async () => {
            const keys = mutate(bus, b => { b.props.disableLocalAuth = false; });
            expectViolation(await checkStack(name, [keys]), /publicNetworkAccess allows public access and no NamespaceNetworkRuleSet restricts it: this Service Bus namespace/, "advisory");
            expectPass(await checkStack(name, [keys, busRules]));
            const allowAll = mutate(busRules, r => { r.props.defaultAction = "Allow"; });
            expectViolation(await checkStack(name, [keys, allowAll]), /its NamespaceNetworkRuleSet allows every address/);
            // Read back (audit): the rule set names its namespace only in its ARM id.
            const readBack = mutate(keys, b => { b.props.id = `${RG}/providers/Microsoft.ServiceBus/namespaces/orders-bus`; });
            const rulesRead = mutate(busRules, r => { delete r.props.namespaceName; delete r.props.resourceGroupName; r.props.id = `${RG}/providers/Microsoft.ServiceBus/namespaces/orders-bus/networkRuleSets/default`; });
            expectPass(await checkStack(name, [readBack, rulesRead]));
            // At preview: the rule set's namespaceName is computed from the namespace.
            const computed = { ...mutate(busRules, r => { r.props.namespaceName = UNKNOWN; }), propertyDependencies: { namespaceName: [bus.urn!] } };
            expectPass(await checkStack(name, [keys, computed]));
            expectPass(await checkStack(name, [bus]));
        });
        it("reads strange rule set shapes without failing: what doesn't restrict leaves the namespace open", async () => {
            const keys = mutate(bus, b => { b.props.disableLocalAuth = false; });
            for (const change of [(r: any) => { r.props.ipRules = "203.0.113.0/24"; }, (r: any) => { r.props.ipRules = [null, 7, { ipMask: ["x"] }]; }, (r: any) => { r.props.defaultAction = 42; }, (r: any) => { r.props = { namespaceName: "orders-bus", resourceGroupName: "orders-rg" }; }]) {
                const out = await checkStack(name, [keys, mutate(busRules, change)]);
                assert.strictEqual(out.unknown, undefined);
                assert.ok(out.violations.every(v => /accepts access keys/.test(v.message)), JSON.stringify(out.violations));
            }
        });
        it("passes a namespace whose public network access is off, without looking further", () => {
            expectPass(check(name, mutate(hub, h => { h.props.disableLocalAuth = false; })));
        });
        it("can't decide on values unknown during preview", async () => {
            expectUnknown(check(name, mutate(topic, t => { t.props.disableLocalAuth = UNKNOWN; })));
            expectUnknown(check(name, mutate(domain, d => { d.props.inboundIpRules = UNKNOWN; })));
            const keys = mutate(bus, b => { b.props.disableLocalAuth = false; });
            const out = await checkStack(name, [keys, mutate(busRules, r => { r.props.defaultAction = UNKNOWN; })]);
            assert.ok(!out.violations.some(v => /accepts access keys/.test(v.message)));
            expectUnknown(out);
        });
    });

    describe("azure-messaging-min-tls", () => {
        const name = "azure-messaging-min-tls";
        const before = { evaluationDate: "2025-02-27" };
        it("passes TLS 1.2", () => {
            expectPass(check(name, bus));
            expectPass(check(name, hub));
        });
        it("flags TLS 1.0/1.1 and the unset default before the retirement", () => {
            expectViolation(check(name, mutate(bus, b => { b.props.minimumTlsVersion = "1.0"; }), { config: before }), /minimumTlsVersion is "1\.0": set it to "1\.2"/, "mandatory");
            const unset = mutate(bus, b => { delete b.props.minimumTlsVersion; });
            expectViolation(check(name, unset, { config: before }), /not set \(until 2025-02-28 a Service Bus namespace accepts TLS 1\.0 and 1\.1 by default\)/, "mandatory");
            assert.strictEqual(remediate(name, unset, { config: before })!.minimumTlsVersion, "1.2");
        });
        it("only warns after the platform refuses TLS below 1.2 (Service Bus 2025-02-28, Event Hubs 2025-10-20)", () => {
            expectPass(check(name, mutate(bus, b => { delete b.props.minimumTlsVersion; })));
            expectViolation(check(name, mutate(hub, h => { h.props.minimumTlsVersion = "1.1"; })), /no longer honours .* since 2025-10-20/, "advisory");
            expectViolation(check(name, mutate(hub, h => { h.props.minimumTlsVersion = "1.1"; }), { config: { evaluationDate: "2025-10-19" } }), /"1\.1": set it/, "mandatory");
        });
        it("can't decide on an unknown version", () => expectUnknown(check(name, mutate(bus, b => { b.props.minimumTlsVersion = UNKNOWN; }))));
    });

    describe("azure-servicebus-dead-letter-on-expiration", () => {
        const name = "azure-servicebus-dead-letter-on-expiration";
        const queue: TestResource = {
            type: "azure-native:servicebus:Queue",
            name: "orders-queue",
            props: { resourceGroupName: "orders-rg", namespaceName: "orders-bus", queueName: "orders", defaultMessageTimeToLive: "PT1H", deadLetteringOnMessageExpiration: true },
        };
        const subscription: TestResource = {
            type: "azure-native:servicebus:Subscription",
            name: "orders-sub",
            props: { resourceGroupName: "orders-rg", namespaceName: "orders-bus", topicName: "orders", subscriptionName: "fn", maxDeliveryCount: 10 },
        };
        it("passes dead-lettered expiry, and messages that never expire (unset, or the service's maximum as read back)", () => {
            expectPass(check(name, queue));
            expectPass(check(name, subscription));
            expectPass(check(name, mutate(subscription, s => { s.props.defaultMessageTimeToLive = "P10675199DT2H48M5.4775807S"; })));
        });
        it("flags a time to live without dead-lettering, and remediates", () => {
            const dropped = mutate(queue, q => { q.props.deadLetteringOnMessageExpiration = false; });
            expectViolation(check(name, dropped), /defaultMessageTimeToLive is set and deadLetteringOnMessageExpiration is not true: messages that expire on this queue/, "advisory");
            expectViolation(check(name, mutate(subscription, s => { s.props.defaultMessageTimeToLive = "P7D"; })), /this subscription/);
            assert.strictEqual(remediate(name, dropped)!.deadLetteringOnMessageExpiration, true);
            assert.strictEqual(remediate(name, queue), undefined);
        });
        it("can't decide on an unknown time to live", () => expectUnknown(check(name, mutate(queue, q => { q.props.defaultMessageTimeToLive = UNKNOWN; }))));
    });
});
