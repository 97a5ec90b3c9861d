// The AWS resource types the model links, of both providers (@pulumi/aws and @pulumi/aws-native),
// and the shapes of its answers.
import { POLICY, ROLE } from "../../aws/views";
import { FUNCTION } from "../../aws/lambda";
import { BUCKET, BUCKET_V2, LOG_GROUP, PARAMETER, QUEUE, SECRET, TOPIC } from "../../aws/storage";
import { NATIVE_BUCKET, NATIVE_FUNCTION, NATIVE_MANAGED_POLICY, NATIVE_ROLE, NATIVE_SECRET, NATIVE_TOPIC } from "../../aws/views";
import { Node } from "../../lib/graph";
import { ReportedBy } from "../../lib/reported";

export { FUNCTION };
export const BUCKET_NOTIFICATION = "aws:s3/bucketNotification:BucketNotification";
export const TOPIC_SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
export const HTTP_INTEGRATION = "aws:apigatewayv2/integration:Integration";
export const REST_INTEGRATION = "aws:apigateway/integration:Integration";
export { KINESIS_STREAM } from "../../aws/eventsource-views";
export const DYNAMODB_TABLE = "aws:dynamodb/table:Table";
export const EFS_ACCESS_POINT = "aws:efs/accessPoint:AccessPoint";
export const EFS_FILE_SYSTEM = "aws:efs/fileSystem:FileSystem";
export const NATIVE_LOG_GROUP = "aws-native:logs:LogGroup";
export { LOG_GROUP, SECRET, PARAMETER, QUEUE, TOPIC, NATIVE_FUNCTION, NATIVE_SECRET, NATIVE_TOPIC };

export const set = (...types: string[]) => new Set(types);
/** Lambda functions of both AWS providers (@pulumi/aws and @pulumi/aws-native). */
export const FUNCTION_TYPES = [FUNCTION, NATIVE_FUNCTION];
export const FUNCTIONS = set(...FUNCTION_TYPES);
export const ROLES = set(ROLE, NATIVE_ROLE);
export const POLICIES = set(POLICY, NATIVE_MANAGED_POLICY);
export const BUCKETS = set(BUCKET, BUCKET_V2, NATIVE_BUCKET);
export const SECRETS = set(SECRET, NATIVE_SECRET);
export const LOG_GROUPS = set(LOG_GROUP, NATIVE_LOG_GROUP);

/** Whether a resource is a Secrets Manager secret (of either provider). */
export const isSecretsManagerSecret = (node: Node) => SECRETS.has(node.type);

export interface Path {
    fn: Node;
    /** The whole path in words, naming both ends. */
    path: string;
    /** The resource policy that already reports this path's root cause, on the resource carrying the setting to change. */
    reportedBy?: ReportedBy;
    /** How the path itself caps how often it invokes the function (an API Gateway throttle); absent when it can't. */
    throttle?: () => Throttle;
    /**
     * Set on a public path that is a normal design (a CDN in front of a function), to what to do if the
     * function is not meant to be public: said, but never as a mandatory line of its own.
     */
    byDesign?: string;
}

/** Whether a path caps how often it invokes a function; undefined when a deciding value is unknown (then `at` names it). */
export interface Throttle {
    capped: boolean | undefined;
    /** The resource that holds the throttle (when capped), or the unknown value (when undecided). */
    at?: { node: Node; property: string };
}
