// Azure Key Vault: the vaults that hold function-app secrets, and the secrets themselves.
import type { VaultArgs } from "@pulumi/azure-native/keyvault/vault";
import type { SecretArgs } from "@pulumi/azure-native/keyvault/secret";
import type { Unwrap } from "@pulumi/pulumi";
import { resourcePolicy } from "../lib/define";
import { asBoolean, asString, at, isSet } from "../lib/values";
import { KEY_VAULT, KEY_VAULT_SECRET } from "./common";

type VaultProps = Unwrap<VaultArgs>;

export const keyVaultPolicies = [
    resourcePolicy<VaultProps>({
        name: "azure-keyvault-recoverable",
        description: "Key vaults must keep soft delete and purge protection on, so that a compromised identity or a mistake can't destroy secrets for good.",
        severity: "high",
        threats: ["R4", "P5"],
        references: ["CIS Azure Foundations 8.5"],
        remediation: "Leave properties.enableSoftDelete unset or true, and set properties.enablePurgeProtection to true (it can't be turned off again).",
        resourceTypes: [KEY_VAULT],
        check: ({ props, report, part }) => {
            part(() => {
                if (asBoolean(at(props.properties, "enableSoftDelete")) === false) {
                    report("properties.enableSoftDelete is false: deleted secrets can't be recovered; set it to true.");
                }
            });
            part(() => {
                if (asBoolean(at(props.properties, "enablePurgeProtection")) !== true) {
                    report("properties.enablePurgeProtection is not true: soft-deleted secrets can be purged at once; set it to true.");
                }
            });
        },
    }),

    resourcePolicy<VaultProps>({
        name: "azure-keyvault-rbac",
        description: "Key vaults should authorize data access with Azure RBAC instead of vault access policies, so that access is granted per secret scope, audited and governed like other roles.",
        severity: "medium",
        threats: ["P2", "P5"],
        references: ["CIS Azure Foundations 8.6"],
        remediation: "Set properties.enableRbacAuthorization to true and grant Key Vault Secrets User to the identities that read secrets.",
        resourceTypes: [KEY_VAULT],
        check: ({ props, report }) => {
            if (asBoolean(at(props.properties, "enableRbacAuthorization")) !== true) {
                report("properties.enableRbacAuthorization is not true: access policies grant vault-wide permissions; switch to Azure RBAC.");
            }
        },
    }),

    resourcePolicy<VaultProps>({
        name: "azure-keyvault-public-network",
        description: "Key vaults should not accept requests from every network; limit them to private endpoints or allowed networks.",
        severity: "medium",
        threats: ["R4", "P1"],
        references: ["CIS Azure Foundations 8.7"],
        remediation: "Set properties.publicNetworkAccess to \"Disabled\" with a private endpoint, or properties.networkAcls.defaultAction to \"Deny\" with the function app's subnet in virtualNetworkRules.",
        resourceTypes: [KEY_VAULT],
        check: ({ props, report }) => {
            const properties = props.properties;
            if (asString(at(properties, "publicNetworkAccess"))?.toLowerCase() === "disabled") {
                return;
            }
            if (asString(at(properties, "networkAcls", "defaultAction"))?.toLowerCase() !== "deny") {
                report("properties.publicNetworkAccess is not \"Disabled\" and properties.networkAcls.defaultAction is not \"Deny\": the vault accepts requests from any network.");
            }
        },
    }),

    resourcePolicy<Unwrap<SecretArgs>>({
        name: "azure-keyvault-secret-expiry",
        description: "Key Vault secrets should have an expiry date so that credentials are rotated rather than living forever.",
        severity: "medium",
        threats: ["P5"],
        references: ["CIS Azure Foundations 8.3", "CIS Azure Foundations 8.4"],
        remediation: "Set properties.attributes.expires (seconds since 1970-01-01) and rotate the secret before it expires.",
        resourceTypes: [KEY_VAULT_SECRET],
        check: ({ props, report }) => {
            if (!isSet(at(props.properties, "attributes"), "expires")) {
                report("properties.attributes.expires is not set: the secret never expires.");
            }
        },
    }),
];
