// Who may act as a service account, such as the identity a function runs as: IAM members, bindings
// and policies on one service account that hand Service Account User or Token Creator to everyone, a
// whole domain or a whole workload identity pool.
import { resourcePolicy } from "../lib/define";
import { SERVICE_ACCOUNT_ACTING_ROLES } from "../data/gcp";
import { Dict } from "../lib/values";
import { allowedDomainsOf, broadMember, forEachGrant, roleName } from "./common";

export const SERVICE_ACCOUNT_IAM_TYPES = [
    "gcp:serviceaccount/iAMMember:IAMMember",
    "gcp:serviceaccount/iAMBinding:IAMBinding",
    "gcp:serviceaccount/iAMPolicy:IAMPolicy",
];

/** The config both service-account policies share: domains whose members may act as an account as a whole. */
export const ALLOWED_DOMAINS_CONFIG = {
    allowedDomains: { type: "array" as const, items: { type: "string" as const }, default: [], description: "Domains whose members may be granted these roles as a whole." },
};

export const serviceAccountIamPolicies = [
    resourcePolicy<Dict, { allowedDomains: string[] }>({
        name: "gcp-iam-service-account-impersonation-broad",
        description: "Service Account User and Token Creator on a service account, such as a function's identity, must go to specific principals: granted to everyone, a whole domain or a whole identity pool, they let any of them act with all of the account's rights.",
        severity: "high",
        threats: ["P2", "R5"],
        references: ["OWASP SAS-5"],
        remediation: "Grant roles/iam.serviceAccountUser or roles/iam.serviceAccountTokenCreator on the service account to the specific deployers (service accounts or groups) that need it; list a domain in allowedDomains only if every account in it may act as the service account.",
        resourceTypes: SERVICE_ACCOUNT_IAM_TYPES,
        provenance: true,
        config: ALLOWED_DOMAINS_CONFIG,
        check: ctx => {
            const allowed = allowedDomainsOf(ctx.config.allowedDomains);
            forEachGrant(ctx, grant => {
                const role = grant.role?.trim();
                if (role === undefined || !Object.prototype.hasOwnProperty.call(SERVICE_ACCOUNT_ACTING_ROLES, role)) {
                    return;
                }
                const member = grant.member();
                const who = member && broadMember(member, allowed);
                if (who) {
                    ctx.report(`${grant.where} grants ${roleName(role)} to ${who}: each of them ${SERVICE_ACCOUNT_ACTING_ROLES[role]}; grant it to the specific principals that need it.`);
                }
            });
        },
    }),
];
