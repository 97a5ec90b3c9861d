// The identity adapters of every cloud's providers, registered with the resolver the resource graph
// uses (lib/identity) as soon as any model is loaded: the graph itself knows no provider.
import { registerAdapter } from "../lib/identity";
import { awsAdapter, awsNativeAdapter } from "./aws/identity";
import { azureAdapter, azureClassicAdapter } from "./azure/identity";
import { gcpAdapter } from "./gcp/identity";

for (const adapter of [azureClassicAdapter, azureAdapter, gcpAdapter, awsNativeAdapter, awsAdapter]) {
    registerAdapter(adapter);
}
