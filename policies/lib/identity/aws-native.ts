// AWS Cloud Control (@pulumi/aws-native) identities: read like the classic provider's (ARNs, names,
// queue URLs; IAM without region, bucket names global), from aws-native's own property names. A
// reference property (a permission's `functionName`, a role policy's `roleName`) is not an identity,
// so each type is known only by the properties that name itself.
import { awsShapedAdapter } from "./aws";

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
    "aws-native:dynamodb:Table": ["tableName"],
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
