// Azure Functions apps (azure-native web apps and slots of kind "functionapp"): transport security,
// FTP and remote debugging, CORS, identity, network exposure, host and language versions, scaling
// and monitoring; plus the companion resources that configure an app separately: authentication
// settings, function definitions and basic publishing credentials.
import type { WebAppAuthSettingsV2Args } from "@pulumi/azure-native/web/webAppAuthSettingsV2";
import type { WebAppFunctionArgs } from "@pulumi/azure-native/web/webAppFunction";
import type { WebAppFtpAllowedArgs } from "@pulumi/azure-native/web/webAppFtpAllowed";
import type { Unwrap } from "@pulumi/pulumi";
import { resourcePolicy } from "../lib/define";
import { AZURE_FUNCTIONS_RUNTIMES } from "../data/runtimes-azure";
import { APP_INSIGHTS_SETTINGS } from "../data/azure";
import { evaluationDate, RUNTIME_CONFIG, runtimeStatus, suggestedRuntime } from "../lib/runtimes";
import { asBoolean, asList, asNumber, asString, asStrings, at, Dict, isRecord, isUnknownValue, quote } from "../lib/values";
import {
    appSettingsOf, AUTH_SETTINGS_V2, AUTH_SETTINGS_V2_SLOT, findSetting, FTP_ALLOWED, FTP_ALLOWED_SLOT, FUNCTION,
    FUNCTION_APPS, FUNCTION_SLOT, functionAppPolicy, isFlexConsumption, languageStacksOf, SCM_ALLOWED, SCM_ALLOWED_SLOT,
    SETTINGS_RESOURCES,
} from "./common";

const TLS_SETTINGS = ["minTlsVersion", "scmMinTlsVersion"] as const;
const SAFE_FTPS_STATES = ["Disabled", "FtpsOnly"];
const OPEN_ADDRESSES = new Set(["any", "*", "0.0.0.0/0", "::/0"]);
const PLATFORM_APP_SETTINGS = [...FUNCTION_APPS, ...SETTINGS_RESOURCES];

const siteConfigOf = (props: Dict) => at(props, "siteConfig");
const belowTls12 = (v: string | undefined) => v !== undefined && (asNumber(v) ?? 1.2) < 1.2;
const isDisabled = (v: unknown) => asString(v)?.trim().toLowerCase() === "disabled";

/** Inbound access is limited when the main site denies by default or allows only listed sources (an implicit deny follows). */
function hasAccessRestrictions(siteConfig: unknown): boolean {
    const defaultAction = asString(at(siteConfig, "ipSecurityRestrictionsDefaultAction"))?.toLowerCase();
    if (defaultAction === "deny") {
        return true;
    }
    if (defaultAction === "allow") {
        return false;
    }
    return asList(at(siteConfig, "ipSecurityRestrictions")).some(rule => {
        const action = (asString(at(rule, "action")) ?? "Allow").toLowerCase();
        const address = asString(at(rule, "ipAddress"))?.trim().toLowerCase();
        const scoped = (address !== undefined && !OPEN_ADDRESSES.has(address)) || asString(at(rule, "vnetSubnetResourceId")) !== undefined;
        return action === "allow" && scoped;
    });
}

/** Shows a version-like setting value; anything else is not echoed. */
function versionText(value: string): string {
    return /^~?\d{1,3}(\.\d{1,5}){0,3}$/.test(value.trim()) ? ` (${quote(value.trim())})` : "";
}

type AppPatch = Record<string, unknown>;

export const functionAppPolicies = [
    functionAppPolicy({
        name: "azure-functionapp-https-only",
        description: "Function apps must redirect HTTP to HTTPS so that function keys, tokens and event data never travel unencrypted.",
        severity: "high",
        threats: ["R2", "R4"],
        references: ["CIS Azure Foundations 9.2", "OWASP SAS-3"],
        remediation: "Set httpsOnly to true.",
        check: ({ props, report }) => {
            if (asBoolean(props.httpsOnly) !== true) {
                report("httpsOnly is not true: the app also answers plain HTTP; set httpsOnly to true.");
            }
        },
        remediate: props => asBoolean(props.httpsOnly) === true ? undefined : { httpsOnly: true },
    }),

    functionAppPolicy({
        name: "azure-functionapp-min-tls",
        description: "Function apps and their SCM (Kudu) site must refuse TLS below 1.2, whose protocol weaknesses expose traffic and credentials.",
        severity: "high",
        threats: ["R4", "R3"],
        references: ["CIS Azure Foundations 9.3"],
        remediation: "Set siteConfig.minTlsVersion and siteConfig.scmMinTlsVersion to \"1.2\" (or \"1.3\").",
        check: ({ props, report, part }) => {
            for (const key of TLS_SETTINGS) {
                part(() => {
                    const version = asString(at(siteConfigOf(props), key));
                    if (belowTls12(version)) {
                        report(`siteConfig.${key} is ${quote(version!)}: set it to "1.2" or higher.`);
                    }
                });
            }
        },
        remediate: props => {
            const patch: AppPatch = {};
            for (const key of TLS_SETTINGS) {
                if (belowTls12(asString(at(siteConfigOf(props), key)))) {
                    patch[key] = "1.2";
                }
            }
            return Object.keys(patch).length > 0 ? { siteConfig: patch } : undefined;
        },
    }),

    functionAppPolicy({
        name: "azure-functionapp-ftps",
        description: "Function apps must not accept plain FTP, which sends deployment credentials and code in clear text.",
        severity: "high",
        threats: ["R4", "P6"],
        references: ["CIS Azure Foundations 9.10"],
        remediation: "Set siteConfig.ftpsState to \"Disabled\" (or \"FtpsOnly\" if FTP deployment is really needed) and deploy from CI/CD.",
        check: ({ props, report }) => {
            const state = asString(at(siteConfigOf(props), "ftpsState"));
            if (!state || !SAFE_FTPS_STATES.includes(state)) {
                report(state
                    ? `siteConfig.ftpsState is ${state === "AllAllowed" ? "\"AllAllowed\"" : "not \"Disabled\" or \"FtpsOnly\""}: set it to "Disabled" or "FtpsOnly".`
                    : "siteConfig.ftpsState is not set, so plain FTP is allowed (\"AllAllowed\"); set it to \"Disabled\" or \"FtpsOnly\".");
            }
        },
        remediate: props => {
            const state = asString(at(siteConfigOf(props), "ftpsState"));
            return state && SAFE_FTPS_STATES.includes(state) ? undefined : { siteConfig: { ftpsState: "Disabled" } };
        },
    }),

    functionAppPolicy({
        name: "azure-functionapp-remote-debugging",
        description: "Function apps must not have remote debugging enabled, which opens extra ports and lets a debugger attach to production code.",
        severity: "high",
        threats: ["R3", "R5"],
        remediation: "Set siteConfig.remoteDebuggingEnabled to false; debug locally or in a non-production slot.",
        check: ({ props, report }) => {
            if (asBoolean(at(siteConfigOf(props), "remoteDebuggingEnabled")) === true) {
                report("siteConfig.remoteDebuggingEnabled is true: set it to false.");
            }
        },
        remediate: props => asBoolean(at(siteConfigOf(props), "remoteDebuggingEnabled")) === true
            ? { siteConfig: { remoteDebuggingEnabled: false } } : undefined,
    }),

    functionAppPolicy({
        name: "azure-functionapp-cors",
        description: "Function app CORS must not allow every origin, least of all with credentials, or any website can call the functions from a user's browser.",
        severity: "medium",
        threats: ["R2", "R1"],
        references: ["OWASP SAS-2"],
        remediation: "List the exact origins in siteConfig.cors.allowedOrigins.",
        check: ({ props, report }) => {
            const cors = at(siteConfigOf(props), "cors");
            if (asStrings(at(cors, "allowedOrigins")).some(o => o.trim() === "*")) {
                report(asBoolean(at(cors, "supportCredentials")) === true
                    ? "siteConfig.cors.allowedOrigins contains \"*\" and supportCredentials is true: any website can make credentialed calls; list the exact origins."
                    : "siteConfig.cors.allowedOrigins contains \"*\": list the exact origins.");
            }
        },
    }),

    functionAppPolicy({
        name: "azure-functionapp-managed-identity",
        description: "Function apps should have a managed identity so that they reach storage, Key Vault and other services without stored credentials.",
        severity: "medium",
        threats: ["P5", "P2"],
        references: ["CIS Azure Foundations 9.5"],
        remediation: "Set identity.type to \"SystemAssigned\" (or \"UserAssigned\" with userAssignedIdentities) and grant it narrow roles.",
        check: ({ props, report }) => {
            const type = asString(at(props, "identity", "type"));
            if (!type || type.trim().toLowerCase() === "none") {
                report("identity.type is not set (or \"None\"): the app has no managed identity; add a system- or user-assigned identity.");
            }
        },
    }),

    functionAppPolicy<{ publicTag: string }>({
        name: "azure-functionapp-public-network",
        description: "Function apps should not be reachable from the whole internet without access restrictions, a private endpoint or a gateway in front.",
        severity: "medium",
        enforcementLevel: "advisory",
        threats: ["P1", "R2"],
        references: ["OWASP SAS-2"],
        remediation: "Set publicNetworkAccess to \"Disabled\" and use a private endpoint, or add siteConfig.ipSecurityRestrictions (e.g. the AzureFrontDoor.Backend or ApiManagement service tag) with ipSecurityRestrictionsDefaultAction \"Deny\"; tag intentionally public apps with the configured tag.",
        config: {
            publicTag: { type: "string", default: "serverless-guard:public", description: "A tag on the app that marks it as intentionally public when its value is \"true\"." },
        },
        check: ({ props, report, config }) => {
            const siteConfig = siteConfigOf(props);
            if (isDisabled(props.publicNetworkAccess) || isDisabled(at(siteConfig, "publicNetworkAccess")) || hasAccessRestrictions(siteConfig)) {
                return;
            }
            if (asString(at(props, "tags", config.publicTag))?.trim().toLowerCase() === "true") {
                return;
            }
            report("publicNetworkAccess is not \"Disabled\" and siteConfig.ipSecurityRestrictions doesn't limit callers: every function is reachable from the internet; restrict access or disable public network access.");
        },
    }),

    functionAppPolicy({
        name: "azure-functionapp-http2",
        description: "Function apps should enable HTTP/2, which fixes head-of-line blocking and some HTTP/1.1 request-smuggling weaknesses.",
        severity: "low",
        threats: ["R3"],
        references: ["CIS Azure Foundations 9.9"],
        remediation: "Set siteConfig.http20Enabled to true.",
        check: ({ props, report }) => {
            if (asBoolean(at(siteConfigOf(props), "http20Enabled")) !== true) {
                report("siteConfig.http20Enabled is not true.");
            }
        },
        remediate: props => asBoolean(at(siteConfigOf(props), "http20Enabled")) === true ? undefined : { siteConfig: { http20Enabled: true } },
    }),

    functionAppPolicy({
        name: "azure-functionapp-extension-version",
        description: "Function apps must run Functions host version 4 (FUNCTIONS_EXTENSION_VERSION \"~4\"); hosts 1.x to 3.x are out of support and get no security fixes.",
        severity: "high",
        threats: ["R3"],
        references: ["OWASP SAS-3"],
        remediation: "Migrate the app to version 4.x and set the app setting FUNCTIONS_EXTENSION_VERSION to \"~4\".",
        resourceTypes: PLATFORM_APP_SETTINGS,
        check: ({ type, props, report }) => {
            const settings = appSettingsOf(type, props);
            const setting = findSetting(settings, "FUNCTIONS_EXTENSION_VERSION");
            if (setting) {
                const value = asString(setting.read());
                if (value !== undefined && value.trim() !== "~4") {
                    report(`${setting.where} FUNCTIONS_EXTENSION_VERSION is not "~4"${versionText(value)}: migrate to host 4.x and set it to "~4".`);
                }
            } else if (FUNCTION_APPS.includes(type) && settings.length > 0 && !isFlexConsumption(props)) {
                report("siteConfig.appSettings has no FUNCTIONS_EXTENSION_VERSION: set it to \"~4\".");
            }
        },
    }),

    functionAppPolicy<{ warnDaysBeforeDeprecation: number; evaluationDate?: string }>({
        name: "azure-functionapp-runtime-deprecated",
        description: "Function apps must not run a language stack past its Azure Functions end-of-support date: it gets no security patches.",
        severity: "high",
        threats: ["R3"],
        references: ["CIS Azure Foundations 9.7", "CIS Azure Foundations 9.8", "OWASP SAS-3"],
        remediation: "Move the app to a supported version of its language (the message names one) in functionAppConfig.runtime, siteConfig.linuxFxVersion or the version setting, and redeploy.",
        resourceTypes: PLATFORM_APP_SETTINGS,
        config: RUNTIME_CONFIG,
        check: ({ type, props, report, warn, config }) => {
            const today = evaluationDate(config.evaluationDate);
            for (const { id, where } of languageStacksOf(type, props)) {
                const status = runtimeStatus(AZURE_FUNCTIONS_RUNTIMES, id, today, asNumber(config.warnDaysBeforeDeprecation) ?? 90);
                const upgrade = suggestedRuntime(AZURE_FUNCTIONS_RUNTIMES, id, today);
                const hint = upgrade ? `; move to ${upgrade}` : "";
                if (status.state === "deprecated") {
                    report(`${where} selects ${id}, out of support since ${status.date}${hint}.`);
                } else if (status.state === "deprecating") {
                    warn(`${where} selects ${id}, out of support on ${status.date} (in ${status.days} days)${hint}.`);
                }
            }
        },
    }),

    functionAppPolicy<{ maxInstances: number }>({
        name: "azure-functionapp-scale-limit",
        description: "Function apps should cap how far they scale out so that a flood of events can't run up the bill without bound (denial of wallet).",
        severity: "medium",
        threats: ["P4"],
        references: ["OWASP SAS-8"],
        remediation: "Set siteConfig.functionAppScaleLimit (Consumption and Premium) or functionAppConfig.scaleAndConcurrency.maximumInstanceCount (Flex Consumption) at or below the configured ceiling.",
        config: {
            maxInstances: { type: "integer", minimum: 1, default: 100, description: "Highest scale-out limit (instances) allowed." },
        },
        check: ({ props, report, config }) => {
            const where = isFlexConsumption(props) ? "functionAppConfig.scaleAndConcurrency.maximumInstanceCount" : "siteConfig.functionAppScaleLimit";
            const limit = asNumber(isFlexConsumption(props)
                ? at(props, "functionAppConfig", "scaleAndConcurrency", "maximumInstanceCount")
                : at(siteConfigOf(props), "functionAppScaleLimit"));
            if (limit === undefined || limit <= 0) {
                report(`${where} is not set, so the app scales out to the platform maximum; set it at or below ${config.maxInstances}.`);
            } else if (limit > config.maxInstances) {
                report(`${where} is ${limit}, above the ceiling of ${config.maxInstances}.`);
            }
        },
    }),

    functionAppPolicy({
        name: "azure-functionapp-app-insights",
        description: "Function apps should send telemetry to Application Insights so that failures, abuse and unusual invocation patterns are visible.",
        severity: "low",
        threats: ["P7", "R5"],
        references: ["OWASP SAS-5"],
        remediation: "Add the app setting APPLICATIONINSIGHTS_CONNECTION_STRING with the connection string of an Application Insights resource.",
        resourceTypes: PLATFORM_APP_SETTINGS,
        check: ({ type, props, report, notApplicable }) => {
            const settings = appSettingsOf(type, props);
            if (settings.length === 0 && FUNCTION_APPS.includes(type)) {
                notApplicable("no inline app settings: they are checked on the app's WebAppApplicationSettings resource");
            }
            if (!APP_INSIGHTS_SETTINGS.some(name => findSetting(settings, name))) {
                report(`no ${APP_INSIGHTS_SETTINGS.join(" or ")} in ${settings[0]?.where ?? "the app settings"}: add an Application Insights connection string.`);
            }
        },
    }),

    resourcePolicy<Unwrap<WebAppAuthSettingsV2Args>>({
        name: "azure-functionapp-auth-required",
        description: "App Service authentication configured for a function app must be enabled and must reject unauthenticated requests.",
        severity: "high",
        threats: ["R2", "P1"],
        references: ["CIS Azure Foundations 9.1", "OWASP SAS-2"],
        remediation: "Set platform.enabled to true, globalValidation.requireAuthentication to true and globalValidation.unauthenticatedClientAction to \"Return401\" (or \"RedirectToLoginPage\"); list public paths in globalValidation.excludedPaths.",
        resourceTypes: [AUTH_SETTINGS_V2, AUTH_SETTINGS_V2_SLOT],
        check: ({ props, report, part }) => {
            part(() => {
                if (asBoolean(at(props, "platform", "enabled")) !== true) {
                    report("platform.enabled is not true: App Service authentication is off; enable it.");
                }
            });
            part(() => {
                const validation = props.globalValidation;
                if (asString(at(validation, "unauthenticatedClientAction")) === "AllowAnonymous") {
                    report("globalValidation.unauthenticatedClientAction is \"AllowAnonymous\": unauthenticated requests reach the functions; use \"Return401\".");
                } else if (asBoolean(at(validation, "requireAuthentication")) !== true) {
                    report("globalValidation.requireAuthentication is not true: unauthenticated requests reach the functions; set it to true.");
                }
            });
        },
    }),

    resourcePolicy<Unwrap<WebAppFunctionArgs>, { allowedAnonymousFunctions: string[] }>({
        name: "azure-functionapp-function-anonymous",
        description: "HTTP-triggered functions must not use authLevel \"anonymous\" unless something in front (App Service authentication, API Management) authenticates callers.",
        severity: "high",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2"],
        remediation: "Set the httpTrigger binding's authLevel to \"function\" (or \"admin\"), or put API Management or App Service authentication in front and list the function in allowedAnonymousFunctions.",
        resourceTypes: [FUNCTION, FUNCTION_SLOT],
        config: {
            allowedAnonymousFunctions: { type: "array", items: { type: "string" }, default: [], description: "Function names (functionName, or the resource name) allowed to be anonymous, e.g. health probes." },
        },
        check: ({ name, props, report, config }) => {
            const allowed = asStrings(config.allowedAnonymousFunctions);
            // The name matters only for the allow-list; an unknown one otherwise doesn't stop the check.
            const functionName = allowed.length > 0 || !isUnknownValue(props, "functionName") ? asString(props.functionName) ?? name : name;
            if (allowed.includes(functionName)) {
                return;
            }
            asList(functionConfig(props.config).bindings).forEach((binding, i) => {
                const type = asString(at(binding, "type"))?.toLowerCase();
                if (type === "httptrigger" && asString(at(binding, "authLevel"))?.toLowerCase() === "anonymous") {
                    report(`config.bindings[${i}] is an httpTrigger with authLevel "anonymous": anyone on the internet can call the function; use "function" or authenticate in front.`);
                }
            });
        },
    }),

    resourcePolicy<Unwrap<WebAppFtpAllowedArgs>>({
        name: "azure-functionapp-basic-publishing-credentials",
        description: "Basic-authentication publishing credentials (FTP and SCM/Kudu) should be disabled so that deployments need Microsoft Entra ID.",
        severity: "medium",
        threats: ["P6", "R2"],
        references: ["OWASP SAS-3"],
        remediation: "Set allow to false on the WebAppFtpAllowed and WebAppScmAllowed resources and deploy with an Entra ID identity (e.g. OIDC from CI/CD).",
        resourceTypes: [FTP_ALLOWED, FTP_ALLOWED_SLOT, SCM_ALLOWED, SCM_ALLOWED_SLOT],
        check: ({ type, props, report }) => {
            if (asBoolean(props.allow) !== false) {
                const site = type.includes("Ftp") ? "FTP" : "SCM (Kudu)";
                report(`allow is not false: basic-authentication publishing credentials work for ${site}; set allow to false.`);
            }
        },
        remediate: props => asBoolean(props.allow) === false ? undefined : { allow: false },
    }),
];

/** A function's config as an object, also when it was given as a JSON string. */
function functionConfig(config: unknown): Dict {
    if (typeof config === "string" && config.length <= 1_000_000) {
        try {
            const parsed = JSON.parse(config);
            return isRecord(parsed) ? parsed : {};
        } catch {
            return {};
        }
    }
    return isRecord(config) ? config : {};
}
