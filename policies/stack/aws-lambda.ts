// Lambda functions in the stack graph: which ones invoked asynchronously keep no failed events, and
// which action classes reach their roles through any policy.
import { stackPolicy } from "../lib/define";
import { isUnknown } from "../lib/graph";
import { actionClassGrants } from "../lib/iam";
import { quote } from "../lib/values";
import { FUNCTION } from "../aws/lambda";
import { ACTION_CLASSES } from "../aws/iam-actions";
import { asyncInvokers, executionRoles, FUNCTION_TYPES, keepsFailures, roleSources } from "../model/aws";
import { sourceReportedBy } from "./identity";

export const lambdaStackPolicies = [
    stackPolicy({
        name: "aws-lambda-function-dead-letter",
        description: "Lambda functions invoked asynchronously (S3, SNS, EventBridge, async invoke configs) should keep failed events (dead-letter queue or on-failure destination) so that failures and attacks are not lost silently.",
        severity: "medium",
        threats: ["P7", "R1"],
        remediation: "Set deadLetterConfig.targetArn to an encrypted SQS queue or SNS topic, or add a FunctionEventInvokeConfig with destinationConfig.onFailure.destination.",
        check: ({ graph, report, unknown }) => {
            for (const [fn, via] of asyncInvokers(graph, unknown)) {
                if (isUnknown(fn.props.deadLetterConfig)) {
                    unknown(fn, "deadLetterConfig");
                } else if (!keepsFailures(graph, fn)) {
                    report(fn.resource, `function ${quote(fn.name)} is invoked asynchronously (by ${[...new Set(via)].join(", ")}) but deadLetterConfig.targetArn is not set and no ${fn.type === FUNCTION ? "FunctionEventInvokeConfig" : "EventInvokeConfig"} has an on-failure destination: failed events are dropped.`);
                }
            }
        },
    }),

    stackPolicy({
        name: "stack-aws-lambda-role-broad-actions",
        description: "A Lambda function's role must not receive data-exfiltration, credential-exposure, permissions-management or unscoped write actions on every resource through any policy that reaches it.",
        severity: "high",
        threats: ["P2", "R4"],
        references: ["OWASP SAS-5"],
        remediation: "Scope the statement named in the message to the resources the function uses, or remove the actions; check every inline policy, RolePolicy and attachment (RolePolicyAttachment, PolicyAttachment, RolePolicyAttachmentsExclusive, managedPolicyArns) of the role.",
        check: ({ graph, report, unknown }) => {
            for (const fn of graph.ofType(...FUNCTION_TYPES)) {
                for (const role of executionRoles(graph, fn, unknown)) {
                    for (const source of roleSources(graph, role, unknown)) {
                        // A modelled AWS managed policy is reported on its attachment by its scope as a whole, and a class
                        // that the resource policy of the same name reports on the document's resource is left to it.
                        for (const cls of source.managed ? [] : ACTION_CLASSES.filter(c => !sourceReportedBy(source, c.policy))) {
                            for (const grant of actionClassGrants(source.doc, cls.actions)) {
                                report(fn.resource, `function ${quote(fn.name)} gets ${cls.label} (${grant.statement} ${grant.detail}) via ${source.via}.`);
                            }
                        }
                    }
                }
            }
        },
    }),
];

