// API Gateway stages in the stack graph: what protects each REST stage (throttling, WAF).
import { stackPolicy } from "../lib/define";
import { isUnknown, Node } from "../lib/graph";
import { quote } from "../lib/values";
import { REST_STAGE } from "../aws/apigateway-stages";
import { isPrivate, REST_APIS, REST_STAGES, throttleIndex, WEB_ACL_ASSOCIATION } from "../model/aws";

export const apiGatewayStackPolicies = [
    stackPolicy({
        name: "stack-aws-apigateway-throttling",
        description: "Every API Gateway REST stage should be throttled (method settings for */* or a usage plan), or one caller can drive the functions behind it to the account limit (denial of wallet).",
        severity: "medium",
        threats: ["P4"],
        remediation: "Add an aws.apigateway.MethodSettings for methodPath \"*/*\" with settings.throttlingRateLimit and throttlingBurstLimit, or a UsagePlan with throttleSettings that lists the stage.",
        check: ({ graph, report, unknown }) => {
            const index = throttleIndex(graph);
            for (const stage of graph.ofType(REST_STAGE)) {
                if (index.throttled.has(stage.urn)) {
                    continue;
                }
                if (index.maybe.has(stage.urn) || index.unlinked) {
                    unknown(stage, "throttling");
                } else {
                    report(stage.resource, `stage ${quote(stage.name)} has no throttling: no MethodSettings for "*/*" with a rate limit and no UsagePlan with throttle settings lists it.`);
                }
            }
        },
    }),

    stackPolicy({
        name: "stack-aws-apigateway-waf",
        description: "Public API Gateway REST stages should be protected by an AWS WAF web ACL that filters common attacks and floods before they reach the functions.",
        severity: "medium",
        threats: ["P1", "R1"],
        references: ["Checkov CKV2_AWS_29"],
        remediation: "Associate the stage with a WAFv2 web ACL (aws.wafv2.WebAclAssociation with resourceArn set to the stage's ARN), or exempt stages behind CloudFront with their own web ACL.",
        check: ({ graph, report, unknown }) => {
            const protectedStages = new Set<string>();
            let unlinked: Node | undefined;
            for (const a of graph.ofType(WEB_ACL_ASSOCIATION)) {
                graph.refs(a, "resourceArn", REST_STAGES).forEach(stage => protectedStages.add(stage.urn));
                if (isUnknown(a.props.resourceArn) && graph.deps(a, "resourceArn").length === 0) {
                    unlinked = unlinked ?? a;
                }
            }
            for (const stage of graph.ofType(REST_STAGE)) {
                if (protectedStages.has(stage.urn) || graph.refs(stage, "restApi", REST_APIS).some(isPrivate)) {
                    continue;
                }
                if (unlinked) {
                    unknown(unlinked, "resourceArn");
                    continue;
                }
                report(stage.resource, `stage ${quote(stage.name)} has no WAF web ACL association; associate one with aws.wafv2.WebAclAssociation.`);
            }
        },
    }),
];
