// Every policy of the pack, in a stable order (cloud, then module).
import { PolicyDefinition } from "./lib/define";
import { lambdaPolicies } from "./aws/lambda";
import { apiGatewayPolicies } from "./aws/apigateway";
import { iamPolicies } from "./aws/iam";
import { storagePolicies } from "./aws/storage";
// azure imports
// gcp imports

export const definitions: PolicyDefinition[] = [
    ...lambdaPolicies,
    ...apiGatewayPolicies,
    ...iamPolicies,
    ...storagePolicies,
    // azure policies
    // gcp policies
];
