// Whether function activity is logged where it can be kept and reviewed.
import { stackPolicy } from "../lib/define";
import { asNumber, quote } from "../lib/values";
import { isUnknown } from "../lib/graph";
import { FUNCTION_TYPES, logGroupsOf } from "../model/aws";
import { APP_INSIGHTS_SETTINGS } from "../data/azure";
import * as azure from "../model/azure";

export const loggingPolicies = [
    stackPolicy<{ requireKms: boolean }>({
        name: "stack-function-logging",
        description: "Each function's activity should be logged where it can be reviewed: a Lambda log group managed in the stack with a retention period, Application Insights for a function app.",
        severity: "low",
        threats: ["P7"],
        remediation: "Create a Lambda function's log group (/aws/lambda/<name>) in the stack with retentionInDays (and kmsKeyId where required), and give an Azure function app the APPLICATIONINSIGHTS_CONNECTION_STRING setting; Google Cloud Functions log to Cloud Logging by default.",
        config: {
            requireKms: { type: "boolean", default: false, description: "Also require the log group to be encrypted with a KMS key." },
        },
        check: ({ graph, report, config, unknown }) => {
            for (const fn of graph.ofType(...FUNCTION_TYPES)) {
                const groups = logGroupsOf(graph, fn);
                if (groups.length === 0) {
                    report(fn.resource, `function ${quote(fn.name)} has no log group in the stack: Lambda creates one that keeps logs forever.`);
                    continue;
                }
                for (const lg of groups) {
                    const days = lg.props.retentionInDays;
                    if (!isUnknown(days) && !(asNumber(days) ?? 0)) {
                        report(fn.resource, `function ${quote(fn.name)} logs to ${quote(lg.name)}, which has no retention period.`);
                    }
                    if (config.requireKms && !lg.props.kmsKeyId) {
                        report(fn.resource, `function ${quote(fn.name)} logs to ${quote(lg.name)}, which is not encrypted with a KMS key.`);
                    }
                }
            }
            for (const app of azure.functionApps(graph, unknown)) {
                if (azure.hasAppInsights(graph, app, unknown) === false) {
                    report(app.resource, `${azure.appLabel(app)} has no ${APP_INSIGHTS_SETTINGS.join(" or ")} app setting (${azure.isClassicApp(app) ? "in appSettings, nor siteConfig.applicationInsightsConnectionString" : "inline or in a linked WebAppApplicationSettings"}), so its invocations and failures aren't recorded in Application Insights.`);
                }
            }
        },
    }),
];
