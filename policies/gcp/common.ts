// Shared Google Cloud helpers: IAM member classification, the grants of an IAM member, binding or
// policy resource (policyData as a JSON string or an object, malformed JSON tolerated), service
// account recognition, and the two policy shapes used across services (public IAM members, CMEK
// where required). References to CIS Google Cloud Platform Foundation use the v3.0.0 numbering.
import { PolicyDefinition, PolicyMeta, resourcePolicy, ResourceCheckContext } from "../lib/define";
import { asList, asString, asStrings, at, Dict, isRecord, isSet, quote } from "../lib/values";
import { DEFAULT_SERVICE_ACCOUNTS, PUBLIC_MEMBERS, SERVICE_AGENT_PATTERNS } from "../data/gcp";
import { computedIdentity, unknownAt } from "../lib/provenance";

export type MemberKind = "public" | "domain" | "serviceAccount" | "user" | "group" | "principalSet" | "deleted" | "other";

export interface Member {
    kind: MemberKind;
    /** The canonical public principal ("allUsers"), the email or the domain. */
    id: string;
}

/** Classifies an IAM member string such as "allUsers", "domain:example.com" or "serviceAccount:x@p.iam.gserviceaccount.com". */
export function classifyMember(member: string): Member {
    const m = member.trim();
    const publicId = Object.keys(PUBLIC_MEMBERS).find(p => p.toLowerCase() === m.toLowerCase());
    if (publicId) {
        return { kind: "public", id: publicId };
    }
    const match = /^([A-Za-z]+):(.*)$/.exec(m);
    const prefix = match?.[1].toLowerCase();
    const id = match?.[2].trim() ?? m;
    switch (prefix) {
        case "domain": return { kind: "domain", id: id.toLowerCase() };
        case "serviceaccount": return { kind: "serviceAccount", id: id.toLowerCase() };
        case "user": return { kind: "user", id };
        case "group": return { kind: "group", id };
        case "principalset": return { kind: "principalSet", id };
        case "deleted": return { kind: "deleted", id };
        default: return { kind: "other", id };
    }
}

/** The `allowedDomains` config as broadMember compares it: trimmed and lower-cased. */
export function allowedDomainsOf(value: unknown): string[] {
    return asStrings(value).map(d => d.trim().toLowerCase());
}

/** Why a member stands for many principals (everyone, a whole domain not in `allowedDomains`, a whole identity pool), or undefined for a specific one. */
export function broadMember(member: Member, allowedDomains: readonly string[]): string | undefined {
    switch (member.kind) {
        case "public":
            return `${member.id}, that is everyone`;
        case "domain":
            return allowedDomains.includes(member.id) ? undefined : "every account of a whole domain";
        case "principalSet":
            return "a whole set of workload identities (principalSet)";
        default:
            return undefined;
    }
}

/** The email of a service account given as an email, "serviceAccount:<email>" or "projects/<p>/serviceAccounts/<email>". */
export function serviceAccountEmail(value: string): string {
    const v = value.trim().replace(/^serviceAccount:/i, "");
    return (v.includes("/") ? v.slice(v.lastIndexOf("/") + 1) : v).toLowerCase();
}

/** The name of the Google default service account an email is, if it is one. */
export function defaultServiceAccount(email: string): string | undefined {
    return DEFAULT_SERVICE_ACCOUNTS.find(d => d.pattern.test(email))?.name;
}

export const COMPUTE_DEFAULT = "the Compute Engine default service account";

/**
 * The Google default service account an identity setting leaves a workload to: `fallback` when the
 * setting is empty, the default account it names, or undefined for a dedicated account.
 */
export function defaultIdentity(value: unknown, fallback: string): { unset: boolean; name: string } | undefined {
    const given = asString(value)?.trim();
    if (!given) {
        return { unset: true, name: fallback };
    }
    const name = defaultServiceAccount(serviceAccountEmail(given));
    return name === undefined ? undefined : { unset: false, name };
}

/**
 * Whether a service-account setting at `path` is unknown during preview and computed only from service
 * accounts of the stack (see lib/provenance.ts): it then names one of them, not a default account.
 */
export function isStackAccount(props: Dict, path: readonly string[]): boolean {
    const holder = path.length === 1 ? props : at(props, ...path.slice(0, -1));
    return unknownAt(holder, path[path.length - 1]) && computedIdentity(path[0]) !== undefined;
}

export function isServiceAgent(email: string): boolean {
    return SERVICE_AGENT_PATTERNS.some(p => p.test(email));
}

/** An IAM policy given as a JSON string or an object; malformed JSON or another type reads as no policy. */
export function parseIamPolicy(raw: unknown): Dict | undefined {
    if (typeof raw === "string") {
        try {
            const parsed: unknown = JSON.parse(raw);
            return isRecord(parsed) ? parsed : undefined;
        } catch {
            return undefined;
        }
    }
    return isRecord(raw) ? raw : undefined;
}

export type IamResourceKind = "member" | "binding" | "policy";

/** Member, binding or policy, from the type token's class name (`...:FunctionIamMember`, `...:IAMBinding`). */
export function iamResourceKind(type: string): IamResourceKind | undefined {
    const cls = type.slice(type.lastIndexOf(":") + 1);
    return /member$/i.test(cls) ? "member" : /binding$/i.test(cls) ? "binding" : /policy$/i.test(cls) ? "policy" : undefined;
}

/** One member granted one role. */
export interface Grant {
    /** Where it is declared: "member", "members[1]" or "policyData.bindings[0].members[2]". */
    where: string;
    role: string | undefined;
    /**
     * Reads the member. Read it only when the role matters, so a member that is unknown during preview
     * (an email computed from another resource) stops the policy only where it could change the result.
     */
    member(): Member | undefined;
}

type GrantContext = Pick<ResourceCheckContext<Dict, unknown>, "type" | "props" | "part">;

function visitBinding(ctx: GrantContext, binding: unknown, prefix: string, property: string, visit: (g: Grant) => void): void {
    const role = asString(at(binding, "role"));
    if (unknownAt(binding, "members")) {
        const identity = computedIdentity(property);
        if (identity) {
            ctx.part(() => visit({ where: `${prefix}members`, role, member: () => ({ kind: "serviceAccount", id: identity.email ?? identity.label }) }));
            return;
        }
    }
    const members = asList(at(binding, "members"));
    for (let i = 0; i < members.length; i++) {
        ctx.part(() => visit({ where: `${prefix}members[${i}]`, role, member: () => memberAt(members, i, property) }));
    }
}

function memberOf(value: unknown): Member | undefined {
    const s = asString(value);
    return s === undefined ? undefined : classifyMember(s);
}

/**
 * The member at `holder[key]`, declared under the top-level property `property`. One unknown during
 * preview but computed only from identities of the stack (see lib/provenance.ts) is that service
 * account, never a public principal or a default account; any other unknown throws the SDK's error.
 */
function memberAt(holder: unknown, key: string | number, property: string): Member | undefined {
    if (unknownAt(holder, key)) {
        const identity = computedIdentity(property);
        if (identity) {
            return { kind: "serviceAccount", id: identity.email ?? identity.label };
        }
    }
    return memberOf(at(holder, key));
}

/** Calls `visit` for every (role, member) an IAM member, binding or policy resource grants, each in its own part. */
export function forEachGrant(ctx: GrantContext, visit: (grant: Grant) => void): void {
    const { props } = ctx;
    switch (iamResourceKind(ctx.type)) {
        case "member":
            ctx.part(() => visit({ where: "member", role: asString(props.role), member: () => memberAt(props, "member", "member") }));
            return;
        case "binding":
            ctx.part(() => visitBinding(ctx, props, "", "members", visit));
            return;
        case "policy":
            ctx.part(() => {
                const bindings = asList(at(parseIamPolicy(props.policyData), "bindings"));
                for (let i = 0; i < bindings.length; i++) {
                    ctx.part(() => visitBinding(ctx, bindings[i], `policyData.bindings[${i}].`, "policyData", visit));
                }
            });
            return;
        default:
            return;
    }
}

/**
 * The grants of an IAM member, binding or policy resource given to allUsers or allAuthenticatedUsers,
 * read outside a policy (the stack policies' view of what a resource policy reports): a value unknown
 * during preview decides nothing here, as the resource policy waits for it.
 */
export function publicGrants(type: string, props: Dict): Grant[] {
    const out: Grant[] = [];
    const part = (fn: () => void) => {
        try {
            fn();
        } catch {
            // unknown during preview, or a strange shape: no grant to count
        }
    };
    forEachGrant({ type, props, part }, grant => {
        if (grant.member()?.kind === "public") {
            out.push(grant);
        }
    });
    return out;
}

const ROLE_ID = /^(?:roles|projects\/[a-z0-9.:-]{1,64}\/roles|organizations\/\d{1,32}\/roles)\/[A-Za-z0-9_.]{1,128}$/;

/** "`roles/x`" for a role id; "a role" for anything else, so a message never echoes an arbitrary value. */
export function roleName(role: string | undefined): string {
    return role !== undefined && ROLE_ID.test(role) ? quote(role) : "a role";
}

/** A setting's value quoted when it is one of the documented values, otherwise described without echoing it. */
export function describeValue(value: string | undefined, known: readonly string[]): string {
    return value === undefined ? "not set" : known.includes(value) ? quote(value) : "set to an unrecognised value";
}

/** Whether a nested property is set (a value unknown during preview counts as set, without being read). */
export function isSetAt(props: unknown, path: readonly string[]): boolean {
    return isSet(at(props, ...path.slice(0, -1)), path[path.length - 1]);
}

type Meta = Omit<PolicyMeta, "config" | "severity" | "enforcementLevel">;

/**
 * A policy that flags IAM members, bindings and policies granting any role to allUsers or
 * allAuthenticatedUsers. A deliberately public resource gets a dated exemption (the layer's
 * `exemptions` config), like any other finding.
 */
export function publicMemberPolicy(spec: Meta & {
    resourceTypes: string[];
    fix: string;
    /**
     * Why the grants of this resource reach nothing (they are inert, not public), or undefined; may
     * read the stack (`ctx.stack()`), which the policy then declares `withStack`.
     */
    inert?(ctx: ResourceCheckContext<Dict, Record<string, never>>): string | undefined;
}): PolicyDefinition {
    const { fix, inert, ...meta } = spec;
    return resourcePolicy<Dict>({
        ...meta,
        severity: "critical",
        withStack: inert !== undefined,
        provenance: true,
        check: ctx => {
            if (inert?.(ctx) !== undefined) {
                return;
            }
            forEachGrant(ctx, grant => {
                const member = grant.member();
                if (member?.kind === "public") {
                    ctx.report(`${grant.where} grants ${roleName(grant.role)} to ${member.id}, that is ${PUBLIC_MEMBERS[member.id]}; ${fix}`);
                }
            });
        },
    });
}

const CMEK_CONFIG = {
    requireCmek: {
        type: "boolean" as const, default: false,
        description: "Require a customer-managed Cloud KMS key (CMEK). Off by default: Google encrypts everything at rest with Google-managed keys.",
    },
};

/**
 * A policy that, where the organization requires CMEK (`requireCmek`), flags resources whose key
 * property is not set. A key unknown during preview comes from a key created in the same program
 * and counts as set; every Cloud KMS key is customer-managed.
 */
export function cmekPolicy(spec: Meta & { resourceTypes: string[]; missingKeys(props: Dict, type: string): string[] }): PolicyDefinition {
    const { missingKeys, ...meta } = spec;
    return resourcePolicy<Dict, { requireCmek: boolean }>({
        ...meta,
        severity: "medium",
        config: CMEK_CONFIG,
        optIn: { flag: "requireCmek", what: "CMEK" },
        check: ({ type, props, report }) => {
            for (const where of missingKeys(props, type)) {
                report(`${where} is not set, so the data is encrypted with a Google-managed key; set it to a Cloud KMS key.`);
            }
        },
    });
}
