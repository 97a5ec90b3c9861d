// Views of AWS resources for the classic provider (@pulumi/aws) and AWS Cloud Control (@pulumi/aws-native).
// Most Lambda settings have the same names in both; the adapters map the ones that differ (a URL's
// authType, a code-signing config's codeSigningPolicies, a role's inline policies as objects) and the
// shapes that differ (an S3 bucket's encryption and public-access settings inline on aws-native).
import { absent, Adapter, Adapters, derived, Field, field, renames } from "../lib/view";
import { asList, at, Dict, isRecord } from "../lib/values";

export const FUNCTION = "aws:lambda/function:Function";
export const FUNCTION_URL = "aws:lambda/functionUrl:FunctionUrl";
export const PERMISSION = "aws:lambda/permission:Permission";
export const LAYER_PERMISSION = "aws:lambda/layerVersionPermission:LayerVersionPermission";
export const CODE_SIGNING_CONFIG = "aws:lambda/codeSigningConfig:CodeSigningConfig";
export const EVENT_SOURCE_MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping";
export const EVENT_INVOKE_CONFIG = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig";
export const LAYER_VERSION = "aws:lambda/layerVersion:LayerVersion";
export const ROLE = "aws:iam/role:Role";
export const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
export const POLICY = "aws:iam/policy:Policy";
export const ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
export const POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment";
export const ROLE_POLICY_ATTACHMENTS_EXCLUSIVE = "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive";
export const BUCKET = "aws:s3/bucket:Bucket";
export const BUCKET_V2 = "aws:s3/bucketV2:BucketV2";
export const BUCKET_SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
export const BUCKET_SSE_V2 = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2";
export const BUCKET_ACL = "aws:s3/bucketAcl:BucketAcl";
export const BUCKET_ACL_V2 = "aws:s3/bucketAclV2:BucketAclV2";
export const BUCKET_PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
export const QUEUE = "aws:sqs/queue:Queue";
export const TOPIC = "aws:sns/topic:Topic";
export const SECRET = "aws:secretsmanager/secret:Secret";

export const NATIVE_FUNCTION = "aws-native:lambda:Function";
export const NATIVE_URL = "aws-native:lambda:Url";
export const NATIVE_PERMISSION = "aws-native:lambda:Permission";
export const NATIVE_LAYER_PERMISSION = "aws-native:lambda:LayerVersionPermission";
export const NATIVE_CODE_SIGNING_CONFIG = "aws-native:lambda:CodeSigningConfig";
export const NATIVE_EVENT_SOURCE_MAPPING = "aws-native:lambda:EventSourceMapping";
export const NATIVE_EVENT_INVOKE_CONFIG = "aws-native:lambda:EventInvokeConfig";
export const NATIVE_ROLE = "aws-native:iam:Role";
export const NATIVE_ROLE_POLICY = "aws-native:iam:RolePolicy";
export const NATIVE_MANAGED_POLICY = "aws-native:iam:ManagedPolicy";
export const NATIVE_BUCKET = "aws-native:s3:Bucket";
export const NATIVE_QUEUE = "aws-native:sqs:Queue";
export const NATIVE_TOPIC = "aws-native:sns:Topic";
export const NATIVE_SECRET = "aws-native:secretsmanager:Secret";

const both = <V>(classic: string, native: string, adapter: Adapter<V>): Adapters<V> => ({ [classic]: adapter, [native]: adapter });

/** One element (or one key of each element) of a list property, read lazily: enumerating reads only the list's length. */
function listItems(props: Dict, list: string, key: string): Field[] {
    const items = props[list];
    const count = Array.isArray(items) ? items.length : 0;
    return Array.from({ length: count }, (_, i) => derived(`${list}[${i}]`, () => {
        const entry = (props[list] as unknown[])[i];
        return key ? (isRecord(entry) ? entry[key] : undefined) : entry;
    }));
}

// Lambda functions: the settings have the same names on both providers.
const FUNCTION_PATHS = {
    runtime: "runtime", packageType: "packageType", envVariables: "environment.variables", kmsKeyArn: "kmsKeyArn",
    tracingMode: "tracingConfig.mode", deadLetterTarget: "deadLetterConfig.targetArn",
    reservedConcurrency: "reservedConcurrentExecutions", timeout: "timeout", codeSigningConfigArn: "codeSigningConfigArn",
    subnetIds: "vpcConfig.subnetIds",
};
export const FUNCTIONS = both(FUNCTION, NATIVE_FUNCTION, renames(FUNCTION_PATHS));

/** The code a program hands over inline: an archive of text assets (classic `code`) or source text (aws-native `code.zipFile`). */
export const INLINE_CODE: Adapters<Record<"code", Field>> = {
    [FUNCTION]: renames({ code: "code" }),
    [LAYER_VERSION]: renames({ code: "code" }),
    [NATIVE_FUNCTION]: renames({ code: "code.zipFile" }),
};

export const FUNCTION_URLS: Adapters<Record<"authType" | "corsOrigins" | "corsCredentials", Field>> = {
    [FUNCTION_URL]: renames({ authType: "authorizationType", corsOrigins: "cors.allowOrigins", corsCredentials: "cors.allowCredentials" }),
    [NATIVE_URL]: renames({ authType: "authType", corsOrigins: "cors.allowOrigins", corsCredentials: "cors.allowCredentials" }),
};

export const PERMISSIONS = both(PERMISSION, NATIVE_PERMISSION, renames({
    principal: "principal", action: "action", sourceArn: "sourceArn", sourceAccount: "sourceAccount",
    principalOrgId: "principalOrgId", functionUrlAuthType: "functionUrlAuthType",
}));

export const LAYER_PERMISSIONS = both(LAYER_PERMISSION, NATIVE_LAYER_PERMISSION, renames({ principal: "principal", organizationId: "organizationId" }));

export const CODE_SIGNING_CONFIGS: Adapters<Record<"untrustedArtifactOnDeployment", Field>> = {
    [CODE_SIGNING_CONFIG]: renames({ untrustedArtifactOnDeployment: "policies.untrustedArtifactOnDeployment" }),
    [NATIVE_CODE_SIGNING_CONFIG]: renames({ untrustedArtifactOnDeployment: "codeSigningPolicies.untrustedArtifactOnDeployment" }),
};

const ESM_PATHS = {
    eventSourceArn: "eventSourceArn", selfManagedEventSource: "selfManagedEventSource", maximumRetryAttempts: "maximumRetryAttempts",
    startingPosition: "startingPosition", documentDbEventSourceConfig: "documentDbEventSourceConfig",
};
export const EVENT_SOURCE_MAPPINGS: Adapters<Record<keyof typeof ESM_PATHS | "onFailureDestination", Field>> = {
    [EVENT_SOURCE_MAPPING]: renames({ ...ESM_PATHS, onFailureDestination: "destinationConfig.onFailure.destinationArn" }),
    [NATIVE_EVENT_SOURCE_MAPPING]: renames({ ...ESM_PATHS, onFailureDestination: "destinationConfig.onFailure.destination" }),
};

export const EVENT_INVOKE_CONFIGS = both(EVENT_INVOKE_CONFIG, NATIVE_EVENT_INVOKE_CONFIG, renames({ onFailureDestination: "destinationConfig.onFailure.destination" }));

/** The permission documents of an IAM role or policy resource: objects on aws-native, JSON strings or objects on aws. */
export interface DocumentsView {
    documents(): Field[];
}
const singleDocument = (path: string): Adapter<DocumentsView> => ({ view: props => ({ documents: () => [field(props, path)] }) });
export const PERMISSION_DOCUMENTS: Adapters<DocumentsView> = {
    [ROLE]: { view: props => ({ documents: () => listItems(props, "inlinePolicies", "policy") }) },
    [ROLE_POLICY]: singleDocument("policy"),
    [POLICY]: singleDocument("policy"),
    [NATIVE_ROLE]: { view: props => ({ documents: () => listItems(props, "policies", "policyDocument") }) },
    [NATIVE_ROLE_POLICY]: singleDocument("policyDocument"),
    [NATIVE_MANAGED_POLICY]: singleDocument("policyDocument"),
};

/** Managed policies attached to a role. */
export interface AttachmentsView {
    policyArns(): Field[];
}
export const POLICY_ATTACHMENTS: Adapters<AttachmentsView> = {
    [ROLE]: { view: props => ({ policyArns: () => listItems(props, "managedPolicyArns", "") }) },
    [ROLE_POLICY_ATTACHMENT]: { view: props => ({ policyArns: () => [field(props, "policyArn")] }) },
    [POLICY_ATTACHMENT]: { view: props => ({ policyArns: () => [field(props, "policyArn")] }) },
    [ROLE_POLICY_ATTACHMENTS_EXCLUSIVE]: { view: props => ({ policyArns: () => listItems(props, "policyArns", "") }) },
    [NATIVE_ROLE]: { view: props => ({ policyArns: () => listItems(props, "managedPolicyArns", "") }) },
};

export const ROLE_TRUST: Adapters<Record<"trustPolicy", Field>> = {
    [ROLE]: renames({ trustPolicy: "assumeRolePolicy" }),
    [NATIVE_ROLE]: renames({ trustPolicy: "assumeRolePolicyDocument" }),
};

/** A bucket's default-encryption rules, each with its algorithm. */
export interface BucketEncryptionView {
    sseAlgorithms(): Field[];
}
const inlineSse: Adapter<BucketEncryptionView> = {
    view: props => ({
        sseAlgorithms: () => isRecord(props.serverSideEncryptionConfiguration)
            ? [derived("serverSideEncryptionConfiguration.rule", () => at3(props.serverSideEncryptionConfiguration, "rule", "applyServerSideEncryptionByDefault", "sseAlgorithm"))]
            : [],
    }),
};
const sseResource: Adapter<BucketEncryptionView> = {
    view: props => ({
        sseAlgorithms: () => asList(props.rules).map((rule, i) => derived(`rules[${i}]`, () => at2(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm"))),
    }),
};
export const BUCKET_ENCRYPTION: Adapters<BucketEncryptionView> = {
    [BUCKET]: inlineSse,
    [BUCKET_V2]: inlineSse,
    [BUCKET_SSE]: sseResource,
    [BUCKET_SSE_V2]: sseResource,
    [NATIVE_BUCKET]: {
        view: props => ({
            sseAlgorithms: () => asList(at2(props, "bucketEncryption", "serverSideEncryptionConfiguration")).map((rule, i) => derived(
                `bucketEncryption.serverSideEncryptionConfiguration[${i}]`,
                () => at2(rule, "serverSideEncryptionByDefault", "sseAlgorithm"))),
        }),
    },
};

const at2 = (value: unknown, a: string, b: string): unknown => at(value, a, b);
const at3 = (value: unknown, a: string, b: string, c: string): unknown => at(value, a, b, c);

export const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/** Whether a bucket is public: its canned ACL, its grants, and its public-access-block flags. */
export interface BucketPublicView {
    /** The canned ACL, normalized to the classic spelling (e.g. "public-read"). */
    acl: Field;
    grantUris(): Field[];
    /** The four block flags, when this resource sets them (empty: it doesn't). */
    blockFlags(): Field[];
}
const NATIVE_ACLS: Record<string, string> = { PublicRead: "public-read", PublicReadWrite: "public-read-write", AuthenticatedRead: "authenticated-read" };
const grantUris = (list: unknown, where: string) => asList(list).map((g, i) =>
    derived(`${where}[${i}]`, () => {
        const uri = isRecord(g) ? (g.uri ?? (isRecord(g.grantee) ? g.grantee.uri : undefined)) : undefined;
        return typeof uri === "string" ? uri : undefined;
    }));
const bucketWithAcl: Adapter<BucketPublicView> = {
    view: props => ({ acl: field(props, "acl"), grantUris: () => grantUris(props.grants, "grants"), blockFlags: () => [] }),
};
const aclResource: Adapter<BucketPublicView> = {
    view: props => ({
        acl: field(props, "acl"),
        grantUris: () => grantUris(at2(props, "accessControlPolicy", "grants"), "accessControlPolicy.grants"),
        blockFlags: () => [],
    }),
};
export const BUCKET_PUBLIC_ACCESS: Adapters<BucketPublicView> = {
    [BUCKET]: bucketWithAcl,
    [BUCKET_V2]: bucketWithAcl,
    [BUCKET_ACL]: aclResource,
    [BUCKET_ACL_V2]: aclResource,
    [BUCKET_PUBLIC_ACCESS_BLOCK]: {
        view: props => ({ acl: absent("acl"), grantUris: () => [], blockFlags: () => PUBLIC_ACCESS_FLAGS.map(flag => field(props, flag)) }),
    },
    [NATIVE_BUCKET]: {
        // Without publicAccessBlockConfiguration a new bucket gets all four flags on (the S3 default
        // since April 2023); a configuration that is given is checked flag by flag.
        view: props => ({
            acl: derived("accessControl", () => {
                const acl = props.accessControl;
                return typeof acl === "string" ? NATIVE_ACLS[acl] ?? acl : undefined;
            }),
            grantUris: () => [],
            blockFlags: () => isRecord(props.publicAccessBlockConfiguration)
                ? PUBLIC_ACCESS_FLAGS.map(flag => field(props, `publicAccessBlockConfiguration.${flag}`))
                : [],
        }),
    },
};

export const QUEUES = both(QUEUE, NATIVE_QUEUE, renames({ kmsMasterKeyId: "kmsMasterKeyId", sqsManagedSseEnabled: "sqsManagedSseEnabled" }));
export const TOPICS = both(TOPIC, NATIVE_TOPIC, renames({ kmsMasterKeyId: "kmsMasterKeyId" }));
export const SECRETS = both(SECRET, NATIVE_SECRET, renames({ kmsKeyId: "kmsKeyId" }));
