// Every policy of the pack, in a stable order (cloud, then module).
import { PolicyDefinition } from "./lib/define";
import { lambdaPolicies } from "./aws/lambda";
import { apiGatewayPolicies } from "./aws/apigateway";
import { iamPolicies } from "./aws/iam";
import { storagePolicies } from "./aws/storage";
// azure imports
// gcp imports
import { identityPolicies } from "./stack/identity";
import { invocationPolicies } from "./stack/invocation";
import { flowPolicies } from "./stack/flow";
import { dataPolicies } from "./stack/data";
import { loggingPolicies } from "./stack/logging";

export const definitions: PolicyDefinition[] = [
    ...lambdaPolicies,
    ...apiGatewayPolicies,
    ...iamPolicies,
    ...storagePolicies,
    // azure policies
    // gcp policies
    ...identityPolicies,
    ...invocationPolicies,
    ...flowPolicies,
    ...dataPolicies,
    ...loggingPolicies,
];
