// Storage, messaging, secret stores and logs that functions read, write and log to, on the classic
// provider and (buckets, queues, topics, secrets) on AWS Cloud Control (aws-native).
import type { cloudwatch, ssm } from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { resourcePolicy } from "../lib/define";
import { Field, mergePatches, viewPolicy, ViewOf } from "../lib/view";
import { detectSecret, isSecretLikeName } from "../lib/secrets";
import { asBoolean, asNumber, asString, quote, wordList } from "../lib/values";
import { inEffect } from "../lib/platform";
import { SNS_DEFAULT_DISK_ENCRYPTION, SQS_DEFAULT_SSE } from "../data/platform";
import { BUCKET_ENCRYPTION, BUCKET_PUBLIC_ACCESS, QUEUES, SECRETS, TOPICS } from "./views";

export {
    BUCKET, BUCKET_V2, BUCKET_SSE, BUCKET_SSE_V2, BUCKET_ACL, BUCKET_ACL_V2, BUCKET_PUBLIC_ACCESS_BLOCK, QUEUE, TOPIC, SECRET,
} from "./views";
export const PARAMETER = "aws:ssm/parameter:Parameter";
export const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

const PUBLIC_ACLS = new Set(["public-read", "public-read-write", "authenticated-read"]);
const PUBLIC_GRANTEES = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)/;
const KMS_ALGORITHMS = new Set(["aws:kms", "aws:kms:dsse"]);

/**
 * Whether a KMS key property names a customer-managed key. AWS-managed keys (alias/aws/...) give no
 * customer control. A key unknown during preview comes from a key created in the same program, so
 * it is customer-managed.
 */
function hasCustomerKey(key: Field): boolean {
    if (key.isUnknown()) {
        return true;
    }
    const value = asString(key.read())?.trim();
    return !!value && !/^alias\/aws\//.test(value) && !/:alias\/aws\//.test(value);
}

const requireCmkConfig = {
    requireCustomerManagedKey: {
        type: "boolean" as const, default: false,
        description: "Also require a customer-managed KMS key (not the service's default encryption).",
    },
};

export const storagePolicies = [
    viewPolicy({
        name: "aws-s3-bucket-sse-kms",
        description: "S3 buckets that functions use should encrypt by default with SSE-KMS, so object access also needs the key.",
        severity: "medium",
        threats: ["R4"],
        references: ["CIS AWS Foundations 2.1.1"],
        remediation: "Set the default encryption rule's sseAlgorithm to \"aws:kms\" with a customer-managed kmsMasterKeyId, and enable bucketKeyEnabled.",
        adapters: BUCKET_ENCRYPTION,
        check: ({ view, report, part }) => {
            for (const rule of view.sseAlgorithms()) {
                part(() => {
                    const algorithm = asString(rule.read());
                    if (algorithm !== undefined && !KMS_ALGORITHMS.has(algorithm)) {
                        report(`${rule.where} uses ${quote(algorithm)} instead of "aws:kms".`);
                    }
                });
            }
        },
    }),

    viewPolicy({
        name: "aws-s3-bucket-public-access",
        description: "S3 buckets must not be public: no public canned ACL, no grants to all users, and all four public-access-block settings on.",
        severity: "critical",
        threats: ["R4"],
        references: ["CIS AWS Foundations 2.1.4"],
        remediation: "Remove public ACLs and grants, and set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true.",
        adapters: BUCKET_PUBLIC_ACCESS,
        check: ({ view, report, part }) => {
            // One line lists every setting at fault; each is read in its own part, so an unknown one hides nothing else.
            const faults: string[] = [];
            const off: string[] = [];
            for (const flag of view.blockFlags()) {
                part(() => {
                    if (asBoolean(flag.read()) !== true) {
                        off.push(flag.where);
                    }
                });
            }
            if (off.length > 0) {
                faults.push(`${wordList(off)} ${off.length > 1 ? "are" : "is"} not true`);
            }
            part(() => {
                const acl = asString(view.acl.read());
                if (acl && PUBLIC_ACLS.has(acl)) {
                    faults.push(`${view.acl.where} is ${quote(acl)}`);
                }
            });
            part(() => {
                view.grantUris().forEach((grant, i) => {
                    const uri = asString(grant.read()) ?? "";
                    if (PUBLIC_GRANTEES.test(uri)) {
                        faults.push(`grant ${i} gives access to ${uri.includes("AllUsers") ? "all users" : "all authenticated AWS users"}`);
                    }
                });
            });
            if (faults.length > 0) {
                report(`${faults.join("; ")}.`);
            }
        },
        remediate: view => mergePatches(...view.blockFlags().map(flag => asBoolean(flag.read()) === true ? undefined : flag.patch(true))),
    }),

    viewPolicy<ViewOf<typeof QUEUES>, { requireCustomerManagedKey: boolean }>({
        name: "aws-sqs-queue-encryption",
        description: "SQS queues that carry function events must be encrypted at rest.",
        severity: "medium",
        threats: ["R4"],
        remediation: "Set kmsMasterKeyId to a customer-managed KMS key (or keep sqsManagedSseEnabled when a managed key is acceptable).",
        adapters: QUEUES,
        config: requireCmkConfig,
        check: ({ view: { kmsMasterKeyId, sqsManagedSseEnabled }, report, config }) => {
            if (config.requireCustomerManagedKey) {
                if (!hasCustomerKey(kmsMasterKeyId)) {
                    report(`${kmsMasterKeyId.where} is not a customer-managed KMS key.`);
                }
            } else if (!kmsMasterKeyId.isSet()) {
                const sse = asBoolean(sqsManagedSseEnabled.read());
                if (sse === false) {
                    report(`${sqsManagedSseEnabled.where} is false and no ${kmsMasterKeyId.where} is set: messages are stored unencrypted.`);
                } else if (sse === undefined && !inEffect(SQS_DEFAULT_SSE)) {
                    report(`neither ${kmsMasterKeyId.where} nor ${sqsManagedSseEnabled.where} is set: messages are stored unencrypted.`);
                }
            }
        },
    }),

    viewPolicy<ViewOf<typeof TOPICS>, { requireCustomerManagedKey: boolean }>({
        name: "aws-sns-topic-encryption",
        description: "SNS topics that carry function events must be encrypted at rest with a customer-managed KMS key where the organization requires one (SNS already stores messages with disk encryption by default).",
        severity: "medium",
        threats: ["R4"],
        remediation: "Set kmsMasterKeyId to a customer-managed KMS key that the publishers and the SNS service may use.",
        adapters: TOPICS,
        config: requireCmkConfig,
        check: ({ view: { kmsMasterKeyId }, report, config, notApplicable }) => {
            const keyed = kmsMasterKeyId.isSet();
            if (config.requireCustomerManagedKey) {
                if (!keyed) {
                    report(`${kmsMasterKeyId.where} is not set: messages are stored with SNS's default disk encryption, not under a customer-managed KMS key.`);
                } else if (!hasCustomerKey(kmsMasterKeyId)) {
                    report(`${kmsMasterKeyId.where} is an AWS-managed key, not a customer-managed one.`);
                }
            } else if (!keyed && inEffect(SNS_DEFAULT_DISK_ENCRYPTION)) {
                notApplicable(`${SNS_DEFAULT_DISK_ENCRYPTION.fact}; set requireCustomerManagedKey to true to require a customer-managed KMS key`);
            } else if (!keyed) {
                report(`${kmsMasterKeyId.where} is not set: messages are stored unencrypted.`);
            }
        },
    }),

    viewPolicy({
        name: "aws-secretsmanager-secret-cmk",
        description: "Secrets Manager secrets should be encrypted with a customer-managed KMS key so that reading them needs a key grant you control.",
        severity: "medium",
        threats: ["P5", "R4"],
        remediation: "Set kmsKeyId to a customer-managed KMS key and grant kms:Decrypt only to the roles that read the secret.",
        adapters: SECRETS,
        check: ({ view: { kmsKeyId }, report }) => {
            if (!hasCustomerKey(kmsKeyId)) {
                report(`${kmsKeyId.where} is not a customer-managed KMS key (the default aws/secretsmanager key is used).`);
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
