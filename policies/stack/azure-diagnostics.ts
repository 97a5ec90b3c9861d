// Whether an Azure function app's platform logs (function execution and HTTP request logs) leave the
// app through an Azure Monitor diagnostic setting, to a Log Analytics workspace, storage account or
// event hub where they can be kept and reviewed.
import { DIAGNOSTIC_LOG_CATEGORIES, DIAGNOSTIC_LOG_CATEGORY_GROUPS } from "../data/azure";
import { stackPolicy } from "../lib/define";
import { isUnknown, Node, ResourceGraph } from "../lib/graph";
import { asBoolean, asList, asString, at } from "../lib/values";
import * as azure from "./azure";

export const DIAGNOSTIC_SETTING = "azure-native:monitor:DiagnosticSetting";
export const CLASSIC_DIAGNOSTIC_SETTING = "azure:monitoring/diagnosticSetting:DiagnosticSetting";

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

export const diagnosticPolicies = [
    stackPolicy({
        name: "stack-azure-functionapp-diagnostic-logs",
        description: "Each Azure function app should send its function execution and HTTP logs through a diagnostic setting to a Log Analytics workspace, storage account or event hub, so that requests and failures can be reviewed after the fact.",
        severity: "low",
        threats: ["P7", "R2"],
        references: ["CIS Azure Foundations 5.4"],
        remediation: "Add an azure-native monitor.DiagnosticSetting with resourceUri set to the function app's id, a destination (workspaceId, storageAccountId or eventHubAuthorizationRuleId) and logs enabled for the FunctionAppLogs and AppServiceHTTPLogs categories (or the allLogs category group); with the classic provider, a monitoring.DiagnosticSetting with targetResourceId, a destination and those categories in enabledLogs.",
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
                const unplaced = unplacedSettings(graph);
                if (unplaced.length > 0) {
                    unplaced.forEach(s => unknown(s, SHAPES[s.type].target));
                    continue;
                }
                report(app.resource, settings.length === 0
                    ? `${azure.appLabel(app)} has no diagnostic setting, so its execution and HTTP logs are kept nowhere you can review them; add a monitor.DiagnosticSetting that sends FunctionAppLogs and AppServiceHTTPLogs.`
                    : `${azure.appLabel(app)} has a diagnostic setting, but none enables FunctionAppLogs, AppServiceHTTPLogs or the allLogs group; enable them.`);
            }
        },
    }),
];
