// The storage accounts and Key Vaults an Azure function app's settings name, and whether its identity
// can read a vault's secrets.
import { broadScope } from "../../azure/authorization";
import { isKeyVaultReference } from "../../azure/common";
import { CLASSIC_KEY_VAULT, CLASSIC_KEY_VAULT_SECRET, KEY_VAULTS } from "../../azure/views";
import { APP_INSIGHTS_SETTINGS } from "../../data/azure";
import { isUnknown, knownString, Node, ResourceGraph } from "../../lib/graph";
import { isSecretLikeName } from "../../lib/secrets";
import { asBoolean, asList, asString, asStrings, at, quote, trimTrailingSlashes } from "../../lib/values";
import type { OnUnknown } from "../core";
import { settingsOf } from "./apps";
import { assignedRole, assignmentIndex, assignmentsOf, principalIdOf, principalsOf, readsSecrets } from "./grants";
import { ACCESS_POLICY, ACCOUNTS, CLASSIC_ACCESS_POLICY, isClassicApp, RESOURCE_GROUPS, VAULT_SECRETS, VAULTS } from "./types";

/** Storage accounts or vaults with this name (a global DNS name, compared case-insensitively). */
function byGlobalName(g: ResourceGraph, types: ReadonlySet<string>, name: string | undefined): Node[] {
    return name ? g.lookup(name.toLowerCase(), types) : [];
}

/** The resource group a resource is in: `resourceGroupName`, or (read back from Azure) the group in its ARM id. */
function resourceGroupOf(node: Node): string | undefined {
    const given = knownString(node.props.resourceGroupName);
    return (given ?? /\/resourceGroups\/([^/]+)/i.exec(knownString(node.props.id) ?? "")?.[1])?.toLowerCase();
}

const ACCOUNT_IN_CONNECTION = /(?:^|;)\s*AccountName\s*=\s*([a-z0-9]{3,24})\s*(?:;|$)/i;
const ACCOUNT_IN_URI = /^\s*https?:\/\/([a-z0-9]{3,24})\.(?:blob|queue|table|file|dfs)\./i;

export interface StoragePath {
    account: Node;
    /** e.g. "keeps its host storage in". */
    relation: string;
    /** e.g. "AzureWebJobsStorage in siteConfig.appSettings". */
    via: string;
}

/**
 * The storage accounts a function app uses: named in AzureWebJobsStorage (connection string,
 * __accountName or __*ServiceUri), in Flex Consumption deployment storage, or linked through the
 * propertyDependencies of its settings.
 */
export function storageAccountsOf(g: ResourceGraph, app: Node, onUnknown: OnUnknown): StoragePath[] {
    const out: StoragePath[] = [];
    const add = (account: Node, relation: string, via: string) => {
        if (!out.some(p => p.account === account)) {
            out.push({ account, relation, via });
        }
    };
    const byName = (name: string | undefined) => byGlobalName(g, ACCOUNTS, name);
    const view = settingsOf(g, app, false);
    const host = "keeps its host storage in";
    for (const s of view.settings) {
        const name = s.name?.toLowerCase() ?? "";
        if (name !== "azurewebjobsstorage" && !name.startsWith("azurewebjobsstorage__")) {
            continue;
        }
        if (isUnknown(s.value)) {
            const linked = g.deps(s.owner, s.property, ACCOUNTS);
            if (linked.length === 0 && g.deps(s.owner, s.property).length === 0) {
                onUnknown(s.owner, s.path);
            }
            linked.forEach(a => add(a, host, `${s.name} in ${s.where}`));
            continue;
        }
        const value = asString(s.value) ?? "";
        const accountName = name === "azurewebjobsstorage" ? ACCOUNT_IN_CONNECTION.exec(value)?.[1]
            : name === "azurewebjobsstorage__accountname" ? value.trim()
            : ACCOUNT_IN_URI.exec(value)?.[1];
        byName(accountName).forEach(a => add(a, host, `${s.name} in ${s.where}`));
    }
    if (isClassicApp(app)) {
        const name = app.props.storageAccountName;
        if (isUnknown(name)) {
            g.deps(app, "storageAccountName", ACCOUNTS).forEach(a => add(a, host, "storageAccountName"));
        } else {
            byName(asString(name)).forEach(a => add(a, host, "storageAccountName"));
        }
    }
    const deployment = at(app.props.functionAppConfig, "deployment", "storage", "value");
    const deploy = ["deploys its code from", "functionAppConfig.deployment.storage"] as const;
    if (isUnknown(deployment)) {
        g.deps(app, "functionAppConfig", ACCOUNTS).forEach(a => add(a, ...deploy));
    } else {
        byName(ACCOUNT_IN_URI.exec(asString(deployment) ?? "")?.[1]).forEach(a => add(a, ...deploy));
    }
    for (const owner of view.owners) {
        g.deps(owner.node, owner.property, ACCOUNTS).forEach(a => add(a, "uses", `a dependency of ${owner.where}`));
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Key Vault references

const VAULT_IN_REFERENCE = /SecretUri\s*=\s*https:\/\/([a-z0-9-]{3,24})\.vault\.|VaultName\s*=\s*([a-z0-9-]{3,24})\s*;/i;

function vaultOfSecret(g: ResourceGraph, secret: Node): Node[] {
    return g.refs(secret, secret.type === CLASSIC_KEY_VAULT_SECRET ? "keyVaultId" : "vaultName", VAULTS);
}

/** Vaults that a settings property is computed from: a vault, or a vault secret's vault. */
function vaultsFromDeps(g: ResourceGraph, owner: Node, property: string): { vault: Node; via: string }[] {
    const out: { vault: Node; via: string }[] = [];
    for (const d of g.deps(owner, property)) {
        if (VAULTS.has(d.type)) {
            out.push({ vault: d, via: "it" });
        } else if (VAULT_SECRETS.has(d.type)) {
            vaultOfSecret(g, d).forEach(vault => out.push({ vault, via: `its secret ${quote(d.name)}` }));
        }
    }
    return out;
}

export interface VaultReference {
    vault: Node;
    /** e.g. "app setting `DB_PASSWORD` (siteConfig.appSettings)". */
    settings: string[];
}

/**
 * Key Vaults in the stack that a function app's settings or connection strings reference: by the vault
 * name in a Key Vault reference, or, for values computed during preview, through the settings'
 * propertyDependencies on a vault or one of its secrets.
 */
export function vaultReferences(g: ResourceGraph, app: Node, onUnknown: OnUnknown): VaultReference[] {
    const out: VaultReference[] = [];
    const add = (vault: Node, setting: string) => {
        const ref = out.find(r => r.vault === vault) ?? (out.push({ vault, settings: [] }), out[out.length - 1]);
        if (!ref.settings.includes(setting)) {
            ref.settings.push(setting);
        }
    };
    const view = settingsOf(g, app, true);
    const linked = new Set<string>();
    for (const s of view.settings) {
        if (s.name === undefined || isUnknown(s.value)) {
            const deps = g.deps(s.owner, s.property);
            const key = `${s.owner.urn}#${s.property}`;
            if (!linked.has(key)) {
                linked.add(key);
                vaultsFromDeps(g, s.owner, s.property).forEach(({ vault, via }) => add(vault, `settings computed from ${via} (${s.where})`));
            }
            const nonSecret = s.name !== undefined && APP_INSIGHTS_SETTINGS.some(n => n.toLowerCase() === s.name!.toLowerCase());
            if (deps.length === 0 && !nonSecret && (s.name === undefined || isSecretLikeName(s.name))) {
                onUnknown(s.owner, s.path);
            }
            continue;
        }
        const value = asString(s.value);
        if (value === undefined || !isKeyVaultReference(value)) {
            continue;
        }
        const m = VAULT_IN_REFERENCE.exec(value);
        const name = (m?.[1] ?? m?.[2])?.toLowerCase();
        for (const vault of byGlobalName(g, VAULTS, name)) {
            add(vault, `${s.label} ${quote(s.name)} (${s.where})`);
        }
    }
    for (const u of view.unknown) {
        const property = u.property.split(".")[0];
        vaultsFromDeps(g, u.node, property).forEach(({ vault, via }) => add(vault, `settings computed from ${via} (${u.property})`));
        if (g.deps(u.node, property).length === 0) {
            onUnknown(u.node, u.property);
        }
    }
    return out;
}

type Tri = "yes" | "no" | "maybe";

function sameResourceGroup(g: ResourceGraph, vault: Node, rg: Node): Tri {
    if (g.deps(vault, "resourceGroupName").includes(rg)) {
        return "yes";
    }
    const vaultRg = resourceGroupOf(vault);
    const rgName = (knownString(rg.props.resourceGroupName) ?? knownString(rg.props.name))?.toLowerCase();
    if (vaultRg && rgName) {
        return vaultRg === rgName ? "yes" : "no";
    }
    return "maybe";
}

/** Whether a role assignment's scope covers a vault: the vault, one of its secrets, its resource group or above. */
function scopeCovers(g: ResourceGraph, ra: Node, vault: Node): Tri {
    const scope = ra.props.scope;
    const deps = g.deps(ra, "scope");
    if (deps.includes(vault)) {
        return "yes";
    }
    let result: Tri = "no";
    for (const d of deps) {
        if (VAULT_SECRETS.has(d.type) && vaultOfSecret(g, d).includes(vault)) {
            return "yes";
        }
        if (RESOURCE_GROUPS.has(d.type)) {
            const same = sameResourceGroup(g, vault, d);
            if (same === "yes") { return "yes"; }
            if (same === "maybe") { result = "maybe"; }
        }
    }
    const known = knownString(scope);
    if (known === undefined) {
        return isUnknown(scope) && deps.length === 0 ? "maybe" : result;
    }
    const level = broadScope(known);
    if (level && level !== "resource group") {
        return "yes";
    }
    const s = trimTrailingSlashes(known.trim()).toLowerCase();
    if (level === "resource group") {
        const vaultRg = resourceGroupOf(vault);
        return vaultRg === undefined ? "maybe" : s.endsWith(`/resourcegroups/${vaultRg}`) ? "yes" : "no";
    }
    const m = /\/providers\/microsoft\.keyvault\/vaults\/([^/]+)(?:\/|$)/.exec(s);
    if (m) {
        const names = ["vaultName", "name"].map(k => knownString(vault.props[k])?.toLowerCase()).filter(Boolean);
        return names.length === 0 ? "maybe" : names.includes(m[1]) ? "yes" : "no";
    }
    return "no";
}

export type Access = { ok: true } | { ok: false; why: string } | { ok: undefined };

/**
 * Whether a function app's managed identities can read secrets of a vault: through a Key Vault Secrets
 * User / Officer / Administrator role assignment covering the vault (Azure RBAC vaults), or an access
 * policy for the identity with secret "get" (access-policy vaults).
 */
export function canReadSecrets(g: ResourceGraph, app: Node, vault: Node, onUnknown: OnUnknown): Access {
    const principals = principalsOf(g, app, onUnknown);
    if (principals === undefined) {
        return { ok: undefined };
    }
    if (principals.length === 0) {
        return { ok: false, why: "the app has no managed identity to resolve it with" };
    }
    const classic = vault.type === CLASSIC_KEY_VAULT;
    const properties = vault.props.properties;
    const rbacField = KEY_VAULTS[vault.type].view(vault.props, vault.type).rbacAuthorization;
    const rbac = rbacField.read();
    if ((!classic && isUnknown(properties)) || isUnknown(rbac)) {
        onUnknown(vault, !classic && isUnknown(properties) ? "properties" : rbacField.where);
        return { ok: undefined };
    }
    const maybe: { node: Node; property: string }[] = [];
    if (asBoolean(rbac) === true) {
        const unresolved = assignmentIndex(g).unresolved;
        const candidates = principals.flatMap(p => assignmentsOf(g, p.node)).concat([...unresolved]);
        for (const ra of candidates) {
            const assigned = assignedRole(ra);
            if ("unknown" in assigned) {
                maybe.push({ node: ra, property: assigned.unknown });
                continue;
            }
            if (!readsSecrets(assigned)) {
                continue;
            }
            const covers = scopeCovers(g, ra, vault);
            const linked = !unresolved.has(ra);
            if (covers === "yes" && linked) {
                return { ok: true };
            }
            if (covers !== "no") {
                maybe.push({ node: ra, property: linked ? "scope" : "principalId" });
            }
        }
        if (maybe.length > 0) {
            maybe.forEach(m => onUnknown(m.node, m.property));
            return { ok: undefined };
        }
        return { ok: false, why: `${principals.map(p => p.label).join(" and ")} has no Key Vault Secrets User, Secrets Officer or Administrator role on the vault or above (the vault uses Azure RBAC)` };
    }
    const ids = new Set(principals.map(p => principalIdOf(p.node)).filter((x): x is string => !!x));
    const principalNodes = principals.map(p => p.node);
    // Access policies: inline on the vault (properties.accessPolicies, or accessPolicies on classic
    // Azure) and separate AccessPolicy resources, each entry with the object id it grants and its
    // secret permissions (permissions.secrets, or secretPermissions on classic Azure).
    const entries: { entry: unknown; owner: Node; property: string; where: string; secretsPath: string[] }[] = [];
    const inlineWhere = classic ? "accessPolicies" : "properties.accessPolicies";
    const inline = classic ? vault.props.accessPolicies : at(properties, "accessPolicies");
    if (isUnknown(inline)) {
        maybe.push({ node: vault, property: inlineWhere });
    }
    const secretsPath = (isClassic: boolean) => isClassic ? ["secretPermissions"] : ["permissions", "secrets"];
    asList(inline).forEach(entry => entries.push({ entry, owner: vault, property: classic ? "accessPolicies" : "properties", where: inlineWhere, secretsPath: secretsPath(classic) }));
    for (const ap of g.referrers(vault, "vaultName", [ACCESS_POLICY])) {
        entries.push({ entry: ap.props.policy, owner: ap, property: "policy", where: "policy", secretsPath: secretsPath(false) });
    }
    for (const ap of g.referrers(vault, "keyVaultId", [CLASSIC_ACCESS_POLICY])) {
        entries.push({ entry: ap.props, owner: ap, property: "objectId", where: "", secretsPath: secretsPath(true) });
    }
    for (const { entry, owner, property, where, secretsPath: path } of entries) {
        const secrets = at(entry, ...path);
        const objectId = at(entry, "objectId");
        if (isUnknown(entry) || isUnknown(at(entry, path[0])) || isUnknown(secrets) || asList(secrets).some(isUnknown)) {
            maybe.push({ node: owner, property: owner === vault ? inlineWhere : where ? where : path.join(".") });
            continue;
        }
        if (!asStrings(secrets).some(p => /^(get|all)$/i.test(p.trim()))) {
            continue;
        }
        if (isUnknown(objectId)) {
            const deps = g.deps(owner, property);
            if (deps.some(d => principalNodes.includes(d))) {
                return { ok: true };
            }
            if (deps.length === 0) {
                maybe.push({ node: owner, property: owner === vault ? inlineWhere : where ? `${where}.objectId` : "objectId" });
            }
        } else if (ids.has((asString(objectId) ?? "").toLowerCase())) {
            return { ok: true };
        }
    }
    if (maybe.length > 0) {
        maybe.forEach(m => onUnknown(m.node, m.property));
        return { ok: undefined };
    }
    return { ok: false, why: `the vault's access policies don't let ${principals.map(p => p.label).join(" or ")} get secrets` };
}
