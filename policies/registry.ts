// Every policy of the pack, in a stable order (cloud, then module).
import { PolicyDefinition } from "./lib/define";
import { setFinalStackPolicy } from "./lib/heap";
import { lambdaPolicies } from "./aws/lambda";
import { apiGatewayPolicies } from "./aws/apigateway";
import { iamPolicies } from "./aws/iam";
import { storagePolicies } from "./aws/storage";
import { functionAppPolicies } from "./azure/functionapp";
import { settingsPolicies } from "./azure/settings";
import { storagePolicies as azureStoragePolicies } from "./azure/storage";
import { keyVaultPolicies } from "./azure/keyvault";
import { authorizationPolicies } from "./azure/authorization";
import { networkPolicies as azureNetworkPolicies } from "./azure/network";
import { functionPolicies } from "./gcp/functions";
import { invokerIamPolicies } from "./gcp/invoker-iam";
import { projectIamPolicies } from "./gcp/project-iam";
import { storagePolicies as gcpStoragePolicies } from "./gcp/storage";
import { cloudRunPolicies } from "./gcp/cloudrun";
import { serviceAccountIamPolicies } from "./gcp/service-account-iam";
import { triggerPolicies } from "./gcp/triggers";
import { identityPolicies } from "./stack/identity";
import { invocationPolicies } from "./stack/invocation";
import { flowPolicies } from "./stack/flow";
import { dataPolicies } from "./stack/data";
import { loggingPolicies } from "./stack/logging";
import { packPolicies } from "./pack/deferred";
import { diagnosticPolicies } from "./stack/azure-diagnostics";

export const definitions: PolicyDefinition[] = [
    ...packPolicies,
    ...lambdaPolicies,
    ...apiGatewayPolicies,
    ...iamPolicies,
    ...storagePolicies,
    ...functionAppPolicies,
    ...settingsPolicies,
    ...azureStoragePolicies,
    ...keyVaultPolicies,
    ...authorizationPolicies,
    ...azureNetworkPolicies,
    ...functionPolicies,
    ...invokerIamPolicies,
    ...projectIamPolicies,
    ...gcpStoragePolicies,
    ...cloudRunPolicies,
    ...serviceAccountIamPolicies,
    ...triggerPolicies,
    ...identityPolicies,
    ...invocationPolicies,
    ...flowPolicies,
    ...dataPolicies,
    ...loggingPolicies,
    ...diagnosticPolicies,
];

setFinalStackPolicy(definitions.filter(d => d.kind === "stack").pop()?.meta.name);
