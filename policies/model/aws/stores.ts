// The data stores around an AWS Lambda function: event sources, dead-letter targets, code buckets,
// file systems, the secrets its environment names, its log groups, and how each store is encrypted.
import { BUCKET, BUCKET_SSE, BUCKET_SSE_V2, BUCKET_V2, LOG_GROUP, PARAMETER, QUEUE, SECRET, TOPIC } from "../../aws/storage";
import { BUCKET_ENCRYPTION, NATIVE_BUCKET, NATIVE_FUNCTION, NATIVE_QUEUE, NATIVE_SECRET, NATIVE_TOPIC } from "../../aws/views";
import { SNS_DEFAULT_DISK_ENCRYPTION } from "../../data/platform";
import { LAMBDA_EDGE } from "../../data/aws-cloudfront";
import { isUnknown, knownString, Node, ResourceGraph } from "../../lib/graph";
import { inEffect } from "../../lib/platform";
import { asBoolean, asList, at, quote } from "../../lib/values";
import type { OnUnknown } from "../core";
import { triggerPaths } from "./triggers";
import { BUCKETS, DYNAMODB_TABLE, EFS_ACCESS_POINT, EFS_FILE_SYSTEM, FUNCTION_TYPES, KINESIS_STREAM, LOG_GROUPS, NATIVE_LOG_GROUP, set } from "./types";

export type Encryption = "kms" | "service-managed" | "none" | "unknown";

/** How a data store is encrypted at rest, following separate encryption resources where AWS has them. */
export function encryptionOf(g: ResourceGraph, node: Node): Encryption {
    const p = node.props;
    switch (node.type) {
        case QUEUE:
        case NATIVE_QUEUE:
            if (isUnknown(p.kmsMasterKeyId) || knownString(p.kmsMasterKeyId)) { return "kms"; }
            return asBoolean(p.sqsManagedSseEnabled) === false ? "none" : "service-managed";
        case TOPIC:
        case NATIVE_TOPIC:
            if (isUnknown(p.kmsMasterKeyId) || knownString(p.kmsMasterKeyId)) { return "kms"; }
            return inEffect(SNS_DEFAULT_DISK_ENCRYPTION) ? "service-managed" : "none";
        case KINESIS_STREAM:
            if (isUnknown(p.encryptionType)) { return "unknown"; }
            return p.encryptionType === "KMS" ? "kms" : "none";
        case DYNAMODB_TABLE:
            return asBoolean(at(p, "serverSideEncryption", "enabled")) === true ? "kms" : "service-managed";
        case EFS_FILE_SYSTEM:
            if (isUnknown(p.encrypted)) { return "unknown"; }
            return asBoolean(p.encrypted) === true ? "kms" : "none";
        case BUCKET:
        case BUCKET_V2: {
            const algorithms: unknown[] = [at(p, "serverSideEncryptionConfiguration", "rule", "applyServerSideEncryptionByDefault", "sseAlgorithm")];
            for (const sse of g.referrers(node, "bucket", [BUCKET_SSE, BUCKET_SSE_V2])) {
                for (const rule of asList(sse.props.rules)) {
                    algorithms.push(at(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm"));
                }
            }
            if (algorithms.some(a => a === "aws:kms" || a === "aws:kms:dsse")) { return "kms"; }
            if (algorithms.some(isUnknown)) { return "unknown"; }
            return "service-managed";
        }
        case NATIVE_BUCKET: {
            const algorithms = BUCKET_ENCRYPTION[NATIVE_BUCKET].view(p, node.type).sseAlgorithms().map(f => f.read());
            if (algorithms.some(a => a === "aws:kms" || a === "aws:kms:dsse")) { return "kms"; }
            if (isUnknown(p.bucketEncryption) || algorithms.some(isUnknown)) { return "unknown"; }
            return "service-managed";
        }
        default:
            return "unknown";
    }
}

export const DATA_STORE_LABEL: Record<string, string> = {
    [QUEUE]: "SQS queue", [NATIVE_QUEUE]: "SQS queue", [TOPIC]: "SNS topic", [NATIVE_TOPIC]: "SNS topic", [NATIVE_BUCKET]: "S3 bucket", [KINESIS_STREAM]: "Kinesis stream", [DYNAMODB_TABLE]: "DynamoDB table",
    [EFS_FILE_SYSTEM]: "EFS file system", [BUCKET]: "S3 bucket", [BUCKET_V2]: "S3 bucket",
};

export interface DataPath {
    fn: Node;
    store: Node;
    /** e.g. "reads events from", "sends failed events to", "loads its code from", "mounts". */
    relation: string;
    via?: string;
}

/**
 * Data stores on a function's paths: the stores its events come from (each source on a trigger path that
 * delivers, relays included), dead-letter targets, code buckets, file systems.
 */
export function dataPaths(g: ResourceGraph, onUnknown: OnUnknown): DataPath[] {
    const out: DataPath[] = [];
    for (const t of triggerPaths(g, onUnknown)) {
        if (t.source && !t.permissionOnly && DATA_STORE_LABEL[t.source.type]) {
            out.push({ fn: t.fn, store: t.source, relation: "is triggered by", via: t.via });
        }
    }
    for (const fn of g.ofType(...FUNCTION_TYPES)) {
        for (const store of g.refs(fn, "deadLetterConfig", set(QUEUE, NATIVE_QUEUE, TOPIC, NATIVE_TOPIC))) {
            out.push({ fn, store, relation: "sends failed events to" });
        }
        // aws-native keeps the code location under `code` (code.s3Bucket).
        for (const store of g.refs(fn, fn.type === NATIVE_FUNCTION ? "code" : "s3Bucket", BUCKETS)) {
            out.push({ fn, store, relation: "loads its code from" });
        }
        for (const ap of g.refs(fn, "fileSystemConfig", set(EFS_ACCESS_POINT))) {
            for (const store of g.refs(ap, "fileSystemId", set(EFS_FILE_SYSTEM))) {
                out.push({ fn, store, relation: "mounts", via: `access point ${quote(ap.name)}` });
            }
        }
    }
    return out;
}

/** Secret stores a function's environment points to. */
export function secretReferences(g: ResourceGraph): { fn: Node; store: Node }[] {
    const out: { fn: Node; store: Node }[] = [];
    for (const fn of g.ofType(...FUNCTION_TYPES)) {
        for (const store of g.refs(fn, "environment", set(SECRET, NATIVE_SECRET, PARAMETER))) {
            out.push({ fn, store });
        }
    }
    return out;
}

/** The log groups that receive a function's logs: named /aws/lambda/<name> (or /aws/lambda/us-east-1.<name> at the edge), its loggingConfig group, or built from its name. */
export function logGroupsOf(g: ResourceGraph, fn: Node): Node[] {
    const groups = new Set<Node>();
    const name = knownString(fn.props.name) ?? knownString(fn.props.functionName);
    if (name) {
        for (const lg of g.lookup(`/aws/lambda/${name}`, LOG_GROUPS, fn)) { groups.add(lg); }
        // A Lambda@Edge function logs, in each Region that serves it, to /aws/lambda/us-east-1.<name>: one group of that name per Region.
        for (const lg of edgeLogGroups(g).get(`${LAMBDA_EDGE.logGroupPrefix}${name}`) ?? []) { groups.add(lg); }
    }
    for (const lg of g.refs(fn, "loggingConfig", LOG_GROUPS)) { groups.add(lg); }
    for (const lg of g.referrers(fn, "name", [LOG_GROUP])) { groups.add(lg); }
    for (const lg of g.referrers(fn, "logGroupName", [NATIVE_LOG_GROUP])) { groups.add(lg); }
    return [...groups];
}

/** Log groups named like a Lambda@Edge function's (/aws/lambda/us-east-1.<name>), by name, whatever their Region. */
function edgeLogGroups(g: ResourceGraph): Map<string, Node[]> {
    return g.remember("edge-log-groups", () => {
        const byName = new Map<string, Node[]>();
        for (const lg of g.ofType(...LOG_GROUPS)) {
            const name = knownString(lg.props.name) ?? knownString(lg.props.logGroupName);
            if (name?.startsWith(LAMBDA_EDGE.logGroupPrefix)) {
                byName.set(name, [...(byName.get(name) ?? []), lg]);
            }
        }
        return byName;
    });
}
