// Classic Azure (@pulumi/azure) identities: a resource is known by its `name` and ARM `id` within its
// subscription and resource group (from its ARM id, or `resourceGroupName` and its provider's
// `subscriptionId`), storage account and Key Vault names being global. A function app's managed
// identity is known by `identity.principalId` (a user-assigned identity by `principalId`), which is
// what role assignments and access policies name, whichever Azure provider declares them. A slot
// names its app by `functionAppId`, an ARM id like any other reference.
import { IdentityAdapter, ResourceView, Scope } from "./core";
import { armReferences, parseReference, principalOf, scopeOfId } from "./azure";
import { identifierStrings, known } from "./strings";

const RESOURCE_GROUP = "azure:core/resourceGroup:ResourceGroup";
const USER_ASSIGNED_IDENTITY = "azure:authorization/userAssignedIdentity:UserAssignedIdentity";
const GLOBAL_NAMES = new Set(["azure:storage/account:Account", "azure:keyvault/keyVault:KeyVault"]);

function scopeOf(r: ResourceView): Scope {
    if (GLOBAL_NAMES.has(r.type)) {
        return [undefined, undefined];
    }
    const fromId = scopeOfId(known(r.props.id));
    if (fromId) {
        return r.type === RESOURCE_GROUP ? [fromId[0], undefined] : fromId;
    }
    const subscription = known(r.provider?.subscriptionId)?.toLowerCase();
    return [subscription, r.type === RESOURCE_GROUP ? undefined : known(r.props.resourceGroupName)?.toLowerCase()];
}

export const azureClassicAdapter: IdentityAdapter = {
    handles: type => type.startsWith("azure:"),
    identify(r) {
        const keys = new Set<string>();
        for (const id of identifierStrings(r.props, ["name", "id"])) {
            parseReference(id).keys.forEach(k => keys.add(k));
        }
        const principal = known(r.type === USER_ASSIGNED_IDENTITY ? r.props.principalId : principalOf(r.props.identity));
        if (principal) {
            keys.add(`principal:${principal.toLowerCase()}`);
        }
        return { keys: [...keys], scope: scopeOf(r) };
    },
    references: armReferences,
};
