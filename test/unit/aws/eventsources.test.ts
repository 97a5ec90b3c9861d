import * as assert from "assert";
import { check, messages } from "../../support/harness";
import { expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import { anyoneMayWrite, serviceMayWriteForAnyone, streamUnencrypted } from "../../../policies/aws/eventsources";
import { SOURCE_POLICIES, STREAM_ENCRYPTION } from "../../../policies/aws/eventsource-views";

const doc = (...statements: object[]) => ({ Version: "2012-10-17", Statement: statements });
const QUEUE_ARN = "arn:aws:sqs:eu-west-1:111122223333:orders";
const TOPIC_ARN = "arn:aws:sns:eu-west-1:111122223333:orders";

// An SQS queue policy letting one SNS topic of the account deliver: the closed baseline.
const queuePolicy = {
    type: "aws:sqs/queuePolicy:QueuePolicy",
    name: "orders-queue-policy",
    props: {
        queueUrl: "https://sqs.eu-west-1.amazonaws.com/111122223333/orders",
        policy: JSON.stringify(doc({
            Sid: "FromOrdersTopic", Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: QUEUE_ARN,
            Condition: { ArnEquals: { "aws:SourceArn": TOPIC_ARN } },
        })),
    },
};
const topicPolicy = {
    type: "aws:sns/topicPolicy:TopicPolicy",
    name: "orders-topic-policy",
    props: { arn: TOPIC_ARN, policy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: ["SNS:Publish"], Resource: TOPIC_ARN }) },
};
const eventPermission = {
    type: "aws:cloudwatch/eventPermission:EventPermission",
    name: "partner-put",
    props: { principal: "444455556666", statementId: "Partner", action: "events:PutEvents" },
};
const stream = { type: "aws:kinesis/stream:Stream", name: "clicks", props: { encryptionType: "KMS", kmsKeyId: "alias/aws/kinesis", shardCount: 1 } };

const PUBLIC = "aws-event-source-public-write";
const SERVICE = "aws-event-source-service-unscoped";
const STREAM = "aws-kinesis-stream-encryption";

const setDoc = (base: typeof queuePolicy, ...statements: object[]) => mutate(base, f => { f.props.policy = JSON.stringify(doc(...statements)); });

describe("aws event sources", () => {
    describe(PUBLIC, () => {
        it("passes a queue policy for one topic, a topic policy for the account and a partner account's bus permission", () => {
            expectPass(check(PUBLIC, queuePolicy));
            expectPass(check(PUBLIC, topicPolicy));
            expectPass(check(PUBLIC, eventPermission));
        });
        it("flags a queue anyone may send to, with the statement and action, as mandatory", () => {
            const open = setDoc(queuePolicy, { Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "sqs:*", Resource: QUEUE_ARN });
            expectViolation(check(PUBLIC, open), /policy statement 0 \(Anyone\) lets anyone \(Principal "\*"\) call `sqs:SendMessage` with no condition: anyone can write events into this SQS queue/, "mandatory");
        });
        it("reads NotAction, case-insensitive actions, AWS \"*\", NotPrincipal and object documents alike", () => {
            expectViolation(check(PUBLIC, setDoc(queuePolicy, { Effect: "Allow", Principal: { AWS: ["*"] }, NotAction: "sqs:DeleteQueue", Resource: "*" })), /sqs:SendMessage/);
            expectViolation(check(PUBLIC, mutate(topicPolicy, f => { f.props.policy.Statement[0].Principal = { AWS: "*" }; })), /call `sns:Publish`/);
            expectViolation(check(PUBLIC, mutate(topicPolicy, f => { delete f.props.policy.Statement[0].Principal; f.props.policy.Statement[0].NotPrincipal = { AWS: "arn:aws:iam::111122223333:root" }; })), /SNS topic/);
            expectViolation(check(PUBLIC, setDoc(queuePolicy, { Effect: "Allow", Principal: "*", Action: "SQS:sendmessage", Resource: "*" })), /sqs:SendMessage/);
        });
        it("counts a condition on the caller's source, account, organization or network as closing it, and not a TLS-only condition", () => {
            for (const key of ["aws:SourceArn", "aws:SourceAccount", "aws:SourceOwner", "aws:PrincipalOrgID", "aws:PrincipalAccount", "aws:SourceVpce"]) {
                expectPass(check(PUBLIC, setDoc(queuePolicy, { Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*", Condition: { StringEquals: { [key]: "x" } } })));
            }
            const tls = setDoc(queuePolicy, { Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } });
            expectViolation(check(PUBLIC, tls), /with conditions \(`Bool aws:securetransport`\) that don't narrow the caller/);
        });
        it("counts a condition as closing only when its value narrows: wildcards, Null, negated operators, ForAllValues and IfExists leave it open", () => {
            const conditioned = (Condition: object) => setDoc(queuePolicy, { Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*", Condition });
            const open: [object, RegExp][] = [
                [{ StringLike: { "aws:SourceAccount": "*" } }, /`StringLike aws:sourceaccount`/],
                [{ StringLike: { "aws:PrincipalOrgID": "*" } }, /`StringLike aws:principalorgid`/],
                [{ ArnLike: { "aws:SourceArn": "arn:aws:*:*:*:*" } }, /`ArnLike aws:sourcearn`/],
                [{ ArnLike: { "aws:SourceArn": "arn:aws:sns:eu-west-1:*:orders" } }, /`ArnLike aws:sourcearn`/],
                [{ Null: { "aws:SourceArn": "false" } }, /`Null aws:sourcearn`/],
                [{ StringNotEquals: { "aws:SourceAccount": "111122223333" } }, /`StringNotEquals aws:sourceaccount`/],
                [{ "ForAllValues:StringEquals": { "aws:SourceAccount": "111122223333" } }, /`ForAllValues:StringEquals aws:sourceaccount`/],
                [{ StringEqualsIfExists: { "aws:SourceAccount": "111122223333" } }, /`StringEqualsIfExists aws:sourceaccount`/],
                [{ stringequals: { "aws:SourceAccount": "111122223333" } }, /`stringequals aws:sourceaccount`/],
            ];
            for (const [condition, message] of open) {
                expectViolation(check(PUBLIC, conditioned(condition)), message, "mandatory");
            }
            expectPass(check(PUBLIC, conditioned({ ArnLike: { "AWS:SOURCEARN": TOPIC_ARN } })));
            expectPass(check(PUBLIC, conditioned({ ArnLike: { "aws:SourceArn": "arn:aws:sns:*:111122223333:*" } })));
            expectPass(check(PUBLIC, conditioned({ "ForAnyValue:StringEquals": { "aws:PrincipalOrgID": "o-abc123" } })));
        });
        it("waits for a condition value computed during preview, and closes on it in the stack model (an ARN or account output)", () => {
            const computed = {
                type: "aws-native:sqs:QueueInlinePolicy", name: "q", props: {
                    queue: "q", policyDocument: doc({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*", Condition: { ArnEquals: { "aws:SourceArn": UNKNOWN } } }),
                },
            };
            expectUnknown(check(PUBLIC, computed));
            const type = "aws-native:sqs:QueueInlinePolicy";
            assert.strictEqual(anyoneMayWrite(SOURCE_POLICIES[type].view(computed.props, type)), false);
        });
        it("counts a Deny for everyone outside the organization as closing an open Allow", () => {
            const perimeter = setDoc(queuePolicy,
                { Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*" },
                { Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: "*", Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-abc123" } } });
            expectPass(check(PUBLIC, perimeter));
        });
        it("doesn't count a Deny that outsiders escape (a positive operator, a wildcard, or another condition it also needs)", () => {
            const denied = (Condition: object) => setDoc(queuePolicy,
                { Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*" },
                { Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: "*", Condition });
            expectViolation(check(PUBLIC, denied({ StringEquals: { "aws:PrincipalOrgID": "o-abc123" } })), /statement 0 lets anyone/);
            expectViolation(check(PUBLIC, denied({ StringNotLike: { "aws:PrincipalOrgID": "*" } })), /statement 0 lets anyone/);
            expectViolation(check(PUBLIC, denied({ StringNotEquals: { "aws:PrincipalOrgID": "o-abc123" }, Bool: { "aws:SecureTransport": "false" } })), /statement 0 lets anyone/);
        });
        it("ignores actions that don't write events (a public read is another root cause)", () => {
            expectPass(check(PUBLIC, setDoc(queuePolicy, { Effect: "Allow", Principal: "*", Action: "sqs:GetQueueAttributes", Resource: "*" })));
        });
        it("flags an EventBridge permission for every account, and passes it with an organization condition", () => {
            const everyone = mutate(eventPermission, f => { f.props.principal = "*"; });
            expectViolation(check(PUBLIC, everyone), /principal statement 0 lets anyone \(Principal "\*"\) call `events:PutEvents` with no condition: anyone can write events into this EventBridge event bus/);
            expectPass(check(PUBLIC, mutate(everyone, f => { f.props.condition = { key: "aws:PrincipalOrgID", type: "StringEquals", value: "o-abc123" }; })));
        });
        it("flags the bus, stream, table and bucket policies of both providers", () => {
            const open = (action: string) => doc({ Effect: "Allow", Principal: "*", Action: action, Resource: "*" });
            const cases: [string, Record<string, unknown>, RegExp][] = [
                ["aws:cloudwatch/eventBusPolicy:EventBusPolicy", { policy: JSON.stringify(open("events:PutEvents")) }, /^policy .*EventBridge event bus/m],
                ["aws:kinesis/resourcePolicy:ResourcePolicy", { resourceArn: "arn:aws:kinesis:eu-west-1:111122223333:stream/clicks", policy: JSON.stringify(open("kinesis:Put*")) }, /`kinesis:PutRecord` and `kinesis:PutRecords`.*Kinesis stream/],
                ["aws:dynamodb/resourcePolicy:ResourcePolicy", { resourceArn: "arn:aws:dynamodb:eu-west-1:111122223333:table/orders", policy: JSON.stringify(open("dynamodb:PutItem")) }, /DynamoDB table/],
                ["aws:s3/bucketPolicy:BucketPolicy", { bucket: "uploads", policy: JSON.stringify(open("s3:PutObject")) }, /`s3:PutObject`.*S3 bucket/],
                ["aws:sns/topic:Topic", { policy: JSON.stringify(open("sns:Publish")) }, /SNS topic/],
                ["aws-native:sns:TopicPolicy", { topics: [TOPIC_ARN], policyDocument: open("sns:Publish") }, /^policyDocument .*SNS topic/m],
                ["aws-native:sns:TopicInlinePolicy", { topicArn: TOPIC_ARN, policyDocument: open("sns:Publish") }, /SNS topic/],
                ["aws-native:sqs:QueueInlinePolicy", { queue: "q", policyDocument: open("sqs:SendMessage") }, /SQS queue/],
                ["aws-native:events:EventBus", { name: "bus", policy: open("events:PutEvents") }, /EventBridge event bus/],
                ["aws-native:events:EventBusPolicy", { statementId: "s", statement: { Effect: "Allow", Principal: "*", Action: "events:PutEvents", Resource: "*" } }, /^statement statement 0/m],
                ["aws-native:events:EventBusPolicy", { statementId: "s", principal: "*", action: "events:PutEvents" }, /^principal statement 0/m],
                ["aws-native:kinesis:ResourcePolicy", { resourceArn: "arn", resourcePolicy: open("kinesis:PutRecords") }, /^resourcePolicy .*`kinesis:PutRecords`/m],
                ["aws-native:dynamodb:Table", { keySchema: [], resourcePolicy: { policyDocument: open("dynamodb:*") } }, /^resourcePolicy\.policyDocument .*`dynamodb:PutItem`/m],
                ["aws-native:s3:BucketPolicy", { bucket: "uploads", policyDocument: open("s3:*") }, /S3 bucket/],
            ];
            for (const [type, props, message] of cases) {
                expectViolation(check(PUBLIC, { type, name: "src", props }), message);
            }
        });
        it("passes sources without a policy", () => {
            expectPass(check(PUBLIC, { type: "aws:sqs/queue:Queue", name: "q", props: {} }));
            expectPass(check(PUBLIC, { type: "aws-native:dynamodb:Table", name: "t", props: { keySchema: [] } }));
        });
        it("waits for a document computed during preview instead of passing it", () => {
            expectUnknown(check(PUBLIC, mutate(queuePolicy, f => { f.props.policy = UNKNOWN; })));
            expectUnknown(check(PUBLIC, mutate(eventPermission, f => { f.props.principal = UNKNOWN; })));
        });
        it("exports the predicate over the view, for the stack policies", () => {
            const view = (type: string, props: Record<string, unknown>) => SOURCE_POLICIES[type].view(props, type);
            assert.strictEqual(anyoneMayWrite(view("aws:sqs/queuePolicy:QueuePolicy", { policy: JSON.stringify(doc({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage" })) })), true);
            assert.strictEqual(anyoneMayWrite(view("aws:sqs/queuePolicy:QueuePolicy", queuePolicy.props)), false);
            assert.strictEqual(anyoneMayWrite(view("aws:sqs/queuePolicy:QueuePolicy", { policy: UNKNOWN })), false);
        });
    });

    describe(SERVICE, () => {
        it("passes a service that names its source, and non-service principals", () => {
            expectPass(check(SERVICE, queuePolicy));
            expectPass(check(SERVICE, topicPolicy));
        });
        it("flags a service principal without a source condition, as advisory", () => {
            const deputy = setDoc(queuePolicy, { Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: QUEUE_ARN });
            expectViolation(check(SERVICE, deputy), /policy statement 0 lets `events\.amazonaws\.com` write with no aws:SourceArn or aws:SourceAccount condition that names one resource or account: resources of that service in other accounts can send events into this SQS queue/, "advisory");
            expectPass(check(PUBLIC, deputy));
        });
        it("flags S3 named by aws:SourceArn alone: bucket ARNs carry no account", () => {
            const s3 = setDoc(queuePolicy, { Effect: "Allow", Principal: { Service: "s3.amazonaws.com" }, Action: "sqs:SendMessage", Resource: QUEUE_ARN, Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::uploads" } } });
            expectViolation(check(SERVICE, s3), /with aws:SourceArn but no aws:SourceAccount/);
            expectPass(check(SERVICE, mutate(s3, f => {
                const d = JSON.parse(f.props.policy); d.Statement[0].Condition.StringEquals = { "aws:SourceAccount": "111122223333" }; f.props.policy = JSON.stringify(d);
            })));
        });
        it("counts IfExists on the source keys (a service always sends them) but not a wildcard source", () => {
            const scoped = (Condition: object) => setDoc(queuePolicy, { Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: QUEUE_ARN, Condition });
            expectPass(check(SERVICE, scoped({ ArnEqualsIfExists: { "aws:SourceArn": TOPIC_ARN } })));
            expectViolation(check(SERVICE, scoped({ ArnLike: { "aws:SourceArn": "arn:aws:sns:*:*:*" } })), /that names one resource or account/);
            expectViolation(check(SERVICE, scoped({ StringLike: { "aws:SourceAccount": "*" } })), /that names one resource or account/);
        });
        it("waits for a computed document", () => expectUnknown(check(SERVICE, mutate(queuePolicy, f => { f.props.policy = UNKNOWN; }))));
        it("exports its predicate", () => {
            const type = "aws:sqs/queuePolicy:QueuePolicy";
            assert.strictEqual(serviceMayWriteForAnyone(SOURCE_POLICIES[type].view(queuePolicy.props, type)), false);
        });
    });

    describe(STREAM, () => {
        it("passes a KMS-encrypted stream on both providers", () => {
            expectPass(check(STREAM, stream));
            expectPass(check(STREAM, { type: "aws-native:kinesis:Stream", name: "s", props: { streamEncryption: { encryptionType: "KMS", keyId: "alias/aws/kinesis" } } }));
        });
        it("flags a stream without encryption (the default)", () => {
            expectViolation(check(STREAM, mutate(stream, f => { f.props.encryptionType = "NONE"; delete f.props.kmsKeyId; })), /encryptionType is `NONE`: records are stored unencrypted/, "advisory");
            expectViolation(check(STREAM, mutate(stream, f => { delete f.props.encryptionType; })), /encryptionType is not set/);
            expectViolation(check(STREAM, { type: "aws-native:kinesis:Stream", name: "s", props: {} }), /streamEncryption\.encryptionType is not set/);
        });
        it("waits for a computed encryption type", () => expectUnknown(check(STREAM, mutate(stream, f => { f.props.encryptionType = UNKNOWN; }))));
        it("exports its predicate", () => {
            const type = "aws:kinesis/stream:Stream";
            assert.strictEqual(streamUnencrypted(STREAM_ENCRYPTION[type].view({ encryptionType: "NONE" }, type)), true);
        });
    });

    it("reports nothing on a queue or topic whose policy is unset, and doesn't apply the stream check elsewhere", () => {
        assert.deepStrictEqual(messages(check(SERVICE, { type: "aws:sns/topic:Topic", name: "t", props: { kmsMasterKeyId: "k" } })), []);
        expectNotApplicable(check(STREAM, queuePolicy));
    });
});
