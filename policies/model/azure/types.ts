// The Azure resource types the model links, of both providers (azure-native and classic azure).
import { KEY_VAULT, KEY_VAULT_SECRET, STORAGE_ACCOUNT, WEB_APP, WEB_APP_SLOT } from "../../azure/common";
import { CLASSIC_APPS, CLASSIC_KEY_VAULT, CLASSIC_KEY_VAULT_SECRET, CLASSIC_STORAGE_ACCOUNT } from "../../azure/views";
import { Node } from "../../lib/graph";

export const USER_ASSIGNED_IDENTITY = "azure-native:managedidentity:UserAssignedIdentity";
export const RESOURCE_GROUP = "azure-native:resources:ResourceGroup";
export const ACCESS_POLICY = "azure-native:keyvault:AccessPolicy";
export const CLASSIC_USER_ASSIGNED_IDENTITY = "azure:authorization/userAssignedIdentity:UserAssignedIdentity";
export const CLASSIC_RESOURCE_GROUP = "azure:core/resourceGroup:ResourceGroup";
export const CLASSIC_ACCESS_POLICY = "azure:keyvault/accessPolicy:AccessPolicy";

export const set = (...types: string[]) => new Set(types);
export const IDENTITIES = set(USER_ASSIGNED_IDENTITY, CLASSIC_USER_ASSIGNED_IDENTITY);
export const PRINCIPALS = set(WEB_APP, WEB_APP_SLOT, ...CLASSIC_APPS, ...IDENTITIES);
export const ALL_APPS = set(WEB_APP, WEB_APP_SLOT, ...CLASSIC_APPS);
export const VAULTS = set(KEY_VAULT, CLASSIC_KEY_VAULT);
export const VAULT_SECRETS = set(KEY_VAULT_SECRET, CLASSIC_KEY_VAULT_SECRET);
export const ACCOUNTS = set(STORAGE_ACCOUNT, CLASSIC_STORAGE_ACCOUNT);
export const RESOURCE_GROUPS = set(RESOURCE_GROUP, CLASSIC_RESOURCE_GROUP);

/** A function app (or slot) of the classic provider: settings, identity and authentication are all on the app. */
export const isClassicApp = (app: Node) => CLASSIC_APPS.includes(app.type);

/**
 * Built-in roles whose data actions read Key Vault secrets (Microsoft Learn, "Azure built-in roles for
 * Security": Key Vault Secrets User, Secrets Officer, Administrator), by role definition id. Reviewed
 * 2026-11-28. Owner and Contributor manage the vault but don't read secrets under Azure RBAC.
 */
export const KEY_VAULT_SECRET_READERS: Record<string, string> = {
    "4633458b-17de-408a-b874-0445c86b69e6": "Key Vault Secrets User",
    "b86a8fe4-44ce-4948-aee5-eccb2c155cd7": "Key Vault Secrets Officer",
    "00482a5a-887f-4fb3-b363-3b7fe8e74483": "Key Vault Administrator",
};

/** The role definition GUID of a role definition id given as a GUID or a full resource id. */
export function roleGuid(roleDefinitionId: string): string | undefined {
    const m = /(?:^|\/roleDefinitions\/)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(roleDefinitionId.trim());
    return m?.[1].toLowerCase();
}
