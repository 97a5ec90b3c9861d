// How a Google Cloud Function (gen 1 or gen 2) connects to other resources in the graph: the service
// account it runs as and the IAM grants (project, folder, organization, bucket, topic, secret) that
// reach it, the invoker IAM on the function and on a gen-2 function's Cloud Run service, its event
// triggers, its source bucket and image repository, the Secret Manager secrets it mounts, and who may
// act as its service account (as for the Cloud Run services a program declares itself).
// Links come from propertyDependencies first (emails, names and ids are unknown during preview) and
// from known names, ids and emails second.
import { ADMIN_ROLE_PATTERN, BASIC_ADMIN_ROLES, IMPERSONATION_ROLES, INVOKER_ROLES, SERVICE_ACCOUNT_ACTING_ROLES } from "../data/gcp";
import { broadMember, classifyMember, defaultServiceAccount, iamResourceKind, parseIamPolicy, roleName, serviceAccountEmail } from "../gcp/common";
import { CLOUD_RUN_FIELDS, CLOUD_RUN_SERVICES, CLOUD_RUN_V1, CLOUD_RUN_V2 } from "../gcp/cloudrun";
import { DEFAULT_INSTANCE_CEILING, defaultMaxInstances, FUNCTION_V1, FUNCTION_V2, httpReachable } from "../gcp/functions";
import { FUNCTION_IAM_TYPES, FUNCTION_PUBLIC_ACCESS } from "../gcp/invoker-iam";
import { scopeGrantPolicy } from "../gcp/project-iam";
import { ReportedBy } from "../lib/reported";
import { SCOPE_IAM_TYPES } from "../gcp/project-iam";
import { SERVICE_ACCOUNT_IAM_TYPES } from "../gcp/service-account-iam";
import { BUCKET, BUCKET_IAM_TYPES, REPOSITORY, SECRET, SECRET_IAM_TYPES, TOPIC } from "../gcp/storage";
import { isUnknown, knownString, Node, ResourceGraph } from "../lib/graph";
import { asList, asNumber, asString, at, isRecord, quote } from "../lib/values";
import type { OnUnknown } from "./aws";

export { FUNCTION_V1, FUNCTION_V2, BUCKET, TOPIC, SECRET, REPOSITORY };
export const GCP_FUNCTIONS = [FUNCTION_V1, FUNCTION_V2];
export const ACCOUNT = "gcp:serviceaccount/account:Account";
export const TOPIC_IAM_TYPES = [
    "gcp:pubsub/topicIAMMember:TopicIAMMember",
    "gcp:pubsub/topicIAMBinding:TopicIAMBinding",
    "gcp:pubsub/topicIAMPolicy:TopicIAMPolicy",
];

const set = (...types: string[]) => new Set(types);
const ACCOUNTS = set(ACCOUNT);
const isV2 = (fn: Node) => fn.type === FUNCTION_V2;
const className = (type: string) => type.slice(type.lastIndexOf(":") + 1);

/** The scope each project-, folder- or organization-level IAM type grants on. */
const SCOPE_LABEL: Record<string, string> = Object.fromEntries(SCOPE_IAM_TYPES.map(t => [t, t.split(":")[1].split("/")[0].replace(/s$/, "")]));

export const DATA_STORE_LABEL: Record<string, string> = {
    [BUCKET]: "Cloud Storage bucket", [TOPIC]: "Pub/Sub topic", [REPOSITORY]: "Artifact Registry repository", [SECRET]: "Secret Manager secret",
};

/** A nested value, with the first unknown object on the way (its dotted path) when there is one. */
function read(node: Node, path: readonly string[]): { value: unknown; unknownAt?: string } {
    let current: unknown = node.props;
    for (let i = 0; i < path.length; i++) {
        if (isUnknown(current)) {
            return { value: current, unknownAt: path.slice(0, i).join(".") };
        }
        current = isRecord(current) ? current[path[i]] : undefined;
    }
    return { value: current, unknownAt: isUnknown(current) ? path.join(".") : undefined };
}

/** Where a setting lives in each generation (the service account also on Cloud Run services). */
const FIELDS = {
    serviceAccount: {
        [FUNCTION_V1]: ["serviceAccountEmail"], [FUNCTION_V2]: ["serviceConfig", "serviceAccountEmail"],
        [CLOUD_RUN_V2]: CLOUD_RUN_FIELDS[CLOUD_RUN_V2].serviceAccount!, [CLOUD_RUN_V1]: CLOUD_RUN_FIELDS[CLOUD_RUN_V1].serviceAccount!,
    },
    maxInstances: { [FUNCTION_V1]: ["maxInstances"], [FUNCTION_V2]: ["serviceConfig", "maxInstanceCount"] },
    sourceBucket: { [FUNCTION_V1]: ["sourceArchiveBucket"], [FUNCTION_V2]: ["buildConfig", "source", "storageSource", "bucket"] },
    dockerRepository: { [FUNCTION_V1]: ["dockerRepository"], [FUNCTION_V2]: ["buildConfig", "dockerRepository"] },
    secretEnv: { [FUNCTION_V1]: ["secretEnvironmentVariables"], [FUNCTION_V2]: ["serviceConfig", "secretEnvironmentVariables"] },
    secretVolumes: { [FUNCTION_V1]: ["secretVolumes"], [FUNCTION_V2]: ["serviceConfig", "secretVolumes"] },
} as const;

function fieldPath(fn: Node, field: keyof typeof FIELDS): readonly string[] {
    return (FIELDS[field] as Record<string, readonly string[]>)[fn.type];
}

// ---------------------------------------------------------------------------------------------
// Names and ids

/** Resources of the given types that a known value held by `node` names, in `node`'s project and region (see lib/identity). */
function byName(g: ResourceGraph, node: Node, property: string, types: readonly string[], value: string, onUnknown?: OnUnknown): Node[] {
    const found = g.resolveValue(node, property, value.trim(), new Set(types));
    if (found.undecided && onUnknown) {
        onUnknown(node, property, "ambiguous");
    }
    return found.nodes;
}

/**
 * The resources one value points to: by known name or id, or, when the value is unknown during
 * preview, through the propertyDependencies of its top-level property (reported unknown when there
 * are none, as the target can't be told).
 */
function linked(g: ResourceGraph, node: Node, path: readonly string[], types: readonly string[], onUnknown?: OnUnknown): Node[] {
    const { value, unknownAt } = read(node, path);
    if (unknownAt !== undefined) {
        const found = g.deps(node, path[0], new Set(types));
        if (found.length === 0 && g.deps(node, path[0]).length === 0 && onUnknown) {
            onUnknown(node, unknownAt);
        }
        return found;
    }
    const known = knownString(value);
    return known ? byName(g, node, path[0], types, known, onUnknown) : [];
}

// ---------------------------------------------------------------------------------------------
// Service accounts

/** Known emails of a service account: its email output, or accountId@project.iam.gserviceaccount.com. */
function emailsOf(account: Node): string[] {
    const out: string[] = [];
    const email = knownString(account.props.email);
    if (email) { out.push(email.toLowerCase()); }
    const member = knownString(account.props.member);
    if (member) { out.push(serviceAccountEmail(member)); }
    const id = knownString(account.props.accountId);
    const project = knownString(account.props.project);
    if (id && project) { out.push(`${id}@${project}.iam.gserviceaccount.com`.toLowerCase()); }
    return [...new Set(out)];
}

/** Service accounts in the stack with this email, as seen from `from` (an account whose project is not known matches by account id). */
function accountsByEmail(g: ResourceGraph, from: Node, email: string): Node[] {
    return g.lookup(email.toLowerCase(), ACCOUNTS, from);
}

export interface Identity {
    fn: Node;
    /** e.g. "service account `orders-fn`" or "the Compute Engine default service account". */
    label: string;
    accounts: Node[];
    emails: Set<string>;
    /** Set when the function runs as a Google default service account. */
    defaultName?: string;
}

/** The service account a function (or Cloud Run service) runs as; undefined (after reporting the unknown) when it can't be told. */
export function functionIdentity(g: ResourceGraph, fn: Node, onUnknown: OnUnknown): Identity | undefined {
    const path = fieldPath(fn, "serviceAccount");
    const { value, unknownAt } = read(fn, path);
    const accountLabel = (a: Node) => `service account ${quote(a.name)}`;
    if (unknownAt !== undefined) {
        const accounts = g.deps(fn, path[0], ACCOUNTS);
        if (accounts.length === 0) {
            onUnknown(fn, unknownAt);
            return undefined;
        }
        return { fn, label: accountLabel(accounts[0]), accounts, emails: new Set(accounts.flatMap(emailsOf)) };
    }
    const given = knownString(value)?.trim();
    if (!given) {
        const defaultName = fn.type === FUNCTION_V1 ? "the App Engine default service account" : "the Compute Engine default service account";
        return { fn, label: defaultName, accounts: [], emails: new Set(), defaultName };
    }
    const email = serviceAccountEmail(given);
    const accounts = accountsByEmail(g, fn, email);
    const defaultName = defaultServiceAccount(email);
    return {
        fn,
        label: accounts.length > 0 ? accountLabel(accounts[0]) : defaultName ?? "its service account (not managed in this stack)",
        accounts,
        emails: new Set([email, ...accounts.flatMap(emailsOf)]),
        defaultName,
    };
}

// ---------------------------------------------------------------------------------------------
// IAM grants

export interface IamGrant {
    iam: Node;
    role: unknown;
    member: unknown;
    /** The top-level property holding the member (its propertyDependencies link unknown members). */
    property: "member" | "members" | "policyData";
    public?: string;
    email?: string;
    accounts: Node[];
    /** The member is unknown and linked to no resource: it can't be told who gets the role. */
    unresolved: boolean;
}

/** Every (role, member) an IAM member, binding or policy resource grants, with its member resolved. */
export function grantsOf(g: ResourceGraph, iam: Node): IamGrant[] {
    return g.remember(`gcp:grants:${iam.urn}`, () => {
        const raw: { role: unknown; member: unknown; property: IamGrant["property"] }[] = [];
        switch (iamResourceKind(iam.type)) {
            case "member":
                raw.push({ role: iam.props.role, member: iam.props.member, property: "member" });
                break;
            case "binding":
                if (isUnknown(iam.props.members)) {
                    raw.push({ role: iam.props.role, member: iam.props.members, property: "members" });
                } else {
                    asList(iam.props.members).forEach(member => raw.push({ role: iam.props.role, member, property: "members" }));
                }
                break;
            case "policy":
                if (isUnknown(iam.props.policyData)) {
                    raw.push({ role: iam.props.policyData, member: iam.props.policyData, property: "policyData" });
                } else {
                    for (const b of asList(at(parseIamPolicy(iam.props.policyData), "bindings"))) {
                        const members = at(b, "members");
                        if (isUnknown(b) || isUnknown(members)) {
                            raw.push({ role: isUnknown(b) ? b : at(b, "role"), member: isUnknown(b) ? b : members, property: "policyData" });
                        } else {
                            asList(members).forEach(member => raw.push({ role: at(b, "role"), member, property: "policyData" }));
                        }
                    }
                }
                break;
            default:
                break;
        }
        return raw.map(r => {
            const grant: IamGrant = { iam, ...r, accounts: [], unresolved: false };
            if (isUnknown(r.member)) {
                grant.accounts = g.deps(iam, r.property, ACCOUNTS);
                grant.unresolved = g.deps(iam, r.property).length === 0;
                return grant;
            }
            const member = typeof r.member === "string" ? classifyMember(r.member) : undefined;
            if (member?.kind === "public") {
                grant.public = member.id;
            } else if (member?.kind === "serviceAccount") {
                grant.email = member.id;
                grant.accounts = accountsByEmail(g, iam, member.id);
            }
            return grant;
        });
    });
}

/** Whether a grant's member is the identity; undefined when the member can't be told yet. */
function reaches(grant: IamGrant, id: Identity, includePublic: boolean): boolean | undefined {
    if (grant.unresolved) {
        return undefined;
    }
    if (grant.public) {
        return includePublic;
    }
    if (grant.accounts.some(a => id.accounts.includes(a))) {
        return true;
    }
    if (grant.email && (id.emails.has(grant.email) || (id.defaultName !== undefined && defaultServiceAccount(grant.email) === id.defaultName))) {
        return true;
    }
    return false;
}

/** Project-, folder- and organization-level grants by the identity they may reach, indexed once. */
function scopeGrantIndex(g: ResourceGraph): Map<string, IamGrant[]> {
    return g.remember("gcp:scope-grants", () => {
        const index = new Map<string, IamGrant[]>();
        const add = (key: string, grant: IamGrant) => {
            const list = index.get(key);
            if (list) { list.push(grant); } else { index.set(key, [grant]); }
        };
        for (const iam of g.ofType(...SCOPE_IAM_TYPES)) {
            for (const grant of grantsOf(g, iam)) {
                if (grant.unresolved) { add("unresolved", grant); }
                if (grant.public) { add("public", grant); }
                grant.accounts.forEach(a => add(`account:${a.urn}`, grant));
                if (grant.email) {
                    add(`email:${grant.email}`, grant);
                    const d = defaultServiceAccount(grant.email);
                    if (d) { add(`default:${d}`, grant); }
                }
            }
        }
        return index;
    });
}

/** Scope-level grants that may reach an identity (including those whose member can't be told yet). */
function scopeGrantsFor(g: ResourceGraph, id: Identity, includePublic: boolean): IamGrant[] {
    const index = scopeGrantIndex(g);
    const keys = [
        ...id.accounts.map(a => `account:${a.urn}`), ...[...id.emails].map(e => `email:${e}`),
        ...(id.defaultName ? [`default:${id.defaultName}`] : []), "unresolved", ...(includePublic ? ["public"] : []),
    ];
    const out: IamGrant[] = [];
    for (const key of keys) {
        for (const grant of index.get(key) ?? []) {
            if (!out.includes(grant)) { out.push(grant); }
        }
    }
    return out;
}

/** The scope a project/folder/organization IAM resource grants on, for messages (its id is a value, so it is not quoted). */
function scopeOf(iam: Node): string {
    return `the ${SCOPE_LABEL[iam.type] ?? "project"}`;
}

/** Resource-level IAM resources (bucket, topic, secret) by the resource they grant on, indexed once per family. */
function resourceIamIndex(g: ResourceGraph, types: readonly string[], property: string, targetType: string): Map<string, Node[]> {
    return g.remember(`gcp:resource-iam:${targetType}`, () => {
        const index = new Map<string, Node[]>();
        for (const iam of g.ofType(...types)) {
            for (const target of linked(g, iam, [property], [targetType])) {
                const list = index.get(target.urn);
                if (list) { list.push(iam); } else { index.set(target.urn, [iam]); }
            }
        }
        return index;
    });
}

export interface Capability {
    /** Grants that give the identity the capability, e.g. "BucketIAMMember `w` (`roles/storage.objectCreator`)". */
    via: string[];
    /** Grants that might, but whose role or member is unknown during preview. */
    maybe: { node: Node; property: string }[];
}

interface CapabilitySpec {
    iamTypes: readonly string[];
    property: string;
    targetType: string;
    /** Roles that give the capability on the resource itself. */
    resourceRoles: readonly string[];
    /** Roles that give it when granted on the whole project, folder or organization. */
    scopeRoles: readonly string[];
}

/** Whether an identity has a capability on a resource, through the resource's IAM or scope-level IAM. */
/** One key per identity: functions running as the same service account share what its grants give them. */
function identityKey(id: Identity): string {
    return `${id.accounts.map(a => a.urn).sort().join(",")}|${[...id.emails].sort().join(",")}|${id.defaultName ?? ""}`;
}

/** Grants named in a message: the first few, then how many more (many copies of one grant shouldn't make a message grow without end). */
const SHOWN_GRANTS = 3;

function considerer(id: Identity, out: Capability) {
    return (grant: IamGrant, roles: readonly string[], where: string) => {
        if (isUnknown(grant.role)) {
            if (reaches(grant, id, true) !== false) {
                out.maybe.push({ node: grant.iam, property: grant.property === "policyData" ? "policyData" : "role" });
            }
            return;
        }
        const role = asString(grant.role)?.trim();
        if (role === undefined || !roles.includes(role)) {
            return;
        }
        const hit = reaches(grant, id, true);
        if (hit === true) {
            const to = grant.public ? ` to ${grant.public}` : "";
            const text = `${className(grant.iam.type)} ${quote(grant.iam.name)} (${roleName(role)}${where}${to})`;
            if (out.via.length < SHOWN_GRANTS + 1 && !out.via.includes(text)) { out.via.push(text); }
        } else if (hit === undefined) {
            out.maybe.push({ node: grant.iam, property: grant.property });
        }
    };
}

/** Whether an identity has a capability on a resource, through the resource's IAM or scope-level IAM. */
function capability(g: ResourceGraph, id: Identity, target: Node, spec: CapabilitySpec): Capability {
    const out: Capability = { via: [], maybe: [] };
    const consider = considerer(id, out);
    for (const iam of resourceIamIndex(g, spec.iamTypes, spec.property, spec.targetType).get(target.urn) ?? []) {
        grantsOf(g, iam).forEach(grant => consider(grant, spec.resourceRoles, ""));
    }
    // Scope-level grants depend only on the identity and the target's project: worked out once for each.
    const fromScope = g.remember(`gcp:scope-capability:${identityKey(id)}:${spec.targetType}:${target.scope[0] ?? ""}`, () => {
        const scoped: Capability = { via: [], maybe: [] };
        const considerScoped = considerer(id, scoped);
        for (const grant of scopeGrantsFor(g, id, true)) {
            // A project-level role reaches only the project's own resources.
            const project = grant.iam.type.startsWith("gcp:projects/") ? grant.iam.scope[0] : undefined;
            if (project === undefined || target.scope[0] === undefined || project === target.scope[0]) {
                considerScoped(grant, spec.scopeRoles, ` on ${scopeOf(grant.iam)}`);
            }
        }
        return scoped;
    });
    for (const text of fromScope.via) {
        if (out.via.length < SHOWN_GRANTS + 1 && !out.via.includes(text)) { out.via.push(text); }
    }
    out.maybe.push(...fromScope.maybe.slice(0, SHOWN_GRANTS));
    if (out.via.length > SHOWN_GRANTS) {
        out.via[SHOWN_GRANTS] = "and more";
    }
    return out;
}

const OWNER_EDITOR = ["roles/owner", "roles/editor"];
const STORAGE_WRITE = ["roles/storage.objectCreator", "roles/storage.objectUser", "roles/storage.objectAdmin", "roles/storage.admin"];
export const WRITE_SPEC: Record<string, CapabilitySpec & { what: string; can: string }> = {
    [BUCKET]: {
        what: "Cloud Storage bucket", can: "create objects in it",
        iamTypes: BUCKET_IAM_TYPES, property: "bucket", targetType: BUCKET,
        resourceRoles: [...STORAGE_WRITE, "roles/storage.legacyBucketWriter", "roles/storage.legacyBucketOwner", ...OWNER_EDITOR],
        scopeRoles: [...STORAGE_WRITE, ...OWNER_EDITOR],
    },
    [TOPIC]: {
        what: "Pub/Sub topic", can: "publish to it",
        iamTypes: TOPIC_IAM_TYPES, property: "topic", targetType: TOPIC,
        resourceRoles: ["roles/pubsub.publisher", "roles/pubsub.editor", "roles/pubsub.admin", ...OWNER_EDITOR],
        scopeRoles: ["roles/pubsub.publisher", "roles/pubsub.editor", "roles/pubsub.admin", ...OWNER_EDITOR],
    },
};

const SECRET_READ: CapabilitySpec = {
    iamTypes: SECRET_IAM_TYPES, property: "secretId", targetType: SECRET,
    resourceRoles: ["roles/secretmanager.secretAccessor", "roles/secretmanager.admin", "roles/owner"],
    scopeRoles: ["roles/secretmanager.secretAccessor", "roles/secretmanager.admin", "roles/owner"],
};

export function canWrite(g: ResourceGraph, id: Identity, target: Node): Capability | undefined {
    const spec = WRITE_SPEC[target.type];
    return spec ? capability(g, id, target, spec) : undefined;
}

export function canReadSecret(g: ResourceGraph, id: Identity, secret: Node): Capability {
    return capability(g, id, secret, SECRET_READ);
}

/** Why a scope-level role is privileged: basic admin roles, any administrator role, or impersonation of every service account. */
function privilegedReason(role: string): string | undefined {
    if (Object.prototype.hasOwnProperty.call(BASIC_ADMIN_ROLES, role)) { return BASIC_ADMIN_ROLES[role]; }
    if (Object.prototype.hasOwnProperty.call(IMPERSONATION_ROLES, role)) { return `it ${IMPERSONATION_ROLES[role]}`; }
    return ADMIN_ROLE_PATTERN.test(role) ? "an administrator role" : undefined;
}

export interface PrivilegedGrant {
    fn: Node;
    text: string;
    /** Set when a resource policy reports every grant of the group on its IAM resource. */
    reportedBy?: ReportedBy;
}

/** Owner, Editor, administrator and impersonation roles on a project, folder or organization for functions' service accounts. */
export function privilegedGrants(g: ResourceGraph, onUnknown: OnUnknown): PrivilegedGrant[] {
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
                text: `function ${quote(fn.name)} runs as ${id.label}, which gets ${roleName(group.role)} on ${group.scope} via ${group.via.join(", ")}${more} (${group.reason})`,
                reportedBy: group.unreported === 0 ? group.reportedBy : undefined,
            });
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Who may act as a function's identity

const ACTING_ROLES = Object.keys(SERVICE_ACCOUNT_ACTING_ROLES);

/** The service account an IAM resource on a service account applies to: by dependency, or by its known id or email in the resource's scope. */
function actedAccount(g: ResourceGraph, iam: Node, onUnknown: OnUnknown): { accounts: Node[]; email?: string } | undefined {
    const value = iam.props.serviceAccountId;
    if (isUnknown(value)) {
        const accounts = g.deps(iam, "serviceAccountId", ACCOUNTS);
        if (accounts.length === 0 && g.deps(iam, "serviceAccountId").length === 0) {
            onUnknown(iam, "serviceAccountId");
            return undefined;
        }
        return { accounts };
    }
    const known = knownString(value);
    if (!known) {
        return { accounts: [] };
    }
    const found = g.resolveValue(iam, "serviceAccountId", known, ACCOUNTS);
    if (found.undecided) {
        onUnknown(iam, "serviceAccountId", "ambiguous");
    }
    const email = serviceAccountEmail(known);
    return { accounts: found.nodes, email: email.includes("@") ? email : undefined };
}

interface ActingGrant {
    iam: Node;
    /** What it grants to broad members; empty while the account it applies to can't be told. */
    texts: string[];
    /** Unknowns (and undecided links) to report on the functions it may reach. */
    waiting: Parameters<OnUnknown>[];
}

export interface IdentityActor {
    fn: Node;
    text: string;
}

/**
 * Functions and Cloud Run services whose service account lets broad members (everyone, a whole domain
 * outside `allowedDomains`, a whole identity pool) act as it. A grant links to a workload only through
 * the same service account resource or the same full email: an account id alone names an account only
 * within its project.
 */
export function identityActors(g: ResourceGraph, allowedDomains: readonly string[], onUnknown: OnUnknown): IdentityActor[] {
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
                out.push({ fn, text: `function ${quote(fn.name)} runs as ${id.label}, on which ${className(grant.iam.type)} ${quote(grant.iam.name)} ${grant.texts.join(" and ")}: they may act as this function's identity and run code with its rights` });
            }
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Public invocation

/** Roles that let the holder invoke a function or its Cloud Run service. */
export const INVOKE_ROLES = [...INVOKER_ROLES, "roles/cloudfunctions.admin", "roles/cloudfunctions.developer", "roles/run.admin", "roles/run.developer", ...OWNER_EDITOR];

/** The property of each invoker IAM type that names its function or Cloud Run service. */
function invokerTarget(type: string): { property: string; run: boolean } {
    if (type.startsWith("gcp:cloudrunv2/")) { return { property: "name", run: true }; }
    if (type.startsWith("gcp:cloudrun/")) { return { property: "service", run: true }; }
    return { property: "cloudFunction", run: false };
}

/** Functions an invoker IAM resource applies to: the function itself, or a gen-2 function's Cloud Run service. */
export function invokedFunctions(g: ResourceGraph, iam: Node, onUnknown: OnUnknown): Node[] {
    const { property, run } = invokerTarget(iam.type);
    const value = iam.props[property];
    if (isUnknown(value)) {
        const found = g.deps(iam, property, run ? set(FUNCTION_V2) : set(...GCP_FUNCTIONS));
        if (found.length === 0 && g.deps(iam, property).length === 0) {
            onUnknown(iam, property);
        }
        return found;
    }
    const known = knownString(value);
    if (!known) {
        return [];
    }
    return byName(g, iam, property, run || iam.type.startsWith("gcp:cloudfunctionsv2/") ? [FUNCTION_V2] : [FUNCTION_V1], known, onUnknown);
}

/** The functions among `fns` that requests can reach (an invoker grant on an event-only gen-1 function is inert). */
export function reachableOverHttp(fns: Node[], onUnknown: OnUnknown): Node[] {
    return fns.filter(fn => {
        const reachable = httpReachable(fn.type, fn.props);
        if (reachable === undefined) {
            onUnknown(fn, "triggerHttp");
        }
        return reachable === true;
    });
}

export interface GcpPublicPath {
    fn: Node;
    path: string;
    reportedBy?: ReportedBy;
}

/**
 * What an IAM resource grants, among `roles`, to the members `broad` describes (it returns why a
 * member is broad, e.g. "allUsers"), one "grants `role` to <who>" each. A grant whose member can't be
 * told yet, and a broad grant whose role can't, are reported unknown.
 */
export function broadGrants(g: ResourceGraph, iam: Node, roles: readonly string[], broad: (grant: IamGrant) => string | undefined, onUnknown: OnUnknown): string[] {
    const out: string[] = [];
    for (const grant of grantsOf(g, iam)) {
        const role = isUnknown(grant.role) ? undefined : asString(grant.role)?.trim() ?? "";
        if (grant.unresolved) {
            if (role === undefined || roles.includes(role)) {
                onUnknown(iam, grant.property);
            }
            continue;
        }
        const who = broad(grant);
        if (!who) {
            continue;
        }
        if (role === undefined) {
            onUnknown(iam, grant.property === "policyData" ? "policyData" : "role");
        } else if (roles.includes(role)) {
            out.push(`grants ${roleName(role)} to ${who}`);
        }
    }
    return out;
}

/** allUsers / allAuthenticatedUsers invokers on functions and on gen-2 functions' Cloud Run services. */
export function publicInvocationPaths(g: ResourceGraph, onUnknown: OnUnknown): GcpPublicPath[] {
    const out: GcpPublicPath[] = [];
    for (const iam of g.ofType(...FUNCTION_IAM_TYPES)) {
        const open = broadGrants(g, iam, INVOKE_ROLES, grant => grant.public, onUnknown);
        if (open.length === 0) {
            continue;
        }
        const onRun = invokerTarget(iam.type).run ? " on its Cloud Run service" : "";
        for (const fn of reachableOverHttp(invokedFunctions(g, iam, onUnknown), onUnknown)) {
            // Any role granted to allUsers or allAuthenticatedUsers is what gcp-iam-function-public-access reports on the IAM resource.
            out.push({ fn, path: `${className(iam.type)} ${quote(iam.name)}${onRun} ${open.join(" and ")}`, reportedBy: { policy: FUNCTION_PUBLIC_ACCESS, node: iam } });
        }
    }
    return out;
}

/**
 * Whether a function caps its instances: maxInstances / serviceConfig.maxInstanceCount set above 0, or,
 * left unset, Google's default for its generation at or below the pack's default ceiling (gen 2 stops
 * at 100; gen 1 goes to 3,000).
 */
export function instanceCap(fn: Node): { capped: boolean | undefined; property: string } {
    const path = fieldPath(fn, "maxInstances");
    const { value, unknownAt } = read(fn, path);
    if (unknownAt !== undefined) {
        return { capped: undefined, property: unknownAt };
    }
    const n = asNumber(value);
    return { capped: (n !== undefined && n > 0) || cappedByDefault(fn.type), property: path.join(".") };
}

/** Whether Google's default instance limit for a host type is within the pack's default ceiling. */
export function cappedByDefault(type: string): boolean {
    return defaultMaxInstances(type) <= DEFAULT_INSTANCE_CEILING;
}

// ---------------------------------------------------------------------------------------------
// Triggers

export interface GcpTrigger {
    fn: Node;
    source: Node;
    /** The event kind, so that functions on different events of one bucket aren't a fan-out. */
    event: string;
    /** e.g. "eventTrigger.resource". */
    via: string;
}

function eventKind(eventType: string): string {
    const m = /(finalize|delete|archive|metadataupdate)/i.exec(eventType);
    return m ? m[1].toLowerCase() : eventType;
}

/** Buckets and topics in the stack that trigger functions (gen 1 eventTrigger.resource; gen 2 event filters or pubsubTopic). */
export function triggers(g: ResourceGraph, onUnknown: OnUnknown): GcpTrigger[] {
    const out: GcpTrigger[] = [];
    for (const fn of g.ofType(...GCP_FUNCTIONS)) {
        const et = fn.props.eventTrigger;
        if (et === undefined || et === null) {
            continue;
        }
        const eventType = at(et, "eventType");
        if (isUnknown(et) || isUnknown(eventType)) {
            onUnknown(fn, isUnknown(et) ? "eventTrigger" : "eventTrigger.eventType");
            continue;
        }
        const type = asString(eventType) ?? "";
        const kind = /storage/i.test(type) ? BUCKET : /pubsub/i.test(type) ? TOPIC : undefined;
        if (!kind) {
            continue;
        }
        let path: string[] = ["eventTrigger", "resource"];
        if (isV2(fn) && kind === TOPIC) {
            path = ["eventTrigger", "pubsubTopic"];
        } else if (isV2(fn)) {
            const filters = at(et, "eventFilters");
            const i = asList(filters).findIndex(f => at(f, "attribute") === "bucket");
            if (isUnknown(filters) || (i < 0 && asList(filters).some(f => isUnknown(f) || isUnknown(at(f, "attribute"))))) {
                onUnknown(fn, "eventTrigger.eventFilters");
                continue;
            }
            if (i < 0) {
                continue;
            }
            path = ["eventTrigger", "eventFilters", String(i), "value"];
        }
        const where = isV2(fn) && kind === BUCKET ? "eventTrigger.eventFilters" : path.join(".");
        const value = path.length === 4 ? at(asList(at(et, "eventFilters"))[Number(path[2])], "value") : at(et, path[1]);
        let sources: Node[];
        if (isUnknown(value)) {
            sources = g.deps(fn, "eventTrigger", set(kind));
            if (sources.length === 0 && g.deps(fn, "eventTrigger").length === 0) {
                onUnknown(fn, where);
            }
        } else {
            const known = knownString(value);
            sources = known ? byName(g, fn, "eventTrigger", [kind], known, onUnknown) : [];
        }
        for (const source of sources) {
            out.push({ fn, source, event: kind === TOPIC ? "publish" : eventKind(type), via: where });
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Data paths and secrets

export interface GcpDataPath {
    fn: Node;
    store: Node;
    relation: string;
    via?: string;
}

/** Stores on a function's path: trigger buckets and topics, its source bucket and its image repository. */
export function dataPaths(g: ResourceGraph, onUnknown: OnUnknown): GcpDataPath[] {
    const out: GcpDataPath[] = triggers(g, onUnknown).map(t => ({ fn: t.fn, store: t.source, relation: "is triggered by", via: t.via }));
    for (const fn of g.ofType(...GCP_FUNCTIONS)) {
        const source = fieldPath(fn, "sourceBucket");
        for (const store of linked(g, fn, source, [BUCKET], onUnknown)) {
            out.push({ fn, store, relation: "loads its source from", via: source.join(".") });
        }
        const repo = fieldPath(fn, "dockerRepository");
        for (const store of linked(g, fn, repo, [REPOSITORY], onUnknown)) {
            out.push({ fn, store, relation: "stores its image in", via: repo.join(".") });
        }
    }
    return out;
}

/** Whether a value is set; a value unknown during preview (a key created in the same program) counts as set. */
function setAt(node: Node, path: readonly string[]): boolean {
    const { value, unknownAt } = read(node, path);
    return unknownAt !== undefined || (typeof value === "string" ? value.trim() !== "" : value !== undefined && value !== null);
}

/** The CMEK property a store lacks, or undefined when it is encrypted with a customer-managed key. */
export function missingCmek(store: Node): string | undefined {
    switch (store.type) {
        case BUCKET:
            return setAt(store, ["encryption", "defaultKmsKeyName"]) ? undefined : "encryption.defaultKmsKeyName";
        case TOPIC:
        case REPOSITORY:
            return setAt(store, ["kmsKeyName"]) ? undefined : "kmsKeyName";
        case SECRET: {
            if (isUnknown(store.props.replication)) {
                return undefined;
            }
            const replicas = at(store.props.replication, "userManaged", "replicas");
            if (isRecord(at(store.props.replication, "userManaged"))) {
                if (isUnknown(replicas)) {
                    return undefined;
                }
                const list = asList(replicas);
                const i = list.findIndex(r => !isUnknown(r) && !(isRecord(r) && (isUnknown(r.customerManagedEncryption) || knownOrUnknownSet(at(r, "customerManagedEncryption", "kmsKeyName")))));
                return i < 0 ? undefined : `replication.userManaged.replicas[${i}].customerManagedEncryption.kmsKeyName`;
            }
            return setAt(store, ["replication", "auto", "customerManagedEncryption", "kmsKeyName"]) ? undefined : "replication.auto.customerManagedEncryption.kmsKeyName";
        }
        default:
            return undefined;
    }
}

function knownOrUnknownSet(value: unknown): boolean {
    return isUnknown(value) || (typeof value === "string" && value.trim() !== "");
}

export interface SecretReference {
    fn: Node;
    secret: Node;
    /** e.g. "secretEnvironmentVariables DB_PASSWORD". */
    where: string;
}

/** Secret Manager secrets in the stack that functions expose as environment variables or volumes. */
export function secretReferences(g: ResourceGraph, onUnknown: OnUnknown): SecretReference[] {
    const out: SecretReference[] = [];
    for (const fn of g.ofType(...GCP_FUNCTIONS)) {
        const seen = new Set<Node>();
        for (const field of ["secretEnv", "secretVolumes"] as const) {
            const path = fieldPath(fn, field);
            const { value, unknownAt } = read(fn, path);
            if (unknownAt !== undefined) {
                const deps = g.deps(fn, path[0], set(SECRET));
                deps.filter(secret => !seen.has(secret)).forEach(secret => {
                    seen.add(secret);
                    out.push({ fn, secret, where: path.join(".") });
                });
                if (deps.length === 0 && g.deps(fn, path[0]).length === 0) {
                    onUnknown(fn, unknownAt);
                }
                continue;
            }
            asList(value).forEach((entry, i) => {
                // An environment variable's key is its name; a volume's mount path is a value, so only its index is shown.
                const key = field === "secretEnv" ? knownString(at(entry, "key")) : undefined;
                const where = key && /^[A-Za-z0-9_.-]{1,128}$/.test(key) ? `${path.join(".")} ${quote(key)}` : `${path.join(".")}[${i}]`;
                for (const secret of secretFromEntry(g, fn, path, entry, i, onUnknown)) {
                    if (!seen.has(secret)) {
                        seen.add(secret);
                        out.push({ fn, secret, where });
                    }
                }
            });
        }
    }
    return out;
}

/** The secret an entry names: by its known id or path, or through the list's propertyDependencies when unknown. */
function secretFromEntry(g: ResourceGraph, fn: Node, path: readonly string[], entry: unknown, i: number, onUnknown: OnUnknown): Node[] {
    const secret = isUnknown(entry) ? entry : at(entry, "secret");
    if (isUnknown(secret)) {
        const deps = g.deps(fn, path[0], set(SECRET));
        if (deps.length === 0 && g.deps(fn, path[0]).length === 0) {
            onUnknown(fn, `${path.join(".")}[${i}].secret`);
        }
        return deps;
    }
    const known = knownString(secret);
    return known ? byName(g, fn, path[0], [SECRET], known, onUnknown) : [];
}
