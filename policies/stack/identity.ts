// What a function's identity can do, and who else may act as it, following its role or identity across
// resources: which grants are privileged or too broad, and which resource policy already reports them.
import { stackPolicy } from "../lib/define";
import { isUnknown, knownString, Node, ResourceGraph } from "../lib/graph";
import { accountOfPrincipal, parsePolicyDocument } from "../lib/iam";
import { reportedWhen, reportsInThisRun, ReportedBy, unreported } from "../lib/reported";
import { asString, quote } from "../lib/values";
import { PrivilegedRole } from "../data/azure";
import { ADMIN_ROLE_PATTERN, BASIC_ADMIN_ROLES, IMPERSONATION_ROLES, SERVICE_ACCOUNT_ACTING_ROLES } from "../data/gcp";
import { DOCUMENT_CHECKS, PRIVILEGE_ESCALATION, MANAGED_POLICY_ADMIN, MANAGED_POLICY_SERVICE_WIDE, restrictsTrustedCaller, ROLE_TRUST_TOO_BROAD } from "../aws/iam";
import { PERMISSION_DOCUMENTS, POLICY_ATTACHMENTS, ROLE_TRUST } from "../aws/views";
import { broadScope, PRIVILEGED_ASSIGNMENT, privilegedRole, privilegedRoleNamed, reportsWorkloadAssignment } from "../azure/authorization";
import { CLASSIC_ROLE_ASSIGNMENT, ROLE_ASSIGNMENTS } from "../azure/views";
import { CLOUD_RUN_SERVICES } from "../gcp/cloudrun";
import { allowedDomainsOf, broadMember, classifyMember, roleName } from "../gcp/common";
import { scopeGrantPolicy } from "../gcp/project-iam";
import { ALLOWED_DOMAINS_CONFIG, SERVICE_ACCOUNT_IAM_TYPES } from "../gcp/service-account-iam";
import type { OnUnknown } from "../model/core";
import { computeLabel } from "../model/labels";
import { executionRoles, FUNCTION_TYPES, functionsOfRole, PermissionSource, roleSources, targetedEscalations } from "../model/aws";
import { AssignedRole, appLabel, assignedRole, assignmentIndex, assignmentsOf, functionApps, principalsOf, RESOURCE_GROUPS } from "../model/azure";
import {
    actedAccount, broadGrants, className, functionIdentity, GCP_FUNCTIONS, IamGrant, identityKey, reaches, scopeGrantsFor, scopeOf, SHOWN_GRANTS,
} from "../model/gcp";

const LAMBDA_SERVICES = new Set(["lambda.amazonaws.com", "edgelambda.amazonaws.com"]);

/**
 * The resource policy that reports a grant found in a source: the document policies (`policy`, e.g.
 * aws-iam-policy-admin-access) read every permission document on the resource carrying it, and
 * aws-iam-managed-policy-admin every managed policy ARN; undefined for a source they don't read.
 */
export function sourceReportedBy(source: PermissionSource, policy: string): ReportedBy | undefined {
    const carrier = source.carrier;
    if (!carrier) {
        return undefined;
    }
    if (source.managed) {
        // The attachment's own policies report an administrator or service-wide managed policy.
        const scope = source.managed.model.scope;
        const owner = scope === "admin" ? MANAGED_POLICY_ADMIN : MANAGED_POLICY_SERVICE_WIDE;
        return POLICY_ATTACHMENTS[carrier.type] && scope !== "limited" && reportsInThisRun(owner) ? { policy: owner, node: carrier } : undefined;
    }
    return PERMISSION_DOCUMENTS[carrier.type] && reportsInThisRun(policy) ? { policy, node: carrier } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Azure: privileged role assignments to function apps' identities

function privilegedRoleOf(role: AssignedRole): PrivilegedRole | undefined {
    return "unknown" in role ? undefined : role.name !== undefined ? privilegedRoleNamed(role.name) : privilegedRole(role.id ?? "");
}

const assignmentLabel = (ra: Node) => `${ra.type === CLASSIC_ROLE_ASSIGNMENT ? "Assignment" : "RoleAssignment"} ${quote(ra.name)}`;

/** How a role assignment's scope reads in a message. */
function scopeText(g: ResourceGraph, ra: Node): string {
    const scope = knownString(ra.props.scope);
    if (scope !== undefined) {
        const level = broadScope(scope);
        if (level) {
            return `${level} scope`;
        }
        return "a single resource's scope";
    }
    const dep = g.deps(ra, "scope")[0];
    if (dep) {
        return RESOURCE_GROUPS.has(dep.type) ? `resource group ${quote(dep.name)}` : `resource ${quote(dep.name)}`;
    }
    return "a scope computed at deployment";
}

interface PrivilegedAssignment {
    app: Node;
    ra: Node;
    role: PrivilegedRole;
    text: string;
    reportedBy?: ReportedBy;
}

/** Owner, Contributor, User Access Administrator or RBAC Administrator assignments to function apps' identities. */
function privilegedAssignments(g: ResourceGraph, onUnknown: OnUnknown): PrivilegedAssignment[] {
    const out: PrivilegedAssignment[] = [];
    let identities = 0;
    for (const app of functionApps(g, onUnknown)) {
        for (const principal of principalsOf(g, app, onUnknown) ?? []) {
            identities++;
            for (const ra of assignmentsOf(g, principal.node)) {
                const assigned = assignedRole(ra);
                if ("unknown" in assigned) {
                    onUnknown(ra, assigned.unknown);
                    continue;
                }
                const role = privilegedRoleOf(assigned);
                if (role) {
                    const to = principal.node === app ? "" : ` to ${principal.label}`;
                    out.push({
                        app, ra, role,
                        text: `${appLabel(app)} gets ${quote(role.name)} on ${scopeText(g, ra)} via ${assignmentLabel(ra)}${to} (${role.power})`,
                        reportedBy: reportedWhen(reportsWorkloadAssignment(ROLE_ASSIGNMENTS[ra.type].view(ra.props, ra.type)), PRIVILEGED_ASSIGNMENT, ra),
                    });
                }
            }
        }
    }
    if (identities > 0) {
        for (const ra of assignmentIndex(g).unresolved) {
            const assigned = assignedRole(ra);
            if ("unknown" in assigned || privilegedRoleOf(assigned)) {
                onUnknown(ra, "principalId");
            }
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Google Cloud: privileged grants to functions' service accounts, and broad members acting as them

/** Why a scope-level role is privileged: basic admin roles, any administrator role, or impersonation of every service account. */
function privilegedReason(role: string): string | undefined {
    if (Object.prototype.hasOwnProperty.call(BASIC_ADMIN_ROLES, role)) { return BASIC_ADMIN_ROLES[role]; }
    if (Object.prototype.hasOwnProperty.call(IMPERSONATION_ROLES, role)) { return `it ${IMPERSONATION_ROLES[role]}`; }
    return ADMIN_ROLE_PATTERN.test(role) ? "an administrator role" : undefined;
}

interface PrivilegedGrant {
    fn: Node;
    text: string;
    /** Set when a resource policy reports every grant of the group on its IAM resource. */
    reportedBy?: ReportedBy;
}

/** Owner, Editor, administrator and impersonation roles on a project, folder or organization for functions' service accounts. */
function privilegedGrants(g: ResourceGraph, onUnknown: OnUnknown): PrivilegedGrant[] {
    const out: PrivilegedGrant[] = [];
    for (const fn of g.ofType(...GCP_FUNCTIONS)) {
        const id = functionIdentity(g, fn, onUnknown);
        if (!id) {
            continue;
        }
        // Functions running as one service account share its grants: they are grouped once per identity.
        const found = g.remember(`gcp:privileged:${identityKey(id)}`, () => {
            const groups = new Map<string, { role: string; scope: string; reason: string; via: string[]; count: number; reportedBy?: ReportedBy; unreported: number }>();
            const unknown: { node: Node; property: string }[] = [];
            for (const grant of scopeGrantsFor(g, id, false)) {
                if (isUnknown(grant.role)) {
                    if (reaches(grant, id, false) !== false) {
                        unknown.push({ node: grant.iam, property: grant.property === "policyData" ? "policyData" : "role" });
                    }
                    continue;
                }
                const role = asString(grant.role)?.trim();
                const reason = role === undefined ? undefined : privilegedReason(role);
                if (!reason || role === undefined) {
                    continue;
                }
                const hit = reaches(grant, id, false);
                if (hit === undefined) {
                    unknown.push({ node: grant.iam, property: grant.property });
                } else if (hit) {
                    const scope = scopeOf(grant.iam);
                    const key = `${role}\u0000${scope}`;
                    const group = groups.get(key) ?? { role, scope, reason, via: [], count: 0, unreported: 0 };
                    groups.set(key, group);
                    group.count++;
                    // A known service-account member is what the project-IAM resource policies read; one linked only by dependency isn't.
                    const policy = typeof grant.member === "string" ? scopeGrantPolicy(role, classifyMember(grant.member)) : undefined;
                    if (policy) {
                        group.reportedBy = group.reportedBy ?? { policy, node: grant.iam };
                    } else {
                        group.unreported++;
                    }
                    if (group.via.length < SHOWN_GRANTS) { group.via.push(`${className(grant.iam.type)} ${quote(grant.iam.name)}`); }
                }
            }
            return { groups: [...groups.values()], unknown: unknown.slice(0, SHOWN_GRANTS) };
        });
        found.unknown.forEach(u => onUnknown(u.node, u.property));
        for (const group of found.groups) {
            const more = group.count > group.via.length ? ` and ${group.count - group.via.length} more` : "";
            out.push({
                fn,
                text: `${computeLabel(fn)} runs as ${id.label}, which gets ${roleName(group.role)} on ${group.scope} via ${group.via.join(", ")}${more} (${group.reason})`,
                reportedBy: group.unreported === 0 ? group.reportedBy : undefined,
            });
        }
    }
    return out;
}

const ACTING_ROLES = Object.keys(SERVICE_ACCOUNT_ACTING_ROLES);

interface ActingGrant {
    iam: Node;
    /** What it grants to broad members; empty while the account it applies to can't be told. */
    texts: string[];
    /** Unknowns (and undecided links) to report on the functions it may reach. */
    waiting: Parameters<OnUnknown>[];
}

interface IdentityActor {
    fn: Node;
    text: string;
}

/**
 * Functions and Cloud Run services whose service account lets broad members (everyone, a whole domain
 * outside `allowedDomains`, a whole identity pool) act as it. A grant links to a workload only through
 * the same service account resource or the same full email: an account id alone names an account only
 * within its project.
 */
function identityActors(g: ResourceGraph, allowedDomains: readonly string[], onUnknown: OnUnknown): IdentityActor[] {
    const broad = (grant: IamGrant) => typeof grant.member === "string" ? broadMember(classifyMember(grant.member), allowedDomains) : undefined;
    // Grants by the account they act on (its resource, its email), and those whose account can't be told yet (they may be any).
    const byKey = new Map<string, ActingGrant[]>();
    const unplaced: ActingGrant[] = [];
    for (const iam of g.ofType(...SERVICE_ACCOUNT_IAM_TYPES)) {
        const waiting: Parameters<OnUnknown>[] = [];
        const wait: OnUnknown = (...args) => waiting.push(args);
        const texts = broadGrants(g, iam, ACTING_ROLES, broad, wait);
        if (texts.length === 0 && waiting.length === 0) {
            continue;
        }
        const target = actedAccount(g, iam, wait);
        const grant = { iam, texts: target === undefined ? [] : texts, waiting };
        if (target === undefined) {
            unplaced.push(grant);
            continue;
        }
        for (const key of [...target.accounts.map(a => `account:${a.urn}`), ...(target.email ? [`email:${target.email}`] : [])]) {
            const list = byKey.get(key);
            if (list) { list.push(grant); } else { byKey.set(key, [grant]); }
        }
    }
    const out: IdentityActor[] = [];
    if (byKey.size === 0 && unplaced.length === 0) {
        return out;
    }
    for (const fn of g.ofType(...GCP_FUNCTIONS, ...CLOUD_RUN_SERVICES)) {
        const id = functionIdentity(g, fn, onUnknown);
        if (!id) {
            continue;
        }
        const seen = new Set<ActingGrant>();
        const keys = [...id.accounts.map(a => `account:${a.urn}`), ...[...id.emails].map(e => `email:${e}`)];
        for (const grant of [...keys.flatMap(k => byKey.get(k) ?? []), ...unplaced]) {
            if (seen.has(grant)) {
                continue;
            }
            seen.add(grant);
            grant.waiting.forEach(w => onUnknown(...w));
            if (grant.texts.length > 0) {
                out.push({ fn, text: `${computeLabel(fn)} runs as ${id.label}, on which ${className(grant.iam.type)} ${quote(grant.iam.name)} ${grant.texts.join(" and ")}: they may act as this function's identity and run code with its rights` });
            }
        }
    }
    return out;
}

export const identityPolicies = [
    stackPolicy({
        name: "stack-function-identity-privileged",
        description: "A function's identity must not receive administrator, service-wide or privilege-escalation rights through any resource that reaches it.",
        severity: "critical",
        threats: ["P2", "R5"],
        references: ["OWASP SAS-5"],
        remediation: "Give each function its own role (Lambda), managed identity (Azure) or service account (Google Cloud) with only the actions and resources it uses, and remove the grant named in the message.",
        // Reports only grants no resource policy reports where they are set (the document, the attachment,
        // the role assignment, the project IAM grant): a grant that is linked to the function only
        // through dependencies, a role assigned on a single resource, a managed policy no document check reads.
        check: ({ graph, report, unknown }) => {
            for (const fn of graph.ofType(...FUNCTION_TYPES)) {
                for (const role of executionRoles(graph, fn, unknown)) {
                    const managed: string[] = [];
                    for (const source of roleSources(graph, role, unknown)) {
                        if (source.managed) {
                            // A managed policy is judged by its scope as a whole, once; limited ones grant nothing
                            // privileged, and one attached where the resource policies read it is theirs to report.
                            if (source.managed.model.scope !== "limited" && !sourceReportedBy(source, MANAGED_POLICY_ADMIN)) {
                                managed.push(`${quote(source.managed.name)} via ${source.via} (${source.managed.model.allows})`);
                            }
                            continue;
                        }
                        for (const check of DOCUMENT_CHECKS.filter(c => !sourceReportedBy(source, c.policy))) {
                            for (const grant of check.grants(source.doc)) {
                                report(fn.resource, `function ${quote(fn.name)} gets ${check.label} (${grant.statement} ${grant.detail}) via ${source.via}.`);
                            }
                        }
                        // iam:PassRole or a function rewrite on a privileged target of the stack, where the document policy doesn't report it.
                        if (source.carrier && !sourceReportedBy(source, PRIVILEGE_ESCALATION.policy)) {
                            for (const t of targetedEscalations(graph, source.carrier, source.doc, unknown).filter(e => e.level === "privileged")) {
                                report(fn.resource, `function ${quote(fn.name)} gets ${PRIVILEGE_ESCALATION.label} (${t.grant.statement} ${t.detail}) via ${source.via}.`);
                            }
                        }
                    }
                    if (managed.length > 0) {
                        report(fn.resource, `function ${quote(fn.name)} gets the AWS managed ${managed.length === 1 ? "policy" : "policies"} ${managed.join("; ")}.`);
                    }
                }
            }
            for (const grant of unreported(privilegedAssignments(graph, unknown))) {
                report(grant.app.resource, `${grant.text}.`);
            }
            for (const grant of unreported(privilegedGrants(graph, unknown))) {
                report(grant.fn.resource, `${grant.text}.`);
            }
        },
    }),

    stackPolicy({
        name: "stack-aws-lambda-shared-role",
        description: "Each Lambda function should have its own execution role, so that one compromised function can't use the permissions another one needs.",
        severity: "medium",
        threats: ["P2"],
        remediation: "Create one execution role per function with only that function's permissions.",
        check: ({ graph, report, unknown }) => {
            const seen = new Set<string>();
            for (const fn of graph.ofType(...FUNCTION_TYPES)) {
                for (const role of executionRoles(graph, fn, unknown)) {
                    if (seen.has(role.urn)) {
                        continue;
                    }
                    seen.add(role.urn);
                    const users = functionsOfRole(graph, role);
                    if (users.length > 1) {
                        // Name a few of the others, so that a role shared by thousands doesn't give messages that grow with them.
                        const named = users.slice(0, 4);
                        for (const user of users) {
                            const others = named.filter(u => u !== user).slice(0, 3);
                            const more = users.length - 1 - others.length;
                            report(user.resource, `function ${quote(user.name)} shares execution role ${quote(role.name)} with ${others.map(u => quote(u.name)).join(", ")}${more > 0 ? ` and ${more} more` : ""}.`);
                        }
                    }
                }
            }
        },
    }),

    stackPolicy({
        name: "stack-aws-lambda-role-trust",
        description: "A Lambda execution role should trust only the Lambda service, or anything else it trusts can act with the function's permissions.",
        severity: "high",
        threats: ["P2", "R2"],
        remediation: "Limit the role's trust policy to the lambda.amazonaws.com service principal and use separate roles for other principals.",
        check: ({ graph, report, unknown }) => {
            // One line per role, the resource whose trust policy changes, naming the functions that run with it.
            const fnsOf = new Map<Node, Node[]>();
            for (const fn of graph.ofType(...FUNCTION_TYPES)) {
                for (const role of executionRoles(graph, fn, unknown)) {
                    fnsOf.set(role, [...(fnsOf.get(role) ?? []), fn]);
                }
            }
            // Everyone, or every identity of an account: aws-iam-role-trust-too-broad reports those on the role itself.
            const reportedOnRole = reportsInThisRun(ROLE_TRUST_TOO_BROAD);
            for (const [role, fns] of fnsOf) {
                const trust = ROLE_TRUST[role.type].view(role.props, role.type).trustPolicy;
                const raw = trust.read();
                if (isUnknown(raw)) {
                    unknown(role, trust.where);
                    continue;
                }
                const doc = graph.remember(`trust:${role.urn}`, () => parsePolicyDocument(raw));
                const others = new Set<string>();
                for (const s of doc.statements) {
                    if (s.effect !== "Allow" || !s.principal) {
                        continue;
                    }
                    const reported = reportedOnRole && (!s.hasCondition || !restrictsTrustedCaller(s));
                    if (s.principal === "*") {
                        if (!reported) { others.add("\"*\""); }
                        continue;
                    }
                    for (const [kind, values] of Object.entries(s.principal)) {
                        for (const v of values) {
                            const everyone = (v.trim() === "*" && reported) || (reportedOnRole && accountOfPrincipal(v) !== undefined);
                            if (!(kind === "Service" && LAMBDA_SERVICES.has(v)) && !(kind === "AWS" && everyone)) {
                                others.add(`${kind} ${quote(v)}`);
                            }
                        }
                    }
                }
                if (others.size > 0) {
                    const names = fns.map(f => quote(f.name));
                    report(role.resource, `role ${quote(role.name)}, which also trusts ${[...others].join(", ")}, is the execution role of ${fns.length === 1 ? "function" : "functions"} ${names.join(", ")}: what it trusts can act with ${fns.length === 1 ? "the function's" : "their"} permissions.`);
                }
            }
        },
    }),

    stackPolicy<{ allowedDomains: string[] }>({
        name: "stack-gcp-function-identity-impersonation",
        description: "The service account a Cloud Function or Cloud Run service runs as must not let everyone, a whole domain or a whole identity pool act as it (Service Account User, Token Creator or Workload Identity User): any of them could run code with the function's rights.",
        severity: "high",
        threats: ["P2", "R2"],
        remediation: "Remove the grant named in the message, grant roles/iam.serviceAccountUser or roles/iam.serviceAccountTokenCreator on the function's service account only to the deployers (service accounts or groups) that need it, and list a domain in allowedDomains only if every account in it may act as the function.",
        config: ALLOWED_DOMAINS_CONFIG,
        check: ({ graph, report, unknown, config }) => {
            const allowed = allowedDomainsOf(config.allowedDomains);
            for (const actor of identityActors(graph, allowed, unknown)) {
                report(actor.fn.resource, `${actor.text}.`);
            }
        },
    }),
];
