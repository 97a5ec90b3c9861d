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
            LOG_LEVEL: "info",
        },
    },
});

// Order events: encrypted with the key, published only by this account, delivered to the function.
const orderEvents = new aws.sns.Topic("order-events", { name: "order-events", kmsMasterKeyId: key.arn });
new aws.sns.TopicPolicy("order-events-policy", {
    arn: orderEvents.arn,
    policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
            Sid: "AccountPublishes", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` },
            Action: "sns:Publish", Resource: `arn:aws:sns:${region}:${account}:order-events`,
        }],
    }),
});
new aws.sns.TopicSubscription("order-events-orders", { topic: orderEvents.arn, protocol: "lambda", endpoint: fn.arn });
new aws.lambda.Permission("order-events-invoke", {
    function: fn.name,
    action: "lambda:InvokeFunction",
    principal: "sns.amazonaws.com",
    sourceArn: orderEvents.arn,
});

// The same events also reach the function in batches through an encrypted queue with a dead-letter
// queue; only the order-events topic may send to it, and only this account may publish to that topic.
const orderQueue = new aws.sqs.Queue("order-events-queue", {
    name: "order-events-queue",
    kmsMasterKeyId: key.arn,
    redrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:${region}:${account}:orders-dlq`, maxReceiveCount: 5 }),
});
new aws.sqs.QueuePolicy("order-events-queue-policy", {
    queueUrl: orderQueue.url,
    policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{
            Sid: "OrderEventsSend", Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage",
            Resource: `arn:aws:sqs:${region}:${account}:order-events-queue`,
            Condition: { ArnEquals: { "aws:SourceArn": `arn:aws:sns:${region}:${account}:order-events` } },
        }],
    }),
});
new aws.sns.TopicSubscription("order-events-to-queue", { topic: orderEvents.arn, protocol: "sqs", endpoint: orderQueue.arn });
new aws.lambda.EventSourceMapping("order-events-queue-orders", { eventSourceArn: orderQueue.arn, functionName: fn.name, batchSize: 10 });

// Callers authenticate with IAM (SigV4); browsers only from the shop's origin.
new aws.lambda.FunctionUrl("orders-url", {
    functionName: fn.name,
    authorizationType: "AWS_IAM",
    cors: { allowOrigins: ["https://shop.example.com"] },
});

// A REST API defined by an OpenAPI document: every operation requires a Cognito user-pool token.
// The body is plain JSON built from known names, so the pack can read its routes at preview.
const invokeUri = `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${region}:${account}:function:${functionName}/invocations`;
const rest = new aws.apigateway.RestApi("orders-rest", {
    endpointConfiguration: { types: "REGIONAL" },
    body: JSON.stringify({
        openapi: "3.0.1",
        info: { title: "orders", version: "1.0" },
        security: [{ cognito: [] }],
        components: {
            securitySchemes: {
                cognito: {
                    type: "apiKey", name: "Authorization", in: "header",
                    "x-amazon-apigateway-authtype": "cognito_user_pools",
                    "x-amazon-apigateway-authorizer": { type: "cognito_user_pools", providerARNs: [`arn:aws:cognito-idp:${region}:${account}:userpool/${region}_AbCdEfGhI`] },
                },
            },
        },
        paths: {
            "/orders": { post: { "x-amazon-apigateway-integration": { type: "aws_proxy", httpMethod: "POST", uri: invokeUri } } },
        },
    }),
});
const deployment = new aws.apigateway.Deployment("orders-rest-deployment", { restApi: rest.id, triggers: { body: rest.body.apply(b => b ?? "") } });
const accessLogs = new aws.cloudwatch.LogGroup("orders-api-access", { name: "/aws/apigateway/orders", retentionInDays: 90, kmsKeyId: key.arn });
const accessLogFormat = JSON.stringify({ requestId: "$context.requestId", ip: "$context.identity.sourceIp", caller: "$context.identity.caller", status: "$context.status" });
// Access logs, X-Ray, execution logging without data trace, throttling, and the organization's web ACL.
const stage = new aws.apigateway.Stage("orders-rest-prod", {
    restApi: rest.id,
    deployment: deployment.id,
    stageName: "prod",
    xrayTracingEnabled: true,
    accessLogSettings: { destinationArn: accessLogs.arn, format: accessLogFormat },
});
new aws.apigateway.MethodSettings("orders-rest-all", {
    restApi: rest.id,
    stageName: stage.stageName,
    methodPath: "*/*",
    settings: { loggingLevel: "ERROR", dataTraceEnabled: false, metricsEnabled: true, throttlingRateLimit: 50, throttlingBurstLimit: 100 },
});
new aws.wafv2.WebAclAssociation("orders-rest-waf", {
    resourceArn: stage.arn,
    webAclArn: `arn:aws:wafv2:${region}:${account}:regional/webacl/orders/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`,
});
new aws.lambda.Permission("orders-rest-invoke", {
    function: fn.name,
    action: "lambda:InvokeFunction",
    principal: "apigateway.amazonaws.com",
    sourceArn: pulumi.interpolate`${rest.executionArn}/prod/POST/orders`,
});

// An HTTP API declared route by route (never quick create), with a JWT authorizer, access logs and throttling.
const http = new aws.apigatewayv2.Api("orders-http", { protocolType: "HTTP" });
const jwt = new aws.apigatewayv2.Authorizer("orders-http-jwt", {
    apiId: http.id,
    authorizerType: "JWT",
    identitySources: ["$request.header.Authorization"],
    jwtConfiguration: { audiences: ["orders"], issuer: `https://cognito-idp.${region}.amazonaws.com/${region}_AbCdEfGhI` },
});
const integration = new aws.apigatewayv2.Integration("orders-http-integration", {
    apiId: http.id, integrationType: "AWS_PROXY", integrationUri: fn.arn, payloadFormatVersion: "2.0",
});
new aws.apigatewayv2.Route("orders-http-route", {
    apiId: http.id, routeKey: "POST /orders", authorizationType: "JWT", authorizerId: jwt.id,
    target: pulumi.interpolate`integrations/${integration.id}`,
});
new aws.apigatewayv2.Stage("orders-http-default", {
    apiId: http.id,
    name: "$default",
    autoDeploy: true,
    accessLogSettings: { destinationArn: accessLogs.arn, format: accessLogFormat },
    defaultRouteSettings: { throttlingRateLimit: 50, throttlingBurstLimit: 100 },
});
new aws.lambda.Permission("orders-http-invoke", {
    function: fn.name,
    action: "lambda:InvokeFunction",
    principal: "apigateway.amazonaws.com",
    sourceArn: pulumi.interpolate`${http.executionArn}/$default/POST/orders`,
});

export const url = fn.arn;

// ---- Front doors and callers beyond API Gateway: CloudFront with Lambda@Edge, Step Functions, AppSync ----

// A Lambda@Edge function within the viewer-request limits (5 s, 128 MB, no environment variables), with
// its own role. At the edge it logs, in every Region that serves it, to /aws/lambda/us-east-1.<name>.
const edgeRole = new aws.iam.Role("orders-edge-role", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com", "edgelambda.amazonaws.com"] }, Action: "sts:AssumeRole" }],
    }),
    managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
});
new aws.cloudwatch.LogGroup("orders-edge-logs", {
    name: "/aws/lambda/us-east-1.orders-edge-auth",
    retentionInDays: 90,
    kmsKeyId: key.arn,
});
const edgeAuth = new aws.lambda.Function("orders-edge-auth", {
    name: "orders-edge-auth",
    runtime: "nodejs22.x",
    handler: "index.handler",
    role: edgeRole.arn, // unknown during preview
    publish: true,
    timeout: 5,
    memorySize: 128,
    reservedConcurrentExecutions: 20,
    tracingConfig: { mode: "Active" },
    codeSigningConfigArn: signing.arn,
    code: new pulumi.asset.AssetArchive({
        "index.js": new pulumi.asset.StringAsset("exports.handler = async e => e.Records[0].cf.request;"),
    }),
});

// CloudFront in front of the HTTP API: HTTPS only on both legs, TLS 1.2 (2021 ciphers), a web ACL and standard logs.
new aws.cloudfront.Distribution("orders-cdn", {
    enabled: true,
    origins: [{
        originId: "orders-http",
        domainName: http.apiEndpoint.apply(e => new URL(e).host), // unknown during preview
        customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] },
    }],
    defaultCacheBehavior: {
        targetOriginId: "orders-http",
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
        cachedMethods: ["GET", "HEAD"],
        cachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", // Managed-CachingDisabled
        originRequestPolicyId: "b689b0a8-53d0-40ab-baf2-68738e2966ac", // Managed-AllViewerExceptHostHeader
        lambdaFunctionAssociations: [{ eventType: "viewer-request", lambdaArn: edgeAuth.qualifiedArn }],
    },
    restrictions: { geoRestriction: { restrictionType: "none" } },
    viewerCertificate: {
        acmCertificateArn: `arn:aws:acm:us-east-1:${account}:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0`,
        sslSupportMethod: "sni-only",
        minimumProtocolVersion: "TLSv1.2_2021",
    },
    webAclId: `arn:aws:wafv2:us-east-1:${account}:global/webacl/orders-cdn/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d`,
    loggingConfig: { bucket: `orders-cdn-logs-${account}.s3.amazonaws.com`, prefix: "cdn/" },
});

// The workflow and the GraphQL resolvers call the order function, and only it.
const callerRole = new aws.iam.Role("orders-caller-role", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: ["states.amazonaws.com", "appsync.amazonaws.com"] }, Action: "sts:AssumeRole" }],
    }),
    inlinePolicies: [{
        name: "invoke-orders",
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: "lambda:InvokeFunction", Resource: [`arn:aws:lambda:${region}:${account}:function:${functionName}`, `arn:aws:lambda:${region}:${account}:function:${functionName}:*`] },
                // Step Functions delivers its logs through CloudWatch Logs log delivery, which takes no resource ARN.
                { Effect: "Allow", Action: ["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"], Resource: "*" },
                { Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"], Resource: "*" },
            ],
        }),
    }],
});
const flowLogs = new aws.cloudwatch.LogGroup("orders-flow-logs", { name: "/aws/vendedlogs/states/orders-flow", retentionInDays: 90, kmsKeyId: key.arn });
new aws.sfn.StateMachine("orders-flow", {
    roleArn: callerRole.arn, // unknown during preview
    definition: fn.arn.apply(arn => JSON.stringify({
        StartAt: "Charge",
        States: { Charge: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: arn, "Payload.$": "$" }, End: true } },
    })),
    loggingConfiguration: { level: "ERROR", includeExecutionData: false, logDestination: pulumi.interpolate`${flowLogs.arn}:*` },
    tracingConfiguration: { enabled: true },
});

// A GraphQL API for signed (IAM) callers that logs resolver errors.
const appsyncLogsRole = new aws.iam.Role("orders-graphql-logs", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "appsync.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
    managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSAppSyncPushToCloudWatchLogs"],
});
const graphql = new aws.appsync.GraphQLApi("orders-graphql", {
    authenticationType: "AWS_IAM",
    schema: "type Query { order(id: ID!): String @aws_iam }",
    logConfig: { fieldLogLevel: "ERROR", cloudwatchLogsRoleArn: appsyncLogsRole.arn, excludeVerboseContent: true },
    xrayEnabled: true,
});
new aws.appsync.DataSource("orders-resolver", {
    apiId: graphql.id,
    name: "orders",
    type: "AWS_LAMBDA",
    serviceRoleArn: callerRole.arn, // unknown during preview
    lambdaConfig: { functionArn: fn.arn },
});

// ---- Inline code, REST API resource policies and WebSocket stages ----
// A private REST API reachable only through the VPC's endpoint: its policy denies every other caller.
const vpce = "vpce-0a1b2c3d4e5f67890";
new aws.apigateway.RestApi("orders-internal", {
    endpointConfiguration: { types: "PRIVATE", vpcEndpointIds: [vpce] },
    policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" },
            { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringNotEquals: { "aws:SourceVpce": vpce } } },
        ],
    }),
});

// A WebSocket API whose stage logs errors, access and throttles.
const chat = new aws.apigatewayv2.Api("orders-chat", { protocolType: "WEBSOCKET", routeSelectionExpression: "$request.body.action" });
new aws.apigatewayv2.Stage("orders-chat-prod", {
    apiId: chat.id,
    name: "prod",
    accessLogSettings: { destinationArn: accessLogs.arn, format: accessLogFormat },
    defaultRouteSettings: { loggingLevel: "ERROR", dataTraceEnabled: false, throttlingRateLimit: 50, throttlingBurstLimit: 100 },
});
