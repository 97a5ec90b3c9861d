// Function apps with HTTP functions and no App Service authentication configured at all: whether an
// app has it is told by a separate resource on azure-native (WebAppAuthSettingsV2 or the older
// WebAppAuthSettings), so only the stack shows it. Apps whose HTTP functions are anonymous are left
// to azure-functionapp-function-anonymous, which reports that root cause on the function. Azure
// Functions on Container Apps keep their functions in the image: a container app of kind functionapp
// on an external ingress is reported unless a ContainerAppsAuthConfig enables authentication for it.
import { stackPolicy } from "../lib/define";
import { isUnknown, Node, ResourceGraph } from "../lib/graph";
import { asList, asString, at, quote, wordList } from "../lib/values";
import { CLASSIC_FUNCTION, CLASSIC_LEGACY_APPS, classicAuthConfigured, FUNCTION_DEFINITIONS } from "../azure/views";
import { AUTH_SETTINGS_V1, AUTH_SETTINGS_V1_SLOT, AUTH_SETTINGS_V2, AUTH_SETTINGS_V2_SLOT, FUNCTION, FUNCTION_SLOT, WEB_APP_SLOT } from "../azure/common";
import { appLabel, companions, FUNCTIONAPP_AUTH_ABSENT, functionApps, functionConfig, isClassicApp, openFunctionContainers } from "../model/azure";
import type { OnUnknown } from "../model/core";

/** The app's declared HTTP functions by name, and whether one of them is anonymous; undefined when a binding is unknown. */
function httpFunctions(g: ResourceGraph, app: Node, onUnknown: OnUnknown): { names: string[]; anonymous: boolean } | undefined {
    const fns = isClassicApp(app) ? g.referrers(app, "functionAppId", [CLASSIC_FUNCTION]) : companions(g, app, FUNCTION, FUNCTION_SLOT);
    const out = { names: [] as string[], anonymous: false };
    let undecided = false;
    for (const fn of fns) {
        const definition = FUNCTION_DEFINITIONS[fn.type].view(fn.props, fn.type);
        const config = definition.config;
        const raw = config.read();
        if (isUnknown(raw)) {
            onUnknown(fn, config.where);
            undecided = true;
            continue;
        }
        for (const binding of asList(functionConfig(raw).bindings)) {
            const type = at(binding, "type");
            const level = at(binding, "authLevel");
            if (isUnknown(binding) || isUnknown(type) || isUnknown(level)) {
                onUnknown(fn, `${config.where}.bindings`);
                undecided = true;
            } else if (asString(type)?.toLowerCase() === "httptrigger") {
                out.names.push(asString(definition.functionName.read()) ?? fn.name);
                out.anonymous = out.anonymous || asString(level)?.toLowerCase() === "anonymous";
            }
        }
    }
    return undecided && !out.anonymous ? undefined : out;
}

/** Whether App Service authentication is configured for the app (enabled or not); undefined when unknown. */
function authConfigured(g: ResourceGraph, app: Node, onUnknown: OnUnknown): boolean | undefined {
    if (isClassicApp(app)) {
        // A block the provider reads back with authentication off and no identity provider configures nothing.
        for (const key of ["authSettingsV2", "authSettings"] as const) {
            const configured = classicAuthConfigured(app.props, key);
            if (configured === undefined) {
                onUnknown(app, key);
                return undefined;
            }
            if (configured) {
                return true;
            }
        }
        return false;
    }
    return companions(g, app, AUTH_SETTINGS_V2, AUTH_SETTINGS_V2_SLOT).length > 0 || companions(g, app, AUTH_SETTINGS_V1, AUTH_SETTINGS_V1_SLOT).length > 0;
}

/** What configures authentication for this app: a slot has its own companion resource. */
function authResourceFor(app: Node): string {
    return CLASSIC_LEGACY_APPS.includes(app.type) ? "an authSettings block" : isClassicApp(app) ? "an authSettingsV2 block" : app.type === WEB_APP_SLOT ? "a WebAppAuthSettingsV2Slot" : "a WebAppAuthSettingsV2";
}

export const azureAuthAbsentPolicies = [
    stackPolicy({
        name: FUNCTIONAPP_AUTH_ABSENT,
        description: "Function apps that serve HTTP functions, and container apps hosting Azure Functions on an external ingress, should configure App Service authentication (Easy Auth), so that callers are identified by Entra ID or another provider and not by shared function keys alone.",
        severity: "low",
        threats: ["R2", "P1"],
        references: ["Checkov CKV_AZURE_56", "KICS Function App Authentication Disabled"],
        remediation: "Add an azure-native web.WebAppAuthSettingsV2 for the app (classic: authSettingsV2 on the app) with platform.enabled true, an identity provider, and globalValidation.requireAuthentication true; for a container app of kind functionapp, an azure-native app.ContainerAppsAuthConfig with platform.enabled true, an identity provider and an unauthenticatedClientAction other than AllowAnonymous, or an internal ingress.",
        check: ({ graph, report, unknown }) => {
            for (const app of functionApps(graph, unknown)) {
                const http = httpFunctions(graph, app, unknown);
                // Anonymous HTTP functions are reported on the function (azure-functionapp-function-anonymous).
                if (!http || http.names.length === 0 || http.anonymous) {
                    continue;
                }
                const configured = authConfigured(graph, app, unknown);
                if (configured === false) {
                    const names = [...new Set(http.names)];
                    report(app.resource, `${appLabel(app)} serves HTTP function${names.length > 1 ? "s" : ""} ${wordList(names.slice(0, 3).map(quote))}${names.length > 3 ? " and more" : ""} with no App Service authentication configured: callers are checked by function keys alone; add ${authResourceFor(app)} with an identity provider.`);
                }
            }
            for (const { app, why } of openFunctionContainers(graph, unknown)) {
                report(app.resource, `container app ${quote(app.name)} hosts Azure Functions (kind functionapp) on an external ingress with ${why}: callers from the internet are checked by function keys alone; add a ContainerAppsAuthConfig with an identity provider (platform.enabled true), or make the ingress internal (configuration.ingress.external false).`);
            }
        },
    }),
];
