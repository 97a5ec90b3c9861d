// Views of the AWS event sources that feed functions (topics, queues, event buses, streams, tables,
// buckets): the resource policies that say who may write to them, on the classic provider
// (@pulumi/aws) and AWS Cloud Control (@pulumi/aws-native), and a stream's encryption at rest.
import { Adapter, Adapters, derived, Field, field } from "../lib/view";
import { at, isRecord } from "../lib/values";
import { BUCKET, BUCKET_V2, NATIVE_QUEUE, NATIVE_TOPIC, QUEUE, TOPIC } from "./views";

export const TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy";
export const QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";
export const REDRIVE_POLICY = "aws:sqs/redrivePolicy:RedrivePolicy";
export const EVENT_BUS_POLICY = "aws:cloudwatch/eventBusPolicy:EventBusPolicy";
export const EVENT_PERMISSION = "aws:cloudwatch/eventPermission:EventPermission";
export const KINESIS_STREAM = "aws:kinesis/stream:Stream";
export const KINESIS_RESOURCE_POLICY = "aws:kinesis/resourcePolicy:ResourcePolicy";
export const DYNAMODB_RESOURCE_POLICY = "aws:dynamodb/resourcePolicy:ResourcePolicy";
export const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";

export const NATIVE_TOPIC_POLICY = "aws-native:sns:TopicPolicy";
export const NATIVE_TOPIC_INLINE_POLICY = "aws-native:sns:TopicInlinePolicy";
export const NATIVE_QUEUE_INLINE_POLICY = "aws-native:sqs:QueueInlinePolicy";
export const NATIVE_EVENT_BUS = "aws-native:events:EventBus";
export const NATIVE_EVENT_BUS_POLICY = "aws-native:events:EventBusPolicy";
export const NATIVE_KINESIS_STREAM = "aws-native:kinesis:Stream";
export const NATIVE_KINESIS_RESOURCE_POLICY = "aws-native:kinesis:ResourcePolicy";
export const NATIVE_DYNAMODB_TABLE = "aws-native:dynamodb:Table";
export const NATIVE_BUCKET_POLICY = "aws-native:s3:BucketPolicy";

/** A kind of event source: what it is called and the actions that write events into it. */
export interface SourceKind {
    what: string;
    writeActions: readonly string[];
}

export const SNS_TOPIC: SourceKind = { what: "SNS topic", writeActions: ["sns:Publish"] };
export const SQS_QUEUE: SourceKind = { what: "SQS queue", writeActions: ["sqs:SendMessage"] };
export const EVENT_BUS: SourceKind = { what: "EventBridge event bus", writeActions: ["events:PutEvents"] };
export const KINESIS: SourceKind = { what: "Kinesis stream", writeActions: ["kinesis:PutRecord", "kinesis:PutRecords"] };
export const DYNAMODB: SourceKind = {
    what: "DynamoDB table",
    writeActions: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete"],
};
export const S3_BUCKET: SourceKind = { what: "S3 bucket", writeActions: ["s3:PutObject"] };

/** The resource policy of an event source: the kind of source it guards and its policy documents. */
export interface SourcePolicyView {
    kind: SourceKind;
    /** The documents, each an IAM policy document as an object or a JSON string (empty: none set). */
    documents(): Field[];
}

const documentAt = (kind: SourceKind, path: string): Adapter<SourcePolicyView> => ({
    view: props => ({ kind, documents: () => [field(props, path)] }),
});

/**
 * An EventBridge permission given as principal, action and condition (EventPermission, and
 * aws-native EventBusPolicy without a statement), as the one-statement document EventBridge writes.
 */
function permissionStatement(props: Record<string, unknown>, where: string): Field {
    return derived(where, () => {
        const principal = props.principal;
        const condition = props.condition;
        const key = at(condition, "key");
        const statement: Record<string, unknown> = {
            Effect: "Allow",
            Principal: principal === "*" ? "*" : { AWS: principal },
            Action: props.action ?? "events:PutEvents",
            Resource: "*",
        };
        if (isRecord(condition) && typeof key === "string") {
            statement.Condition = { [String(at(condition, "type") ?? "StringEquals")]: { [key]: at(condition, "value") } };
        }
        return { Statement: [statement] };
    });
}

export const SOURCE_POLICIES: Adapters<SourcePolicyView> = {
    [TOPIC]: documentAt(SNS_TOPIC, "policy"),
    [TOPIC_POLICY]: documentAt(SNS_TOPIC, "policy"),
    [NATIVE_TOPIC_POLICY]: documentAt(SNS_TOPIC, "policyDocument"),
    [NATIVE_TOPIC_INLINE_POLICY]: documentAt(SNS_TOPIC, "policyDocument"),
    [QUEUE]: documentAt(SQS_QUEUE, "policy"),
    [QUEUE_POLICY]: documentAt(SQS_QUEUE, "policy"),
    [NATIVE_QUEUE_INLINE_POLICY]: documentAt(SQS_QUEUE, "policyDocument"),
    [EVENT_BUS_POLICY]: documentAt(EVENT_BUS, "policy"),
    [EVENT_PERMISSION]: { view: props => ({ kind: EVENT_BUS, documents: () => [permissionStatement(props, "principal")] }) },
    [NATIVE_EVENT_BUS]: documentAt(EVENT_BUS, "policy"),
    [NATIVE_EVENT_BUS_POLICY]: {
        view: props => ({
            kind: EVENT_BUS,
            documents: () => props.statement !== undefined && props.statement !== null
                ? [derived("statement", () => ({ Statement: [props.statement] }))]
                : [permissionStatement(props, "principal")],
        }),
    },
    [KINESIS_RESOURCE_POLICY]: documentAt(KINESIS, "policy"),
    [NATIVE_KINESIS_RESOURCE_POLICY]: documentAt(KINESIS, "resourcePolicy"),
    [DYNAMODB_RESOURCE_POLICY]: documentAt(DYNAMODB, "policy"),
    [NATIVE_DYNAMODB_TABLE]: documentAt(DYNAMODB, "resourcePolicy.policyDocument"),
    [BUCKET]: documentAt(S3_BUCKET, "policy"),
    [BUCKET_V2]: documentAt(S3_BUCKET, "policy"),
    [BUCKET_POLICY]: documentAt(S3_BUCKET, "policy"),
    [NATIVE_BUCKET_POLICY]: documentAt(S3_BUCKET, "policyDocument"),
};

/** A Kinesis stream's encryption at rest: the encryption type as the provider spells it ("KMS" or "NONE"). */
export interface StreamEncryptionView {
    encryptionType: Field;
}

export const STREAM_ENCRYPTION: Adapters<StreamEncryptionView> = {
    [KINESIS_STREAM]: { view: props => ({ encryptionType: field(props, "encryptionType") }) },
    [NATIVE_KINESIS_STREAM]: { view: props => ({ encryptionType: field(props, "streamEncryption.encryptionType") }) },
};

export { NATIVE_QUEUE, NATIVE_TOPIC, QUEUE, TOPIC };
