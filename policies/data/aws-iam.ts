// AWS IAM facts the policies rely on. Sources: the AWS managed policy reference (job-function and
// administrator policies) and the publicly documented AWS IAM privilege-escalation paths (Rhino
// Security Labs, "AWS IAM Privilege Escalation – Methods and Mitigation", and later additions).
// Reviewed 2026-11-28.

/** AWS managed policies that grant administrator-equivalent power. */
export const ADMIN_MANAGED_POLICIES: Record<string, string> = {
    "AdministratorAccess": "full administrator access",
    "PowerUserAccess": "every action except IAM and Organizations management",
    "IAMFullAccess": "full IAM control, enough to grant itself anything",
    "AWSLambda_FullAccess": "full control of every Lambda function, including code updates",
    "AmazonS3FullAccess": "full control of every S3 bucket",
    "SecretsManagerReadWrite": "read and write access to every secret",
};

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

/** Invoke actions a resource-based Lambda permission should be limited to. */
export const LAMBDA_INVOKE_ACTIONS = ["lambda:InvokeFunction", "lambda:InvokeFunctionUrl"];
