// Step Functions state machines: the orchestrators that call functions. What their executions log
// and trace, on the classic provider and on AWS Cloud Control (aws-native); their role is judged with
// every other caller's in ./invokers.
import { Adapters, Field, renames, viewPolicy } from "../lib/view";
import { asBoolean, asString } from "../lib/values";

export const STATE_MACHINE = "aws:sfn/stateMachine:StateMachine";
export const NATIVE_STATE_MACHINE = "aws-native:stepfunctions:StateMachine";

type StateMachineView = Record<"level" | "tracing" | "type", Field>;
export const STATE_MACHINES: Adapters<StateMachineView> = {
    [STATE_MACHINE]: renames({ level: "loggingConfiguration.level", tracing: "tracingConfiguration.enabled", type: "type" }),
    [NATIVE_STATE_MACHINE]: renames({ level: "loggingConfiguration.level", tracing: "tracingConfiguration.enabled", type: "stateMachineType" }),
};

export const stepFunctionsPolicies = [
    viewPolicy({
        name: "aws-sfn-state-machine-logging",
        description: "Step Functions state machines should log their executions to CloudWatch Logs, so that which functions ran with what outcome can be traced (an Express workflow keeps no other history).",
        severity: "medium",
        threats: ["P7", "R5"],
        references: ["AWS Control Tower CT.STEPFUNCTIONS.PR.1", "AWS Security Hub StepFunctions.1"],
        remediation: "Set loggingConfiguration.level to \"ERROR\" or \"ALL\" with a CloudWatch log group as destination (logDestination, or destinations on aws-native), and leave includeExecutionData off unless the payloads hold no personal data or secrets.",
        adapters: STATE_MACHINES,
        check: ({ view, report }) => {
            const level = asString(view.level.read())?.trim().toUpperCase();
            if (level === undefined || level === "" || level === "OFF") {
                const express = asString(view.type.read())?.trim().toUpperCase() === "EXPRESS";
                report(`${view.level.where} is ${level === "OFF" ? "\"OFF\"" : "not set"}: ${express ? "this Express workflow keeps no execution history at all" : "executions are not logged to CloudWatch Logs"}; set it to "ERROR" or "ALL" with a log group destination.`);
            }
        },
    }),

    viewPolicy({
        name: "aws-sfn-state-machine-tracing",
        description: "Step Functions state machines should have X-Ray tracing on, so that a request can be followed through the workflow into the functions it calls.",
        severity: "low",
        threats: ["P7", "R5"],
        references: ["AWS Control Tower CT.STEPFUNCTIONS.PR.2"],
        remediation: "Set tracingConfiguration.enabled to true.",
        adapters: STATE_MACHINES,
        check: ({ view, report }) => {
            if (asBoolean(view.tracing.read()) !== true) {
                report(`${view.tracing.where} is not true; set it to true.`);
            }
        },
        remediate: view => asBoolean(view.tracing.read()) === true ? undefined : view.tracing.patch(true),
    }),
];
