// The order API of aws-insecure, hardened: it passes every serverless-guard policy, mandatory and
// advisory, under the default configuration.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const account = "111122223333";
const region = "eu-west-1";
const functionName = "orders-api";

// One customer-managed key for the function's environment, its queue, bucket and logs.
const key = new aws.kms.Key("orders-key", { description: "orders data", enableKeyRotation: true, deletionWindowInDays: 30 });

// The execution role: assumable by Lambda only, allowed exactly what the function does.
const role = new aws.iam.Role("orders-role", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
    managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"],
    inlinePolicies: [{
        name: "orders",
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: ["s3:PutObject"], Resource: `arn:aws:s3:::orders-uploads-${account}/*` },
                { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: `arn:aws:sqs:${region}:${account}:orders-dlq` },
                { Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: `arn:aws:kms:${region}:${account}:alias/orders` },
            ],
        }),
    }],
});

// Uploads: encrypted with the key, never public.
const uploads = new aws.s3.Bucket("uploads", { bucket: `orders-uploads-${account}` });
new aws.s3.BucketServerSideEncryptionConfiguration("uploads-sse", {
    bucket: uploads.id,
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
});
new aws.s3.BucketPublicAccessBlock("uploads-pab", {
    bucket: uploads.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
});

// Failed asynchronous invocations land in an encrypted dead-letter queue.
const dlq = new aws.sqs.Queue("orders-dlq", { name: "orders-dlq", kmsMasterKeyId: key.arn, messageRetentionSeconds: 1209600 });

// Only code signed by the pipeline's profile may be deployed.
const signer = new aws.signer.SigningProfile("orders-signer", { platformId: "AWSLambda-SHA384-ECDSA" });
const signing = new aws.lambda.CodeSigningConfig("orders-signing", {
    allowedPublishers: { signingProfileVersionArns: [signer.versionArn] },
    policies: { untrustedArtifactOnDeployment: "Enforce" },
});

const logs = new aws.cloudwatch.LogGroup("orders-logs", {
    name: `/aws/lambda/${functionName}`,
    retentionInDays: 90,
    kmsKeyId: key.arn,
});

const fn = new aws.lambda.Function("orders", {
    name: functionName,
    runtime: "nodejs24.x",
    handler: "index.handler",
    role: role.arn, // unknown during preview
    timeout: 30,
    reservedConcurrentExecutions: 20,
    kmsKeyArn: key.arn,
    tracingConfig: { mode: "Active" },
    deadLetterConfig: { targetArn: dlq.arn },
    codeSigningConfigArn: signing.arn,
    vpcConfig: { subnetIds: ["subnet-0a1b2c3d", "subnet-4e5f6a7b"], securityGroupIds: ["sg-0a1b2c3d"] },
    loggingConfig: { logFormat: "JSON", logGroup: logs.name },
    code: new pulumi.asset.AssetArchive({
        "index.js": new pulumi.asset.StringAsset("exports.handler = async () => ({ statusCode: 200 });"),
    }),
    environment: {
        variables: {
            UPLOAD_BUCKET: uploads.bucket,
            // Not a credential, but kept out of the state in clear anyway.
            LOG_LEVEL: pulumi.secret("info"),
        },
    },
});

// Callers authenticate with IAM (SigV4); browsers only from the shop's origin.
new aws.lambda.FunctionUrl("orders-url", {
    functionName: fn.name,
    authorizationType: "AWS_IAM",
    cors: { allowOrigins: ["https://shop.example.com"] },
});

export const url = fn.arn;
