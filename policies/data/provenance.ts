// What a value computed from another resource of the stack can be, by the type of that resource: the
// table behind policies/lib/provenance.ts. During `pulumi preview` an IAM member, a role ARN or an
// environment variable computed from a resource created in the same run is unknown, but the engine says
// which resources each input property came from (propertyDependencies), and the type of the source often
// settles what the check needs to know.
//
// Kinds:
// - identity: outputs are the identity's own identifiers (email, ARN, principal id, client id) or names;
//   a member, principal or role computed only from identities (and references, which can't be one) is
//   one of them: never a public principal, a whole account or a Google default service account.
// - reference: outputs name or locate a resource (name, ARN, URL, id, endpoint); not a secret.
// - secret: outputs are credentials (a generated password, an access key, a private key); a value
//   computed from one is a secret.
// - secretData: holds secret data (a secret version, a Key Vault secret) whose data outputs are Pulumi
//   secrets in every SDK, and whose name, id or URI are references: a value computed from it is a secret
//   when it arrives marked secret, a reference otherwise.
// - keyedStore: a store whose keys and connection strings are reachable from the resource (an Azure
//   storage account: `primaryConnectionString`, `listStorageAccountKeys`; a Service Bus or Event Hubs
//   namespace: classic `defaultPrimaryConnectionString`, azure-native `listNamespaceKeys`, whose result
//   depends on the namespace; an authorization rule, whose outputs or list*Keys result are its keys); a
//   value computed from it is a secret in a setting that holds a connection string or key (by the
//   setting's name: a secret-like name, AzureWebJobsStorage), a reference in a setting whose name says
//   it locates the resource (an identity-based connection's `__fullyQualifiedNamespace`,
//   `__accountName`, `__serviceUri`, or a name ending in Name, Url, Uri, Endpoint, Id...), and undecided
//   in any other: a binding's connection setting named after the binding (`OrdersQueue`) holds a
//   connection string.
// A type not listed leaves the value undecided: the check keeps waiting and says which resource it
// comes from.
//
// Sources: the provider schemas of @pulumi/aws 7.48, @pulumi/aws-native 1.79, @pulumi/azure-native 3.28,
// @pulumi/azure 6.40, @pulumi/gcp 9.37 and @pulumi/random 4.21 (output names and their secret marking,
// e.g. random's additionalSecretOutputs ["bcryptHash", "result"], aws.iam.AccessKey's ["secret",
// "sesSmtpPasswordV4"], gcp.serviceaccount.Key's ["privateKey"], azure.storage.Account's access keys and
// connection strings; azure.servicebus.Namespace's and azure.eventhub.EventHubNamespace's
// defaultPrimaryConnectionString and defaultPrimaryKey; the classic authorization rules' primaryKey and
// primaryConnectionString; azure-native servicebus and eventhub namespaces, whose outputs are names,
// endpoints and ids, with keys only through listNamespaceKeys; azure.cosmosdb.Account's primaryKey and
// connectionStrings, azure-native listDatabaseAccountKeys; azure.eventgrid.Topic's primaryAccessKey,
// azure-native listTopicSharedAccessKeys). Application Insights' connection string and instrumentation
// key identify where telemetry goes and aren't credentials: Microsoft Learn, "Connection strings in
// Application Insights" ("the connection string isn't considered a security token or key"). Reviewed
// 2026-12-06.

export type SourceKind = "identity" | "reference" | "secret" | "secretData" | "keyedStore";

export interface SourceType {
    kind: SourceKind;
    /** What the resource is, for messages ("service account", "random password"). */
    what: string;
}

export type Cloud = "aws" | "azure" | "gcp" | "random";

const identity = (what: string): SourceType => ({ kind: "identity", what });
const reference = (what: string): SourceType => ({ kind: "reference", what });
const secret = (what: string): SourceType => ({ kind: "secret", what });
const secretData = (what: string): SourceType => ({ kind: "secretData", what });
const keyedStore = (what: string): SourceType => ({ kind: "keyedStore", what });

/** Per cloud (and the random provider, used with all three), the source types by type token. */
export const SOURCE_TYPES: Record<Cloud, Readonly<Record<string, SourceType>>> = {
    random: {
        "random:index/randomPassword:RandomPassword": secret("random password"),
    },
    aws: {
        "aws:iam/role:Role": identity("IAM role"),
        "aws:iam/user:User": identity("IAM user"),
        "aws-native:iam:Role": identity("IAM role"),
        "aws-native:iam:User": identity("IAM user"),
        "aws:iam/accessKey:AccessKey": secret("IAM access key"),
        "aws:secretsmanager/secretVersion:SecretVersion": secretData("Secrets Manager secret version"),
        "aws:ssm/parameter:Parameter": secretData("SSM parameter"),
        "aws-native:ssm:Parameter": secretData("SSM parameter"),
        "aws:secretsmanager/secret:Secret": reference("Secrets Manager secret"),
        "aws-native:secretsmanager:Secret": reference("Secrets Manager secret"),
        "aws:sqs/queue:Queue": reference("SQS queue"),
        "aws-native:sqs:Queue": reference("SQS queue"),
        "aws:sns/topic:Topic": reference("SNS topic"),
        "aws-native:sns:Topic": reference("SNS topic"),
        "aws:dynamodb/table:Table": reference("DynamoDB table"),
        "aws-native:dynamodb:Table": reference("DynamoDB table"),
        "aws:s3/bucket:Bucket": reference("S3 bucket"),
        "aws:s3/bucketV2:BucketV2": reference("S3 bucket"),
        "aws-native:s3:Bucket": reference("S3 bucket"),
        "aws:kms/key:Key": reference("KMS key"),
        "aws-native:kms:Key": reference("KMS key"),
        "aws:lambda/function:Function": reference("Lambda function"),
        "aws-native:lambda:Function": reference("Lambda function"),
        "aws:cloudwatch/logGroup:LogGroup": reference("log group"),
        "aws-native:logs:LogGroup": reference("log group"),
    },
    azure: {
        "azure-native:managedidentity:UserAssignedIdentity": identity("user-assigned managed identity"),
        "azure:authorization/userAssignedIdentity:UserAssignedIdentity": identity("user-assigned managed identity"),
        "azure-native:storage:StorageAccount": keyedStore("storage account"),
        "azure:storage/account:Account": keyedStore("storage account"),
        "azure-native:keyvault:Secret": secretData("Key Vault secret"),
        "azure:keyvault/secret:Secret": secretData("Key Vault secret"),
        "azure-native:keyvault:Vault": reference("key vault"),
        "azure:keyvault/keyVault:KeyVault": reference("key vault"),
        "azure-native:resources:ResourceGroup": reference("resource group"),
        "azure:core/resourceGroup:ResourceGroup": reference("resource group"),
        "azure-native:storage:BlobContainer": reference("blob container"),
        "azure-native:storage:Queue": reference("storage queue"),
        "azure:storage/container:Container": reference("blob container"),
        "azure:storage/queue:Queue": reference("storage queue"),
        "azure-native:servicebus:Queue": reference("Service Bus queue"),
        "azure-native:servicebus:Topic": reference("Service Bus topic"),
        "azure:servicebus/queue:Queue": reference("Service Bus queue"),
        "azure:servicebus/topic:Topic": reference("Service Bus topic"),
        "azure-native:servicebus:Namespace": keyedStore("Service Bus namespace"),
        "azure:servicebus/namespace:Namespace": keyedStore("Service Bus namespace"),
        "azure-native:servicebus:NamespaceAuthorizationRule": keyedStore("Service Bus authorization rule"),
        "azure-native:servicebus:QueueAuthorizationRule": keyedStore("Service Bus authorization rule"),
        "azure-native:servicebus:TopicAuthorizationRule": keyedStore("Service Bus authorization rule"),
        "azure:servicebus/namespaceAuthorizationRule:NamespaceAuthorizationRule": keyedStore("Service Bus authorization rule"),
        "azure:servicebus/queueAuthorizationRule:QueueAuthorizationRule": keyedStore("Service Bus authorization rule"),
        "azure:servicebus/topicAuthorizationRule:TopicAuthorizationRule": keyedStore("Service Bus authorization rule"),
        "azure-native:eventhub:Namespace": keyedStore("Event Hubs namespace"),
        "azure:eventhub/eventHubNamespace:EventHubNamespace": keyedStore("Event Hubs namespace"),
        "azure-native:eventhub:NamespaceAuthorizationRule": keyedStore("Event Hubs authorization rule"),
        "azure-native:eventhub:EventHubAuthorizationRule": keyedStore("Event Hubs authorization rule"),
        "azure:eventhub/eventHubNamespaceAuthorizationRule:EventHubNamespaceAuthorizationRule": keyedStore("Event Hubs authorization rule"),
        "azure:eventhub/authorizationRule:AuthorizationRule": keyedStore("Event Hubs authorization rule"),
        "azure-native:eventhub:EventHub": reference("event hub"),
        "azure:eventhub/eventHub:EventHub": reference("event hub"),
        "azure-native:cosmosdb:DatabaseAccount": keyedStore("Cosmos DB account"),
        "azure:cosmosdb/account:Account": keyedStore("Cosmos DB account"),
        "azure-native:eventgrid:Topic": keyedStore("Event Grid topic"),
        "azure:eventgrid/topic:Topic": keyedStore("Event Grid topic"),
        "azure-native:applicationinsights:Component": reference("Application Insights component"),
        "azure:appinsights/insights:Insights": reference("Application Insights component"),
        "azure-native:web:AppServicePlan": reference("App Service plan"),
        "azure:appservice/servicePlan:ServicePlan": reference("App Service plan"),
    },
    gcp: {
        "gcp:serviceaccount/account:Account": identity("service account"),
        "gcp:serviceaccount/key:Key": secret("service account key"),
        "gcp:secretmanager/secretVersion:SecretVersion": secretData("Secret Manager secret version"),
        "gcp:secretmanager/secret:Secret": reference("Secret Manager secret"),
        "gcp:pubsub/topic:Topic": reference("Pub/Sub topic"),
        "gcp:pubsub/subscription:Subscription": reference("Pub/Sub subscription"),
        "gcp:storage/bucket:Bucket": reference("Cloud Storage bucket"),
        "gcp:storage/bucketObject:BucketObject": reference("Cloud Storage object"),
        "gcp:kms/cryptoKey:CryptoKey": reference("Cloud KMS key"),
        "gcp:bigquery/dataset:Dataset": reference("BigQuery dataset"),
        "gcp:bigquery/table:Table": reference("BigQuery table"),
        "gcp:firestore/database:Database": reference("Firestore database"),
        "gcp:artifactregistry/repository:Repository": reference("Artifact Registry repository"),
        "gcp:cloudtasks/queue:Queue": reference("Cloud Tasks queue"),
    },
};

/**
 * Azure settings that hold a storage connection string by their name (the Functions host's storage and
 * the content share of Consumption and Premium plans); identity-based connections (`<name>__accountName`,
 * `__serviceUri`, `__credential`) name the account instead. Source: Microsoft Learn, "App settings
 * reference for Azure Functions" (reviewed 2026-12-06).
 */
export const CONNECTION_STRING_SETTINGS: readonly string[] = [
    "AzureWebJobsStorage", "AzureWebJobsDashboard", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
];

/**
 * Suffixes of the settings of an identity-based connection that locate the resource or name the
 * identity (`<connection>__fullyQualifiedNamespace`, `__accountName`, `__blobServiceUri`, ...): the
 * Functions host reads them as a host name, account name, URI or client id, never as a key. Source:
 * Microsoft Learn, "Azure Functions developer guide: identity-based connections" (reviewed 2026-12-06).
 */
export const IDENTITY_CONNECTION_SUFFIXES: readonly string[] = [
    "__fullyQualifiedNamespace", "__accountName", "__serviceUri", "__blobServiceUri", "__queueServiceUri",
    "__tableServiceUri", "__credential", "__clientId",
];
