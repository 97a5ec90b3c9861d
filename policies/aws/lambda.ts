// AWS Lambda: functions, function URLs, resource-based permissions, layers, code signing, event
// source mappings and asynchronous invocation settings, on the classic provider and on AWS Cloud
// Control (aws-native), through the views in ./views.
import { Field, viewPolicy, ViewOf } from "../lib/view";
import { AWS_LAMBDA_RUNTIMES } from "../data/runtimes";
import { LAMBDA_INVOKE_ACTIONS } from "../data/aws-iam";
import { evaluationDate, RUNTIME_CONFIG, runtimeStatus, suggestedRuntime } from "../lib/runtimes";
import { detectSecret, knownTokenKind } from "../lib/secrets";
import { inlineFiles } from "../lib/assets";
import { computedIdentity, computedSecretMessages, plainValue, readSettings, secretSettingMessage, Source } from "../lib/provenance";
import { asBoolean, asNumber, asString, asStrings, isRecord, keysOf, quote } from "../lib/values";
import { accountOfPrincipal, isOneOfActions } from "../lib/iam";
import {
    CODE_SIGNING_CONFIGS, EVENT_INVOKE_CONFIGS, EVENT_SOURCE_MAPPINGS, FUNCTION_URLS, FUNCTIONS, INLINE_CODE, LAYER_PERMISSIONS, PERMISSIONS,
} from "./views";

export {
    FUNCTION, FUNCTION_URL, PERMISSION, LAYER_PERMISSION, CODE_SIGNING_CONFIG, EVENT_SOURCE_MAPPING, EVENT_INVOKE_CONFIG, LAYER_VERSION,
} from "./views";

type FunctionView = ViewOf<typeof FUNCTIONS>;
type PermissionView = ViewOf<typeof PERMISSIONS>;
type EventSourceMappingView = ViewOf<typeof EVENT_SOURCE_MAPPINGS>;
type FunctionUrlView = ViewOf<typeof FUNCTION_URLS>;

// The predicates of the resource policies that report a public path to a function, shared with the
// stack policies so that they know which paths these policies already report.
export const PERMISSION_PUBLIC = "aws-lambda-permission-public";
export const PERMISSION_URL_AUTH = "aws-lambda-permission-url-auth";
export const FUNCTION_URL_AUTH = "aws-lambda-function-url-auth";

/** A permission that lets principal "*" invoke the function with no source condition. */
export function everyoneMayInvoke(view: PermissionView): boolean {
    const conditioned = view.sourceArn.isSet() || view.sourceAccount.isSet() || view.principalOrgId.isSet();
    return asString(view.principal.read())?.trim() === "*" && !conditioned;
}

/** A permission for a function URL with authorization type NONE. */
export const opensUrlWithoutAuth = (view: PermissionView) => view.functionUrlAuthType.read() === "NONE";

/** A function URL with authorization type NONE. */
export const urlWithoutAuth = (view: FunctionUrlView) => view.authType.read() === "NONE";

/**
 * Whether an event source mapping reads a stream. A source ARN computed by another resource is unknown
 * during preview, but the kind is still evident: Lambda requires startingPosition for every stream
 * source (Kinesis, DynamoDB streams, MSK, self-managed Kafka, and DocumentDB, which has its own config
 * block) and rejects it for queues.
 */
function isStreamSource(view: EventSourceMappingView): boolean {
    if (isRecord(view.selfManagedEventSource.read())) {
        return true;
    }
    if (view.eventSourceArn.isUnknown()) {
        return view.startingPosition.isSet() && !view.documentDbEventSourceConfig.isSet();
    }
    const arn = asString(view.eventSourceArn.read()) ?? "";
    return /^arn:aws[a-z-]*:(kinesis|kafka):/.test(arn) || /^arn:aws[a-z-]*:dynamodb:.*\/stream\//.test(arn);
}

/** API Gateway API ids are 10 lower-case letters and digits (e.g. "a1b2c3d4e5" in execute-api ARNs). */
const API_ID_LENGTH = 10;

/**
 * How far an API Gateway execute-api source ARN (arn:aws:execute-api:<region>:<account>:<api>/<stage>/<method>/<path>)
 * is from naming one stage and method: "api" when any API of the account may invoke, "stages" when
 * every stage, method and path of one API may, undefined when the stage, the method or the path is named. In ARN
 * matching a wildcard also matches "/", so a stage wildcard alone, or stage and method wildcards, cover
 * every stage, method and path.
 */
export function executeApiWildcard(arn: string): "api" | "stages" | undefined {
    const m = /^arn:aws[a-z-]*:execute-api:[^:]*:[^:]*:(.*)$/.exec(arn.trim());
    if (!m) {
        return undefined;
    }
    const [api, stage, method, ...path] = m[1].split("/");
    const star = api.indexOf("*");
    if (star >= 0) {
        // API ids are 10 characters: a wildcard after the whole id still means that one API, and spans its stages.
        return star >= API_ID_LENGTH ? "stages" : "api";
    }
    return stage === "*" && (method === undefined || method === "*") && path.every(p => p === "*") ? "stages" : undefined;
}

/**
 * Whether a principal is unknown during preview and computed only from IAM roles or users of the stack
 * (see lib/provenance.ts): then it is that identity, not "*" or a whole account.
 */
function isStackIdentity(principal: Field): boolean {
    return principal.isUnknown() && computedIdentity(principal.where) !== undefined;
}

export const lambdaPolicies = [
    viewPolicy({
        name: "aws-lambda-function-env-plaintext-secret",
        description: "Lambda environment variables must not hold secrets in plain text; anyone who can read the function configuration can read them.",
        severity: "critical",
        threats: ["P5", "R4"],
        references: ["OWASP SAS-3", "CIS AWS Compute 4.8"],
        remediation: "Store the secret in Secrets Manager or SSM Parameter Store (SecureString), pass its ARN or name in the variable, and read it at run time with the function's role.",
        adapters: FUNCTIONS,
        provenance: true,
        check: ({ view, report, part }) => {
            const fix = "store it in Secrets Manager or SSM Parameter Store (SecureString) and pass its ARN or name instead.";
            const settings = readSettings(() => view.envVariables.read(), "environment", view.envVariables.where);
            if (settings === "clean") {
                return;
            }
            if ("secret" in settings) {
                report(secretSettingMessage(view.envVariables.where, { kind: "computed", source: settings.secret }, fix));
                return;
            }
            const vars = settings.value;
            const computed: { where: string; source: Source }[] = [];
            for (const key of keysOf(vars)) {
                part(() => {
                    const where = `${view.envVariables.where}.${key}`;
                    const v = plainValue(vars, key, "environment", key, where);
                    if (v.kind === "computed") {
                        computed.push({ where, source: v.source });
                        return;
                    }
                    const finding = v.kind === "value" || v.kind === "marked" ? detectSecret(key, v.value) : undefined;
                    if (v.kind === "marked" && !finding) {
                        report(secretSettingMessage(where, v, fix));
                        return;
                    }
                    if (finding) {
                        report(`${where} holds a secret in plain text (${finding.kind}); pass a Secrets Manager or SSM parameter reference instead.`);
                    }
                });
            }
            computedSecretMessages(computed, fix).forEach(m => report(m));
        },
    }),

    viewPolicy({
        name: "aws-lambda-function-code-secret",
        description: "Code handed to Lambda inline (text assets of an AssetArchive, aws-native code.zipFile, a layer's inline archive) must not embed credentials: anyone who can read the function's code or the stack's state can read them.",
        severity: "high",
        threats: ["P5", "R4"],
        references: ["Prowler awslambda_function_no_secrets_in_code", "OWASP SAS-3"],
        remediation: "Remove the credential from the code, rotate it, and read it at run time from Secrets Manager or SSM Parameter Store with the function's role.",
        adapters: INLINE_CODE,
        check: ({ view, report }) => {
            const found: string[] = [];
            for (const { file, text } of inlineFiles(view.code.read(), view.code.where)) {
                const kind = knownTokenKind(text);
                if (kind) {
                    found.push(`${quote(file)} (${kind})`);
                }
            }
            if (found.length > 0) {
                const shown = found.slice(0, 5).join(", ") + (found.length > 5 ? ` and ${found.length - 5} more files` : "");
                report(`the inline code in ${view.code.where} embeds a credential in ${shown}; remove it, rotate it and read it from Secrets Manager or SSM Parameter Store at run time.`);
            }
        },
    }),

    viewPolicy({
        name: "aws-lambda-function-env-kms",
        description: "Lambda environment variables should be encrypted with a customer-managed KMS key so that key policy, rotation and audit are under your control.",
        severity: "medium",
        threats: ["R4", "P5"],
        remediation: "Set kmsKeyArn to a customer-managed KMS key the function's role may decrypt with.",
        adapters: FUNCTIONS,
        check: ({ view, report }) => {
            if (keysOf(view.envVariables.read()).length === 0) {
                return;
            }
            if (!view.kmsKeyArn.isSet()) {
                report(`environment variables are set but ${view.kmsKeyArn.where} is not; they are encrypted with the AWS-managed key only.`);
            }
        },
    }),

    viewPolicy<FunctionView, { warnDaysBeforeDeprecation: number; evaluationDate?: string; allowedRuntimes: string[] }>({
        name: "aws-lambda-function-runtime-deprecated",
        description: "Lambda functions must not use a deprecated runtime: deprecated runtimes get no security patches and soon can't be updated.",
        severity: "high",
        threats: ["R3"],
        references: ["OWASP SAS-10"],
        remediation: "Move the function to a supported runtime of the same language (the message names one) and redeploy.",
        adapters: FUNCTIONS,
        config: {
            ...RUNTIME_CONFIG,
            allowedRuntimes: {
                type: "array", items: { type: "string" }, default: [],
                description: "If not empty, only these runtime identifiers are allowed.",
            },
        },
        check: ({ view, report, warn, config, notApplicable }) => {
            if (view.packageType.read() === "Image") {
                notApplicable("container-image functions bring their own runtime");
            }
            const runtime = asString(view.runtime.read());
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

    viewPolicy({
        name: "aws-lambda-function-tracing",
        description: "Lambda functions should have X-Ray active tracing so that abuse across linked functions can be followed.",
        severity: "low",
        threats: ["P7", "R5"],
        remediation: "Set tracingConfig.mode to \"Active\" and allow xray:PutTraceSegments in the function's role.",
        adapters: FUNCTIONS,
        check: ({ view, report }) => {
            if (view.tracingMode.read() !== "Active") {
                report(`${view.tracingMode.where} is not "Active".`);
            }
        },
        remediate: view => view.tracingMode.read() === "Active" ? undefined : view.tracingMode.patch("Active"),
    }),

    viewPolicy<FunctionView, { maxReservedConcurrency: number }>({
        name: "aws-lambda-function-concurrency-limit",
        description: "Lambda functions should reserve a bounded concurrency so that a flood of events can't exhaust the account's concurrency or run up the bill (denial of wallet).",
        severity: "medium",
        threats: ["P4"],
        remediation: "Set reservedConcurrentExecutions to the highest concurrency the function needs, at or below the configured ceiling.",
        adapters: FUNCTIONS,
        config: {
            maxReservedConcurrency: { type: "integer", minimum: 1, default: 100, description: "Highest reserved concurrency allowed." },
        },
        check: ({ view, report, config }) => {
            const reserved = asNumber(view.reservedConcurrency.read());
            if (reserved === undefined || reserved < 0) {
                report(`${view.reservedConcurrency.where} is not set, so the function can scale to the account's whole concurrency.`);
            } else if (reserved > config.maxReservedConcurrency) {
                report(`${view.reservedConcurrency.where} is ${reserved}, above the ceiling of ${config.maxReservedConcurrency}.`);
            }
        },
    }),

    viewPolicy<FunctionView, { maxTimeoutSeconds: number }>({
        name: "aws-lambda-function-timeout",
        description: "Lambda function timeouts should stay short so that a stuck or abused invocation can't run (and bill) for up to 15 minutes.",
        severity: "low",
        threats: ["P4"],
        remediation: "Lower timeout to what the function needs, at or below the configured maximum.",
        adapters: FUNCTIONS,
        config: {
            maxTimeoutSeconds: { type: "integer", minimum: 1, maximum: 900, default: 300, description: "Longest timeout allowed, in seconds." },
        },
        check: ({ view, report, config }) => {
            const timeout = asNumber(view.timeout.read());
            if (timeout !== undefined && timeout > config.maxTimeoutSeconds) {
                report(`${view.timeout.where} is ${timeout} seconds, above the maximum of ${config.maxTimeoutSeconds}.`);
            }
        },
    }),

    viewPolicy({
        name: "aws-lambda-function-code-signing",
        description: "Lambda functions deployed from .zip packages should require signed code so that only artifacts from your pipeline can run.",
        severity: "medium",
        threats: ["P6"],
        remediation: "Create an aws.lambda.CodeSigningConfig with your signing profiles and untrustedArtifactOnDeployment \"Enforce\", and set codeSigningConfigArn.",
        adapters: FUNCTIONS,
        check: ({ view, report, notApplicable }) => {
            if (view.packageType.read() === "Image") {
                notApplicable("code signing applies to .zip packages only");
            }
            if (!view.codeSigningConfigArn.isSet()) {
                report(`${view.codeSigningConfigArn.where} is not set.`);
            }
        },
    }),

    viewPolicy<FunctionView, { requireVpcEgress: boolean }>({
        name: "aws-lambda-function-vpc",
        description: "Where the organization requires it, Lambda functions must run inside a VPC, so that their network access can be restricted and logged (security groups, NAT, flow logs).",
        severity: "low",
        threats: ["P2", "R4"],
        remediation: "Set vpcConfig with private subnetIds and securityGroupIds (and route outbound traffic through a NAT gateway or VPC endpoints).",
        adapters: FUNCTIONS,
        config: {
            requireVpcEgress: { type: "boolean", default: false, description: "Require every function to run attached to a VPC, so all its traffic goes through the VPC." },
        },
        optIn: { flag: "requireVpcEgress", what: "VPC placement" },
        check: ({ view, report }) => {
            if (!view.subnetIds.isSet()) {
                report(`${view.subnetIds.where} is empty: the function is not attached to a VPC, so its outbound traffic bypasses your network controls; attach it to private subnets.`);
            }
        },
    }),

    viewPolicy({
        name: FUNCTION_URL_AUTH,
        description: "Lambda function URLs must require IAM authentication; a URL with authorization type NONE lets anyone on the internet invoke the function.",
        severity: "critical",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2"],
        remediation: "Set authorizationType to \"AWS_IAM\", or put the function behind API Gateway with an authorizer.",
        adapters: FUNCTION_URLS,
        check: ({ view, report }) => {
            if (urlWithoutAuth(view)) {
                report(`${view.authType.where} is "NONE": the function URL is public.`);
            }
        },
    }),

    viewPolicy({
        name: "aws-lambda-function-url-cors",
        description: "Lambda function URL CORS must not allow every origin, least of all together with credentials, or any website can call the function from a user's browser.",
        severity: "medium",
        threats: ["R2", "R1"],
        remediation: "List the exact origins in cors.allowOrigins.",
        adapters: FUNCTION_URLS,
        check: ({ view, report }) => {
            if (asStrings(view.corsOrigins.read()).includes("*")) {
                const creds = asBoolean(view.corsCredentials.read()) === true;
                report(creds
                    ? `${view.corsOrigins.where} contains "*" and ${view.corsCredentials.where} is true: any website can make credentialed calls.`
                    : `${view.corsOrigins.where} contains "*".`);
            }
        },
    }),

    viewPolicy<PermissionView, { trustedAccountIds: string[] }>({
        name: PERMISSION_PUBLIC,
        description: "Lambda resource-based permissions must not let everyone, or a whole account, invoke the function without a source condition.",
        severity: "critical",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2"],
        remediation: "Grant the permission to a specific service or role, and set sourceArn (and sourceAccount) or principalOrgId.",
        adapters: PERMISSIONS,
        config: {
            trustedAccountIds: { type: "array", items: { type: "string", pattern: "^\\d{12}$" }, default: [], description: "Account ids that may be granted invoke rights as a whole." },
        },
        provenance: true,
        check: ({ view, report, config }) => {
            if (isStackIdentity(view.principal)) {
                return;
            }
            const principal = asString(view.principal.read());
            if (principal === undefined) {
                return;
            }
            if (everyoneMayInvoke(view)) {
                report("principal is \"*\" with no sourceArn, sourceAccount or principalOrgId: anyone can invoke the function.");
                return;
            }
            const account = accountOfPrincipal(principal);
            if (account && !asStrings(config.trustedAccountIds).includes(account) && !view.sourceArn.isSet()) {
                report(`principal is the whole account ${account} with no sourceArn: every identity in that account that has lambda:InvokeFunction can invoke it.`);
            }
        },
    }),

    viewPolicy({
        name: "aws-lambda-permission-service-source",
        description: "Lambda permissions granted to an AWS service must name the source resource, or any other account's resource of that service can invoke the function (confused deputy); for API Gateway, a source ARN covering every stage and method is reported as advisory.",
        severity: "high",
        threats: ["R1", "R5"],
        references: ["Trivy AVD-AWS-0067", "KICS Public Lambda via API Gateway"],
        remediation: "Set sourceArn to the bucket, topic, rule or API that should invoke the function (and sourceAccount for S3); for API Gateway, name the stage and method in it.",
        adapters: PERMISSIONS,
        provenance: true,
        check: ({ view, report, warn }) => {
            if (isStackIdentity(view.principal)) {
                return;
            }
            const principal = asString(view.principal.read());
            if (!principal || !/\.amazonaws\.com(\.cn)?$/.test(principal.trim())) {
                return;
            }
            if (!view.sourceArn.isSet()) {
                report(`principal is the service ${quote(principal)} but sourceArn is not set.`);
            } else if (principal.startsWith("s3.") && !view.sourceAccount.isSet()) {
                report("principal is S3 but sourceAccount is not set: bucket ARNs carry no account, so a same-named bucket elsewhere could invoke the function.");
            } else if (principal.startsWith("apigateway.") && !view.sourceArn.isUnknown()) {
                // Advisory: `${api.executionArn}/*/*` is the documented pattern for one API; naming the stage and route narrows it further.
                const wildcard = executeApiWildcard(asString(view.sourceArn.read()) ?? "");
                if (wildcard === "api") {
                    warn("sourceArn names no API (its API id is a wildcard): every API Gateway API of the account can invoke the function; name the API, stage and method.");
                } else if (wildcard === "stages") {
                    warn("sourceArn covers every stage, method and path of the API (wildcards where the stage and method go): any stage or route added later, a test stage included, can invoke the function; name the stage and method (e.g. <executionArn>/prod/POST/orders).");
                }
            }
        },
    }),

    viewPolicy({
        name: "aws-lambda-permission-action",
        description: "Lambda resource-based permissions should grant invoke only; wider actions let the grantee change or delete the function (an AWS service grantee only ever invokes, so for one the excess is advisory).",
        severity: "high",
        threats: ["P2", "R5"],
        remediation: "Set action to \"lambda:InvokeFunction\" (or \"lambda:InvokeFunctionUrl\").",
        adapters: PERMISSIONS,
        check: ({ view, report, warn }) => {
            const action = asString(view.action.read());
            if (action === undefined || isOneOfActions(action, LAMBDA_INVOKE_ACTIONS)) {
                return;
            }
            const principal = asString(view.principal.read())?.trim();
            if (principal !== undefined && /\.amazonaws\.com(\.cn)?$/.test(principal)) {
                // @pulumi/aws's queue.onEvent grants lambda:* to sqs.amazonaws.com: a service calls functions, it never changes them.
                warn(`action is ${quote(action)}, wider than lambda:InvokeFunction, for the service ${quote(principal)}, which only invokes functions; narrow it to lambda:InvokeFunction.`);
            } else {
                report(`action is ${quote(action)}, wider than lambda:InvokeFunction.`);
            }
        },
    }),

    viewPolicy({
        name: PERMISSION_URL_AUTH,
        description: "Lambda permissions must not open a function URL with authorization type NONE.",
        severity: "critical",
        threats: ["R2"],
        remediation: "Use functionUrlAuthType \"AWS_IAM\" and grant the permission to specific principals.",
        adapters: PERMISSIONS,
        check: ({ view, report }) => {
            if (opensUrlWithoutAuth(view)) {
                report("functionUrlAuthType is \"NONE\".");
            }
        },
    }),

    viewPolicy({
        name: "aws-lambda-layer-public",
        description: "Lambda layer versions must not be shared with every AWS account unless limited to your organization.",
        severity: "high",
        threats: ["R4", "P6"],
        remediation: "Share the layer with specific account ids, or set organizationId when the principal is \"*\".",
        adapters: LAYER_PERMISSIONS,
        provenance: true,
        check: ({ view, report }) => {
            if (!isStackIdentity(view.principal) && asString(view.principal.read())?.trim() === "*" && !view.organizationId.isSet()) {
                report("principal is \"*\" without organizationId: every AWS account can use this layer version.");
            }
        },
    }),

    viewPolicy({
        name: "aws-lambda-code-signing-enforce",
        description: "Lambda code-signing configs should block unsigned or untrusted artifacts instead of only logging them.",
        severity: "medium",
        threats: ["P6"],
        remediation: "Set policies.untrustedArtifactOnDeployment to \"Enforce\".",
        adapters: CODE_SIGNING_CONFIGS,
        check: ({ view, report }) => {
            if (view.untrustedArtifactOnDeployment.read() !== "Enforce") {
                report(`${view.untrustedArtifactOnDeployment.where} is not "Enforce" (the default only warns).`);
            }
        },
    }),

    viewPolicy<EventSourceMappingView, { maxRetryAttempts: number }>({
        name: "aws-lambda-event-source-failure-handling",
        description: "Stream event sources (Kinesis, DynamoDB streams, Kafka) need an on-failure destination and bounded retries, or one poisoned record blocks the shard and is retried until it expires.",
        severity: "medium",
        threats: ["R1", "P4"],
        remediation: "Set destinationConfig.onFailure.destinationArn, maximumRetryAttempts and bisectBatchOnFunctionError.",
        adapters: EVENT_SOURCE_MAPPINGS,
        config: {
            maxRetryAttempts: { type: "integer", minimum: 0, maximum: 10000, default: 10, description: "Highest retry count allowed for stream sources." },
        },
        check: ({ view, report, config, notApplicable }) => {
            if (!isStreamSource(view)) {
                notApplicable("not a stream event source (queues use their own redrive policy)");
            }
            if (!view.onFailureDestination.isSet()) {
                report(`${view.onFailureDestination.where} is not set: failed batches are dropped when they expire.`);
            }
            const retries = asNumber(view.maximumRetryAttempts.read());
            if (retries === undefined || retries < 0) {
                report(`${view.maximumRetryAttempts.where} is unbounded (the default for streams is -1, retry until the record expires).`);
            } else if (retries > config.maxRetryAttempts) {
                report(`${view.maximumRetryAttempts.where} is ${retries}, above the maximum of ${config.maxRetryAttempts}.`);
            }
        },
    }),

    viewPolicy({
        name: "aws-lambda-event-invoke-failure-destination",
        description: "Asynchronous invocation settings should send failed events to an on-failure destination.",
        severity: "medium",
        threats: ["P7", "R1"],
        remediation: "Set destinationConfig.onFailure.destination to an encrypted SQS queue, SNS topic, EventBridge bus or function.",
        adapters: EVENT_INVOKE_CONFIGS,
        check: ({ view, report }) => {
            if (!view.onFailureDestination.isSet()) {
                report(`${view.onFailureDestination.where} is not set.`);
            }
        },
    }),
];
