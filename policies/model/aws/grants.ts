// What an AWS Lambda function may do: its execution roles and every permission document reaching
// them, and whether those documents allow an action on a resource of the stack.
import { POLICY_ATTACHMENT, ROLE, ROLE_POLICY, ROLE_POLICY_ATTACHMENT, ROLE_POLICY_ATTACHMENTS_EXCLUSIVE } from "../../aws/iam";
import { NATIVE_MANAGED_POLICY, NATIVE_ROLE, NATIVE_ROLE_POLICY, NATIVE_SECRET, NATIVE_TOPIC, PERMISSION_DOCUMENTS } from "../../aws/views";
import { isUnknown, knownString, Node, ResourceGraph } from "../../lib/graph";
import { awsManagedPolicy, ManagedPolicy, parsePolicyDocument, PolicyDocument, resourceMatch, secretPatternMatch, statementAllows } from "../../lib/iam";
import { asList, asString, at, quote } from "../../lib/values";
import type { OnUnknown } from "../core";
import { BUCKETS, FUNCTION_TYPES, POLICIES, ROLES, SECRETS } from "./types";

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
