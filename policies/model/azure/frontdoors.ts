// How an Azure function can be invoked from outside: HTTP functions with authLevel anonymous on apps
// without App Service authentication in front, API Management APIs open to anyone, container apps
// hosting functions on an external ingress without authentication, and what caps an app's scale-out.
import { AUTH_SETTINGS_V1, AUTH_SETTINGS_V1_SLOT, AUTH_SETTINGS_V2, AUTH_SETTINGS_V2_SLOT, FUNCTION, FUNCTION_SLOT, isFlexConsumption, isFunctionAppKind } from "../../azure/common";
import { FUNCTION_ANONYMOUS } from "../../azure/functionapp";
import { APPS, AUTH_SETTINGS, CLASSIC_FUNCTION, FUNCTION_DEFINITIONS } from "../../azure/views";
import { isUnknown, knownString, Node, ResourceGraph } from "../../lib/graph";
import { ReportedBy } from "../../lib/reported";
import { asBoolean, asList, asNumber, asString, asStrings, at, isRecord, quote, trimTrailingSlashes } from "../../lib/values";
import type { OnUnknown } from "../core";
import { appLabel, appsOfCompanion, companions } from "./apps";
import { API_NO_AUTH, APIM_APIS, apiOpenToAnyone, functionAppBackends } from "../../azure/apim";
import { ALL_APPS, isClassicApp } from "./types";
import { CONTAINER_APP, CONTAINER_APPS_AUTH_CONFIG } from "../../azure/containerapps";
import { CONTAINER_APP_DEFAULT_MAX_REPLICAS } from "../../data/azure";

export interface AzurePublicPath {
    /** The WebAppFunction resource (reported on); the app itself when the functions are not in the stack. */
    fn: Node;
    app: Node;
    path: string;
    reportedBy?: ReportedBy;
    /** Public by a normal design, with what to do if it is not meant (see stack/invocation). */
    byDesign?: string;
}

/** The stack policy that reports a container app hosting functions with no authentication in front. */
export const FUNCTIONAPP_AUTH_ABSENT = "stack-azure-functionapp-auth-absent";

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
export function excludes(paths: string[], functionName: string): boolean {
    const route = `/api/${functionName}`.toLowerCase();
    return paths.some(raw => {
        const p = trimTrailingSlashes(raw.trim().toLowerCase());
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

/**
 * API Management APIs that forward to a function app (lib: azure/apim functionAppBackends) and let
 * anyone call them: no subscription and no JWT or client-certificate check on the API, its service or
 * one of its operations. What azure-apim-api-no-auth reports on the API.
 */
export function apimPublicPaths(g: ResourceGraph, onUnknown: OnUnknown): AzurePublicPath[] {
    const out: AzurePublicPath[] = [];
    for (const api of g.ofType(...APIM_APIS)) {
        const backends = functionAppBackends(g, api, onUnknown) ?? [];
        if (backends.length === 0 || apiOpenToAnyone(g, api, onUnknown) !== true) {
            continue;
        }
        for (const app of backends) {
            out.push({ fn: app, app, path: `API Management API ${quote(api.name)} requires no subscription and validates no JWT, and forwards to it`, reportedBy: { policy: API_NO_AUTH, node: api } });
        }
    }
    return out;
}

/**
 * Whether a container app answers the internet over HTTP: an ingress with external true that doesn't
 * carry TCP; undefined with the first unknown property on the way.
 */
function externalHttpIngress(app: Node): { external: boolean | undefined; where: string } {
    const steps: [string, string][] = [["configuration", "configuration"], ["ingress", "configuration.ingress"]];
    let value: unknown = app.props;
    for (const [key, where] of steps) {
        value = at(value, key);
        if (isUnknown(value)) {
            return { external: undefined, where };
        }
    }
    for (const key of ["external", "transport"]) {
        if (isUnknown(at(value, key))) {
            return { external: undefined, where: `configuration.ingress.${key}` };
        }
    }
    return { external: asBoolean(at(value, "external")) === true && asString(at(value, "transport"))?.toLowerCase() !== "tcp", where: "configuration.ingress.external" };
}

/** Whether a ContainerAppsAuthConfig's identity providers name one not switched off; undefined when unknown. */
function hasIdentityProvider(providers: unknown): boolean | undefined {
    if (isUnknown(providers)) {
        return undefined;
    }
    const enabled = (provider: unknown): boolean | undefined => isUnknown(provider) || isUnknown(at(provider, "enabled"))
        ? undefined
        : isRecord(provider) && asBoolean(provider.enabled) !== false;
    let undecided = false;
    for (const [key, provider] of Object.entries(isRecord(providers) ? providers : {})) {
        const each = key === "customOpenIdConnectProviders" && !isUnknown(provider) ? Object.values(isRecord(provider) ? provider : {}) : [provider];
        for (const one of each) {
            const on = enabled(one);
            if (on === true) {
                return true;
            }
            undecided = undecided || on === undefined;
        }
    }
    return undecided ? undefined : false;
}

/**
 * The ContainerAppsAuthConfigs of a container app: linked by containerAppName (a dependency or the
 * name), or, read back from Azure where nothing names the app, by an ARM id under the app's id.
 */
function authConfigsOf(g: ResourceGraph, app: Node): Node[] {
    const out = new Set(g.referrers(app, "containerAppName", [CONTAINER_APPS_AUTH_CONFIG]));
    const appId = knownString(app.props.id)?.toLowerCase();
    if (appId) {
        for (const auth of g.ofType(CONTAINER_APPS_AUTH_CONFIG)) {
            if (knownString(auth.props.id)?.toLowerCase().startsWith(`${appId}/authconfigs/`)) {
                out.add(auth);
            }
        }
    }
    return [...out];
}

/** A container app hosting Azure Functions that the internet reaches with no authentication of its own in front. */
export interface OpenFunctionContainer {
    app: Node;
    /** What is in front instead, e.g. "no ContainerAppsAuthConfig". */
    why: string;
}

/**
 * Azure Functions on Container Apps (an azure-native container app of kind "functionapp") with an
 * external HTTP ingress and no ContainerAppsAuthConfig that requires authentication (platform.enabled
 * true, an identity provider, and globalValidation.unauthenticatedClientAction not AllowAnonymous):
 * callers from the internet are checked by function keys alone, or not at all for anonymous functions,
 * whose authLevel lives in the code. Classic Azure's container app declares neither a kind nor an
 * authentication configuration, so it can't say it hosts functions. Unknown values, and an auth config
 * whose container app can't be told yet, are reported through onUnknown, never guessed.
 */
export function openFunctionContainers(g: ResourceGraph, onUnknown: OnUnknown): OpenFunctionContainer[] {
    const out: OpenFunctionContainer[] = [];
    for (const app of g.ofType(CONTAINER_APP)) {
        if (isUnknown(app.props.kind)) {
            onUnknown(app, "kind");
            continue;
        }
        if (!isFunctionAppKind(app.props.kind)) {
            continue;
        }
        const ingress = externalHttpIngress(app);
        if (ingress.external === undefined) {
            onUnknown(app, ingress.where);
            continue;
        }
        if (!ingress.external) {
            continue;
        }
        const configs = authConfigsOf(g, app);
        let undecided = false;
        let enabled = false;
        for (const auth of configs) {
            const platform = auth.props.platform;
            const on = isUnknown(platform) || isUnknown(at(platform, "enabled")) ? undefined : asBoolean(at(platform, "enabled")) === true;
            const provider = hasIdentityProvider(auth.props.identityProviders);
            const validation = auth.props.globalValidation;
            const action = at(validation, "unauthenticatedClientAction");
            const anonymous = isUnknown(validation) || isUnknown(action) ? undefined : asString(action)?.toLowerCase() === "allowanonymous";
            if (on === false || provider === false || anonymous === true) {
                continue;
            }
            if (on === undefined || provider === undefined || anonymous === undefined) {
                const where = on === undefined ? (isUnknown(platform) ? "platform" : "platform.enabled")
                    : provider === undefined ? "identityProviders"
                        : isUnknown(validation) ? "globalValidation" : "globalValidation.unauthenticatedClientAction";
                onUnknown(auth, where);
                undecided = true;
                continue;
            }
            enabled = true;
        }
        // An auth config nothing links to any app yet (a computed containerAppName, no dependency) may be this app's.
        const unlinked = configs.length > 0 ? undefined : g.ofType(CONTAINER_APPS_AUTH_CONFIG)
            .find(auth => isUnknown(auth.props.containerAppName) && g.deps(auth, "containerAppName").length === 0 && knownString(auth.props.id) === undefined);
        if (unlinked) {
            onUnknown(unlinked, "containerAppName");
        }
        if (enabled || undecided || unlinked) {
            continue;
        }
        const why = configs.length === 0
            ? "no ContainerAppsAuthConfig"
            : `ContainerAppsAuthConfig ${quote(configs[0].name)}, which doesn't require authentication (platform.enabled true, an identity provider, and no AllowAnonymous)`;
        out.push({ app, why });
    }
    return out;
}

/**
 * Container apps hosting functions that the internet reaches with no authentication in front: public by
 * design for an HTTP API whose functions check keys, and what stack-azure-functionapp-auth-absent
 * reports on the container app (the same predicate, openFunctionContainers).
 */
export function containerAppPublicPaths(g: ResourceGraph, onUnknown: OnUnknown): AzurePublicPath[] {
    return openFunctionContainers(g, onUnknown).map(({ app, why }) => ({
        fn: app,
        app,
        path: `container app ${quote(app.name)} hosts Azure Functions on an external ingress with ${why}, so only function keys check its callers`,
        reportedBy: { policy: FUNCTIONAPP_AUTH_ABSENT, node: app },
        byDesign: "function keys authenticate callers of functions that are not anonymous (authLevel is set in the code): if the functions are not meant for the internet, add a ContainerAppsAuthConfig with an identity provider or make the ingress internal",
    }));
}

/** Whether a function app caps its scale-out (functionAppScaleLimit, or maximumInstanceCount on Flex Consumption). */
export function scaleCap(app: Node): { capped: boolean | undefined; property: string } {
    if (app.type === CONTAINER_APP) {
        // Whatever template.scale.maxReplicas holds, known or not, it caps the replicas (10 when unset).
        return { capped: CONTAINER_APP_DEFAULT_MAX_REPLICAS > 0, property: "template.scale.maxReplicas" };
    }
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
