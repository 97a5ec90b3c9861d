// Azure API Management in front of function apps: who may call an API (a subscription key, or a JWT
// checked by the API's policy), over which protocols, with which named values (where function keys
// toward the backend are kept) and how APIM checks the backend's certificate. azure-native and classic
// Azure describe the same contracts with different names (apiId / name, serviceName /
// apiManagementName, value / xmlContent, keyVault / valueFromKeyVault); the adapters below map them.
import { Adapters, Field, fields, viewPolicy } from "../lib/view";
import { isUnknown, knownString, Node, ResourceGraph } from "../lib/graph";
import type { OnUnknown } from "../model/core";
import { detectSecret } from "../lib/secrets";
import { PlainValue, plainValue, secretSettingMessage } from "../lib/provenance";
import { asBoolean, asString, asStrings, Dict, quote } from "../lib/values";

export const APIM_API = "azure-native:apimanagement:Api";
export const APIM_API_POLICY = "azure-native:apimanagement:ApiPolicy";
export const APIM_POLICY = "azure-native:apimanagement:Policy";
export const APIM_NAMED_VALUE = "azure-native:apimanagement:NamedValue";
export const APIM_BACKEND = "azure-native:apimanagement:Backend";
export const CLASSIC_APIM_API = "azure:apimanagement/api:Api";
export const CLASSIC_APIM_API_POLICY = "azure:apimanagement/apiPolicy:ApiPolicy";
export const CLASSIC_APIM_POLICY = "azure:apimanagement/policy:Policy";
export const CLASSIC_APIM_NAMED_VALUE = "azure:apimanagement/namedValue:NamedValue";
export const CLASSIC_APIM_BACKEND = "azure:apimanagement/backend:Backend";

/** Where a policy resource keeps its XML, the API it belongs to and its service, per provider. */
const POLICY_SHAPE: Record<string, { xml: string; link?: string; api?: string; service: string }> = {
    [APIM_API_POLICY]: { xml: "value", api: "apiId", service: "serviceName" },
    [APIM_POLICY]: { xml: "value", service: "serviceName" },
    [CLASSIC_APIM_API_POLICY]: { xml: "xmlContent", link: "xmlLink", api: "apiName", service: "apiManagementName" },
    [CLASSIC_APIM_POLICY]: { xml: "xmlContent", link: "xmlLink", service: "apiManagementId" },
};
const API_POLICIES = [APIM_API_POLICY, CLASSIC_APIM_API_POLICY];
const SERVICE_POLICIES = [APIM_POLICY, CLASSIC_APIM_POLICY];

/** Inbound policies that authenticate the caller: a JWT (Entra ID or any issuer) or a client certificate. */
const CALLER_AUTH = /<\s*(?:validate-jwt|validate-azure-ad-token|validate-client-certificate)\b/i;

/** Whether policy XML authenticates callers (comments are not policy). */
export function authenticatesCallers(xml: string): boolean {
    return CALLER_AUTH.test(xml.replace(/<!--[\s\S]*?-->/g, ""));
}

/** An API's name without its revision suffix ("orders;rev=2" is a revision of "orders"), lower-cased. */
const apiName = (value: unknown) => asString(value)?.split(";")[0].trim().toLowerCase();

/** The last segment of a service reference (a name, or an ARM id ending in the name), lower-cased. */
const serviceName = (value: unknown) => {
    const s = asString(value)?.trim().toLowerCase();
    return s === undefined || s === "" ? undefined : s.slice(s.lastIndexOf("/") + 1);
};

const known = knownString;

interface ApiView {
    subscriptionRequired: Field;
    protocols: Field;
}

const APIS: Adapters<ApiView> = {
    [APIM_API]: { view: props => fields(props, { subscriptionRequired: "subscriptionRequired", protocols: "protocols" }) },
    [CLASSIC_APIM_API]: { view: props => fields(props, { subscriptionRequired: "subscriptionRequired", protocols: "protocols" }) },
};

/** A segment of an ARM id (`.../service/<name>/apis/<name>/...`), lower-cased: what a read-back resource keeps of its path parameters. */
function armSegment(id: unknown, key: string): string | undefined {
    const m = new RegExp(`/${key}/([^/]+)`, "i").exec(known(id) ?? "");
    return m ? apiName(m[1]) : undefined;
}

/** The names an API is known by in the stack, and its service's. */
function apiIdentity(api: Node): { names: string[]; service?: string } {
    const p = api.props;
    const names = (api.type === APIM_API ? [p.apiId, p.name] : [p.name]).map(v => apiName(known(v))).concat(armSegment(p.id, "apis")).filter((n): n is string => !!n);
    return { names, service: serviceName(known(api.type === APIM_API ? p.serviceName : p.apiManagementName)) ?? armSegment(p.id, "service") };
}

/** The API a policy resource belongs to (by name or, read back from Azure, from its id), and its service. */
function policyTarget(p: Node): { api?: string; service?: string } {
    const shape = POLICY_SHAPE[p.type];
    return {
        api: (shape.api ? apiName(known(p.props[shape.api])) : undefined) ?? armSegment(p.props.id, "apis"),
        service: serviceName(known(p.props[shape.service])) ?? armSegment(p.props.id, "service"),
    };
}

interface NamedValueView {
    secret: Field;
    keyVault: Field;
    value: Field;
    names: string[];
    /** The value as a plaintext-secret check sees it (see lib/provenance.ts plainValue). */
    plain(name: string, where: string): PlainValue;
}

const NAMED_VALUES: Adapters<NamedValueView> = {
    [APIM_NAMED_VALUE]: {
        view: props => ({
            ...fields(props, { secret: "secret", keyVault: "keyVault.secretIdentifier", value: "value" }),
            names: [asString(props.displayName), asString(props.namedValueId)].filter((n): n is string => !!n),
            plain: (name, where) => plainValue(props, "value", "value", name, where),
        }),
    },
    [CLASSIC_APIM_NAMED_VALUE]: {
        view: props => ({
            ...fields(props, { secret: "secret", keyVault: "valueFromKeyVault.secretId", value: "value" }),
            names: [asString(props.displayName), asString(props.name)].filter((n): n is string => !!n),
            plain: (name, where) => plainValue(props, "value", "value", name, where),
        }),
    },
};

/** Names that say a named value holds a Functions key (function, host or master key; the x-functions-key header). */
const FUNCTION_KEY_WORDS = /(?:^|[^a-z])(?:func(?:tions?)?|host|master)[-_. ]?keys?(?:$|[^a-z])/;
const isFunctionKeyName = (name: string) => FUNCTION_KEY_WORDS.test(name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase());

const BACKENDS: Adapters<Record<"chain" | "name", Field>> = {
    [APIM_BACKEND]: { view: props => fields(props, { chain: "tls.validateCertificateChain", name: "tls.validateCertificateName" }) },
    [CLASSIC_APIM_BACKEND]: { view: props => fields(props, { chain: "tls.validateCertificateChain", name: "tls.validateCertificateName" }) },
};

export const API_NO_AUTH = "azure-apim-api-no-auth";
export const APIM_APIS = [APIM_API, CLASSIC_APIM_API];

/**
 * Whether a policy of an API (linked by dependency, or by name within the same service) or of its
 * service validates a JWT or a client certificate; undefined when one that might can't be read yet
 * (reported through `unknown`).
 */
export function policiesAuthenticate(graph: ResourceGraph, node: Node, unknown: OnUnknown): boolean | undefined {
    const me = apiIdentity(node);
    const candidates = [
        ...graph.ofType(...API_POLICIES).filter(p => {
            const shape = POLICY_SHAPE[p.type];
            if (graph.deps(p, shape.api!).some(d => d.urn === node.urn)) {
                return true;
            }
            const { api, service } = policyTarget(p);
            return api !== undefined && me.names.includes(api) && (service === undefined || me.service === undefined || service === me.service);
        }),
        ...graph.ofType(...SERVICE_POLICIES).filter(p => {
            const { service } = policyTarget(p);
            return service === undefined || me.service === undefined || service === me.service;
        }),
    ];
    let undecided = false;
    for (const p of candidates) {
        const shape = POLICY_SHAPE[p.type];
        // XML that API Management fetches from a URL (format xml-link / rawxml-link, classic xmlLink) isn't in the program.
        const linked = shape.link ? p.props[shape.link] !== undefined && p.props[shape.xml] === undefined : /link$/i.test(asString(p.props.format) ?? "");
        const xml = knownString(p.props[shape.xml]);
        if (linked || (xml === undefined && isUnknown(p.props[shape.xml]))) {
            unknown(p, linked && shape.link ? shape.link : shape.xml, linked ? "unrecorded" : undefined);
            undecided = true;
        } else if (xml !== undefined && authenticatesCallers(xml)) {
            return true;
        }
    }
    return undecided ? undefined : false;
}

/**
 * Whether anyone may call an API (what API_NO_AUTH reports): no subscription required and no policy
 * that authenticates callers. Undefined while a deciding value is unknown (reported through `unknown`).
 */
export function apiOpenToAnyone(graph: ResourceGraph, api: Node, unknown: OnUnknown): boolean | undefined {
    const { subscriptionRequired } = APIS[api.type].view(api.props, api.type);
    if (isUnknown(subscriptionRequired.read())) {
        unknown(api, subscriptionRequired.where);
        return undefined;
    }
    if (asBoolean(subscriptionRequired.read()) !== false) {
        return false;
    }
    const auth = policiesAuthenticate(graph, api, unknown);
    return auth === undefined ? undefined : !auth;
}

export const apimPolicies = [
    viewPolicy<ApiView>({
        name: API_NO_AUTH,
        description: "API Management APIs in front of function apps must authenticate callers: with subscriptionRequired false and no validate-jwt (or validate-azure-ad-token, validate-client-certificate) policy, anyone who finds the gateway URL can call the functions behind it.",
        severity: "high",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2"],
        remediation: "Keep subscriptionRequired true (the default), or add a validate-jwt (validate-azure-ad-token for Entra ID) inbound policy to the API's policy or to the service's global policy; for a deliberately public API record a dated exemption in this policy's exemptions config.",
        adapters: APIS,
        withStack: true,
        check: ({ view, report, stack }) => {
            if (asBoolean(view.subscriptionRequired.read()) !== false) {
                return;
            }
            const { graph, node, unknown } = stack();
            if (policiesAuthenticate(graph, node, unknown) === false) {
                report(`${view.subscriptionRequired.where} is false and no policy of the API or of its service validates a JWT or client certificate, so anyone can call the API and the functions behind it; require a subscription or add a validate-jwt (validate-azure-ad-token) inbound policy.`);
            }
        },
    }),

    viewPolicy<ApiView>({
        name: "azure-apim-api-http",
        description: "API Management APIs must accept HTTPS only: with \"http\" among their protocols, requests, subscription keys and tokens can cross the network in clear text.",
        severity: "high",
        threats: ["R2", "R4"],
        references: ["OWASP SAS-2"],
        remediation: "Remove \"http\" from protocols and keep \"https\" only.",
        adapters: APIS,
        check: ({ view: { protocols }, report }) => {
            if (asStrings(protocols.read()).some(p => p.trim().toLowerCase() === "http")) {
                report(`${protocols.where} includes "http", so API Management accepts plain HTTP requests for this API; keep "https" only.`);
            }
        },
        remediate: ({ protocols }) => {
            const list = asStrings(protocols.read());
            return list.some(p => p.trim().toLowerCase() === "http") ? protocols.patch(list.filter(p => p.trim().toLowerCase() !== "http")) : undefined;
        },
    }),

    viewPolicy<NamedValueView>({
        name: "azure-apim-named-value-plaintext-secret",
        description: "API Management named values that hold a function key or another secret must be secret or Key Vault references: a plain named value is shown to everyone who can read the API Management service.",
        severity: "critical",
        threats: ["P5", "R4"],
        references: ["OWASP SAS-7"],
        remediation: "Keep the key in Key Vault and reference it from the named value (keyVault.secretIdentifier; classic Azure: valueFromKeyVault.secretId) with the service's managed identity, or at least set secret to true; better, let API Management call the function with its managed identity instead of a function key.",
        adapters: NAMED_VALUES,
        provenance: true,
        check: ({ view, report }) => {
            if (asBoolean(view.secret.read()) === true || view.keyVault.isSet()) {
                return;
            }
            const label = view.names[0] ?? "";
            const fix = "reference a Key Vault secret instead (or set secret to true).";
            // The finding is on the named value itself; its display name is not quoted (a name can be anything, a key included).
            const where = "the named value's value";
            const v = view.plain(label, where);
            if (v.kind === "computed" || (v.kind === "marked" && v.value === undefined)) {
                report(secretSettingMessage(where, v.kind === "computed" ? v : { kind: "marked" }, fix));
                return;
            }
            if (v.kind === "reference") {
                return;
            }
            const value = v.value;
            const finding = view.names.map(n => detectSecret(n, value)).find(f => f !== undefined)
                ?? (typeof value === "string" && value.trim().length >= 20 && view.names.some(isFunctionKeyName) ? { kind: "function key" } : undefined);
            if (finding) {
                report(`${where} holds a secret in plain text (${finding.kind}) while secret is not true; ${fix}`);
            } else if (v.kind === "marked") {
                report(secretSettingMessage(where, { kind: "marked" }, fix));
            }
        },
    }),

    viewPolicy<Record<"chain" | "name", Field>>({
        name: "azure-apim-backend-tls-validation",
        description: "API Management backends (function apps behind the gateway) should keep certificate chain and name validation on, or anyone on the path between API Management and the function can impersonate the function.",
        severity: "medium",
        threats: ["R4", "R5"],
        remediation: "Remove tls.validateCertificateChain and tls.validateCertificateName or set them to true; for a backend with a private CA, upload the CA certificate to API Management instead of turning validation off.",
        adapters: BACKENDS,
        check: ({ view, report }) => {
            const off = [view.chain, view.name].filter(f => asBoolean(f.read()) === false).map(f => f.where);
            if (off.length > 0) {
                report(`${off.join(" and ")} ${off.length === 1 ? "is" : "are"} false, so API Management accepts any certificate from the backend; set ${off.length === 1 ? "it" : "them"} to true.`);
            }
        },
        remediate: view => {
            const patches = [view.chain, view.name].filter(f => asBoolean(f.read()) === false).map(f => f.patch(true)!);
            return patches.length === 0 ? undefined : { tls: Object.assign({}, ...patches.map(p => (p as Dict).tls)) };
        },
    }),
];
