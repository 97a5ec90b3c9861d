// Azure function apps and their companion resources (settings, functions, auth), which link to their
// app through their `name` (or, for slots, `slot`) property or, read back from Azure, their ARM id;
// which resource a name or id means is decided by the identity adapters (./identity).
import {
    APP_SETTINGS, APP_SETTINGS_SLOT, appSettingsOf, CONNECTION_STRINGS, CONNECTION_STRINGS_SLOT, connectionStringsOf, isFunctionAppKind, WEB_APP, WEB_APP_SLOT,
} from "../../azure/common";
import { APPS, CLASSIC_APPS } from "../../azure/views";
import { isUnknown, knownString, Node, ResourceGraph } from "../../lib/graph";
import { asList, at, quote } from "../../lib/values";
import type { OnUnknown } from "../core";
import { computeLabel } from "../labels";
import { isClassicApp, set } from "./types";

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
export function appsOfCompanion(g: ResourceGraph, node: Node, isSlotType: boolean, onUnknown?: OnUnknown): Node[] {
    const property = isSlotType ? "slot" : "name";
    const found = g.resolve(node, property, isSlotType ? set(WEB_APP_SLOT) : set(WEB_APP));
    if (found.undecided && onUnknown) {
        onUnknown(node, property, "ambiguous");
    }
    return found.nodes;
}

/** Names in messages: a resource by its Pulumi name, e.g. "function app `api`". */
export const appLabel = (app: Node) => computeLabel(app, "function app");

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
export function classicSettings(app: Node, key: "appSettings" | "connectionStrings", out: SettingsView): void {
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
export function named(view: SettingsView, name: string): AppSetting[] {
    const wanted = name.toLowerCase();
    return view.settings.filter(s => s.name?.toLowerCase() === wanted);
}

/** Where a setting's value can't be told yet: an unknown list or map, or a setting whose name is unknown. */
export function firstUnknownSetting(view: SettingsView): { node: Node; property: string } | undefined {
    const nameless = view.settings.find(s => s.name === undefined);
    return view.unknown[0] ?? (nameless ? { node: nameless.owner, property: nameless.path } : undefined);
}
