// What well-known AWS managed policies allow, so that a role is judged by the policy's real grants:
// a service-scoped *FullAccess policy is broad in its own services, not administrator access.
// Source: AWS Managed Policy Reference, https://docs.aws.amazon.com/aws-managed-policy/latest/reference/<name>.html
// (the JSON policy document of each policy's default version). Reviewed 2026-12-06.
// Each model keeps the document's Allow statements that decide access to data, services and IAM
// (service wildcards, write and management actions, iam:PassRole with its condition); read-only
// console helpers (Describe*, List* of other services) are left out.
// Policies not listed here are not modelled: a role's other managed ARNs are treated as unknown grants.

export type ManagedPolicyScope =
    /** Administrator-equivalent: every action, or enough IAM control to grant itself everything. */
    | "admin"
    /** Every action of one or a few services on every resource. */
    | "service-wide"
    /** Specific actions only. */
    | "limited";

export interface ManagedPolicyStatement {
    Sid?: string;
    Effect: "Allow";
    Action?: string[];
    NotAction?: string[];
    Resource: string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface ManagedPolicyModel {
    scope: ManagedPolicyScope;
    /** What the policy allows, in words, for messages. */
    allows: string;
    Statement: ManagedPolicyStatement[];
}

const ANY = ["*"];
const allow = (Action: string[], Resource: string[] = ANY, Condition?: ManagedPolicyStatement["Condition"]): ManagedPolicyStatement =>
    ({ Effect: "Allow", Action, Resource, ...(Condition ? { Condition } : {}) });
const passRoleTo = (...services: string[]) => allow(["iam:PassRole"], ANY, { StringEquals: { "iam:PassedToService": services } });
const LAMBDA_LOGS = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"];

export const AWS_MANAGED_POLICIES: Record<string, ManagedPolicyModel> = {
    AdministratorAccess: {
        scope: "admin", allows: "every action on every resource",
        Statement: [allow(["*"])],
    },
    PowerUserAccess: {
        scope: "admin", allows: "every action except IAM, Organizations and account management, on every resource",
        Statement: [
            { Effect: "Allow", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: ANY },
            allow(["iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:ListRoles", "organizations:DescribeOrganization", "account:ListRegions", "account:GetAccountInformation"]),
        ],
    },
    IAMFullAccess: {
        scope: "admin", allows: "every IAM action, enough to grant itself anything",
        Statement: [allow(["iam:*"])],
    },
    AWSLambda_FullAccess: {
        scope: "service-wide", allows: "every Lambda action on every function, and iam:PassRole of any role to Lambda",
        Statement: [
            allow(["lambda:*", "cloudformation:DescribeStacks", "cloudformation:ListStackResources", "cloudwatch:ListMetrics", "cloudwatch:GetMetricData",
                "iam:GetPolicy", "iam:GetPolicyVersion", "iam:GetRole", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:ListRolePolicies", "iam:ListRoles",
                "kms:ListAliases", "logs:DescribeLogGroups", "states:DescribeStateMachine", "states:ListStateMachines", "tag:GetResources"]),
            passRoleTo("lambda.amazonaws.com"),
            allow(["logs:DescribeLogStreams", "logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartLiveTail", "logs:StopLiveTail"], ["arn:aws:logs:*:*:log-group:/aws/lambda/*"]),
        ],
    },
    AmazonS3FullAccess: {
        scope: "service-wide", allows: "every S3 action on every bucket and object",
        Statement: [allow(["s3:*", "s3-object-lambda:*"])],
    },
    AmazonDynamoDBFullAccess: {
        scope: "service-wide", allows: "every DynamoDB and DAX action on every table, and creating Lambda functions, event source mappings and SNS topics",
        Statement: [
            allow(["dynamodb:*", "dax:*", "application-autoscaling:PutScalingPolicy", "application-autoscaling:RegisterScalableTarget",
                "cloudwatch:DeleteAlarms", "cloudwatch:PutMetricAlarm", "datapipeline:ActivatePipeline", "datapipeline:CreatePipeline", "datapipeline:DeletePipeline", "datapipeline:PutPipelineDefinition",
                "iam:GetRole", "iam:ListRoles", "kms:DescribeKey", "kms:ListAliases",
                "sns:CreateTopic", "sns:DeleteTopic", "sns:ListSubscriptions", "sns:ListSubscriptionsByTopic", "sns:ListTopics", "sns:Subscribe", "sns:Unsubscribe", "sns:SetTopicAttributes",
                "lambda:CreateFunction", "lambda:ListFunctions", "lambda:ListEventSourceMappings", "lambda:CreateEventSourceMapping", "lambda:DeleteEventSourceMapping", "lambda:GetFunctionConfiguration", "lambda:DeleteFunction",
                "kinesis:ListStreams", "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "tag:GetResources"]),
            passRoleTo("application-autoscaling.amazonaws.com", "application-autoscaling.amazonaws.com.cn", "dax.amazonaws.com"),
        ],
    },
    AmazonSQSFullAccess: {
        scope: "service-wide", allows: "every SQS action on every queue",
        Statement: [allow(["sqs:*"])],
    },
    AmazonKinesisFullAccess: {
        scope: "service-wide", allows: "every Kinesis Data Streams action on every stream",
        Statement: [allow(["kinesis:*"])],
    },
    AmazonSNSFullAccess: {
        scope: "service-wide", allows: "every SNS action on every topic",
        Statement: [allow(["sns:*"])],
    },
    CloudWatchFullAccess: {
        scope: "service-wide", allows: "every CloudWatch, CloudWatch Logs and SNS action on every resource",
        Statement: [allow(["autoscaling:Describe*", "cloudwatch:*", "logs:*", "sns:*", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:GetRole"])],
    },
    CloudWatchFullAccessV2: {
        scope: "service-wide", allows: "every CloudWatch, CloudWatch Logs and X-Ray action on every resource (every log group can be read)",
        Statement: [allow(["cloudwatch:*", "logs:*", "xray:*", "synthetics:*", "rum:*", "application-signals:*",
            "sns:CreateTopic", "sns:ListSubscriptions", "sns:ListSubscriptionsByTopic", "sns:ListTopics", "sns:Subscribe",
            "iam:GetPolicy", "iam:GetPolicyVersion", "iam:GetRole", "oam:ListSinks"])],
    },
    CloudWatchLogsFullAccess: {
        scope: "service-wide", allows: "every CloudWatch Logs action on every log group (every log group can be read)",
        Statement: [allow(["logs:*", "cloudwatch:GenerateQuery", "cloudwatch:GenerateQueryResultsSummary"])],
    },
    CloudWatchEventsFullAccess: {
        scope: "service-wide", allows: "every EventBridge, Scheduler and Pipes action on every resource",
        Statement: [
            allow(["events:*", "schemas:*", "scheduler:*", "pipes:*"]),
            allow(["iam:PassRole"], ["arn:aws:iam::*:role/AWS_Events_Invoke_Targets"]),
        ],
    },
    AmazonEventBridgeFullAccess: {
        scope: "service-wide", allows: "every EventBridge, Scheduler and Pipes action on every resource, and iam:PassRole of any role to them",
        Statement: [
            allow(["events:*", "schemas:*", "scheduler:*", "pipes:*"]),
            passRoleTo("events.amazonaws.com", "scheduler.amazonaws.com", "pipes.amazonaws.com"),
        ],
    },
    AmazonCognitoPowerUser: {
        scope: "service-wide", allows: "every Cognito user-pool, identity-pool and sync action on every resource",
        Statement: [allow(["cognito-identity:*", "cognito-idp:*", "cognito-sync:*", "iam:ListRoles", "iam:GetRole", "lambda:GetPolicy", "lambda:ListFunctions"])],
    },
    SecretsManagerReadWrite: {
        scope: "service-wide", allows: "every Secrets Manager action on every secret",
        Statement: [
            allow(["secretsmanager:*", "kms:DescribeKey", "kms:ListAliases", "kms:ListKeys", "lambda:ListFunctions", "tag:GetResources"]),
            allow(["lambda:AddPermission", "lambda:CreateFunction", "lambda:GetFunction", "lambda:InvokeFunction", "lambda:UpdateFunctionConfiguration"], ["arn:aws:lambda:*:*:function:SecretsManager*"]),
        ],
    },
    AWSXrayWriteOnlyAccess: {
        scope: "limited", allows: "writing X-Ray traces",
        Statement: [allow(["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"])],
    },
    AWSCloudFormationReadOnlyAccess: {
        scope: "limited", allows: "reading CloudFormation stacks",
        Statement: [allow(["cloudformation:Describe*", "cloudformation:EstimateTemplateCost", "cloudformation:Get*", "cloudformation:List*", "cloudformation:ValidateTemplate", "cloudformation:Detect*"])],
    },
    AWSLambdaRole: {
        scope: "limited", allows: "invoking every Lambda function",
        Statement: [allow(["lambda:InvokeFunction"])],
    },
    AWSLambdaBasicExecutionRole: {
        scope: "limited", allows: "writing CloudWatch Logs",
        Statement: [allow(LAMBDA_LOGS)],
    },
    AWSLambdaVPCAccessExecutionRole: {
        scope: "limited", allows: "writing CloudWatch Logs and managing the function's network interfaces",
        Statement: [allow([...LAMBDA_LOGS, "ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"])],
    },
};
