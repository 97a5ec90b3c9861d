// AWS Lambda: functions, function URLs, resource-based permissions, layers, code signing, event
// source mappings and asynchronous invocation settings.
import type { lambda } from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { resourcePolicy } from "../lib/define";
import { AWS_LAMBDA_RUNTIMES } from "../data/runtimes";
import { LAMBDA_INVOKE_ACTIONS } from "../data/aws-iam";
import { evaluationDate, RUNTIME_CONFIG, runtimeStatus, suggestedRuntime } from "../lib/runtimes";
import { detectSecret } from "../lib/secrets";
import { asBoolean, asNumber, asString, asStrings, isRecord, isSet, isUnknownValue, keysOf, quote } from "../lib/values";
import { accountOfPrincipal } from "../lib/iam";

export const FUNCTION = "aws:lambda/function:Function";
export const FUNCTION_URL = "aws:lambda/functionUrl:FunctionUrl";
export const PERMISSION = "aws:lambda/permission:Permission";
export const LAYER_PERMISSION = "aws:lambda/layerVersionPermission:LayerVersionPermission";
export const CODE_SIGNING_CONFIG = "aws:lambda/codeSigningConfig:CodeSigningConfig";
export const EVENT_SOURCE_MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";
export const EVENT_INVOKE_CONFIG = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig";

type FunctionProps = Unwrap<lambda.FunctionArgs>;

const envVarsOf = (props: FunctionProps) => props.environment?.variables;

/**
 * Whether an event source mapping reads a stream. A source ARN computed by another resource is unknown
 * during preview, but the kind is still evident: Lambda requires startingPosition for every stream
 * source (Kinesis, DynamoDB streams, MSK, self-managed Kafka, and DocumentDB, which has its own config
 * block) and rejects it for queues.
 */
function isStreamSource(props: Unwrap<lambda.EventSourceMappingArgs>): boolean {
    if (isRecord(props.selfManagedEventSource)) {
        return true;
    }
    if (isUnknownValue(props, "eventSourceArn")) {
        return isSet(props, "startingPosition") && !isSet(props, "documentDbEventSourceConfig");
    }
    const arn = asString(props.eventSourceArn) ?? "";
    return /^arn:aws[a-z-]*:(kinesis|kafka):/.test(arn) || /^arn:aws[a-z-]*:dynamodb:.*\/stream\//.test(arn);
}

export const lambdaPolicies = [
    resourcePolicy<FunctionProps>({
        name: "aws-lambda-function-env-plaintext-secret",
        description: "Lambda environment variables must not hold secrets in plain text; anyone who can read the function configuration can read them.",
        severity: "critical",
        threats: ["P5", "R4"],
        references: ["OWASP SAS-3", "CIS AWS Compute 4.8"],
        remediation: "Store the secret in Secrets Manager or SSM Parameter Store (SecureString), pass its ARN or name in the variable, and read it at run time with the function's role.",
        resourceTypes: [FUNCTION],
        check: ({ props, report, part }) => {
            const vars = envVarsOf(props);
            for (const key of keysOf(vars)) {
                part(() => {
                    const finding = detectSecret(key, (vars as Record<string, unknown>)[key]);
                    if (finding) {
                        report(`environment.variables.${key} holds a secret in plain text (${finding.kind}); pass a Secrets Manager or SSM parameter reference instead.`);
                    }
                });
            }
        },
    }),

    resourcePolicy<FunctionProps>({
        name: "aws-lambda-function-env-kms",
        description: "Lambda environment variables should be encrypted with a customer-managed KMS key so that key policy, rotation and audit are under your control.",
        severity: "medium",
        threats: ["R4", "P5"],
        remediation: "Set kmsKeyArn to a customer-managed KMS key the function's role may decrypt with.",
        resourceTypes: [FUNCTION],
        check: ({ props, report }) => {
            if (keysOf(envVarsOf(props)).length === 0) {
                return;
            }
            if (!isSet(props, "kmsKeyArn")) {
                report("environment variables are set but kmsKeyArn is not; they are encrypted with the AWS-managed key only.");
            }
        },
    }),

    resourcePolicy<FunctionProps, { warnDaysBeforeDeprecation: number; evaluationDate?: string; allowedRuntimes: string[] }>({
        name: "aws-lambda-function-runtime-deprecated",
        description: "Lambda functions must not use a deprecated runtime: deprecated runtimes get no security patches and soon can't be updated.",
        severity: "high",
        threats: ["R3"],
        references: ["OWASP SAS-10"],
        remediation: "Move the function to a supported runtime of the same language (the message names one) and redeploy.",
        resourceTypes: [FUNCTION],
        config: {
            ...RUNTIME_CONFIG,
            allowedRuntimes: {
                type: "array", items: { type: "string" }, default: [],
                description: "If not empty, only these runtime identifiers are allowed.",
            },
        },
        check: ({ props, report, warn, config, notApplicable }) => {
            if (props.packageType === "Image") {
                notApplicable("container-image functions bring their own runtime");
            }
            const runtime = asString(props.runtime);
            if (!runtime) {
                return;
            }
            const allowed = asStrings(config.allowedRuntimes);
            if (allowed.length > 0 && !allowed.includes(runtime)) {
                report(`runtime ${quote(runtime)} is not in the organization's allowed runtimes (${allowed.join(", ")}).`);
            }
            const today = evaluationDate(config.evaluationDate);
            const status = runtimeStatus(AWS_LAMBDA_RUNTIMES, runtime, today, asNumber(config.warnDaysBeforeDeprecation) ?? 90);
            const upgrade = suggestedRuntime(AWS_LAMBDA_RUNTIMES, runtime, today);
            const hint = upgrade ? `; move to ${upgrade}` : "";
            if (status.state === "deprecated") {
                report(`runtime ${quote(runtime)} is deprecated since ${status.date}${hint}.`);
            } else if (status.state === "deprecating") {
                warn(`runtime ${quote(runtime)} will be deprecated on ${status.date} (in ${status.days} days)${hint}.`);
            }
        },
    }),

    resourcePolicy<FunctionProps>({
        name: "aws-lambda-function-tracing",
        description: "Lambda functions should have X-Ray active tracing so that abuse across linked functions can be followed.",
        severity: "low",
        threats: ["P7", "R5"],
        remediation: "Set tracingConfig.mode to \"Active\" and allow xray:PutTraceSegments in the function's role.",
        resourceTypes: [FUNCTION],
        check: ({ props, report }) => {
            if (props.tracingConfig?.mode !== "Active") {
                report("tracingConfig.mode is not \"Active\".");
            }
        },
        remediate: props => props.tracingConfig?.mode === "Active" ? undefined : { tracingConfig: { mode: "Active" } },
    }),

    resourcePolicy<FunctionProps>({
        name: "aws-lambda-function-dead-letter",
        description: "Lambda functions invoked asynchronously should keep failed events (dead-letter queue or on-failure destination) so that failures and attacks are not lost silently.",
        severity: "medium",
        threats: ["P7", "R1"],
        remediation: "Set deadLetterConfig.targetArn to an encrypted SQS queue or SNS topic, or add a FunctionEventInvokeConfig with an on-failure destination (then exempt this function).",
        resourceTypes: [FUNCTION],
        check: ({ props, report }) => {
            if (!isSet(props.deadLetterConfig, "targetArn")) {
                report("deadLetterConfig.targetArn is not set.");
            }
        },
    }),

    resourcePolicy<FunctionProps, { maxReservedConcurrency: number }>({
        name: "aws-lambda-function-concurrency-limit",
        description: "Lambda functions should reserve a bounded concurrency so that a flood of events can't exhaust the account's concurrency or run up the bill (denial of wallet).",
        severity: "medium",
        threats: ["P4"],
        remediation: "Set reservedConcurrentExecutions to the highest concurrency the function needs, at or below the configured ceiling.",
        resourceTypes: [FUNCTION],
        config: {
            maxReservedConcurrency: { type: "integer", minimum: 1, default: 100, description: "Highest reserved concurrency allowed." },
        },
        check: ({ props, report, config }) => {
            const reserved = asNumber(props.reservedConcurrentExecutions);
            if (reserved === undefined || reserved < 0) {
                report("reservedConcurrentExecutions is not set, so the function can scale to the account's whole concurrency.");
            } else if (reserved > config.maxReservedConcurrency) {
                report(`reservedConcurrentExecutions is ${reserved}, above the ceiling of ${config.maxReservedConcurrency}.`);
            }
        },
    }),

    resourcePolicy<FunctionProps, { maxTimeoutSeconds: number }>({
        name: "aws-lambda-function-timeout",
        description: "Lambda function timeouts should stay short so that a stuck or abused invocation can't run (and bill) for up to 15 minutes.",
        severity: "low",
        threats: ["P4"],
        remediation: "Lower timeout to what the function needs, at or below the configured maximum.",
        resourceTypes: [FUNCTION],
        config: {
            maxTimeoutSeconds: { type: "integer", minimum: 1, maximum: 900, default: 300, description: "Longest timeout allowed, in seconds." },
        },
        check: ({ props, report, config }) => {
            const timeout = asNumber(props.timeout);
            if (timeout !== undefined && timeout > config.maxTimeoutSeconds) {
                report(`timeout is ${timeout} seconds, above the maximum of ${config.maxTimeoutSeconds}.`);
            }
        },
    }),

    resourcePolicy<FunctionProps>({
        name: "aws-lambda-function-code-signing",
        description: "Lambda functions deployed from .zip packages should require signed code so that only artifacts from your pipeline can run.",
        severity: "medium",
        threats: ["P6"],
        remediation: "Create an aws.lambda.CodeSigningConfig with your signing profiles and untrustedArtifactOnDeployment \"Enforce\", and set codeSigningConfigArn.",
        resourceTypes: [FUNCTION],
        check: ({ props, report, notApplicable }) => {
            if (props.packageType === "Image") {
                notApplicable("code signing applies to .zip packages only");
            }
            if (!isSet(props, "codeSigningConfigArn")) {
                report("codeSigningConfigArn is not set.");
            }
        },
    }),

    resourcePolicy<FunctionProps>({
        name: "aws-lambda-function-vpc",
        description: "Lambda functions that reach private data should run inside a VPC so that their network access can be restricted and logged.",
        severity: "low",
        threats: ["P2", "R4"],
        remediation: "Set vpcConfig with private subnetIds and securityGroupIds, or disable this policy for stacks whose functions need no private network.",
        resourceTypes: [FUNCTION],
        check: ({ props, report }) => {
            if (!isSet(props.vpcConfig, "subnetIds")) {
                report("vpcConfig.subnetIds is empty: the function is not attached to a VPC.");
            }
        },
    }),

    resourcePolicy<Unwrap<lambda.FunctionUrlArgs>>({
        name: "aws-lambda-function-url-auth",
        description: "Lambda function URLs must require IAM authentication; a URL with authorization type NONE lets anyone on the internet invoke the function.",
        severity: "critical",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2"],
        remediation: "Set authorizationType to \"AWS_IAM\", or put the function behind API Gateway with an authorizer.",
        resourceTypes: [FUNCTION_URL],
        check: ({ props, report }) => {
            if (props.authorizationType === "NONE") {
                report("authorizationType is \"NONE\": the function URL is public.");
            }
        },
    }),

    resourcePolicy<Unwrap<lambda.FunctionUrlArgs>>({
        name: "aws-lambda-function-url-cors",
        description: "Lambda function URL CORS must not allow every origin, least of all together with credentials, or any website can call the function from a user's browser.",
        severity: "medium",
        threats: ["R2", "R1"],
        remediation: "List the exact origins in cors.allowOrigins.",
        resourceTypes: [FUNCTION_URL],
        check: ({ props, report }) => {
            if (asStrings(props.cors?.allowOrigins).includes("*")) {
                const creds = asBoolean(props.cors?.allowCredentials) === true;
                report(creds
                    ? "cors.allowOrigins contains \"*\" and cors.allowCredentials is true: any website can make credentialed calls."
                    : "cors.allowOrigins contains \"*\".");
            }
        },
    }),

    resourcePolicy<Unwrap<lambda.PermissionArgs>, { trustedAccountIds: string[] }>({
        name: "aws-lambda-permission-public",
        description: "Lambda resource-based permissions must not let everyone, or a whole account, invoke the function without a source condition.",
        severity: "critical",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2"],
        remediation: "Grant the permission to a specific service or role, and set sourceArn (and sourceAccount) or principalOrgId.",
        resourceTypes: [PERMISSION],
        config: {
            trustedAccountIds: { type: "array", items: { type: "string", pattern: "^\\d{12}$" }, default: [], description: "Account ids that may be granted invoke rights as a whole." },
        },
        check: ({ props, report, config }) => {
            const principal = asString(props.principal);
            if (principal === undefined) {
                return;
            }
            const conditioned = isSet(props, "sourceArn") || isSet(props, "sourceAccount") || isSet(props, "principalOrgId");
            if (principal.trim() === "*" && !conditioned) {
                report("principal is \"*\" with no sourceArn, sourceAccount or principalOrgId: anyone can invoke the function.");
                return;
            }
            const account = accountOfPrincipal(principal);
            if (account && !asStrings(config.trustedAccountIds).includes(account) && !isSet(props, "sourceArn")) {
                report(`principal is the whole account ${account} with no sourceArn: every identity in that account that has lambda:InvokeFunction can invoke it.`);
            }
        },
    }),

    resourcePolicy<Unwrap<lambda.PermissionArgs>>({
        name: "aws-lambda-permission-service-source",
        description: "Lambda permissions granted to an AWS service must name the source resource, or any other account's resource of that service can invoke the function (confused deputy).",
        severity: "high",
        threats: ["R1", "R5"],
        remediation: "Set sourceArn to the bucket, topic, rule or API that should invoke the function (and sourceAccount for S3).",
        resourceTypes: [PERMISSION],
        check: ({ props, report }) => {
            const principal = asString(props.principal);
            if (!principal || !/\.amazonaws\.com(\.cn)?$/.test(principal.trim())) {
                return;
            }
            if (!isSet(props, "sourceArn")) {
                report(`principal is the service ${quote(principal)} but sourceArn is not set.`);
            } else if (principal.startsWith("s3.") && !isSet(props, "sourceAccount")) {
                report("principal is S3 but sourceAccount is not set: bucket ARNs carry no account, so a same-named bucket elsewhere could invoke the function.");
            }
        },
    }),

    resourcePolicy<Unwrap<lambda.PermissionArgs>>({
        name: "aws-lambda-permission-action",
        description: "Lambda resource-based permissions should grant invoke only; wider actions let the grantee change or delete the function.",
        severity: "high",
        threats: ["P2", "R5"],
        remediation: "Set action to \"lambda:InvokeFunction\" (or \"lambda:InvokeFunctionUrl\").",
        resourceTypes: [PERMISSION],
        check: ({ props, report }) => {
            const action = asString(props.action);
            if (action !== undefined && !LAMBDA_INVOKE_ACTIONS.includes(action.trim())) {
                report(`action is ${quote(action)}, wider than lambda:InvokeFunction.`);
            }
        },
    }),

    resourcePolicy<Unwrap<lambda.PermissionArgs>>({
        name: "aws-lambda-permission-url-auth",
        description: "Lambda permissions must not open a function URL with authorization type NONE.",
        severity: "critical",
        threats: ["R2"],
        remediation: "Use functionUrlAuthType \"AWS_IAM\" and grant the permission to specific principals.",
        resourceTypes: [PERMISSION],
        check: ({ props, report }) => {
            if (props.functionUrlAuthType === "NONE") {
                report("functionUrlAuthType is \"NONE\".");
            }
        },
    }),

    resourcePolicy<Unwrap<lambda.LayerVersionPermissionArgs>>({
        name: "aws-lambda-layer-public",
        description: "Lambda layer versions must not be shared with every AWS account unless limited to your organization.",
        severity: "high",
        threats: ["R4", "P6"],
        remediation: "Share the layer with specific account ids, or set organizationId when the principal is \"*\".",
        resourceTypes: [LAYER_PERMISSION],
        check: ({ props, report }) => {
            if (asString(props.principal)?.trim() === "*" && !isSet(props, "organizationId")) {
                report("principal is \"*\" without organizationId: every AWS account can use this layer version.");
            }
        },
    }),

    resourcePolicy<Unwrap<lambda.CodeSigningConfigArgs>>({
        name: "aws-lambda-code-signing-enforce",
        description: "Lambda code-signing configs should block unsigned or untrusted artifacts instead of only logging them.",
        severity: "medium",
        threats: ["P6"],
        remediation: "Set policies.untrustedArtifactOnDeployment to \"Enforce\".",
        resourceTypes: [CODE_SIGNING_CONFIG],
        check: ({ props, report }) => {
            if (props.policies?.untrustedArtifactOnDeployment !== "Enforce") {
                report("policies.untrustedArtifactOnDeployment is not \"Enforce\" (the default only warns).");
            }
        },
    }),

    resourcePolicy<Unwrap<lambda.EventSourceMappingArgs>, { maxRetryAttempts: number }>({
        name: "aws-lambda-event-source-failure-handling",
        description: "Stream event sources (Kinesis, DynamoDB streams, Kafka) need an on-failure destination and bounded retries, or one poisoned record blocks the shard and is retried until it expires.",
        severity: "medium",
        threats: ["R1", "P4"],
        remediation: "Set destinationConfig.onFailure.destinationArn, maximumRetryAttempts and bisectBatchOnFunctionError.",
        resourceTypes: [EVENT_SOURCE_MAPPING],
        config: {
            maxRetryAttempts: { type: "integer", minimum: 0, maximum: 10000, default: 10, description: "Highest retry count allowed for stream sources." },
        },
        check: ({ props, report, config, notApplicable }) => {
            if (!isStreamSource(props)) {
                notApplicable("not a stream event source (queues use their own redrive policy)");
            }
            if (!isSet(props.destinationConfig?.onFailure, "destinationArn")) {
                report("destinationConfig.onFailure.destinationArn is not set: failed batches are dropped when they expire.");
            }
            const retries = asNumber(props.maximumRetryAttempts);
            if (retries === undefined || retries < 0) {
                report("maximumRetryAttempts is unbounded (the default for streams is -1, retry until the record expires).");
            } else if (retries > config.maxRetryAttempts) {
                report(`maximumRetryAttempts is ${retries}, above the maximum of ${config.maxRetryAttempts}.`);
            }
        },
    }),

    resourcePolicy<Unwrap<lambda.FunctionEventInvokeConfigArgs>>({
        name: "aws-lambda-event-invoke-failure-destination",
        description: "Asynchronous invocation settings should send failed events to an on-failure destination.",
        severity: "medium",
        threats: ["P7", "R1"],
        remediation: "Set destinationConfig.onFailure.destination to an encrypted SQS queue, SNS topic, EventBridge bus or function.",
        resourceTypes: [EVENT_INVOKE_CONFIG],
        check: ({ props, report }) => {
            if (!isSet(props.destinationConfig?.onFailure, "destination")) {
                report("destinationConfig.onFailure.destination is not set.");
            }
        },
    }),
];
