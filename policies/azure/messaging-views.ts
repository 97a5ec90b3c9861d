// Views of the Azure messaging resources that feed functions (Event Grid topics and domains, Service
// Bus and Event Hubs namespaces) for azure-native and classic Azure. Both providers describe the same
// two doors, in different shapes: whether the resource accepts its access keys and SAS tokens
// (azure-native `disableLocalAuth`; classic `localAuthEnabled`, `localAuthenticationEnabled` on Event
// Hubs), and from which networks (`publicNetworkAccess` or `publicNetworkAccessEnabled`, with Event
// Grid's `inboundIpRules`; a namespace's IP firewall is a separate NamespaceNetworkRuleSet resource on
// azure-native and an inline `networkRuleSet` / `networkRulesets` block on classic Azure).
import { absent, Adapter, Adapters, Field, field } from "../lib/view";
import { LinkedStack } from "../lib/define";
import { isUnknown, knownString, Node } from "../lib/graph";
import { asBoolean, asList, asString, at, Dict, isRecord } from "../lib/values";
import { withDefault } from "./views";

export const EVENTGRID_TOPIC = "azure-native:eventgrid:Topic";
export const EVENTGRID_DOMAIN = "azure-native:eventgrid:Domain";
export const SERVICEBUS_NAMESPACE = "azure-native:servicebus:Namespace";
export const EVENTHUB_NAMESPACE = "azure-native:eventhub:Namespace";
export const SERVICEBUS_RULE_SET = "azure-native:servicebus:NamespaceNetworkRuleSet";
export const EVENTHUB_RULE_SET = "azure-native:eventhub:NamespaceNetworkRuleSet";
export const CLASSIC_EVENTGRID_TOPIC = "azure:eventgrid/topic:Topic";
export const CLASSIC_EVENTGRID_DOMAIN = "azure:eventgrid/domain:Domain";
export const CLASSIC_SERVICEBUS_NAMESPACE = "azure:servicebus/namespace:Namespace";
export const CLASSIC_EVENTHUB_NAMESPACE = "azure:eventhub/eventHubNamespace:EventHubNamespace";

const OPEN_ADDRESSES = new Set(["0.0.0.0/0", "0.0.0.0", "*", "any", "::/0"]);

/** How a resource's network door reads: open to every address (and why), restricted, or unknown during preview. */
export type Network = { open: true; why: string } | { open: false } | "unknown";

/** An event source that functions consume: who may write to it with a key, and from where. */
export interface MessagingSourceView {
    /** What it is, for messages ("Event Grid topic", "Service Bus namespace"). */
    label: string;
    /** The local-auth setting as the provider spells it. */
    localAuth: Field;
    /** Whether the resource accepts its access keys and SAS tokens (the provider's default when unset). */
    acceptsKeys(): boolean;
    /** The network door; may call `stack()` where the firewall is a separate resource (azure-native namespaces). */
    network(stack: () => LinkedStack): Network;
    /** The setting that closes the network door, for remediation text. */
    networkFix: string;
    /** The namespace's minimum TLS version (absent on Event Grid), with the provider's default when unset. */
    minTlsVersion: Field;
    /** The service whose TLS retirement applies, when it has a minimumTlsVersion. */
    tlsService?: "servicebus" | "eventhub";
}

const enabledText = (v: unknown) => v === undefined || asString(v)?.trim().toLowerCase() === "enabled";
const openAddress = (mask: unknown) => OPEN_ADDRESSES.has(asString(mask)?.trim().toLowerCase() ?? "");

/** Event Grid inbound IP rules: with any rule, only the listed addresses may publish (a rule for every address opens it again). */
function eventGridNetwork(publicAccess: unknown, publicWhere: string, rules: unknown, publicOpen: (v: unknown) => boolean): Network {
    if (!publicOpen(publicAccess)) {
        return { open: false };
    }
    const list = asList(rules);
    if (list.length === 0) {
        return { open: true, why: `${publicWhere} allows public access and inboundIpRules is empty` };
    }
    return list.some(rule => openAddress(at(rule, "ipMask")))
        ? { open: true, why: "inboundIpRules allows every address" }
        : { open: false };
}

// azure-native Event Grid topics and domains: disableLocalAuth (default false), publicNetworkAccess
// ("Enabled" by default, "Disabled" or "SecuredByPerimeter"), inboundIpRules.
const nativeEventGrid = (label: string): Adapter<MessagingSourceView> => ({
    view: props => ({
        label,
        localAuth: field(props, "disableLocalAuth"),
        acceptsKeys: () => asBoolean(props.disableLocalAuth) !== true,
        network: () => eventGridNetwork(props.publicNetworkAccess, "publicNetworkAccess", props.inboundIpRules, enabledText),
        networkFix: "set publicNetworkAccess to \"Disabled\" (private endpoints) or list the publishers' addresses in inboundIpRules",
        minTlsVersion: absent("minimumTlsVersion"),
    }),
});

// Classic Event Grid topics and domains: localAuthEnabled and publicNetworkAccessEnabled (both default true), inboundIpRules.
const classicEventGrid = (label: string): Adapter<MessagingSourceView> => ({
    view: props => ({
        label,
        localAuth: field(props, "localAuthEnabled"),
        acceptsKeys: () => asBoolean(props.localAuthEnabled) !== false,
        network: () => eventGridNetwork(props.publicNetworkAccessEnabled, "publicNetworkAccessEnabled", props.inboundIpRules, v => asBoolean(v) !== false),
        networkFix: "set publicNetworkAccessEnabled to false (private endpoints) or list the publishers' addresses in inboundIpRules",
        minTlsVersion: absent("minimumTlsVersion"),
    }),
});

/** A namespace IP firewall: denied by default with no rule for every address, or public access off. */
function ruleSetRestricts(ruleSet: { defaultAction: unknown; ipMasks: unknown[]; publicOff: boolean }): boolean {
    if (ruleSet.publicOff) {
        return true;
    }
    return asString(ruleSet.defaultAction)?.trim().toLowerCase() === "deny" && !ruleSet.ipMasks.some(openAddress);
}

const RULE_SET_OF: Record<string, string> = { [SERVICEBUS_NAMESPACE]: SERVICEBUS_RULE_SET, [EVENTHUB_NAMESPACE]: EVENTHUB_RULE_SET };

/** The NamespaceNetworkRuleSet resources of an azure-native namespace: by namespaceName, or by ARM id (as read back). */
export function ruleSetsOf(stack: LinkedStack): Node[] {
    const { graph, node } = stack;
    const type = RULE_SET_OF[node.type];
    const found = [...graph.referrers(node, "namespaceName", [type])];
    const id = knownString(node.props.id)?.toLowerCase();
    const lower = (v: unknown) => knownString(v)?.toLowerCase();
    // The namespace's own name input (namespaceName, or the provider's name), in its resource group.
    const name = lower(node.props.namespaceName) ?? lower(node.props.name);
    const group = lower(node.props.resourceGroupName);
    for (const rs of graph.ofType(type)) {
        const byId = id !== undefined && lower(rs.props.id)?.startsWith(`${id}/networkrulesets/`) === true;
        const byName = name !== undefined && lower(rs.props.namespaceName) === name && group !== undefined && lower(rs.props.resourceGroupName) === group;
        if ((byId || byName) && !found.includes(rs)) {
            found.push(rs);
        }
    }
    return found;
}

/** Whether a NamespaceNetworkRuleSet restricts its namespace; "unknown" (recorded) when a decisive value is unknown during preview. */
function nativeRuleSetRestricts(rs: Node, stack: LinkedStack): boolean | "unknown" {
    for (const key of ["publicNetworkAccess", "defaultAction", "ipRules"]) {
        if (isUnknown(rs.props[key])) {
            stack.unknown(rs, key);
            return "unknown";
        }
    }
    const ipRules = asList(rs.props.ipRules);
    if (ipRules.some(r => isUnknown(at(r, "ipMask")))) {
        stack.unknown(rs, "ipRules");
        return "unknown";
    }
    return ruleSetRestricts({
        defaultAction: rs.props.defaultAction,
        ipMasks: ipRules.map(r => at(r, "ipMask")),
        publicOff: asString(rs.props.publicNetworkAccess) !== undefined && !enabledText(rs.props.publicNetworkAccess),
    });
}

// azure-native Service Bus and Event Hubs namespaces: disableLocalAuth (default false), publicNetworkAccess
// ("Enabled" by default), minimumTlsVersion; the IP firewall is a NamespaceNetworkRuleSet resource.
const nativeNamespace = (label: string, tlsService: "servicebus" | "eventhub"): Adapter<MessagingSourceView> => ({
    view: props => ({
        label,
        localAuth: field(props, "disableLocalAuth"),
        acceptsKeys: () => asBoolean(props.disableLocalAuth) !== true,
        network: stack => {
            if (!enabledText(props.publicNetworkAccess)) {
                return { open: false };
            }
            const linked = stack();
            const ruleSets = ruleSetsOf(linked);
            if (ruleSets.length === 0) {
                return { open: true, why: "publicNetworkAccess allows public access and no NamespaceNetworkRuleSet restricts it" };
            }
            let unknown = false;
            for (const rs of ruleSets) {
                const restricts = nativeRuleSetRestricts(rs, linked);
                if (restricts === true) {
                    return { open: false };
                }
                unknown ||= restricts === "unknown";
            }
            return unknown ? "unknown" : { open: true, why: "publicNetworkAccess allows public access and its NamespaceNetworkRuleSet allows every address" };
        },
        networkFix: "set publicNetworkAccess to \"Disabled\" (private endpoints), or add a NamespaceNetworkRuleSet with defaultAction \"Deny\" and the senders' addresses",
        minTlsVersion: field(props, "minimumTlsVersion"),
        tlsService,
    }),
});

/** The inline network rule block of a classic namespace (an object, or a one-item list as read back). */
function classicRuleBlock(props: Dict, key: string): Dict | undefined {
    const block = props[key];
    const item = Array.isArray(block) ? block[0] : block;
    return isRecord(item) ? item : undefined;
}

const classicNamespace = (label: string, tlsService: "servicebus" | "eventhub", localKey: string, rulesKey: string): Adapter<MessagingSourceView> => ({
    view: props => ({
        label,
        localAuth: field(props, localKey),
        acceptsKeys: () => asBoolean(props[localKey]) !== false,
        network: () => {
            if (asBoolean(props.publicNetworkAccessEnabled) === false) {
                return { open: false };
            }
            const rules = classicRuleBlock(props, rulesKey);
            if (!rules) {
                return { open: true, why: `publicNetworkAccessEnabled is not false and ${rulesKey} is not set` };
            }
            // Service Bus lists addresses as strings; Event Hubs as {ipMask, action}.
            const ipMasks = asList(rules.ipRules).map(r => (isRecord(r) ? r.ipMask : r));
            const restricted = ruleSetRestricts({ defaultAction: rules.defaultAction, ipMasks, publicOff: asBoolean(rules.publicNetworkAccessEnabled) === false });
            return restricted ? { open: false } : { open: true, why: `publicNetworkAccessEnabled is not false and ${rulesKey}.defaultAction is not "Deny"` };
        },
        networkFix: `set publicNetworkAccessEnabled to false (private endpoints), or ${rulesKey}.defaultAction to "Deny" with the senders' addresses`,
        // The provider's default is "1.2".
        minTlsVersion: withDefault(field(props, "minimumTlsVersion"), "1.2"),
        tlsService,
    }),
});

/** Event sources with keys and a network door, on both providers. */
export const MESSAGING_SOURCES: Adapters<MessagingSourceView> = {
    [EVENTGRID_TOPIC]: nativeEventGrid("Event Grid topic"),
    [EVENTGRID_DOMAIN]: nativeEventGrid("Event Grid domain"),
    [SERVICEBUS_NAMESPACE]: nativeNamespace("Service Bus namespace", "servicebus"),
    [EVENTHUB_NAMESPACE]: nativeNamespace("Event Hubs namespace", "eventhub"),
    [CLASSIC_EVENTGRID_TOPIC]: classicEventGrid("Event Grid topic"),
    [CLASSIC_EVENTGRID_DOMAIN]: classicEventGrid("Event Grid domain"),
    [CLASSIC_SERVICEBUS_NAMESPACE]: classicNamespace("Service Bus namespace", "servicebus", "localAuthEnabled", "networkRuleSet"),
    [CLASSIC_EVENTHUB_NAMESPACE]: classicNamespace("Event Hubs namespace", "eventhub", "localAuthenticationEnabled", "networkRulesets"),
};

/** The namespaces (Service Bus, Event Hubs) that have a minimum TLS setting. */
export const MESSAGING_NAMESPACES: Adapters<MessagingSourceView> = Object.fromEntries(
    [SERVICEBUS_NAMESPACE, EVENTHUB_NAMESPACE, CLASSIC_SERVICEBUS_NAMESPACE, CLASSIC_EVENTHUB_NAMESPACE].map(t => [t, MESSAGING_SOURCES[t]]),
);

export const SERVICEBUS_QUEUE = "azure-native:servicebus:Queue";
export const SERVICEBUS_SUBSCRIPTION = "azure-native:servicebus:Subscription";
export const CLASSIC_SERVICEBUS_QUEUE = "azure:servicebus/queue:Queue";
export const CLASSIC_SERVICEBUS_SUBSCRIPTION = "azure:servicebus/subscription:Subscription";

/** A Service Bus queue or topic subscription that a function trigger reads. */
export interface MessageEntityView {
    label: string;
    /** The message time to live (ISO 8601 duration); unset: the service's default, which never expires. */
    timeToLive: Field;
    deadLetterOnExpiration: Field;
}

const entity = (label: string, ttl: string): Adapter<MessageEntityView> => ({
    view: props => ({ label, timeToLive: field(props, ttl), deadLetterOnExpiration: field(props, "deadLetteringOnMessageExpiration") }),
});

export const MESSAGE_ENTITIES: Adapters<MessageEntityView> = {
    [SERVICEBUS_QUEUE]: entity("queue", "defaultMessageTimeToLive"),
    [SERVICEBUS_SUBSCRIPTION]: entity("subscription", "defaultMessageTimeToLive"),
    [CLASSIC_SERVICEBUS_QUEUE]: entity("queue", "defaultMessageTtl"),
    [CLASSIC_SERVICEBUS_SUBSCRIPTION]: entity("subscription", "defaultMessageTtl"),
};
