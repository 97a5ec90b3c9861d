// What the pack is, apart from serving it: its name, the arguments of its PolicyPack and the changes
// it makes to @pulumi/policy's request handling. index.ts serves them over the analyzer protocol;
// `serverless-guard scan` runs the same policies in its own process (runner/local.ts).
import { PolicyPackArgs } from "@pulumi/policy";
import { releaseDecodedProperties, shareDeserializedProperties, shareUnknownCheckingProxies } from "./lib/shared-properties";
import { encodeResponsesByElement, finishResponses } from "./lib/response";
import { definitions } from "./registry";

export const PACK_NAME = "serverless-guard";

export const PACK_ARGS: PolicyPackArgs = {
    description: "Stops insecure serverless infrastructure (AWS Lambda, Azure Functions, Google Cloud Functions) and the IAM, storage and secrets around it at preview time.",
    policies: definitions.map(d => d.policy),
};

/** The pack's changes to the SDK (see shared-properties.ts and response.ts), installed once per process. */
export function installSdkChanges(): void {
    shareDeserializedProperties();
    releaseDecodedProperties();
    shareUnknownCheckingProxies();
    finishResponses();
    encodeResponsesByElement();
}
