// Shared Azure (azure-native) helpers: type tokens, function-app detection, app settings and connection
// strings read from either form (the list in siteConfig or the map of a separate settings resource),
// Key Vault reference recognition and language-stack ids. References to CIS Microsoft Azure
// Foundations use the v2.0.0 numbering (3 Storage, 8 Key Vault, 9 App Service).
import { detectSecret, isSecretLikeName, SecretFinding } from "../lib/secrets";
import { plainValue, PlainValue, ruleOutSources, Source } from "../lib/provenance";
import { isSecretMarked } from "../lib/redact";
import { asList, asString, at, Dict, isRecord, isUnknownValue, keysOf } from "../lib/values";
import { NON_SECRET_APP_SETTINGS } from "../data/azure";

export const WEB_APP = "azure-native:web:WebApp";
export const WEB_APP_SLOT = "azure-native:web:WebAppSlot";
export const APP_SETTINGS = "azure-native:web:WebAppApplicationSettings";
export const APP_SETTINGS_SLOT = "azure-native:web:WebAppApplicationSettingsSlot";
export const CONNECTION_STRINGS = "azure-native:web:WebAppConnectionStrings";
export const CONNECTION_STRINGS_SLOT = "azure-native:web:WebAppConnectionStringsSlot";
export const AUTH_SETTINGS_V1 = "azure-native:web:WebAppAuthSettings";
export const AUTH_SETTINGS_V1_SLOT = "azure-native:web:WebAppAuthSettingsSlot";
export const AUTH_SETTINGS_V2 = "azure-native:web:WebAppAuthSettingsV2";
export const AUTH_SETTINGS_V2_SLOT = "azure-native:web:WebAppAuthSettingsV2Slot";
export const FUNCTION = "azure-native:web:WebAppFunction";
export const FUNCTION_SLOT = "azure-native:web:WebAppInstanceFunctionSlot";
export const FTP_ALLOWED = "azure-native:web:WebAppFtpAllowed";
export const FTP_ALLOWED_SLOT = "azure-native:web:WebAppFtpAllowedSlot";
export const SCM_ALLOWED = "azure-native:web:WebAppScmAllowed";
export const SCM_ALLOWED_SLOT = "azure-native:web:WebAppScmAllowedSlot";
export const STORAGE_ACCOUNT = "azure-native:storage:StorageAccount";
export const KEY_VAULT = "azure-native:keyvault:Vault";
export const KEY_VAULT_SECRET = "azure-native:keyvault:Secret";
export const ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment";

/** Function apps are web apps (and slots) whose kind contains "functionapp". */
export const FUNCTION_APPS = [WEB_APP, WEB_APP_SLOT];
/** Resources that replace a function app's app settings. */
export const SETTINGS_RESOURCES = [APP_SETTINGS, APP_SETTINGS_SLOT];
export const CONNECTION_STRING_RESOURCES = [CONNECTION_STRINGS, CONNECTION_STRINGS_SLOT];

export function isFunctionAppKind(kind: unknown): boolean {
    return /functionapp/i.test(asString(kind) ?? "");
}

/** A Flex Consumption app is configured through functionAppConfig instead of siteConfig settings. */
export function isFlexConsumption(props: Dict): boolean {
    return isRecord(props.functionAppConfig) && keysOf(props.functionAppConfig).length > 0;
}

/** One app setting or connection string; its value is read lazily so one unknown value hides nothing else. */
export interface Setting {
    /** The setting's name; undefined when the name itself is unknown during preview. */
    name: string | undefined;
    /** Where it is declared, e.g. "siteConfig.appSettings" or "properties". */
    where: string;
    /** The value; one unknown during preview throws the SDK's unknown-value error. */
    read(): unknown;
    /** Whether reading the value would meet a value unknown during preview (asked without throwing). */
    isUnknown(): boolean;
    /**
     * The value as a plaintext-secret check sees it: marked as a Pulumi secret, computed from a secret
     * or from references only (decided from its sources, see lib/provenance.ts), or known.
     */
    plain(): PlainValue;
    /**
     * For a value unknown during preview: returns when its recorded sources can't have built a value
     * that `could` decides the check (see lib/provenance.ts ruleOutSources); waits otherwise.
     */
    ruleOut(could: (s: Source) => boolean): void;
}

/** The setting whose value is `holder[key]`, or `holder[key][valueKey]` when the entry is an object. */
export function settingAt(name: string | undefined, where: string, holder: unknown, key: string, valueKey?: string): Setting {
    const top = where.split(/[.[]/)[0];
    return {
        name,
        where,
        read: () => valueKey === undefined ? at(holder, key) : at(at(holder, key), valueKey),
        isUnknown: () => isUnknownValue(holder, key) || (valueKey !== undefined && isUnknownValue(at(holder, key), valueKey)),
        plain: () => {
            const label = name === undefined ? where : `${where} ${name}`;
            if (valueKey === undefined || isSecretMarked(holder, key)) {
                return plainValue(holder, key, top, name ?? "", label);
            }
            return plainValue(at(holder, key), valueKey, top, name ?? "", label);
        },
        ruleOut: could => ruleOutSources(top, name === undefined ? where : `${where} ${name}`, could),
    };
}

function fromList(list: unknown, where: string, valueKey: string): Setting[] {
    return asList(list).flatMap((item): Setting[] => {
        if (isUnknownValue(item, "name")) {
            return [settingAt(undefined, where, item, "name")];
        }
        const name = asString(at(item, "name"));
        return name === undefined ? [] : [settingAt(name, where, item, valueKey)];
    });
}

function fromMap(map: unknown, where: string, valueKey?: string): Setting[] {
    return keysOf(map).map(name => settingAt(name, where, map, name, valueKey));
}

/** App settings of a function app (siteConfig.appSettings list) or of a WebAppApplicationSettings resource (properties map). */
export function appSettingsOf(type: string, props: Dict): Setting[] {
    if (SETTINGS_RESOURCES.includes(type)) {
        return fromMap(props.properties, "properties");
    }
    if (FUNCTION_APPS.includes(type)) {
        return fromList(at(props, "siteConfig", "appSettings"), "siteConfig.appSettings", "value");
    }
    return [];
}

/** Connection strings of a function app (siteConfig.connectionStrings list) or of a WebAppConnectionStrings resource. */
export function connectionStringsOf(type: string, props: Dict): Setting[] {
    if (CONNECTION_STRING_RESOURCES.includes(type)) {
        return fromMap(props.properties, "properties", "value");
    }
    if (FUNCTION_APPS.includes(type)) {
        return fromList(at(props, "siteConfig", "connectionStrings"), "siteConfig.connectionStrings", "connectionString");
    }
    return [];
}

/**
 * The setting with this name (names compare case-insensitively, as App Service does). When it isn't
 * there but some setting's name is unknown during preview, that unknown is thrown: it might be this one.
 */
export function findSetting(settings: Setting[], name: string): Setting | undefined {
    const wanted = name.toLowerCase();
    const hit = settings.find(s => s.name?.toLowerCase() === wanted);
    if (!hit) {
        settings.filter(s => s.name === undefined).forEach(s => s.read());
    }
    return hit;
}

/** The known string value of a named setting, or undefined if absent. */
export function settingValue(settings: Setting[], name: string): string | undefined {
    return asString(findSetting(settings, name)?.read());
}

// Key Vault references: @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>[/<version>])
// or @Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>[;SecretVersion=<version>]), in every Azure cloud.
const VAULT_HOST = "[a-z0-9-]{3,24}\\.vault\\.(?:azure\\.net|azure\\.cn|usgovcloudapi\\.net|microsoftazure\\.de)(?::443)?";
const KV_SECRET_URI = new RegExp(`^@Microsoft\\.KeyVault\\(\\s*SecretUri\\s*=\\s*https://${VAULT_HOST}/secrets/[A-Za-z0-9-]{1,127}(?:/[A-Za-z0-9]{0,64})?/?\\s*\\)$`, "i");
const KV_VAULT_NAME = /^@Microsoft\.KeyVault\(\s*VaultName\s*=\s*[a-z0-9-]{3,24}\s*;\s*SecretName\s*=\s*[A-Za-z0-9-]{1,127}\s*(?:;\s*SecretVersion\s*=\s*[A-Za-z0-9]{1,64}\s*)?\)$/i;
const KV_PREFIX = /^\s*@Microsoft\.KeyVault\(/i;
const APP_CONFIG_REFERENCE = /^\s*@Microsoft\.AppConfiguration\(/i;

export function isKeyVaultReference(value: string): boolean {
    const v = value.trim();
    return v.length <= 1024 && (KV_SECRET_URI.test(v) || KV_VAULT_NAME.test(v));
}

/** Starts like a Key Vault reference but isn't a valid one, so App Service would pass the text on as is. */
export function isMalformedKeyVaultReference(value: string): boolean {
    return KV_PREFIX.test(value) && !isKeyVaultReference(value);
}

/**
 * Settings whose names look secret but that aren't credentials: configured non-secret names (such as
 * the Application Insights connection string) and identity-based connections (`<conn>__credential`
 * set to "managedidentity").
 */
function isNonSecretSetting(name: string, value: string, nonSecret: readonly string[]): boolean {
    const n = name.toLowerCase();
    return nonSecret.some(s => s.toLowerCase() === n) || (/__credential$/i.test(name) && /^\s*managedidentity\s*$/i.test(value));
}

/** Whether the organization lists this setting name as holding no credential. */
export function isListedNonSecret(name: string | undefined, nonSecret: readonly string[]): boolean {
    const n = name?.toLowerCase();
    return n !== undefined && nonSecret.some(s => s.toLowerCase() === n);
}

/**
 * A setting's value for a check that judges by name first: a setting the organization lists as
 * holding no credential reads as undefined while its value is unknown during preview (e.g. an
 * Application Insights connection string computed by another resource), since its name already
 * decides the name-based checks; any other unknown value still holds the check back.
 */
export function readSetting(setting: Setting, nonSecret: readonly string[]): unknown {
    return isListedNonSecret(setting.name, nonSecret) && setting.isUnknown() ? undefined : setting.read();
}

/** A secret held in plain text by an app setting or connection string, if any (the finding names a kind, never the value). */
export function plaintextSecret(name: string, value: unknown, nonSecret: readonly string[]): SecretFinding | undefined {
    if (typeof value !== "string" || APP_CONFIG_REFERENCE.test(value) || isKeyVaultReference(value)) {
        return undefined;
    }
    // Non-secret names are still scanned for known token formats, just not judged by their name.
    return detectSecret(isNonSecretSetting(name, value, nonSecret) ? "value" : name, value);
}

/** Key vaults and their secrets: the sources a Key Vault reference (well-formed or not) is built from. */
const KEY_VAULT_SOURCES = new Set([KEY_VAULT, KEY_VAULT_SECRET, "azure:keyvault/keyVault:KeyVault", "azure:keyvault/secret:Secret"]);
export const couldBuildKeyVaultReference = (s: Source) => KEY_VAULT_SOURCES.has(s.type);

/** Whether a setting must be a Key Vault reference but isn't: a secret-like name with a literal value. */
export function needsKeyVaultReference(name: string, value: unknown, nonSecret: readonly string[]): boolean {
    if (typeof value !== "string" || value.trim() === "" || !isSecretLikeName(name) || isNonSecretSetting(name, value, nonSecret)) {
        return false;
    }
    return !isKeyVaultReference(value);
}

export const NON_SECRET_SETTINGS_CONFIG = {
    nonSecretSettings: {
        type: "array" as const, items: { type: "string" as const }, default: NON_SECRET_APP_SETTINGS,
        description: "App setting names that look secret but hold no credential (checked only for known token formats).",
    },
};

/** Language-stack id as used in the Azure Functions schedule, e.g. "node:20", "python:3.11", "dotnet-isolated:8". */
export function runtimeId(worker: string, version: string | undefined): string | undefined {
    const w = worker.trim().toLowerCase();
    if (w === "custom") {
        return "custom";
    }
    const m = /^[~v]?(\d{1,3})(?:\.(\d{1,3}))?/i.exec((version ?? "").trim());
    if (!m) {
        return undefined;
    }
    const [major, minor] = [m[1], m[2]];
    switch (w) {
        case "node":
            return `node:${major}`;
        case "python":
            return minor === undefined ? undefined : `python:${major}.${minor}`;
        case "java":
            return `java:${major === "1" && minor ? minor : major}`;
        case "powershell":
            return major === "7" && minor !== undefined ? `powershell:7.${minor}` : `powershell:${major}`;
        case "dotnet":
        case "dotnet-isolated":
            return Number(major) >= 5 ? `${w}:${major}` : `${w}:${major}.${minor ?? "0"}`;
        default:
            return undefined;
    }
}

export interface StackUse {
    id: string;
    /** Where the stack and version were read, for the message. */
    where: string;
}

/**
 * The language stacks a function app declares: Flex Consumption functionAppConfig.runtime, else Linux
 * siteConfig.linuxFxVersion ("Python|3.11"), else Windows FUNCTIONS_WORKER_RUNTIME with its version
 * setting (WEBSITE_NODE_DEFAULT_VERSION, powerShellVersion, javaVersion, netFrameworkVersion).
 */
export function languageStacksOf(type: string, props: Dict): StackUse[] {
    const native = FUNCTION_APPS.includes(type);
    const siteConfig = at(props, "siteConfig");
    return declaredStacks({
        runtime: native ? at(props, "functionAppConfig", "runtime") : undefined,
        linuxFxVersion: native ? asString(at(siteConfig, "linuxFxVersion")) : undefined,
        settings: appSettingsOf(type, props),
        versions: {
            node: [["siteConfig.nodeVersion", () => at(siteConfig, "nodeVersion")]],
            powershell: [["siteConfig.powerShellVersion", () => at(siteConfig, "powerShellVersion")]],
            java: [["siteConfig.javaVersion", () => at(siteConfig, "javaVersion")]],
            dotnet: [["siteConfig.netFrameworkVersion", () => at(siteConfig, "netFrameworkVersion")]],
            "dotnet-isolated": [["siteConfig.netFrameworkVersion", () => at(siteConfig, "netFrameworkVersion")]],
        },
    });
}

/** Where an app declares its stack: the settings and site properties that name the language and its version. */
export interface StackDeclaration {
    /** Flex Consumption functionAppConfig.runtime ({name, version}), when the type has it. */
    runtime?: unknown;
    /** siteConfig.linuxFxVersion ("Python|3.11"), when the type has it. */
    linuxFxVersion?: string;
    settings: Setting[];
    /** Site properties that give a worker's version, besides WEBSITE_NODE_DEFAULT_VERSION for node. */
    versions: Record<string, [string, () => unknown][]>;
}

/** The language stacks of a declaration, in the order runtime, linuxFxVersion, FUNCTIONS_WORKER_RUNTIME with its version setting. */
export function declaredStacks({ runtime, linuxFxVersion: fx, settings, versions }: StackDeclaration): StackUse[] {
    const out: StackUse[] = [];
    const add = (worker: string | undefined, version: string | undefined, where: string) => {
        const id = worker ? runtimeId(worker, version) : undefined;
        if (id && !out.some(u => u.id === id)) {
            out.push({ id, where });
        }
    };
    if (isRecord(runtime)) {
        add(asString(runtime.name), asString(runtime.version), "functionAppConfig.runtime");
        return out;
    }
    if (fx && fx.includes("|")) {
        const [stack, version] = fx.split("|", 2);
        add(stack, version, "siteConfig.linuxFxVersion");
        return out;
    }
    const worker = settingValue(settings, "FUNCTIONS_WORKER_RUNTIME")?.trim().toLowerCase();
    if (!worker) {
        return out;
    }
    const nodeSetting: [string, () => unknown][] = worker === "node"
        ? [["WEBSITE_NODE_DEFAULT_VERSION", () => settingValue(settings, "WEBSITE_NODE_DEFAULT_VERSION")]] : [];
    const sources = [...nodeSetting, ...(Object.prototype.hasOwnProperty.call(versions, worker) ? versions[worker] : [])];
    for (const [where, read] of sources) {
        add(worker, asString(read()), `FUNCTIONS_WORKER_RUNTIME with ${where}`);
    }
    return out;
}
