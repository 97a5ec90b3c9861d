// Views of Azure resources for azure-native (@pulumi/azure-native) and the classic provider
// (@pulumi/azure). The two describe the same App Service, Storage, Key Vault and RBAC settings in
// different shapes: azure-native mirrors ARM (siteConfig.minTlsVersion, app settings as a name/value
// list, FUNCTIONS_EXTENSION_VERSION as a setting, companion resources for auth and publishing
// credentials), classic Azure has its own names (siteConfig.minimumTlsVersion, appSettings as a map,
// functionsExtensionVersion, siteConfig.applicationStack, authSettingsV2 and basic-auth switches on
// the app) and its own defaults; its legacy FunctionApp has a third shape (siteConfig.minTlsVersion,
// `version`, the language in app settings, authSettings v1). Each adapter below maps one type onto one view.
import { absent, Adapter, Adapters, derived, Field, field, fields, renames } from "../lib/view";
import { asBoolean, asList, asString, at, Dict, isRecord, isSet, isUnknownValue, keysOf } from "../lib/values";
import {
    APP_SETTINGS, APP_SETTINGS_SLOT, appSettingsOf, AUTH_SETTINGS_V2, AUTH_SETTINGS_V2_SLOT, CONNECTION_STRINGS,
    CONNECTION_STRINGS_SLOT, connectionStringsOf, findSetting, FTP_ALLOWED, FTP_ALLOWED_SLOT, FUNCTION, FUNCTION_SLOT,
    declaredStacks, isFlexConsumption, isFunctionAppKind, KEY_VAULT, KEY_VAULT_SECRET, languageStacksOf, ROLE_ASSIGNMENT, runtimeId,
    SCM_ALLOWED, SCM_ALLOWED_SLOT, Setting, settingAt, StackUse, STORAGE_ACCOUNT, WEB_APP, WEB_APP_SLOT,
} from "./common";
import { APP_INSIGHTS_SETTINGS } from "../data/azure";
import { AZURE_CLASSIC_LEGACY_APP_DEFAULTS } from "../data/platform";
import { AppHosting, classicAppHosting, nativeAppHosting } from "./plans";
import { inlineFiles } from "../lib/assets";

export const CLASSIC_LINUX_APP = "azure:appservice/linuxFunctionApp:LinuxFunctionApp";
export const CLASSIC_WINDOWS_APP = "azure:appservice/windowsFunctionApp:WindowsFunctionApp";
export const CLASSIC_LINUX_SLOT = "azure:appservice/linuxFunctionAppSlot:LinuxFunctionAppSlot";
export const CLASSIC_WINDOWS_SLOT = "azure:appservice/windowsFunctionAppSlot:WindowsFunctionAppSlot";
export const CLASSIC_FLEX_APP = "azure:appservice/appFlexConsumption:AppFlexConsumption";
/** The classic provider's legacy function app and slot (azurerm_function_app, deprecated): one type for Linux and Windows. */
export const CLASSIC_LEGACY_APP = "azure:appservice/functionApp:FunctionApp";
export const CLASSIC_LEGACY_SLOT = "azure:appservice/functionAppSlot:FunctionAppSlot";
export const CLASSIC_FUNCTION = "azure:appservice/functionAppFunction:FunctionAppFunction";
export const CLASSIC_STORAGE_ACCOUNT = "azure:storage/account:Account";
export const CLASSIC_KEY_VAULT = "azure:keyvault/keyVault:KeyVault";
export const CLASSIC_KEY_VAULT_SECRET = "azure:keyvault/secret:Secret";
export const CLASSIC_ROLE_ASSIGNMENT = "azure:authorization/assignment:Assignment";

/** Classic function apps and slots on App Service plans (Consumption, Premium, Dedicated). */
export const CLASSIC_PLAN_APPS = [CLASSIC_LINUX_APP, CLASSIC_WINDOWS_APP, CLASSIC_LINUX_SLOT, CLASSIC_WINDOWS_SLOT];
export const CLASSIC_LEGACY_APPS = [CLASSIC_LEGACY_APP, CLASSIC_LEGACY_SLOT];
/** Classic function apps whose App Service authentication is an authSettingsV2 block. */
const CLASSIC_AUTH_V2_APPS = [...CLASSIC_PLAN_APPS, CLASSIC_FLEX_APP];
export const CLASSIC_APPS = [...CLASSIC_AUTH_V2_APPS, ...CLASSIC_LEGACY_APPS];

const LINUX_TYPES = new Set([CLASSIC_LINUX_APP, CLASSIC_LINUX_SLOT]);

/** A field that reads the provider's default when the user left it unset. */
export function withDefault(f: Field, value: unknown): Field {
    return { ...f, read: () => (f.isSet() ? f.read() : value) };
}

const disabledText = (v: unknown) => asString(v)?.trim().toLowerCase() === "disabled";
const OPEN_ADDRESSES = new Set(["any", "*", "0.0.0.0/0", "::/0"]);

/** Inbound access rules of an app, normalized from ipSecurityRestrictions (azure-native) or ipRestrictions (classic). */
export interface AccessRules {
    defaultAction: string | undefined;
    rules: { action: string; scoped: boolean }[];
}

/** How the app reaches its host storage: each item is true when it uses an account key or connection string. */
export interface StorageCredential {
    where: string;
    usesKey(): boolean;
    /** What is wrong and what to do instead, for the message. */
    finding: string;
}

/** A function app (or a companion resource that carries part of its configuration). */
export interface FunctionAppView {
    httpsOnly: Field;
    minTlsVersion: Field;
    scmMinTlsVersion: Field;
    ftpsState: Field;
    remoteDebugging: Field;
    http2: Field;
    corsOrigins: Field;
    corsCredentials: Field;
    identityType: Field;
    tags: Field;
    scaleLimit: Field;
    /** Whether public network access is switched off, and how that setting reads in a message. */
    publicNetworkDisabled(): boolean;
    publicNetworkText: string;
    /** False when the type has no setting that switches public network access off (only access rules restrict it). */
    publicNetworkSwitch?: boolean;
    accessRules(): AccessRules;
    accessRulesWhere: string;
    appSettings(): Setting[];
    connectionStrings(): Setting[];
    /** The Functions host version setting; `missing` when the app's settings lack it and the provider has no default. */
    hostVersion(): { where: string; value: unknown } | { missing: string } | undefined;
    languageStacks(): StackUse[];
    /** Whether telemetry goes to Application Insights and, if not, what is missing; undefined when this resource doesn't say. */
    appInsights(): { configured: boolean; missing: string } | undefined;
    storageCredentials(): StorageCredential[];
    /** What the app says about its hosting plan (see ./plans). */
    hosting(): AppHosting;
}

const NO_APP_FIELDS = {
    httpsOnly: absent("httpsOnly"), minTlsVersion: absent("minTlsVersion"), scmMinTlsVersion: absent("scmMinTlsVersion"),
    ftpsState: absent("ftpsState"), remoteDebugging: absent("remoteDebugging"), http2: absent("http2"),
    corsOrigins: absent("cors"), corsCredentials: absent("cors"), identityType: absent("identity"), tags: absent("tags"),
    scaleLimit: absent("scaleLimit"),
};

const telemetry = (settings: Setting[], where: string) =>
    ({ configured: APP_INSIGHTS_SETTINGS.some(name => findSetting(settings, name)), missing: `no ${APP_INSIGHTS_SETTINGS.join(" or ")} in ${where}` });

const AZURE_WEB_JOBS_STORAGE_KEY = /(?:^|;)\s*(?:AccountKey|SharedAccessSignature)\s*=/i;
const IDENTITY_FIX = "use an identity-based connection (AzureWebJobsStorage__accountName) with the app's managed identity";

/** AzureWebJobsStorage given as a connection string with an account key or SAS, in any provider's app settings. */
function webJobsStorage(settings: () => Setting[]): StorageCredential[] {
    return [{
        where: "AzureWebJobsStorage",
        usesKey: () => {
            const setting = findSetting(settings(), "AzureWebJobsStorage");
            const value = asString(setting?.read());
            return !!setting && value !== undefined && AZURE_WEB_JOBS_STORAGE_KEY.test(value);
        },
        finding: `embeds a storage account key or SAS: ${IDENTITY_FIX}`,
    }];
}

// azure-native: web apps and slots of kind functionapp, with their settings inline.
const nativeApp: Adapter<FunctionAppView> = {
    notKind: props => (isFunctionAppKind(props.kind) ? undefined : "not a function app"),
    view: (props, type) => {
        const flex = () => isFlexConsumption(props);
        const settings = () => appSettingsOf(type, props);
        return {
            ...fields(props, {
                httpsOnly: "httpsOnly", minTlsVersion: "siteConfig.minTlsVersion", scmMinTlsVersion: "siteConfig.scmMinTlsVersion",
                ftpsState: "siteConfig.ftpsState", remoteDebugging: "siteConfig.remoteDebuggingEnabled", http2: "siteConfig.http20Enabled",
                corsOrigins: "siteConfig.cors.allowedOrigins", corsCredentials: "siteConfig.cors.supportCredentials",
                identityType: "identity.type", tags: "tags",
            }),
            scaleLimit: {
                ...field(props, "siteConfig.functionAppScaleLimit"),
                get where() {
                    return flex() ? "functionAppConfig.scaleAndConcurrency.maximumInstanceCount" : "siteConfig.functionAppScaleLimit";
                },
                read: () => flex() ? at(props, "functionAppConfig", "scaleAndConcurrency", "maximumInstanceCount") : at(props, "siteConfig", "functionAppScaleLimit"),
            },
            publicNetworkDisabled: () => disabledText(props.publicNetworkAccess) || disabledText(at(props, "siteConfig", "publicNetworkAccess")),
            publicNetworkText: "publicNetworkAccess is not \"Disabled\"",
            accessRules: () => ({
                defaultAction: asString(at(props, "siteConfig", "ipSecurityRestrictionsDefaultAction")),
                rules: asList(at(props, "siteConfig", "ipSecurityRestrictions")).map(rule => {
                    const address = asString(at(rule, "ipAddress"))?.trim().toLowerCase();
                    return {
                        action: asString(at(rule, "action")) ?? "Allow",
                        scoped: (address !== undefined && !OPEN_ADDRESSES.has(address)) || asString(at(rule, "vnetSubnetResourceId")) !== undefined,
                    };
                }),
            }),
            accessRulesWhere: "siteConfig.ipSecurityRestrictions",
            appSettings: settings,
            connectionStrings: () => connectionStringsOf(type, props),
            hostVersion: () => nativeHostVersion(type, props),
            languageStacks: () => languageStacksOf(type, props),
            hosting: () => nativeAppHosting(props),
            appInsights: () => {
                const list = settings();
                return list.length === 0 ? undefined : telemetry(list, list[0].where);
            },
            storageCredentials: () => [
                ...webJobsStorage(settings),
                {
                    where: "functionAppConfig.deployment.storage.authentication.type",
                    usesKey: () => asString(at(props, "functionAppConfig", "deployment", "storage", "authentication", "type")) === "StorageAccountConnectionString",
                    finding: "is \"StorageAccountConnectionString\": use \"SystemAssignedIdentity\" or \"UserAssignedIdentity\"",
                },
            ],
        };
    },
};

function nativeHostVersion(type: string, props: Dict): ReturnType<FunctionAppView["hostVersion"]> {
    const settings = appSettingsOf(type, props);
    const setting = findSetting(settings, "FUNCTIONS_EXTENSION_VERSION");
    if (setting) {
        return { where: `${setting.where} FUNCTIONS_EXTENSION_VERSION`, value: setting.read() };
    }
    if ((type === WEB_APP || type === WEB_APP_SLOT) && settings.length > 0 && !isFlexConsumption(props)) {
        return { missing: "siteConfig.appSettings has no FUNCTIONS_EXTENSION_VERSION" };
    }
    return undefined;
}

// azure-native: a WebAppApplicationSettings or WebAppConnectionStrings resource replaces the app's settings.
const nativeSettingsResource: Adapter<FunctionAppView> = {
    view: (props, type) => {
        const settings = () => appSettingsOf(type, props);
        return {
            ...NO_APP_FIELDS,
            publicNetworkDisabled: () => false,
            publicNetworkText: "",
            accessRules: () => ({ defaultAction: undefined, rules: [] }),
            accessRulesWhere: "",
            appSettings: settings,
            connectionStrings: () => connectionStringsOf(type, props),
            hostVersion: () => nativeHostVersion(type, props),
            languageStacks: () => languageStacksOf(type, props),
            appInsights: () => telemetry(settings(), settings()[0]?.where ?? "properties"),
            storageCredentials: () => webJobsStorage(settings),
            hosting: () => nativeAppHosting({}),
        };
    },
};

/** App settings of a classic app: a map of name to value. */
function classicSettings(props: Dict): Setting[] {
    const map = props.appSettings;
    return keysOf(map).map(name => settingAt(name, "appSettings", map, name));
}

/** Connection strings of a classic app: a list of {name, type, value}. */
function classicConnectionStrings(props: Dict): Setting[] {
    return asList(props.connectionStrings).map((item, i): Setting => {
        const where = `connectionStrings[${i}]`;
        // A name unknown during preview stays undefined here; reading the value then throws it.
        return isUnknownValue(item, "name") ? settingAt(undefined, where, item, "name") : settingAt(asString(at(item, "name")), where, item, "value");
    });
}

/** Language stacks of a classic app's siteConfig.applicationStack (one version property per language). */
function classicStacks(props: Dict): StackUse[] {
    const stack = at(props, "siteConfig", "applicationStack");
    if (!isRecord(stack)) {
        return [];
    }
    const where = (key: string) => `siteConfig.applicationStack.${key}`;
    if (asBoolean(stack.useCustomRuntime) === true) {
        return [{ id: "custom", where: where("useCustomRuntime") }];
    }
    const out: StackUse[] = [];
    const versions: [string, string][] = [["nodeVersion", "node"], ["pythonVersion", "python"], ["javaVersion", "java"], ["powershellCoreVersion", "powershell"], ["dotnetVersion", "dotnet"]];
    for (const [key, worker] of versions) {
        const version = asString(stack[key]);
        if (version === undefined) {
            continue;
        }
        const lang = worker === "dotnet" && asBoolean(stack.useDotnetIsolatedRuntime) === true ? "dotnet-isolated" : worker;
        const id = runtimeId(lang, version.replace(/^v/i, ""));
        if (id) {
            out.push({ id, where: where(key) });
        }
    }
    return out;
}

/** Inbound access rules of a classic app: siteConfig.ipRestrictions, and ipRestrictionDefaultAction where the type has it. */
function classicAccessRules(props: Dict): AccessRules {
    return {
        defaultAction: asString(at(props, "siteConfig", "ipRestrictionDefaultAction")),
        rules: asList(at(props, "siteConfig", "ipRestrictions")).map(rule => {
            const address = asString(at(rule, "ipAddress"))?.trim().toLowerCase();
            const scoped = (address !== undefined && !OPEN_ADDRESSES.has(address))
                || asString(at(rule, "serviceTag")) !== undefined || asString(at(rule, "virtualNetworkSubnetId")) !== undefined;
            return { action: asString(at(rule, "action")) ?? "Allow", scoped };
        }),
    };
}

function classicApp(flexApp: boolean): Adapter<FunctionAppView> {
    return {
        view: (props, type) => {
            const settings = () => classicSettings(props);
            return {
                ...fields(props, {
                    httpsOnly: "httpsOnly", minTlsVersion: "siteConfig.minimumTlsVersion", scmMinTlsVersion: "siteConfig.scmMinimumTlsVersion",
                    ftpsState: flexApp ? null : "siteConfig.ftpsState", remoteDebugging: "siteConfig.remoteDebuggingEnabled",
                    http2: "siteConfig.http2Enabled", corsOrigins: "siteConfig.cors.allowedOrigins",
                    corsCredentials: "siteConfig.cors.supportCredentials", identityType: "identity.type", tags: "tags",
                    scaleLimit: flexApp ? "maximumInstanceCount" : "siteConfig.appScaleLimit",
                }),
                publicNetworkDisabled: () => asBoolean(props.publicNetworkAccessEnabled) === false,
                publicNetworkText: "publicNetworkAccessEnabled is not false",
                accessRules: () => classicAccessRules(props),
                accessRulesWhere: "siteConfig.ipRestrictions",
                appSettings: settings,
                connectionStrings: () => classicConnectionStrings(props),
                hosting: () => classicAppHosting(flexApp || LINUX_TYPES.has(type) ? "linux" : "windows", flexApp),
                // The provider manages FUNCTIONS_EXTENSION_VERSION from functionsExtensionVersion (default "~4");
                // Flex Consumption always runs host 4.
                hostVersion: () => flexApp || !isSet(props, "functionsExtensionVersion")
                    ? undefined
                    : { where: "functionsExtensionVersion", value: props.functionsExtensionVersion },
                languageStacks: () => {
                    if (!flexApp) {
                        return classicStacks(props);
                    }
                    const id = runtimeId(asString(props.runtimeName) ?? "", asString(props.runtimeVersion));
                    return id ? [{ id, where: "runtimeName and runtimeVersion" }] : [];
                },
                appInsights: () => {
                    const site = (key: string) => isSet(at(props, "siteConfig"), key);
                    const configured = site("applicationInsightsConnectionString") || site("applicationInsightsKey")
                        || telemetry(settings(), "appSettings").configured;
                    return { configured, missing: `siteConfig.applicationInsightsConnectionString is not set and appSettings has no ${APP_INSIGHTS_SETTINGS.join(" or ")}` };
                },
                storageCredentials: () => [
                    ...webJobsStorage(settings),
                    flexApp
                        ? {
                            where: "storageAuthenticationType",
                            usesKey: () => asString(props.storageAuthenticationType) === "StorageAccountConnectionString",
                            finding: "is \"StorageAccountConnectionString\": use \"SystemAssignedIdentity\" or \"UserAssignedIdentity\"",
                        }
                        : {
                            where: "storageAccountAccessKey",
                            usesKey: () => isSet(props, "storageAccountAccessKey") && asBoolean(props.storageUsesManagedIdentity) !== true,
                            finding: "is set and storageUsesManagedIdentity is not true: the app reaches its host storage with an account key; set storageUsesManagedIdentity to true and drop storageAccountAccessKey",
                        },
                ],
            };
        },
    };
}

const classicPlanApp = classicApp(false);
const classicFlexApp = classicApp(true);

/**
 * The classic provider's legacy FunctionApp and FunctionAppSlot: siteConfig.minTlsVersion (no SCM
 * floor, no remote-debugging switch), the host version in `version` (default "~1", see
 * AZURE_CLASSIC_LEGACY_APP_DEFAULTS), the language in FUNCTIONS_WORKER_RUNTIME with
 * WEBSITE_NODE_DEFAULT_VERSION or siteConfig.linuxFxVersion, osType "linux" or Windows, no public
 * network switch, and host storage reached only with storageAccountAccessKey.
 */
const classicLegacyApp: Adapter<FunctionAppView> = {
    view: props => {
        const settings = () => classicSettings(props);
        const siteConfig = () => at(props, "siteConfig");
        return {
            ...fields(props, {
                httpsOnly: "httpsOnly", minTlsVersion: "siteConfig.minTlsVersion", scmMinTlsVersion: null, ftpsState: "siteConfig.ftpsState",
                remoteDebugging: null, http2: "siteConfig.http2Enabled", corsOrigins: "siteConfig.cors.allowedOrigins",
                corsCredentials: "siteConfig.cors.supportCredentials", identityType: "identity.type", tags: "tags", scaleLimit: "siteConfig.appScaleLimit",
            }),
            publicNetworkDisabled: () => false,
            publicNetworkText: "this legacy app type has no setting that switches public network access off",
            publicNetworkSwitch: false,
            accessRules: () => classicAccessRules(props),
            accessRulesWhere: "siteConfig.ipRestrictions",
            appSettings: settings,
            connectionStrings: () => classicConnectionStrings(props),
            // osType "linux" or, by default, Windows; while it is unknown the plan tells.
            hosting: () => ({
                flex: false,
                os: isUnknownValue(props, "osType") ? undefined : /^linux$/i.test(asString(props.osType)?.trim() ?? "") ? "linux" : "windows",
                planProperty: "appServicePlanId",
            }),
            // The provider writes FUNCTIONS_EXTENSION_VERSION from `version`, whose default is an old host.
            hostVersion: () => isSet(props, "version")
                ? { where: "version", value: props.version }
                : { missing: `version is not set, so the provider's default ${JSON.stringify(AZURE_CLASSIC_LEGACY_APP_DEFAULTS.version)} selects host 1.x` },
            languageStacks: () => declaredStacks({
                linuxFxVersion: asString(at(siteConfig(), "linuxFxVersion")),
                settings: settings(),
                versions: {
                    java: [["siteConfig.javaVersion", () => at(siteConfig(), "javaVersion")]],
                    dotnet: [["siteConfig.dotnetFrameworkVersion", () => at(siteConfig(), "dotnetFrameworkVersion")]],
                },
            }),
            appInsights: () => telemetry(settings(), "appSettings"),
            storageCredentials: () => [
                ...webJobsStorage(settings),
                {
                    where: "storageAccountAccessKey",
                    usesKey: () => isSet(props, "storageAccountAccessKey"),
                    finding: "is set: this legacy app type reaches its host storage only with an account key; move to LinuxFunctionApp or WindowsFunctionApp with storageUsesManagedIdentity set to true",
                },
            ],
        };
    },
};

/** Function apps: azure-native web apps and slots of kind functionapp, classic function apps and slots. */
export const APPS: Adapters<FunctionAppView> = {
    [WEB_APP]: nativeApp,
    [WEB_APP_SLOT]: nativeApp,
    ...Object.fromEntries(CLASSIC_PLAN_APPS.map(t => [t, classicPlanApp])),
    [CLASSIC_FLEX_APP]: classicFlexApp,
    [CLASSIC_LEGACY_APP]: classicLegacyApp,
    [CLASSIC_LEGACY_SLOT]: classicLegacyApp,
};

/** Function apps and the azure-native resources that replace their app settings. */
export const APP_SETTINGS_HOLDERS: Adapters<FunctionAppView> = {
    ...APPS,
    [APP_SETTINGS]: nativeSettingsResource,
    [APP_SETTINGS_SLOT]: nativeSettingsResource,
};

/** Function apps and the azure-native resources that replace their app settings or connection strings. */
export const ALL_SETTINGS_HOLDERS: Adapters<FunctionAppView> = {
    ...APP_SETTINGS_HOLDERS,
    [CONNECTION_STRINGS]: nativeSettingsResource,
    [CONNECTION_STRINGS_SLOT]: nativeSettingsResource,
};

/** The identity provider blocks of a classic app's authSettingsV2 and authSettings. */
const CLASSIC_AUTH_PROVIDERS: Record<string, readonly string[]> = {
    authSettingsV2: ["activeDirectoryV2", "appleV2", "azureStaticWebAppV2", "customOidcV2s", "facebookV2", "githubV2", "googleV2", "microsoftV2", "twitterV2"],
    authSettings: ["activeDirectory", "facebook", "github", "google", "microsoft", "twitter"],
};
const CLASSIC_AUTH_SWITCH: Record<string, string> = { authSettingsV2: "authEnabled", authSettings: "enabled" };

/**
 * Whether a classic app's authSettingsV2 (or authSettings) block configures App Service authentication:
 * it turns it on or names an identity provider; undefined while the block or its switch is unknown. Read
 * back from Azure, the provider fills in the block every app has (authentication off, no provider), and
 * that configures nothing.
 */
export function classicAuthConfigured(props: Dict, key: "authSettingsV2" | "authSettings"): boolean | undefined {
    if (isUnknownValue(props, key)) {
        return undefined;
    }
    const block = props[key];
    const item = Array.isArray(block) ? block[0] : block;
    if (!isRecord(item)) {
        return false;
    }
    if (isUnknownValue(item, CLASSIC_AUTH_SWITCH[key])) {
        return undefined;
    }
    return asBoolean(item[CLASSIC_AUTH_SWITCH[key]]) === true || CLASSIC_AUTH_PROVIDERS[key].some(provider => isUnknownValue(item, provider) || isSet(item, provider));
}

/** Why a classic app's auth block configures nothing, or undefined when it configures authentication (or can't be told yet). */
function classicAuthNotConfigured(props: Dict, key: "authSettingsV2" | "authSettings"): string | undefined {
    return classicAuthConfigured(props, key) !== false ? undefined : isSet(props, key)
        ? `${key} neither turns App Service authentication on nor names an identity provider (the block Azure reads back for every app): it is not configured on this app`
        : `no ${key} block: App Service authentication is not configured on this app`;
}

/**
 * The legacy app's authSettings (authentication v1): it has no requireAuthentication switch; callers
 * are sent to sign in when unauthenticatedClientAction is "RedirectToLoginPage".
 */
const classicLegacyAuth: Adapter<Record<"enabled" | "requireAuthentication" | "unauthenticatedAction", Field>> = {
    notKind: props => classicAuthNotConfigured(props, "authSettings"),
    view: props => ({
        enabled: field(props, "authSettings.enabled"),
        requireAuthentication: absent("requireAuthentication"),
        unauthenticatedAction: field(props, "authSettings.unauthenticatedClientAction"),
    }),
};

/** App Service authentication of a function app: a companion resource on azure-native, a block on classic apps. */
export const AUTH_SETTINGS: Adapters<Record<"enabled" | "requireAuthentication" | "unauthenticatedAction", Field>> = {
    [AUTH_SETTINGS_V2]: renames({ enabled: "platform.enabled", requireAuthentication: "globalValidation.requireAuthentication", unauthenticatedAction: "globalValidation.unauthenticatedClientAction" }),
    [AUTH_SETTINGS_V2_SLOT]: renames({ enabled: "platform.enabled", requireAuthentication: "globalValidation.requireAuthentication", unauthenticatedAction: "globalValidation.unauthenticatedClientAction" }),
    ...Object.fromEntries(CLASSIC_AUTH_V2_APPS.map(t => [t, renames(
        { enabled: "authSettingsV2.authEnabled", requireAuthentication: "authSettingsV2.requireAuthentication", unauthenticatedAction: "authSettingsV2.unauthenticatedAction" },
        props => classicAuthNotConfigured(props, "authSettingsV2"),
    )])),
    ...Object.fromEntries(CLASSIC_LEGACY_APPS.map(t => [t, classicLegacyAuth])),
};

/** A function definition with its bindings (object or JSON string). */
export const FUNCTION_DEFINITIONS: Adapters<FunctionDefinition> = {
    [FUNCTION]: renames({ functionName: "functionName", config: "config" }),
    [FUNCTION_SLOT]: renames({ functionName: "functionName", config: "config" }),
    [CLASSIC_FUNCTION]: renames({ functionName: "name", config: "configJson" }),
};

/** A classic storage blob: the classic app helpers upload a function app's code package as one. */
export const CLASSIC_BLOB = "azure:storage/blob:Blob";

/** One function definition: its name and its bindings (object or JSON string). */
export type FunctionDefinition = Record<"functionName" | "config", Field>;

/**
 * The function definitions in an Azure Functions package handed over inline: a classic Blob whose
 * source archive holds host.json at its root and one `<function>/function.json` per function, as the
 * classic HttpEventSubscription and CallbackFunctionApp helpers upload an app's code (the app runs it
 * from WEBSITE_RUN_FROM_PACKAGE). Files on disk or remote aren't read (lib/assets).
 */
function packageFunctions(props: Dict): FunctionDefinition[] {
    const files = inlineFiles(props.source, "source");
    if (!files.some(f => f.file === "host.json")) {
        return [];
    }
    return files.flatMap(({ file, text }) => {
        const name = /^([^/]+)\/function\.json$/.exec(file)?.[1];
        return name === undefined ? [] : [{ functionName: derived(`source["${file}"]`, () => name), config: derived(`source["${file}"]`, () => text) }];
    });
}

/** The function definitions a resource declares: a function resource declares one, a code package each of its functions. */
export interface DeclaredFunctionsView {
    definitions(): FunctionDefinition[];
}
export const DECLARED_FUNCTIONS: Adapters<DeclaredFunctionsView> = {
    ...Object.fromEntries(Object.entries(FUNCTION_DEFINITIONS).map(([type, adapter]) => [type, {
        notKind: adapter.notKind,
        view: (props: Dict, t: string) => {
            const definition = adapter.view(props, t);
            return { definitions: () => [definition] };
        },
    }])),
    [CLASSIC_BLOB]: {
        notKind: props => (packageFunctions(props).length > 0 ? undefined : "not an Azure Functions code package handed over inline (host.json and <function>/function.json in source)"),
        view: props => ({ definitions: () => packageFunctions(props) }),
    },
};

/** Basic-authentication publishing switches: one per site (FTP, SCM/Kudu). */
export interface PublishingView {
    switches: { site: string; allowed: Field }[];
}
const nativeSwitch = (site: string): Adapter<PublishingView> => ({ view: props => ({ switches: [{ site, allowed: field(props, "allow") }] }) });
const classicSwitches = (flexApp: boolean): Adapter<PublishingView> => ({
    // Both switches default to true on classic apps.
    view: props => ({
        switches: [
            ...(flexApp ? [] : [{ site: "FTP", allowed: withDefault(field(props, "ftpPublishBasicAuthenticationEnabled"), true) }]),
            { site: "SCM (Kudu)", allowed: withDefault(field(props, "webdeployPublishBasicAuthenticationEnabled"), true) },
        ],
    }),
});
export const PUBLISHING_CREDENTIALS: Adapters<PublishingView> = {
    [FTP_ALLOWED]: nativeSwitch("FTP"),
    [FTP_ALLOWED_SLOT]: nativeSwitch("FTP"),
    [SCM_ALLOWED]: nativeSwitch("SCM (Kudu)"),
    [SCM_ALLOWED_SLOT]: nativeSwitch("SCM (Kudu)"),
    ...Object.fromEntries(CLASSIC_PLAN_APPS.map(t => [t, classicSwitches(false)])),
    [CLASSIC_FLEX_APP]: classicSwitches(true),
};

export interface StorageAccountView {
    httpsOnly: Field;
    minTlsVersion: Field;
    blobPublicAccess: Field;
    sharedKeyAccess: Field;
    infrastructureEncryption: Field;
    /** True when a customer-managed key in Key Vault encrypts the account. */
    customerManagedKey: Field;
}
export const STORAGE_ACCOUNTS: Adapters<StorageAccountView> = {
    [STORAGE_ACCOUNT]: {
        view: props => ({
            ...fields(props, {
                httpsOnly: "enableHttpsTrafficOnly", minTlsVersion: "minimumTlsVersion", blobPublicAccess: "allowBlobPublicAccess",
                sharedKeyAccess: "allowSharedKeyAccess", infrastructureEncryption: "encryption.requireInfrastructureEncryption",
            }),
            customerManagedKey: derived("encryption.keySource", () => asString(at(props.encryption, "keySource"))?.toLowerCase() === "microsoft.keyvault"),
        }),
    },
    [CLASSIC_STORAGE_ACCOUNT]: {
        // Classic defaults: TLS 1.2 and nested items public unless allowNestedItemsToBePublic is false.
        view: props => ({
            httpsOnly: field(props, "httpsTrafficOnlyEnabled"),
            minTlsVersion: withDefault(field(props, "minTlsVersion"), "TLS1_2"),
            blobPublicAccess: withDefault(field(props, "allowNestedItemsToBePublic"), true),
            sharedKeyAccess: field(props, "sharedAccessKeyEnabled"),
            infrastructureEncryption: field(props, "infrastructureEncryptionEnabled"),
            customerManagedKey: derived("customerManagedKey", () => isSet(props, "customerManagedKey")),
        }),
    },
};

export interface KeyVaultView {
    softDelete: Field;
    purgeProtection: Field;
    rbacAuthorization: Field;
    publicNetworkDisabled(): boolean;
    publicNetworkText: string;
    networkDefaultAction: Field;
}
export const KEY_VAULTS: Adapters<KeyVaultView> = {
    [KEY_VAULT]: {
        view: props => ({
            ...fields(props, {
                softDelete: "properties.enableSoftDelete", purgeProtection: "properties.enablePurgeProtection",
                rbacAuthorization: "properties.enableRbacAuthorization", networkDefaultAction: "properties.networkAcls.defaultAction",
            }),
            publicNetworkDisabled: () => disabledText(at(props.properties, "publicNetworkAccess")),
            publicNetworkText: "properties.publicNetworkAccess is not \"Disabled\"",
        }),
    },
    [CLASSIC_KEY_VAULT]: {
        // Soft delete can't be turned off on the classic provider; enableRbacAuthorization is the deprecated name of rbacAuthorizationEnabled.
        view: props => ({
            softDelete: absent("softDeleteRetentionDays"),
            purgeProtection: field(props, "purgeProtectionEnabled"),
            rbacAuthorization: isSet(props, "rbacAuthorizationEnabled") || !isSet(props, "enableRbacAuthorization")
                ? field(props, "rbacAuthorizationEnabled") : field(props, "enableRbacAuthorization"),
            networkDefaultAction: field(props, "networkAcls.defaultAction"),
            publicNetworkDisabled: () => asBoolean(props.publicNetworkAccessEnabled) === false,
            publicNetworkText: "publicNetworkAccessEnabled is not false",
        }),
    },
};

export const KEY_VAULT_SECRETS: Adapters<Record<"expires", Field>> = {
    [KEY_VAULT_SECRET]: renames({ expires: "properties.attributes.expires" }),
    [CLASSIC_KEY_VAULT_SECRET]: renames({ expires: "expirationDate" }),
};

/** A role assignment; the role is an id (GUID or resource id) or, on classic Azure, possibly a role name. */
export interface RoleAssignmentView {
    roleDefinitionId: Field;
    roleDefinitionName: Field;
    scope: Field;
    principalType: Field;
}
export const ROLE_ASSIGNMENTS: Adapters<RoleAssignmentView> = {
    [ROLE_ASSIGNMENT]: renames({ roleDefinitionId: "roleDefinitionId", roleDefinitionName: null, scope: "scope", principalType: "principalType" }),
    [CLASSIC_ROLE_ASSIGNMENT]: renames({ roleDefinitionId: "roleDefinitionId", roleDefinitionName: "roleDefinitionName", scope: "scope", principalType: "principalType" }),
};

/** The network doors of a function app: client certificates and outbound VNet integration. */
export interface AppNetworkView {
    clientCertEnabled: Field;
    /** The certificate mode, with the provider's default when unset (azure-native: Required; classic: Optional). */
    clientCertMode: Field;
    subnetId: Field;
    /** Whether all outbound traffic goes through the integrated subnet (Flex Consumption always does). */
    routesAllTraffic(): boolean;
    routeAllWhere: string;
}

/** Settings that route all of an azure-native app's outbound traffic through its subnet (applicationTraffic was vnetRouteAllEnabled). */
const NATIVE_ROUTE_ALL = [["outboundVnetRouting", "allTraffic"], ["outboundVnetRouting", "applicationTraffic"], ["siteConfig", "vnetRouteAllEnabled"]];

const nativeNetwork: Adapter<AppNetworkView> = {
    notKind: nativeApp.notKind,
    view: props => ({
        clientCertEnabled: field(props, "clientCertEnabled"),
        clientCertMode: withDefault(field(props, "clientCertMode"), "Required"),
        subnetId: field(props, "virtualNetworkSubnetId"),
        routesAllTraffic: () => isFlexConsumption(props) || NATIVE_ROUTE_ALL.some(path => asBoolean(at(props, ...path)) === true),
        routeAllWhere: "outboundVnetRouting.allTraffic (or applicationTraffic, or siteConfig.vnetRouteAllEnabled)",
    }),
};

function classicNetwork(flexApp: boolean): Adapter<AppNetworkView> {
    return {
        view: props => ({
            clientCertEnabled: field(props, "clientCertificateEnabled"),
            clientCertMode: withDefault(field(props, "clientCertificateMode"), "Optional"),
            subnetId: field(props, "virtualNetworkSubnetId"),
            routesAllTraffic: () => flexApp || asBoolean(at(props, "siteConfig", "vnetRouteAllEnabled")) === true,
            routeAllWhere: "siteConfig.vnetRouteAllEnabled",
        }),
    };
}

export const APP_NETWORK: Adapters<AppNetworkView> = {
    [WEB_APP]: nativeNetwork,
    [WEB_APP_SLOT]: nativeNetwork,
    ...Object.fromEntries(CLASSIC_PLAN_APPS.map(t => [t, classicNetwork(false)])),
    [CLASSIC_FLEX_APP]: classicNetwork(true),
};
