// Platform defaults, limits and retirements that decide whether a setting left unset is a finding.
// Each fact carries its source and the date it was last checked; a fact that changes on a known day
// carries that day and is evaluated against today's date (or a policy's evaluationDate), like the
// runtime schedules in ./runtimes*.ts. Updating a default is a data change here.

import type { PlatformFact } from "../lib/platform";

export interface Sourced {
    source: string;
    /** YYYY-MM-DD the fact was last checked against its source. */
    reviewed: string;
}

/** Azure Storage's TLS floor: the API default before the retirement, and the day every account refused TLS 1.0/1.1. */
export const AZURE_STORAGE_TLS: Sourced & { retiredSince: string; apiDefaultBefore: string; floor: string } = {
    retiredSince: "2026-02-03",
    apiDefaultBefore: "TLS1_0",
    floor: "TLS1_2",
    source: "Microsoft Learn, 'Enforce a minimum required version of Transport Layer Security (TLS) for requests to a storage account' " +
        "and Azure Updates, 'TLS 1.0 and 1.1 support will be removed for Azure Blob Storage' (retirement moved to 2026-02-03)",
    reviewed: "2026-12-06",
};

/** The kinds of host Google caps by default, and at how many instances when the user sets no maximum. */
export type GcpHostKind = "function-gen1" | "function-gen2" | "cloud-run";

export const GCP_DEFAULT_MAX_INSTANCES: Sourced & { instances: Record<GcpHostKind, number> } = {
    instances: { "function-gen1": 3000, "function-gen2": 100, "cloud-run": 100 },
    source: "Google Cloud documentation, 'Configure maximum instances' for Cloud Run functions " +
        "(https://cloud.google.com/functions/docs/configuring/max-instances: 3,000 for 1st gen, 100 for Cloud Run functions) " +
        "and 'About maximum instances' for Cloud Run services (https://cloud.google.com/run/docs/about-instance-autoscaling: 100 by default)",
    reviewed: "2026-12-06",
};

/** Azure Functions hosting plans, as an App Service plan's SKU tier tells them apart. */
export type AzurePlanKind = "consumption" | "flex-consumption" | "premium" | "dedicated";
export type AzureOs = "linux" | "windows";

export interface AzurePlanFacts {
    label: string;
    /** Whether apps on the plan have an FTP(S) publishing endpoint, per operating system. */
    ftp: Record<AzureOs, boolean>;
    /**
     * The platform's scale-out maximum per app when the app sets no limit (undefined: the plan's own
     * setting decides, e.g. a Premium plan's maximumElasticWorkerCount).
     */
    maxInstances: Partial<Record<AzureOs, number>>;
    /** Scale-out is the plan's instance count (and its autoscale rules), not a per-app limit. */
    scaledByPlan: boolean;
}

export const AZURE_FUNCTIONS_PLANS: Sourced & { plans: Record<AzurePlanKind, AzurePlanFacts>; tiers: Record<string, AzurePlanKind> } = {
    plans: {
        "consumption": { label: "Consumption", ftp: { linux: false, windows: true }, maxInstances: { linux: 100, windows: 200 }, scaledByPlan: false },
        "flex-consumption": { label: "Flex Consumption", ftp: { linux: false, windows: false }, maxInstances: { linux: 100 }, scaledByPlan: false },
        "premium": { label: "Premium (Elastic Premium)", ftp: { linux: true, windows: true }, maxInstances: {}, scaledByPlan: false },
        "dedicated": { label: "dedicated App Service", ftp: { linux: true, windows: true }, maxInstances: {}, scaledByPlan: true },
    },
    /** App Service plan SKU tiers (sku.tier) and SKU name prefixes (classic skuName) of the serverless plans; every other tier is dedicated. */
    tiers: { dynamic: "consumption", y: "consumption", flexconsumption: "flex-consumption", fc: "flex-consumption", elasticpremium: "premium", ep: "premium" },
    source: "Microsoft Learn, 'Azure Functions hosting options' (https://learn.microsoft.com/azure/azure-functions/functions-scale, " +
        "Scale table: Consumption 200 Windows / 100 Linux; Premium by the plan's maximum burst; Dedicated by the plan's instance count), " +
        "'Azure Functions Flex Consumption plan hosting' (maximumInstanceCount defaults to 100), and 'Deployment technologies in Azure Functions' " +
        "(FTPS: not on Linux Consumption or Flex Consumption)",
    reviewed: "2026-12-06",
};

/** SNS keeps stored messages on encrypted disks whether or not a topic has a KMS key; SSE-KMS is the option for a key you control. */
export const SNS_DEFAULT_DISK_ENCRYPTION: PlatformFact = {
    fact: "SNS stores messages with disk encryption by default",
    // The documentation states it without a start date; it is the date the statement was checked.
    since: "2026-12-06",
    source: "https://docs.aws.amazon.com/sns/latest/dg/sns-data-encryption.html (\"By default, Amazon SNS stores messages and files using disk encryption\")",
    reviewed: "2026-12-06",
};

/** New SQS queues are encrypted with SQS-owned keys (SSE-SQS) unless a KMS key is set or SSE is switched off; existing queues kept their setting. */
export const SQS_DEFAULT_SSE: PlatformFact = {
    fact: "SQS encrypts new queues with SQS-managed keys (SSE-SQS) by default",
    since: "2022-10-18",
    source: "https://aws.amazon.com/blogs/compute/announcing-server-side-encryption-with-amazon-simple-queue-service-managed-encryption-keys-sse-sqs-by-default/ " +
        "(\"all newly created queues using HTTPS (TLS) and Signature Version 4 endpoints are encrypted using SQS-owned encryption (SSE-SQS) by default\"; existing queues are not affected)",
    reviewed: "2026-12-06",
};

/** Azure Service Bus and Event Hubs refuse TLS 1.0/1.1 on every namespace since these days, whatever minimumTlsVersion says. */
export const AZURE_MESSAGING_TLS: Sourced & { retiredSince: Record<"servicebus" | "eventhub", string>; floor: string } = {
    retiredSince: { servicebus: "2025-02-28", eventhub: "2025-10-20" },
    floor: "1.2",
    source: "Microsoft Learn, 'Configure the minimum TLS version for a Service Bus namespace' (\"As of 28 February 2025, TLS 1.0 and TLS 1.1 " +
        "will no longer be supported on Azure Service Bus\"; the current page: namespaces permit TLS 1.2 and above) and 'Enforce a minimum required " +
        "version of Transport Layer Security (TLS) for requests to an Event Hubs namespace' (\"As of 20 October 2025, TLS 1.0 and TLS 1.1 will no " +
        "longer be supported on Azure Event Hubs\")",
    reviewed: "2026-12-06",
};

/**
 * Defaults of the classic provider's legacy function app (azure.appservice.FunctionApp and
 * FunctionAppSlot, the azurerm_function_app resource, deprecated in favour of the Linux and Windows
 * function apps): a property left unset takes these values, unlike the newer types (whose
 * functionsExtensionVersion defaults to "~4").
 */
export const AZURE_CLASSIC_LEGACY_APP_DEFAULTS: Sourced & { version: string; ftpsState: string; httpsOnly: boolean; http2Enabled: boolean; minTlsVersion: string } = {
    version: "~1",
    ftpsState: "AllAllowed",
    httpsOnly: false,
    http2Enabled: false,
    minTlsVersion: "1.2",
    source: "Pulumi Registry, azure.appservice.FunctionApp and FunctionAppSlot (@pulumi/azure 6.40.0, from azurerm_function_app): " +
        "version \"Defaults to `~1`\"; httpsOnly \"Defaults to `false`\"; siteConfig.ftpsState \"Defaults to `AllAllowed`\"; " +
        "siteConfig.http2Enabled \"Defaults to `false`\"; siteConfig.minTlsVersion \"Defaults to `1.2` for new function apps\"",
    reviewed: "2026-12-06",
};
