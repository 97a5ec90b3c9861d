// Azure Functions apps (azure-native web apps and slots of kind "functionapp", classic Linux, Windows and
// Flex Consumption function apps and slots, and the classic provider's legacy FunctionApp and slot):
// transport security, FTP and remote debugging, CORS, identity, network exposure, host and language
// versions, scaling and monitoring; plus the settings that configure an app separately:
// authentication, function definitions (also those of a code package uploaded inline) and basic
// publishing credentials. Each policy reads the views in ./views, so one meaning covers both providers.
import { mergePatches, viewPolicy } from "../lib/view";
import { hostingOf } from "./plans";
import { AZURE_FUNCTIONS_RUNTIMES } from "../data/runtimes-azure";
import { evaluationDate, RUNTIME_CONFIG, runtimeStatus, suggestedRuntime } from "../lib/runtimes";
import { asBoolean, asList, asNumber, asString, asStrings, at, Dict, isRecord, quote } from "../lib/values";
import {
    AccessRules, APP_SETTINGS_HOLDERS, AUTH_SETTINGS, APPS, DECLARED_FUNCTIONS, DeclaredFunctionsView, FunctionAppView, PUBLISHING_CREDENTIALS,
} from "./views";

const SAFE_FTPS_STATES = ["Disabled", "FtpsOnly"];

const belowTls12 = (v: string | undefined) => v !== undefined && (asNumber(v) ?? 1.2) < 1.2;
const tlsFields = (view: FunctionAppView) => [view.minTlsVersion, view.scmMinTlsVersion];

/** Inbound access is limited when the main site denies by default or allows only listed sources (an implicit deny follows). */
function hasAccessRestrictions({ defaultAction, rules }: AccessRules): boolean {
    const action = defaultAction?.toLowerCase();
    if (action === "deny") {
        return true;
    }
    if (action === "allow") {
        return false;
    }
    return rules.some(rule => rule.action.toLowerCase() === "allow" && rule.scoped);
}

/** Shows a version-like setting value; anything else is not echoed. */
function versionText(value: string): string {
    return /^~?\d{1,3}(\.\d{1,5}){0,3}$/.test(value.trim()) ? ` (${quote(value.trim())})` : "";
}

/** Reports every httpTrigger with authLevel "anonymous" (unless allow-listed). */
export const FUNCTION_ANONYMOUS = "azure-functionapp-function-anonymous";

export const functionAppPolicies = [
    viewPolicy({
        name: "azure-functionapp-https-only",
        description: "Function apps must redirect HTTP to HTTPS so that function keys, tokens and event data never travel unencrypted.",
        severity: "high",
        threats: ["R2", "R4"],
        references: ["CIS Azure Foundations v2.0.0 9.2", "OWASP SAS-3"],
        remediation: "Set httpsOnly to true.",
        adapters: APPS,
        check: ({ view: { httpsOnly }, report }) => {
            if (asBoolean(httpsOnly.read()) !== true) {
                report(`${httpsOnly.where} is not true: the app also answers plain HTTP; set ${httpsOnly.where} to true.`);
            }
        },
        remediate: ({ httpsOnly }) => asBoolean(httpsOnly.read()) === true ? undefined : httpsOnly.patch(true),
    }),

    viewPolicy({
        name: "azure-functionapp-min-tls",
        description: "Function apps and their SCM (Kudu) site must refuse TLS below 1.2, whose protocol weaknesses expose traffic and credentials.",
        severity: "high",
        threats: ["R4", "R3"],
        references: ["CIS Azure Foundations v2.0.0 9.3"],
        remediation: "Set siteConfig.minTlsVersion and siteConfig.scmMinTlsVersion (classic Azure: siteConfig.minimumTlsVersion and siteConfig.scmMinimumTlsVersion) to \"1.2\" (or \"1.3\").",
        adapters: APPS,
        check: ({ view, report, part }) => {
            for (const tls of tlsFields(view)) {
                part(() => {
                    const version = asString(tls.read());
                    if (belowTls12(version)) {
                        report(`${tls.where} is ${quote(version!)}: set it to "1.2" or higher.`);
                    }
                });
            }
        },
        remediate: view => mergePatches(...tlsFields(view).map(tls => belowTls12(asString(tls.read())) ? tls.patch("1.2") : undefined)),
    }),

    viewPolicy({
        name: "azure-functionapp-ftps",
        description: "Function apps must not accept plain FTP, which sends deployment credentials and code in clear text.",
        severity: "high",
        threats: ["R4", "P6"],
        references: ["CIS Azure Foundations v2.0.0 9.10"],
        remediation: "Set siteConfig.ftpsState to \"Disabled\" (or \"FtpsOnly\" if FTP deployment is really needed) and deploy from CI/CD.",
        adapters: APPS,
        withStack: true,
        check: ({ view: { ftpsState, hosting }, report, notApplicable, stack }) => {
            if (!ftpsState.exists) {
                notApplicable("this app type has no FTP endpoint setting (Flex Consumption offers no FTP)");
            }
            const state = asString(ftpsState.read());
            if (state && SAFE_FTPS_STATES.includes(state)) {
                return;
            }
            const app = hosting();
            // Every Windows plan has an FTP endpoint; on Linux only Premium and dedicated plans do, so the plan decides.
            if (app.os !== "windows") {
                const where = hostingOf(app, stack);
                if (where === "unknown") {
                    return;
                }
                if (where && !where.facts.ftp[where.os]) {
                    notApplicable(`${where.label} apps have no FTP endpoint`);
                }
            }
            report(state
                ? `${ftpsState.where} is ${state === "AllAllowed" ? "\"AllAllowed\"" : "not \"Disabled\" or \"FtpsOnly\""}: set it to "Disabled" or "FtpsOnly".`
                : `${ftpsState.where} is not set, so plain FTP is allowed ("AllAllowed"); set it to "Disabled" or "FtpsOnly".`);
        },
        remediate: ({ ftpsState }) => {
            const state = asString(ftpsState.read());
            return state && SAFE_FTPS_STATES.includes(state) ? undefined : ftpsState.patch("Disabled");
        },
    }),

    viewPolicy({
        name: "azure-functionapp-remote-debugging",
        description: "Function apps must not have remote debugging enabled, which opens extra ports and lets a debugger attach to production code.",
        severity: "high",
        threats: ["R3", "R5"],
        remediation: "Set siteConfig.remoteDebuggingEnabled to false; debug locally or in a non-production slot.",
        adapters: APPS,
        check: ({ view: { remoteDebugging }, report }) => {
            if (asBoolean(remoteDebugging.read()) === true) {
                report(`${remoteDebugging.where} is true: set it to false.`);
            }
        },
        remediate: ({ remoteDebugging }) => asBoolean(remoteDebugging.read()) === true ? remoteDebugging.patch(false) : undefined,
    }),

    viewPolicy({
        name: "azure-functionapp-cors",
        description: "Function app CORS must not allow every origin, least of all with credentials, or any website can call the functions from a user's browser.",
        severity: "medium",
        threats: ["R2", "R1"],
        references: ["OWASP SAS-2"],
        remediation: "List the exact origins in siteConfig.cors.allowedOrigins.",
        adapters: APPS,
        check: ({ view: { corsOrigins, corsCredentials }, report }) => {
            if (asStrings(corsOrigins.read()).some(o => o.trim() === "*")) {
                report(asBoolean(corsCredentials.read()) === true
                    ? `${corsOrigins.where} contains "*" and supportCredentials is true: any website can make credentialed calls; list the exact origins.`
                    : `${corsOrigins.where} contains "*": list the exact origins.`);
            }
        },
    }),

    viewPolicy({
        name: "azure-functionapp-managed-identity",
        description: "Function apps should have a managed identity so that they reach storage, Key Vault and other services without stored credentials.",
        severity: "medium",
        threats: ["P5", "P2"],
        references: ["CIS Azure Foundations v2.0.0 9.5"],
        remediation: "Set identity.type to \"SystemAssigned\" (or \"UserAssigned\" with userAssignedIdentities) and grant it narrow roles.",
        adapters: APPS,
        check: ({ view: { identityType }, report }) => {
            const type = asString(identityType.read());
            if (!type || type.trim().toLowerCase() === "none") {
                report(`${identityType.where} is not set (or \"None\"): the app has no managed identity; add a system- or user-assigned identity.`);
            }
        },
    }),

    viewPolicy<FunctionAppView, { publicTag: string }>({
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
        adapters: APPS,
        check: ({ view, report, config }) => {
            if (view.publicNetworkDisabled() || hasAccessRestrictions(view.accessRules())) {
                return;
            }
            if (asString(at(view.tags.read(), config.publicTag))?.trim().toLowerCase() === "true") {
                return;
            }
            const [open, fix] = view.publicNetworkSwitch === false
                ? [`${view.accessRulesWhere} doesn't limit callers and ${view.publicNetworkText}`, "restrict access"]
                : [`${view.publicNetworkText} and ${view.accessRulesWhere} doesn't limit callers`, "restrict access or disable public network access"];
            report(`${open}: every function is reachable from the internet; ${fix}, or tag a deliberately public app ${quote(config.publicTag)}: "true" (config publicTag).`);
        },
    }),

    viewPolicy({
        name: "azure-functionapp-http2",
        description: "Function apps should enable HTTP/2, which fixes head-of-line blocking and some HTTP/1.1 request-smuggling weaknesses.",
        severity: "low",
        threats: ["R3"],
        references: ["CIS Azure Foundations v2.0.0 9.9"],
        remediation: "Set siteConfig.http20Enabled to true.",
        adapters: APPS,
        check: ({ view: { http2 }, report }) => {
            if (asBoolean(http2.read()) !== true) {
                report(`${http2.where} is not true.`);
            }
        },
        remediate: ({ http2 }) => asBoolean(http2.read()) === true ? undefined : http2.patch(true),
    }),

    viewPolicy({
        name: "azure-functionapp-extension-version",
        description: "Function apps must run Functions host version 4 (FUNCTIONS_EXTENSION_VERSION \"~4\"); hosts 1.x to 3.x are out of support and get no security fixes.",
        severity: "high",
        threats: ["R3"],
        references: ["OWASP SAS-3"],
        remediation: "Migrate the app to version 4.x and set the app setting FUNCTIONS_EXTENSION_VERSION to \"~4\".",
        adapters: APP_SETTINGS_HOLDERS,
        check: ({ view, report }) => {
            const host = view.hostVersion();
            if (host && "missing" in host) {
                report(`${host.missing}: set it to "~4".`);
            } else if (host) {
                const value = asString(host.value);
                if (value !== undefined && value.trim() !== "~4") {
                    report(`${host.where} is not "~4"${versionText(value)}: migrate to host 4.x and set it to "~4".`);
                }
            }
        },
    }),

    viewPolicy<FunctionAppView, { warnDaysBeforeDeprecation: number; evaluationDate?: string }>({
        name: "azure-functionapp-runtime-deprecated",
        description: "Function apps must not run a language stack past its Azure Functions end-of-support date: it gets no security patches.",
        severity: "high",
        threats: ["R3"],
        references: ["CIS Azure Foundations v2.0.0 9.7", "CIS Azure Foundations v2.0.0 9.8", "OWASP SAS-3"],
        remediation: "Move the app to a supported version of its language (the message names one) in functionAppConfig.runtime, siteConfig.linuxFxVersion or the version setting, and redeploy.",
        adapters: APP_SETTINGS_HOLDERS,
        config: RUNTIME_CONFIG,
        check: ({ view, report, warn, config }) => {
            const today = evaluationDate(config.evaluationDate);
            for (const { id, where } of view.languageStacks()) {
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

    viewPolicy<FunctionAppView, { maxInstances: number }>({
        name: "azure-functionapp-scale-limit",
        description: "Function apps should cap how far they scale out so that a flood of events can't run up the bill without bound (denial of wallet).",
        severity: "medium",
        threats: ["P4"],
        references: ["OWASP SAS-8"],
        remediation: "Set siteConfig.functionAppScaleLimit (Consumption and Premium) or functionAppConfig.scaleAndConcurrency.maximumInstanceCount (Flex Consumption) at or below the configured ceiling. Left unset, Linux Consumption and Flex Consumption apps stop at 100 instances, Windows Consumption apps at 200, Premium apps at their plan's maximum burst; on a dedicated plan the plan's instance count sets the scale.",
        config: {
            maxInstances: { type: "integer", minimum: 1, default: 100, description: "Highest scale-out limit (instances) allowed; an unset limit is judged by the plan's platform maximum." },
        },
        adapters: APPS,
        withStack: true,
        check: ({ view: { scaleLimit, hosting }, report, config, notApplicable, stack }) => {
            const limit = asNumber(scaleLimit.read());
            const capped = limit !== undefined && limit > 0;
            if (capped && limit <= config.maxInstances) {
                return;
            }
            const where = hostingOf(hosting(), stack);
            if (where === "unknown") {
                return;
            }
            if (where?.facts.scaledByPlan) {
                notApplicable(`on a ${where.label} plan the plan's instance count sets the scale`);
            }
            const ceiling = `the ceiling of ${config.maxInstances} (config maxInstances)`;
            if (capped) {
                return report(`${scaleLimit.where} is ${limit}, above ${ceiling}.`);
            }
            const platform = where?.facts.maxInstances[where.os];
            const burst = where?.kind === "premium" ? where.maxBurst : undefined;
            const bound = platform ?? burst;
            if (bound !== undefined && bound <= config.maxInstances) {
                return;
            }
            const reach = platform !== undefined ? `the ${where!.label} maximum of ${platform} instances, above ${ceiling}; set it at or below ${config.maxInstances}`
                : burst !== undefined ? `its plan's maximum burst (maximumElasticWorkerCount) of ${burst} instances, above ${ceiling}; set it at or below ${config.maxInstances}`
                : `the platform maximum; set it at or below ${ceiling}`;
            report(`${scaleLimit.where} is not set, so the app scales out to ${reach}.`);
        },
    }),

    viewPolicy({
        name: "azure-functionapp-app-insights",
        description: "Function apps should send telemetry to Application Insights so that failures, abuse and unusual invocation patterns are visible.",
        severity: "low",
        threats: ["P7", "R5"],
        references: ["OWASP SAS-5"],
        remediation: "Add the app setting APPLICATIONINSIGHTS_CONNECTION_STRING with the connection string of an Application Insights resource.",
        adapters: APP_SETTINGS_HOLDERS,
        check: ({ view, report, notApplicable }) => {
            const insights = view.appInsights();
            if (!insights) {
                return notApplicable("no inline app settings: they are checked on the app's WebAppApplicationSettings resource");
            }
            if (!insights.configured) {
                report(`${insights.missing}: add an Application Insights connection string.`);
            }
        },
    }),

    viewPolicy({
        name: "azure-functionapp-auth-required",
        description: "App Service authentication configured for a function app must be enabled and must reject unauthenticated requests.",
        severity: "high",
        threats: ["R2", "P1"],
        references: ["CIS Azure Foundations v2.0.0 9.1", "OWASP SAS-2"],
        remediation: "Set platform.enabled to true, globalValidation.requireAuthentication to true and globalValidation.unauthenticatedClientAction to \"Return401\" (or \"RedirectToLoginPage\"); list public paths in globalValidation.excludedPaths. On the classic legacy FunctionApp (authSettings), set enabled to true and unauthenticatedClientAction to \"RedirectToLoginPage\".",
        adapters: AUTH_SETTINGS,
        check: ({ view: { enabled, requireAuthentication, unauthenticatedAction }, report, warn, part }) => {
            part(() => {
                if (asBoolean(enabled.read()) !== true) {
                    report(`${enabled.where} is not true: App Service authentication is off; enable it.`);
                }
            });
            part(() => {
                const action = asString(unauthenticatedAction.read());
                if (action === "AllowAnonymous") {
                    report(`${unauthenticatedAction.where} is "AllowAnonymous": unauthenticated requests reach the functions; use ${requireAuthentication.exists ? "\"Return401\"" : "\"RedirectToLoginPage\""}.`);
                } else if (!requireAuthentication.exists) {
                    // Authentication v1 (classic legacy apps) has no requireAuthentication: the action alone decides, and unset it is the platform's choice.
                    // Read back from Azure, an unset action is an empty string.
                    if (!action?.trim()) {
                        warn(`${unauthenticatedAction.where} is not set: authentication v1 leaves what happens to unauthenticated requests to the platform; set it to "RedirectToLoginPage".`);
                    }
                } else if (asBoolean(requireAuthentication.read()) !== true) {
                    report(`${requireAuthentication.where} is not true: unauthenticated requests reach the functions; set it to true.`);
                }
            });
        },
    }),

    viewPolicy<DeclaredFunctionsView, { allowedAnonymousFunctions: string[] }>({
        name: FUNCTION_ANONYMOUS,
        description: "HTTP-triggered functions must not use authLevel \"anonymous\" unless something in front (App Service authentication, API Management) authenticates callers.",
        severity: "high",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2"],
        remediation: "Set the httpTrigger binding's authLevel to \"function\" (or \"admin\"), or put API Management or App Service authentication in front and list the function in allowedAnonymousFunctions.",
        adapters: DECLARED_FUNCTIONS,
        config: {
            allowedAnonymousFunctions: { type: "array", items: { type: "string" }, default: [], description: "Function names (functionName, the resource name, or a code package's function folder) allowed to be anonymous, e.g. health probes." },
        },
        check: ({ name, view, report, part, config }) => {
            const allowed = asStrings(config.allowedAnonymousFunctions);
            for (const definition of view.definitions()) {
                part(() => {
                    // The name matters only for the allow-list; an unknown one otherwise doesn't stop the check.
                    const functionName = allowed.length > 0 || !definition.functionName.isUnknown() ? asString(definition.functionName.read()) ?? name : name;
                    if (allowed.includes(functionName)) {
                        return;
                    }
                    asList(functionConfig(definition.config.read()).bindings).forEach((binding, i) => {
                        const type = asString(at(binding, "type"))?.toLowerCase();
                        if (type === "httptrigger" && asString(at(binding, "authLevel"))?.toLowerCase() === "anonymous") {
                            report(`${definition.config.where}.bindings[${i}] is an httpTrigger with authLevel "anonymous": anyone on the internet can call the function; use "function" or authenticate in front.`);
                        }
                    });
                });
            }
        },
    }),

    viewPolicy({
        name: "azure-functionapp-basic-publishing-credentials",
        description: "Basic-authentication publishing credentials (FTP and SCM/Kudu) should be disabled so that deployments need Microsoft Entra ID.",
        severity: "medium",
        threats: ["P6", "R2"],
        references: ["OWASP SAS-3"],
        remediation: "Set allow to false on the WebAppFtpAllowed and WebAppScmAllowed resources and deploy with an Entra ID identity (e.g. OIDC from CI/CD).",
        adapters: PUBLISHING_CREDENTIALS,
        check: ({ view, report, part }) => {
            for (const { site, allowed } of view.switches) {
                part(() => {
                    if (asBoolean(allowed.read()) !== false) {
                        report(`${allowed.where} is not false: basic-authentication publishing credentials work for ${site}; set ${allowed.where} to false.`);
                    }
                });
            }
        },
        remediate: view => mergePatches(...view.switches.map(({ allowed }) => asBoolean(allowed.read()) === false ? undefined : allowed.patch(false))),
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
