// An order API on AWS Lambda, written the quick way: every resource here carries a flaw that
// serverless-guard stops at `pulumi preview`. Preview only; never deploy it.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

// An execution role anyone can assume, with administrator rights.
const role = new aws.iam.Role("orders-role", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
    }),
    managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
});

new aws.iam.RolePolicy("orders-extra", {
    role: role.id, // unknown during preview
    policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["s3:*", "iam:PassRole"], Resource: "*" }],
    }),
});

const uploads = new aws.s3.Bucket("uploads", {});
new aws.s3.BucketPublicAccessBlock("uploads-pab", {
    bucket: uploads.id,
    blockPublicAcls: false,
    blockPublicPolicy: false,
    ignorePublicAcls: false,
    restrictPublicBuckets: false,
});

const queue = new aws.sqs.Queue("orders-queue", { sqsManagedSseEnabled: false });

// An end-of-life runtime, a 15-minute timeout and a database password in plain configuration
// (a Pulumi secret in the program, but readable by anyone who can read the function's settings).
const fn = new aws.lambda.Function("orders", {
    name: "orders-api",
    runtime: "nodejs16.x",
    handler: "index.handler",
    role: role.arn, // unknown during preview
    timeout: 900,
    code: new pulumi.asset.AssetArchive({
        "index.js": new pulumi.asset.StringAsset("exports.handler = async () => ({ statusCode: 200 });"),
    }),
    environment: {
        variables: {
            QUEUE_URL: queue.url,
            DB_PASSWORD: pulumi.secret("hunter2-insecure-example"),
        },
    },
});

// Anyone on the internet may call it.
new aws.lambda.FunctionUrl("orders-url", {
    functionName: fn.name,
    authorizationType: "NONE",
    cors: { allowOrigins: ["*"], allowCredentials: true },
});

// A REST API imported from an OpenAPI document whose routes carry no security requirement (the
// one on GET only asks for an API key, which identifies a client but authenticates nobody).
const invokeUri = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:orders-api/invocations";
new aws.apigateway.RestApi("orders-rest", {
    body: `swagger: "2.0"
info:
  title: orders
  version: "1.0"
paths:
  /orders:
    post:
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: ${invokeUri}
  /orders/{id}:
    get:
      security:
        - api_key: []
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: ${invokeUri}
securityDefinitions:
  api_key:
    type: apiKey
    name: x-api-key
    in: header
`,
});

// A quick-create HTTP API: its $default route sends every request to the function, no authorizer possible.
new aws.apigatewayv2.Api("orders-quick", { protocolType: "HTTP", target: fn.arn });

export const functionName = fn.name;
