// The IAM grants that reach an identity (project, folder, organization, bucket, topic, secret), what
// they let it do.
import { classifyMember, defaultServiceAccount, iamResourceKind, parseIamPolicy, roleName } from "../../gcp/common";
import { SCOPE_IAM_TYPES } from "../../gcp/project-iam";
import { BUCKET, BUCKET_IAM_TYPES, SECRET, SECRET_IAM_TYPES, TOPIC } from "../../gcp/storage";
import { isUnknown, Node, ResourceGraph } from "../../lib/graph";
import { asList, asString, at, quote } from "../../lib/values";
import { accountsByEmail, Identity } from "./accounts";
import { ACCOUNTS, className, linked, SCOPE_LABEL, TOPIC_IAM_TYPES } from "./types";

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
export function reaches(grant: IamGrant, id: Identity, includePublic: boolean): boolean | undefined {
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
export function scopeGrantsFor(g: ResourceGraph, id: Identity, includePublic: boolean): IamGrant[] {
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
export function scopeOf(iam: Node): string {
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
    /** The entries of `via` that are grants on the resource itself to allUsers or allAuthenticatedUsers. */
    viaPublic?: string[];
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
export function identityKey(id: Identity): string {
    return `${id.accounts.map(a => a.urn).sort().join(",")}|${[...id.emails].sort().join(",")}|${id.defaultName ?? ""}`;
}

/** Grants named in a message: the first few, then how many more (many copies of one grant shouldn't make a message grow without end). */
export const SHOWN_GRANTS = 3;

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
            if (grant.public && where === "") { (out.viaPublic ??= []).push(text); }
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

export const OWNER_EDITOR = ["roles/owner", "roles/editor"];
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

