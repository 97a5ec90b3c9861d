import { checkStack, TestResource } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";

const urn = (type: string, name: string) => `urn:pulumi:dev::shop::${type}::${name}`;
const FN = "aws:lambda/function:Function";
const QUEUE = "aws:sqs/queue:Queue";
const ESM = "aws:lambda/eventSourceMapping:EventSourceMapping";
const INVOKE_CONFIG = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig";

function res(type: string, name: string, props: Record<string, unknown>, deps: Record<string, [string, string][]> = {}): TestResource {
    return {
        type, name, urn: urn(type, name), props,
        propertyDependencies: Object.fromEntries(Object.entries(deps).map(([k, refs]) => [k, refs.map(([t, n]) => urn(t, n))])),
    };
}

const worker = (extra: Record<string, unknown> = {}) => res(FN, "worker", { name: "worker", runtime: "nodejs22.x", role: UNKNOWN, ...extra });
const mapping = (queue: string) => res(ESM, "jobs-mapping", { functionName: UNKNOWN, eventSourceArn: UNKNOWN }, { functionName: [[FN, "worker"]], eventSourceArn: [[QUEUE, queue]] });
const DLQ_ARN = "arn:aws:sqs:eu-west-1:111122223333:jobs-dlq";

describe("aws event source stack policies", () => {
    describe("aws-sqs-queue-trigger-redrive", () => {
        const name = "aws-sqs-queue-trigger-redrive";
        it("passes a triggering queue with a redrive policy, inline, computed or as its own resource", async () => {
            expectPass(await checkStack(name, [worker(), res(QUEUE, "jobs", { redrivePolicy: JSON.stringify({ deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 5 }) }), mapping("jobs")]));
            expectPass(await checkStack(name, [worker(), res(QUEUE, "jobs-dlq", {}), res(QUEUE, "jobs", { redrivePolicy: UNKNOWN }, { redrivePolicy: [[QUEUE, "jobs-dlq"]] }), mapping("jobs")]));
            expectPass(await checkStack(name, [
                worker(), res(QUEUE, "jobs", { redrivePolicy: UNKNOWN }), mapping("jobs"),
                res("aws:sqs/redrivePolicy:RedrivePolicy", "jobs-redrive", { queueUrl: UNKNOWN, redrivePolicy: UNKNOWN }, { queueUrl: [[QUEUE, "jobs"]] }),
            ]));
        });
        it("passes a queue without redrive that triggers nothing", async () => {
            expectPass(await checkStack(name, [worker(), res(QUEUE, "jobs", {})]));
        });
        it("flags a triggering queue without a redrive policy, on the queue, naming the function and the mapping", async () => {
            const out = await checkStack(name, [worker(), res(QUEUE, "jobs", { redrivePolicy: "" }), mapping("jobs")]);
            expectViolation(out, /queue `jobs` triggers function `worker` through EventSourceMapping `jobs-mapping` but has no redrivePolicy/, "advisory");
            expectViolation(await checkStack(name, [worker(), res("aws-native:sqs:Queue", "jobs", {}),
                res("aws-native:lambda:EventSourceMapping", "m", { functionName: UNKNOWN, eventSourceArn: UNKNOWN }, { functionName: [[FN, "worker"]], eventSourceArn: [["aws-native:sqs:Queue", "jobs"]] })]), /queue `jobs`/);
        });
        it("waits when the provider computes the redrive policy and nothing in the program feeds it", async () => {
            expectUnknown(await checkStack(name, [worker(), res(QUEUE, "jobs", { redrivePolicy: UNKNOWN }), mapping("jobs")]));
        });
    });

    describe("aws-lambda-destination-cross-account", () => {
        const name = "aws-lambda-destination-cross-account";
        const config = (destination: unknown) => res(INVOKE_CONFIG, "worker-async", { functionName: UNKNOWN, destinationConfig: { onFailure: { destination } } }, { functionName: [[FN, "worker"]] });
        const arn = "arn:aws:lambda:eu-west-1:111122223333:function:worker";
        it("passes a destination in the function's account, a computed one, and a trusted account", async () => {
            expectPass(await checkStack(name, [worker({ arn }), config(DLQ_ARN)]));
            expectPass(await checkStack(name, [worker({ arn }), config(UNKNOWN)]));
            expectPass(await checkStack(name, [worker({ arn }), config("arn:aws:sqs:eu-west-1:999988887777:ops")], { config: { trustedAccountIds: ["999988887777"] } }));
        });
        it("flags a destination in another account, on the invoke config and on a stream mapping", async () => {
            expectViolation(await checkStack(name, [worker({ arn }), config("arn:aws:sqs:eu-west-1:999988887777:ops")]),
                /destinationConfig\.onFailure\.destination is in account 999988887777, not the function's account 111122223333: the full event leaves the account/, "advisory");
            const esm = res(ESM, "clicks", { functionName: arn, eventSourceArn: "arn:aws:kinesis:eu-west-1:111122223333:stream/clicks", destinationConfig: { onFailure: { destinationArn: "arn:aws:sns:eu-west-1:999988887777:ops" } } });
            expectViolation(await checkStack(name, [esm]), /destinationConfig\.onFailure\.destinationArn is in account 999988887777/);
        });
        it("waits for the function's account when only the destination's is known", async () => {
            expectUnknown(await checkStack(name, [worker({ arn: UNKNOWN }), config("arn:aws:sqs:eu-west-1:999988887777:ops")]));
        });
    });
});
