// How AWS services invoke Lambda functions. Source: AWS Lambda Developer Guide, "Invoking Lambda
// with events from other AWS services" and "Asynchronous invocation" (services listed as invoking
// functions asynchronously); reviewed 2026-11-30. Polling sources (SQS, Kinesis, DynamoDB streams,
// Kafka, MQ) use event source mappings; API Gateway, function URLs, ALB and Cognito invoke
// synchronously.

/** Service principals whose invocations are asynchronous: failed events are dropped after retries. */
export const ASYNC_INVOKING_SERVICES: string[] = [
    "s3.amazonaws.com",
    "sns.amazonaws.com",
    "events.amazonaws.com",
    "scheduler.amazonaws.com",
    "logs.amazonaws.com",
    "ses.amazonaws.com",
    "iot.amazonaws.com",
    "iotevents.amazonaws.com",
    "config.amazonaws.com",
    "codecommit.amazonaws.com",
    "codepipeline.amazonaws.com",
    "cloudformation.amazonaws.com",
];
