// API Gateway stages, method settings and custom domains (REST and HTTP/WebSocket APIs): what is
// logged, what is traced, what is cached and how callers connect.
import type { apigateway } from "@pulumi/aws";
import type { Unwrap } from "@pulumi/pulumi";
import { resourcePolicy } from "../lib/define";
import { detectSecret } from "../lib/secrets";
import { asBoolean, asString, at, isSet, keysOf, quote } from "../lib/values";

export const REST_STAGE = "aws:apigateway/stage:Stage";
export const HTTP_STAGE = "aws:apigatewayv2/stage:Stage";
export const METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings";
export const REST_DOMAIN = "aws:apigateway/domainName:DomainName";
export const HTTP_DOMAIN = "aws:apigatewayv2/domainName:DomainName";

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

    resourcePolicy<MethodSettingsProps>({
        name: "aws-apigateway-method-settings-logging",
        description: "API Gateway REST method settings should turn execution logging on (ERROR or INFO), so that authorizer and integration failures are recorded.",
        severity: "low",
        threats: ["P7"],
        references: ["Checkov CKV2_AWS_4"],
        remediation: "Set settings.loggingLevel to \"ERROR\" (or \"INFO\") and give API Gateway a CloudWatch role (aws.apigateway.Account).",
        resourceTypes: [METHOD_SETTINGS],
        check: ({ props, report }) => {
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
