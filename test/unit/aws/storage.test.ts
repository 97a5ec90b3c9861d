import { check, messages, remediate } from "../../support/harness";
import * as assert from "assert";
import { expectNotApplicable, expectPass, expectViolation, mutate } from "../../support/expect";
import * as fx from "../../fixtures/aws";
import * as nativeFx from "../../fixtures/aws-native";
import { inEffect } from "../../../policies/lib/platform";
import { SNS_DEFAULT_DISK_ENCRYPTION, SQS_DEFAULT_SSE } from "../../../policies/data/platform";
import { secret } from "../../../runner/wire";

describe("aws storage, messaging, secrets and logs", () => {
    describe("aws-s3-bucket-sse-kms", () => {
        const name = "aws-s3-bucket-sse-kms";
        it("passes an aws:kms default rule", () => expectPass(check(name, fx.bucketSse)));
        it("flags AES256 in a separate configuration", () => {
            expectViolation(check(name, mutate(fx.bucketSse, f => { f.props.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm = "AES256"; })), /rules\[0\] uses `AES256`/);
        });
        it("flags AES256 inline on a bucket", () => {
            const b = mutate(fx.bucket, f => { f.type = "aws:s3/bucket:Bucket"; f.props.serverSideEncryptionConfiguration = { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } }; });
            expectViolation(check(name, b), /serverSideEncryptionConfiguration\.rule uses/);
        });
    });

    describe("aws-s3-bucket-public-access", () => {
        const name = "aws-s3-bucket-public-access";
        it("passes private buckets, ACLs and a full public-access block", () => {
            expectPass(check(name, fx.bucket));
            expectPass(check(name, fx.bucketAcl));
            expectPass(check(name, fx.publicAccessBlock));
        });
        it("flags public canned ACLs and AllUsers grants", () => {
            expectViolation(check(name, mutate(fx.bucket, f => { f.props.acl = "public-read-write"; })), /public-read-write/);
            expectViolation(check(name, mutate(fx.bucketAcl, f => {
                delete f.props.acl;
                f.props.accessControlPolicy = { grants: [{ grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" }, permission: "READ" }], owner: { id: "x" } };
            })), /all users/);
        });
        it("flags each public-access-block flag that is off, all in one line", () => {
            expectViolation(check(name, mutate(fx.publicAccessBlock, f => { f.props.restrictPublicBuckets = false; })), /restrictPublicBuckets is not true/);
            expectViolation(check(name, mutate(fx.publicAccessBlock, f => { delete f.props.blockPublicPolicy; })), /blockPublicPolicy is not true/);
            const none = check(name, mutate(fx.publicAccessBlock, f => {
                delete f.props.blockPublicAcls; delete f.props.blockPublicPolicy; delete f.props.ignorePublicAcls; delete f.props.restrictPublicBuckets;
            }));
            assert.deepStrictEqual(messages(none), ["blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets are not true."]);
        });
        it("remediates the public-access block to all four flags on", () => {
            const fixed = remediate(name, mutate(fx.publicAccessBlock, f => { f.props.blockPublicAcls = false; delete f.props.ignorePublicAcls; }));
            assert.deepStrictEqual(
                [fixed?.blockPublicAcls, fixed?.blockPublicPolicy, fixed?.ignorePublicAcls, fixed?.restrictPublicBuckets],
                [true, true, true, true]);
            assert.strictEqual(remediate(name, fx.publicAccessBlock), undefined);
        });
    });

    describe("aws-sqs-queue-encryption", () => {
        const name = "aws-sqs-queue-encryption";
        it("passes a KMS-encrypted queue and a default (SSE-SQS) one", () => {
            expectPass(check(name, fx.queue));
            expectPass(check(name, mutate(fx.queue, f => { delete f.props.kmsMasterKeyId; })));
        });
        it("leaves a queue without settings to the platform default, SSE-SQS since 2022-10-18", () => {
            assert.ok(inEffect(SQS_DEFAULT_SSE, new Date("2026-12-06T00:00:00Z")));
            assert.ok(!inEffect(SQS_DEFAULT_SSE, new Date("2022-10-01T00:00:00Z")));
            expectPass(check(name, mutate(fx.queue, f => { delete f.props.kmsMasterKeyId; delete f.props.sqsManagedSseEnabled; })));
        });
        it("flags SSE switched off", () => expectViolation(check(name, mutate(fx.queue, f => { delete f.props.kmsMasterKeyId; f.props.sqsManagedSseEnabled = false; })), /unencrypted/));
        it("requires a customer key when configured", () => {
            expectViolation(check(name, mutate(fx.queue, f => { f.props.kmsMasterKeyId = "alias/aws/sqs"; }), { config: { requireCustomerManagedKey: true } }), /customer-managed/);
        });
    });

    describe("aws-sns-topic-encryption", () => {
        const name = "aws-sns-topic-encryption";
        it("passes a KMS-encrypted topic", () => expectPass(check(name, fx.topic)));
        it("doesn't call a topic without a key unencrypted: SNS encrypts stored messages on disk by default", () => {
            // pulumi/examples aws-ts-slackbot: `new aws.sns.Topic("messages")`, no key.
            const slackbot = mutate(fx.topic, f => { f.name = "messages"; f.props = {}; });
            expectNotApplicable(check(name, slackbot), /SNS stores messages with disk encryption by default; set requireCustomerManagedKey/);
            expectNotApplicable(check(name, mutate(nativeFx.topic, f => { f.props = {}; })));
            assert.ok(inEffect(SNS_DEFAULT_DISK_ENCRYPTION, new Date("2026-12-06T00:00:00Z")));
        });
        it("requires a customer-managed key only when configured", () => {
            const cmk = { config: { requireCustomerManagedKey: true } };
            expectViolation(check(name, mutate(fx.topic, f => { delete f.props.kmsMasterKeyId; }), cmk), /kmsMasterKeyId is not set: messages are stored with SNS's default disk encryption, not under a customer-managed KMS key/);
            expectViolation(check(name, mutate(fx.topic, f => { f.props.kmsMasterKeyId = "alias/aws/sns"; }), cmk), /AWS-managed/);
            expectPass(check(name, fx.topic, cmk));
        });
    });

    describe("aws-secretsmanager-secret-cmk", () => {
        it("passes a customer key and flags the default key", () => {
            expectPass(check("aws-secretsmanager-secret-cmk", fx.secret));
            expectViolation(check("aws-secretsmanager-secret-cmk", mutate(fx.secret, f => { delete f.props.kmsKeyId; })), /aws\/secretsmanager/);
            expectViolation(check("aws-secretsmanager-secret-cmk", mutate(fx.secret, f => { f.props.kmsKeyId = "alias/aws/secretsmanager"; })), /customer-managed/);
        });
    });

    describe("aws-ssm-parameter-secure-string", () => {
        const name = "aws-ssm-parameter-secure-string";
        it("passes a SecureString and plain configuration values", () => {
            expectPass(check(name, fx.parameter));
            expectPass(check(name, mutate(fx.parameter, f => { f.props.name = "/api/log-level"; f.props.type = "String"; f.props.value = "info"; })));
        });
        it("flags a secret-named String parameter without quoting the value", () => {
            const out = check(name, mutate(fx.parameter, f => { f.props.type = "String"; f.props.value = secret("s3cr3t-value-here"); }));
            expectViolation(out, /`\/api\/token` is a String/);
            assert.ok(!JSON.stringify(out).includes("s3cr3t-value-here"));
        });
        it("flags a String parameter holding a recognisable token", () => {
            expectViolation(check(name, mutate(fx.parameter, f => { f.props.name = "/ci/config"; f.props.type = "String"; f.props.value = "xoxb-1234567890-abcdefghij"; })), /Slack token/);
        });
    });

    describe("aws-cloudwatch-log-group-retention", () => {
        const name = "aws-cloudwatch-log-group-retention";
        it("passes a retained function log group", () => expectPass(check(name, fx.logGroup)));
        it("flags a function log group kept forever", () => {
            expectViolation(check(name, mutate(fx.logGroup, f => { delete f.props.retentionInDays; })), /never expire/);
            expectViolation(check(name, mutate(fx.logGroup, f => { f.props.retentionInDays = 0; })), /never expire/);
        });
        it("flags retention above the configured maximum", () => {
            expectViolation(check(name, fx.logGroup, { config: { maxRetentionDays: 30 } }), /90, above the maximum of 30/);
        });
        it("leaves other log groups alone unless configured", () => {
            const other = mutate(fx.logGroup, f => { f.props.name = "/app/audit"; delete f.props.retentionInDays; });
            expectNotApplicable(check(name, other));
            expectViolation(check(name, other, { config: { allLogGroups: true } }), /never expire/);
        });
    });
});
