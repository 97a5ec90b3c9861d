// Every policy of the pack, in a stable order (cloud, then module).
import { PolicyDefinition } from "./lib/define";
import { lambdaPolicies } from "./aws/lambda";
import { lambdaGuardPolicies } from "./aws/lambda-guards";
import { apiGatewayPolicies } from "./aws/apigateway";
import { openApiPolicies } from "./aws/openapi";
import { apiGatewayRestApiPolicies } from "./aws/apigateway-restapi";
import { apiGatewayStagePolicies } from "./aws/apigateway-stages";
import { apiGatewayV2Policies } from "./aws/apigatewayv2";
import { iamPolicies } from "./aws/iam";
import { iamActionPolicies } from "./aws/iam-actions";
import { storagePolicies } from "./aws/storage";
import { eventSourcePolicies } from "./aws/eventsources";
import { cloudFrontPolicies, lambdaEdgePolicies } from "./aws/cloudfront";
import { stepFunctionsPolicies } from "./aws/stepfunctions";
import { appSyncPolicies } from "./aws/appsync";
import { invokerPolicies } from "./stack/aws-invokers";
import { functionAppPolicies } from "./azure/functionapp";
import { settingsPolicies } from "./azure/settings";
import { storagePolicies as azureStoragePolicies } from "./azure/storage";
import { keyVaultPolicies } from "./azure/keyvault";
import { authorizationPolicies } from "./azure/authorization";
import { networkPolicies as azureNetworkPolicies } from "./azure/network";
import { messagingPolicies as azureMessagingPolicies } from "./azure/messaging";
import { containerAppPolicies } from "./azure/containerapps";
import { apimPolicies } from "./azure/apim";
import { functionPolicies } from "./gcp/functions";
import { ingressPolicies } from "./gcp/ingress";
import { invokerIamPolicies } from "./gcp/invoker-iam";
import { projectIamPolicies } from "./gcp/project-iam";
import { storagePolicies as gcpStoragePolicies } from "./gcp/storage";
import { cloudRunPolicies } from "./gcp/cloudrun";
import { serviceAccountIamPolicies } from "./gcp/service-account-iam";
import { triggerPolicies } from "./gcp/triggers";
import { pubsubPolicies } from "./gcp/pubsub";
import { apiGatewayPolicies as gcpApiGatewayPolicies } from "./gcp/apigateway";
import { identityPolicies } from "./stack/identity";
import { invocationPolicies } from "./stack/invocation";
import { flowPolicies } from "./stack/flow";
import { dataPolicies } from "./stack/data";
import { loggingPolicies } from "./stack/logging";
import { lambdaStackPolicies } from "./stack/aws-lambda";
import { apiGatewayStackPolicies } from "./stack/aws-apigateway";
import { eventSourceStackPolicies } from "./stack/aws-eventsources";
import { triggerSourcePolicies } from "./stack/trigger-sources";
import { packPolicies } from "./pack/deferred";
import { diagnosticPolicies } from "./stack/azure-diagnostics";
import { azureAuthAbsentPolicies } from "./stack/azure-auth-absent";

export const definitions: PolicyDefinition[] = [
    ...packPolicies,
    ...lambdaPolicies,
    ...lambdaGuardPolicies,
    ...apiGatewayPolicies,
    ...openApiPolicies,
    ...apiGatewayRestApiPolicies,
    ...apiGatewayStagePolicies,
    ...apiGatewayV2Policies,
    ...iamPolicies,
    ...iamActionPolicies,
    ...storagePolicies,
    ...eventSourcePolicies,
    ...cloudFrontPolicies,
    ...lambdaEdgePolicies,
    ...stepFunctionsPolicies,
    ...appSyncPolicies,
    ...invokerPolicies,
    ...functionAppPolicies,
    ...settingsPolicies,
    ...azureStoragePolicies,
    ...keyVaultPolicies,
    ...authorizationPolicies,
    ...azureNetworkPolicies,
    ...azureMessagingPolicies,
    ...containerAppPolicies,
    ...apimPolicies,
    ...functionPolicies,
    ...ingressPolicies,
    ...invokerIamPolicies,
    ...projectIamPolicies,
    ...gcpStoragePolicies,
    ...cloudRunPolicies,
    ...serviceAccountIamPolicies,
    ...triggerPolicies,
    ...pubsubPolicies,
    ...gcpApiGatewayPolicies,
    ...identityPolicies,
    ...invocationPolicies,
    ...azureAuthAbsentPolicies,
    ...flowPolicies,
    ...dataPolicies,
    ...loggingPolicies,
    ...diagnosticPolicies,
    ...lambdaStackPolicies,
    ...apiGatewayStackPolicies,
    ...eventSourceStackPolicies,
    ...triggerSourcePolicies,
];

