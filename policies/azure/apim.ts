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
import { asBoolean, asString, asStrings, Dict, quote, wordList } from "../lib/values";
import { ALL_APPS, isClassicApp } from "../model/azure/types";
import { isFunctionAppKind } from "./common";

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
export const APIM_API_OPERATION = "azure-native:apimanagement:ApiOperation";
export const APIM_API_OPERATION_POLICY = "azure-native:apimanagement:ApiOperationPolicy";
export const CLASSIC_APIM_API_OPERATION = "azure:apimanagement/apiOperation:ApiOperation";
export const CLASSIC_APIM_API_OPERATION_POLICY = "azure:apimanagement/apiOperationPolicy:ApiOperationPolicy";

/**
 * Where a policy resource (or an operation, which may carry its policy inline) keeps its XML, the API
 * and operation it belongs to and its service, per provider.
 */
const POLICY_SHAPE: Record<string, { xml: string; link?: string; api?: string; operation?: string; service: string }> = {
    [APIM_API_POLICY]: { xml: "value", api: "apiId", service: "serviceName" },
    [APIM_POLICY]: { xml: "value", service: "serviceName" },
    [CLASSIC_APIM_API_POLICY]: { xml: "xmlContent", link: "xmlLink", api: "apiName", service: "apiManagementName" },
    [CLASSIC_APIM_POLICY]: { xml: "xmlContent", link: "xmlLink", service: "apiManagementId" },
    [APIM_API_OPERATION_POLICY]: { xml: "value", api: "apiId", operation: "operationId", service: "serviceName" },
    [CLASSIC_APIM_API_OPERATION_POLICY]: { xml: "xmlContent", link: "xmlLink", api: "apiName", operation: "operationId", service: "apiManagementName" },
    [APIM_API_OPERATION]: { xml: "policies", api: "apiId", operation: "operationId", service: "serviceName" },
    [CLASSIC_APIM_API_OPERATION]: { xml: "", api: "apiName", operation: "operationId", service: "apiManagementName" },
};
const API_POLICIES = [APIM_API_POLICY, CLASSIC_APIM_API_POLICY];
const SERVICE_POLICIES = [APIM_POLICY, CLASSIC_APIM_POLICY];
/** The resources that declare an operation of an API or set its policy. */
const OPERATION_RESOURCES = [APIM_API_OPERATION, CLASSIC_APIM_API_OPERATION, APIM_API_OPERATION_POLICY, CLASSIC_APIM_API_OPERATION_POLICY];

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

/** The API (and operation) a policy or operation resource belongs to (by name or, read back from Azure, from its id), and its service. */
function policyTarget(p: Node): { api?: string; operation?: string; service?: string } {
    const shape = POLICY_SHAPE[p.type];
    return {
        api: (shape.api ? apiName(known(p.props[shape.api])) : undefined) ?? armSegment(p.props.id, "apis"),
        operation: shape.operation ? (asString(known(p.props[shape.operation]))?.toLowerCase()
            ?? (p.type === APIM_API_OPERATION ? asString(known(p.props.name))?.toLowerCase() : undefined) ?? armSegment(p.props.id, "operations")) : undefined,
        service: serviceName(known(p.props[shape.service])) ?? armSegment(p.props.id, "service"),
    };
}

/** Whether a policy or operation resource belongs to the API: linked by dependency, or by name within the same service. */
function belongsTo(graph: ResourceGraph, p: Node, api: Node, me: { names: string[]; service?: string }): boolean {
    const shape = POLICY_SHAPE[p.type];
    if (graph.deps(p, shape.api!).some(d => d.urn === api.urn)) {
        return true;
    }
    const { api: name, service } = policyTarget(p);
    return name !== undefined && me.names.includes(name) && (service === undefined || me.service === undefined || service === me.service);
}

/**
 * The policy and operation resources of an API (of the given types), in the stack's order. Candidates
 * come from an index built once per graph (by the API they depend on and by the API name they give),
 * so that a stack with many APIs doesn't compare every API with every policy.
 */
function membersOf(graph: ResourceGraph, api: Node, types: readonly string[]): Node[] {
    const index = graph.remember("azure-apim:api-members", () => {
        const byDep = new Map<string, Node[]>();
        const byName = new Map<string, Node[]>();
        const order = new Map<Node, number>();
        const add = (map: Map<string, Node[]>, key: string, p: Node) => {
            const list = map.get(key) ?? [];
            list.push(p);
            map.set(key, list);
        };
        graph.ofType(...API_POLICIES, ...OPERATION_RESOURCES).forEach((p, i) => {
            order.set(p, i);
            new Set(graph.deps(p, POLICY_SHAPE[p.type].api!).map(d => d.urn)).forEach(urn => add(byDep, urn, p));
            const name = policyTarget(p).api;
            if (name !== undefined) {
                add(byName, name, p);
            }
        });
        return { byDep, byName, order };
    });
    const me = apiIdentity(api);
    const candidates = new Set([...index.byDep.get(api.urn) ?? [], ...me.names.flatMap(n => index.byName.get(n) ?? [])]);
    return [...candidates]
        .filter(p => types.includes(p.type) && belongsTo(graph, p, api, me))
        .sort((a, b) => index.order.get(a)! - index.order.get(b)!);
}

/**
 * Whether a policy resource's XML authenticates callers; undefined when it can't be read (computed, or
 * fetched by API Management from a link: reported through `unknown`).
 */
function xmlAuthenticates(p: Node, unknown: OnUnknown): boolean | undefined {
    const shape = POLICY_SHAPE[p.type];
    if (shape.xml === "") {
        return false;
    }
    // XML that API Management fetches from a URL (format xml-link / rawxml-link, classic xmlLink) isn't in the program.
    const linked = shape.link ? p.props[shape.link] !== undefined && p.props[shape.xml] === undefined : /link$/i.test(asString(p.props.format) ?? "");
    const xml = knownString(p.props[shape.xml]);
    if (linked || (xml === undefined && isUnknown(p.props[shape.xml]))) {
        unknown(p, linked && shape.link ? shape.link : shape.xml, linked ? "unrecorded" : undefined);
        return undefined;
    }
    return xml !== undefined && authenticatesCallers(xml);
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
        ...membersOf(graph, node, API_POLICIES),
        ...graph.ofType(...SERVICE_POLICIES).filter(p => {
            const { service } = policyTarget(p);
            return service === undefined || me.service === undefined || service === me.service;
        }),
    ];
    let undecided = false;
    for (const p of candidates) {
        const auth = xmlAuthenticates(p, unknown);
        if (auth === true) {
            return true;
        }
        undecided ||= auth === undefined;
    }
    return undecided ? undefined : false;
}

/** Who may call an API without authenticating: every operation, or the named ones (none: every caller authenticates). */
export type OpenOperations = { every: true } | { every: false; names: string[] };

/**
 * The operations of an API that authenticate no caller: all of them when neither the API, its service
 * nor any operation policy validates a JWT or client certificate; else, when only operation policies
 * do, the operations declared in the stack that have none. Undefined while a deciding value is unknown,
 * or when the operations come from an imported definition (which operations an operation policy leaves
 * out can't be told).
 */
export function unauthenticatedApiOperations(graph: ResourceGraph, api: Node, unknown: OnUnknown): OpenOperations | undefined {
    const whole = policiesAuthenticate(graph, api, unknown);
    if (whole !== false) {
        return whole === undefined ? undefined : { every: false, names: [] };
    }
    // Per operation: whether one of its policies authenticates callers ("unknown" while one can't be read).
    const operations = new Map<string, "yes" | "no" | "unknown">();
    for (const r of membersOf(graph, api, OPERATION_RESOURCES)) {
        const operation = policyTarget(r).operation;
        if (operation === undefined) {
            unknown(r, POLICY_SHAPE[r.type].operation!);
            return undefined;
        }
        const auth = xmlAuthenticates(r, unknown);
        const before = operations.get(operation);
        operations.set(operation, before === "yes" || auth === true ? "yes" : before === "unknown" || auth === undefined ? "unknown" : "no");
    }
    const states = [...operations.values()];
    if (states.includes("unknown")) {
        return undefined;
    }
    if (!states.includes("yes")) {
        return { every: true };
    }
    // Operations imported from a definition (azure-native value, classic import) aren't resources of the stack.
    const imported = api.type === APIM_API ? "value" : "import";
    if (api.props[imported] !== undefined && api.props[imported] !== null) {
        unknown(api, imported, "unrecorded");
        return undefined;
    }
    return { every: false, names: [...operations].filter(([, auth]) => auth === "no").map(([name]) => name).sort() };
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
    const open = unauthenticatedApiOperations(graph, api, unknown);
    return open === undefined ? undefined : open.every || open.names.length > 0;
}

/** The host names a function app answers on: its default host name, or `<name>.azurewebsites.net` from its known name (names are unique there). */
function appHosts(app: Node): string[] {
    const hosts = [app.props.defaultHostName, app.props.defaultHostname].map(knownString).filter((h): h is string => h !== undefined);
    const name = knownString(app.props.name);
    if (name) {
        hosts.push(`${name}.azurewebsites.net`);
    }
    return hosts.map(h => h.toLowerCase());
}

/** The host of a URL, lower-cased, or undefined. */
function hostOf(url: string): string | undefined {
    try {
        return new URL(url).hostname.toLowerCase();
    } catch {
        return undefined;
    }
}

/** `<set-backend-service backend-id="..." />` and `base-url="..."` in policy XML (comments are not policy). */
const SET_BACKEND = /<\s*set-backend-service\b([^>]*)>/gi;
const attribute = (attrs: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, "i").exec(attrs)?.slice(2).find(v => v !== undefined);

/**
 * The function apps an API forwards to: named by its serviceUrl (the app's host, or computed from the
 * app), or selected by a set-backend-service policy of the API or its operations (a base-url on an
 * app's host, or a backend-id naming a Backend whose url or resourceId is the app's). Apps whose kind
 * is unknown are reported through `unknown`; undefined when the serviceUrl is computed from nothing
 * the stack records.
 */
export function functionAppBackends(graph: ResourceGraph, api: Node, unknown: OnUnknown): Node[] | undefined {
    // The apps by host name and by name, indexed once per graph (not once per API).
    const { appsByHost, appsByName } = graph.remember("azure-apim:apps", () => {
        const byHost = new Map<string, Node[]>();
        const byName = new Map<string, Node[]>();
        for (const app of graph.ofType(...ALL_APPS)) {
            for (const host of new Set(appHosts(app))) {
                byHost.set(host, [...byHost.get(host) ?? [], app]);
            }
            const name = knownString(app.props.name)?.toLowerCase();
            if (name !== undefined) {
                byName.set(name, [...byName.get(name) ?? [], app]);
            }
        }
        return { appsByHost: byHost, appsByName: byName };
    });
    const named = new Set<Node>();
    const byUrl = (url: unknown) => {
        const host = hostOf(knownString(url) ?? "");
        (host === undefined ? [] : appsByHost.get(host) ?? []).forEach(app => named.add(app));
    };
    const url = api.props.serviceUrl;
    if (isUnknown(url)) {
        const deps = graph.deps(api, "serviceUrl");
        if (deps.length === 0) {
            unknown(api, "serviceUrl");
            return undefined;
        }
        deps.filter(d => ALL_APPS.has(d.type)).forEach(app => named.add(app));
    } else {
        byUrl(url);
    }
    const me = apiIdentity(api);
    const mine = membersOf(graph, api, [...API_POLICIES, ...OPERATION_RESOURCES]);
    const backendIds = new Set<string>();
    for (const p of mine) {
        const xml = knownString(p.props[POLICY_SHAPE[p.type].xml])?.replace(/<!--[\s\S]*?-->/g, "") ?? "";
        for (const m of xml.length <= 1_000_000 ? xml.matchAll(SET_BACKEND) : []) {
            const id = attribute(m[1], "backend-id");
            if (id) {
                backendIds.add(id.trim().toLowerCase());
            }
            byUrl(attribute(m[1], "base-url"));
        }
    }
    if (backendIds.size > 0) {
        for (const b of graph.ofType(APIM_BACKEND, CLASSIC_APIM_BACKEND)) {
            const id = asString(known(b.type === APIM_BACKEND ? b.props.backendId ?? b.props.name : b.props.name))?.toLowerCase() ?? armSegment(b.props.id, "backends");
            const service = serviceName(known(b.type === APIM_BACKEND ? b.props.serviceName : b.props.apiManagementName)) ?? armSegment(b.props.id, "service");
            if (id === undefined || !backendIds.has(id) || (service !== undefined && me.service !== undefined && service !== me.service)) {
                continue;
            }
            byUrl(b.props.url);
            graph.deps(b, "url", ALL_APPS).concat(graph.deps(b, "resourceId", ALL_APPS)).forEach(app => named.add(app));
            const site = /\/sites\/([^/]+)\/?$/i.exec(knownString(b.props.resourceId) ?? "")?.[1]?.toLowerCase();
            (site === undefined ? [] : appsByName.get(site) ?? []).forEach(app => named.add(app));
        }
    }
    // Only function apps are this pack's business; a web app whose kind is unknown can't be told yet.
    return [...named].filter(app => {
        if (isClassicApp(app)) {
            return true;
        }
        if (isUnknown(app.props.kind)) {
            unknown(app, "kind");
            return false;
        }
        return isFunctionAppKind(app.props.kind);
    });
}

export const apimPolicies = [
    viewPolicy<ApiView>({
        name: API_NO_AUTH,
        description: "API Management APIs in front of function apps (serviceUrl or a set-backend-service backend in the stack) must authenticate callers: with subscriptionRequired false and no validate-jwt (or validate-azure-ad-token, validate-client-certificate) policy on the API, its service or each of its operations, anyone who finds the gateway URL can call the functions behind it.",
        severity: "high",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2"],
        remediation: "Keep subscriptionRequired true (the default), or add a validate-jwt (validate-azure-ad-token for Entra ID) inbound policy to the API's policy, to the policy of each of its operations or to the service's global policy; for a deliberately public API record a dated exemption in this policy's exemptions config.",
        adapters: APIS,
        withStack: true,
        check: ({ view, report, stack }) => {
            if (asBoolean(view.subscriptionRequired.read()) !== false) {
                return;
            }
            const { graph, node, unknown } = stack();
            const backends = functionAppBackends(graph, node, unknown);
            if (backends === undefined || backends.length === 0) {
                return;
            }
            const open = unauthenticatedApiOperations(graph, node, unknown);
            if (open?.every) {
                report(`${view.subscriptionRequired.where} is false and no policy of the API or of its service validates a JWT or client certificate, so anyone can call the API and the functions behind it; require a subscription or add a validate-jwt (validate-azure-ad-token) inbound policy.`);
            } else if (open && open.names.length > 0) {
                report(`${view.subscriptionRequired.where} is false and no policy of the API or of its service validates a JWT or client certificate; operation${open.names.length > 1 ? "s" : ""} ${wordList(open.names.slice(0, 10).map(quote))}${open.names.length > 10 ? ` and ${open.names.length - 10} more` : ""} ${open.names.length > 1 ? "have" : "has"} no operation policy that does, so anyone can call ${open.names.length > 1 ? "them" : "it"} and the functions behind the API; require a subscription or add a validate-jwt (validate-azure-ad-token) inbound policy to the API or to ${open.names.length > 1 ? "those operations" : "that operation"}.`);
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
