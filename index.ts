import { PolicyPack } from "@pulumi/policy";
import { shareDeserializedProperties } from "./policies/lib/shared-properties";
import { mergeDeferredInResponses } from "./policies/lib/deferred";
import { definitions } from "./policies/registry";

shareDeserializedProperties();
mergeDeferredInResponses();

new PolicyPack("serverless-guard", {
    description: "Stops insecure serverless infrastructure (AWS Lambda, Azure Functions, Google Cloud Functions) and the IAM, storage and secrets around it at preview time.",
    policies: definitions.map(d => d.policy),
});
