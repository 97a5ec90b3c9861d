// Lambda settings that turn off a platform guard or pull in code from elsewhere: recursive-loop
// detection and layers published by other accounts.
import type { lambda } from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { resourcePolicy } from "../lib/define";
import { asString, asStrings } from "../lib/values";
import { FUNCTION } from "./lambda";

export const RECURSION_CONFIG = "aws:lambda/functionRecursionConfig:FunctionRecursionConfig";

/** The account that published a layer version ARN (arn:aws:lambda:<region>:<account>:layer:<name>:<version>). */
export function layerAccount(arn: string): string | undefined {
    const m = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:(\d{12}):layer:[A-Za-z0-9_-]+(?::\d+)?$/.exec(arn.trim());
    return m ? m[1] : undefined;
}

export const lambdaGuardPolicies = [
    resourcePolicy<Unwrap<lambda.FunctionRecursionConfigArgs>>({
        name: "aws-lambda-function-recursion-allowed",
        description: "Lambda's recursive-loop detection must stay on: with recursiveLoop \"Allow\" a function that re-triggers itself through SQS, SNS or S3 runs (and bills) without end.",
        severity: "high",
        threats: ["R5", "P4"],
        references: ["OWASP SAS-6"],
        remediation: "Set recursiveLoop to \"Terminate\" (or remove the FunctionRecursionConfig) and break the loop in the design instead.",
        resourceTypes: [RECURSION_CONFIG],
        check: ({ props, report }) => {
            if ((asString(props.recursiveLoop) ?? "").trim().toLowerCase() === "allow") {
                report("recursiveLoop is \"Allow\": AWS no longer stops the function's recursive loops; set it to \"Terminate\".");
            }
        },
        remediate: props => (asString(props.recursiveLoop) ?? "").trim().toLowerCase() === "allow" ? { recursiveLoop: "Terminate" } : undefined,
    }),

    resourcePolicy<Unwrap<lambda.FunctionArgs>, { trustedLayerAccountIds: string[] }>({
        name: "aws-lambda-function-layer-account",
        description: "Lambda layers run inside the function with its role, so they should come only from accounts the organization trusts.",
        severity: "medium",
        threats: ["P6", "R5"],
        remediation: "Publish the layer in one of your own accounts (or vendor its code into the package), or add its publisher's account to trustedLayerAccountIds after review.",
        resourceTypes: [FUNCTION],
        config: {
            trustedLayerAccountIds: {
                type: "array", items: { type: "string", pattern: "^\\d{12}$" }, default: [],
                description: "Accounts whose layers functions may use (your own, and reviewed publishers); empty means not configured.",
            },
        },
        check: ({ props, report, config, part, notApplicable }) => {
            const trusted = asStrings(config.trustedLayerAccountIds);
            if (trusted.length === 0) {
                notApplicable("no trusted layer accounts are configured (set trustedLayerAccountIds to check)");
            }
            const layers = props.layers;
            const count = Array.isArray(layers) ? layers.length : 0;
            for (let i = 0; i < count; i++) {
                part(() => {
                    const arn = asString((layers as unknown[])[i]);
                    const account = arn ? layerAccount(arn) : undefined;
                    if (account && !trusted.includes(account)) {
                        report(`layers[${i}] is published by account ${account}, which is not in trustedLayerAccountIds; use a layer from a trusted account.`);
                    }
                });
            }
        },
    }),
];
