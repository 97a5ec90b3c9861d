import { PolicyPack } from "@pulumi/policy";
import { releaseDecodedProperties, shareDeserializedProperties, shareUnknownCheckingProxies } from "./policies/lib/shared-properties";
import { encodeResponsesByElement, finishResponses } from "./policies/lib/response";
import { definitions } from "./policies/registry";
import { rejectConfigProblems } from "./policies/lib/config-guard";
import { policyInfos } from "./runner/validate-config";
import { captureConfiguredLevels } from "./policies/lib/redecide";

shareDeserializedProperties();
releaseDecodedProperties();
shareUnknownCheckingProxies();
finishResponses();
encodeResponsesByElement();
rejectConfigProblems(policyInfos(definitions));
captureConfiguredLevels();

new PolicyPack("serverless-guard", {
    description: "Stops insecure serverless infrastructure (AWS Lambda, Azure Functions, Google Cloud Functions) and the IAM, storage and secrets around it at preview time.",
    policies: definitions.map(d => d.policy),
});
