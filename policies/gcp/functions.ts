// Google Cloud Functions: gen 1 (`cloudfunctions.Function`, settings at the top level) and gen 2
// (`cloudfunctionsv2.Function`, settings under buildConfig / serviceConfig). Each policy reads its
// setting through FIELDS, so one check covers both generations and names the exact property.
import { resourcePolicy } from "../lib/define";
import { GCP_CLOUD_FUNCTIONS_GEN1_RUNTIMES, GCP_CLOUD_FUNCTIONS_RUNTIMES } from "../data/runtimes-gcp";
import { evaluationDate, RUNTIME_CONFIG, runtimeStatus, suggestedRuntime } from "../lib/runtimes";
import { detectSecret } from "../lib/secrets";
import { asBoolean, asNumber, asString, asStrings, at, Dict, isSet, keysOf, quote } from "../lib/values";
import { cmekPolicy, defaultServiceAccount, describeValue, isSetAt, serviceAccountEmail } from "./common";

export const FUNCTION_V1 = "gcp:cloudfunctions/function:Function";
export const FUNCTION_V2 = "gcp:cloudfunctionsv2/function:Function";
const FUNCTIONS = [FUNCTION_V1, FUNCTION_V2];

type Setting = "runtime" | "serviceAccount" | "ingress" | "maxInstances" | "timeout" | "env" | "buildEnv"
    | "secretEnv" | "vpcConnector" | "egress";

/** Where each setting lives in each generation. */
const FIELDS: Record<string, Record<Setting, readonly string[]>> = {
    [FUNCTION_V1]: {
        runtime: ["runtime"], serviceAccount: ["serviceAccountEmail"], ingress: ["ingressSettings"],
        maxInstances: ["maxInstances"], timeout: ["timeout"], env: ["environmentVariables"],
        buildEnv: ["buildEnvironmentVariables"], secretEnv: ["secretEnvironmentVariables"],
        vpcConnector: ["vpcConnector"], egress: ["vpcConnectorEgressSettings"],
    },
    [FUNCTION_V2]: {
        runtime: ["buildConfig", "runtime"], serviceAccount: ["serviceConfig", "serviceAccountEmail"],
        ingress: ["serviceConfig", "ingressSettings"], maxInstances: ["serviceConfig", "maxInstanceCount"],
        timeout: ["serviceConfig", "timeoutSeconds"], env: ["serviceConfig", "environmentVariables"],
        buildEnv: ["buildConfig", "environmentVariables"], secretEnv: ["serviceConfig", "secretEnvironmentVariables"],
        vpcConnector: ["serviceConfig", "vpcConnector"], egress: ["serviceConfig", "vpcConnectorEgressSettings"],
    },
};

/** A setting's dotted path and a reader (which throws the SDK's unknown error for unknown values). */
function field(type: string, props: Dict, setting: Setting): { path: string; isSet: () => boolean; read: () => unknown } {
    const path = FIELDS[type][setting];
    return { path: path.join("."), isSet: () => isSetAt(props, path), read: () => at(props, ...path) };
}

/** Gen-1 functions are either HTTP-triggered or event-triggered; gen-2 functions always have an HTTPS endpoint. */
function hasHttpEndpoint(type: string, props: Dict): boolean {
    return type === FUNCTION_V2 || asBoolean(props.triggerHttp) === true;
}

const INGRESS_VALUES = ["ALLOW_ALL", "ALLOW_INTERNAL_ONLY", "ALLOW_INTERNAL_AND_GCLB"];

export const functionPolicies = [
    resourcePolicy({
        name: "gcp-cloudfunction-env-plaintext-secret",
        description: "Cloud Functions environment and build environment variables must not hold secrets in plain text; anyone who can view the function can read them.",
        severity: "critical",
        threats: ["P5", "R4"],
        references: ["OWASP SAS-3"],
        remediation: "Store the secret in Secret Manager and expose it with secretEnvironmentVariables or secretVolumes (serviceConfig.secretEnvironmentVariables / secretVolumes in gen 2); grant the function's service account roles/secretmanager.secretAccessor on that secret only.",
        resourceTypes: FUNCTIONS,
        check: ({ type, props, report, part }) => {
            const secretPath = field(type, props, "secretEnv").path;
            for (const setting of ["env", "buildEnv"] as const) {
                const f = field(type, props, setting);
                const fix = setting === "env"
                    ? `move it to Secret Manager and reference it through ${secretPath}.`
                    : "remove it; build variables are stored with the function, so keep build-time secrets in Secret Manager and read them during the build.";
                part(() => {
                    const vars = f.read();
                    for (const key of keysOf(vars)) {
                        part(() => {
                            const finding = detectSecret(key, (vars as Dict)[key]);
                            if (finding) {
                                report(`${f.path}.${key} holds a secret in plain text (${finding.kind}); ${fix}`);
                            }
                        });
                    }
                });
            }
        },
    }),

    resourcePolicy({
        name: "gcp-cloudfunction-service-account",
        description: "Cloud Functions must run as a dedicated service account, not the default Compute Engine or App Engine one, which is shared by every workload and is a project Editor on older projects.",
        severity: "high",
        threats: ["P2", "R5"],
        references: ["CIS GCP Foundations 1.5", "OWASP SAS-5"],
        remediation: "Create a service account for this function, grant it only the roles the function needs, and set serviceAccountEmail (serviceConfig.serviceAccountEmail in gen 2) to its email.",
        resourceTypes: FUNCTIONS,
        check: ({ type, props, report }) => {
            const f = field(type, props, "serviceAccount");
            const value = asString(f.read())?.trim();
            if (!value) {
                const fallback = type === FUNCTION_V1 ? "the App Engine default service account" : "the Compute Engine default service account";
                report(`${f.path} is not set, so the function runs as ${fallback}; set it to a dedicated service account with only the roles the function needs.`);
                return;
            }
            const which = defaultServiceAccount(serviceAccountEmail(value));
            if (which) {
                report(`${f.path} is ${which}; set it to a dedicated service account with only the roles the function needs.`);
            }
        },
    }),

    resourcePolicy({
        name: "gcp-cloudfunction-https-only",
        description: "HTTP-triggered gen-1 Cloud Functions must only accept HTTPS, or requests and their credentials can travel in clear text.",
        severity: "high",
        threats: ["R2", "R4"],
        references: ["OWASP SAS-2"],
        remediation: "Set httpsTriggerSecurityLevel to \"SECURE_ALWAYS\" (plain HTTP requests are then redirected to HTTPS).",
        resourceTypes: [FUNCTION_V1],
        check: ({ props, report, notApplicable }) => {
            if (asBoolean(props.triggerHttp) !== true) {
                notApplicable("not an HTTP-triggered function");
            }
            const level = asString(props.httpsTriggerSecurityLevel);
            if (level !== "SECURE_ALWAYS") {
                report(`httpsTriggerSecurityLevel is ${describeValue(level, ["SECURE_OPTIONAL"])}, so the function also answers plain HTTP; set it to "SECURE_ALWAYS".`);
            }
        },
        remediate: props => asBoolean(props.triggerHttp) === true && props.httpsTriggerSecurityLevel !== "SECURE_ALWAYS"
            ? { httpsTriggerSecurityLevel: "SECURE_ALWAYS" }
            : undefined,
    }),

    resourcePolicy<Dict, { allowedIngress: string[] }>({
        name: "gcp-cloudfunction-ingress",
        description: "Cloud Functions should not accept requests from the whole internet (ingress ALLOW_ALL) unless they are meant to be public.",
        severity: "medium",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2"],
        remediation: "Set ingressSettings (serviceConfig.ingressSettings in gen 2) to \"ALLOW_INTERNAL_ONLY\", or to \"ALLOW_INTERNAL_AND_GCLB\" with an external Application Load Balancer and Cloud Armor in front of a public function.",
        resourceTypes: FUNCTIONS,
        config: {
            allowedIngress: {
                type: "array", items: { type: "string", enum: INGRESS_VALUES }, default: ["ALLOW_INTERNAL_ONLY", "ALLOW_INTERNAL_AND_GCLB"],
                description: "Ingress settings allowed; e.g. [\"ALLOW_INTERNAL_ONLY\"] to require internal-only functions.",
            },
        },
        check: ({ type, props, report, config, notApplicable }) => {
            if (!hasHttpEndpoint(type, props)) {
                notApplicable("event-triggered gen-1 functions have no HTTP endpoint");
            }
            const f = field(type, props, "ingress");
            const value = asString(f.read());
            const effective = value ?? "ALLOW_ALL";
            const allowed = asStrings(config.allowedIngress);
            if (!allowed.includes(effective)) {
                const state = value === undefined ? "not set, so it defaults to \"ALLOW_ALL\"" : describeValue(value, INGRESS_VALUES);
                report(`${f.path} is ${state}, which the organization does not allow; set it to ${allowed.map(a => `"${a}"`).join(" or ") || "an allowed value"}.`);
            }
        },
    }),

    resourcePolicy<Dict, { maxInstances: number }>({
        name: "gcp-cloudfunction-max-instances",
        description: "Cloud Functions should cap their instance count so that a flood of requests or events can't scale them without limit and run up the bill (denial of wallet).",
        severity: "medium",
        threats: ["P4"],
        remediation: "Set maxInstances (serviceConfig.maxInstanceCount in gen 2) to the highest number of instances the function needs, at or below the configured ceiling.",
        resourceTypes: FUNCTIONS,
        config: {
            maxInstances: { type: "integer", minimum: 1, default: 100, description: "Highest instance cap allowed." },
        },
        check: ({ type, props, report, config }) => {
            const f = field(type, props, "maxInstances");
            const cap = asNumber(f.read());
            if (cap === undefined || cap <= 0) {
                report(`${f.path} is not set, so the function scales up to the platform's limit; set an explicit cap of at most ${config.maxInstances}.`);
            } else if (cap > config.maxInstances) {
                report(`${f.path} is ${cap}, above the ceiling of ${config.maxInstances}; lower it.`);
            }
        },
    }),

    resourcePolicy<Dict, { maxTimeoutSeconds: number }>({
        name: "gcp-cloudfunction-timeout",
        description: "Cloud Functions timeouts should stay short so that a stuck or abused invocation can't run (and bill) for up to an hour.",
        severity: "low",
        threats: ["P4"],
        remediation: "Lower timeout (serviceConfig.timeoutSeconds in gen 2) to what the function needs, at or below the configured maximum.",
        resourceTypes: FUNCTIONS,
        config: {
            maxTimeoutSeconds: { type: "integer", minimum: 1, maximum: 3600, default: 300, description: "Longest timeout allowed, in seconds." },
        },
        check: ({ type, props, report, config }) => {
            const f = field(type, props, "timeout");
            const timeout = asNumber(f.read());
            if (timeout !== undefined && timeout > config.maxTimeoutSeconds) {
                report(`${f.path} is ${timeout} seconds, above the maximum of ${config.maxTimeoutSeconds}; lower it.`);
            }
        },
    }),

    cmekPolicy({
        name: "gcp-cloudfunction-cmek",
        description: "Where the organization requires customer-managed encryption keys, Cloud Functions must encrypt their source and image with a Cloud KMS key.",
        threats: ["R4"],
        remediation: "Set kmsKeyName to a Cloud KMS key, use an Artifact Registry repository (dockerRepository / buildConfig.dockerRepository) encrypted with the same key, and grant the Cloud Functions and Artifact Registry service agents roles/cloudkms.cryptoKeyEncrypterDecrypter on it.",
        resourceTypes: FUNCTIONS,
        missingKeys: props => isSet(props, "kmsKeyName") ? [] : ["kmsKeyName"],
    }),

    resourcePolicy<Dict, { requireVpcEgress: boolean }>({
        name: "gcp-cloudfunction-vpc-egress",
        description: "Where the organization requires it, Cloud Functions must send all outbound traffic through a VPC (Serverless VPC Access connector or Direct VPC egress), so that firewall rules, Cloud NAT and logging apply to it.",
        severity: "medium",
        threats: ["R5", "P7"],
        remediation: "Set vpcConnector and vpcConnectorEgressSettings \"ALL_TRAFFIC\" (serviceConfig.vpcConnector / vpcConnectorEgressSettings in gen 2, or serviceConfig.directVpcNetworkInterfaces with directVpcEgress \"VPC_EGRESS_ALL_TRAFFIC\").",
        resourceTypes: FUNCTIONS,
        config: {
            requireVpcEgress: { type: "boolean", default: false, description: "Require all egress to go through a VPC connector or Direct VPC egress." },
        },
        check: ({ type, props, report, config, notApplicable }) => {
            if (config.requireVpcEgress !== true) {
                notApplicable("VPC egress is not required (set requireVpcEgress to true to check)");
            }
            if (type === FUNCTION_V2 && isSetAt(props, ["serviceConfig", "directVpcNetworkInterfaces"])) {
                if (asString(at(props, "serviceConfig", "directVpcEgress")) !== "VPC_EGRESS_ALL_TRAFFIC") {
                    report("serviceConfig.directVpcEgress is not \"VPC_EGRESS_ALL_TRAFFIC\": only traffic to private ranges goes through the VPC; set it to \"VPC_EGRESS_ALL_TRAFFIC\".");
                }
                return;
            }
            const connector = field(type, props, "vpcConnector");
            if (!connector.isSet()) {
                report(`${connector.path} is not set: the function's outbound traffic bypasses your VPC; attach a Serverless VPC Access connector${type === FUNCTION_V2 ? " (or Direct VPC egress)" : ""} and route all traffic through it.`);
                return;
            }
            const egress = field(type, props, "egress");
            if (asString(egress.read()) !== "ALL_TRAFFIC") {
                report(`${egress.path} is not "ALL_TRAFFIC": only traffic to private ranges goes through the VPC connector; set it to "ALL_TRAFFIC".`);
            }
        },
    }),

    resourcePolicy<Dict, { warnDaysBeforeDeprecation: number; evaluationDate?: string; allowedRuntimes: string[] }>({
        name: "gcp-cloudfunction-runtime-deprecated",
        description: "Cloud Functions must not use a deprecated language runtime: deprecated runtimes get no security patches and are decommissioned soon after.",
        severity: "high",
        threats: ["R3"],
        references: ["OWASP SAS-10"],
        remediation: "Move the function to a supported runtime of the same language (the message names one), test and redeploy.",
        resourceTypes: FUNCTIONS,
        config: {
            ...RUNTIME_CONFIG,
            allowedRuntimes: {
                type: "array", items: { type: "string" }, default: [],
                description: "If not empty, only these runtime ids (e.g. nodejs22, python312) are allowed.",
            },
        },
        check: ({ type, props, report, warn, config }) => {
            const f = field(type, props, "runtime");
            const runtime = asString(f.read())?.trim();
            if (!runtime) {
                return;
            }
            const shown = /^[a-z]{2,10}\d{1,4}$/.test(runtime) ? quote(runtime) : "(an unrecognised value)";
            const allowed = asStrings(config.allowedRuntimes);
            if (allowed.length > 0 && !allowed.includes(runtime)) {
                report(`${f.path} ${shown} is not in the organization's allowed runtimes (${allowed.join(", ")}).`);
            }
            const today = evaluationDate(config.evaluationDate);
            const status = runtimeStatus(GCP_CLOUD_FUNCTIONS_RUNTIMES, runtime, today, asNumber(config.warnDaysBeforeDeprecation) ?? 90);
            // Suggest only runtimes this generation offers; gen 1 lacks the newest ones.
            const upgrade = suggestedRuntime(type === FUNCTION_V1 ? GCP_CLOUD_FUNCTIONS_GEN1_RUNTIMES : GCP_CLOUD_FUNCTIONS_RUNTIMES, runtime, today);
            const hint = upgrade ? `; move to ${upgrade}`
                : type === FUNCTION_V1 ? "; no supported gen-1 runtime of this language remains, so move the function to gen 2"
                : "; move to a supported version of the language";
            if (status.state === "deprecated") {
                report(`${f.path} ${shown} is deprecated since ${status.date}${hint}.`);
            } else if (status.state === "deprecating") {
                warn(`${f.path} ${shown} will be deprecated on ${status.date} (in ${status.days} days)${hint}.`);
            }
        },
    }),
];
