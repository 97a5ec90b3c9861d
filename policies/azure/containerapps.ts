// Azure Container Apps as function hosts (Azure Functions on Container Apps: an azure-native container
// app of kind "functionapp"; classic Azure's containerapp.App) and as serverless containers in their own
// right. Ingress: azure-native `configuration.ingress` { external, allowInsecure, transport }, classic
// `ingress` { externalEnabled, allowInsecureConnections, transport }. Environment variables: azure-native
// `template.containers[].env[]` { name, value | secretRef }, classic `template.containers[].envs[]`
// { name, value | secretName }; the secret-bearing variables are read by azure-functionapp-plaintext-secret
// through the adapters below.
import { Adapter, Adapters, Field, fields, viewPolicy } from "../lib/view";
import { asBoolean, asList, asString, at, Dict, isSet, isUnknownValue } from "../lib/values";
import { Setting, settingAt } from "./common";
import type { FunctionAppView } from "./views";
import { nativeAppHosting } from "./plans";

export const CONTAINER_APP = "azure-native:app:ContainerApp";
export const CLASSIC_CONTAINER_APP = "azure:containerapp/app:App";
export const CONTAINER_APPS = [CONTAINER_APP, CLASSIC_CONTAINER_APP];
/** App Service-style authentication of an azure-native container app; classic Azure declares none, nor a container app's kind. */
export const CONTAINER_APPS_AUTH_CONFIG = "azure-native:app:ContainerAppsAuthConfig";

/** Where each provider keeps a container's environment variables and the key that points to a secret instead of a value. */
const ENV_SHAPE: Record<string, { containers: readonly string[]; env: string; secretRef: string }> = {
    [CONTAINER_APP]: { containers: ["template", "containers"], env: "env", secretRef: "secretRef" },
    [CLASSIC_CONTAINER_APP]: { containers: ["template", "containers"], env: "envs", secretRef: "secretName" },
};

/** How the fix for a plaintext secret in a container's environment reads. */
export const CONTAINER_APP_SECRET_FIX: Record<string, string> = {
    [CONTAINER_APP]: "move it to the app's configuration.secrets (backed by Key Vault with keyVaultUrl and the app's identity) and reference it with secretRef.",
    [CLASSIC_CONTAINER_APP]: "move it to the app's secrets (backed by Key Vault with keyVaultSecretId and the app's identity) and reference it with secretName.",
};

/** The environment variables of every container that hold a value (those referencing a secret hold none). */
function containerEnv(type: string, props: Dict): Setting[] {
    const shape = ENV_SHAPE[type];
    return asList(at(props, ...shape.containers)).flatMap((container, i) => {
        const where = `${shape.containers.join(".")}[${i}].${shape.env}`;
        return asList(at(container, shape.env)).flatMap((item): Setting[] => {
            if (isUnknownValue(item, "name")) {
                return [settingAt(undefined, where, item, "name")];
            }
            const name = asString(at(item, "name"));
            return name === undefined || !isSet(item, "value") ? [] : [settingAt(name, where, item, "value")];
        });
    });
}

/** A container app as a holder of plain settings: its containers' environment variables, nothing else of a function app. */
const containerAppSettings: Adapter<FunctionAppView> = {
    view: (props, type) => ({
        ...fields(props, {
            httpsOnly: null, minTlsVersion: null, scmMinTlsVersion: null, ftpsState: null, remoteDebugging: null, http2: null,
            corsOrigins: null, corsCredentials: null, identityType: null, tags: null, scaleLimit: null,
        }),
        publicNetworkDisabled: () => false,
        publicNetworkText: "",
        accessRules: () => ({ defaultAction: undefined, rules: [] }),
        accessRulesWhere: "",
        appSettings: () => containerEnv(type, props),
        connectionStrings: () => [],
        hostVersion: () => undefined,
        languageStacks: () => [],
        appInsights: () => undefined,
        storageCredentials: () => [],
        hosting: () => nativeAppHosting({}),
    }),
};

/** Container apps, read as settings holders. */
export const CONTAINER_APP_SETTINGS: Adapters<FunctionAppView> = {
    [CONTAINER_APP]: containerAppSettings,
    [CLASSIC_CONTAINER_APP]: containerAppSettings,
};

type IngressView = Record<"ingress" | "external" | "allowInsecure" | "transport", Field>;

const INGRESS: Adapters<IngressView> = {
    [CONTAINER_APP]: {
        view: props => fields(props, {
            ingress: "configuration.ingress", external: "configuration.ingress.external",
            allowInsecure: "configuration.ingress.allowInsecure", transport: "configuration.ingress.transport",
        }),
    },
    [CLASSIC_CONTAINER_APP]: {
        view: props => fields(props, {
            ingress: "ingress", external: "ingress.externalEnabled",
            allowInsecure: "ingress.allowInsecureConnections", transport: "ingress.transport",
        }),
    },
};

export const containerAppPolicies = [
    viewPolicy<IngressView>({
        name: "azure-containerapp-allow-insecure",
        description: "Container apps, the hosts of Azure Functions on Container Apps, must not accept plain HTTP on an external ingress: requests, function keys and tokens would cross the internet in clear text.",
        severity: "high",
        threats: ["R2", "R4"],
        references: ["OWASP SAS-2"],
        remediation: "Set allowInsecure to false (classic Azure: ingress.allowInsecureConnections) so that plain HTTP requests are redirected to HTTPS.",
        adapters: INGRESS,
        check: ({ view: { ingress, external, allowInsecure, transport }, report, notApplicable }) => {
            if (!ingress.isSet() || asBoolean(external.read()) !== true) {
                notApplicable("the app has no external ingress");
            }
            if (asString(transport.read())?.toLowerCase() === "tcp") {
                notApplicable("the ingress carries TCP, not HTTP");
            }
            if (asBoolean(allowInsecure.read()) === true) {
                report(`${allowInsecure.where} is true on an external ingress, so the app answers plain HTTP from the internet; set it to false so that requests are redirected to HTTPS.`);
            }
        },
        remediate: view => asBoolean(view.external.read()) === true && asBoolean(view.allowInsecure.read()) === true
            ? view.allowInsecure.patch(false)
            : undefined,
    }),
];
