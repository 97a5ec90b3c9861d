// One meaning, one policy, every provider: the resource policies on AWS Cloud Control (aws-native) and
// classic Azure types, through the SDK's argument handling. Hardened baselines report nothing; each
// row seeds one flaw into one baseline and expects the same policy that catches it on classic AWS or
// azure-native, naming the property as this provider spells it; values unknown during preview stop the
// policy instead of passing; remediation patches are written in the provider's own shape.
import * as assert from "assert";
import { definitions } from "../../policies/registry";
import { check, checkStack, remediate, TestResource } from "../support/harness";
import { expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate } from "../support/expect";
import * as aws from "../fixtures/aws-native";
import * as awsFront from "../fixtures/aws-native-frontdoors";
import * as azure from "../fixtures/azure-classic";
import { secret, UNKNOWN } from "../../runner/wire";

const TODAY = { evaluationDate: "2026-11-28" };
const runtimeConfig = (policy: string) => (/runtime-deprecated/.test(policy) ? { config: TODAY } : {});

/** A permission document that allows one action on every resource. */
const allow = (action: string) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });

interface Flaw {
    policy: string;
    fixture: TestResource;
    flaw: string;
    change(copy: any): void;
    message: RegExp;
    config?: Record<string, unknown>;
    /** For a check decided with the stack: the resources around the flawed one (which comes last). */
    stack?: (flawed: TestResource) => TestResource[];
}

interface Unknown {
    policy: string;
    fixture: TestResource;
    change(copy: any): void;
}

const ADMIN_DOC = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const STRIPE_KEY = "sk_live_51HxxxxxxxxxxxxxxxxxxxxY";
const ACCOUNT_KEY = "DefaultEndpointsProtocol=https;AccountName=ordersfnstore;AccountKey=q8Xv2LmN4pR7sT1uW3yZ5aB6cD9eF0gH2iJ4kL6mN8oP0qR2sT4uV6wX8yZ0aB2cD4eF6gH8iJ0kL2mN4oP6qR8s==;EndpointSuffix=core.windows.net";
const OWNER_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

const flaws: Flaw[] = [
    { policy: "aws-lambda-function-code-secret", fixture: aws.lambdaFunction, flaw: "a GitHub token in code.zipFile", change: f => { f.props.code = { zipFile: `const t = "ghp_${"a1B2".repeat(9)}";` }; }, message: /code\.zipFile embeds a credential/ },
    { policy: "aws-apigateway-rest-api-private-endpoint", fixture: aws.restApi, flaw: "a REGIONAL endpoint where private APIs are required", change: f => { f.props.endpointConfiguration = { types: ["REGIONAL"] }; }, message: /endpointConfiguration\.types is "REGIONAL"/, config: { requirePrivateRestApis: true } },
    { policy: "aws-apigateway-rest-api-policy-public", fixture: aws.restApi, flaw: "principal \"*\" with no condition", change: f => { f.props.policy.Statement.pop(); }, message: /policy statement 0 allows principal "\*" with no condition.*private API/ },
    // aws-native Lambda
    { policy: "aws-lambda-function-env-plaintext-secret", fixture: aws.lambdaFunction, flaw: "a Stripe key in an environment variable", change: f => { f.props.environment.variables.STRIPE_KEY = STRIPE_KEY; }, message: /environment\.variables\.STRIPE_KEY holds a secret/ },
    { policy: "aws-lambda-function-env-kms", fixture: aws.lambdaFunction, flaw: "no kmsKeyArn", change: f => { delete f.props.kmsKeyArn; }, message: /kmsKeyArn is not/ },
    { policy: "aws-lambda-function-runtime-deprecated", fixture: aws.lambdaFunction, flaw: "nodejs16.x", change: f => { f.props.runtime = "nodejs16.x"; }, message: /runtime `nodejs16\.x` is deprecated/ },
    { policy: "aws-lambda-function-tracing", fixture: aws.lambdaFunction, flaw: "PassThrough tracing", change: f => { f.props.tracingConfig.mode = "PassThrough"; }, message: /tracingConfig\.mode is not "Active"/ },
    { policy: "aws-lambda-function-concurrency-limit", fixture: aws.lambdaFunction, flaw: "unreserved concurrency", change: f => { delete f.props.reservedConcurrentExecutions; }, message: /reservedConcurrentExecutions is not set/ },
    { policy: "aws-lambda-function-timeout", fixture: aws.lambdaFunction, flaw: "a 900 s timeout", change: f => { f.props.timeout = 900; }, message: /timeout is 900 seconds/ },
    { policy: "aws-lambda-function-code-signing", fixture: aws.lambdaFunction, flaw: "no code signing", change: f => { delete f.props.codeSigningConfigArn; }, message: /codeSigningConfigArn is not set/ },
    { policy: "aws-lambda-function-vpc", fixture: aws.lambdaFunction, flaw: "no VPC where VPC placement is required", change: f => { delete f.props.vpcConfig; }, config: { requireVpcEgress: true }, message: /vpcConfig\.subnetIds is empty/ },
    { policy: "aws-lambda-function-url-auth", fixture: aws.functionUrl, flaw: "authType NONE", change: f => { f.props.authType = "NONE"; }, message: /^authType is "NONE"/m },
    { policy: "aws-lambda-function-url-cors", fixture: aws.functionUrl, flaw: "any origin with credentials", change: f => { f.props.cors = { allowOrigins: ["*"], allowCredentials: true }; }, message: /cors\.allowOrigins contains "\*" and cors\.allowCredentials is true/ },
    { policy: "aws-lambda-permission-public", fixture: aws.permission, flaw: "principal *", change: f => { f.props.principal = "*"; delete f.props.sourceArn; }, message: /anyone can invoke/ },
    { policy: "aws-lambda-permission-service-source", fixture: aws.permission, flaw: "a service without sourceArn", change: f => { delete f.props.sourceArn; }, message: /sourceArn is not set/ },
    { policy: "aws-lambda-permission-action", fixture: aws.permission, flaw: "lambda:*", change: f => { f.props.action = "lambda:*"; }, message: /action is `lambda:\*`/ },
    { policy: "aws-lambda-permission-url-auth", fixture: aws.permission, flaw: "functionUrlAuthType NONE", change: f => { f.props.functionUrlAuthType = "NONE"; }, message: /functionUrlAuthType is "NONE"/ },
    { policy: "aws-lambda-layer-public", fixture: aws.layerPermission, flaw: "every account", change: f => { delete f.props.organizationId; }, message: /every AWS account/ },
    { policy: "aws-lambda-code-signing-enforce", fixture: aws.codeSigningConfig, flaw: "Warn", change: f => { f.props.codeSigningPolicies.untrustedArtifactOnDeployment = "Warn"; }, message: /codeSigningPolicies\.untrustedArtifactOnDeployment is not "Enforce"/ },
    { policy: "aws-lambda-event-source-failure-handling", fixture: aws.eventSourceMapping, flaw: "no on-failure destination", change: f => { delete f.props.destinationConfig; }, message: /destinationConfig\.onFailure\.destination is not set/ },
    { policy: "aws-lambda-event-invoke-failure-destination", fixture: aws.eventInvokeConfig, flaw: "no on-failure destination", change: f => { delete f.props.destinationConfig; }, message: /destinationConfig\.onFailure\.destination is not set/ },
    // aws-native IAM
    { policy: "aws-iam-policy-data-exfiltration", fixture: aws.role, flaw: "reading every secret", change: f => { f.props.policies[0].policyDocument = allow("secretsmanager:GetSecretValue"); }, message: /policies\[0\] allows data exfiltration/ },
    { policy: "aws-iam-policy-credential-exposure", fixture: aws.rolePolicy, flaw: "access keys for everyone", change: f => { f.props.policyDocument = allow("sts:GetFederationToken"); }, message: /policyDocument allows credential exposure/ },
    { policy: "aws-iam-policy-permissions-management", fixture: aws.managedPolicy, flaw: "writing any role's policy", change: f => { f.props.policyDocument = allow("iam:DetachRolePolicy"); }, message: /policyDocument allows permissions management/ },
    { policy: "aws-iam-policy-unscoped-write", fixture: aws.role, flaw: "writing every bucket", change: f => { f.props.policies[0].policyDocument = allow("s3:PutObject"); }, message: /policies\[0\] allows unscoped writes/ },
    { policy: "aws-iam-policy-admin-access", fixture: aws.role, flaw: "an inline admin policy object", change: f => { f.props.policies[0].policyDocument = ADMIN_DOC; }, message: /policies\[0\] grants administrator access/ },
    { policy: "aws-iam-policy-admin-access", fixture: aws.rolePolicy, flaw: "an admin document", change: f => { f.props.policyDocument = ADMIN_DOC; }, message: /policyDocument grants administrator access/ },
    { policy: "aws-iam-policy-admin-access", fixture: aws.managedPolicy, flaw: "an admin document as a JSON string", change: f => { f.props.policyDocument = JSON.stringify(ADMIN_DOC); }, message: /policyDocument grants administrator access/ },
    { policy: "aws-iam-policy-service-wildcard", fixture: aws.managedPolicy, flaw: "s3:* on *", change: f => { f.props.policyDocument.Statement[0] = { Effect: "Allow", Action: "s3:*", Resource: "*" }; }, message: /grants a whole service/ },
    { policy: "aws-iam-policy-privilege-escalation", fixture: aws.role, flaw: "iam:PassRole on *", change: f => { f.props.policies[0].policyDocument.Statement.push({ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }); }, message: /policies\[0\] allows privilege escalation/ },
    { policy: "aws-iam-managed-policy-admin", fixture: aws.role, flaw: "AdministratorAccess", change: f => { f.props.managedPolicyArns.push("arn:aws:iam::aws:policy/AdministratorAccess"); }, message: /managedPolicyArns\[1\] attaches the AWS managed policy `AdministratorAccess`/ },
    { policy: "aws-iam-managed-policy-service-wide", fixture: aws.role, flaw: "AmazonDynamoDBFullAccess", change: f => { f.props.managedPolicyArns.push("arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"); }, message: /managedPolicyArns\[1\] attaches the AWS managed policy `AmazonDynamoDBFullAccess` \(every DynamoDB and DAX action/ },
    { policy: "aws-iam-role-trust-too-broad", fixture: aws.role, flaw: "principal * in the trust policy", change: f => { f.props.assumeRolePolicyDocument.Statement[0].Principal = { AWS: "*" }; }, message: /assumeRolePolicyDocument statement 0 trusts principal "\*"/ },
    // aws-native storage and messaging
    { policy: "aws-s3-bucket-sse-kms", fixture: aws.bucket, flaw: "AES256", change: f => { f.props.bucketEncryption.serverSideEncryptionConfiguration[0].serverSideEncryptionByDefault = { sseAlgorithm: "AES256" }; }, message: /bucketEncryption\.serverSideEncryptionConfiguration\[0\] uses `AES256`/ },
    { policy: "aws-s3-bucket-public-access", fixture: aws.bucket, flaw: "a public-read canned ACL", change: f => { f.props.accessControl = "PublicRead"; }, message: /accessControl is `public-read`/ },
    { policy: "aws-s3-bucket-public-access", fixture: aws.bucket, flaw: "public ACLs not blocked", change: f => { f.props.publicAccessBlockConfiguration.blockPublicAcls = false; }, message: /publicAccessBlockConfiguration\.blockPublicAcls is not true/ },
    { policy: "aws-sqs-queue-encryption", fixture: aws.queue, flaw: "SSE switched off", change: f => { delete f.props.kmsMasterKeyId; f.props.sqsManagedSseEnabled = false; }, message: /sqsManagedSseEnabled is false/ },
    { policy: "aws-sns-topic-encryption", fixture: aws.topic, flaw: "no key where a customer-managed key is required", change: f => { delete f.props.kmsMasterKeyId; }, config: { requireCustomerManagedKey: true }, message: /kmsMasterKeyId is not set/ },
    { policy: "aws-event-source-public-write", fixture: aws.topicPolicy, flaw: "anyone may publish", change: f => { f.props.policyDocument.Statement[0].Principal = "*"; delete f.props.policyDocument.Statement[0].Condition; }, message: /policyDocument statement 0 \(FromOrderBucket\) lets anyone \(Principal "\*"\) call `sns:Publish` with no condition/ },
    { policy: "aws-event-source-service-unscoped", fixture: aws.topicPolicy, flaw: "S3 without aws:SourceAccount", change: f => { delete f.props.policyDocument.Statement[0].Condition.StringEquals; }, message: /lets `s3\.amazonaws\.com` write with aws:SourceArn but no aws:SourceAccount/ },
    { policy: "aws-kinesis-stream-encryption", fixture: aws.kinesisStream, flaw: "no streamEncryption", change: f => { delete f.props.streamEncryption; }, message: /streamEncryption\.encryptionType is not set/ },
    // aws-native front doors and callers of functions
    { policy: "aws-cloudfront-viewer-https", fixture: awsFront.distribution, flaw: "plain HTTP in front of an API Gateway origin", change: f => { f.props.distributionConfig.defaultCacheBehavior.viewerProtocolPolicy = "allow-all"; }, message: /distributionConfig\.defaultCacheBehavior\.viewerProtocolPolicy \(its origin `api` is an API Gateway API\) is "allow-all"/ },
    { policy: "aws-cloudfront-origin-https", fixture: awsFront.distribution, flaw: "an http-only origin", change: f => { f.props.distributionConfig.origins[0].customOriginConfig.originProtocolPolicy = "http-only"; }, message: /distributionConfig\.origins\[0\]\.customOriginConfig\.originProtocolPolicy is "http-only"/ },
    { policy: "aws-cloudfront-viewer-tls", fixture: awsFront.distribution, flaw: "TLSv1", change: f => { f.props.distributionConfig.viewerCertificate.minimumProtocolVersion = "TLSv1"; }, message: /distributionConfig\.viewerCertificate\.minimumProtocolVersion is "TLSv1"/ },
    { policy: "aws-cloudfront-waf", fixture: awsFront.distribution, flaw: "no web ACL", change: f => { delete f.props.distributionConfig.webAclId; }, message: /distributionConfig\.webAclId is not set/ },
    { policy: "aws-cloudfront-logging", fixture: awsFront.distribution, flaw: "no logging", change: f => { delete f.props.distributionConfig.logging; }, message: /distributionConfig\.logging\.bucket is not set/, stack: d => [d] },
    { policy: "aws-lambda-edge-function-constraints", fixture: awsFront.edgeFunction, flaw: "a 10 s viewer function", change: f => { f.props.timeout = 10; }, message: /timeout is 10 s \(at most 5 for viewer events\)/, stack: fn => [mutate(awsFront.distribution, d => { d.props.distributionConfig.defaultCacheBehavior.lambdaFunctionAssociations = [{ eventType: "viewer-request", lambdaFunctionArn: UNKNOWN }]; d.propertyDependencies = { distributionConfig: [`urn:pulumi:test::test::${fn.type}::${fn.name}`] }; }), fn] },
    { policy: "aws-sfn-state-machine-logging", fixture: awsFront.stateMachine, flaw: "logging OFF", change: f => { f.props.loggingConfiguration.level = "OFF"; }, message: /loggingConfiguration\.level is "OFF"/ },
    { policy: "aws-sfn-state-machine-tracing", fixture: awsFront.stateMachine, flaw: "no tracing", change: f => { delete f.props.tracingConfiguration; }, message: /tracingConfiguration\.enabled is not true/ },
    { policy: "aws-appsync-api-key-auth", fixture: awsFront.graphQlApi, flaw: "API key only", change: f => { f.props.authenticationType = "API_KEY"; }, message: /authenticationType is "API_KEY" and no other provider/ },
    { policy: "aws-appsync-field-logging", fixture: awsFront.graphQlApi, flaw: "field logging NONE", change: f => { f.props.logConfig.fieldLogLevel = "NONE"; }, message: /logConfig\.fieldLogLevel is "NONE"/ },
    { policy: "aws-secretsmanager-secret-cmk", fixture: aws.secretsManagerSecret, flaw: "the AWS-managed key", change: f => { f.props.kmsKeyId = "alias/aws/secretsmanager"; }, message: /kmsKeyId is not a customer-managed KMS key/ },

    // classic Azure function apps
    { policy: "azure-functionapp-https-only", fixture: azure.linuxFunctionApp, flaw: "httpsOnly false", change: f => { f.props.httpsOnly = false; }, message: /httpsOnly is not true/ },
    { policy: "azure-functionapp-min-tls", fixture: azure.linuxFunctionApp, flaw: "TLS 1.0", change: f => { f.props.siteConfig.minimumTlsVersion = "1.0"; }, message: /siteConfig\.minimumTlsVersion is `1\.0`/ },
    { policy: "azure-functionapp-min-tls", fixture: azure.flexApp, flaw: "SCM TLS 1.1", change: f => { f.props.siteConfig.scmMinimumTlsVersion = "1.1"; }, message: /siteConfig\.scmMinimumTlsVersion is `1\.1`/ },
    { policy: "azure-functionapp-ftps", fixture: azure.windowsFunctionApp, flaw: "AllAllowed", change: f => { f.props.siteConfig.ftpsState = "AllAllowed"; }, message: /siteConfig\.ftpsState is "AllAllowed"/ },
    { policy: "azure-functionapp-remote-debugging", fixture: azure.linuxFunctionAppSlot, flaw: "remote debugging", change: f => { f.props.siteConfig.remoteDebuggingEnabled = true; }, message: /siteConfig\.remoteDebuggingEnabled is true/ },
    { policy: "azure-functionapp-cors", fixture: azure.linuxFunctionApp, flaw: "any origin", change: f => { f.props.siteConfig.cors.allowedOrigins = ["*"]; }, message: /siteConfig\.cors\.allowedOrigins contains "\*" and supportCredentials is true/ },
    { policy: "azure-functionapp-managed-identity", fixture: azure.flexApp, flaw: "no identity", change: f => { delete f.props.identity; }, message: /identity\.type is not set/ },
    { policy: "azure-functionapp-public-network", fixture: azure.linuxFunctionApp, flaw: "open to the internet", change: f => { delete f.props.siteConfig.ipRestrictions; delete f.props.siteConfig.ipRestrictionDefaultAction; }, message: /publicNetworkAccessEnabled is not false and siteConfig\.ipRestrictions doesn't limit callers/ },
    { policy: "azure-functionapp-http2", fixture: azure.windowsFunctionApp, flaw: "HTTP/2 off", change: f => { f.props.siteConfig.http2Enabled = false; }, message: /siteConfig\.http2Enabled is not true/ },
    { policy: "azure-functionapp-extension-version", fixture: azure.linuxFunctionApp, flaw: "host ~3", change: f => { f.props.functionsExtensionVersion = "~3"; }, message: /functionsExtensionVersion is not "~4" \(`~3`\)/ },
    { policy: "azure-functionapp-runtime-deprecated", fixture: azure.linuxFunctionApp, flaw: "Node 16", change: f => { f.props.siteConfig.applicationStack = { nodeVersion: "16" }; }, message: /siteConfig\.applicationStack\.nodeVersion selects node:16, out of support/ },
    { policy: "azure-functionapp-runtime-deprecated", fixture: azure.windowsFunctionApp, flaw: ".NET 8 isolated", change: f => { f.props.siteConfig.applicationStack.dotnetVersion = "v8.0"; }, message: /selects dotnet-isolated:8/ },
    { policy: "azure-functionapp-runtime-deprecated", fixture: azure.flexApp, flaw: "Python 3.9", change: f => { f.props.runtimeVersion = "3.9"; }, message: /runtimeName and runtimeVersion selects python:3\.9/ },
    { policy: "azure-functionapp-scale-limit", fixture: azure.flexApp, flaw: "1000 instances", change: f => { f.props.maximumInstanceCount = 1000; }, message: /maximumInstanceCount is 1000/ },
    { policy: "azure-functionapp-app-insights", fixture: azure.linuxFunctionApp, flaw: "no Application Insights", change: f => { delete f.props.siteConfig.applicationInsightsConnectionString; }, message: /no APPLICATIONINSIGHTS_CONNECTION_STRING/ },
    { policy: "azure-functionapp-auth-required", fixture: azure.linuxFunctionApp, flaw: "anonymous callers allowed", change: f => { f.props.authSettingsV2.unauthenticatedAction = "AllowAnonymous"; }, message: /authSettingsV2\.unauthenticatedAction is "AllowAnonymous"/ },
    { policy: "azure-functionapp-auth-required", fixture: azure.linuxFunctionApp, flaw: "authentication off", change: f => { f.props.authSettingsV2.authEnabled = false; }, message: /authSettingsV2\.authEnabled is not true/ },
    { policy: "azure-functionapp-function-anonymous", fixture: azure.functionAppFunction, flaw: "authLevel anonymous in configJson", change: f => { f.props.configJson = f.props.configJson.replace("\"function\"", "\"anonymous\""); }, message: /configJson\.bindings\[0\] is an httpTrigger with authLevel "anonymous"/ },
    { policy: "azure-functionapp-basic-publishing-credentials", fixture: azure.linuxFunctionApp, flaw: "FTP basic auth by default", change: f => { delete f.props.ftpPublishBasicAuthenticationEnabled; }, message: /ftpPublishBasicAuthenticationEnabled is not false: basic-authentication publishing credentials work for FTP/ },
    { policy: "azure-functionapp-basic-publishing-credentials", fixture: azure.flexApp, flaw: "Kudu basic auth", change: f => { f.props.webdeployPublishBasicAuthenticationEnabled = true; }, message: /webdeployPublishBasicAuthenticationEnabled is not false/ },
    { policy: "azure-functionapp-client-certificates", fixture: azure.linuxFunctionApp, flaw: "certificates enabled, mode left at the provider's default (Optional)", change: f => { f.props.clientCertificateEnabled = true; }, message: /clientCertificateMode is `Optional` \(the provider's default\) while clientCertificateEnabled is true/ },
    { policy: "azure-functionapp-vnet-integration", fixture: azure.windowsFunctionApp, flaw: "no subnet where VNet integration is required", change: f => { delete f.props.virtualNetworkSubnetId; }, config: { requireVnetIntegration: true }, message: /virtualNetworkSubnetId is not set/ },
    { policy: "azure-functionapp-vnet-integration", fixture: azure.linuxFunctionApp, flaw: "a subnet but only private traffic routed", change: f => { f.props.virtualNetworkSubnetId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/fn"; f.props.siteConfig.vnetRouteAllEnabled = false; }, config: { requireVnetIntegration: true }, message: /siteConfig\.vnetRouteAllEnabled is not true/ },
    { policy: "azure-functionapp-plaintext-secret", fixture: azure.linuxFunctionApp, flaw: "a password in an app setting", change: f => { f.props.appSettings.DB_PASSWORD = "hunter2-prod-pw"; }, message: /app setting `DB_PASSWORD` \(appSettings\) holds a secret/ },
    { policy: "azure-functionapp-plaintext-secret", fixture: azure.windowsFunctionApp, flaw: "a password in a connection string", change: f => { f.props.connectionStrings = [{ name: "OrdersDb", type: "SQLAzure", value: "Server=tcp:orders-sql.database.windows.net,1433;Database=orders;User ID=orders;Password=Pr0d-Sql-Pass!;" }]; }, message: /connection string `OrdersDb` \(connectionStrings\[0\]\) holds a secret/ },
    { policy: "azure-functionapp-keyvault-reference", fixture: azure.linuxFunctionApp, flaw: "a secret-named setting that isn't a reference", change: f => { f.props.appSettings.PAYMENT_API_KEY = secret("pk-9f8e7d6c"); }, message: /app setting `PAYMENT_API_KEY` \(appSettings\) looks like a secret but is not a Key Vault reference/ },
    { policy: "azure-functionapp-storage-identity", fixture: azure.linuxFunctionApp, flaw: "a storage account key", change: f => { f.props.storageUsesManagedIdentity = false; f.props.storageAccountAccessKey = secret("q8Xv2LmN4pR7sT1u=="); }, message: /storageAccountAccessKey is set and storageUsesManagedIdentity is not true/ },
    { policy: "azure-functionapp-storage-identity", fixture: azure.linuxFunctionApp, flaw: "AzureWebJobsStorage with a key", change: f => { f.props.appSettings.AzureWebJobsStorage = ACCOUNT_KEY; }, message: /app setting `AzureWebJobsStorage` \(appSettings\) embeds a storage account key/ },
    { policy: "azure-functionapp-storage-identity", fixture: azure.flexApp, flaw: "deployment storage by connection string", change: f => { f.props.storageAuthenticationType = "StorageAccountConnectionString"; }, message: /storageAuthenticationType is "StorageAccountConnectionString"/ },
    // classic Azure storage, Key Vault, RBAC
    { policy: "azure-storage-https-only", fixture: azure.storageAccount, flaw: "plain HTTP", change: f => { f.props.httpsTrafficOnlyEnabled = false; }, message: /httpsTrafficOnlyEnabled is false/ },
    { policy: "azure-storage-min-tls", fixture: azure.storageAccount, flaw: "TLS 1.0", change: f => { f.props.minTlsVersion = "TLS1_0"; }, message: /minTlsVersion is "TLS1_0"/ },
    { policy: "azure-storage-blob-public-access", fixture: azure.storageAccount, flaw: "nested items public by default", change: f => { delete f.props.allowNestedItemsToBePublic; }, message: /allowNestedItemsToBePublic is true \(unset means true\)/ },
    { policy: "azure-storage-shared-key-access", fixture: azure.storageAccount, flaw: "shared keys on", change: f => { delete f.props.sharedAccessKeyEnabled; }, message: /sharedAccessKeyEnabled is not false/ },
    { policy: "azure-storage-encryption", fixture: azure.storageAccount, flaw: "single encryption when double is required", change: f => { delete f.props.infrastructureEncryptionEnabled; }, message: /infrastructureEncryptionEnabled is not true/, config: { requireInfrastructureEncryption: true } },
    { policy: "azure-storage-encryption", fixture: azure.storageAccount, flaw: "Microsoft-managed keys when a CMK is required", change: f => { delete f.props.customerManagedKey; }, message: /customerManagedKey doesn't select a customer-managed key/, config: { requireCustomerManagedKey: true } },
    { policy: "azure-keyvault-recoverable", fixture: azure.keyVault, flaw: "no purge protection", change: f => { delete f.props.purgeProtectionEnabled; }, message: /purgeProtectionEnabled is not true/ },
    { policy: "azure-keyvault-rbac", fixture: azure.keyVault, flaw: "access policies", change: f => { f.props.rbacAuthorizationEnabled = false; }, message: /rbacAuthorizationEnabled is not true/ },
    { policy: "azure-keyvault-rbac", fixture: azure.keyVault, flaw: "access policies under the deprecated name", change: f => { delete f.props.rbacAuthorizationEnabled; f.props.enableRbacAuthorization = false; }, message: /enableRbacAuthorization is not true/ },
    { policy: "azure-keyvault-public-network", fixture: azure.keyVault, flaw: "any network", change: f => { f.props.networkAcls.defaultAction = "Allow"; }, message: /publicNetworkAccessEnabled is not false and networkAcls\.defaultAction is not "Deny"/ },
    { policy: "azure-keyvault-secret-expiry", fixture: azure.keyVaultSecret, flaw: "no expiry", change: f => { delete f.props.expirationDate; }, message: /expirationDate is not set/ },
    { policy: "azure-roleassignment-privileged-role", fixture: azure.roleAssignment, flaw: "Owner by name on the subscription", change: f => { f.props.roleDefinitionName = "Owner"; f.props.scope = "/subscriptions/00000000-0000-0000-0000-000000000000"; }, message: /roleDefinitionName is Owner .* at subscription scope for a ServicePrincipal/ },
    { policy: "azure-roleassignment-privileged-role", fixture: azure.roleAssignment, flaw: "Owner by id on the resource group", change: f => { delete f.props.roleDefinitionName; f.props.roleDefinitionId = OWNER_ID; f.props.scope = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/orders-rg"; }, message: /roleDefinitionId is Owner .* at resource group scope/ },
    // classic Azure event sources
    { policy: "azure-servicebus-dead-letter-on-expiration", fixture: azure.serviceBusQueue, flaw: "expired messages dropped", change: f => { delete f.props.deadLetteringOnMessageExpiration; }, message: /defaultMessageTtl is set and deadLetteringOnMessageExpiration is not true: messages that expire on this queue/ },
    { policy: "azure-messaging-local-auth-public-network", fixture: azure.eventGridTopic, flaw: "access keys from any network", change: f => { delete f.props.localAuthEnabled; delete f.props.publicNetworkAccessEnabled; }, message: /localAuthEnabled is not false and publicNetworkAccessEnabled allows public access and inboundIpRules is empty/ },
    { policy: "azure-messaging-local-auth-public-network", fixture: azure.eventGridDomain, flaw: "access keys, an IP rule for every address", change: f => { f.props.localAuthEnabled = true; f.props.inboundIpRules = [{ ipMask: "0.0.0.0/0", action: "Allow" }]; }, message: /inboundIpRules allows every address/ },
    { policy: "azure-messaging-local-auth-public-network", fixture: azure.serviceBusNamespace, flaw: "SAS keys from any network", change: f => { delete f.props.localAuthEnabled; delete f.props.publicNetworkAccessEnabled; }, message: /localAuthEnabled is not false and publicNetworkAccessEnabled is not false and networkRuleSet is not set: this Service Bus namespace/ },
    { policy: "azure-messaging-local-auth-public-network", fixture: azure.eventHubNamespace, flaw: "SAS keys, firewall allowing by default", change: f => { delete f.props.localAuthenticationEnabled; f.props.networkRulesets.defaultAction = "Allow"; }, message: /localAuthenticationEnabled is not false and publicNetworkAccessEnabled is not false and networkRulesets\.defaultAction is not "Deny"/ },
    { policy: "azure-messaging-min-tls", fixture: azure.serviceBusNamespace, flaw: "TLS 1.0 (only misleads since the retirement)", change: f => { f.props.minimumTlsVersion = "1.0"; }, message: /minimumTlsVersion is "1\.0", which Azure no longer honours/ },
    { policy: "azure-messaging-min-tls", fixture: azure.eventHubNamespace, flaw: "TLS 1.1 before the retirement", change: f => { f.props.minimumTlsVersion = "1.1"; }, config: { evaluationDate: "2025-10-19" }, message: /minimumTlsVersion is "1\.1": set it to "1\.2"/ },
    // classic Azure front doors: Container Apps and API Management
    { policy: "azure-containerapp-allow-insecure", fixture: azure.containerApp, flaw: "plain HTTP on the external ingress", change: f => { f.props.ingress.allowInsecureConnections = true; }, message: /ingress\.allowInsecureConnections is true on an external ingress/ },
    { policy: "azure-functionapp-plaintext-secret", fixture: azure.containerApp, flaw: "a password as a plain env value", change: f => { f.props.template.containers[0].envs[1] = { name: "DB_PASSWORD", value: "hunter2-prod-pw" }; }, message: /environment variable `DB_PASSWORD` \(template\.containers\[0\]\.envs\) holds a secret in plain text .*secretName/ },
    { policy: "azure-apim-api-no-auth", fixture: azure.apimApi, flaw: "no subscription, no policy", stack: f => [f, mutate(azure.linuxFunctionApp, a => { a.props.name = "orders-fn"; })], change: f => { f.props.subscriptionRequired = false; }, message: /subscriptionRequired is false and no policy of the API/ },
    { policy: "azure-apim-api-http", fixture: azure.apimApi, flaw: "http among the protocols", change: f => { f.props.protocols = ["http", "https"]; }, message: /protocols includes "http"/ },
    { policy: "azure-apim-named-value-plaintext-secret", fixture: azure.apimNamedValue, flaw: "a function key in a plain named value", change: f => { f.props.secret = false; delete f.props.valueFromKeyVault; f.props.value = "q8Xv2LmN4pR7sT1uW3yZ5aB6cD9eF0gH2iJ4kL6mN8oP0qR2sT4uVw=="; }, message: /the named value's value holds a secret in plain text/ },
    { policy: "azure-apim-backend-tls-validation", fixture: azure.apimBackend, flaw: "no chain validation", change: f => { f.props.tls.validateCertificateChain = false; }, message: /tls\.validateCertificateChain is false/ },
];

const unknowns: Unknown[] = [
    { policy: "aws-lambda-function-env-plaintext-secret", fixture: aws.lambdaFunction, change: f => { f.props.environment.variables.API_TOKEN = UNKNOWN; } },
    { policy: "aws-lambda-function-runtime-deprecated", fixture: aws.lambdaFunction, change: f => { f.props.runtime = UNKNOWN; } },
    { policy: "aws-lambda-function-tracing", fixture: aws.lambdaFunction, change: f => { f.props.tracingConfig = UNKNOWN; } },
    { policy: "aws-lambda-function-concurrency-limit", fixture: aws.lambdaFunction, change: f => { f.props.reservedConcurrentExecutions = UNKNOWN; } },
    { policy: "aws-lambda-function-url-auth", fixture: aws.functionUrl, change: f => { f.props.authType = UNKNOWN; } },
    { policy: "aws-lambda-permission-public", fixture: aws.permission, change: f => { f.props.principal = UNKNOWN; } },
    { policy: "aws-lambda-code-signing-enforce", fixture: aws.codeSigningConfig, change: f => { f.props.codeSigningPolicies = UNKNOWN; } },
    { policy: "aws-lambda-event-source-failure-handling", fixture: aws.eventSourceMapping, change: f => { f.props.eventSourceArn = UNKNOWN; f.props.maximumRetryAttempts = UNKNOWN; } },
    { policy: "aws-iam-policy-admin-access", fixture: aws.role, change: f => { f.props.policies[0].policyDocument = UNKNOWN; } },
    { policy: "aws-iam-managed-policy-admin", fixture: aws.role, change: f => { f.props.managedPolicyArns = [UNKNOWN]; } },
    { policy: "aws-iam-managed-policy-service-wide", fixture: aws.role, change: f => { f.props.managedPolicyArns = [UNKNOWN]; } },
    { policy: "aws-iam-role-trust-too-broad", fixture: aws.role, change: f => { f.props.assumeRolePolicyDocument = UNKNOWN; } },
    { policy: "aws-s3-bucket-public-access", fixture: aws.bucket, change: f => { f.props.accessControl = UNKNOWN; } },
    { policy: "aws-s3-bucket-sse-kms", fixture: aws.bucket, change: f => { f.props.bucketEncryption = UNKNOWN; } },
    { policy: "aws-event-source-public-write", fixture: aws.topicPolicy, change: f => { f.props.policyDocument = UNKNOWN; } },
    { policy: "aws-kinesis-stream-encryption", fixture: aws.kinesisStream, change: f => { f.props.streamEncryption = UNKNOWN; } },
    { policy: "aws-sqs-queue-encryption", fixture: aws.queue, change: f => { delete f.props.kmsMasterKeyId; f.props.sqsManagedSseEnabled = UNKNOWN; } },
    { policy: "azure-functionapp-https-only", fixture: azure.linuxFunctionApp, change: f => { f.props.httpsOnly = UNKNOWN; } },
    { policy: "azure-functionapp-min-tls", fixture: azure.linuxFunctionApp, change: f => { f.props.siteConfig = UNKNOWN; } },
    { policy: "azure-functionapp-plaintext-secret", fixture: azure.linuxFunctionApp, change: f => { f.props.appSettings.DB_PASSWORD = UNKNOWN; } },
    { policy: "azure-functionapp-plaintext-secret", fixture: azure.windowsFunctionApp, change: f => { f.props.connectionStrings = [{ name: UNKNOWN, type: "SQLAzure", value: "Server=tcp:x;Password=Pr0d-Sql-Pass!;" }]; } },
    { policy: "azure-functionapp-extension-version", fixture: azure.linuxFunctionApp, change: f => { f.props.functionsExtensionVersion = UNKNOWN; } },
    { policy: "azure-functionapp-runtime-deprecated", fixture: azure.flexApp, change: f => { f.props.runtimeVersion = UNKNOWN; } },
    { policy: "azure-functionapp-function-anonymous", fixture: azure.functionAppFunction, change: f => { f.props.configJson = UNKNOWN; } },
    { policy: "azure-functionapp-auth-required", fixture: azure.linuxFunctionApp, change: f => { f.props.authSettingsV2 = UNKNOWN; } },
    { policy: "azure-functionapp-basic-publishing-credentials", fixture: azure.linuxFunctionApp, change: f => { f.props.ftpPublishBasicAuthenticationEnabled = UNKNOWN; } },
    { policy: "azure-storage-min-tls", fixture: azure.storageAccount, change: f => { f.props.minTlsVersion = UNKNOWN; } },
    { policy: "azure-keyvault-rbac", fixture: azure.keyVault, change: f => { f.props.rbacAuthorizationEnabled = UNKNOWN; } },
    { policy: "azure-roleassignment-privileged-role", fixture: azure.roleAssignment, change: f => { delete f.props.roleDefinitionName; f.props.roleDefinitionId = UNKNOWN; } },
    { policy: "azure-messaging-local-auth-public-network", fixture: azure.serviceBusNamespace, change: f => { f.props.localAuthEnabled = UNKNOWN; } },
    { policy: "azure-messaging-local-auth-public-network", fixture: azure.eventGridTopic, change: f => { delete f.props.localAuthEnabled; f.props.publicNetworkAccessEnabled = UNKNOWN; } },
    { policy: "azure-messaging-min-tls", fixture: azure.eventHubNamespace, change: f => { f.props.minimumTlsVersion = UNKNOWN; } },
    { policy: "azure-servicebus-dead-letter-on-expiration", fixture: azure.serviceBusQueue, change: f => { f.props.deadLetteringOnMessageExpiration = UNKNOWN; } },
    { policy: "azure-containerapp-allow-insecure", fixture: azure.containerApp, change: f => { f.props.ingress.allowInsecureConnections = UNKNOWN; } },
    { policy: "azure-apim-api-http", fixture: azure.apimApi, change: f => { f.props.protocols = UNKNOWN; } },
    { policy: "azure-apim-named-value-plaintext-secret", fixture: azure.apimNamedValue, change: f => { f.props.secret = UNKNOWN; } },
];

const providerOf = (type: string) => type.split(":")[0];
const NEW_PROVIDERS = ["aws-native", "azure"];

describe("providers: aws-native and classic Azure", () => {
    describe("hardened baselines report nothing", () => {
        for (const fixture of [...aws.all, ...awsFront.all, ...azure.all, ...azure.frontDoors]) {
            it(`${fixture.type} ${fixture.name}`, () => {
                const policies = definitions.filter(d => d.kind === "resource" && d.resourceTypes.includes(fixture.type));
                assert.ok(policies.length > 0 || fixture.type === aws.kmsKey.type, `no policy checks ${fixture.type}`);
                for (const d of policies) {
                    const out = check(d.meta.name, fixture, runtimeConfig(d.meta.name));
                    assert.deepStrictEqual(out.violations.map(v => v.message), [], d.meta.name);
                    assert.strictEqual(out.unknown, undefined, `${d.meta.name} stopped on an unknown value`);
                }
            });
        }
    });

    describe("seeded flaws, caught by the same policy as on the other provider", () => {
        for (const row of flaws) {
            it(`${row.policy}: ${row.flaw} on ${row.fixture.type}`, async () => {
                const options = row.config ? { config: row.config } : runtimeConfig(row.policy);
                const flawed = mutate(row.fixture, row.change);
                expectViolation(row.stack ? await checkStack(row.policy, row.stack(flawed), options) : check(row.policy, flawed, options), row.message);
            });
        }
    });

    describe("values unknown during preview stop the policy instead of passing", () => {
        for (const row of unknowns) {
            it(`${row.policy} on ${row.fixture.type}`, () => expectUnknown(check(row.policy, mutate(row.fixture, row.change), runtimeConfig(row.policy))));
        }
    });

    it("has a seeded flaw for every policy on every new provider type it checks", () => {
        const missing: string[] = [];
        for (const d of definitions.filter(x => x.kind === "resource")) {
            for (const provider of NEW_PROVIDERS) {
                const types = d.resourceTypes.filter(t => providerOf(t) === provider);
                if (types.length > 0 && !flaws.some(f => f.policy === d.meta.name && providerOf(f.fixture.type) === provider)) {
                    missing.push(`${d.meta.name} on ${provider}`);
                }
            }
        }
        assert.deepStrictEqual(missing, []);
    });

    describe("applicability", () => {
        it("declares a classic app without authSettingsV2 not applicable to the auth policy", () => {
            expectNotApplicable(check("azure-functionapp-auth-required", mutate(azure.windowsFunctionApp, () => undefined)), /no authSettingsV2 block/);
        });
        it("declares a classic app read back with the default authSettingsV2 (off, no identity provider) not applicable to the auth policy, and one naming a provider applicable", () => {
            const readBack = { authEnabled: false, requireAuthentication: false, unauthenticatedAction: "RedirectToLoginPage", login: { tokenStoreEnabled: false } };
            expectNotApplicable(check("azure-functionapp-auth-required", mutate(azure.windowsFunctionApp, f => { f.props.authSettingsV2 = readBack; })), /neither turns App Service authentication on/);
            expectViolation(check("azure-functionapp-auth-required", mutate(azure.windowsFunctionApp, f => { f.props.authSettingsV2 = { ...readBack, googleV2: { clientId: "g", clientSecretSettingName: "GOOGLE_SECRET" } }; })),
                /authSettingsV2\.authEnabled is not true/);
        });
        it("declares Flex Consumption apps not applicable to the FTPS policy (no FTP)", () => {
            expectNotApplicable(check("azure-functionapp-ftps", azure.flexApp), /no FTP/);
        });
        it("leaves an aws-native bucket without publicAccessBlockConfiguration to the S3 default (all blocked)", () => {
            expectPass(check("aws-s3-bucket-public-access", mutate(aws.bucket, f => { delete f.props.publicAccessBlockConfiguration; })));
        });
        it("passes a double-encrypted classic account with a customer-managed key when both are required", () => {
            expectPass(check("azure-storage-encryption", azure.storageAccount, { config: { requireInfrastructureEncryption: true, requireCustomerManagedKey: true } }));
        });
        it("keeps the classic storage default of TLS 1.2 when minTlsVersion is unset", () => {
            expectPass(check("azure-storage-min-tls", mutate(azure.storageAccount, f => { delete f.props.minTlsVersion; })));
        });
        it("honours tag exemptions in aws-native's tag lists", () => {
            const tagged = mutate(aws.lambdaFunction, f => {
                f.props.timeout = 900;
                f.props.tags.push({ key: "serverless-guard:exempt:aws-lambda-function-timeout", value: "2099-01-01 batch export runs 14 minutes" });
            });
            expectNotApplicable(check("aws-lambda-function-timeout", tagged), /batch export/);
        });
    });

    describe("remediation in the provider's own shape", () => {
        it("aws-native: tracing and the bucket's public-access block", () => {
            assert.deepStrictEqual((remediate("aws-lambda-function-tracing", mutate(aws.lambdaFunction, f => { delete f.props.tracingConfig; })) as any).tracingConfig, { mode: "Active" });
            const fixed = remediate("aws-s3-bucket-public-access", mutate(aws.bucket, f => { f.props.publicAccessBlockConfiguration.restrictPublicBuckets = false; })) as any;
            assert.strictEqual(fixed.publicAccessBlockConfiguration.restrictPublicBuckets, true);
            assert.deepStrictEqual(fixed.bucketEncryption, JSON.parse(JSON.stringify(aws.bucket.props.bucketEncryption)));
        });
        it("classic Azure: TLS, FTPS, HTTP/2 and publishing credentials under classic names", () => {
            const tls = remediate("azure-functionapp-min-tls", mutate(azure.linuxFunctionApp, f => { f.props.siteConfig.scmMinimumTlsVersion = "1.0"; })) as any;
            assert.strictEqual(tls.siteConfig.scmMinimumTlsVersion, "1.2");
            assert.strictEqual(tls.siteConfig.scmMinTlsVersion, undefined);
            assert.strictEqual(tls.siteConfig.applicationStack.nodeVersion, "24");
            assert.strictEqual((remediate("azure-functionapp-http2", mutate(azure.linuxFunctionApp, f => { f.props.siteConfig.http2Enabled = false; })) as any).siteConfig.http2Enabled, true);
            assert.strictEqual((remediate("azure-functionapp-ftps", mutate(azure.linuxFunctionApp, f => { delete f.props.siteConfig.ftpsState; })) as any).siteConfig.ftpsState, "Disabled");
            assert.strictEqual(remediate("azure-functionapp-ftps", azure.flexApp), undefined);
            const creds = remediate("azure-functionapp-basic-publishing-credentials", mutate(azure.linuxFunctionApp, f => {
                delete f.props.ftpPublishBasicAuthenticationEnabled; delete f.props.webdeployPublishBasicAuthenticationEnabled;
            })) as any;
            assert.strictEqual(creds.ftpPublishBasicAuthenticationEnabled, false);
            assert.strictEqual(creds.webdeployPublishBasicAuthenticationEnabled, false);
        });
        it("classic Azure storage: HTTPS, TLS and nested public items", () => {
            assert.strictEqual((remediate("azure-storage-https-only", mutate(azure.storageAccount, f => { f.props.httpsTrafficOnlyEnabled = false; })) as any).httpsTrafficOnlyEnabled, true);
            assert.strictEqual((remediate("azure-storage-min-tls", mutate(azure.storageAccount, f => { f.props.minTlsVersion = "TLS1_1"; })) as any).minTlsVersion, "TLS1_2");
            assert.strictEqual((remediate("azure-storage-blob-public-access", mutate(azure.storageAccount, f => { delete f.props.allowNestedItemsToBePublic; })) as any).allowNestedItemsToBePublic, false);
        });
    });
});
