// The order API of aws-native-insecure, hardened: it passes every serverless-guard policy, mandatory
// and advisory, under the default configuration.
import * as awsnative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";

const account = "111122223333";
const region = "eu-west-1";

// One customer-managed key for the function's environment, its queues and the bucket.
const key = new awsnative.kms.Key("orders-key", {
    description: "orders data",
    enableKeyRotation: true,
    keyPolicy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" }] },
});

// The execution role: assumable by Lambda only, allowed exactly what the function does.
const role = new awsnative.iam.Role("orders-role", {
    assumeRolePolicyDocument: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    },
    managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"],
    policies: [{
        policyName: "orders",
        policyDocument: {
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: ["s3:PutObject"], Resource: `arn:aws:s3:::orders-uploads-${account}/*` },
                { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: `arn:aws:sqs:${region}:${account}:orders-dlq` },
            ],
        },
    }],
});

new awsnative.s3.Bucket("uploads", {
    bucketName: `orders-uploads-${account}`,
    bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: awsnative.s3.BucketServerSideEncryptionByDefaultSseAlgorithm.Awskms, kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }] },
    publicAccessBlockConfiguration: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
});

const dlq = new awsnative.sqs.Queue("orders-dlq", { kmsMasterKeyId: key.arn, messageRetentionPeriod: 1209600 });

const signing = new awsnative.lambda.CodeSigningConfig("signing", {
    allowedPublishers: { signingProfileVersionArns: [`arn:aws:signer:${region}:${account}:/signing-profiles/orders/abcdef1234`] },
    codeSigningPolicies: { untrustedArtifactOnDeployment: awsnative.lambda.CodeSigningConfigCodeSigningPoliciesUntrustedArtifactOnDeployment.Enforce },
});

const fn = new awsnative.lambda.Function("orders", {
    runtime: "nodejs24.x",
    handler: "index.handler",
    role: role.arn,
    code: { s3Bucket: `orders-artifacts-${account}`, s3Key: "orders.zip" },
    timeout: 30,
    reservedConcurrentExecutions: 25,
    kmsKeyArn: key.arn,
    tracingConfig: { mode: awsnative.lambda.FunctionTracingConfigMode.Active },
    deadLetterConfig: { targetArn: dlq.arn },
    codeSigningConfigArn: signing.codeSigningConfigArn,
    vpcConfig: { subnetIds: ["subnet-0a1b2c3d", "subnet-4e5f6a7b"], securityGroupIds: ["sg-0123456789abcdef0"] },
    environment: { variables: { TABLE_NAME: "orders", LOG_LEVEL: "info" } },
});

// The function's log group, kept 90 days and encrypted with the same key.
new awsnative.logs.LogGroup("orders-logs", {
    logGroupName: fn.functionName.apply(n => `/aws/lambda/${n ?? "orders"}`),
    retentionInDays: 90,
    kmsKeyId: key.arn,
});

// Callers sign their requests (IAM), from one known origin.
new awsnative.lambda.Url("orders-url", {
    targetFunctionArn: fn.arn,
    authType: awsnative.lambda.UrlAuthType.AwsIam,
    cors: { allowOrigins: ["https://shop.example.com"] },
});

// Only the order API's gateway may invoke the function.
new awsnative.lambda.Permission("orders-api-invoke", {
    functionName: fn.functionName.apply(n => n ?? "orders"),
    action: "lambda:InvokeFunction",
    principal: "apigateway.amazonaws.com",
    sourceArn: `arn:aws:execute-api:${region}:${account}:a1b2c3d4e5/*/POST/orders`,
});

new awsnative.lambda.EventInvokeConfig("orders-async", {
    functionName: fn.functionName.apply(n => n ?? "orders"),
    qualifier: "$LATEST",
    maximumRetryAttempts: 1,
    destinationConfig: { onFailure: { destination: dlq.arn } },
});

// ---- Inline code, REST API resource policies and WebSocket stages ----
// A REST API whose resource policy names the one partner account that may call its AWS_IAM methods.
new awsnative.apigateway.RestApi("orders-partner-api", {
    name: "orders-partner",
    endpointConfiguration: { types: ["REGIONAL"] },
    policy: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: "execute-api:Invoke", Resource: "execute-api:/*" }],
    },
});
