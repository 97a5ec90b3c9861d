// Whether an Azure function app's platform logs (function execution and HTTP request logs) leave the
// app where they can be kept and reviewed; where they go is the Azure model's answer
// (policies/model/azure/logging.ts). HTTP logs kept only on the app's own file system are named in
// messages, and don't count as keeping them.
import { stackPolicy } from "../lib/define";
import * as azure from "../model/azure";
import { CLASSIC_DIAGNOSTIC_SETTING, DIAGNOSTIC_SETTING, httpLogging, sendsAppLogs, sendsToAppInsights, SHAPES, unplacedSettings } from "../model/azure";

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
