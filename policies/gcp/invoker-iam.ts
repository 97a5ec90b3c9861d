// Who may invoke (or manage) a function: IAM members, bindings and policies on gen-1 and gen-2
// functions and on the Cloud Run services that gen-2 functions run on.
import { resourcePolicy } from "../lib/define";
import { INVOKER_ROLES } from "../data/gcp";
import { Dict, quote } from "../lib/values";
import { FUNCTION_IAM_TYPES, FUNCTION_PUBLIC_ACCESS, invokedFunctions } from "../model/gcp";
import { allowedDomainsOf, forEachGrant, publicMemberPolicy, roleName } from "./common";
import { httpReachable } from "./functions";

// The invoker IAM types and this policy's id live in the Google Cloud model, which links them.
export { FUNCTION_IAM_TYPES, FUNCTION_PUBLIC_ACCESS };

/** IAM types of gen-1 functions, which may have no HTTP trigger (gen 2 and Cloud Run always have an HTTPS endpoint). */
const GEN1_FUNCTION_IAM_TYPES = FUNCTION_IAM_TYPES.filter(t => t.startsWith("gcp:cloudfunctions/"));

export const invokerIamPolicies = [
    publicMemberPolicy({
        name: FUNCTION_PUBLIC_ACCESS,
        description: "Cloud Functions and the Cloud Run services behind gen-2 functions must not grant any role to allUsers or allAuthenticatedUsers, which lets anyone invoke (or worse, manage) them.",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2"],
        remediation: "Grant roles/cloudfunctions.invoker or roles/run.invoker to the specific service accounts or groups that call the function; for a deliberately public endpoint, front it with API Gateway or a load balancer with Cloud Armor, and record a dated exemption for its IAM resource in this policy's exemptions config.",
        resourceTypes: FUNCTION_IAM_TYPES,
        provenance: true,
        fix: "grant it to the specific callers instead (or record an exemption if the function is meant to be public).",
        inert: ({ type, stack }) => {
            if (!GEN1_FUNCTION_IAM_TYPES.includes(type)) {
                return undefined;
            }
            // A grant on an event-triggered gen-1 function reaches nothing: no request can call it.
            const { graph, node, unknown } = stack();
            const fns = invokedFunctions(graph, node, unknown);
            const reach = fns.map(fn => httpReachable(fn.type, fn.props));
            if (fns.length === 0 || reach.includes(true)) {
                return undefined;
            }
            fns.filter((_, i) => reach[i] === undefined).forEach(fn => unknown(fn, "triggerHttp"));
            return `${fns.map(fn => quote(fn.name)).join(", ")} has no HTTP trigger`;
        },
    }),

    resourcePolicy<Dict, { allowedDomains: string[] }>({
        name: "gcp-iam-function-domain-invoker",
        description: "Function and Cloud Run invoker roles should go to specific service accounts or groups, not to every account of a whole domain.",
        severity: "medium",
        threats: ["R2", "P2"],
        remediation: "Grant the invoker role to the service accounts or Google groups that call the function, or list the domain in allowedDomains if every account in it should call the function.",
        resourceTypes: FUNCTION_IAM_TYPES,
        provenance: true,
        config: {
            allowedDomains: { type: "array", items: { type: "string" }, default: [], description: "Domains whose members may be granted invoker roles as a whole." },
        },
        check: ctx => {
            const allowed = allowedDomainsOf(ctx.config.allowedDomains);
            forEachGrant(ctx, grant => {
                if (grant.role === undefined || !INVOKER_ROLES.includes(grant.role)) {
                    return;
                }
                const member = grant.member();
                if (member?.kind === "domain" && !allowed.includes(member.id)) {
                    ctx.report(`${grant.where} grants ${roleName(grant.role)} to a whole domain; grant it to specific service accounts or groups, or list the domain in config allowedDomains if all its accounts may call the function.`);
                }
            });
        },
    }),
];
