// How an Azure function app connects to other resources in the graph: its managed identities and the
// role assignments that reach them, its HTTP functions and App Service authentication, its storage
// account, the Key Vaults its settings reference (and whether its identity can read them) and its
// Application Insights settings. Companion resources (settings, functions, auth) link to their app
// through their `name` (or, for slots, `slot`) property or, read back from Azure, their ARM id;
// which resource a name or id means is decided in lib/identity.
import { APP_INSIGHTS_SETTINGS, PrivilegedRole } from "../data/azure";
import { broadScope, PRIVILEGED_ASSIGNMENT, privilegedRole, privilegedRoleNamed, reportsWorkloadAssignment } from "../azure/authorization";
import { FUNCTION_ANONYMOUS } from "../azure/functionapp";
import { ReportedBy, reportedWhen } from "../lib/reported";
import {
    APPS, AUTH_SETTINGS, CLASSIC_APPS, CLASSIC_FUNCTION, CLASSIC_KEY_VAULT, CLASSIC_KEY_VAULT_SECRET, CLASSIC_ROLE_ASSIGNMENT,
    CLASSIC_STORAGE_ACCOUNT, FUNCTION_DEFINITIONS, KEY_VAULTS, ROLE_ASSIGNMENTS,
} from "../azure/views";
import {
    APP_SETTINGS, APP_SETTINGS_SLOT, appSettingsOf, AUTH_SETTINGS_V2, AUTH_SETTINGS_V2_SLOT, CONNECTION_STRINGS,
    CONNECTION_STRINGS_SLOT, connectionStringsOf, FUNCTION, FUNCTION_SLOT, isFlexConsumption, isFunctionAppKind,
    isKeyVaultReference, KEY_VAULT, KEY_VAULT_SECRET, ROLE_ASSIGNMENT, STORAGE_ACCOUNT, WEB_APP, WEB_APP_SLOT,
} from "../azure/common";
import { isUnknown, knownString, Node, ResourceGraph } from "../lib/graph";
import { isSecretLikeName } from "../lib/secrets";
import { asBoolean, asList, asNumber, asString, asStrings, at, isRecord, quote } from "../lib/values";
import type { OnUnknown } from "./aws";

export const USER_ASSIGNED_IDENTITY = "azure-native:managedidentity:UserAssignedIdentity";
export const RESOURCE_GROUP = "azure-native:resources:ResourceGroup";
export const ACCESS_POLICY = "azure-native:keyvault:AccessPolicy";
export const CLASSIC_USER_ASSIGNED_IDENTITY = "azure:authorization/userAssignedIdentity:UserAssignedIdentity";
export const CLASSIC_RESOURCE_GROUP = "azure:core/resourceGroup:ResourceGroup";
export const CLASSIC_ACCESS_POLICY = "azure:keyvault/accessPolicy:AccessPolicy";

const set = (...types: string[]) => new Set(types);
const IDENTITIES = set(USER_ASSIGNED_IDENTITY, CLASSIC_USER_ASSIGNED_IDENTITY);
const PRINCIPALS = set(WEB_APP, WEB_APP_SLOT, ...CLASSIC_APPS, ...IDENTITIES);
const ALL_APPS = set(WEB_APP, WEB_APP_SLOT, ...CLASSIC_APPS);
const VAULTS = set(KEY_VAULT, CLASSIC_KEY_VAULT);
const VAULT_SECRETS = set(KEY_VAULT_SECRET, CLASSIC_KEY_VAULT_SECRET);
const ACCOUNTS = set(STORAGE_ACCOUNT, CLASSIC_STORAGE_ACCOUNT);
const RESOURCE_GROUPS = set(RESOURCE_GROUP, CLASSIC_RESOURCE_GROUP);

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
function roleGuid(roleDefinitionId: string): string | undefined {
    const m = /(?:^|\/roleDefinitions\/)([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(roleDefinitionId.trim());
    return m?.[1].toLowerCase();
}

/**
 * Function apps: azure-native web apps and slots whose kind contains "functionapp" (an unknown kind
 * can't be decided), and classic function apps and slots.
 */
export function functionApps(g: ResourceGraph, onUnknown: OnUnknown): Node[] {
    const out: Node[] = g.ofType(...CLASSIC_APPS);
    for (const app of g.ofType(WEB_APP, WEB_APP_SLOT)) {
        if (isUnknown(app.props.kind)) {
            onUnknown(app, "kind");
        } else if (isFunctionAppKind(app.props.kind)) {
            out.push(app);
        }
    }
    return out;
}

/** Companion resources of an app (settings, auth, functions): `name` links to an app, `slot` to a slot. */
export function companions(g: ResourceGraph, app: Node, plain: string, slot: string): Node[] {
    return isClassicApp(app) ? [] : app.type === WEB_APP_SLOT ? g.referrers(app, "slot", [slot]) : g.referrers(app, "name", [plain]);
}

/**
 * The function app (or slot) a companion resource belongs to: by its ARM id or name (see
 * lib/identity), in its resource group and subscription; an app name shared across groups that
 * nothing tells apart is reported as unknown.
 */
function appsOfCompanion(g: ResourceGraph, node: Node, isSlotType: boolean, onUnknown?: OnUnknown): Node[] {
    const property = isSlotType ? "slot" : "name";
    const found = g.resolve(node, property, isSlotType ? set(WEB_APP_SLOT) : set(WEB_APP));
    if (found.undecided && onUnknown) {
        onUnknown(node, property, "ambiguous");
    }
    return found.nodes;
}

/** Names in messages: a resource by its Pulumi name, e.g. "function app `api`". */
export const appLabel = (app: Node) => `function app ${quote(app.name)}`;

// ---------------------------------------------------------------------------------------------
// Settings

export interface AppSetting {
    /** Undefined when the name itself is unknown during preview. */
    name: string | undefined;
    value: unknown;
    /** The resource and top-level property that declare it (for propertyDependencies and unknowns). */
    owner: Node;
    property: string;
    /** e.g. "siteConfig.appSettings" or "WebAppApplicationSettings `api-settings`". */
    where: string;
    /** The property path to name when its value is unknown, e.g. "siteConfig.appSettings" or "properties.DB_PASSWORD". */
    path: string;
    label: "app setting" | "connection string";
}

export interface SettingsView {
    settings: AppSetting[];
    /** Whole lists or maps that are unknown during preview. */
    unknown: { node: Node; property: string }[];
    /** Every resource/property that holds settings of the app. */
    owners: { node: Node; property: string; where: string }[];
    /** Set when the app was read back from Azure with no settings list and no settings resource: whether a setting is absent can't be told. */
    unreadable?: { node: Node; property: string };
}

/** A classic app's settings: an appSettings map and a connectionStrings list on the app. */
function classicSettings(app: Node, key: "appSettings" | "connectionStrings", out: SettingsView): void {
    const label = key === "appSettings" ? "app setting" : "connection string";
    if (isUnknown(app.props[key])) {
        out.unknown.push({ node: app, property: key });
        return;
    }
    const view = APPS[app.type].view(app.props, app.type);
    for (const s of key === "appSettings" ? view.appSettings() : view.connectionStrings()) {
        const path = key === "appSettings" ? `appSettings.${s.name}` : s.where;
        out.settings.push({ name: s.name, value: s.read(), owner: app, property: key, where: key, path, label });
    }
}

function listSettings(app: Node, key: "appSettings" | "connectionStrings", out: SettingsView): void {
    if (isClassicApp(app)) {
        classicSettings(app, key, out);
        return;
    }
    const siteConfig = app.props.siteConfig;
    const where = `siteConfig.${key}`;
    const label = key === "appSettings" ? "app setting" : "connection string";
    if (isUnknown(siteConfig)) {
        out.unknown.push({ node: app, property: "siteConfig" });
        return;
    }
    const list = at(siteConfig, key);
    if (isUnknown(list)) {
        out.unknown.push({ node: app, property: where });
        return;
    }
    const read = key === "appSettings" ? appSettingsOf : connectionStringsOf;
    for (const s of read(app.type, app.props)) {
        out.settings.push({ name: s.name, value: s.read(), owner: app, property: "siteConfig", where, path: where, label });
    }
    if (asList(list).some(isUnknown)) {
        out.settings.push({ name: undefined, value: undefined, owner: app, property: "siteConfig", where, path: where, label });
    }
}

/** App settings (and optionally connection strings) of an app, inline and from linked settings resources. */
export function settingsOf(g: ResourceGraph, app: Node, withConnectionStrings: boolean): SettingsView {
    return g.remember(`azure:settings:${app.urn}:${withConnectionStrings}`, () => {
        const owners = isClassicApp(app)
            ? [{ node: app, property: "appSettings", where: "appSettings" }, { node: app, property: "connectionStrings", where: "connectionStrings" }]
            : [{ node: app, property: "siteConfig", where: "siteConfig" }];
        const out: SettingsView = { settings: [], unknown: [], owners };
        listSettings(app, "appSettings", out);
        const kinds: [string, string, "app" | "cs"][] = [[APP_SETTINGS, APP_SETTINGS_SLOT, "app"]];
        if (withConnectionStrings) {
            listSettings(app, "connectionStrings", out);
            kinds.push([CONNECTION_STRINGS, CONNECTION_STRINGS_SLOT, "cs"]);
        }
        for (const [plain, slot, kind] of kinds) {
            const resources = companions(g, app, plain, slot);
            const list = at(app.props.siteConfig, "appSettings");
            if (kind === "app" && !isClassicApp(app) && resources.length === 0 && (list === undefined || list === null) && readBack(app)) {
                // Read back from Azure, an app's settings list is often null: without its settings resource, their absence can't be told.
                out.unreadable = { node: app, property: "siteConfig.appSettings" };
            }
            for (const res of resources) {
                const where = `${res.type.slice(res.type.lastIndexOf(":") + 1)} ${quote(res.name)}`;
                out.owners.push({ node: res, property: "properties", where });
                if (isUnknown(res.props.properties)) {
                    out.unknown.push({ node: res, property: "properties" });
                    continue;
                }
                const read = kind === "app" ? appSettingsOf : connectionStringsOf;
                for (const s of read(res.type, res.props)) {
                    out.settings.push({
                        name: s.name, value: s.read(), owner: res, property: "properties", where,
                        path: s.name === undefined ? "properties" : `properties.${s.name}`, label: kind === "app" ? "app setting" : "connection string",
                    });
                }
            }
        }
        return out;
    });
}

/** Whether a resource's properties were read back from Azure (deployed state or a discovered resource): they carry its ARM id. */
function readBack(node: Node): boolean {
    return /^\/subscriptions\//i.test(knownString(node.props.id) ?? "");
}

/** Settings with this name (case-insensitive, as App Service compares them). */
function named(view: SettingsView, name: string): AppSetting[] {
    const wanted = name.toLowerCase();
    return view.settings.filter(s => s.name?.toLowerCase() === wanted);
}

/** Where a setting's value can't be told yet: an unknown list or map, or a setting whose name is unknown. */
function firstUnknownSetting(view: SettingsView): { node: Node; property: string } | undefined {
    const nameless = view.settings.find(s => s.name === undefined);
    return view.unknown[0] ?? (nameless ? { node: nameless.owner, property: nameless.path } : undefined);
}

// ---------------------------------------------------------------------------------------------
// Identities and role assignments

export interface Principal {
    /** The app itself (system-assigned identity) or a UserAssignedIdentity resource. */
    node: Node;
    label: string;
}

/** The managed identities of a function app; undefined when identity.type is unknown during preview. */
export function principalsOf(g: ResourceGraph, app: Node, onUnknown: OnUnknown): Principal[] | undefined {
    const identity = app.props.identity;
    const type = at(identity, "type");
    if (isUnknown(identity) || isUnknown(type)) {
        onUnknown(app, "identity");
        return undefined;
    }
    const kinds = (asString(type) ?? "").toLowerCase();
    const out: Principal[] = [];
    if (kinds.includes("systemassigned")) {
        out.push({ node: app, label: "its system-assigned identity" });
    }
    if (kinds.includes("userassigned")) {
        for (const uai of g.refs(app, "identity", IDENTITIES)) {
            out.push({ node: uai, label: `its user-assigned identity ${quote(uai.name)}` });
        }
    }
    return out;
}

/** The known principal id (object id) of an identity: an app's identity.principalId or a UAI's principalId. */
function principalIdOf(node: Node): string | undefined {
    const id = IDENTITIES.has(node.type) ? node.props.principalId : at(node.props.identity, "principalId");
    return knownString(id)?.toLowerCase();
}

interface AssignmentIndex {
    byPrincipal: Map<string, Node[]>;
    /** Role assignments whose principal is unknown and not linked to any resource. */
    unresolved: Set<Node>;
}

/**
 * Role assignments by the identity they are granted to: linked by the propertyDependencies of
 * principalId, or by a known principalId equal to an app's or user-assigned identity's principal id.
 */
function assignmentIndex(g: ResourceGraph): AssignmentIndex {
    return g.remember("azure:assignments", () => {
        const index: AssignmentIndex = { byPrincipal: new Map(), unresolved: new Set() };
        for (const ra of g.ofType(ROLE_ASSIGNMENT, CLASSIC_ROLE_ASSIGNMENT)) {
            const targets = g.refs(ra, "principalId", PRINCIPALS);
            if (targets.length === 0 && isUnknown(ra.props.principalId) && g.deps(ra, "principalId").length === 0) {
                index.unresolved.add(ra);
            }
            for (const t of targets) {
                const list = index.byPrincipal.get(t.urn) ?? [];
                list.push(ra);
                index.byPrincipal.set(t.urn, list);
            }
        }
        return index;
    });
}

export function assignmentsOf(g: ResourceGraph, principal: Node): Node[] {
    return assignmentIndex(g).byPrincipal.get(principal.urn) ?? [];
}

/** The role an assignment grants: a role definition id, or on classic Azure possibly a role name; `unknown` names the property unknown during preview. */
type AssignedRole = { unknown: string } | { id?: string; name?: string };

function assignedRole(ra: Node): AssignedRole {
    const view = ROLE_ASSIGNMENTS[ra.type].view(ra.props, ra.type);
    for (const f of [view.roleDefinitionName, view.roleDefinitionId]) {
        const value = f.read();
        if (isUnknown(value)) {
            return { unknown: f.where };
        }
        const text = asString(value)?.trim();
        if (text) {
            return f === view.roleDefinitionName ? { name: text } : { id: text };
        }
    }
    return {};
}

function privilegedRoleOf(role: AssignedRole): PrivilegedRole | undefined {
    return "unknown" in role ? undefined : role.name !== undefined ? privilegedRoleNamed(role.name) : privilegedRole(role.id ?? "");
}

/** Whether an assigned role reads Key Vault secrets (by definition id, or by name on classic Azure). */
function readsSecrets(role: AssignedRole): boolean {
    if ("unknown" in role) {
        return false;
    }
    if (role.name !== undefined) {
        const wanted = role.name.toLowerCase();
        return Object.values(KEY_VAULT_SECRET_READERS).some(n => n.toLowerCase() === wanted);
    }
    const guid = roleGuid(role.id ?? "");
    return !!guid && Object.prototype.hasOwnProperty.call(KEY_VAULT_SECRET_READERS, guid);
}

const assignmentLabel = (ra: Node) => `${ra.type === CLASSIC_ROLE_ASSIGNMENT ? "Assignment" : "RoleAssignment"} ${quote(ra.name)}`;

/** How a role assignment's scope reads in a message. */
function scopeText(g: ResourceGraph, ra: Node): string {
    const scope = knownString(ra.props.scope);
    if (scope !== undefined) {
        const level = broadScope(scope);
        if (level) {
            return `${level} scope`;
        }
        return "a single resource's scope";
    }
    const dep = g.deps(ra, "scope")[0];
    if (dep) {
        return RESOURCE_GROUPS.has(dep.type) ? `resource group ${quote(dep.name)}` : `resource ${quote(dep.name)}`;
    }
    return "a scope computed at deployment";
}

export interface PrivilegedAssignment {
    app: Node;
    ra: Node;
    role: PrivilegedRole;
    text: string;
    reportedBy?: ReportedBy;
}

/** Owner, Contributor, User Access Administrator or RBAC Administrator assignments to function apps' identities. */
export function privilegedAssignments(g: ResourceGraph, onUnknown: OnUnknown): PrivilegedAssignment[] {
    const out: PrivilegedAssignment[] = [];
    let identities = 0;
    for (const app of functionApps(g, onUnknown)) {
        for (const principal of principalsOf(g, app, onUnknown) ?? []) {
            identities++;
            for (const ra of assignmentsOf(g, principal.node)) {
                const assigned = assignedRole(ra);
                if ("unknown" in assigned) {
                    onUnknown(ra, assigned.unknown);
                    continue;
                }
                const role = privilegedRoleOf(assigned);
                if (role) {
                    const to = principal.node === app ? "" : ` to ${principal.label}`;
                    out.push({
                        app, ra, role,
                        text: `${appLabel(app)} gets ${quote(role.name)} on ${scopeText(g, ra)} via ${assignmentLabel(ra)}${to} (${role.power})`,
                        reportedBy: reportedWhen(reportsWorkloadAssignment(ROLE_ASSIGNMENTS[ra.type].view(ra.props, ra.type)), PRIVILEGED_ASSIGNMENT, ra),
                    });
                }
            }
        }
    }
    if (identities > 0) {
        for (const ra of assignmentIndex(g).unresolved) {
            const assigned = assignedRole(ra);
            if ("unknown" in assigned || privilegedRoleOf(assigned)) {
                onUnknown(ra, "principalId");
            }
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Public invocation

export interface AzurePublicPath {
    /** The WebAppFunction resource (reported on). */
    fn: Node;
    app: Node;
    path: string;
    reportedBy?: ReportedBy;
}

/** A function definition's config: an object, or a JSON string on the classic provider. */
export function functionConfig(config: unknown): Record<string, unknown> {
    if (typeof config === "string" && config.length <= 1_000_000) {
        try {
            const parsed: unknown = JSON.parse(config);
            return isRecord(parsed) ? parsed : {};
        } catch {
            return {};
        }
    }
    return isRecord(config) ? config : {};
}

type Decision = { yes: boolean; via: string } | undefined;

const AUTH_SETTINGS_V1 = "azure-native:web:WebAppAuthSettings";
const AUTH_SETTINGS_V1_SLOT = "azure-native:web:WebAppAuthSettingsSlot";

/** The first unknown value among the auth settings that decide whether unauthenticated calls are rejected. */
function unknownAuthValue(auth: Node): string | undefined {
    const p = auth.props;
    const checks: [string, unknown][] = auth.type === AUTH_SETTINGS_V1 || auth.type === AUTH_SETTINGS_V1_SLOT
        ? [["enabled", p.enabled], ["unauthenticatedClientAction", p.unauthenticatedClientAction]]
        : [
            ["platform", p.platform], ["platform.enabled", at(p.platform, "enabled")], ["globalValidation", p.globalValidation],
            ["globalValidation.requireAuthentication", at(p.globalValidation, "requireAuthentication")],
            ["globalValidation.unauthenticatedClientAction", at(p.globalValidation, "unauthenticatedClientAction")],
            ["globalValidation.excludedPaths", at(p.globalValidation, "excludedPaths")],
        ];
    const hit = checks.find(([, v]) => isUnknown(v) || (Array.isArray(v) && v.some(isUnknown)));
    return hit?.[0];
}

/** Whether an excluded path of App Service authentication covers the function's route (/api/<name>). */
function excludes(paths: string[], functionName: string): boolean {
    const route = `/api/${functionName}`.toLowerCase();
    return paths.some(raw => {
        const p = raw.trim().toLowerCase().replace(/\/+$/, "");
        return p.endsWith("*") ? route.startsWith(p.slice(0, -1)) : p !== "" && (route === p || route.startsWith(`${p}/`));
    });
}

/**
 * Whether App Service authentication linked to the app (WebAppAuthSettingsV2, or the older
 * WebAppAuthSettings) rejects unauthenticated calls to this function's route; undefined (after
 * reporting the unknown) when that can't be told yet.
 */
function platformAuth(g: ResourceGraph, app: Node, fn: Node, onUnknown: OnUnknown): Decision {
    const settings = [
        ...companions(g, app, AUTH_SETTINGS_V2, AUTH_SETTINGS_V2_SLOT),
        ...companions(g, app, AUTH_SETTINGS_V1, AUTH_SETTINGS_V1_SLOT),
    ];
    if (settings.length === 0) {
        return { yes: false, via: `${appLabel(app)} has no App Service authentication (WebAppAuthSettingsV2)` };
    }
    let undecided = false;
    for (const auth of settings) {
        const unknownAt = unknownAuthValue(auth);
        if (unknownAt) {
            onUnknown(auth, unknownAt);
            undecided = true;
            continue;
        }
        const p = auth.props;
        if (auth.type === AUTH_SETTINGS_V1 || auth.type === AUTH_SETTINGS_V1_SLOT) {
            if (asBoolean(p.enabled) === true && asString(p.unauthenticatedClientAction) !== "AllowAnonymous") {
                return { yes: true, via: `WebAppAuthSettings ${quote(auth.name)}` };
            }
            continue;
        }
        const validation = p.globalValidation;
        const paths = asStrings(at(validation, "excludedPaths")).filter(x => x.trim() !== "");
        if (paths.length > 0 && isUnknown(fn.props.functionName)) {
            onUnknown(fn, "functionName");
            undecided = true;
            continue;
        }
        const armName = knownString(fn.props.name);
        const functionName = knownString(fn.props.functionName) ?? (armName?.includes("/") ? armName.slice(armName.lastIndexOf("/") + 1) : fn.name);
        if (asBoolean(at(p.platform, "enabled")) === true && asBoolean(at(validation, "requireAuthentication")) === true
            && asString(at(validation, "unauthenticatedClientAction")) !== "AllowAnonymous" && !excludes(paths, functionName)) {
            return { yes: true, via: `WebAppAuthSettingsV2 ${quote(auth.name)}` };
        }
    }
    if (undecided) {
        return undefined;
    }
    const first = settings[0];
    return { yes: false, via: `${first.type.slice(first.type.lastIndexOf(":") + 1)} ${quote(first.name)} of ${appLabel(app)} doesn't require authentication for it` };
}

/** Whether a classic app's authSettingsV2 block rejects unauthenticated calls; undefined (after reporting) when unknown. */
function classicAuth(app: Node, onUnknown: OnUnknown): Decision {
    const view = AUTH_SETTINGS[app.type].view(app.props, app.type);
    const fields = [view.enabled, view.requireAuthentication, view.unauthenticatedAction];
    const unknownField = isUnknown(app.props.authSettingsV2) ? "authSettingsV2" : fields.find(f => f.isUnknown())?.where;
    if (unknownField) {
        onUnknown(app, unknownField);
        return undefined;
    }
    if (asBoolean(view.enabled.read()) === true && asBoolean(view.requireAuthentication.read()) === true && asString(view.unauthenticatedAction.read()) !== "AllowAnonymous") {
        return { yes: true, via: `authSettingsV2 of ${appLabel(app)}` };
    }
    return { yes: false, via: `${appLabel(app)} doesn't require App Service authentication (authSettingsV2)` };
}

/** HTTP functions with authLevel "anonymous" on function apps without App Service authentication in front. */
export function publicInvocationPaths(g: ResourceGraph, onUnknown: OnUnknown): AzurePublicPath[] {
    const out: AzurePublicPath[] = [];
    for (const fn of g.ofType(FUNCTION, FUNCTION_SLOT, CLASSIC_FUNCTION)) {
        const config = FUNCTION_DEFINITIONS[fn.type].view(fn.props, fn.type).config;
        if (isUnknown(config.read())) {
            onUnknown(fn, config.where);
            continue;
        }
        const bindings = asList(functionConfig(config.read()).bindings);
        let anonymous = false;
        bindings.forEach((binding, i) => {
            const type = at(binding, "type");
            const level = at(binding, "authLevel");
            if (isUnknown(binding) || isUnknown(type)) {
                onUnknown(fn, `${config.where}.bindings[${i}]`);
            } else if (asString(type)?.toLowerCase() === "httptrigger") {
                if (isUnknown(level)) {
                    onUnknown(fn, `${config.where}.bindings[${i}].authLevel`);
                } else if (asString(level)?.toLowerCase() === "anonymous") {
                    anonymous = true;
                }
            }
        });
        if (!anonymous) {
            continue;
        }
        const classic = fn.type === CLASSIC_FUNCTION;
        const apps = classic ? g.refs(fn, "functionAppId", ALL_APPS) : appsOfCompanion(g, fn, fn.type === FUNCTION_SLOT, onUnknown);
        const link = classic ? "functionAppId" : "name";
        if (apps.length === 0 && isUnknown(fn.props[link]) && g.deps(fn, link).length === 0) {
            onUnknown(fn, link);
        }
        for (const app of apps) {
            const auth = isClassicApp(app) ? classicAuth(app, onUnknown) : platformAuth(g, app, fn, onUnknown);
            if (auth && !auth.yes) {
                // The anonymous binding is what azure-functionapp-function-anonymous reports on the function.
                out.push({ fn, app, path: `its httpTrigger has authLevel "anonymous" and ${auth.via}`, reportedBy: { policy: FUNCTION_ANONYMOUS, node: fn } });
            }
        }
    }
    return out;
}

/** Whether a function app caps its scale-out (functionAppScaleLimit, or maximumInstanceCount on Flex Consumption). */
export function scaleCap(app: Node): { capped: boolean | undefined; property: string } {
    if (isClassicApp(app)) {
        const limit = APPS[app.type].view(app.props, app.type).scaleLimit;
        const top = limit.where.split(".")[0];
        if (isUnknown(app.props[top]) || limit.isUnknown()) {
            return { capped: undefined, property: limit.where };
        }
        const n = asNumber(limit.read());
        return { capped: n !== undefined && n > 0, property: limit.where };
    }
    if (isUnknown(app.props.functionAppConfig)) {
        return { capped: undefined, property: "functionAppConfig" };
    }
    const flex = isFlexConsumption(app.props);
    const [top, ...rest] = flex
        ? ["functionAppConfig", "scaleAndConcurrency", "maximumInstanceCount"]
        : ["siteConfig", "functionAppScaleLimit"];
    let value: unknown = app.props[top];
    for (let i = 0; i <= rest.length; i++) {
        if (isUnknown(value)) {
            return { capped: undefined, property: [top, ...rest.slice(0, i)].join(".") };
        }
        value = i < rest.length ? at(value, rest[i]) : value;
    }
    const n = asNumber(value);
    return { capped: n !== undefined && n > 0, property: [top, ...rest].join(".") };
}

// ---------------------------------------------------------------------------------------------
// Storage accounts

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
    const s = known.trim().replace(/\/+$/, "").toLowerCase();
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

// ---------------------------------------------------------------------------------------------
// Logging

/** Whether the app sends telemetry to Application Insights; undefined when a decisive setting is unknown. */
export function hasAppInsights(g: ResourceGraph, app: Node, onUnknown: OnUnknown): boolean | undefined {
    if (isClassicApp(app)) {
        const site = app.props.siteConfig;
        if (isUnknown(site)) {
            onUnknown(app, "siteConfig");
            return undefined;
        }
        // The classic provider writes APPINSIGHTS settings from these two siteConfig properties.
        if (["applicationInsightsConnectionString", "applicationInsightsKey"].some(k => isUnknown(at(site, k)) || knownString(at(site, k)))) {
            return true;
        }
    }
    const view = settingsOf(g, app, false);
    for (const name of APP_INSIGHTS_SETTINGS) {
        for (const s of named(view, name)) {
            if (isUnknown(s.value) || (asString(s.value)?.trim() ?? "") !== "") {
                return true;
            }
        }
    }
    const unknown = firstUnknownSetting(view);
    if (unknown) {
        onUnknown(unknown.node, unknown.property);
        return undefined;
    }
    if (view.unreadable) {
        onUnknown(view.unreadable.node, view.unreadable.property, "unrecorded");
        return undefined;
    }
    return false;
}
