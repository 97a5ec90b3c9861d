// Azure Key Vault: the vaults that hold function-app secrets, and the secrets themselves, on azure-native
// and classic Azure.
import { viewPolicy } from "../lib/view";
import { asBoolean, asString } from "../lib/values";
import { KEY_VAULT_SECRETS, KEY_VAULTS } from "./views";

export const keyVaultPolicies = [
    viewPolicy({
        name: "azure-keyvault-recoverable",
        description: "Key vaults must keep soft delete and purge protection on, so that a compromised identity or a mistake can't destroy secrets for good.",
        severity: "high",
        threats: ["R4", "P5"],
        references: ["CIS Azure Foundations v2.0.0 8.5"],
        remediation: "Leave properties.enableSoftDelete unset or true, and set properties.enablePurgeProtection to true (it can't be turned off again).",
        adapters: KEY_VAULTS,
        check: ({ view: { softDelete, purgeProtection }, report, part }) => {
            part(() => {
                if (asBoolean(softDelete.read()) === false) {
                    report(`${softDelete.where} is false: deleted secrets can't be recovered; set it to true.`);
                }
            });
            part(() => {
                if (asBoolean(purgeProtection.read()) !== true) {
                    report(`${purgeProtection.where} is not true: soft-deleted secrets can be purged at once; set it to true.`);
                }
            });
        },
    }),

    viewPolicy({
        name: "azure-keyvault-rbac",
        description: "Key vaults should authorize data access with Azure RBAC instead of vault access policies, so that access is granted per secret scope, audited and governed like other roles.",
        severity: "medium",
        threats: ["P2", "P5"],
        references: ["CIS Azure Foundations v2.0.0 8.6"],
        remediation: "Set properties.enableRbacAuthorization to true and grant Key Vault Secrets User to the identities that read secrets.",
        adapters: KEY_VAULTS,
        check: ({ view: { rbacAuthorization }, report }) => {
            if (asBoolean(rbacAuthorization.read()) !== true) {
                report(`${rbacAuthorization.where} is not true: access policies grant vault-wide permissions; switch to Azure RBAC.`);
            }
        },
    }),

    viewPolicy({
        name: "azure-keyvault-public-network",
        description: "Key vaults should not accept requests from every network; limit them to private endpoints or allowed networks.",
        severity: "medium",
        threats: ["R4", "P1"],
        references: ["CIS Azure Foundations v2.0.0 8.7"],
        remediation: "Set properties.publicNetworkAccess to \"Disabled\" with a private endpoint, or properties.networkAcls.defaultAction to \"Deny\" with the function app's subnet in virtualNetworkRules.",
        adapters: KEY_VAULTS,
        check: ({ view, report }) => {
            if (view.publicNetworkDisabled()) {
                return;
            }
            if (asString(view.networkDefaultAction.read())?.toLowerCase() !== "deny") {
                report(`${view.publicNetworkText} and ${view.networkDefaultAction.where} is not "Deny": the vault accepts requests from any network.`);
            }
        },
    }),

    viewPolicy({
        name: "azure-keyvault-secret-expiry",
        description: "Key Vault secrets should have an expiry date so that credentials are rotated rather than living forever.",
        severity: "medium",
        threats: ["P5"],
        references: ["CIS Azure Foundations v2.0.0 8.3", "CIS Azure Foundations v2.0.0 8.4"],
        remediation: "Set properties.attributes.expires (seconds since 1970-01-01) and rotate the secret before it expires.",
        adapters: KEY_VAULT_SECRETS,
        check: ({ view: { expires }, report }) => {
            if (!expires.isSet()) {
                report(`${expires.where} is not set: the secret never expires.`);
            }
        },
    }),
];
