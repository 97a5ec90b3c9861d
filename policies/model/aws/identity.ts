// AWS (@pulumi/aws) identities: a resource is known by its ARN, name and id within its account and
// region, read from its ARN, its `region` property or its provider's `region`. IAM resources have no
// region and S3 bucket names are global. References: ARNs (Lambda ARNs qualified by an alias,
// version or $LATEST included, and function ARNs inside API Gateway invoke ARNs), SQS queue URLs,
// partial Lambda ARNs (`123456789012:function:api`, `api:live`) and plain names.
// AWS Cloud Control (@pulumi/aws-native) resources read the same way, from aws-native's own property
// names: a reference property (a permission's `functionName`, a role policy's `roleName`) is not an
// identity, so each type is known only by the properties that name itself.
import { IdentityAdapter, inherit, Reference, ResourceView, Scope } from "../../lib/identity";
import { identifierStrings, known, lastSegment, referenceStrings } from "../../lib/identity/strings";

const IDENTIFIER_PROPS = [
    "arn", "id", "name", "bucket", "url", "functionName", "invokeArn", "qualifiedArn", "uniqueId", "accountId",
];

const ARN = /^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/;
const LAMBDA_ARN_INSIDE = /arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9_$-]+)?/;
const PARTIAL_LAMBDA = /^(\d{12}):function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9_$-]+)?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9_-]{1,140}):(?:\$LATEST|[A-Za-z0-9_-]{1,128})$/;
const QUEUE_URL = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(\d{12})\/([A-Za-z0-9_.-]+)$/;

/** How one AWS provider spells its types: which have no region (IAM) or no account and region at all (S3 bucket names). */
interface AwsShape {
    prefix: string;
    identifiers(type: string): readonly string[];
    /** Properties holding the resource's own ARN, the first known one decides its scope. */
    arns: readonly string[];
    isGlobal(type: string): boolean;
    isBucketName(type: string): boolean;
}

interface Parsed {
    keys: string[];
    scope?: Scope;
}

/** The keys an ARN names, most specific first, and the scope it carries. */
function parseArn(arn: string): Parsed | undefined {
    const m = ARN.exec(arn);
    if (!m) {
        return undefined;
    }
    const [, service, region, account, resource] = m;
    const scope: Scope = [account && account !== "aws" ? account : undefined, region || undefined];
    switch (service) {
        case "lambda": {
            const fn = /^function:([A-Za-z0-9_-]+)(?::([A-Za-z0-9_$-]+))?$/.exec(resource);
            if (fn) {
                const base = `arn:${arn.split(":")[1]}:lambda:${region}:${account}:function:${fn[1]}`;
                return { keys: fn[2] ? [arn, base, fn[1]] : [arn, fn[1]], scope };
            }
            break;
        }
        case "s3":
            return { keys: [arn, resource.split("/")[0]], scope: [undefined, undefined] };
        case "logs": {
            const lg = /^log-group:(.+?)(?::\*)?$/.exec(resource);
            return lg ? { keys: [arn, lg[1]], scope } : { keys: [arn], scope };
        }
        case "ssm": {
            const p = /^parameter(\/.+)$/.exec(resource);
            return p ? { keys: [arn, p[1], p[1].slice(1)], scope } : { keys: [arn], scope };
        }
        case "secretsmanager":
            return { keys: [arn], scope };
        case "dynamodb":
        case "kinesis": {
            // A table's stream (`table/orders/stream/<label>`) or a stream's consumer (`stream/clicks/consumer/<name>:<time>`)
            // names the table or stream it belongs to: its ARN, then its name.
            const sub = /^(table|stream)\/([A-Za-z0-9_.-]+)\/(?:stream|consumer)\/.+$/.exec(resource);
            if (sub && (sub[1] === "table") === (service === "dynamodb")) {
                return { keys: [arn, `arn:${arn.split(":")[1]}:${service}:${region}:${account}:${sub[1]}/${sub[2]}`, sub[2]], scope };
            }
            break;
        }
        default:
            break;
    }
    const tail = lastSegment(resource);
    return { keys: tail && tail !== arn ? [arn, tail] : [arn], scope };
}

/** The keys and scope a reference string names. */
function parseReference(value: string): Parsed {
    const arn = parseArn(value);
    if (arn) {
        return arn;
    }
    const inside = LAMBDA_ARN_INSIDE.exec(value);
    if (inside) {
        const parsed = parseArn(inside[0])!;
        return { keys: [value, ...parsed.keys], scope: parsed.scope };
    }
    const queue = QUEUE_URL.exec(value);
    if (queue) {
        return { keys: [value, queue[3]], scope: [queue[2], queue[1]] };
    }
    const partial = PARTIAL_LAMBDA.exec(value);
    if (partial) {
        return { keys: [value, partial[2]], scope: [partial[1], undefined] };
    }
    const qualified = QUALIFIED_NAME.exec(value);
    if (qualified) {
        return { keys: [value, qualified[1]] };
    }
    const tail = value.includes("/") && !value.startsWith("/") ? lastSegment(value) : undefined;
    return { keys: tail && tail !== value ? [value, tail] : [value] };
}

function scopeOf(shape: AwsShape, r: ResourceView): Scope {
    if (shape.isBucketName(r.type)) {
        return [undefined, undefined];
    }
    const arn = shape.arns.map(k => known(r.props[k])).find(a => a !== undefined && ARN.test(a));
    const fromArn = arn ? ARN.exec(arn) : null;
    const account = fromArn?.[3] && fromArn[3] !== "aws" ? fromArn[3] : undefined;
    if (shape.isGlobal(r.type)) {
        return [account, undefined];
    }
    const region = (fromArn?.[2] || undefined) ?? known(r.props.region) ?? known(r.provider?.region);
    return [account, region];
}

/** The adapter of one AWS provider: both read ARNs, names and queue URLs the same way. */
export function awsShapedAdapter(shape: AwsShape): IdentityAdapter {
    return {
        handles: type => type.startsWith(shape.prefix),
        identify(r) {
            const keys = new Set<string>();
            for (const id of identifierStrings(r.props, shape.identifiers(r.type))) {
                keys.add(id);
                const arn = parseArn(id);
                if (arn && arn.keys.length > 1) {
                    keys.add(arn.keys[arn.keys.length - 1]);
                }
            }
            return { keys: [...keys], scope: scopeOf(shape, r) };
        },
        references(from, property, own) {
            const out: Reference[] = [];
            for (const value of referenceStrings(from.props[property])) {
                const parsed = parseReference(value);
                out.push({ keys: parsed.keys, scope: inherit(parsed.scope, own) });
            }
            return out;
        },
    };
}

/** A DynamoDB table is also known by its stream's ARN (what an event source mapping names). */
const TABLE_IDENTIFIERS = [...IDENTIFIER_PROPS, "streamArn"];

export const awsAdapter = awsShapedAdapter({
    prefix: "aws:",
    identifiers: type => type === "aws:dynamodb/table:Table" ? TABLE_IDENTIFIERS : IDENTIFIER_PROPS,
    arns: ["arn"],
    isGlobal: type => type.startsWith("aws:iam/"),
    isBucketName: type => /^aws:s3\/bucket(V2)?:/.test(type),
});


const COMMON = ["arn", "id"];
const OWN_NAMES: Record<string, readonly string[]> = {
    "aws-native:lambda:Function": ["functionName"],
    "aws-native:iam:Role": ["roleName", "roleId"],
    "aws-native:iam:ManagedPolicy": ["policyArn", "managedPolicyName"],
    "aws-native:logs:LogGroup": ["logGroupName"],
    "aws-native:sqs:Queue": ["queueUrl", "queueName"],
    "aws-native:sns:Topic": ["topicArn", "topicName"],
    "aws-native:s3:Bucket": ["bucketName"],
    "aws-native:secretsmanager:Secret": ["name"],
    "aws-native:ssm:Parameter": ["name"],
    "aws-native:kinesis:Stream": ["name"],
    "aws-native:dynamodb:Table": ["tableName", "streamArn"],
    "aws-native:events:Rule": ["name", "ruleName"],
};
const cache = new Map<string, readonly string[]>();

export const awsNativeAdapter = awsShapedAdapter({
    prefix: "aws-native:",
    identifiers: type => {
        let list = cache.get(type);
        if (!list) {
            list = [...COMMON, ...(OWN_NAMES[type] ?? ["name"])];
            cache.set(type, list);
        }
        return list;
    },
    arns: ["arn", "policyArn", "topicArn", "id"],
    isGlobal: type => type.startsWith("aws-native:iam:"),
    isBucketName: type => type === "aws-native:s3:Bucket",
});
