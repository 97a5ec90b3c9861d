// Secrets in function-app configuration: app settings and connection strings, given inline on the app
// (azure-native siteConfig lists of {name, value}, classic appSettings maps and connectionStrings lists)
// or as separate WebAppApplicationSettings / WebAppConnectionStrings resources (properties maps).
// Messages name the setting, never its value.
import { viewPolicy } from "../lib/view";
import { isSecretLikeName } from "../lib/secrets";
import { quote } from "../lib/values";
import { couldBuildKeyVaultReference, isListedNonSecret, isMalformedKeyVaultReference, needsKeyVaultReference, NON_SECRET_SETTINGS_CONFIG, plaintextSecret, readSetting, Setting } from "./common";
import { computedSecretMessages, readSettings, secretSettingMessage, Source } from "../lib/provenance";
import { ALL_SETTINGS_HOLDERS, APP_SETTINGS_HOLDERS, FunctionAppView } from "./views";
import { CONTAINER_APP_SECRET_FIX, CONTAINER_APP_SETTINGS } from "./containerapps";

/** Every app setting and connection string of the resource, labelled for messages. */
function allSettings(view: FunctionAppView, type?: string): { setting: Setting; label: string }[] {
    const label = type !== undefined && CONTAINER_APP_SETTINGS[type] ? "environment variable" : "app setting";
    return [
        ...view.appSettings().map(setting => ({ setting, label })),
        ...view.connectionStrings().map(setting => ({ setting, label: "connection string" })),
    ];
}

const describe = (s: Setting, label: string) => `${label} ${quote(s.name ?? "?")} (${s.where})`;

type SecretConfig = { nonSecretSettings: string[] };

export const settingsPolicies = [
    viewPolicy<FunctionAppView, SecretConfig>({
        name: "azure-functionapp-plaintext-secret",
        description: "Function app settings and connection strings, and the environment variables of container apps (Azure Functions on Container Apps), must not hold secrets in plain text; anyone who can read the app's configuration can read them.",
        severity: "critical",
        threats: ["P5", "R4"],
        references: ["CIS Azure Foundations v2.0.0 9.11", "OWASP SAS-7"],
        remediation: "Store the secret in Key Vault and set the setting to a Key Vault reference (@Microsoft.KeyVault(SecretUri=...)) resolved with the app's managed identity, or switch to an identity-based connection; on a container app, keep it in the app's secrets (Key Vault-backed) and reference it with secretRef (classic Azure: secretName).",
        adapters: { ...ALL_SETTINGS_HOLDERS, ...CONTAINER_APP_SETTINGS },
        config: NON_SECRET_SETTINGS_CONFIG,
        provenance: true,
        check: ({ type, view, report, part, config }) => {
            const fix = CONTAINER_APP_SECRET_FIX[type] ?? "store it in Key Vault and use a Key Vault reference or an identity-based connection.";
            const all = readSettings(() => allSettings(view, type), undefined, "app settings");
            if (all === "clean") {
                return;
            }
            if ("secret" in all) {
                report(secretSettingMessage("the app's settings", { kind: "computed", source: all.secret }, fix));
                return;
            }
            const computed: { where: string; source: Source }[] = [];
            for (const { setting, label } of all.value as ReturnType<typeof allSettings>) {
                part(() => {
                    // A setting the organization lists as holding no credential is judged by its value only.
                    const listed = isListedNonSecret(setting.name, config.nonSecretSettings);
                    if (listed && setting.isUnknown()) {
                        return;
                    }
                    const v = setting.plain();
                    if (v.kind === "computed") {
                        if (!listed) {
                            computed.push({ where: describe(setting, label), source: v.source });
                        }
                        return;
                    }
                    const finding = v.kind === "reference" ? undefined : plaintextSecret(setting.name ?? "", v.value, config.nonSecretSettings);
                    if (v.kind === "marked" && !finding) {
                        if (!listed) {
                            report(secretSettingMessage(describe(setting, label), v, fix));
                        }
                        return;
                    }
                    if (finding) {
                        report(`${describe(setting, label)} holds a secret in plain text (${finding.kind}); ${fix}`);
                    }
                });
            }
            computedSecretMessages(computed, fix).forEach(m => report(m));
        },
    }),

    viewPolicy<FunctionAppView, SecretConfig>({
        name: "azure-functionapp-keyvault-reference",
        description: "Function app settings whose names say they hold a secret must be Key Vault references, so the secret stays in Key Vault with its access control, audit and rotation.",
        severity: "high",
        threats: ["P5"],
        references: ["CIS Azure Foundations v2.0.0 9.11", "OWASP SAS-7"],
        remediation: "Set the value to @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>) or @Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>), and grant the app's identity Key Vault Secrets User.",
        adapters: ALL_SETTINGS_HOLDERS,
        config: NON_SECRET_SETTINGS_CONFIG,
        provenance: true,
        check: ({ view, report, part, config }) => {
            for (const { setting, label } of allSettings(view)) {
                part(() => {
                    // Unknown during preview, a setting whose name isn't secret-like can only fail as a malformed
                    // Key Vault reference, which only a value built from a key vault or one of its secrets can be.
                    if (setting.name !== undefined && setting.isUnknown() && !isSecretLikeName(setting.name) && !isListedNonSecret(setting.name, config.nonSecretSettings)) {
                        setting.ruleOut(couldBuildKeyVaultReference);
                        return;
                    }
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

    viewPolicy({
        name: "azure-functionapp-storage-identity",
        description: "Function apps should reach their host storage with an identity-based connection instead of an account key embedded in AzureWebJobsStorage or the deployment storage settings.",
        severity: "medium",
        threats: ["P5", "R4"],
        references: ["OWASP SAS-7"],
        remediation: "Replace AzureWebJobsStorage with AzureWebJobsStorage__accountName (plus __credential \"managedidentity\" and __clientId for a user-assigned identity), grant the identity Storage Blob Data Owner, Queue and Table Data Contributor, and use an identity for Flex Consumption deployment storage.",
        adapters: APP_SETTINGS_HOLDERS,
        check: ({ view, report, part }) => {
            for (const credential of view.storageCredentials()) {
                part(() => {
                    if (!credential.usesKey()) {
                        return;
                    }
                    const setting = credential.where === "AzureWebJobsStorage" ? view.appSettings().find(s => s.name?.toLowerCase() === "azurewebjobsstorage") : undefined;
                    report(`${setting ? describe(setting, "app setting") : credential.where} ${credential.finding}.`);
                });
            }
        },
    }),
];
