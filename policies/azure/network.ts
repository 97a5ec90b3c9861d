// The network doors of an Azure function app: incoming client certificates (mutual TLS) and, where the
// organization requires it, outbound traffic through a virtual network (regional VNet integration).
// Both depend on an application's design, so requiring them is opt-in; a half-enabled client
// certificate setting is always a finding.
import { asBoolean, asString, at, isSet, quote } from "../lib/values";
import { functionAppPolicy, isFlexConsumption } from "./common";

const CLIENT_CERT_MODES = ["Required", "Optional", "OptionalInteractiveUser"];
/** Settings that route all of an app's outbound traffic through its integrated subnet (applicationTraffic was vnetRouteAllEnabled). */
const ROUTE_ALL = [["outboundVnetRouting", "allTraffic"], ["outboundVnetRouting", "applicationTraffic"], ["siteConfig", "vnetRouteAllEnabled"]];

export const networkPolicies = [
    functionAppPolicy<{ requireClientCertificates: boolean }>({
        name: "azure-functionapp-client-certificates",
        description: "Function apps that accept incoming client certificates must require them (clientCertMode \"Required\"), or callers without a certificate get through; where the organization requires mutual TLS, every function app must enable them.",
        severity: "medium",
        threats: ["R2", "P1"],
        references: ["CIS Azure Foundations 9.4"],
        remediation: "Set clientCertEnabled to true and clientCertMode to \"Required\", list health-check or webhook paths that can't present a certificate in clientCertExclusionPaths, and validate the certificate in the function (App Service forwards it in X-ARR-ClientCert).",
        config: {
            requireClientCertificates: {
                type: "boolean", default: false,
                description: "Require every function app to enable client certificates (mutual TLS). Off by default: callers must then present certificates.",
            },
        },
        check: ({ props, report, config }) => {
            if (asBoolean(props.clientCertEnabled) !== true) {
                if (config.requireClientCertificates === true) {
                    report("clientCertEnabled is not true: callers are not asked for a client certificate; set clientCertEnabled to true and clientCertMode to \"Required\".");
                }
                return;
            }
            // With certificates enabled and no mode, App Service requires them.
            const mode = asString(props.clientCertMode);
            if (mode !== undefined && mode !== "Required") {
                const shown = CLIENT_CERT_MODES.includes(mode) ? quote(mode) : "set to an unrecognised value";
                report(`clientCertMode is ${shown} while clientCertEnabled is true, so requests without a certificate are still accepted; set it to "Required".`);
            }
        },
    }),

    functionAppPolicy<{ requireVnetIntegration: boolean }>({
        name: "azure-functionapp-vnet-integration",
        description: "Where the organization requires it, function apps must send all outbound traffic through a virtual network (regional VNet integration), so that network security groups, NAT gateways and firewalls apply to it.",
        severity: "medium",
        threats: ["R5", "P7"],
        remediation: "Set virtualNetworkSubnetId to a subnet delegated to Microsoft.Web/serverFarms and route all traffic through it (outboundVnetRouting.allTraffic, or the older siteConfig.vnetRouteAllEnabled, set to true).",
        config: {
            requireVnetIntegration: { type: "boolean", default: false, description: "Require VNet integration with all outbound traffic routed through the virtual network." },
        },
        check: ({ props, report, config, notApplicable }) => {
            if (config.requireVnetIntegration !== true) {
                notApplicable("VNet integration is not required (set requireVnetIntegration to true to check)");
            }
            if (!isSet(props, "virtualNetworkSubnetId")) {
                report("virtualNetworkSubnetId is not set: the app's outbound traffic bypasses your virtual network; integrate it with a delegated subnet and route all traffic through it.");
                return;
            }
            // Flex Consumption apps route all outbound traffic through the integrated subnet.
            if (isFlexConsumption(props)) {
                return;
            }
            if (!ROUTE_ALL.some(path => asBoolean(at(props, ...path)) === true)) {
                report("outboundVnetRouting.allTraffic (or applicationTraffic, or siteConfig.vnetRouteAllEnabled) is not true: only traffic to private addresses goes through the virtual network; set outboundVnetRouting.allTraffic to true.");
            }
        },
    }),
];
