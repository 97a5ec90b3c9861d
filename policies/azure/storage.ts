// Azure Storage accounts that function apps use for their host state, triggers and data.
import type { StorageAccountArgs } from "@pulumi/azure-native/storage/storageAccount";
import type { Unwrap } from "@pulumi/pulumi";
import { resourcePolicy } from "../lib/define";
import { asBoolean, asString, at } from "../lib/values";
import { STORAGE_ACCOUNT } from "./common";

type AccountProps = Unwrap<StorageAccountArgs>;

const WEAK_TLS = new Set(["TLS1_0", "TLS1_1"]);

export const storagePolicies = [
    resourcePolicy<AccountProps>({
        name: "azure-storage-https-only",
        description: "Storage accounts must accept HTTPS only (secure transfer required) so that data and keys never travel unencrypted.",
        severity: "high",
        threats: ["R4"],
        references: ["CIS Azure Foundations 3.1"],
        remediation: "Set enableHttpsTrafficOnly to true (or leave it unset: the default is true).",
        resourceTypes: [STORAGE_ACCOUNT],
        check: ({ props, report }) => {
            if (asBoolean(props.enableHttpsTrafficOnly) === false) {
                report("enableHttpsTrafficOnly is false: the account accepts plain HTTP; set it to true.");
            }
        },
        remediate: props => asBoolean(props.enableHttpsTrafficOnly) === false ? { enableHttpsTrafficOnly: true } : undefined,
    }),

    resourcePolicy<AccountProps>({
        name: "azure-storage-min-tls",
        description: "Storage accounts must refuse TLS below 1.2, whose protocol weaknesses expose data and account keys in transit.",
        severity: "high",
        threats: ["R4", "R3"],
        references: ["CIS Azure Foundations 3.15"],
        remediation: "Set minimumTlsVersion to \"TLS1_2\".",
        resourceTypes: [STORAGE_ACCOUNT],
        check: ({ props, report }) => {
            const version = asString(props.minimumTlsVersion);
            if (version === undefined) {
                report("minimumTlsVersion is not set (the API's default is TLS 1.0): set it to \"TLS1_2\".");
            } else if (WEAK_TLS.has(version)) {
                report(`minimumTlsVersion is "${version}": set it to "TLS1_2".`);
            }
        },
        remediate: props => {
            const version = asString(props.minimumTlsVersion);
            return version === undefined || WEAK_TLS.has(version) ? { minimumTlsVersion: "TLS1_2" } : undefined;
        },
    }),

    resourcePolicy<AccountProps>({
        name: "azure-storage-blob-public-access",
        description: "Storage accounts must not allow anonymous public access to blobs, or one container setting exposes its data to the internet.",
        severity: "high",
        threats: ["R4"],
        references: ["CIS Azure Foundations 3.17"],
        remediation: "Set allowBlobPublicAccess to false and serve public content through a CDN or SAS with short expiry.",
        resourceTypes: [STORAGE_ACCOUNT],
        check: ({ props, report }) => {
            if (asBoolean(props.allowBlobPublicAccess) === true) {
                report("allowBlobPublicAccess is true: containers can be made public; set it to false.");
            }
        },
        remediate: props => asBoolean(props.allowBlobPublicAccess) === true ? { allowBlobPublicAccess: false } : undefined,
    }),

    resourcePolicy<AccountProps>({
        name: "azure-storage-shared-key-access",
        description: "Storage accounts should disable Shared Key authorization so that every request is authorized with Microsoft Entra ID and no account key can leak.",
        severity: "medium",
        threats: ["P5", "R4"],
        references: ["OWASP SAS-7"],
        remediation: "Set allowSharedKeyAccess to false after moving clients (including AzureWebJobsStorage) to identity-based connections.",
        resourceTypes: [STORAGE_ACCOUNT],
        check: ({ props, report }) => {
            if (asBoolean(props.allowSharedKeyAccess) !== false) {
                report("allowSharedKeyAccess is not false (unset means true): account keys and SAS tokens signed with them work; set it to false.");
            }
        },
    }),

    resourcePolicy<AccountProps, { requireInfrastructureEncryption: boolean; requireCustomerManagedKey: boolean }>({
        name: "azure-storage-encryption",
        description: "Storage accounts holding critical data should use infrastructure (double) encryption and customer-managed keys where the organization requires them.",
        severity: "medium",
        threats: ["R4"],
        references: ["CIS Azure Foundations 3.2", "CIS Azure Foundations 3.12"],
        remediation: "Set encryption.requireInfrastructureEncryption to true (only possible at creation) and/or encryption.keySource to \"Microsoft.Keyvault\" with encryption.keyVaultProperties and an identity.",
        resourceTypes: [STORAGE_ACCOUNT],
        config: {
            requireInfrastructureEncryption: { type: "boolean", default: false, description: "Require infrastructure (double) encryption." },
            requireCustomerManagedKey: { type: "boolean", default: false, description: "Require a customer-managed key in Key Vault instead of Microsoft-managed keys." },
        },
        check: ({ props, report, part, config }) => {
            if (config.requireInfrastructureEncryption) {
                part(() => {
                    if (asBoolean(at(props.encryption, "requireInfrastructureEncryption")) !== true) {
                        report("encryption.requireInfrastructureEncryption is not true.");
                    }
                });
            }
            if (config.requireCustomerManagedKey) {
                part(() => {
                    if (asString(at(props.encryption, "keySource"))?.toLowerCase() !== "microsoft.keyvault") {
                        report("encryption.keySource is not \"Microsoft.Keyvault\": data is encrypted with Microsoft-managed keys only.");
                    }
                });
            }
        },
    }),
];
