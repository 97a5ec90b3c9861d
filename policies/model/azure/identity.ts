// Azure (azure-native) identities: a resource is known by its name and ARM id within its subscription
// and resource group, read from its ARM id or from `resourceGroupName` and its provider's
// `subscriptionId`. Storage account and Key Vault names are global (they are DNS names). Companion
// resources of an App Service app (settings, auth settings, functions, ...) refer to their app
// through `name`, which reads back in ARM shape as `app/function` or `appsettings`: their app is
// taken from their ARM id (`.../sites/<app>/...`) when known, else from the first segment of `name`.
//
// Classic Azure (@pulumi/azure) identities: a resource is known by its `name` and ARM `id` within its
// subscription and resource group (from its ARM id, or `resourceGroupName` and its provider's
// `subscriptionId`), storage account and Key Vault names being global. A function app's managed
// identity is known by `identity.principalId` (a user-assigned identity by `principalId`), which is
// what role assignments and access policies name, whichever Azure provider declares them. A slot
// names its app by `functionAppId`, an ARM id like any other reference.
import { IdentityAdapter, inherit, Reference, ResourceView, Scope } from "../../lib/identity";
import { identifierStrings, known, lastSegment, referenceStrings } from "../../lib/identity/strings";

const IDENTIFIER_PROPS = ["name", "id", "vaultName", "accountName", "resourceName"];

const WEB = "azure-native:web:";
const APP_TYPES = new Set([`${WEB}WebApp`, `${WEB}WebAppSlot`]);
const USER_ASSIGNED_IDENTITY = "azure-native:managedidentity:UserAssignedIdentity";
export const principalOf = (identity: unknown) => (typeof identity === "object" && identity !== null ? (identity as Record<string, unknown>).principalId : undefined);
const GLOBAL_NAMES = new Set(["azure-native:storage:StorageAccount", "azure-native:keyvault:Vault"]);
/**
 * Types whose own name input isn't among IDENTIFIER_PROPS: a program names a Service Bus or Event Hubs
 * namespace by `namespaceName` (its `name` is an output, unknown during preview), and that name is
 * what a binding's connection setting carries (`<namespace>.servicebus.windows.net`). A container app
 * is named by `containerAppName`, which its ContainerAppsAuthConfig names too.
 */
const OWN_NAME_PROPS: Record<string, string> = {
    "azure-native:servicebus:Namespace": "namespaceName",
    "azure-native:eventhub:Namespace": "namespaceName",
    "azure-native:app:ContainerApp": "containerAppName",
};

const ARM_ID = /^\/subscriptions\/([^/]+)(?:\/resourcegroups\/([^/]+))?(?:\/providers\/.*)?$/i;
const SITE_IN_ID = /\/providers\/microsoft\.web\/sites\/([^/]+)(?:\/slots\/([^/]+))?/i;
/** ARM names of a site's singleton configuration children: a companion read back with one of these names doesn't name its app. */
const CONFIG_NAMES = new Set(["appsettings", "authsettings", "authsettingsv2", "connectionstrings", "web", "logs", "metadata", "slotconfignames", "ftp", "scm", "pushsettings", "backup", "azurestorageaccounts"]);

/** A companion of an app: any azure-native:web:WebApp* resource other than the app and its slots. */
export const isCompanion = (type: string) => type.startsWith(`${WEB}WebApp`) && !APP_TYPES.has(type);

export function scopeOfId(id: string | undefined): Scope | undefined {
    const m = id ? ARM_ID.exec(id) : null;
    return m ? [m[1].toLowerCase(), m[2]?.toLowerCase()] : undefined;
}

function scopeOf(r: ResourceView): Scope {
    if (GLOBAL_NAMES.has(r.type)) {
        return [undefined, undefined];
    }
    const fromId = scopeOfId(known(r.props.id));
    if (fromId) {
        return r.type === "azure-native:resources:ResourceGroup" ? [fromId[0], undefined] : fromId;
    }
    const subscription = known(r.provider?.subscriptionId)?.toLowerCase();
    const group = r.type === "azure-native:resources:ResourceGroup" ? undefined : known(r.props.resourceGroupName)?.toLowerCase();
    return [subscription, group];
}

export function parseReference(value: string): { keys: string[]; scope?: Scope } {
    const v = value.toLowerCase();
    const scope = scopeOfId(value);
    if (scope) {
        const tail = lastSegment(v);
        return { keys: tail ? [v, tail] : [v], scope };
    }
    const tail = v.includes("/") ? lastSegment(v) : undefined;
    return { keys: tail && tail !== v ? [v, tail] : [v] };
}

/** The app (or slot) a companion belongs to, from its ARM id or its name. */
function ownerReference(from: ResourceView, property: string, own: Scope): Reference[] {
    const id = known(from.props.id);
    const site = id ? SITE_IN_ID.exec(id) : null;
    if (site) {
        const app = site[1].toLowerCase();
        const keys = property === "slot" && site[2] ? [`${app}/${site[2].toLowerCase()}`, site[2].toLowerCase()] : [app];
        return [{ keys, scope: inherit(scopeOfId(id), own) }];
    }
    const value = known(from.props[property])?.toLowerCase();
    if (!value) {
        return [];
    }
    const first = value.split("/")[0];
    if (property === "name" && !value.includes("/") && CONFIG_NAMES.has(value)) {
        return [];
    }
    if (property === "slot") {
        const app = known(from.props.name)?.toLowerCase().split("/")[0];
        return [{ keys: app ? [`${app}/${value}`, value] : [value], scope: own }];
    }
    return [{ keys: [first], scope: own }];
}

/** What a property of an Azure resource (of either provider) names: a principal by its id, anything else by name or ARM id. */
export function armReferences(from: ResourceView, property: string, own: Scope): Reference[] {
    if (property === "principalId" || property === "objectId") {
        const principal = known(from.props[property]);
        return principal ? [{ keys: [`principal:${principal.toLowerCase()}`], scope: [undefined, undefined] }] : [];
    }
    return referenceStrings(from.props[property]).map(value => {
        const parsed = parseReference(value);
        return { keys: parsed.keys, scope: inherit(parsed.scope, own) };
    });
}

export const azureAdapter: IdentityAdapter = {
    handles: type => type.startsWith("azure-native:"),
    identify(r) {
        const keys = new Set<string>();
        const own = OWN_NAME_PROPS[r.type];
        for (const id of identifierStrings(r.props, own ? [...IDENTIFIER_PROPS, own] : IDENTIFIER_PROPS)) {
            parseReference(id).keys.forEach(k => keys.add(k));
        }
        // A managed identity's principal (object) id is what role assignments and access policies name.
        const principal = known(r.type === USER_ASSIGNED_IDENTITY ? r.props.principalId : principalOf(r.props.identity));
        if (principal) {
            keys.add(`principal:${principal.toLowerCase()}`);
        }
        if (r.type === `${WEB}WebAppSlot`) {
            const app = known(r.props.name)?.toLowerCase();
            const slot = known(r.props.slot)?.toLowerCase();
            if (slot) {
                keys.add(slot);
                if (app && !app.includes("/")) { keys.add(`${app}/${slot}`); }
            }
        }
        return { keys: [...keys], scope: scopeOf(r) };
    },
    references(from, property, own) {
        if (isCompanion(from.type) && (property === "name" || property === "slot")) {
            return ownerReference(from, property, own);
        }
        return armReferences(from, property, own);
    },
};

const CLASSIC_RESOURCE_GROUP = "azure:core/resourceGroup:ResourceGroup";
const CLASSIC_USER_ASSIGNED_IDENTITY = "azure:authorization/userAssignedIdentity:UserAssignedIdentity";
const CLASSIC_GLOBAL_NAMES = new Set(["azure:storage/account:Account", "azure:keyvault/keyVault:KeyVault"]);

function classicScopeOf(r: ResourceView): Scope {
    if (CLASSIC_GLOBAL_NAMES.has(r.type)) {
        return [undefined, undefined];
    }
    const fromId = scopeOfId(known(r.props.id));
    if (fromId) {
        return r.type === CLASSIC_RESOURCE_GROUP ? [fromId[0], undefined] : fromId;
    }
    const subscription = known(r.provider?.subscriptionId)?.toLowerCase();
    return [subscription, r.type === CLASSIC_RESOURCE_GROUP ? undefined : known(r.props.resourceGroupName)?.toLowerCase()];
}

export const azureClassicAdapter: IdentityAdapter = {
    handles: type => type.startsWith("azure:"),
    identify(r) {
        const keys = new Set<string>();
        for (const id of identifierStrings(r.props, ["name", "id"])) {
            parseReference(id).keys.forEach(k => keys.add(k));
        }
        const principal = known(r.type === CLASSIC_USER_ASSIGNED_IDENTITY ? r.props.principalId : principalOf(r.props.identity));
        if (principal) {
            keys.add(`principal:${principal.toLowerCase()}`);
        }
        return { keys: [...keys], scope: classicScopeOf(r) };
    },
    references: armReferences,
};
