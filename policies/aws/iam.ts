// IAM that functions run with: roles, their inline and attached policies, and trust policies, on the
// classic provider and on AWS Cloud Control (aws-native), through the views in ./views.
import { CheckContext } from "../lib/define";
import { Field, viewPolicy } from "../lib/view";
import { ManagedPolicyScope } from "../data/aws-managed-policies";
import {
    accountOfPrincipal, adminGrants, allGrantsSummary, awsManagedPolicy, Grant, namedIdentityRewriteGrants, looseConditions, narrowsCaller, parsePolicyDocument, PolicyDocument,
    privilegeEscalationGrants, serviceWildcardGrants,
    Statement, targetedEscalationGrants,
} from "../lib/iam";
import { targetedEscalations } from "../model/aws/grants";
import { asStrings, quote, wordList } from "../lib/values";
import { AttachmentsView, DocumentsView, PERMISSION_DOCUMENTS, POLICY_ATTACHMENTS, ROLE_TRUST } from "./views";

export { ROLE, ROLE_POLICY, POLICY, ROLE_POLICY_ATTACHMENT, POLICY_ATTACHMENT, ROLE_POLICY_ATTACHMENTS_EXCLUSIVE } from "./views";

/** Analyses each permission document of a role or policy in its own part, so one unknown document hides nothing else. */
export function checkDocuments(
    ctx: CheckContext<unknown> & { view: DocumentsView },
    analyse: (doc: PolicyDocument) => Grant[],
    describe: string,
): void {
    for (const document of ctx.view.documents()) {
        ctx.part(() => {
            const raw = document.read();
            if (raw === undefined || raw === null || raw === "") {
                return;
            }
            const grants = analyse(parsePolicyDocument(raw));
            if (grants.length > 0) {
                ctx.report(`${document.where} ${describe}: ${allGrantsSummary(grants)}.`);
            }
        });
    }
}

export { awsManagedPolicyName } from "../lib/iam";

/** Reports, in one message per resource, the attached AWS managed policies of one scope, each with what it allows. */
function checkManagedPolicies(ctx: CheckContext<unknown> & { view: AttachmentsView }, scope: ManagedPolicyScope, advice: string): void {
    const found: string[] = [];
    for (const arn of ctx.view.policyArns()) {
        ctx.part(() => {
            const managed = awsManagedPolicy(arn.read());
            if (managed?.model.scope === scope) {
                found.push(`${arn.where} attaches the AWS managed policy ${quote(managed.name)} (${managed.model.allows})`);
            }
        });
    }
    if (found.length > 0) {
        ctx.report(`${found.join("; ")}${advice}.`);
    }
}

export const MANAGED_POLICY_ADMIN = "aws-iam-managed-policy-admin";
export const ROLE_TRUST_TOO_BROAD = "aws-iam-role-trust-too-broad";

const TRUSTED_CALLER_KEYS: ReadonlySet<string> = new Set(["aws:principalorgid", "aws:principalarn", "aws:principalaccount", "aws:sourceaccount", "aws:sourcearn"]);
// Every signed request carries the caller's ARN and account (AWS global condition context keys,
// aws:PrincipalArn and aws:PrincipalAccount: "included in the request context for all signed
// requests"). sts:AssumeRole and the calls that go with it are always signed, unlike
// AssumeRoleWithWebIdentity and AssumeRoleWithSAML, so on them IfExists leaves the test as strict.
const SIGNED_STS_ACTIONS: ReadonlySet<string> = new Set(["sts:assumerole", "sts:tagsession", "sts:setsourceidentity", "sts:setcontext"]);
const SIGNED_REQUEST_KEYS: ReadonlySet<string> = new Set(["aws:principalarn", "aws:principalaccount"]);
const NO_KEYS: ReadonlySet<string> = new Set();
/** The caller keys every call a trust statement allows carries: the signed ones when it allows only signed STS calls. */
function alwaysPresentOnTrust(s: Statement): ReadonlySet<string> {
    const signedOnly = s.notActions.length === 0 && s.actions.length > 0 && s.actions.every(a => SIGNED_STS_ACTIONS.has(a.toLowerCase()));
    return signedOnly ? SIGNED_REQUEST_KEYS : NO_KEYS;
}
/** Whether a trust statement for principal "*" restricts the caller's account, organization or ARN (else aws-iam-role-trust-too-broad reports it). */
export const restrictsTrustedCaller = (s: Statement) => narrowsCaller(s, TRUSTED_CALLER_KEYS, alwaysPresentOnTrust(s));
export const MANAGED_POLICY_SERVICE_WIDE = "aws-iam-managed-policy-service-wide";

/** A root cause the document policies below find in a permission document, for messages and for the stack policies that meet it. */
export interface DocumentCheck {
    policy: string;
    /** What a grant gives, in words, e.g. "administrator access". */
    label: string;
    grants(doc: PolicyDocument): Grant[];
}

export const ADMIN_ACCESS: DocumentCheck = { policy: "aws-iam-policy-admin-access", label: "administrator access", grants: adminGrants };
export const SERVICE_WILDCARD: DocumentCheck = { policy: "aws-iam-policy-service-wildcard", label: "service-wide access", grants: serviceWildcardGrants };
export const PRIVILEGE_ESCALATION: DocumentCheck = { policy: "aws-iam-policy-privilege-escalation", label: "privilege escalation", grants: privilegeEscalationGrants };
export const DOCUMENT_CHECKS = [ADMIN_ACCESS, SERVICE_WILDCARD, PRIVILEGE_ESCALATION];

export const iamPolicies = [
    viewPolicy({
        name: ADMIN_ACCESS.policy,
        description: "IAM policies used by functions must not allow every action; a compromised function would own the account.",
        severity: "critical",
        threats: ["P2"],
        references: ["CIS AWS Foundations 1.16", "OWASP SAS-5"],
        remediation: "Replace \"*\" with the specific actions and resources the function needs.",
        adapters: PERMISSION_DOCUMENTS,
        check: ctx => checkDocuments(ctx, ADMIN_ACCESS.grants, "grants administrator access"),
    }),

    viewPolicy({
        name: SERVICE_WILDCARD.policy,
        description: "IAM policies used by functions should not allow every action of a service on every resource.",
        severity: "high",
        threats: ["P2"],
        references: ["OWASP SAS-5"],
        remediation: "List the specific actions, and scope Resource to the ARNs the function uses.",
        adapters: PERMISSION_DOCUMENTS,
        check: ctx => checkDocuments(ctx, SERVICE_WILDCARD.grants, "grants a whole service"),
    }),

    viewPolicy({
        name: PRIVILEGE_ESCALATION.policy,
        description: "IAM policies used by functions must not allow privilege-escalation actions (such as iam:PassRole or lambda:UpdateFunctionCode) on every resource, on every resource of their type, or on a named role or function of the stack that holds administrator or escalation rights; actions that rewrite a named identity's permissions get an advisory line.",
        severity: "high",
        threats: ["P2", "R5"],
        references: ["OWASP SAS-5", "Checkov CKV_AWS_110", "Checkov CKV_AWS_286", "Prowler iam_policy_allows_privilege_escalation"],
        remediation: "Scope these actions to specific resource ARNs (e.g. iam:PassRole to one role with an iam:PassedToService condition), or remove them; limit attach actions with an iam:PolicyARN condition and leave identity changes to the deployment pipeline.",
        adapters: PERMISSION_DOCUMENTS,
        // iam:PassRole on a named role, or a function rewrite on a named function, is judged by the target's
        // strength, which only the stack shows: a document granting one is decided at the end of the run.
        withStack: true,
        check: ctx => {
            const docs: { where: string; doc: PolicyDocument }[] = [];
            for (const document of ctx.view.documents()) {
                ctx.part(() => {
                    const raw = document.read();
                    if (raw !== undefined && raw !== null && raw !== "") {
                        docs.push({ where: document.where, doc: parsePolicyDocument(raw) });
                    }
                });
            }
            const linked = docs.some(d => targetedEscalationGrants(d.doc).length > 0) ? ctx.stack() : undefined;
            const broad: string[] = [];
            for (const { where, doc } of docs) {
                const grants = PRIVILEGE_ESCALATION.grants(doc);
                for (const t of linked ? targetedEscalations(linked.graph, linked.node, doc, linked.unknown) : []) {
                    (t.level === "privileged" ? grants : []).push({ statement: t.grant.statement, detail: t.detail });
                    if (t.level === "broad") {
                        broad.push(`${where} ${t.grant.statement} ${t.detail}`);
                    }
                }
                if (grants.length > 0) {
                    ctx.report(`${where} allows privilege escalation: ${allGrantsSummary(grants)}.`);
                }
            }
            // Advisory: on a named role, user, group or policy the reach depends on who can use that identity.
            for (const { where, doc } of docs) {
                const rewrites = namedIdentityRewriteGrants(doc);
                if (rewrites.length > 0) {
                    ctx.warn(`${where} can give a named identity any permission, administrator included: ${allGrantsSummary(rewrites)}.`);
                }
            }
            // Advisory: a role with a whole service is more than the holder may have, but no more than that service.
            if (broad.length > 0) {
                ctx.warn(`${broad.join("; ")}: the holder can use that access through it; scope that role to the resources it uses, or drop the grant.`);
            }
        },
    }),

    viewPolicy({
        name: MANAGED_POLICY_ADMIN,
        description: "Roles must not get administrator-equivalent AWS managed policies (AdministratorAccess, PowerUserAccess, IAMFullAccess).",
        severity: "critical",
        threats: ["P2"],
        references: ["CIS AWS Foundations 1.16"],
        remediation: "Attach a customer-managed policy with only the actions and resources the function needs.",
        adapters: POLICY_ATTACHMENTS,
        check: ctx => checkManagedPolicies(ctx, "admin", ""),
    }),

    viewPolicy({
        name: MANAGED_POLICY_SERVICE_WIDE,
        description: "Roles should not get AWS managed policies that allow every action of a service on every resource (AWSLambda_FullAccess, AmazonS3FullAccess, AmazonDynamoDBFullAccess, AmazonSQSFullAccess and similar); a compromised function could read, change or delete everything in those services.",
        severity: "high",
        threats: ["P2", "R4"],
        references: ["OWASP SAS-5"],
        remediation: "Replace the managed policy with a customer-managed policy that lists the actions the function uses on the ARNs it uses (for @pulumi/aws callback functions, pass `policies` or `role`, which also stops the default full-access attachments).",
        adapters: POLICY_ATTACHMENTS,
        check: ctx => checkManagedPolicies(ctx, "service-wide", "; scope the role to the resources the function uses"),
    }),

    viewPolicy<{ trustPolicy: Field }, { trustedAccountIds: string[] }>({
        name: ROLE_TRUST_TOO_BROAD,
        description: "Role trust policies must not let everyone, or every identity of another account, assume the role.",
        severity: "critical",
        threats: ["R2", "P2"],
        references: ["OWASP SAS-5"],
        remediation: "Trust a specific service (lambda.amazonaws.com for execution roles) or specific role ARNs, and add conditions such as aws:PrincipalOrgID or sts:ExternalId.",
        adapters: ROLE_TRUST,
        config: {
            trustedAccountIds: { type: "array", items: { type: "string", pattern: "^\\d{12}$" }, default: [], description: "Accounts whose root principal may be trusted (e.g. your own)." },
        },
        check: ({ view, report, config }) => {
            const raw = view.trustPolicy.read();
            if (raw === undefined || raw === null || raw === "") {
                return;
            }
            const trusted = asStrings(config.trustedAccountIds);
            for (const s of parsePolicyDocument(raw).statements) {
                if (s.effect !== "Allow" || !s.principal) {
                    continue;
                }
                const where = `${view.trustPolicy.where} statement ${s.index}`;
                const aws = s.principal === "*" ? ["*"] : (s.principal["AWS"] ?? []);
                if (aws.includes("*") || (s.principal !== "*" && asStrings(s.principal["*"]).length > 0)) {
                    if (!s.hasCondition) {
                        report(`${where} trusts principal "*" with no condition: anyone can assume the role.`);
                    } else if (!restrictsTrustedCaller(s)) {
                        report(`${where} trusts principal "*" and its conditions (${wordList(looseConditions(s, TRUSTED_CALLER_KEYS, alwaysPresentOnTrust(s)).map(quote))}) don't restrict the caller's account, organization or ARN.`);
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

