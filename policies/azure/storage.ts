// Azure Storage accounts that function apps use for their host state, triggers and data, on azure-native
// and classic Azure (whose names and defaults differ: minTlsVersion defaults to TLS1_2 there, nested
// items are public unless allowNestedItemsToBePublic is false).
import { AZURE_STORAGE_TLS } from "../data/platform";
import { EVALUATION_DATE_CONFIG, evaluationDate } from "../lib/runtimes";
import { inForce } from "../lib/platform";
import { viewPolicy } from "../lib/view";
import { asBoolean, asString } from "../lib/values";
import { STORAGE_ACCOUNTS, StorageAccountView } from "./views";

const WEAK_TLS = new Set(["TLS1_0", "TLS1_1"]);
const weakText = (version: string) => version.replace(/^TLS(\d)_(\d)$/, "TLS $1.$2");

// The predicate of the resource policy that reports an account whose keys still work, shared with the
// stack policies that follow a queue or blob trigger back to its account.
export const STORAGE_SHARED_KEY = "azure-storage-shared-key-access";

/** An account that accepts Shared Key authorization (account keys and SAS tokens signed with them). */
export const allowsSharedKey = (view: StorageAccountView) => asBoolean(view.sharedKeyAccess.read()) !== false;

export const storagePolicies = [
    viewPolicy({
        name: "azure-storage-https-only",
        description: "Storage accounts must accept HTTPS only (secure transfer required) so that data and keys never travel unencrypted.",
        severity: "high",
        threats: ["R4"],
        references: ["CIS Azure Foundations v2.0.0 3.1"],
        remediation: "Set enableHttpsTrafficOnly to true (or leave it unset: the default is true).",
        adapters: STORAGE_ACCOUNTS,
        check: ({ view: { httpsOnly }, report }) => {
            if (asBoolean(httpsOnly.read()) === false) {
                report(`${httpsOnly.where} is false: the account accepts plain HTTP; set it to true.`);
            }
        },
        remediate: ({ httpsOnly }) => asBoolean(httpsOnly.read()) === false ? httpsOnly.patch(true) : undefined,
    }),

    viewPolicy<StorageAccountView, { evaluationDate?: string }>({
        name: "azure-storage-min-tls",
        description: "Storage accounts must refuse TLS below 1.2, whose protocol weaknesses expose data and account keys in transit.",
        severity: "high",
        threats: ["R4", "R3"],
        references: ["CIS Azure Foundations v2.0.0 3.15"],
        remediation: "Set minimumTlsVersion to \"TLS1_2\".",
        adapters: STORAGE_ACCOUNTS,
        config: EVALUATION_DATE_CONFIG,
        check: ({ view: { minTlsVersion }, report, warn, config }) => {
            const version = asString(minTlsVersion.read());
            const { retiredSince, apiDefaultBefore, floor } = AZURE_STORAGE_TLS;
            const retired = inForce(retiredSince, evaluationDate(config.evaluationDate));
            if (version === undefined && !retired) {
                report(`${minTlsVersion.where} is not set (until ${retiredSince} the API's default is ${weakText(apiDefaultBefore)}): set it to "${floor}".`);
            } else if (version !== undefined && WEAK_TLS.has(version)) {
                if (retired) {
                    // Azure refuses TLS 1.0/1.1 whatever the setting says: nothing is exposed, the setting only misleads.
                    warn(`${minTlsVersion.where} is "${version}", which Azure Storage no longer honours (every account refuses TLS below 1.2 since ${retiredSince}): set it to "${floor}" so that the configuration says what is enforced.`);
                } else {
                    report(`${minTlsVersion.where} is "${version}": set it to "${floor}".`);
                }
            }
        },
        remediate: ({ minTlsVersion }, { config }) => {
            const version = asString(minTlsVersion.read());
            const unsetIsWeak = !inForce(AZURE_STORAGE_TLS.retiredSince, evaluationDate(config.evaluationDate));
            return (version === undefined && unsetIsWeak) || (version !== undefined && WEAK_TLS.has(version))
                ? minTlsVersion.patch(AZURE_STORAGE_TLS.floor) : undefined;
        },
    }),

    viewPolicy({
        name: "azure-storage-blob-public-access",
        description: "Storage accounts must not allow anonymous public access to blobs, or one container setting exposes its data to the internet.",
        severity: "high",
        threats: ["R4"],
        references: ["CIS Azure Foundations v2.0.0 3.7"],
        remediation: "Set allowBlobPublicAccess to false and serve public content through a CDN or SAS with short expiry.",
        adapters: STORAGE_ACCOUNTS,
        check: ({ view: { blobPublicAccess }, report }) => {
            if (asBoolean(blobPublicAccess.read()) === true) {
                report(`${blobPublicAccess.where} is true${blobPublicAccess.isSet() ? "" : " (unset means true)"}: containers can be made public; set it to false.`);
            }
        },
        remediate: ({ blobPublicAccess }) => asBoolean(blobPublicAccess.read()) === true ? blobPublicAccess.patch(false) : undefined,
    }),

    viewPolicy({
        name: STORAGE_SHARED_KEY,
        description: "Storage accounts should disable Shared Key authorization so that every request is authorized with Microsoft Entra ID and no account key can leak.",
        severity: "medium",
        threats: ["P5", "R4"],
        references: ["OWASP SAS-7"],
        remediation: "Set allowSharedKeyAccess to false after moving clients (including AzureWebJobsStorage) to identity-based connections.",
        adapters: STORAGE_ACCOUNTS,
        check: ({ view, view: { sharedKeyAccess }, report }) => {
            if (allowsSharedKey(view)) {
                report(`${sharedKeyAccess.where} is not false (unset means true): account keys and SAS tokens signed with them work; set it to false.`);
            }
        },
    }),

    viewPolicy<StorageAccountView, { requireInfrastructureEncryption: boolean; requireCustomerManagedKey: boolean }>({
        name: "azure-storage-encryption",
        description: "Storage accounts holding critical data should use infrastructure (double) encryption and customer-managed keys where the organization requires them.",
        severity: "medium",
        threats: ["R4"],
        references: ["CIS Azure Foundations v2.0.0 3.2", "CIS Azure Foundations v2.0.0 3.12"],
        remediation: "Set encryption.requireInfrastructureEncryption to true (only possible at creation) and/or encryption.keySource to \"Microsoft.Keyvault\" with encryption.keyVaultProperties and an identity.",
        adapters: STORAGE_ACCOUNTS,
        config: {
            requireInfrastructureEncryption: { type: "boolean", default: false, description: "Require infrastructure (double) encryption." },
            requireCustomerManagedKey: { type: "boolean", default: false, description: "Require a customer-managed key in Key Vault instead of Microsoft-managed keys." },
        },
        check: ({ view: { infrastructureEncryption, customerManagedKey }, report, part, config }) => {
            if (config.requireInfrastructureEncryption) {
                part(() => {
                    if (asBoolean(infrastructureEncryption.read()) !== true) {
                        report(`${infrastructureEncryption.where} is not true.`);
                    }
                });
            }
            if (config.requireCustomerManagedKey) {
                part(() => {
                    if (customerManagedKey.read() !== true) {
                        report(`${customerManagedKey.where} doesn't select a customer-managed key in Key Vault: data is encrypted with Microsoft-managed keys only.`);
                    }
                });
            }
        },
    }),
];
