// The network doors of an Azure function app: incoming client certificates (mutual TLS) and, where the
// organization requires it, outbound traffic through a virtual network (regional VNet integration).
// Both depend on an application's design, so requiring them is opt-in; a half-enabled client
// certificate setting is always a finding.
import { viewPolicy } from "../lib/view";
import { asBoolean, asString, quote } from "../lib/values";
import { APP_NETWORK, AppNetworkView } from "./views";

const CLIENT_CERT_MODES = ["Required", "Optional", "OptionalInteractiveUser"];

export const networkPolicies = [
    viewPolicy<AppNetworkView, { requireClientCertificates: boolean }>({
        name: "azure-functionapp-client-certificates",
        description: "Function apps that accept incoming client certificates must require them (clientCertMode \"Required\"), or callers without a certificate get through; where the organization requires mutual TLS, every function app must enable them.",
        severity: "medium",
        threats: ["R2", "P1"],
        references: ["CIS Azure Foundations v2.0.0 9.4"],
        remediation: "Set clientCertEnabled to true and clientCertMode to \"Required\" (classic Azure: clientCertificateEnabled and clientCertificateMode), list health-check or webhook paths that can't present a certificate in the exclusion paths, and validate the certificate in the function (App Service forwards it in X-ARR-ClientCert).",
        adapters: APP_NETWORK,
        config: {
            requireClientCertificates: {
                type: "boolean", default: false,
                description: "Require every function app to enable client certificates (mutual TLS). Off by default: callers must then present certificates.",
            },
        },
        check: ({ view: { clientCertEnabled, clientCertMode }, report, config }) => {
            if (asBoolean(clientCertEnabled.read()) !== true) {
                if (config.requireClientCertificates === true) {
                    report(`${clientCertEnabled.where} is not true: callers are not asked for a client certificate; set it to true and ${clientCertMode.where} to "Required".`);
                }
                return;
            }
            const mode = asString(clientCertMode.read());
            if (mode !== undefined && mode !== "Required") {
                const shown = CLIENT_CERT_MODES.includes(mode) ? quote(mode) : "set to an unrecognised value";
                const unset = clientCertMode.isSet() ? "" : " (the provider's default)";
                report(`${clientCertMode.where} is ${shown}${unset} while ${clientCertEnabled.where} is true, so requests without a certificate are still accepted; set it to "Required".`);
            }
        },
    }),

    viewPolicy<AppNetworkView, { requireVnetIntegration: boolean }>({
        name: "azure-functionapp-vnet-integration",
        description: "Where the organization requires it, function apps must send all outbound traffic through a virtual network (regional VNet integration), so that network security groups, NAT gateways and firewalls apply to it.",
        severity: "medium",
        threats: ["R5", "P7"],
        remediation: "Set virtualNetworkSubnetId to a subnet delegated to Microsoft.Web/serverFarms and route all traffic through it (outboundVnetRouting.allTraffic, the older siteConfig.vnetRouteAllEnabled, or classic Azure's siteConfig.vnetRouteAllEnabled, set to true).",
        adapters: APP_NETWORK,
        config: {
            requireVnetIntegration: { type: "boolean", default: false, description: "Require VNet integration with all outbound traffic routed through the virtual network." },
        },
        optIn: { flag: "requireVnetIntegration", what: "VNet integration" },
        check: ({ view: { subnetId, routesAllTraffic, routeAllWhere }, report }) => {
            if (!subnetId.isSet()) {
                report(`${subnetId.where} is not set: the app's outbound traffic bypasses your virtual network; integrate it with a delegated subnet and route all traffic through it.`);
                return;
            }
            if (!routesAllTraffic()) {
                report(`${routeAllWhere} is not true: only traffic to private addresses goes through the virtual network; route all traffic through it.`);
            }
        },
    }),
];
