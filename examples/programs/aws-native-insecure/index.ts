// An order API on AWS Lambda written with AWS Cloud Control (@pulumi/aws-native), the quick way: every
// resource here carries a flaw that serverless-guard stops at `pulumi preview`, under the same policy
// names as the classic-provider program in ../aws-insecure. Preview only; never deploy it.
import * as awsnative from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";

// An execution role anyone can assume, with administrator rights and an inline policy (an object here).
const role = new awsnative.iam.Role("orders-role", {
    assumeRolePolicyDocument: {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
    },
    managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
    policies: [{
        policyName: "app",
        policyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:*", "iam:PassRole"], Resource: "*" }] },
    }],
});

new awsnative.iam.RolePolicy("orders-extra", {
    roleName: role.roleName.apply(n => n ?? "orders-role"), // unknown during preview
    policyName: "extra",
    policyDocument: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] },
});

// A public bucket, encrypted with S3-managed keys only.
new awsnative.s3.Bucket("uploads", {
    accessControl: awsnative.s3.BucketAccessControl.PublicRead,
    publicAccessBlockConfiguration: { blockPublicAcls: false, blockPublicPolicy: false, ignorePublicAcls: false, restrictPublicBuckets: false },
    bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: awsnative.s3.BucketServerSideEncryptionByDefaultSseAlgorithm.Aes256 } }] },
});

new awsnative.sqs.Queue("orders-queue", { sqsManagedSseEnabled: false });

// An end-of-life runtime, a 15-minute timeout and a database password in plain configuration
// (a Pulumi secret in the program, but readable by anyone who can read the function's settings).
const fn = new awsnative.lambda.Function("orders", {
    runtime: "nodejs16.x",
    handler: "index.handler",
    role: role.arn, // unknown during preview
    timeout: 900,
    code: { zipFile: "exports.handler = async () => ({ statusCode: 200 });" },
    environment: {
        variables: {
            TABLE: "orders",
            DB_PASSWORD: pulumi.secret("hunter2-insecure-example"),
        },
    },
});

// A public URL that any website may call with the user's credentials.
new awsnative.lambda.Url("orders-url", {
    targetFunctionArn: fn.arn,
    authType: awsnative.lambda.UrlAuthType.None,
    cors: { allowOrigins: ["*"], allowCredentials: true },
});

// Anyone may do anything to the function.
new awsnative.lambda.Permission("orders-public-invoke", {
    functionName: fn.functionName.apply(n => n ?? "orders"),
    action: "lambda:*",
    principal: "*",
});
