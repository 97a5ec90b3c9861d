// The Azure event sources that trigger functions (Event Grid topics and domains, Service Bus and Event
// Hubs namespaces), on azure-native and classic Azure: whether anyone holding an access key or SAS
// token can send events from any network, and the namespaces' minimum TLS version, which the platform
// now enforces itself (policies/data/platform.ts).
import { AZURE_MESSAGING_TLS } from "../data/platform";
import { LinkedStack } from "../lib/define";
import { inForce } from "../lib/platform";
import { EVALUATION_DATE_CONFIG, evaluationDate } from "../lib/runtimes";
import { viewPolicy } from "../lib/view";
import { asBoolean, asString } from "../lib/values";
import { MESSAGE_ENTITIES, MESSAGING_NAMESPACES, MESSAGING_SOURCES, MessagingSourceView, Network } from "./messaging-views";

// The predicate of the resource policy that reports an event source open to keys from any network,
// shared with the stack policies that follow a function's triggers back to their sources.
export const MESSAGING_KEYS_ANY_NETWORK = "azure-messaging-local-auth-public-network";

/** How the source's network door reads (see MessagingSourceView.network), when it accepts keys at all. */
export function keysFromNetwork(view: MessagingSourceView, stack: () => LinkedStack): Network {
    return view.acceptsKeys() ? view.network(stack) : { open: false };
}

/** An event source that accepts its access keys and SAS tokens from every network. */
export function keysFromAnyNetwork(view: MessagingSourceView, stack: () => LinkedStack): boolean {
    const network = keysFromNetwork(view, stack);
    return network !== "unknown" && network.open;
}

const keysText = (view: MessagingSourceView) =>
    view.localAuth.where === "disableLocalAuth" ? "disableLocalAuth is not true" : `${view.localAuth.where} is not false`;

const WEAK_TLS = new Set(["1.0", "1.1"]);

/**
 * Service Bus reads an unset time to live as TimeSpan.MaxValue, written back as this duration: such a
 * message never expires. (The Basic tier caps it at 14 days.)
 */
const NEVER_EXPIRES = /^P10675199D/i;

export const messagingPolicies = [
    viewPolicy({
        name: MESSAGING_KEYS_ANY_NETWORK,
        description: "Event Grid topics and domains, Service Bus and Event Hubs namespaces that feed functions should not accept access keys and SAS tokens from every network: a key still has to be presented, but a leaked one lets anyone on the internet inject events into the functions they trigger.",
        // A key or SAS token is still needed, so this is not an open door (that would be critical): a leaked key
        // is the risk, hence medium and advisory unless the organization's profile makes it mandatory.
        severity: "medium",
        threats: ["R1", "P5"],
        references: ["MCSB IM-1", "OWASP SAS-1"],
        remediation: "Disable local authentication (azure-native disableLocalAuth: true; classic localAuthEnabled or localAuthenticationEnabled: false) and give senders and function triggers Microsoft Entra ID roles through managed identities (identity-based connections such as ServiceBusConnection__fullyQualifiedNamespace); or keep keys but close the network: public network access off with private endpoints, or an IP firewall listing the senders.",
        adapters: MESSAGING_SOURCES,
        withStack: true,
        check: ({ view, report, stack }) => {
            const network = keysFromNetwork(view, stack);
            if (network === "unknown" || !network.open) {
                return;
            }
            report(`${keysText(view)} and ${network.why}: this ${view.label} accepts access keys and SAS tokens from any network, so a leaked key lets anyone send events to the functions it triggers; set ${view.localAuth.where === "disableLocalAuth" ? "disableLocalAuth to true" : `${view.localAuth.where} to false`} and use managed identities, or ${view.networkFix}.`);
        },
    }),

    viewPolicy<MessagingSourceView, { evaluationDate?: string }>({
        name: "azure-messaging-min-tls",
        description: "Service Bus and Event Hubs namespaces must refuse TLS below 1.2, whose protocol weaknesses expose messages and SAS tokens in transit; once Azure refuses it on every namespace, a weaker setting only misleads.",
        severity: "high",
        threats: ["R4", "R3"],
        references: ["MCSB DP-3"],
        remediation: "Set minimumTlsVersion to \"1.2\".",
        adapters: MESSAGING_NAMESPACES,
        config: EVALUATION_DATE_CONFIG,
        check: ({ view: { minTlsVersion, tlsService, label }, report, warn, config }) => {
            const since = AZURE_MESSAGING_TLS.retiredSince[tlsService ?? "servicebus"];
            const retired = inForce(since, evaluationDate(config.evaluationDate));
            const version = asString(minTlsVersion.read())?.trim();
            const floor = AZURE_MESSAGING_TLS.floor;
            if (version === undefined && !retired) {
                report(`${minTlsVersion.where} is not set (until ${since} a ${label} accepts TLS 1.0 and 1.1 by default): set it to "${floor}".`);
            } else if (version !== undefined && WEAK_TLS.has(version)) {
                if (retired) {
                    // Azure refuses TLS 1.0/1.1 whatever the setting says: nothing is exposed, the setting only misleads.
                    warn(`${minTlsVersion.where} is "${version}", which Azure no longer honours (every ${label} refuses TLS below 1.2 since ${since}): set it to "${floor}" so that the configuration says what is enforced.`);
                } else {
                    report(`${minTlsVersion.where} is "${version}": set it to "${floor}".`);
                }
            }
        },
        remediate: ({ minTlsVersion, tlsService }, { config }) => {
            const version = asString(minTlsVersion.read())?.trim();
            const unsetIsWeak = !inForce(AZURE_MESSAGING_TLS.retiredSince[tlsService ?? "servicebus"], evaluationDate(config.evaluationDate));
            return (version === undefined && unsetIsWeak) || (version !== undefined && WEAK_TLS.has(version))
                ? minTlsVersion.patch(AZURE_MESSAGING_TLS.floor) : undefined;
        },
    }),

    viewPolicy({
        name: "azure-servicebus-dead-letter-on-expiration",
        description: "Service Bus queues and subscriptions that give messages a time to live should dead-letter them when it runs out: otherwise a message that expires before a function processes it (the function failing, throttled or stopped) is dropped without a trace.",
        severity: "low",
        threats: ["R1", "P4"],
        remediation: "Set deadLetteringOnMessageExpiration to true (and watch or drain the dead-letter queue), or leave the time to live unset so that messages don't expire.",
        adapters: MESSAGE_ENTITIES,
        check: ({ view: { label, timeToLive, deadLetterOnExpiration }, report }) => {
            const ttl = asString(timeToLive.read())?.trim();
            if (ttl === undefined || ttl === "" || NEVER_EXPIRES.test(ttl)) {
                return;
            }
            if (asBoolean(deadLetterOnExpiration.read()) !== true) {
                report(`${timeToLive.where} is set and ${deadLetterOnExpiration.where} is not true: messages that expire on this ${label} before a function processes them are dropped; set ${deadLetterOnExpiration.where} to true.`);
            }
        },
        remediate: ({ timeToLive, deadLetterOnExpiration }) => {
            const ttl = asString(timeToLive.read())?.trim();
            return ttl && !NEVER_EXPIRES.test(ttl) && asBoolean(deadLetterOnExpiration.read()) !== true ? deadLetterOnExpiration.patch(true) : undefined;
        },
    }),
];
