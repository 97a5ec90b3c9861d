// Storage, messaging, secret stores and logs that functions read, write and log to.
import type { cloudwatch, s3, secretsmanager, sns, sqs, ssm } from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { resourcePolicy } from "../lib/define";
import { detectSecret, isSecretLikeName } from "../lib/secrets";
import { asBoolean, asList, asNumber, asString, at, isRecord, isSet, isUnknownValue, quote } from "../lib/values";

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
export const PARAMETER = "aws:ssm/parameter:Parameter";
export const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

const PUBLIC_ACLS = new Set(["public-read", "public-read-write", "authenticated-read"]);
const PUBLIC_GRANTEES = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)/;
const KMS_ALGORITHMS = new Set(["aws:kms", "aws:kms:dsse"]);
const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/** The default-encryption rules of an inline bucket config (`rule`) or a separate resource (`rules`). */
function sseRules(props: Record<string, any>, inline: boolean): { where: string; rule: unknown }[] {
    if (inline) {
        const config = props.serverSideEncryptionConfiguration;
        return isRecord(config) ? [{ where: "serverSideEncryptionConfiguration.rule", rule: config.rule }] : [];
    }
    return asList(props.rules).map((rule, i) => ({ where: `rules[${i}]`, rule }));
}

/**
 * Whether a KMS key property names a customer-managed key. AWS-managed keys (alias/aws/...) give no
 * customer control. A key unknown during preview comes from a key created in the same program, so
 * it is customer-managed.
 */
function hasCustomerKey(props: Record<string, unknown>, key: string): boolean {
    if (isUnknownValue(props, key)) {
        return true;
    }
    const value = asString(props[key])?.trim();
    return !!value && !/^alias\/aws\//.test(value) && !/:alias\/aws\//.test(value);
}

const requireCmkConfig = {
    requireCustomerManagedKey: {
        type: "boolean" as const, default: false,
        description: "Also require a customer-managed KMS key (not the service's default encryption).",
    },
};

export const storagePolicies = [
    resourcePolicy({
        name: "aws-s3-bucket-sse-kms",
        description: "S3 buckets that functions use should encrypt by default with SSE-KMS, so object access also needs the key.",
        severity: "medium",
        threats: ["R4"],
        references: ["CIS AWS Foundations 2.1.1"],
        remediation: "Set the default encryption rule's sseAlgorithm to \"aws:kms\" with a customer-managed kmsMasterKeyId, and enable bucketKeyEnabled.",
        resourceTypes: [BUCKET, BUCKET_V2, BUCKET_SSE, BUCKET_SSE_V2],
        check: ({ type, props, report, part }) => {
            for (const { where, rule } of sseRules(props, type === BUCKET || type === BUCKET_V2)) {
                part(() => {
                    const algorithm = asString(at(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm"));
                    if (algorithm !== undefined && !KMS_ALGORITHMS.has(algorithm)) {
                        report(`${where} uses ${quote(algorithm)} instead of "aws:kms".`);
                    }
                });
            }
        },
    }),

    resourcePolicy({
        name: "aws-s3-bucket-public-access",
        description: "S3 buckets must not be public: no public canned ACL, no grants to all users, and all four public-access-block settings on.",
        severity: "critical",
        threats: ["R4"],
        references: ["CIS AWS Foundations 2.1.4"],
        remediation: "Remove public ACLs and grants, and set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true.",
        resourceTypes: [BUCKET, BUCKET_V2, BUCKET_ACL, BUCKET_ACL_V2, BUCKET_PUBLIC_ACCESS_BLOCK],
        check: ({ type, props, report, part }) => {
            if (type === BUCKET_PUBLIC_ACCESS_BLOCK) {
                for (const flag of PUBLIC_ACCESS_FLAGS) {
                    part(() => {
                        if (asBoolean(props[flag]) !== true) {
                            report(`${flag} is not true.`);
                        }
                    });
                }
                return;
            }
            part(() => {
                const acl = asString(props.acl);
                if (acl && PUBLIC_ACLS.has(acl)) {
                    report(`acl is ${quote(acl)}.`);
                }
            });
            part(() => {
                const grants = type === BUCKET || type === BUCKET_V2
                    ? asList(props.grants)
                    : asList(at(props, "accessControlPolicy", "grants"));
                grants.forEach((g, i) => {
                    const uri = asString(at(g, "uri")) ?? asString(at(g, "grantee", "uri")) ?? "";
                    if (PUBLIC_GRANTEES.test(uri)) {
                        report(`grant ${i} gives access to ${uri.includes("AllUsers") ? "all users" : "all authenticated AWS users"}.`);
                    }
                });
            });
        },
        remediate: (props, { type }) => {
            if (type !== BUCKET_PUBLIC_ACCESS_BLOCK) {
                return undefined;
            }
            const patch: Record<string, boolean> = {};
            for (const flag of PUBLIC_ACCESS_FLAGS) {
                if (asBoolean((props as Record<string, unknown>)[flag]) !== true) {
                    patch[flag] = true;
                }
            }
            return Object.keys(patch).length > 0 ? patch : undefined;
        },
    }),

    resourcePolicy<Unwrap<sqs.QueueArgs>, { requireCustomerManagedKey: boolean }>({
        name: "aws-sqs-queue-encryption",
        description: "SQS queues that carry function events must be encrypted at rest.",
        severity: "medium",
        threats: ["R4"],
        remediation: "Set kmsMasterKeyId to a customer-managed KMS key (or keep sqsManagedSseEnabled when a managed key is acceptable).",
        resourceTypes: [QUEUE],
        config: requireCmkConfig,
        check: ({ props, report, config }) => {
            if (config.requireCustomerManagedKey) {
                if (!hasCustomerKey(props, "kmsMasterKeyId")) {
                    report("kmsMasterKeyId is not a customer-managed KMS key.");
                }
            } else if (!isSet(props, "kmsMasterKeyId") && asBoolean(props.sqsManagedSseEnabled) === false) {
                report("sqsManagedSseEnabled is false and no kmsMasterKeyId is set: messages are stored unencrypted.");
            }
        },
    }),

    resourcePolicy<Unwrap<sns.TopicArgs>, { requireCustomerManagedKey: boolean }>({
        name: "aws-sns-topic-encryption",
        description: "SNS topics that carry function events must be encrypted at rest.",
        severity: "medium",
        threats: ["R4"],
        remediation: "Set kmsMasterKeyId to a customer-managed KMS key (alias/aws/sns when a managed key is acceptable).",
        resourceTypes: [TOPIC],
        config: requireCmkConfig,
        check: ({ props, report, config }) => {
            if (!isSet(props, "kmsMasterKeyId")) {
                report("kmsMasterKeyId is not set: messages are stored unencrypted.");
            } else if (config.requireCustomerManagedKey && !hasCustomerKey(props, "kmsMasterKeyId")) {
                report("kmsMasterKeyId is an AWS-managed key, not a customer-managed one.");
            }
        },
    }),

    resourcePolicy<Unwrap<secretsmanager.SecretArgs>>({
        name: "aws-secretsmanager-secret-cmk",
        description: "Secrets Manager secrets should be encrypted with a customer-managed KMS key so that reading them needs a key grant you control.",
        severity: "medium",
        threats: ["P5", "R4"],
        remediation: "Set kmsKeyId to a customer-managed KMS key and grant kms:Decrypt only to the roles that read the secret.",
        resourceTypes: [SECRET],
        check: ({ props, report }) => {
            if (!hasCustomerKey(props, "kmsKeyId")) {
                report("kmsKeyId is not a customer-managed KMS key (the default aws/secretsmanager key is used).");
            }
        },
    }),

    resourcePolicy<Unwrap<ssm.ParameterArgs>>({
        name: "aws-ssm-parameter-secure-string",
        description: "SSM parameters holding secrets must be SecureString, not plain String.",
        severity: "high",
        threats: ["P5", "R4"],
        remediation: "Set type to \"SecureString\" (with a customer-managed keyId).",
        resourceTypes: [PARAMETER],
        check: ({ props, report, name }) => {
            const type = asString(props.type);
            if (type === undefined || type === "SecureString") {
                return;
            }
            const paramName = asString(props.name) ?? name;
            const lastSegment = paramName.split("/").filter(Boolean).pop() ?? paramName;
            const finding = detectSecret(lastSegment, props.value);
            if (isSecretLikeName(lastSegment) || finding) {
                report(`parameter ${quote(paramName)} is a ${type} but ${finding ? `holds a secret (${finding.kind})` : "its name says it holds a secret"}.`);
            }
        },
    }),

    resourcePolicy<Unwrap<cloudwatch.LogGroupArgs>, { allLogGroups: boolean; maxRetentionDays: number }>({
        name: "aws-cloudwatch-log-group-retention",
        description: "Function log groups should have a retention period: logs kept forever accumulate personal data and cost.",
        severity: "low",
        threats: ["P7", "R4"],
        remediation: "Set retentionInDays (e.g. 30 to 365, per your retention policy).",
        resourceTypes: [LOG_GROUP],
        config: {
            allLogGroups: { type: "boolean", default: false, description: "Check every log group, not only /aws/lambda/ ones." },
            maxRetentionDays: { type: "integer", minimum: 1, default: 3653, description: "Longest retention allowed, in days." },
        },
        check: ({ props, report, config, notApplicable }) => {
            const logName = asString(props.name) ?? asString(props.namePrefix);
            if (!config.allLogGroups && !(logName ?? "").startsWith("/aws/lambda/")) {
                notApplicable("not a Lambda function log group");
            }
            const days = asNumber(props.retentionInDays);
            if (days === undefined || days === 0) {
                report("retentionInDays is not set: logs never expire.");
            } else if (days > config.maxRetentionDays) {
                report(`retentionInDays is ${days}, above the maximum of ${config.maxRetentionDays}.`);
            }
        },
    }),
];
