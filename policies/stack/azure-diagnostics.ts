// Whether an Azure function app's platform logs (function execution and HTTP request logs) leave the
// app: to Application Insights (which records every execution, request and log line), through an
// Azure Monitor diagnostic setting to a Log Analytics workspace, storage account or event hub where
// they can be kept and reviewed, or its HTTP logs through App Service HTTP logging to blob storage. App Service HTTP logging to the app's own file system (siteConfig.httpLoggingEnabled,
// classic siteConfig.appServiceLogs) keeps request logs only until they fill the app's log quota
// (25 to 100 MB): it is named in messages, and doesn't count as keeping them.
import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import { APP_SETTINGS, APP_SETTINGS_SLOT } from "../azure/common";
import { APP_SETTINGS_HOLDERS } from "../azure/views";
import { DIAGNOSTIC_LOG_CATEGORIES, DIAGNOSTIC_LOG_CATEGORY_GROUPS } from "../data/azure";
import { stackPolicy } from "../lib/define";
import { isUnknown, Node, ResourceGraph } from "../lib/graph";
import { asBoolean, asList, asString, at, isRecord, quote } from "../lib/values";
import * as azure from "./azure";

export const DIAGNOSTIC_SETTING = "azure-native:monitor:DiagnosticSetting";
export const CLASSIC_DIAGNOSTIC_SETTING = "azure:monitoring/diagnosticSetting:DiagnosticSetting";
export const LOGS_CONFIG = "azure-native:web:WebAppDiagnosticLogsConfiguration";
export const LOGS_CONFIG_SLOT = "azure-native:web:WebAppDiagnosticLogsConfigurationSlot";

/** Where each provider's diagnostic setting names its resource and its logs (classic entries in enabledLogs are on by being listed). */
const SHAPES: Record<string, { target: string; logs: string; listedMeansEnabled: boolean }> = {
    [DIAGNOSTIC_SETTING]: { target: "resourceUri", logs: "logs", listedMeansEnabled: false },
    [CLASSIC_DIAGNOSTIC_SETTING]: { target: "targetResourceId", logs: "enabledLogs", listedMeansEnabled: true },
};

const lower = (values: readonly string[]) => values.map(v => v.toLowerCase());
const CATEGORIES = lower(DIAGNOSTIC_LOG_CATEGORIES);
const GROUPS = lower(DIAGNOSTIC_LOG_CATEGORY_GROUPS);

/** Whether a diagnostic setting sends an app's execution or HTTP logs; undefined (after reporting) when that is unknown. */
function sendsAppLogs(setting: Node, unknown: (node: Node, property: string) => void): boolean | undefined {
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
function unplacedSettings(g: ResourceGraph): Node[] {
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
function httpLogging(g: ResourceGraph, app: Node): HttpLogging {
    const out: HttpLogging = {};
    const site = app.props.siteConfig;
    if (azure.isClassicApp(app)) {
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
    for (const config of azure.companions(g, app, LOGS_CONFIG, LOGS_CONFIG_SLOT)) {
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
function sendsToAppInsights(g: ResourceGraph, app: Node, unknown: (node: Node, property: string) => void): boolean | undefined {
    let undecided = false;
    for (const holder of [app, ...azure.companions(g, app, APP_SETTINGS, APP_SETTINGS_SLOT)]) {
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

/** What a message adds about HTTP logs kept only on the app's file system. */
const fileSystemNote = (where: string) =>
    `its HTTP logs only on its own file system (${where}), where the oldest are deleted once they fill the app's log quota of 25 to 100 MB`;

export const diagnosticPolicies = [
    stackPolicy({
        name: "stack-azure-functionapp-diagnostic-logs",
        description: "Each Azure function app should send its function execution and HTTP logs out of the app, through Application Insights or a diagnostic setting to a Log Analytics workspace, storage account or event hub (HTTP logs also through App Service HTTP logging to blob storage), so that requests and failures can be reviewed after the fact; HTTP logging to the app's own file system keeps only what fits its log quota.",
        severity: "low",
        threats: ["P7", "R2"],
        references: ["CIS Azure Foundations v2.0.0 5.4"],
        remediation: "Connect the app to Application Insights (the APPLICATIONINSIGHTS_CONNECTION_STRING app setting; classic siteConfig.applicationInsightsConnectionString), or add an azure-native monitor.DiagnosticSetting with resourceUri set to the function app's id, a destination (workspaceId, storageAccountId or eventHubAuthorizationRuleId) and logs enabled for the FunctionAppLogs and AppServiceHTTPLogs categories (or the allLogs category group); with the classic provider, a monitoring.DiagnosticSetting with targetResourceId, a destination and those categories in enabledLogs. App Service HTTP logging to the app's file system (siteConfig.httpLoggingEnabled, classic siteConfig.appServiceLogs) doesn't replace it: those logs are deleted once they fill the app's log quota.",
        check: ({ graph, report, unknown }) => {
            for (const app of azure.functionApps(graph, unknown)) {
                const settings = [
                    ...graph.referrers(app, "resourceUri", [DIAGNOSTIC_SETTING]),
                    ...graph.referrers(app, "targetResourceId", [CLASSIC_DIAGNOSTIC_SETTING]),
                ];
                const results = settings.map(s => sendsAppLogs(s, unknown));
                if (results.includes(true) || results.includes(undefined)) {
                    continue;
                }
                const http = httpLogging(graph, app);
                if (http.blob) {
                    continue;
                }
                const insights = sendsToAppInsights(graph, app, unknown);
                if (insights !== false) {
                    continue;
                }
                const unplaced = unplacedSettings(graph);
                if (unplaced.length > 0 || http.waiting) {
                    unplaced.forEach(s => unknown(s, SHAPES[s.type].target));
                    if (http.waiting) {
                        unknown(http.waiting, "httpLogs");
                    }
                    continue;
                }
                if (settings.length === 0) {
                    report(app.resource, http.fileSystem
                        ? `${azure.appLabel(app)} has no Application Insights connection and no diagnostic setting, so its execution logs are kept nowhere you can review them and ${fileSystemNote(http.fileSystem)}; add a monitor.DiagnosticSetting that sends FunctionAppLogs and AppServiceHTTPLogs.`
                        : `${azure.appLabel(app)} has no Application Insights connection and no diagnostic setting, so its execution and HTTP logs are kept nowhere you can review them; add a monitor.DiagnosticSetting that sends FunctionAppLogs and AppServiceHTTPLogs.`);
                } else {
                    report(app.resource, `${azure.appLabel(app)} has no Application Insights connection and a diagnostic setting, but none enables FunctionAppLogs, AppServiceHTTPLogs or the allLogs group${http.fileSystem ? `, and it keeps ${fileSystemNote(http.fileSystem)}` : ""}; enable them.`);
                }
            }
        },
    }),
];
