// AWS IAM facts the policies rely on (what AWS managed policies allow is in ./aws-managed-policies).
// Sources: the publicly documented AWS IAM privilege-escalation paths (Rhino Security Labs, "AWS IAM
// Privilege Escalation – Methods and Mitigation", and later additions). Reviewed 2026-11-28.
// IAM action names and service prefixes are case-insensitive (IAM User Guide, "IAM JSON policy
// elements: Action"): the spellings below are AWS's, and every comparison ignores case.

/** Actions that let a principal raise its own privileges when allowed on "*". */
export const PRIVILEGE_ESCALATION_ACTIONS: string[] = [
    "iam:PassRole",
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:AttachRolePolicy",
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:PutRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:AddUserToGroup",
    "iam:UpdateAssumeRolePolicy",
    "iam:CreateRole",
    "iam:PutRolePermissionsBoundary",
    "iam:DeleteRolePermissionsBoundary",
    "sts:AssumeRole",
    "lambda:UpdateFunctionCode",
    "lambda:UpdateFunctionConfiguration",
    "lambda:CreateFunction",
    "lambda:AddPermission",
    "lambda:CreateEventSourceMapping",
    "glue:UpdateDevEndpoint",
    "cloudformation:CreateStack",
    "cloudformation:UpdateStack",
    "ec2:RunInstances",
    "ssm:SendCommand",
    "ssm:StartSession",
    "datapipeline:CreatePipeline",
    "codebuild:StartBuild",
];

/**
 * Escalation actions that rewrite an IAM identity's permissions or credentials: allowed on one named
 * role, user, group or policy they still let the holder give that identity any permission
 * (AdministratorAccess included) or take it over, unless an iam:PolicyARN condition limits which
 * managed policies may be attached. The IAM escalation actions above except iam:PassRole (on a named
 * role it reaches only that role's own permissions: the recommended scoping), iam:CreateRole (it names
 * no existing identity) and iam:PutRolePermissionsBoundary (a boundary only narrows). Reviewed 2026-12-06.
 */
export const IDENTITY_REWRITE_ACTIONS: string[] = PRIVILEGE_ESCALATION_ACTIONS.filter(action =>
    action.startsWith("iam:") && !["iam:PassRole", "iam:CreateRole", "iam:PutRolePermissionsBoundary"].includes(action));

/**
 * Escalation actions whose reach, granted on one named resource, is the strength of that resource:
 * iam:PassRole hands the named role to a service (a function, an instance) the holder then controls,
 * and lambda:UpdateFunctionCode / UpdateFunctionConfiguration (code, layers, environment) run the
 * holder's code as the named function's role. Passing an administrator role, or rewriting a function
 * whose role is one, is escalation; passing a weak role is the recommended scoping (IAM User Guide,
 * "Granting a user permissions to pass a role to an AWS service"; Rhino Security Labs methods 3-5, 15
 * and 16). Reviewed 2026-12-06.
 */
export const TARGETED_ESCALATION_ACTIONS: Record<string, "role" | "function"> = {
    "iam:PassRole": "role",
    "lambda:UpdateFunctionCode": "function",
    "lambda:UpdateFunctionConfiguration": "function",
};

/** Invoke actions a resource-based Lambda permission should be limited to. */
export const LAMBDA_INVOKE_ACTIONS = ["lambda:InvokeFunction", "lambda:InvokeFunctionUrl"];

// Action classes for grants on every resource ("Resource": "*"). Sources: Cloudsplaining's risk
// categories (salesforce/cloudsplaining: data exfiltration, credentials exposure, resource exposure /
// permissions management), Checkov CKV_AWS_107-111 and CKV_AWS_287-290, and the AWS Service
// Authorization Reference for each action's access level. Reviewed 2026-11-30.

/** Reading stored data, secrets and keys: with "*" a compromised function can read every one in the account. */
export const DATA_EXFILTRATION_ACTIONS: string[] = [
    "s3:GetObject",
    "s3:GetObjectVersion",
    "secretsmanager:GetSecretValue",
    "secretsmanager:BatchGetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "ssm:GetParameterHistory",
    "kms:Decrypt",
    "dynamodb:GetItem",
    "dynamodb:BatchGetItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "sqs:ReceiveMessage",
    "kinesis:GetRecords",
    "rds-data:ExecuteStatement",
];

/** Writing or deleting data (not logs or traces): with "*" a function can overwrite or destroy every store in the account. */
export const UNSCOPED_WRITE_ACTIONS: string[] = [
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:DeleteItem",
    "dynamodb:BatchWriteItem",
    "sqs:SendMessage",
    "sqs:DeleteMessage",
    "sqs:PurgeQueue",
    "sns:Publish",
    "kinesis:PutRecord",
    "kinesis:PutRecords",
    "firehose:PutRecord",
    "firehose:PutRecordBatch",
    "events:PutEvents",
    "secretsmanager:PutSecretValue",
    "secretsmanager:UpdateSecret",
    "secretsmanager:DeleteSecret",
    "ssm:PutParameter",
    "ssm:DeleteParameter",
    "ssm:DeleteParameters",
    "kms:ScheduleKeyDeletion",
];

/** Actions that hand out credentials (keys, tokens, passwords) usable outside the function, besides the escalation paths above. */
export const CREDENTIAL_EXPOSURE_ACTIONS: string[] = [
    "iam:UpdateAccessKey",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "iam:UploadSSHPublicKey",
    "sts:GetFederationToken",
    "sts:GetSessionToken",
    "sso:GetRoleCredentials",
    "cognito-identity:GetCredentialsForIdentity",
    "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
    "redshift:GetClusterCredentials",
    "redshift:GetClusterCredentialsWithIAM",
    "redshift-serverless:GetCredentials",
    "rds-db:connect",
    "ec2-instance-connect:SendSSHPublicKey",
    "ec2:GetPasswordData",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:DownloadDefaultKeyPair",
    "lightsail:GetRelationalDatabaseMasterUserPassword",
    "gamelift:RequestUploadCredentials",
    "gamelift:GetInstanceAccess",
    "appsync:ListApiKeys",
    "codepipeline:PollForJobs",
    "iot:CreateKeysAndCertificate",
    "mediapackage:RotateChannelCredentials",
    "mediapackage:RotateIngestEndpointCredentials",
    "chime:CreateApiKey",
];

/**
 * Permissions management beyond the escalation paths above: changing identity policies and the
 * resource policies of functions, buckets, keys, secrets, queues and topics (resource exposure).
 */
export const PERMISSIONS_MANAGEMENT_ACTIONS: string[] = [
    "iam:CreatePolicy",
    "iam:DeletePolicy",
    "iam:DeletePolicyVersion",
    "iam:DetachRolePolicy",
    "iam:DetachUserPolicy",
    "iam:DetachGroupPolicy",
    "iam:DeleteRolePolicy",
    "iam:DeleteUserPolicy",
    "iam:DeleteGroupPolicy",
    "iam:PutUserPermissionsBoundary",
    "iam:DeleteUserPermissionsBoundary",
    "iam:CreateServiceLinkedRole",
    "iam:UpdateRole",
    "lambda:AddLayerVersionPermission",
    "lambda:RemovePermission",
    "lambda:PutFunctionUrlConfig",
    "lambda:CreateFunctionUrlConfig",
    "lambda:UpdateFunctionUrlConfig",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutObjectAcl",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutAccountPublicAccessBlock",
    "kms:PutKeyPolicy",
    "kms:CreateGrant",
    "secretsmanager:PutResourcePolicy",
    "secretsmanager:DeleteResourcePolicy",
    "sqs:AddPermission",
    "sqs:SetQueueAttributes",
    "sns:AddPermission",
    "sns:SetTopicAttributes",
    "ecr:SetRepositoryPolicy",
    "apigateway:UpdateRestApiPolicy",
    "ram:CreateResourceShare",
    "organizations:AttachPolicy",
    "organizations:DetachPolicy",
];
