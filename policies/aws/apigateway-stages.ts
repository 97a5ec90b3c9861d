// API Gateway stages, method settings and custom domains (REST and HTTP/WebSocket APIs): what is
// logged, what is traced, what is cached and how callers connect.
import type { apigateway } from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { LinkedStack, resourcePolicy } from "../lib/define";
import { isUnknown, knownString, Node, ResourceGraph } from "../lib/graph";
import { detectSecret } from "../lib/secrets";
import { asBoolean, asString, at, isRecord, isSet, keysOf, quote } from "../lib/values";
import { readOpenApi } from "../lib/openapi";
import { HTTP_API, REST_API } from "./openapi";

export const REST_STAGE = "aws:apigateway/stage:Stage";
export const HTTP_STAGE = "aws:apigatewayv2/stage:Stage";
export const METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings";
export const REST_DOMAIN = "aws:apigateway/domainName:DomainName";
export const HTTP_DOMAIN = "aws:apigatewayv2/domainName:DomainName";
export const REST_INTEGRATION = "aws:apigateway/integration:Integration";

export const REST_APIS = new Set([REST_API]);
const HTTP_APIS = new Set([HTTP_API]);
export const REST_STAGES = new Set([REST_STAGE]);

/** Execution logging is on at ERROR or INFO. */
const logs = (level: unknown) => ["ERROR", "INFO"].includes((asString(level) ?? "").toUpperCase());

/**
 * Whether `from` (method settings, a usage plan's stage entry) names a REST `stage`: linked through the
 * engine's dependencies, or by the same stage name on the same API; undefined when a deciding value is
 * unknown during preview.
 */
export function namesStage(g: ResourceGraph, from: Node, stageProp: string, stageName: unknown, apiProp: string, apiValue: unknown, stage: Node): boolean | undefined {
    if (g.deps(from, stageProp, REST_STAGES).includes(stage)) {
        return true;
    }
    const own = knownString(stage.props.stageName);
    if (isUnknown(stageName) || own === undefined) {
        return isUnknown(stageName) || isUnknown(stage.props.stageName) ? undefined : false;
    }
    if (knownString(stageName) !== own) {
        return false;
    }
    const apis = g.refs(from, apiProp, REST_APIS);
    const stageApis = g.refs(stage, "restApi", REST_APIS);
    if (apis.length > 0 && stageApis.length > 0) {
        return apis.some(a => stageApis.includes(a));
    }
    if (knownString(apiValue) && knownString(stage.props.restApi)) {
        return apiValue === stage.props.restApi;
    }
    return undefined;
}

/**
 * For a REST stage: whether some method settings for every method ("*\/*") name it (they carry the
 * logging level, checked on their own); undefined (recorded as waiting) when a link is unknown.
 */
function stageHasStageWideSettings({ graph, node, unknown }: LinkedStack): boolean | undefined {
    let undecided: Node | undefined;
    for (const ms of graph.ofType(METHOD_SETTINGS)) {
        const path = ms.props.methodPath;
        if (!isUnknown(path) && path !== "*/*") {
            continue;
        }
        const same = namesStage(graph, ms, "stageName", ms.props.stageName, "restApi", ms.props.restApi, node);
        if (same === true && !isUnknown(path)) {
            return true;
        }
        if (same !== false) {
            undecided = undecided ?? ms;
        }
    }
    if (undecided) {
        unknown(undecided, isUnknown(undecided.props.methodPath) ? "methodPath" : "stageName");
        return undefined;
    }
    return false;
}

/** The kinds of backend a REST API's integrations call ("HTTP" for HTTP and HTTP_PROXY), from Integration resources and the OpenAPI body. */
function restApiBackends({ graph, node, unknown }: LinkedStack): { http: boolean; undecided: boolean } {
    const out = { http: false, undecided: false };
    for (const api of graph.refs(node, "restApi", REST_APIS)) {
        for (const integration of graph.referrers(api, "restApi", [REST_INTEGRATION])) {
            const type = integration.props.type;
            if (isUnknown(type)) {
                unknown(integration, "type");
                out.undecided = true;
            } else if (/^HTTP(_PROXY)?$/i.test(asString(type) ?? "")) {
                out.http = true;
            }
        }
        const body = api.props.body;
        if (isUnknown(body)) {
            unknown(api, "body");
            out.undecided = true;
            continue;
        }
        const doc = readOpenApi(body);
        for (const path of Object.values(isRecord(doc?.paths) ? doc!.paths as Record<string, unknown> : {})) {
            for (const op of Object.values(isRecord(path) ? path : {})) {
                const type = at(op, "x-amazon-apigateway-integration", "type");
                if (/^http(_proxy)?$/i.test(asString(type) ?? "")) {
                    out.http = true;
                }
            }
        }
    }
    return out;
}

type MethodSettingsProps = Unwrap<apigateway.MethodSettingsArgs>;

/** One block of per-method or per-route settings (loggingLevel, dataTraceEnabled, caching), as messages name it. */
interface SettingsBlock {
    /** Its property path, e.g. "settings" or "routeSettings[0]". */
    where: string;
    /** Which methods it covers, for messages (the path itself is not quoted: it is user data). */
    scope: string;
    read(key: string): unknown;
}

/** The `settings` block of REST method settings. */
function methodSettings(props: MethodSettingsProps): SettingsBlock {
    return {
        where: "settings",
        scope: asString(props.methodPath) === "*/*" ? " for every method (*/*)" : "",
        read: key => at(props.settings, key),
    };
}

/** The route settings of an HTTP or WebSocket stage: defaultRouteSettings, then each routeSettings entry, read one at a time. */
function* routeSettings(props: Record<string, unknown>): Generator<SettingsBlock> {
    yield { where: "defaultRouteSettings", scope: "", read: key => at(props.defaultRouteSettings, key) };
    const routes = props.routeSettings;
    const count = Array.isArray(routes) ? routes.length : 0;
    for (let i = 0; i < count; i++) {
        yield { where: `routeSettings[${i}]`, scope: "", read: key => at((routes as unknown[])[i], key) };
    }
}

/** Stage variables: `variables` on REST stages, `stageVariables` on HTTP and WebSocket stages. */
const STAGE_VARIABLES: Record<string, string> = { [REST_STAGE]: "variables", [HTTP_STAGE]: "stageVariables" };

export const apiGatewayStagePolicies = [
    resourcePolicy({
        name: "aws-apigateway-stage-access-logging",
        description: "API Gateway stages should write access logs, so that who called which route, and when, can be traced after an incident.",
        severity: "medium",
        threats: ["P7", "R2"],
        references: ["Checkov CKV_AWS_76", "Checkov CKV_AWS_95"],
        remediation: "Set accessLogSettings.destinationArn to a CloudWatch log group (or Firehose stream) and accessLogSettings.format to a JSON format that includes the caller and request id.",
        resourceTypes: [REST_STAGE, HTTP_STAGE],
        check: ({ props, report }) => {
            if (!isSet(props.accessLogSettings, "destinationArn")) {
                report("accessLogSettings.destinationArn is not set: the stage keeps no access log; point it at a CloudWatch log group.");
            }
        },
    }),

    resourcePolicy<Unwrap<apigateway.StageArgs>>({
        name: "aws-apigateway-stage-xray",
        description: "API Gateway REST stages should have X-Ray tracing on, so that a request can be followed from the API into the functions it invokes.",
        severity: "low",
        threats: ["P7", "R5"],
        references: ["Checkov CKV_AWS_73"],
        remediation: "Set xrayTracingEnabled to true.",
        resourceTypes: [REST_STAGE],
        check: ({ props, report }) => {
            if (asBoolean(props.xrayTracingEnabled) !== true) {
                report("xrayTracingEnabled is not true; set it to true.");
            }
        },
        remediate: props => asBoolean(props.xrayTracingEnabled) === true ? undefined : { xrayTracingEnabled: true },
    }),

    resourcePolicy<Unwrap<apigateway.StageArgs>>({
        name: "aws-apigateway-stage-client-certificate",
        description: "API Gateway REST stages whose API calls HTTP backends should present a client certificate, so that the backend can tell API Gateway's requests from anyone else's (Lambda integrations don't need one).",
        severity: "low",
        threats: ["R2", "P1"],
        references: ["Checkov CKV2_AWS_51", "Prowler apigateway_restapi_client_certificate_enabled"],
        remediation: "Create an aws.apigateway.ClientCertificate, set the stage's clientCertificateId, and have the HTTP backend accept only requests that present it.",
        resourceTypes: [REST_STAGE],
        withStack: true,
        check: ({ props, report, notApplicable, stack }) => {
            if (isSet(props, "clientCertificateId")) {
                return;
            }
            const backends = restApiBackends(stack());
            if (backends.undecided && !backends.http) {
                return;
            }
            if (!backends.http) {
                notApplicable("the API integrates no HTTP backend in this stack (Lambda and AWS service integrations are called with IAM)");
            }
            report("clientCertificateId is not set, and the API calls an HTTP backend: the backend can't tell API Gateway's requests from anyone else's; set a client certificate and verify it in the backend.");
        },
    }),

    resourcePolicy({
        name: "aws-apigateway-stage-variables-secret",
        description: "API Gateway stage variables must not hold secrets: they are plain configuration, readable by anyone who can read the stage and passed to every integration.",
        severity: "critical",
        threats: ["P5", "R4"],
        references: ["OWASP SAS-3"],
        remediation: "Keep the secret in Secrets Manager or SSM Parameter Store and let the integration's function read it with its role; pass only its name or ARN in the stage variable.",
        resourceTypes: [REST_STAGE, HTTP_STAGE],
        check: ({ type, props, report, part }) => {
            const property = STAGE_VARIABLES[type];
            const vars = (props as Record<string, unknown>)[property];
            for (const key of keysOf(vars)) {
                part(() => {
                    const finding = detectSecret(key, (vars as Record<string, unknown>)[key]);
                    if (finding) {
                        report(`${property}.${key} holds a secret in plain text (${finding.kind}); pass a Secrets Manager or SSM parameter name instead.`);
                    }
                });
            }
        },
    }),

    resourcePolicy({
        name: "aws-apigateway-method-settings-logging",
        description: "API Gateway REST and WebSocket stages should have execution logging on (ERROR or INFO), so that authorizer and integration failures are recorded: REST stages through method settings for every method, WebSocket stages through their default route settings.",
        severity: "low",
        threats: ["P7"],
        references: ["Checkov CKV2_AWS_4", "Prowler apigateway_restapi_logging_enabled"],
        remediation: "Set settings.loggingLevel to \"ERROR\" (or \"INFO\") in an aws.apigateway.MethodSettings for methodPath \"*/*\" of each REST stage, or defaultRouteSettings.loggingLevel on a WebSocket stage, and give API Gateway a CloudWatch role (aws.apigateway.Account).",
        resourceTypes: [METHOD_SETTINGS, REST_STAGE, HTTP_STAGE],
        withStack: true,
        check: ({ type, props: raw, report, notApplicable, stack }) => {
            if (type === REST_STAGE) {
                const linked = stack();
                const covered = stageHasStageWideSettings(linked);
                if (covered === false) {
                    report(`no MethodSettings for "*/*" names this stage, so execution logging is off for every method; add one with settings.loggingLevel "ERROR" or "INFO".`);
                }
                return;
            }
            if (type === HTTP_STAGE) {
                if (logs(at(raw.defaultRouteSettings, "loggingLevel"))) {
                    return;
                }
                const { graph, node, unknown } = stack();
                const found = graph.resolve(node, "apiId", HTTP_APIS);
                if (found.nodes.length !== 1) {
                    if (found.undecided || (found.nodes.length === 0 && isUnknown(node.props.apiId))) {
                        unknown(node, "apiId", found.undecided ? "ambiguous" : undefined);
                        return;
                    }
                    notApplicable("the stage's API is not in this stack, so whether it is a WebSocket API is not known");
                }
                const protocol = found.nodes[0].props.protocolType;
                if (isUnknown(protocol)) {
                    unknown(found.nodes[0], "protocolType");
                    return;
                }
                if ((asString(protocol) ?? "").toUpperCase() !== "WEBSOCKET") {
                    notApplicable("HTTP APIs have no execution logs (access logs cover them)");
                }
                const level = asString(at(node.props.defaultRouteSettings, "loggingLevel"));
                report(`defaultRouteSettings.loggingLevel ${level === undefined ? "is not set" : level.toUpperCase() === "OFF" ? "is \"OFF\"" : "is not \"ERROR\" or \"INFO\""} on this WebSocket stage: execution logging is off; set it to "ERROR" or "INFO".`);
                return;
            }
            const props = raw as MethodSettingsProps;
            const settings = methodSettings(props);
            const level = asString(settings.read("loggingLevel"))?.toUpperCase();
            if (level !== "ERROR" && level !== "INFO") {
                const is = level === undefined ? "is not set" : level === "OFF" ? "is \"OFF\"" : "is not \"ERROR\" or \"INFO\"";
                report(`${settings.where}.loggingLevel ${is}${settings.scope}: execution logging is off; set it to "ERROR" or "INFO".`);
            }
        },
    }),

    resourcePolicy({
        name: "aws-apigateway-data-trace",
        description: "API Gateway data tracing must stay off in deployed stages: it logs whole requests and responses, tokens and personal data included.",
        severity: "high",
        threats: ["R4", "P5"],
        references: ["Checkov CKV_AWS_276"],
        remediation: "Set dataTraceEnabled to false (settings.dataTraceEnabled on REST method settings, defaultRouteSettings / routeSettings on WebSocket stages) and use access logs with selected fields instead.",
        resourceTypes: [METHOD_SETTINGS, HTTP_STAGE],
        check: ({ type, props, report, part }) => {
            const blocks = type === METHOD_SETTINGS ? [methodSettings(props as MethodSettingsProps)] : routeSettings(props as Record<string, unknown>);
            for (const settings of blocks) {
                part(() => {
                    if (asBoolean(settings.read("dataTraceEnabled")) === true) {
                        report(`${settings.where}.dataTraceEnabled is true${settings.scope}; set it to false.`);
                    }
                });
            }
        },
    }),

    resourcePolicy<MethodSettingsProps>({
        name: "aws-apigateway-cache-encryption",
        description: "When API Gateway caches responses, the cache must be encrypted: cached responses hold the same data the functions return.",
        severity: "medium",
        threats: ["R4"],
        references: ["Checkov CKV_AWS_308"],
        remediation: "Set settings.cacheDataEncrypted to true wherever settings.cachingEnabled is true.",
        resourceTypes: [METHOD_SETTINGS],
        check: ({ props, report, notApplicable }) => {
            const settings = methodSettings(props);
            if (asBoolean(settings.read("cachingEnabled")) !== true) {
                notApplicable("caching is off");
            }
            if (asBoolean(settings.read("cacheDataEncrypted")) !== true) {
                report(`${settings.where}.cachingEnabled is true but ${settings.where}.cacheDataEncrypted is not${settings.scope}; set it to true.`);
            }
        },
        remediate: props => {
            const settings = methodSettings(props);
            return asBoolean(settings.read("cachingEnabled")) === true && asBoolean(settings.read("cacheDataEncrypted")) !== true
                ? { settings: { cacheDataEncrypted: true } } : undefined;
        },
    }),

    resourcePolicy({
        name: "aws-apigateway-domain-tls",
        description: "API Gateway custom domains must refuse TLS 1.0 and 1.1: set a TLS 1.2 (or newer) security policy.",
        severity: "medium",
        threats: ["R4", "R2"],
        references: ["Checkov CKV_AWS_206"],
        remediation: "Set securityPolicy (REST) or domainNameConfiguration.securityPolicy (HTTP and WebSocket) to \"TLS_1_2\" or a newer security policy.",
        resourceTypes: [REST_DOMAIN, HTTP_DOMAIN],
        check: ({ type, props, report }) => {
            const path = type === REST_DOMAIN ? "securityPolicy" : "domainNameConfiguration.securityPolicy";
            const value = type === REST_DOMAIN ? (props as Record<string, unknown>).securityPolicy : at(props, "domainNameConfiguration", "securityPolicy");
            const policy = asString(value);
            if (policy === undefined || policy.trim() === "") {
                if (type === REST_DOMAIN) {
                    report(`${path} is not set, so the domain may accept TLS 1.0 (API Gateway's older default); set it to "TLS_1_2".`);
                }
            } else if (policy.trim().toUpperCase() === "TLS_1_0") {
                report(`${path} is "TLS_1_0", which accepts TLS 1.0 and 1.1; set it to "TLS_1_2".`);
            }
        },
    }),
];
