// Azure RBAC role assignments that give function identities (and others) their permissions.
import { viewPolicy } from "../lib/view";
import { PRIVILEGED_ROLES, PrivilegedRole } from "../data/azure";
import { asString, asStrings, trimTrailingSlashes } from "../lib/values";
import { ROLE_ASSIGNMENTS, RoleAssignmentView } from "./views";

/** Principal types that are people; every other type (or none given) may be a workload identity. */
const HUMAN_PRINCIPALS = new Set(["User", "Group", "ForeignGroup"]);
const PRINCIPAL_TYPES = new Set([...HUMAN_PRINCIPALS, "ServicePrincipal", "Device", "AgentUser", "AgentServicePrincipal"]);

/** The privileged built-in role of a role definition id, given as a GUID or as a full resource id. */
export function privilegedRole(roleDefinitionId: string): PrivilegedRole | undefined {
    const m = /(?:^|\/roleDefinitions\/)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(roleDefinitionId.trim());
    const id = m?.[1].toLowerCase();
    return id && Object.prototype.hasOwnProperty.call(PRIVILEGED_ROLES, id) ? PRIVILEGED_ROLES[id] : undefined;
}

/** A privileged built-in role named as on classic Azure's roleDefinitionName (e.g. "Owner"). */
export function privilegedRoleNamed(roleName: string): PrivilegedRole | undefined {
    const wanted = roleName.trim().toLowerCase();
    return Object.values(PRIVILEGED_ROLES).find(r => r.name.toLowerCase() === wanted);
}

/** "subscription", "resource group" and wider scopes; undefined for a single resource (or anything else). */
export function broadScope(scope: string): string | undefined {
    const s = trimTrailingSlashes(scope.trim());
    if (s === "") {
        return "root (tenant-wide)";
    }
    if (/^\/providers\/Microsoft\.Management\/managementGroups\/[^/]+$/i.test(s)) {
        return "management group";
    }
    if (/^\/subscriptions\/[^/]+$/i.test(s)) {
        return "subscription";
    }
    if (/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+$/i.test(s)) {
        return "resource group";
    }
    return undefined;
}

const normalizeScope = (scope: string) => trimTrailingSlashes(scope.trim()).toLowerCase();

export const PRIVILEGED_ASSIGNMENT = "azure-roleassignment-privileged-role";

/** The privileged built-in role an assignment grants at subscription, resource-group or wider scope; undefined otherwise. */
export function privilegedBroadAssignment(view: RoleAssignmentView): { role: PrivilegedRole; roleWhere: string; scope: string; level: string; principalType?: string } | undefined {
    const byId = privilegedRole(asString(view.roleDefinitionId.read()) ?? "");
    const role = byId ?? privilegedRoleNamed(asString(view.roleDefinitionName.read()) ?? "");
    if (!role) {
        return undefined;
    }
    const scope = asString(view.scope.read());
    const level = scope === undefined ? undefined : broadScope(scope);
    if (scope === undefined || !level) {
        return undefined;
    }
    // Only the documented enum values are echoed; anything else stays out of the message.
    const given = asString(view.principalType.read());
    const principalType = given !== undefined && PRINCIPAL_TYPES.has(given) ? given : undefined;
    return { role, roleWhere: byId ? view.roleDefinitionId.where : view.roleDefinitionName.where, scope, level, principalType };
}

/** Whether this policy reports an assignment whatever its config: a privileged broad one to anything but a user or group. */
export function reportsWorkloadAssignment(view: RoleAssignmentView): boolean {
    const found = privilegedBroadAssignment(view);
    return found !== undefined && !(found.principalType !== undefined && HUMAN_PRINCIPALS.has(found.principalType));
}

export const authorizationPolicies = [
    viewPolicy<RoleAssignmentView, { allowedScopes: string[] }>({
        name: PRIVILEGED_ASSIGNMENT,
        description: "Role assignments must not grant Owner, Contributor, User Access Administrator or RBAC Administrator at subscription or resource-group scope, least of all to a service principal or managed identity.",
        severity: "high",
        threats: ["P2", "R5"],
        references: ["OWASP SAS-4", "MCSB PA-7"],
        remediation: "Grant a narrow built-in or custom role (e.g. Storage Blob Data Contributor, Key Vault Secrets User) on the specific resource the identity uses.",
        adapters: ROLE_ASSIGNMENTS,
        config: {
            allowedScopes: {
                type: "array", items: { type: "string" }, default: [],
                description: "Scopes (e.g. a sandbox subscription) where users and groups may hold privileged roles; service principals and managed identities are flagged everywhere.",
            },
        },
        check: ({ view, report, config }) => {
            const found = privilegedBroadAssignment(view);
            if (!found) {
                return;
            }
            const { role, roleWhere, scope, level, principalType } = found;
            const human = principalType !== undefined && HUMAN_PRINCIPALS.has(principalType);
            if (human && asStrings(config.allowedScopes).some(s => normalizeScope(s) === normalizeScope(scope))) {
                return;
            }
            const who = human ? `a ${principalType}` : principalType ? `a ${principalType} (workload identity)` : "a principal of unstated type (possibly a workload identity)";
            report(`${roleWhere} is ${role.name} (${role.power}) at ${level} scope for ${who}: grant a narrow role on the specific resource instead.`);
        },
    }),
];
