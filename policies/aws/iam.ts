// IAM that functions run with: roles, their inline and attached policies, and trust policies.
import type { Unwrap } from "@pulumi/pulumi";
import type { iam } from "@pulumi/aws";
import { CheckContext, resourcePolicy } from "../lib/define";
import { ADMIN_MANAGED_POLICIES } from "../data/aws-iam";
import {
    accountOfPrincipal, adminGrants, allGrantsSummary, Grant, parsePolicyDocument, PolicyDocument,
    privilegeEscalationGrants, serviceWildcardGrants,
} from "../lib/iam";
import { asList, asStrings, isRecord, quote } from "../lib/values";

export const ROLE = "aws:iam/role:Role";
export const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
export const POLICY = "aws:iam/policy:Policy";
export const ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
export const POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment";
export const ROLE_POLICY_ATTACHMENTS_EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive";

export const DOCUMENT_TYPES = [ROLE, ROLE_POLICY, POLICY];

/** Where each permission document of a role or policy resource sits, read lazily. */
function documentsOf(type: string, props: Record<string, any>): { where: string; read: () => unknown }[] {
    if (type === ROLE) {
        // Only the length is read here: each entry is read inside its own part, so one unknown
        // entry doesn't hide findings in the others.
        const count = Array.isArray(props.inlinePolicies) ? props.inlinePolicies.length : 0;
        return Array.from({ length: count }, (_, i) => ({
            where: `inlinePolicies[${i}]`,
            read: () => {
                const entry = (props.inlinePolicies as unknown[])[i];
                return isRecord(entry) ? entry.policy : undefined;
            },
        }));
    }
    return [{ where: "policy", read: () => props.policy }];
}

export function checkDocuments(
    ctx: CheckContext<unknown> & { props: Record<string, any> },
    analyse: (doc: PolicyDocument) => Grant[],
    describe: string,
): void {
    for (const { where, read } of documentsOf(ctx.type, ctx.props)) {
        ctx.part(() => {
            const raw = read();
            if (raw === undefined || raw === null || raw === "") {
                return;
            }
            const doc = parsePolicyDocument(raw);
            const grants = analyse(doc);
            if (grants.length > 0) {
                ctx.report(`${where} ${describe}: ${allGrantsSummary(grants)}.`);
            }
        });
    }
}

/** An AWS managed policy ARN's name, e.g. "AdministratorAccess" for arn:aws:iam::aws:policy/AdministratorAccess. */
export function awsManagedPolicyName(arn: string): string | undefined {
    const m = /^arn:aws[a-z-]*:iam::aws:policy\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(arn.trim());
    return m ? m[1] : undefined;
}

export const iamPolicies = [
    resourcePolicy({
        name: "aws-iam-policy-admin-access",
        description: "IAM policies used by functions must not allow every action; a compromised function would own the account.",
        severity: "critical",
        threats: ["P2"],
        references: ["CIS AWS Foundations 1.16", "OWASP SAS-5"],
        remediation: "Replace \"*\" with the specific actions and resources the function needs.",
        resourceTypes: DOCUMENT_TYPES,
        check: ctx => checkDocuments(ctx, adminGrants, "grants administrator access"),
    }),

    resourcePolicy({
        name: "aws-iam-policy-service-wildcard",
        description: "IAM policies used by functions should not allow every action of a service on every resource.",
        severity: "high",
        threats: ["P2"],
        references: ["OWASP SAS-5"],
        remediation: "List the specific actions, and scope Resource to the ARNs the function uses.",
        resourceTypes: DOCUMENT_TYPES,
        check: ctx => checkDocuments(ctx, serviceWildcardGrants, "grants a whole service"),
    }),

    resourcePolicy({
        name: "aws-iam-policy-privilege-escalation",
        description: "IAM policies used by functions must not allow privilege-escalation actions (such as iam:PassRole or lambda:UpdateFunctionCode) on every resource.",
        severity: "high",
        threats: ["P2", "R5"],
        references: ["OWASP SAS-5"],
        remediation: "Scope these actions to specific resource ARNs (e.g. iam:PassRole to one role with an iam:PassedToService condition), or remove them.",
        resourceTypes: DOCUMENT_TYPES,
        check: ctx => checkDocuments(ctx, privilegeEscalationGrants, "allows privilege escalation"),
    }),

    resourcePolicy({
        name: "aws-iam-managed-policy-admin",
        description: "Roles must not get administrator-equivalent AWS managed policies (AdministratorAccess, PowerUserAccess, IAMFullAccess and similar).",
        severity: "critical",
        threats: ["P2"],
        references: ["CIS AWS Foundations 1.16"],
        remediation: "Attach a customer-managed policy with only the actions and resources the function needs.",
        resourceTypes: [ROLE, ROLE_POLICY_ATTACHMENT, POLICY_ATTACHMENT, ROLE_POLICY_ATTACHMENTS_EXCLUSIVE],
        check: ({ type, props, report, part }) => {
            const listProperty = type === ROLE ? "managedPolicyArns" : type === ROLE_POLICY_ATTACHMENTS_EXCLUSIVE ? "policyArns" : undefined;
            const list = listProperty ? (props as Record<string, unknown>)[listProperty] : undefined;
            const arns: { where: string; index?: number }[] = listProperty
                ? Array.from({ length: Array.isArray(list) ? list.length : 0 }, (_, index) => ({ where: `${listProperty}[${index}]`, index }))
                : [{ where: "policyArn" }];
            for (const { where, index } of arns) {
                part(() => {
                    const value = index === undefined
                        ? (props as Unwrap<iam.RolePolicyAttachmentArgs>).policyArn
                        : (list as unknown[])[index];
                    const name = typeof value === "string" ? awsManagedPolicyName(value) : undefined;
                    if (name && Object.prototype.hasOwnProperty.call(ADMIN_MANAGED_POLICIES, name)) {
                        report(`${where} attaches the AWS managed policy ${quote(name)} (${ADMIN_MANAGED_POLICIES[name]}).`);
                    }
                });
            }
        },
    }),

    resourcePolicy<Unwrap<iam.RoleArgs>, { trustedAccountIds: string[] }>({
        name: "aws-iam-role-trust-too-broad",
        description: "Role trust policies must not let everyone, or every identity of another account, assume the role.",
        severity: "critical",
        threats: ["R2", "P2"],
        references: ["OWASP SAS-5"],
        remediation: "Trust a specific service (lambda.amazonaws.com for execution roles) or specific role ARNs, and add conditions such as aws:PrincipalOrgID or sts:ExternalId.",
        resourceTypes: [ROLE],
        config: {
            trustedAccountIds: { type: "array", items: { type: "string", pattern: "^\\d{12}$" }, default: [], description: "Accounts whose root principal may be trusted (e.g. your own)." },
        },
        check: ({ props, report, config }) => {
            const raw = props.assumeRolePolicy;
            if (raw === undefined || raw === null || raw === "") {
                return;
            }
            const trusted = asStrings(config.trustedAccountIds);
            for (const s of parsePolicyDocument(raw).statements) {
                if (s.effect !== "Allow" || !s.principal) {
                    continue;
                }
                const where = `assumeRolePolicy statement ${s.index}`;
                const aws = s.principal === "*" ? ["*"] : (s.principal["AWS"] ?? []);
                if (aws.includes("*") || (s.principal !== "*" && asStrings(s.principal["*"]).length > 0)) {
                    if (!s.hasCondition) {
                        report(`${where} trusts principal "*" with no condition: anyone can assume the role.`);
                    } else if (!s.conditionKeys.some(k => k === "aws:principalorgid" || k === "aws:principalarn" || k === "aws:principalaccount" || k === "aws:sourceaccount" || k === "aws:sourcearn")) {
                        report(`${where} trusts principal "*" and its conditions don't restrict the caller's account, organization or ARN.`);
                    }
                    continue;
                }
                for (const p of aws) {
                    const account = accountOfPrincipal(p);
                    if (account && !trusted.includes(account)) {
                        report(`${where} trusts every identity of account ${account}; trust specific role ARNs instead${s.conditionKeys.includes("sts:externalid") ? "" : " (and require sts:ExternalId for third parties)"}.`);
                    }
                }
            }
        },
    }),
];

