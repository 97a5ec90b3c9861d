// What a function's identity can do, and who else may act as it, following its role or identity across resources.
import { stackPolicy } from "../lib/define";
import { parsePolicyDocument } from "../lib/iam";
import { unreported } from "../lib/reported";
import { DOCUMENT_CHECKS, MANAGED_POLICY_ADMIN } from "../aws/iam";
import { isUnknown } from "../lib/graph";
import { quote } from "../lib/values";
import { ALLOWED_DOMAINS_CONFIG } from "../gcp/service-account-iam";
import { allowedDomainsOf } from "../gcp/common";
import { executionRoles, FUNCTION_TYPES, functionsOfRole, roleSources, sourceReportedBy } from "./aws";
import { ROLE_TRUST } from "../aws/views";
import * as azure from "./azure";
import * as gcp from "./gcp";

const LAMBDA_SERVICES = new Set(["lambda.amazonaws.com", "edgelambda.amazonaws.com"]);

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
                    }
                    if (managed.length > 0) {
                        report(fn.resource, `function ${quote(fn.name)} gets the AWS managed ${managed.length === 1 ? "policy" : "policies"} ${managed.join("; ")}.`);
                    }
                }
            }
            for (const grant of unreported(azure.privilegedAssignments(graph, unknown))) {
                report(grant.app.resource, `${grant.text}.`);
            }
            for (const grant of unreported(gcp.privilegedGrants(graph, unknown))) {
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
            for (const fn of graph.ofType(...FUNCTION_TYPES)) {
                for (const role of executionRoles(graph, fn, unknown)) {
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
                        if (s.principal === "*") {
                            others.add("\"*\"");
                            continue;
                        }
                        for (const [kind, values] of Object.entries(s.principal)) {
                            for (const v of values) {
                                if (!(kind === "Service" && LAMBDA_SERVICES.has(v))) {
                                    others.add(`${kind} ${quote(v)}`);
                                }
                            }
                        }
                    }
                    if (others.size > 0) {
                        report(fn.resource, `function ${quote(fn.name)} runs with role ${quote(role.name)}, which also trusts ${[...others].join(", ")}.`);
                    }
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
            for (const actor of gcp.identityActors(graph, allowed, unknown)) {
                report(actor.fn.resource, `${actor.text}.`);
            }
        },
    }),
];
