// Project-, folder- and organization-level IAM for the identities functions run as: service accounts
// must not hold administrator roles or be able to impersonate every other service account.
import { resourcePolicy } from "../lib/define";
import { ADMIN_ROLE_PATTERN, BASIC_ADMIN_ROLES, IMPERSONATION_ROLES } from "../data/gcp";
import { Dict } from "../lib/values";
import { forEachGrant, Grant, isServiceAgent, Member, roleName } from "./common";

const SCOPES: Record<string, string> = {
    "gcp:projects/iAMMember:IAMMember": "project",
    "gcp:projects/iAMBinding:IAMBinding": "project",
    "gcp:projects/iAMPolicy:IAMPolicy": "project",
    "gcp:folder/iAMMember:IAMMember": "folder",
    "gcp:folder/iAMBinding:IAMBinding": "folder",
    "gcp:folder/iAMPolicy:IAMPolicy": "folder",
    "gcp:organizations/iAMMember:IAMMember": "organization",
    "gcp:organizations/iAMBinding:IAMBinding": "organization",
    "gcp:organizations/iAMPolicy:IAMPolicy": "organization",
};
export const SCOPE_IAM_TYPES = Object.keys(SCOPES);

function adminRoleReason(role: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(BASIC_ADMIN_ROLES, role)
        ? BASIC_ADMIN_ROLES[role]
        : ADMIN_ROLE_PATTERN.test(role) ? "an administrator role" : undefined;
}

/** A service account a program manages (Google's own service agents excluded). */
function isManagedServiceAccount(member: Member | undefined): boolean {
    return member?.kind === "serviceAccount" && !isServiceAgent(member.id);
}

/** Reads the member only for grants of roles that matter, so unknown members of harmless grants stop nothing. */
function grantsOfRoles(ctx: Parameters<typeof forEachGrant>[0], matters: (role: string) => boolean, visit: (g: Grant & { role: string }, m: Member | undefined) => void): void {
    forEachGrant(ctx, grant => {
        const role = grant.role?.trim();
        if (role !== undefined && matters(role)) {
            visit({ ...grant, role }, grant.member());
        }
    });
}

export const SERVICE_ACCOUNT_ADMIN_ROLE = "gcp-iam-service-account-admin-role";
export const IMPERSONATION_SCOPE_WIDE = "gcp-iam-impersonation-role-scope-wide";

const isImpersonationRole = (role: string) => Object.prototype.hasOwnProperty.call(IMPERSONATION_ROLES, role);

/** The policy that reports a project-, folder- or organization-level grant of `role` to `member` whatever its config, if any. */
export function scopeGrantPolicy(role: string, member: Member | undefined): string | undefined {
    if (!isManagedServiceAccount(member)) {
        return undefined;
    }
    return adminRoleReason(role) !== undefined ? SERVICE_ACCOUNT_ADMIN_ROLE : isImpersonationRole(role) ? IMPERSONATION_SCOPE_WIDE : undefined;
}

export const projectIamPolicies = [
    resourcePolicy({
        name: SERVICE_ACCOUNT_ADMIN_ROLE,
        description: "Service accounts, such as the identities functions run as, must not hold Owner, Editor or any administrator role on a project, folder or organization; a compromised function would control everything in that scope.",
        severity: "critical",
        threats: ["P2", "R5"],
        references: ["CIS GCP Foundations 1.5", "OWASP SAS-5"],
        remediation: "Replace the role with predefined or custom roles that grant only what the function needs, granted on the specific resources (bucket, secret, topic) rather than the whole project.",
        resourceTypes: SCOPE_IAM_TYPES,
        provenance: true,
        check: ctx => {
            const scope = SCOPES[ctx.type];
            grantsOfRoles(ctx, role => adminRoleReason(role) !== undefined, (grant, member) => {
                if (isManagedServiceAccount(member)) {
                    ctx.report(`${grant.where} grants ${roleName(grant.role)} (${adminRoleReason(grant.role)}) to a service account on the whole ${scope}; grant narrower roles on the resources it uses.`);
                }
            });
        },
    }),

    resourcePolicy<Dict, { allMemberTypes: boolean }>({
        name: IMPERSONATION_SCOPE_WIDE,
        description: "Service Account User and Service Account Token Creator must not be granted on a whole project, folder or organization, which lets the holder act as every service account there.",
        severity: "high",
        threats: ["P2", "R5"],
        references: ["CIS GCP Foundations 1.6"],
        remediation: "Grant roles/iam.serviceAccountUser or roles/iam.serviceAccountTokenCreator on the one service account that must be used (gcp.serviceaccount.IAMMember), not on the project.",
        resourceTypes: SCOPE_IAM_TYPES,
        provenance: true,
        config: {
            allMemberTypes: { type: "boolean", default: false, description: "Check every member type (users, groups, domains), as CIS 1.6 does, not only service accounts." },
        },
        check: ctx => {
            const scope = SCOPES[ctx.type];
            grantsOfRoles(ctx, isImpersonationRole, (grant, member) => {
                if (isManagedServiceAccount(member) || (ctx.config.allMemberTypes === true && member !== undefined && member.kind !== "deleted")) {
                    const who = member?.kind === "serviceAccount" ? "a service account" : `a ${member?.kind} member`;
                    ctx.report(`${grant.where} grants ${roleName(grant.role)} to ${who} on the whole ${scope}: it ${IMPERSONATION_ROLES[grant.role]}; grant it on the specific service account instead.`);
                }
            });
        },
    }),
];
