// What triggers an Azure function app: Event Grid subscriptions whose destination is one of its
// functions (on a custom topic or domain, or on a system topic over a storage account), and the
// messaging and storage sources its app settings name. A queue, hub or blob trigger's binding lives in
// the function's code (function.json or attributes), out of the program's sight; the app settings it
// reads its connection from (`<name>__fullyQualifiedNamespace`, `<name>__accountName`, a connection
// string) name the namespace or account, and that is the link followed here. The host's own storage
// (`AzureWebJobsStorage`) is every app's, HTTP-only ones included, so it is not taken for a trigger's.
import {
    CLASSIC_EVENTGRID_DOMAIN, CLASSIC_EVENTGRID_TOPIC, CLASSIC_EVENTHUB_NAMESPACE, CLASSIC_SERVICEBUS_NAMESPACE, EVENTGRID_DOMAIN, EVENTGRID_TOPIC,
    EVENTHUB_NAMESPACE, MESSAGING_SOURCES, SERVICEBUS_NAMESPACE,
} from "../../azure/messaging-views";
import { keysFromNetwork, MESSAGING_KEYS_ANY_NETWORK } from "../../azure/messaging";
import { allowsSharedKey, STORAGE_SHARED_KEY } from "../../azure/storage";
import { isUnknown, knownString, Node, ResourceGraph } from "../../lib/graph";
import { at, quote } from "../../lib/values";
import { type OnUnknown, type OpenWriter, rememberWaiting, waitUnlessOwned } from "../core";
import { FUNCTION } from "../../azure/common";
import { CLASSIC_FUNCTION, STORAGE_ACCOUNTS } from "../../azure/views";
import { appsOfCompanion, functionApps, settingsOf } from "./apps";
import { ACCOUNTS, ALL_APPS, set } from "./types";

export const EVENT_SUBSCRIPTION = "azure-native:eventgrid:EventSubscription";
export const SYSTEM_TOPIC_SUBSCRIPTION = "azure-native:eventgrid:SystemTopicEventSubscription";
export const SYSTEM_TOPIC = "azure-native:eventgrid:SystemTopic";
export const CLASSIC_EVENT_SUBSCRIPTION = "azure:eventgrid/eventSubscription:EventSubscription";
export const CLASSIC_SYSTEM_TOPIC = "azure:eventgrid/systemTopic:SystemTopic";
export const CLASSIC_SYSTEM_TOPIC_SUBSCRIPTION = "azure:eventgrid/systemTopicEventSubscription:SystemTopicEventSubscription";

const EVENT_GRID = set(EVENTGRID_TOPIC, EVENTGRID_DOMAIN, CLASSIC_EVENTGRID_TOPIC, CLASSIC_EVENTGRID_DOMAIN);
const NAMESPACES = set(SERVICEBUS_NAMESPACE, EVENTHUB_NAMESPACE, CLASSIC_SERVICEBUS_NAMESPACE, CLASSIC_EVENTHUB_NAMESPACE);
const SYSTEM_TOPICS = set(SYSTEM_TOPIC, CLASSIC_SYSTEM_TOPIC);

/** One way an event source triggers a function app. */
export interface AzureTriggerPath {
    app: Node;
    source: Node;
    /** The resource between source and app, in words, e.g. "EventSubscription `s`" or "app setting `Orders__fullyQualifiedNamespace`". */
    via: string;
    /** Set when a binding's connection setting names the source (a namespace or account whose queues, hubs or blobs trigger the app). */
    binding?: boolean;
    /** For an Event Grid source that delivers into the namespace or account a binding reads: that namespace or account. */
    through?: Node[];
}

const SOURCE_WHAT: Record<string, string> = {
    [EVENTGRID_TOPIC]: "Event Grid topic", [CLASSIC_EVENTGRID_TOPIC]: "Event Grid topic",
    [EVENTGRID_DOMAIN]: "Event Grid domain", [CLASSIC_EVENTGRID_DOMAIN]: "Event Grid domain",
    [SERVICEBUS_NAMESPACE]: "Service Bus namespace", [CLASSIC_SERVICEBUS_NAMESPACE]: "Service Bus namespace",
    [EVENTHUB_NAMESPACE]: "Event Hubs namespace", [CLASSIC_EVENTHUB_NAMESPACE]: "Event Hubs namespace",
};
/** The event sources whose writers the trigger family follows back from a function app (storage accounts included). */
export const TRIGGER_SOURCE_TYPES: readonly string[] = [...Object.keys(SOURCE_WHAT), ...ACCOUNTS];
export const azureSourceLabel = (source: Node) => `${SOURCE_WHAT[source.type] ?? (ACCOUNTS.has(source.type) ? "storage account" : "source")} ${quote(source.name)}`;

/** The site id in a function's ARM id (`.../sites/<app>/functions/<name>`). */
const SITE = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.web\/sites\/[^/]+(?:\/slots\/[^/]+)?)\/functions\/[^/]+$/i;

/** Where each subscription type names its destination function: the top-level property and the path to the function id. */
const DESTINATIONS: Record<string, { property: string; path: string[] }> = {
    [EVENT_SUBSCRIPTION]: { property: "destination", path: ["destination", "resourceId"] },
    [SYSTEM_TOPIC_SUBSCRIPTION]: { property: "destination", path: ["destination", "resourceId"] },
    [CLASSIC_EVENT_SUBSCRIPTION]: { property: "azureFunctionEndpoint", path: ["azureFunctionEndpoint", "functionId"] },
    [CLASSIC_SYSTEM_TOPIC_SUBSCRIPTION]: { property: "azureFunctionEndpoint", path: ["azureFunctionEndpoint", "functionId"] },
};

/** The function apps an Event Grid subscription delivers to: by the app its destination function id names, or by dependency. */
function destinationApps(g: ResourceGraph, sub: Node, onUnknown: OnUnknown): Node[] {
    const { property, path } = DESTINATIONS[sub.type];
    const value = at(sub.props, ...path);
    if (isUnknown(sub.props[property]) || isUnknown(value)) {
        // Computed from the app, or from one of its functions (its ARM id is the app's id and the function's name).
        const found = [...g.deps(sub, property, ALL_APPS)];
        for (const fn of g.deps(sub, property, set(FUNCTION, CLASSIC_FUNCTION))) {
            const apps = fn.type === FUNCTION ? appsOfCompanion(g, fn, false, onUnknown) : g.refs(fn, "functionAppId", ALL_APPS);
            apps.filter(a => !found.includes(a)).forEach(a => found.push(a));
        }
        if (found.length === 0 && g.deps(sub, property).length === 0) {
            onUnknown(sub, path.join("."));
        }
        return found;
    }
    const site = SITE.exec(knownString(value) ?? "");
    return site ? g.lookup(site[1], ALL_APPS, sub) : [];
}

/** The topic, domain or system-topic source an Event Grid subscription listens on. */
function subscriptionSources(g: ResourceGraph, sub: Node): Node[] {
    if (sub.type === SYSTEM_TOPIC_SUBSCRIPTION || sub.type === CLASSIC_SYSTEM_TOPIC_SUBSCRIPTION) {
        const property = sub.type === SYSTEM_TOPIC_SUBSCRIPTION ? "systemTopicName" : "systemTopic";
        return g.refs(sub, property, SYSTEM_TOPICS).flatMap(t => systemTopicSources(g, t));
    }
    const types = set(...EVENT_GRID, ...SYSTEM_TOPICS);
    let scopes = g.refs(sub, "scope", types);
    if (scopes.length === 0 && (sub.props.scope === undefined || sub.props.scope === null)) {
        // Read back from Azure, the scope (a path parameter) is absent: the subscription's ARM id starts with it.
        const id = knownString(sub.props.id);
        const prefix = id ? /^(.+?)\/providers\/microsoft\.eventgrid\/eventsubscriptions\/[^/]+$/i.exec(id)?.[1] : undefined;
        scopes = prefix ? g.lookup(prefix, types, sub) : [];
    }
    return scopes.flatMap(s => SYSTEM_TOPICS.has(s.type) ? systemTopicSources(g, s) : [s]);
}

/** The storage account a system topic publishes the events of (`source` on azure-native, `sourceResourceId` or `sourceArmResourceId` on classic Azure). */
function systemTopicSources(g: ResourceGraph, topic: Node): Node[] {
    const properties = topic.type === SYSTEM_TOPIC ? ["source"] : ["sourceResourceId", "sourceArmResourceId"];
    return [...new Set(properties.flatMap(p => g.refs(topic, p, ACCOUNTS)))];
}

/** The namespace or account a connection setting names, by its host (DNS names are global): `<ns>.servicebus.windows.net`, `AccountName=<a>`. */
function namedBy(g: ResourceGraph, value: string): Node[] {
    const host = /(?:^|sb:\/\/|https:\/\/|endpoint=sb:\/\/)([a-z0-9-]{3,63})\.servicebus\.windows\.net/i.exec(value);
    if (host) {
        return g.lookup(host[1].toLowerCase(), NAMESPACES);
    }
    const account = /(?:^|;)\s*AccountName=([a-z0-9]{3,24})\s*(?:;|$)/i.exec(value) ?? /^https:\/\/([a-z0-9]{3,24})\.(?:blob|queue|table)\.core\.windows\.net/i.exec(value);
    return account ? g.lookup(account[1].toLowerCase(), ACCOUNTS) : [];
}

/** App settings that carry a binding's connection: identity-based (`__fullyQualifiedNamespace`, `__accountName`, `__*ServiceUri`) or a connection string. */
const CONNECTION_SETTING = /(__fullyqualifiednamespace|__accountname|__(?:blob|queue)serviceuri|connection)/i;
/**
 * The host's own storage and content share: every function app has them, whatever its triggers (an
 * HTTP-only app too), so they say nothing about what triggers a function.
 */
const HOST_SETTING = /^(azurewebjobsstorage|azurewebjobsdashboard|website_contentazurefileconnectionstring)(__|$)/i;

/**
 * Every trigger source of every function app: Event Grid subscriptions to one of its functions, and the
 * Service Bus and Event Hubs namespaces and storage accounts its connection settings name (by value, or
 * during preview by the resources the settings are computed from).
 */
export function triggerPaths(g: ResourceGraph, onUnknown: OnUnknown): readonly AzureTriggerPath[] {
    return rememberWaiting(g, "azure:trigger-paths", onUnknown, wait => findTriggerPaths(g, wait));
}

function findTriggerPaths(g: ResourceGraph, onUnknown: OnUnknown): AzureTriggerPath[] {
    const out: AzureTriggerPath[] = [];
    for (const sub of g.ofType(...Object.keys(DESTINATIONS))) {
        const apps = destinationApps(g, sub, onUnknown);
        for (const source of apps.length > 0 ? subscriptionSources(g, sub) : []) {
            out.push(...apps.map(app => ({ app, source, via: `${sub.type.slice(sub.type.lastIndexOf(":") + 1)} ${quote(sub.name)}` })));
        }
    }
    const seen = new Set<string>();
    const add = (app: Node, source: Node, via: string) => {
        const key = `${app.urn}\u0000${source.urn}`;
        if (!seen.has(key)) {
            seen.add(key);
            out.push({ app, source, via, binding: true });
        }
    };
    for (const app of functionApps(g, () => undefined)) {
        const view = settingsOf(g, app, true);
        for (const s of view.settings) {
            if (!s.name || HOST_SETTING.test(s.name) || (s.label !== "connection string" && !CONNECTION_SETTING.test(s.name))) {
                continue;
            }
            const via = `${s.label} ${quote(s.name)} (a binding's connection)`;
            const value = knownString(s.value);
            if (value) {
                const accountName = /__accountname$/i.test(s.name) && /^[a-z0-9]{3,24}$/i.test(value.trim());
                (accountName ? g.lookup(value.trim().toLowerCase(), ACCOUNTS) : namedBy(g, value)).forEach(source => add(app, source, via));
            } else if (isUnknown(s.value)) {
                // Computed during preview: the namespaces the settings are computed from (a storage account
                // there is as likely the host's AzureWebJobsStorage, so it isn't taken for a trigger's).
                g.deps(s.owner, s.property, NAMESPACES).forEach(source => add(app, source, `${s.where}, computed from it (a binding's connection)`));
            }
        }
    }
    return [...out, ...relayedByEventGrid(g, out.filter(p => p.binding))];
}

/** Service Bus queues and topics and event hubs, by the property that names their namespace. */
const ENTITIES: Record<string, string> = {
    "azure-native:servicebus:Queue": "namespaceName", "azure-native:servicebus:Topic": "namespaceName", "azure-native:eventhub:EventHub": "namespaceName",
    "azure:servicebus/queue:Queue": "namespaceId", "azure:servicebus/topic:Topic": "namespaceId", "azure:eventhub/eventHub:EventHub": "namespaceId",
};
const RELAY_TARGETS = set(...NAMESPACES, ...ACCOUNTS, ...Object.keys(ENTITIES));
/** A queue's, topic's or hub's ARM id: its namespace's id, then the entity. */
const ENTITY_ID = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.(?:servicebus|eventhub)\/namespaces\/[^/]+)\/(?:queues|topics|eventhubs)\/[^/]+$/i;
const NATIVE_RELAY_ENDPOINTS = new Set(["ServiceBusQueue", "ServiceBusTopic", "EventHub", "StorageQueue"]);
/** Where classic subscriptions name a queue, topic or hub (or, for a storage queue, its account). */
const CLASSIC_RELAY_ENDPOINTS = [["serviceBusQueueEndpointId"], ["serviceBusTopicEndpointId"], ["eventhubEndpointId"], ["storageQueueEndpoint", "storageAccountId"]];

/**
 * The namespaces and storage accounts an Event Grid subscription delivers into (a Service Bus queue or
 * topic, an event hub, a storage queue): by the id it names, or during preview by the resources the
 * destination is computed from. An unknown destination with nothing to follow is destinationApps' to wait for.
 */
function relayTargets(g: ResourceGraph, sub: Node): Node[] {
    const resolve = (property: string, value: unknown): Node[] => {
        if (isUnknown(value)) {
            return g.deps(sub, property, RELAY_TARGETS);
        }
        const id = knownString(value);
        const entity = id ? ENTITY_ID.exec(id) : null;
        return entity ? g.lookup(entity[1], NAMESPACES, sub) : id ? g.lookup(id, ACCOUNTS, sub) : [];
    };
    let found: Node[] = [];
    if (sub.type === EVENT_SUBSCRIPTION || sub.type === SYSTEM_TOPIC_SUBSCRIPTION) {
        const destination = sub.props.destination;
        const type = at(destination, "endpointType");
        if (isUnknown(destination) || isUnknown(type)) {
            found = g.deps(sub, "destination", RELAY_TARGETS);
        } else if (NATIVE_RELAY_ENDPOINTS.has(String(type))) {
            found = resolve("destination", at(destination, "resourceId"));
        }
    } else {
        found = CLASSIC_RELAY_ENDPOINTS.flatMap(([property, inner]) => resolve(property, inner && !isUnknown(sub.props[property]) ? at(sub.props[property], inner) : sub.props[property]));
    }
    return [...new Set(found.flatMap(n => ENTITIES[n.type] ? g.refs(n, ENTITIES[n.type], NAMESPACES) : [n]))];
}

/** Event Grid sources that deliver into a namespace or account a binding of an app reads: the chain source -> subscription -> relay -> app. */
function relayedByEventGrid(g: ResourceGraph, bindings: readonly AzureTriggerPath[]): AzureTriggerPath[] {
    const byRelay = new Map<Node, AzureTriggerPath[]>();
    for (const p of bindings) {
        byRelay.set(p.source, [...(byRelay.get(p.source) ?? []), p]);
    }
    const out: AzureTriggerPath[] = [];
    for (const sub of byRelay.size > 0 ? g.ofType(...Object.keys(DESTINATIONS)) : []) {
        for (const relay of relayTargets(g, sub).filter(r => byRelay.has(r))) {
            for (const source of subscriptionSources(g, sub).filter(s => s !== relay)) {
                for (const p of byRelay.get(relay)!) {
                    out.push({ app: p.app, source, via: `${sub.type.slice(sub.type.lastIndexOf(":") + 1)} ${quote(sub.name)} -> ${azureSourceLabel(relay)} -> ${p.via}`, through: [relay] });
                }
            }
        }
    }
    return out;
}

/**
 * Who outside the tenant may write to a trigger's source, by the predicates of the resource policies
 * that report it: a topic, domain or namespace that accepts its access keys and SAS tokens from any
 * network (azure-messaging-local-auth-public-network), a storage account that accepts Shared Key
 * authorization (azure-storage-shared-key-access). Whoever holds a key writes from anywhere, in any
 * tenant. A local-auth setting unknown during preview is those policies' to wait for.
 */
export function openWriters(g: ResourceGraph, source: Node, onUnknown: OnUnknown): OpenWriter[] {
    const messaging = MESSAGING_SOURCES[source.type];
    if (messaging) {
        const view = messaging.view(source.props, source.type);
        if (view.localAuth.isUnknown()) {
            waitUnlessOwned(onUnknown, [MESSAGING_KEYS_ANY_NETWORK], source, view.localAuth.where);
            return [];
        }
        const network = keysFromNetwork(view, () => ({ graph: g, node: source, unknown: onUnknown }));
        return network !== "unknown" && network.open
            ? [{ reportedBy: { policy: MESSAGING_KEYS_ANY_NETWORK, node: source }, what: `${view.label} ${quote(source.name)} accepts access keys and SAS tokens from any network (${network.why})` }]
            : [];
    }
    const storage = STORAGE_ACCOUNTS[source.type];
    if (storage) {
        const view = storage.view(source.props, source.type);
        if (view.sharedKeyAccess.isUnknown()) {
            waitUnlessOwned(onUnknown, [STORAGE_SHARED_KEY], source, view.sharedKeyAccess.where);
            return [];
        }
        return allowsSharedKey(view)
            ? [{ reportedBy: { policy: STORAGE_SHARED_KEY, node: source }, what: `storage account ${quote(source.name)} accepts Shared Key authorization (${view.sharedKeyAccess.where} is not false)` }]
            : [];
    }
    return [];
}
