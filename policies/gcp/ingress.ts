// Who may send requests to a Cloud Function or Cloud Run service at the network level (ingress). A
// host that a Google API Gateway config routes to must accept requests from the internet: the gateway
// calls it over its public endpoint, so there ALLOW_ALL is what the design requires, and the host's
// invoker IAM (the gateway's identity) and the gateway's own security keep it closed. That is decided
// with the stack; a host that is also public through an invoker grant keeps the line.
import { LinkedStack, resourcePolicy } from "../lib/define";
import { asString, asStrings, Dict } from "../lib/values";
import { gatewaysInFront, publiclyInvocable } from "../model/gcp";
import { describeValue } from "./common";
import { HOSTS, hostField, httpReachable, INGRESS_VALUES, ingressMeaning, ingressSpelling } from "./functions";

/**
 * Whether an API Gateway config routes to the host over its public endpoint while no invoker grant
 * makes the host public itself (then the gateway is the only way in, and ALLOW_ALL is what it needs).
 * A grant that applies to the host but can't be told yet leaves the host waiting, not passed.
 */
function behindGateway(stack: () => LinkedStack): boolean {
    const { graph, node, unknown } = stack();
    if (gatewaysInFront(graph, node).length === 0) {
        return false;
    }
    return publiclyInvocable(graph, node, unknown) !== true;
}

export const ingressPolicies = [
    resourcePolicy<Dict, { allowedIngress: string[] }>({
        name: "gcp-cloudfunction-ingress",
        description: "Cloud Functions and Cloud Run services should not accept requests from the whole internet (ingress ALLOW_ALL, INGRESS_TRAFFIC_ALL) unless they are meant to be public.",
        severity: "medium",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2"],
        remediation: "Set ingressSettings (serviceConfig.ingressSettings in gen 2) to \"ALLOW_INTERNAL_ONLY\", or to \"ALLOW_INTERNAL_AND_GCLB\" with an external Application Load Balancer and Cloud Armor in front of a public function; on Cloud Run set ingress to \"INGRESS_TRAFFIC_INTERNAL_ONLY\" or \"INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER\" (the run.googleapis.com/ingress annotation \"internal\" or \"internal-and-cloud-load-balancing\" on v1).",
        resourceTypes: HOSTS,
        config: {
            allowedIngress: {
                type: "array", items: { type: "string", enum: INGRESS_VALUES }, default: ["ALLOW_INTERNAL_ONLY", "ALLOW_INTERNAL_AND_GCLB"],
                description: "Ingress settings allowed, in Cloud Functions terms (Cloud Run's equivalents follow); e.g. [\"ALLOW_INTERNAL_ONLY\"] to require internal-only functions.",
            },
        },
        withStack: true,
        check: ({ type, props, report, config, notApplicable, stack }) => {
            if (httpReachable(type, props) === false) {
                notApplicable("event-triggered gen-1 functions have no HTTP endpoint");
            }
            const f = hostField(type, props, "ingress");
            const value = asString(f.read());
            const effective = value === undefined ? "ALLOW_ALL" : ingressMeaning(type, value);
            const allowed = asStrings(config.allowedIngress);
            if (effective === undefined || !allowed.includes(effective)) {
                if (effective === "ALLOW_ALL" && behindGateway(stack)) {
                    return;
                }
                const state = value === undefined
                    ? `not set, so it defaults to "${ingressSpelling(type, "ALLOW_ALL")}"`
                    : describeValue(value, INGRESS_VALUES.map(v => ingressSpelling(type, v)));
                report(`${f.path} is ${state}, which the organization does not allow (config allowedIngress); set it to ${allowed.map(a => `"${ingressSpelling(type, a)}"`).join(" or ") || "an allowed value"}.`);
            }
        },
    }),
];
