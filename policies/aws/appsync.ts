// AppSync GraphQL APIs: front doors whose resolvers call functions (Lambda data sources). How callers
// authenticate and what the API logs, on the classic provider and on AWS Cloud Control (aws-native).
import { Adapters, Field, renames, viewPolicy } from "../lib/view";
import { asList, asString, at } from "../lib/values";

export const GRAPHQL_API = "aws:appsync/graphQLApi:GraphQLApi";
export const NATIVE_GRAPHQL_API = "aws-native:appsync:GraphQlApi";
export const DATA_SOURCE = "aws:appsync/dataSource:DataSource";
export const NATIVE_DATA_SOURCE = "aws-native:appsync:DataSource";

type GraphQlApiView = Record<"authenticationType" | "additionalProviders" | "visibility" | "fieldLogLevel", Field>;
const API_PATHS = {
    authenticationType: "authenticationType", additionalProviders: "additionalAuthenticationProviders", visibility: "visibility",
    fieldLogLevel: "logConfig.fieldLogLevel",
};
export const GRAPHQL_APIS: Adapters<GraphQlApiView> = { [GRAPHQL_API]: renames(API_PATHS), [NATIVE_GRAPHQL_API]: renames(API_PATHS) };

const upper = (value: unknown) => asString(value)?.trim().toUpperCase();

export const API_KEY_AUTH = "aws-appsync-api-key-auth";

/**
 * How far an API key reaches when it is an API's default provider: "alone" (no other provider, a
 * public API: anyone with the key calls every resolver), "with-others" (fields without an auth
 * directive take the key), "private" (only from inside the VPC); undefined when the default is not an
 * API key.
 */
export function apiKeyReach(view: GraphQlApiView): "alone" | "with-others" | "private" | undefined {
    if (upper(view.authenticationType.read()) !== "API_KEY") {
        return undefined;
    }
    if (asList(view.additionalProviders.read()).some(p => upper(at(p, "authenticationType")) !== "API_KEY")) {
        return "with-others";
    }
    return upper(view.visibility.read()) === "PRIVATE" ? "private" : "alone";
}

export const appSyncPolicies = [
    viewPolicy({
        name: API_KEY_AUTH,
        description: "AppSync GraphQL APIs must not rely on API keys alone: a key is a shared string shipped to every client, it identifies an app but authenticates no caller, so anyone holding it runs every resolver against the tables, functions and endpoints behind them.",
        severity: "high",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2", "OWASP API2:2023"],
        remediation: "Set authenticationType to \"AMAZON_COGNITO_USER_POOLS\", \"OPENID_CONNECT\", \"AWS_IAM\" or \"AWS_LAMBDA\"; keep an API key only as an additional provider for fields marked @aws_api_key that may be public.",
        adapters: GRAPHQL_APIS,
        check: ({ view, report, warn }) => {
            const reach = apiKeyReach(view);
            if (reach === undefined) {
                return;
            }
            if (reach === "with-others") {
                const others = asList(view.additionalProviders.read()).map(p => upper(at(p, "authenticationType"))).filter(t => t !== "API_KEY");
                warn(`${view.authenticationType.where} is "API_KEY" while ${view.additionalProviders.where} offers ${others.map(t => `"${t}"`).join(", ")}: every field without an auth directive is open to anyone with the key; make the stronger provider the default.`);
                return;
            }
            if (reach === "private") {
                warn(`${view.authenticationType.where} is "API_KEY" and no other provider is configured: the private API authenticates no caller inside the VPC; use IAM, Cognito, OIDC or a Lambda authorizer.`);
                return;
            }
            report(`${view.authenticationType.where} is "API_KEY" and no other provider is configured: anyone with the key, which every client carries, can run every query and mutation of the public API against its data sources (tables, functions, HTTP endpoints); use IAM, Cognito, OIDC or a Lambda authorizer.`);
        },
    }),

    viewPolicy({
        name: "aws-appsync-field-logging",
        description: "AppSync GraphQL APIs should log resolver errors (field-level logging ERROR or ALL), so that failing and abused resolvers, and the functions behind them, can be traced.",
        severity: "low",
        threats: ["P7"],
        references: ["Checkov CKV_AWS_193", "Checkov CKV_AWS_194", "AWS Security Hub AppSync.2"],
        remediation: "Set logConfig with fieldLogLevel \"ERROR\" (or \"ALL\", with excludeVerboseContent true) and a cloudwatchLogsRoleArn (cloudWatchLogsRoleArn on aws-native).",
        adapters: GRAPHQL_APIS,
        check: ({ view, report }) => {
            const level = upper(view.fieldLogLevel.read());
            if (level === undefined || level === "" || level === "NONE") {
                report(`${view.fieldLogLevel.where} is ${level === "NONE" ? "\"NONE\"" : "not set"}: resolver errors are not logged; set it to "ERROR" or "ALL".`);
            }
        },
    }),
];
