// What an AWS Lambda function may do: its execution roles and every permission document reaching
// them, and whether those documents allow an action on a resource of the stack.
import { POLICY_ATTACHMENT, ROLE, ROLE_POLICY, ROLE_POLICY_ATTACHMENT, ROLE_POLICY_ATTACHMENTS_EXCLUSIVE } from "../../aws/views";
import { NATIVE_MANAGED_POLICY, NATIVE_ROLE, NATIVE_ROLE_POLICY, NATIVE_SECRET, NATIVE_TOPIC, PERMISSION_DOCUMENTS } from "../../aws/views";
import { isUnknown, knownString, Node, ResourceGraph } from "../../lib/graph";
import {
    adminGrants, awsManagedPolicy, escalatingServiceGrants, ManagedPolicy, parsePolicyDocument, PolicyDocument, privilegeEscalationGrants, resourceMatch,
    secretPatternMatch, serviceWildcardGrants, statementAllows, TargetedGrant, targetedEscalationGrants,
} from "../../lib/iam";
import { asList, asString, at, quote } from "../../lib/values";
import type { OnUnknown } from "../core";
import { BUCKETS, FUNCTION_TYPES, FUNCTIONS, POLICIES, ROLES, SECRETS } from "./types";

/** Where each provider's role keeps its inline policies: the list, and each entry's name and document. */
const INLINE_POLICIES: Record<string, { list: string; name: string; document: string }> = {
    [ROLE]: { list: "inlinePolicies", name: "name", document: "policy" },
    [NATIVE_ROLE]: { list: "policies", name: "policyName", document: "policyDocument" },
};

/** The permission document of a RolePolicy or policy resource of either provider, with its property name. */
function documentField(node: Node): { raw: unknown; property: string } {
    const f = PERMISSION_DOCUMENTS[node.type].view(node.props, node.type).documents()[0];
    return { raw: f.read(), property: f.where };
}


export interface PermissionSource {
    /** e.g. "RolePolicyAttachment `admin` (policy `admin-policy`) on role `api-role`" */
    via: string;
    doc: PolicyDocument;
    /** Set when the source is an AWS managed policy whose grants the pack models (its doc is the model's). */
    managed?: ManagedPolicy;
    /** The resource that holds the document or the managed policy ARN, as the resource policies read it. */
    carrier?: Node;
}

/** How a source reads in a message: the managed policy's name, then where it is attached. */
export function sourceLabel(source: PermissionSource): string {
    return source.managed ? `the AWS managed policy ${quote(source.managed.name)} (${source.via})` : source.via;
}

/** The execution roles in the stack that a function runs with. */
export function executionRoles(g: ResourceGraph, fn: Node, onUnknown: OnUnknown): Node[] {
    const roles = g.refs(fn, "role", ROLES);
    if (roles.length === 0 && isUnknown(fn.props.role)) {
        onUnknown(fn, "role");
    }
    return roles;
}

function documentOf(g: ResourceGraph, node: Node, key: string, raw: unknown, onUnknown: OnUnknown, property: string): PolicyDocument | undefined {
    if (isUnknown(raw)) {
        onUnknown(node, property);
        return undefined;
    }
    if (raw === undefined || raw === null || raw === "") {
        return undefined;
    }
    return g.remember(`doc:${node.urn}:${key}`, () => parsePolicyDocument(raw));
}

function managedSource(arn: unknown, via: string, carrier: Node): PermissionSource | undefined {
    const managed = knownString(arn) ? awsManagedPolicy(arn) : undefined;
    return managed ? { via, doc: managed.doc, managed, carrier } : undefined;
}

/** Every permission document that reaches a role: inline, RolePolicy, managed ARNs and every kind of attachment. */
export function roleSources(g: ResourceGraph, role: Node, onUnknown: OnUnknown): PermissionSource[] {
    const out: PermissionSource[] = [];
    const roleLabel = `role ${quote(role.name)}`;
    const inline = INLINE_POLICIES[role.type];
    if (isUnknown(role.props[inline.list])) {
        onUnknown(role, inline.list);
    }
    asList(role.props[inline.list]).forEach((entry, i) => {
        if (isUnknown(entry)) {
            onUnknown(role, `${inline.list}[${i}]`);
            return;
        }
        const name = asString(at(entry, inline.name)) ?? String(i);
        const doc = documentOf(g, role, `inline${i}`, at(entry, inline.document), onUnknown, `${inline.list}[${i}].${inline.document}`);
        if (doc) {
            out.push({ via: `inline policy ${quote(name)} of ${roleLabel}`, doc, carrier: role });
        }
    });
    for (const rp of [...g.referrers(role, "role", [ROLE_POLICY]), ...g.referrers(role, "roleName", [NATIVE_ROLE_POLICY])]) {
        const { raw, property } = documentField(rp);
        const doc = documentOf(g, rp, "policy", raw, onUnknown, property);
        if (doc) {
            out.push({ via: `RolePolicy ${quote(rp.name)} on ${roleLabel}`, doc, carrier: rp });
        }
    }
    const managed = role.props.managedPolicyArns;
    if (isUnknown(managed)) {
        onUnknown(role, "managedPolicyArns");
    }
    asList(managed).forEach(arn => {
        const source = managedSource(arn, `managedPolicyArns of ${roleLabel}`, role);
        if (source) {
            out.push(source);
        }
    });
    const policyDoc = (p: Node) => {
        const { raw, property } = documentField(p);
        return documentOf(g, p, "policy", raw, onUnknown, property);
    };
    for (const p of g.refs(role, "managedPolicyArns", POLICIES)) {
        const doc = policyDoc(p);
        if (doc) {
            out.push({ via: `policy ${quote(p.name)} in managedPolicyArns of ${roleLabel}`, doc, carrier: p });
        }
    }
    for (const p of g.referrers(role, "roles", [NATIVE_MANAGED_POLICY])) {
        const doc = policyDoc(p);
        if (doc) {
            out.push({ via: `ManagedPolicy ${quote(p.name)} attached to ${roleLabel}`, doc, carrier: p });
        }
    }
    const attachments: [Node, string, unknown[]][] = [
        ...g.referrers(role, "role", [ROLE_POLICY_ATTACHMENT]).map((att): [Node, string, unknown[]] => [att, "RolePolicyAttachment", [att.props.policyArn]]),
        ...g.referrers(role, "roles", [POLICY_ATTACHMENT]).map((att): [Node, string, unknown[]] => [att, "PolicyAttachment", [att.props.policyArn]]),
        ...g.referrers(role, "roleName", [ROLE_POLICY_ATTACHMENTS_EXCLUSIVE]).map((att): [Node, string, unknown[]] => [att, "RolePolicyAttachmentsExclusive", asList(att.props.policyArns)]),
    ];
    for (const [att, kind, arns] of attachments) {
        const property = kind === "RolePolicyAttachmentsExclusive" ? "policyArns" : "policyArn";
        const via = `${kind} ${quote(att.name)} on ${roleLabel}`;
        const modelled = arns.map(arn => managedSource(arn, via, att)).filter((a): a is PermissionSource => a !== undefined);
        out.push(...modelled);
        const policies = g.refs(att, property, POLICIES);
        if (policies.length === 0 && modelled.length === 0 && (isUnknown(att.props[property]) || arns.some(isUnknown))) {
            onUnknown(att, property);
        }
        for (const p of policies) {
            const doc = policyDoc(p);
            if (doc) {
                out.push({ via: `${kind} ${quote(att.name)} (policy ${quote(p.name)}) on ${roleLabel}`, doc, carrier: p });
            }
        }
    }
    return out;
}


/** Known ARNs of a resource, from its outputs or from its name where the ARN format allows. */
export function arnsOf(node: Node): string[] {
    const arns = new Set<string>();
    const arn = knownString(node.props.arn) ?? (node.type === NATIVE_TOPIC ? knownString(node.props.topicArn) : undefined)
        ?? (node.type === NATIVE_SECRET ? knownString(node.props.id) : undefined);
    if (arn) { arns.add(arn); }
    if (BUCKETS.has(node.type)) {
        const name = knownString(node.props.bucket) ?? knownString(node.props.bucketName) ?? knownString(node.props.id);
        if (name) { arns.add(`arn:aws:s3:::${name}`); }
    }
    const stream = knownString(node.props.streamArn);
    if (stream) { arns.add(stream); }
    return [...arns];
}

/**
 * Whether any source allows `action` on `target`: by matching the statement's Resource patterns
 * against the target's known ARNs (object ARNs under a bucket included), or, when the target's ARN
 * is not known yet, by the statement's Resource being "*" or the document depending on the target.
 */
export function allows(g: ResourceGraph, sources: PermissionSource[], action: string, target: Node): PermissionSource | undefined {
    const arns = arnsOf(target);
    const objectArns = BUCKETS.has(target.type) ? arns.map(a => `${a}/any-object-key`) : [];
    const secretName = SECRETS.has(target.type) && arns.length === 0 ? knownString(target.props.name) : undefined;
    for (const source of sources) {
        for (const s of source.doc.statements) {
            if (!statementAllows(s, action)) {
                continue;
            }
            if (s.notResources.length > 0) {
                return source;
            }
            if (s.resources.some(r => r === "*" || [...arns, ...objectArns].some(arn => resourceMatch(r, arn)) || (secretName !== undefined && secretPatternMatch(r, secretName)))) {
                return source;
            }
            if (arns.length === 0 && s.resources.some(r => isUnknown(r))) {
                return source;
            }
        }
    }
    return undefined;
}

/** Functions whose execution role (in the stack) is `role`. */
export function functionsOfRole(g: ResourceGraph, role: Node): Node[] {
    return g.referrers(role, "role", FUNCTION_TYPES);
}

/** How strong a role is, as a target of iam:PassRole or of a function rewrite. */
export interface RoleStrength {
    /** "privileged": administrator access or privilege escalation; "broad": a whole service, but no more. */
    level: "privileged" | "broad";
    /** What makes it so, in words, e.g. "administrator access (statement 0 allows action "*") via inline policy `x` of role `r`". */
    what: string;
}

/**
 * The strongest thing a role may do through every document reaching it (inline, RolePolicy, managed
 * ARNs, attachments): administrator access, an AWS managed administrator policy or privilege
 * escalation on every resource make it privileged; a whole service on every resource makes it broad.
 * Undefined for a role scoped to resources (or whose documents are unknown: `onUnknown` hears of them).
 */
export function roleStrength(g: ResourceGraph, role: Node, onUnknown: OnUnknown): RoleStrength | undefined {
    let broad: RoleStrength | undefined;
    for (const source of roleSources(g, role, onUnknown)) {
        if (source.managed) {
            const { scope, allows } = source.managed.model;
            if (scope === "admin") {
                return { level: "privileged", what: `the AWS managed policy ${quote(source.managed.name)} (${allows}) via ${source.via}` };
            }
            if (scope === "service-wide" && !broad) {
                broad = { level: "broad", what: `the AWS managed policy ${quote(source.managed.name)} (${allows}) via ${source.via}` };
            }
            continue;
        }
        const admin = adminGrants(source.doc)[0];
        const escalation = admin ? undefined : (privilegeEscalationGrants(source.doc)[0] ?? escalatingServiceGrants(source.doc)[0]);
        if (admin || escalation) {
            const grant = (admin ?? escalation)!;
            return { level: "privileged", what: `${admin ? "administrator access" : "privilege escalation"} (${grant.statement} ${grant.detail}) via ${source.via}` };
        }
        const wide = serviceWildcardGrants(source.doc)[0];
        if (wide && !broad) {
            broad = { level: "broad", what: `service-wide access (${wide.statement} ${wide.detail}) via ${source.via}` };
        }
    }
    return broad;
}

/** The roles a permission document's resource gives its rights to: a role itself, a RolePolicy's role, the roles a policy is attached to. */
export function holdersOf(g: ResourceGraph, carrier: Node): Node[] {
    if (ROLES.has(carrier.type)) {
        return [carrier];
    }
    if (POLICIES.has(carrier.type)) {
        return [
            ...g.referrers(carrier, "policyArn", [ROLE_POLICY_ATTACHMENT]).flatMap(a => g.refs(a, "role", ROLES)),
            ...g.referrers(carrier, "policyArns", [ROLE_POLICY_ATTACHMENTS_EXCLUSIVE]).flatMap(a => g.refs(a, "roleName", ROLES)),
            ...g.referrers(carrier, "policyArn", [POLICY_ATTACHMENT]).flatMap(a => g.refs(a, "roles", ROLES)),
            ...g.refs(carrier, "roles", ROLES),
            ...g.referrers(carrier, "managedPolicyArns", [...ROLES]),
        ];
    }
    return [...g.refs(carrier, "role", ROLES), ...g.refs(carrier, "roleName", ROLES)];
}

/** One named target of an escalation action, judged by the target's strength. */
export interface TargetedEscalation {
    grant: TargetedGrant;
    /** The resource reached and how strong it makes the holder, in words. */
    detail: string;
    level: RoleStrength["level"];
}

/** The last part of a role or function ARN pattern (`role/<path><name>`, `function:<name>`), and the target's own name as that part reads. */
const PATTERN_TAIL = /^arn:[^:]*:(?:iam::[^:]*:role(\/.*)|lambda:[^:]*:[^:]*:function:(.*))$/;
function ownTail(n: Node): string | undefined {
    if (ROLES.has(n.type)) {
        const name = knownString(n.props.name) ?? knownString(n.props.roleName);
        return name === undefined ? undefined : `${knownString(n.props.path) ?? "/"}${name}`;
    }
    return knownString(n.props.name) ?? knownString(n.props.functionName);
}

/**
 * The resources of `types` a Resource entry names: by ARN or name in the scope of `from`, or, for a
 * pattern, every known ARN it matches (a target whose ARN is computed, by its known name and path).
 */
function named(g: ResourceGraph, from: Node, resource: string, types: ReadonlySet<string>): Node[] {
    if (/[*?]/.test(resource)) {
        const m = PATTERN_TAIL.exec(resource);
        const tail = m ? (m[1] ?? m[2]) : undefined;
        return g.ofType(...types).filter(n => {
            const arns = arnsOf(n);
            if (arns.length > 0) {
                return arns.some(arn => resourceMatch(resource, arn));
            }
            const own = ownTail(n);
            return tail !== undefined && own !== undefined && resourceMatch(tail, own);
        });
    }
    return g.lookup(resource, types, from);
}

/**
 * The escalations a document's targeted grants (iam:PassRole on named roles, lambda:UpdateFunctionCode
 * and UpdateFunctionConfiguration on named functions) give its holder: a target in the stack that is
 * privileged or broad (a function's, by its execution role), other than the holder's own role. A
 * target outside the stack is not judged.
 */
export function targetedEscalations(g: ResourceGraph, carrier: Node, doc: PolicyDocument, onUnknown: OnUnknown): TargetedEscalation[] {
    const out: TargetedEscalation[] = [];
    const grants = targetedEscalationGrants(doc);
    if (grants.length === 0) {
        return out;
    }
    const holders = new Set(holdersOf(g, carrier));
    for (const grant of grants) {
        const seen = new Set<Node>();
        for (const resource of grant.resources) {
            const targets = named(g, carrier, resource, grant.kind === "role" ? ROLES : FUNCTIONS);
            for (const target of targets) {
                if (seen.has(target)) {
                    continue;
                }
                seen.add(target);
                const roles = grant.kind === "role" ? [target] : executionRoles(g, target, onUnknown);
                for (const role of roles.filter(r => !holders.has(r))) {
                    const strength = roleStrength(g, role, onUnknown);
                    if (strength) {
                        const reached = grant.kind === "role" ? `role ${quote(role.name)}` : `function ${quote(target.name)}, whose role ${quote(role.name)}`;
                        out.push({ grant, level: strength.level, detail: `allows ${grant.action} on ${reached}, which has ${strength.what}` });
                    }
                }
            }
        }
    }
    return out;
}
