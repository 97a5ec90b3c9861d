// How an AWS Lambda function connects to other resources in the graph: its execution role and every
// permission document reaching it, its triggers, its data stores and the resources that can invoke it.
import {
    EVENT_SOURCE_MAPPING, everyoneMayInvoke, FUNCTION, FUNCTION_URL, FUNCTION_URL_AUTH, opensUrlWithoutAuth, PERMISSION, PERMISSION_PUBLIC, PERMISSION_URL_AUTH,
    urlWithoutAuth,
} from "../aws/lambda";
import { ROLE, ROLE_POLICY, POLICY, ROLE_POLICY_ATTACHMENT, POLICY_ATTACHMENT, ROLE_POLICY_ATTACHMENTS_EXCLUSIVE, MANAGED_POLICY_ADMIN, MANAGED_POLICY_SERVICE_WIDE } from "../aws/iam";
import { BUCKET, BUCKET_V2, BUCKET_SSE, BUCKET_SSE_V2, QUEUE, TOPIC, SECRET, PARAMETER, LOG_GROUP } from "../aws/storage";
import { HTTP_ROUTE, METHOD_AUTHORIZATION, methodWithoutAuthorization, REST_METHOD, ROUTE_AUTHORIZATION, routeWithoutAuthorization } from "../aws/apigateway";
import { apiGatewayPaths, methodThrottle, routeThrottle, Throttle } from "./aws-apigateway";
import { reportsInThisRun, ReportedBy } from "../lib/reported";
import {
    BUCKET_ENCRYPTION, FUNCTION_URLS, NATIVE_BUCKET, NATIVE_EVENT_SOURCE_MAPPING, NATIVE_FUNCTION, NATIVE_MANAGED_POLICY, NATIVE_PERMISSION,
    NATIVE_QUEUE, NATIVE_ROLE, NATIVE_ROLE_POLICY, NATIVE_SECRET, NATIVE_TOPIC, NATIVE_URL, PERMISSION_DOCUMENTS, PERMISSIONS, POLICY_ATTACHMENTS,
} from "../aws/views";
import { awsManagedPolicy, ManagedPolicy, parsePolicyDocument, PolicyDocument, resourceMatch, secretPatternMatch, statementAllows } from "../lib/iam";
import { DeferredCause } from "../lib/deferred";
import { inEffect } from "../lib/platform";
import { SNS_DEFAULT_DISK_ENCRYPTION } from "../data/platform";
import { isUnknown, knownString, Node, ResourceGraph } from "../lib/graph";
import { identityFor } from "../lib/provenance";
import { asBoolean, asList, asNumber, asString, at, isRecord, quote } from "../lib/values";

export { FUNCTION };
export const BUCKET_NOTIFICATION = "aws:s3/bucketNotification:BucketNotification";
export const TOPIC_SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
export const HTTP_INTEGRATION = "aws:apigatewayv2/integration:Integration";
export const REST_INTEGRATION = "aws:apigateway/integration:Integration";
export const KINESIS_STREAM = "aws:kinesis/stream:Stream";
export const DYNAMODB_TABLE = "aws:dynamodb/table:Table";
export const EFS_ACCESS_POINT = "aws:efs/accessPoint:AccessPoint";
export const EFS_FILE_SYSTEM = "aws:efs/fileSystem:FileSystem";
export const NATIVE_LOG_GROUP = "aws-native:logs:LogGroup";
export { LOG_GROUP, SECRET, PARAMETER, QUEUE, TOPIC, NATIVE_FUNCTION, NATIVE_SECRET, NATIVE_TOPIC };

const set = (...types: string[]) => new Set(types);
/** Lambda functions of both AWS providers (@pulumi/aws and @pulumi/aws-native). */
export const FUNCTION_TYPES = [FUNCTION, NATIVE_FUNCTION];
const FUNCTIONS = set(...FUNCTION_TYPES);
const ROLES = set(ROLE, NATIVE_ROLE);
const POLICIES = set(POLICY, NATIVE_MANAGED_POLICY);
const BUCKETS = set(BUCKET, BUCKET_V2, NATIVE_BUCKET);
const SECRETS = set(SECRET, NATIVE_SECRET);
const LOG_GROUPS = set(LOG_GROUP, NATIVE_LOG_GROUP);

/** Whether a resource is a Secrets Manager secret (of either provider). */
export const isSecretsManagerSecret = (node: Node) => SECRETS.has(node.type);

/** Where each provider's role keeps its inline policies: the list, and each entry's name and document. */
const INLINE_POLICIES: Record<string, { list: string; name: string; document: string }> = {
    [ROLE]: { list: "inlinePolicies", name: "name", document: "policy" },
    [NATIVE_ROLE]: { list: "policies", name: "policyName", document: "policyDocument" },
};

/** The permission document of a RolePolicy or policy resource of either provider, with its property name. */
function documentField(node: Node): { raw: unknown; property: string } {
    const f = PERMISSION_DOCUMENTS[node.type].view(node.props, node.type).documents()[0];
    return { raw: f.read(), property: f.where };
}

/** Reports a decisive value that is unknown, or known but undecidable (see the cause); stack policies pass it to their context. */
export type OnUnknown = (node: Node, property: string, cause?: DeferredCause) => void;

export interface PermissionSource {
    /** e.g. "RolePolicyAttachment `admin` (policy `admin-policy`) on role `api-role`" */
    via: string;
    doc: PolicyDocument;
    /** Set when the source is an AWS managed policy whose grants the pack models (its doc is the model's). */
    managed?: ManagedPolicy;
    /** The resource that holds the document or the managed policy ARN, as the resource policies read it. */
    carrier?: Node;
}

/** How a source reads in a message: the managed policy's name, then where it is attached. */
export function sourceLabel(source: PermissionSource): string {
    return source.managed ? `the AWS managed policy ${quote(source.managed.name)} (${source.via})` : source.via;
}

/** The execution roles in the stack that a function runs with. */
export function executionRoles(g: ResourceGraph, fn: Node, onUnknown: OnUnknown): Node[] {
    const roles = g.refs(fn, "role", ROLES);
    if (roles.length === 0 && isUnknown(fn.props.role)) {
        onUnknown(fn, "role");
    }
    return roles;
}

function documentOf(g: ResourceGraph, node: Node, key: string, raw: unknown, onUnknown: OnUnknown, property: string): PolicyDocument | undefined {
    if (isUnknown(raw)) {
        onUnknown(node, property);
        return undefined;
    }
    if (raw === undefined || raw === null || raw === "") {
        return undefined;
    }
    return g.remember(`doc:${node.urn}:${key}`, () => parsePolicyDocument(raw));
}

function managedSource(arn: unknown, via: string, carrier: Node): PermissionSource | undefined {
    const managed = knownString(arn) ? awsManagedPolicy(arn) : undefined;
    return managed ? { via, doc: managed.doc, managed, carrier } : undefined;
}

/** Every permission document that reaches a role: inline, RolePolicy, managed ARNs and every kind of attachment. */
export function roleSources(g: ResourceGraph, role: Node, onUnknown: OnUnknown): PermissionSource[] {
    const out: PermissionSource[] = [];
    const roleLabel = `role ${quote(role.name)}`;
    const inline = INLINE_POLICIES[role.type];
    if (isUnknown(role.props[inline.list])) {
        onUnknown(role, inline.list);
    }
    asList(role.props[inline.list]).forEach((entry, i) => {
        if (isUnknown(entry)) {
            onUnknown(role, `${inline.list}[${i}]`);
            return;
        }
        const name = asString(at(entry, inline.name)) ?? String(i);
        const doc = documentOf(g, role, `inline${i}`, at(entry, inline.document), onUnknown, `${inline.list}[${i}].${inline.document}`);
        if (doc) {
            out.push({ via: `inline policy ${quote(name)} of ${roleLabel}`, doc, carrier: role });
        }
    });
    for (const rp of [...g.referrers(role, "role", [ROLE_POLICY]), ...g.referrers(role, "roleName", [NATIVE_ROLE_POLICY])]) {
        const { raw, property } = documentField(rp);
        const doc = documentOf(g, rp, "policy", raw, onUnknown, property);
        if (doc) {
            out.push({ via: `RolePolicy ${quote(rp.name)} on ${roleLabel}`, doc, carrier: rp });
        }
    }
    const managed = role.props.managedPolicyArns;
    if (isUnknown(managed)) {
        onUnknown(role, "managedPolicyArns");
    }
    asList(managed).forEach(arn => {
        const source = managedSource(arn, `managedPolicyArns of ${roleLabel}`, role);
        if (source) {
            out.push(source);
        }
    });
    const policyDoc = (p: Node) => {
        const { raw, property } = documentField(p);
        return documentOf(g, p, "policy", raw, onUnknown, property);
    };
    for (const p of g.refs(role, "managedPolicyArns", POLICIES)) {
        const doc = policyDoc(p);
        if (doc) {
            out.push({ via: `policy ${quote(p.name)} in managedPolicyArns of ${roleLabel}`, doc, carrier: p });
        }
    }
    for (const p of g.referrers(role, "roles", [NATIVE_MANAGED_POLICY])) {
        const doc = policyDoc(p);
        if (doc) {
            out.push({ via: `ManagedPolicy ${quote(p.name)} attached to ${roleLabel}`, doc, carrier: p });
        }
    }
    const attachments: [Node, string, unknown[]][] = [
        ...g.referrers(role, "role", [ROLE_POLICY_ATTACHMENT]).map((att): [Node, string, unknown[]] => [att, "RolePolicyAttachment", [att.props.policyArn]]),
        ...g.referrers(role, "roles", [POLICY_ATTACHMENT]).map((att): [Node, string, unknown[]] => [att, "PolicyAttachment", [att.props.policyArn]]),
        ...g.referrers(role, "roleName", [ROLE_POLICY_ATTACHMENTS_EXCLUSIVE]).map((att): [Node, string, unknown[]] => [att, "RolePolicyAttachmentsExclusive", asList(att.props.policyArns)]),
    ];
    for (const [att, kind, arns] of attachments) {
        const property = kind === "RolePolicyAttachmentsExclusive" ? "policyArns" : "policyArn";
        const via = `${kind} ${quote(att.name)} on ${roleLabel}`;
        const modelled = arns.map(arn => managedSource(arn, via, att)).filter((a): a is PermissionSource => a !== undefined);
        out.push(...modelled);
        const policies = g.refs(att, property, POLICIES);
        if (policies.length === 0 && modelled.length === 0 && (isUnknown(att.props[property]) || arns.some(isUnknown))) {
            onUnknown(att, property);
        }
        for (const p of policies) {
            const doc = policyDoc(p);
            if (doc) {
                out.push({ via: `${kind} ${quote(att.name)} (policy ${quote(p.name)}) on ${roleLabel}`, doc, carrier: p });
            }
        }
    }
    return out;
}

/**
 * The resource policy that reports a grant found in a source: the document policies (`policy`, e.g.
 * aws-iam-policy-admin-access) read every permission document on the resource carrying it, and
 * aws-iam-managed-policy-admin every managed policy ARN; undefined for a source they don't read.
 */
export function sourceReportedBy(source: PermissionSource, policy: string): ReportedBy | undefined {
    const carrier = source.carrier;
    if (!carrier) {
        return undefined;
    }
    if (source.managed) {
        // The attachment's own policies report an administrator or service-wide managed policy.
        const scope = source.managed.model.scope;
        const owner = scope === "admin" ? MANAGED_POLICY_ADMIN : MANAGED_POLICY_SERVICE_WIDE;
        return POLICY_ATTACHMENTS[carrier.type] && scope !== "limited" && reportsInThisRun(owner) ? { policy: owner, node: carrier } : undefined;
    }
    return PERMISSION_DOCUMENTS[carrier.type] && reportsInThisRun(policy) ? { policy, node: carrier } : undefined;
}

/** Known ARNs of a resource, from its outputs or from its name where the ARN format allows. */
export function arnsOf(node: Node): string[] {
    const arns = new Set<string>();
    const arn = knownString(node.props.arn) ?? (node.type === NATIVE_TOPIC ? knownString(node.props.topicArn) : undefined)
        ?? (node.type === NATIVE_SECRET ? knownString(node.props.id) : undefined);
    if (arn) { arns.add(arn); }
    if (BUCKETS.has(node.type)) {
        const name = knownString(node.props.bucket) ?? knownString(node.props.bucketName) ?? knownString(node.props.id);
        if (name) { arns.add(`arn:aws:s3:::${name}`); }
    }
    const stream = knownString(node.props.streamArn);
    if (stream) { arns.add(stream); }
    return [...arns];
}

/**
 * Whether any source allows `action` on `target`: by matching the statement's Resource patterns
 * against the target's known ARNs (object ARNs under a bucket included), or, when the target's ARN
 * is not known yet, by the statement's Resource being "*" or the document depending on the target.
 */
export function allows(g: ResourceGraph, sources: PermissionSource[], action: string, target: Node): PermissionSource | undefined {
    const arns = arnsOf(target);
    const objectArns = BUCKETS.has(target.type) ? arns.map(a => `${a}/any-object-key`) : [];
    const secretName = SECRETS.has(target.type) && arns.length === 0 ? knownString(target.props.name) : undefined;
    for (const source of sources) {
        for (const s of source.doc.statements) {
            if (!statementAllows(s, action)) {
                continue;
            }
            if (s.notResources.length > 0) {
                return source;
            }
            if (s.resources.some(r => r === "*" || [...arns, ...objectArns].some(arn => resourceMatch(r, arn)) || (secretName !== undefined && secretPatternMatch(r, secretName)))) {
                return source;
            }
            if (arns.length === 0 && s.resources.some(r => isUnknown(r))) {
                return source;
            }
        }
    }
    return undefined;
}

/** Functions whose execution role (in the stack) is `role`. */
export function functionsOfRole(g: ResourceGraph, role: Node): Node[] {
    return g.referrers(role, "role", FUNCTION_TYPES);
}

export interface Path {
    fn: Node;
    /** The whole path in words, naming both ends. */
    path: string;
    /** The resource policy that already reports this path's root cause, on the resource carrying the setting to change. */
    reportedBy?: ReportedBy;
    /** How the path itself caps how often it invokes the function (an API Gateway throttle); absent when it can't. */
    throttle?: () => Throttle;
}

/** The functions a property names; a name that matches functions in several regions or accounts, with no dependency to decide, can't be told. */
function linkedFunctions(g: ResourceGraph, from: Node, property: string, onUnknown: OnUnknown): Node[] {
    const found = g.resolve(from, property, FUNCTIONS);
    if (found.undecided) {
        onUnknown(from, property, "ambiguous");
    }
    return found.nodes;
}

/** The property of a Lambda permission that names its function (`function` on aws, `functionName` on aws-native). */
export const permissionTarget = (p: Node) => (p.type === NATIVE_PERMISSION ? "functionName" : "function");

/** Ways a Lambda function can be invoked without authentication, each with the resource policy that reports it. */
export function publicInvocationPaths(g: ResourceGraph, onUnknown: OnUnknown): Path[] {
    const out: Path[] = [];
    for (const p of g.ofType(PERMISSION, NATIVE_PERMISSION)) {
        const view = PERMISSIONS[p.type].view(p.props, p.type);
        const principal = view.principal.read();
        if (isUnknown(principal)) {
            // A principal computed only from roles or users of the stack is one of them, never "*".
            if (!identityFor(g, p, "principal")) {
                onUnknown(p, "principal");
            }
            continue;
        }
        const openUrl = opensUrlWithoutAuth(view);
        if (everyoneMayInvoke(view) || openUrl) {
            for (const fn of linkedFunctions(g, p, permissionTarget(p), onUnknown)) {
                out.push({
                    fn,
                    path: `Permission ${quote(p.name)} lets ${openUrl ? "the function URL be called without authentication" : "principal \"*\" invoke it"}`,
                    reportedBy: { policy: openUrl ? PERMISSION_URL_AUTH : PERMISSION_PUBLIC, node: p },
                });
            }
        }
    }
    for (const u of g.ofType(FUNCTION_URL, NATIVE_URL)) {
        if (urlWithoutAuth(FUNCTION_URLS[u.type].view(u.props, u.type))) {
            for (const fn of linkedFunctions(g, u, u.type === NATIVE_URL ? "targetFunctionArn" : "functionName", onUnknown)) {
                out.push({
                    fn,
                    path: u.type === NATIVE_URL ? `Url ${quote(u.name)} has authType NONE` : `FunctionUrl ${quote(u.name)} has authorization type NONE`,
                    reportedBy: { policy: FUNCTION_URL_AUTH, node: u },
                });
            }
        }
    }
    for (const route of g.ofType(HTTP_ROUTE)) {
        if (isUnknown(route.props.authorizationType) || isUnknown(route.props.routeKey) || !routeWithoutAuthorization(route.props)) {
            continue;
        }
        const key = asString(route.props.routeKey) ?? "";
        for (const integration of g.refs(route, "target", set(HTTP_INTEGRATION))) {
            for (const fn of g.refs(integration, "integrationUri", FUNCTIONS)) {
                out.push({
                    fn,
                    path: `API Gateway route ${quote(key)} (${quote(route.name)}) has no authorizer and integrates it through ${quote(integration.name)}`,
                    reportedBy: { policy: ROUTE_AUTHORIZATION, node: route },
                    throttle: () => routeThrottle(g, route, key),
                });
            }
        }
    }
    for (const integration of g.ofType(REST_INTEGRATION)) {
        const fns = g.refs(integration, "uri", FUNCTIONS);
        if (fns.length === 0) {
            continue;
        }
        const method = asString(integration.props.httpMethod)?.toUpperCase();
        const resources = new Set((integration.resource.propertyDependencies?.resourceId ?? []).map(r => r.urn));
        for (const m of g.ofType(REST_METHOD)) {
            const sameResource = (m.resource.propertyDependencies?.resourceId ?? []).some(r => resources.has(r.urn))
                || (knownString(m.props.resourceId) !== undefined && m.props.resourceId === integration.props.resourceId);
            if (sameResource && asString(m.props.httpMethod)?.toUpperCase() === method && !isUnknown(m.props.authorization) && methodWithoutAuthorization(m.props)) {
                for (const fn of fns) {
                    out.push({
                        fn,
                        path: `REST method ${quote(method ?? "")} (${quote(m.name)}) has authorization NONE and integrates it through ${quote(integration.name)}`,
                        reportedBy: { policy: METHOD_AUTHORIZATION, node: m },
                        throttle: () => methodThrottle(g, m, method ?? ""),
                    });
                }
            }
        }
    }
    out.push(...apiGatewayPaths(g, onUnknown));
    return out;
}

/** Whether a function's concurrency is capped; undefined when that can't be known yet. */
export function concurrencyCapped(fn: Node): boolean | undefined {
    const v = fn.props.reservedConcurrentExecutions;
    if (isUnknown(v)) {
        return undefined;
    }
    const n = asNumber(v);
    return n !== undefined && n >= 0;
}

export interface Trigger {
    fn: Node;
    source: Node;
    /** How the source triggers the function, e.g. "EventSourceMapping `m`". */
    via: string;
    /** Set when S3 notifications are limited by prefix or suffix. */
    filtered?: boolean;
}

/** Event sources that invoke functions: stream/queue mappings, SNS subscriptions, S3 notifications. */
export function triggers(g: ResourceGraph): Trigger[] {
    const out: Trigger[] = [];
    const sources = set(QUEUE, NATIVE_QUEUE, KINESIS_STREAM, DYNAMODB_TABLE);
    for (const m of g.ofType(EVENT_SOURCE_MAPPING, NATIVE_EVENT_SOURCE_MAPPING)) {
        for (const source of g.refs(m, "eventSourceArn", sources)) {
            for (const fn of g.refs(m, "functionName", FUNCTIONS)) {
                out.push({ fn, source, via: `EventSourceMapping ${quote(m.name)}` });
            }
        }
    }
    for (const sub of g.ofType(TOPIC_SUBSCRIPTION)) {
        if (sub.props.protocol !== "lambda") {
            continue;
        }
        for (const source of g.refs(sub, "topic", set(TOPIC, NATIVE_TOPIC))) {
            for (const fn of g.refs(sub, "endpoint", FUNCTIONS)) {
                out.push({ fn, source, via: `TopicSubscription ${quote(sub.name)}` });
            }
        }
    }
    for (const n of g.ofType(BUCKET_NOTIFICATION)) {
        const entries = asList(n.props.lambdaFunctions).filter(isRecord);
        const filtered = entries.length > 0 && entries.every(e => !!asString(e.filterPrefix) || !!asString(e.filterSuffix));
        for (const source of g.refs(n, "bucket", BUCKETS)) {
            for (const fn of g.refs(n, "lambdaFunctions", FUNCTIONS)) {
                out.push({ fn, source, via: `BucketNotification ${quote(n.name)}`, filtered });
            }
        }
    }
    return out;
}

/** The write action that feeds each trigger source back into its functions. */
export const WRITE_ACTION: Record<string, { action: string; what: string }> = {
    [QUEUE]: { action: "sqs:SendMessage", what: "SQS queue" },
    [NATIVE_QUEUE]: { action: "sqs:SendMessage", what: "SQS queue" },
    [TOPIC]: { action: "sns:Publish", what: "SNS topic" },
    [NATIVE_TOPIC]: { action: "sns:Publish", what: "SNS topic" },
    [BUCKET]: { action: "s3:PutObject", what: "S3 bucket" },
    [NATIVE_BUCKET]: { action: "s3:PutObject", what: "S3 bucket" },
    [BUCKET_V2]: { action: "s3:PutObject", what: "S3 bucket" },
    [DYNAMODB_TABLE]: { action: "dynamodb:PutItem", what: "DynamoDB table" },
    [KINESIS_STREAM]: { action: "kinesis:PutRecord", what: "Kinesis stream" },
};

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

/** Data stores on a function's paths: event sources, dead-letter targets, code buckets, file systems. */
export function dataPaths(g: ResourceGraph): DataPath[] {
    const out: DataPath[] = triggers(g).map(t => ({ fn: t.fn, store: t.source, relation: "is triggered by", via: t.via }));
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

/** The log groups that receive a function's logs: named /aws/lambda/<name>, its loggingConfig group, or built from its name. */
export function logGroupsOf(g: ResourceGraph, fn: Node): Node[] {
    const groups = new Set<Node>();
    const name = knownString(fn.props.name) ?? knownString(fn.props.functionName);
    if (name) {
        for (const lg of g.lookup(`/aws/lambda/${name}`, LOG_GROUPS, fn)) { groups.add(lg); }
    }
    for (const lg of g.refs(fn, "loggingConfig", LOG_GROUPS)) { groups.add(lg); }
    for (const lg of g.referrers(fn, "name", [LOG_GROUP])) { groups.add(lg); }
    for (const lg of g.referrers(fn, "logGroupName", [NATIVE_LOG_GROUP])) { groups.add(lg); }
    return [...groups];
}
