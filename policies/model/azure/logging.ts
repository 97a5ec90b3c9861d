// Where an Azure function app's platform logs go: Application Insights (which records every execution,
// request and log line), Azure Monitor diagnostic settings to a Log Analytics workspace, storage
// account or event hub, or App Service HTTP logging (to blob storage, or only to the app's own file
// system, where the oldest are deleted once they fill its log quota of 25 to 100 MB).
import { APP_SETTINGS, APP_SETTINGS_SLOT } from "../../azure/common";
import { APP_SETTINGS_HOLDERS } from "../../azure/views";
import { APP_INSIGHTS_SETTINGS, DIAGNOSTIC_LOG_CATEGORIES, DIAGNOSTIC_LOG_CATEGORY_GROUPS } from "../../data/azure";
import { isUnknown, knownString, Node, ResourceGraph } from "../../lib/graph";
import { asBoolean, asList, asString, at, isRecord, quote } from "../../lib/values";
import type { OnUnknown } from "../core";
import { companions, firstUnknownSetting, named, settingsOf } from "./apps";
import { isClassicApp } from "./types";
import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";

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

export const DIAGNOSTIC_SETTING = "azure-native:monitor:DiagnosticSetting";
export const CLASSIC_DIAGNOSTIC_SETTING = "azure:monitoring/diagnosticSetting:DiagnosticSetting";
export const LOGS_CONFIG = "azure-native:web:WebAppDiagnosticLogsConfiguration";
export const LOGS_CONFIG_SLOT = "azure-native:web:WebAppDiagnosticLogsConfigurationSlot";

/** Where each provider's diagnostic setting names its resource and its logs (classic entries in enabledLogs are on by being listed). */
export const SHAPES: Record<string, { target: string; logs: string; listedMeansEnabled: boolean }> = {
    [DIAGNOSTIC_SETTING]: { target: "resourceUri", logs: "logs", listedMeansEnabled: false },
    [CLASSIC_DIAGNOSTIC_SETTING]: { target: "targetResourceId", logs: "enabledLogs", listedMeansEnabled: true },
};

export const lower = (values: readonly string[]) => values.map(v => v.toLowerCase());
const CATEGORIES = lower(DIAGNOSTIC_LOG_CATEGORIES);
const GROUPS = lower(DIAGNOSTIC_LOG_CATEGORY_GROUPS);

/** Whether a diagnostic setting sends an app's execution or HTTP logs; undefined (after reporting) when that is unknown. */
export function sendsAppLogs(setting: Node, unknown: (node: Node, property: string) => void): boolean | undefined {
    const shape = SHAPES[setting.type];
    const logs = setting.props[shape.logs];
    if (isUnknown(logs)) {
        unknown(setting, shape.logs);
        return undefined;
    }
    let undecided = false;
    for (const entry of asList(logs)) {
        const enabled = shape.listedMeansEnabled ? true : at(entry, "enabled");
        const category = at(entry, "category");
        const group = at(entry, "categoryGroup");
        if ([entry, enabled, category, group].some(isUnknown)) {
            undecided = true;
            continue;
        }
        const matches = CATEGORIES.includes(asString(category)?.toLowerCase() ?? "") || GROUPS.includes(asString(group)?.toLowerCase() ?? "");
        if (matches && asBoolean(enabled) === true) {
            return true;
        }
    }
    if (undecided) {
        unknown(setting, shape.logs);
        return undefined;
    }
    return false;
}

/** Diagnostic settings whose target can't be told during preview (an unknown resourceUri with no dependency). */
export function unplacedSettings(g: ResourceGraph): Node[] {
    return g.remember("azure:diagnostic-settings:unplaced", () =>
        g.ofType(DIAGNOSTIC_SETTING, CLASSIC_DIAGNOSTIC_SETTING).filter(s => {
            const target = SHAPES[s.type].target;
            return isUnknown(s.props[target]) && g.deps(s, target).length === 0;
        }));
}

interface HttpLogging {
    /** Where HTTP logs go to blob storage, e.g. "WebAppDiagnosticLogsConfiguration `api-logs` (httpLogs.azureBlobStorage)". */
    blob?: string;
    /** Where HTTP logs go to the app's own file system, e.g. "siteConfig.httpLoggingEnabled". */
    fileSystem?: string;
    /** A logs configuration whose HTTP logs can't be told yet (they might go to blob storage). */
    waiting?: Node;
}

/** The app's own App Service HTTP logging: its site config (file system) and its logs configuration resources (file system or blob storage). */
export function httpLogging(g: ResourceGraph, app: Node): HttpLogging {
    const out: HttpLogging = {};
    const site = app.props.siteConfig;
    if (isClassicApp(app)) {
        // The classic provider turns on file-system HTTP logging when siteConfig.appServiceLogs is given.
        const logs = at(site, "appServiceLogs");
        if (isUnknown(logs) || isRecord(logs)) {
            out.fileSystem = "siteConfig.appServiceLogs";
        }
        return out;
    }
    if (asBoolean(at(site, "httpLoggingEnabled")) === true) {
        out.fileSystem = "siteConfig.httpLoggingEnabled";
    }
    for (const config of companions(g, app, LOGS_CONFIG, LOGS_CONFIG_SLOT)) {
        const http = config.props.httpLogs;
        const blob = at(http, "azureBlobStorage", "enabled");
        if (isUnknown(http) || isUnknown(at(http, "azureBlobStorage")) || isUnknown(blob)) {
            out.waiting = config;
        } else if (asBoolean(blob) === true) {
            out.blob = `WebAppDiagnosticLogsConfiguration ${quote(config.name)} (httpLogs.azureBlobStorage)`;
        }
        if (asBoolean(at(http, "fileSystem", "enabled")) === true) {
            out.fileSystem = out.fileSystem ?? `WebAppDiagnosticLogsConfiguration ${quote(config.name)} (httpLogs.fileSystem)`;
        }
    }
    return out;
}

/**
 * Whether the app sends its telemetry (function executions, requests, logs) to Application Insights:
 * an APPLICATIONINSIGHTS_CONNECTION_STRING or APPINSIGHTS_INSTRUMENTATIONKEY app setting on the app or
 * its WebAppApplicationSettings, or classic siteConfig.applicationInsightsConnectionString / Key.
 * Undefined (after reporting) while settings that could hold it are unknown.
 */
export function sendsToAppInsights(g: ResourceGraph, app: Node, unknown: (node: Node, property: string) => void): boolean | undefined {
    let undecided = false;
    for (const holder of [app, ...companions(g, app, APP_SETTINGS, APP_SETTINGS_SLOT)]) {
        try {
            if (APP_SETTINGS_HOLDERS[holder.type].view(unknownCheckingProxy(holder.props), holder.type).appInsights()?.configured) {
                return true;
            }
        } catch (e) {
            if (!(e instanceof UnknownValueError)) {
                throw e;
            }
            const path = (e as UnknownValueError & { props?: unknown[] }).props;
            unknown(holder, Array.isArray(path) ? path.map(String).join(".") : "siteConfig");
            undecided = true;
        }
    }
    return undecided ? undefined : false;
}
