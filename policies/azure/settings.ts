// Secrets in function-app configuration: app settings and connection strings, given inline on the app
// (siteConfig lists of {name, value}) or as separate WebAppApplicationSettings / WebAppConnectionStrings
// resources (properties maps). Messages name the setting, never its value.
import { asString, at, Dict, quote } from "../lib/values";
import {
    appSettingsOf, connectionStringsOf, CONNECTION_STRING_RESOURCES, findSetting, FUNCTION_APPS, functionAppPolicy,
    isMalformedKeyVaultReference, needsKeyVaultReference, NON_SECRET_SETTINGS_CONFIG, plaintextSecret, readSetting,
    SETTINGS_RESOURCES, Setting,
} from "./common";

const ALL_SETTINGS_TYPES = [...FUNCTION_APPS, ...SETTINGS_RESOURCES, ...CONNECTION_STRING_RESOURCES];
const EMBEDDED_STORAGE_CREDENTIAL = /(?:^|;)\s*(?:AccountKey|SharedAccessSignature)\s*=/i;

/** Every app setting and connection string of the resource, labelled for messages. */
function allSettings(type: string, props: Dict): { setting: Setting; label: string }[] {
    return [
        ...appSettingsOf(type, props).map(setting => ({ setting, label: "app setting" })),
        ...connectionStringsOf(type, props).map(setting => ({ setting, label: "connection string" })),
    ];
}

const describe = (s: Setting, label: string) => `${label} ${quote(s.name ?? "?")} (${s.where})`;

type SecretConfig = { nonSecretSettings: string[] };

export const settingsPolicies = [
    functionAppPolicy<SecretConfig>({
        name: "azure-functionapp-plaintext-secret",
        description: "Function app settings and connection strings must not hold secrets in plain text; anyone who can read the app's configuration can read them.",
        severity: "critical",
        threats: ["P5", "R4"],
        references: ["CIS Azure Foundations 9.11", "OWASP SAS-7"],
        remediation: "Store the secret in Key Vault and set the setting to a Key Vault reference (@Microsoft.KeyVault(SecretUri=...)) resolved with the app's managed identity, or switch to an identity-based connection.",
        resourceTypes: ALL_SETTINGS_TYPES,
        config: NON_SECRET_SETTINGS_CONFIG,
        check: ({ type, props, report, part, config }) => {
            for (const { setting, label } of allSettings(type, props)) {
                part(() => {
                    const finding = plaintextSecret(setting.name ?? "", readSetting(setting, config.nonSecretSettings), config.nonSecretSettings);
                    if (finding) {
                        report(`${describe(setting, label)} holds a secret in plain text (${finding.kind}); store it in Key Vault and use a Key Vault reference or an identity-based connection.`);
                    }
                });
            }
        },
    }),

    functionAppPolicy<SecretConfig>({
        name: "azure-functionapp-keyvault-reference",
        description: "Function app settings whose names say they hold a secret must be Key Vault references, so the secret stays in Key Vault with its access control, audit and rotation.",
        severity: "high",
        threats: ["P5"],
        references: ["CIS Azure Foundations 9.11", "OWASP SAS-7"],
        remediation: "Set the value to @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>) or @Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>), and grant the app's identity Key Vault Secrets User.",
        resourceTypes: ALL_SETTINGS_TYPES,
        config: NON_SECRET_SETTINGS_CONFIG,
        check: ({ type, props, report, part, config }) => {
            for (const { setting, label } of allSettings(type, props)) {
                part(() => {
                    const value = readSetting(setting, config.nonSecretSettings);
                    if (typeof value === "string" && isMalformedKeyVaultReference(value)) {
                        report(`${describe(setting, label)} starts like a Key Vault reference but isn't a valid one, so the app would get the text itself; use @Microsoft.KeyVault(SecretUri=...) or @Microsoft.KeyVault(VaultName=...;SecretName=...).`);
                    } else if (needsKeyVaultReference(setting.name ?? "", value, config.nonSecretSettings)) {
                        report(`${describe(setting, label)} looks like a secret but is not a Key Vault reference; store the secret in Key Vault and reference it.`);
                    }
                });
            }
        },
    }),

    functionAppPolicy({
        name: "azure-functionapp-storage-identity",
        description: "Function apps should reach their host storage with an identity-based connection instead of an account key embedded in AzureWebJobsStorage or the deployment storage settings.",
        severity: "medium",
        threats: ["P5", "R4"],
        references: ["OWASP SAS-7"],
        remediation: "Replace AzureWebJobsStorage with AzureWebJobsStorage__accountName (plus __credential \"managedidentity\" and __clientId for a user-assigned identity), grant the identity Storage Blob Data Owner, Queue and Table Data Contributor, and use an identity for Flex Consumption deployment storage.",
        resourceTypes: [...FUNCTION_APPS, ...SETTINGS_RESOURCES],
        check: ({ type, props, report, part }) => {
            part(() => {
                const setting = findSetting(appSettingsOf(type, props), "AzureWebJobsStorage");
                const value = asString(setting?.read());
                if (setting && value !== undefined && EMBEDDED_STORAGE_CREDENTIAL.test(value)) {
                    report(`${describe(setting, "app setting")} embeds a storage account key or SAS: use an identity-based connection (AzureWebJobsStorage__accountName) with the app's managed identity.`);
                }
            });
            part(() => {
                const auth = asString(at(props, "functionAppConfig", "deployment", "storage", "authentication", "type"));
                if (auth === "StorageAccountConnectionString") {
                    report("functionAppConfig.deployment.storage.authentication.type is \"StorageAccountConnectionString\": use \"SystemAssignedIdentity\" or \"UserAssignedIdentity\".");
                }
            });
        },
    }),
];
