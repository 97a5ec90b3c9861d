// Google Cloud Functions: gen 1 (`cloudfunctions.Function`, settings at the top level) and gen 2
// (`cloudfunctionsv2.Function`, settings under buildConfig / serviceConfig), and the Cloud Run services
// functions run on (policies/gcp/cloudrun.ts). Each policy reads its setting through FIELDS, so one
// check covers every host type and names the exact property.
import { GCP_DEFAULT_MAX_INSTANCES, GcpHostKind } from "../data/platform";
import { resourcePolicy } from "../lib/define";
import { GCP_CLOUD_FUNCTIONS_GEN1_RUNTIMES, GCP_CLOUD_FUNCTIONS_RUNTIMES } from "../data/runtimes-gcp";
import { evaluationDate, RUNTIME_CONFIG, runtimeStatus, suggestedRuntime } from "../lib/runtimes";
import { detectSecret } from "../lib/secrets";
import { computedSecretMessages, plainValue, readSettings, secretSettingMessage, Source } from "../lib/provenance";
import { asBoolean, asList, asNumber, asString, asStrings, at, Dict, isSet, isUnknownValue, keysOf, quote } from "../lib/values";
import { cmekPolicy, COMPUTE_DEFAULT, defaultIdentity, describeValue, isSetAt, isStackAccount } from "./common";
import {
    CLOUD_RUN_ALL_TRAFFIC, CLOUD_RUN_FIELDS, CLOUD_RUN_INGRESS, CLOUD_RUN_JOB, CLOUD_RUN_SECRET_REF, CLOUD_RUN_SERVICES, CLOUD_RUN_V2,
    durationSeconds, showPath,
} from "./cloudrun";

export const FUNCTION_V1 = "gcp:cloudfunctions/function:Function";
export const FUNCTION_V2 = "gcp:cloudfunctionsv2/function:Function";
const FUNCTIONS = [FUNCTION_V1, FUNCTION_V2];
/** Functions and the Cloud Run services that host them. */
export const HOSTS = [...FUNCTIONS, ...CLOUD_RUN_SERVICES];
export const WORKFLOW = "gcp:workflows/workflow:Workflow";
/** Workloads that run as a service account of their own: the hosts and Cloud Run jobs. */
const WORKLOADS = [...HOSTS, CLOUD_RUN_JOB];
/** Everything with plain environment variables: the workloads and Workflows (userEnvVars). */
const ENV_HOLDERS = [...WORKLOADS, WORKFLOW];

type Setting = "runtime" | "serviceAccount" | "ingress" | "maxInstances" | "serviceMaxInstances" | "timeout" | "env" | "buildEnv"
    | "secretEnv" | "containers" | "vpcConnector" | "egress" | "directVpc" | "directEgress" | "cmek" | "buildServiceAccount";

/** Where each setting lives on each host type (absent: the type has no such setting). */
const FIELDS: Record<string, Partial<Record<Setting, readonly string[]>>> = {
    [FUNCTION_V1]: {
        runtime: ["runtime"], serviceAccount: ["serviceAccountEmail"], ingress: ["ingressSettings"],
        maxInstances: ["maxInstances"], timeout: ["timeout"], env: ["environmentVariables"],
        buildEnv: ["buildEnvironmentVariables"], secretEnv: ["secretEnvironmentVariables"],
        vpcConnector: ["vpcConnector"], egress: ["vpcConnectorEgressSettings"], cmek: ["kmsKeyName"],
        buildServiceAccount: ["buildServiceAccount"],
    },
    [FUNCTION_V2]: {
        runtime: ["buildConfig", "runtime"], serviceAccount: ["serviceConfig", "serviceAccountEmail"],
        ingress: ["serviceConfig", "ingressSettings"], maxInstances: ["serviceConfig", "maxInstanceCount"],
        timeout: ["serviceConfig", "timeoutSeconds"], env: ["serviceConfig", "environmentVariables"],
        buildEnv: ["buildConfig", "environmentVariables"], secretEnv: ["serviceConfig", "secretEnvironmentVariables"],
        vpcConnector: ["serviceConfig", "vpcConnector"], egress: ["serviceConfig", "vpcConnectorEgressSettings"],
        directVpc: ["serviceConfig", "directVpcNetworkInterfaces"], directEgress: ["serviceConfig", "directVpcEgress"],
        cmek: ["kmsKeyName"], buildServiceAccount: ["buildConfig", "serviceAccount"],
    },
    ...CLOUD_RUN_FIELDS,
    [WORKFLOW]: { env: ["userEnvVars"] },
};

interface Field {
    /** The property path for messages. */
    path: string;
    /** The top-level property it is declared under (whose propertyDependencies say where its values come from). */
    top: string;
    /** Whether it is unknown and computed only from service accounts of the stack (so it names one of them). */
    isStackAccount(): boolean;
    isSet(): boolean;
    /** Reads the value (throws the SDK's unknown error for values unknown during preview). */
    read(): unknown;
}

/** A setting of a host, or undefined when its type has no such setting. */
function field(type: string, props: Dict, setting: Setting): Field | undefined {
    const path = FIELDS[type]?.[setting];
    return path && {
        path: showPath(path), top: path[0], isSet: () => isSetAt(props, path), read: () => at(props, ...path),
        isStackAccount: () => isStackAccount(props, path),
    };
}

/** A setting every host type has. */
export function hostField(type: string, props: Dict, setting: Setting): Field {
    return field(type, props, setting)!;
}

const isCloudRun = (type: string) => CLOUD_RUN_SERVICES.includes(type);

/** The pack's default instance ceiling (gcp-cloudfunction-max-instances' maxInstances). */
export const DEFAULT_INSTANCE_CEILING = 100;

/** The instances Google allows a host type when no maximum is set (data/platform). */
export function defaultMaxInstances(type: string): number {
    const kind: GcpHostKind = type === FUNCTION_V1 ? "function-gen1" : type === FUNCTION_V2 ? "function-gen2" : "cloud-run";
    return GCP_DEFAULT_MAX_INSTANCES.instances[kind];
}
const subject = (type: string) => type === CLOUD_RUN_JOB ? "job" : type === WORKFLOW ? "workflow" : isCloudRun(type) ? "service" : "function";

/**
 * Whether a host can be called over HTTP: gen-2 functions and Cloud Run services always have an HTTPS
 * endpoint; a gen-1 function has either an HTTP trigger (triggerHttp) or an event trigger, and without
 * the first no request reaches it, so an invoker grant on it is inert (the `@pulumi/gcp` callback
 * functions grant allUsers the invoker role even on Pub/Sub- and Storage-triggered ones).
 * Undefined while triggerHttp is computed.
 */
export function httpReachable(type: string, props: Dict): boolean | undefined {
    if (type !== FUNCTION_V1) {
        return true;
    }
    if (isUnknownValue(props, "triggerHttp")) {
        return undefined;
    }
    return asBoolean(props.triggerHttp) === true || !isSet(props, "eventTrigger");
}

/** How a host type spells a Cloud Functions ingress value. */
export function ingressSpelling(type: string, value: string): string {
    return CLOUD_RUN_INGRESS[type]?.[value] ?? value;
}

/** The Cloud Functions ingress value a host's own value means (undefined for an unrecognised one). */
export function ingressMeaning(type: string, value: string): string | undefined {
    const spellings = CLOUD_RUN_INGRESS[type];
    return spellings ? Object.keys(spellings).find(k => spellings[k] === value) : INGRESS_VALUES.includes(value) ? value : undefined;
}

/** The egress value that routes all traffic through the VPC. */
function allTraffic(type: string): { connector: string; direct: string } {
    return CLOUD_RUN_ALL_TRAFFIC[type] ?? { connector: "ALL_TRAFFIC", direct: "VPC_EGRESS_ALL_TRAFFIC" };
}

export const INGRESS_VALUES = ["ALLOW_ALL", "ALLOW_INTERNAL_ONLY", "ALLOW_INTERNAL_AND_GCLB"];

export const functionPolicies = [
    resourcePolicy({
        name: "gcp-cloudfunction-env-plaintext-secret",
        description: "Cloud Functions, Cloud Run services and jobs, and Workflows environment and build environment variables must not hold secrets in plain text; anyone who can view the function, service, job or workflow can read them.",
        severity: "critical",
        threats: ["P5", "R4"],
        references: ["OWASP SAS-3"],
        remediation: "Store the secret in Secret Manager and expose it with secretEnvironmentVariables or secretVolumes (serviceConfig.secretEnvironmentVariables / secretVolumes in gen 2, an env entry's valueSource.secretKeyRef on Cloud Run services and jobs; a workflow reads it with the Secret Manager connector instead of userEnvVars); grant the service account roles/secretmanager.secretAccessor on that secret only.",
        resourceTypes: ENV_HOLDERS,
        provenance: true,
        check: ({ type, props, report, part }) => {
            const computed = new Map<string, { where: string; source: Source }[]>();
            /** Scans `holder[key]`, the setting `name` under the top-level property `top`. */
            const scan = (where: string, holder: unknown, key: string, name: string, top: string, fix: string) => {
                const v = plainValue(holder, key, top, name, where);
                if (v.kind === "computed") {
                    computed.set(fix, [...(computed.get(fix) ?? []), { where, source: v.source }]);
                    return;
                }
                const finding = v.kind === "value" || v.kind === "marked" ? detectSecret(name, v.value) : undefined;
                if (v.kind === "marked" && !finding) {
                    report(secretSettingMessage(where, v, fix));
                    return;
                }
                if (finding) {
                    report(`${where} holds a secret in plain text (${finding.kind}); ${fix}`);
                }
            };
            const envFix = type === WORKFLOW
                ? "move it to Secret Manager and read it in the workflow with the Secret Manager connector (googleapis.secretmanager.v1.projects.secrets.versions.accessString)."
                : `move it to Secret Manager and reference it through ${field(type, props, "secretEnv")?.path ?? CLOUD_RUN_SECRET_REF[type]}.`;
            const buildFix = `remove it; build variables are stored with the ${subject(type)}, so keep build-time secrets in Secret Manager and read them during the build.`;
            for (const setting of ["env", "buildEnv"] as const) {
                const f = field(type, props, setting);
                if (!f) {
                    continue;
                }
                const fix = setting === "env" ? envFix : buildFix;
                part(() => {
                    const settings = readSettings(() => f.read(), f.top, f.path);
                    if (settings === "clean") {
                        return;
                    }
                    if ("secret" in settings) {
                        report(secretSettingMessage(f.path, { kind: "computed", source: settings.secret }, fix));
                        return;
                    }
                    const vars = settings.value;
                    for (const key of keysOf(vars)) {
                        part(() => scan(`${f.path}.${key}`, vars, key, key, f.top, fix));
                    }
                });
            }
            const containers = field(type, props, "containers");
            if (containers) {
                part(() => asList(containers.read()).forEach((container, i) => part(() => asList(at(container, "envs")).forEach((env, j) => part(() => {
                    const name = asString(at(env, "name"));
                    if (name !== undefined) {
                        scan(`${containers.path}[${i}].envs[${j}] (${quote(name)})`, env, "value", name, containers.top, envFix);
                    }
                })))));
            }
            computed.forEach((items, fix) => computedSecretMessages(items, fix).forEach(m => report(m)));
        },
    }),

    resourcePolicy({
        name: "gcp-cloudfunction-service-account",
        description: "Cloud Functions, Cloud Run services and Cloud Run jobs must run as a dedicated service account, not the default Compute Engine or App Engine one, which is shared by every workload and is a project Editor on older projects.",
        severity: "high",
        threats: ["P2", "R5"],
        references: ["CIS GCP Foundations 1.5", "OWASP SAS-5"],
        remediation: "Create a service account for this function, grant it only the roles the function needs, and set serviceAccountEmail (serviceConfig.serviceAccountEmail in gen 2, template.serviceAccount on Cloud Run v2, template.spec.serviceAccountName on v1, template.template.serviceAccount on a Cloud Run job) to its email.",
        resourceTypes: WORKLOADS,
        provenance: true,
        check: ({ type, props, report }) => {
            const f = hostField(type, props, "serviceAccount");
            if (f.isStackAccount()) {
                return;
            }
            const d = defaultIdentity(f.read(), type === FUNCTION_V1 ? "the App Engine default service account" : COMPUTE_DEFAULT);
            if (d) {
                const fix = `set it to a dedicated service account with only the roles the ${subject(type)} needs.`;
                report(d.unset ? `${f.path} is not set, so the ${subject(type)} runs as ${d.name}; ${fix}` : `${f.path} is ${d.name}; ${fix}`);
            }
        },
    }),

    resourcePolicy({
        name: "gcp-cloudfunction-build-service-account",
        description: "Cloud Functions and Cloud Run services built from source should be built as a dedicated service account: the default build identity (the Compute Engine default or the legacy Cloud Build service account) holds broad project roles that every build step, dependencies included, can use.",
        severity: "medium",
        threats: ["P6", "P2"],
        references: ["OWASP SAS-5"],
        remediation: "Create a build service account with roles/logging.logWriter, roles/artifactregistry.writer and read access to the source bucket, and set buildServiceAccount (buildConfig.serviceAccount in gen 2 and on Cloud Run v2) to its full name, projects/<project>/serviceAccounts/<email>.",
        resourceTypes: [FUNCTION_V1, FUNCTION_V2, CLOUD_RUN_V2],
        provenance: true,
        check: ({ type, props, report, notApplicable }) => {
            if (type === CLOUD_RUN_V2 && !isSetAt(props, ["buildConfig"])) {
                notApplicable("the service deploys a container image; nothing is built from source");
            }
            const f = hostField(type, props, "buildServiceAccount");
            if (f.isStackAccount()) {
                return;
            }
            const d = defaultIdentity(f.read(), "the project's default build service account (the Compute Engine default or the legacy Cloud Build account)");
            if (d) {
                const fix = "set it to a dedicated build service account with only the roles the build needs.";
                report(d.unset ? `${f.path} is not set, so the ${subject(type)} is built as ${d.name}; ${fix}` : `${f.path} is ${d.name}; ${fix}`);
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

    resourcePolicy<Dict, { maxInstances: number }>({
        name: "gcp-cloudfunction-max-instances",
        description: "Cloud Functions and Cloud Run services should cap their instance count so that a flood of requests or events can't scale them without limit and run up the bill (denial of wallet).",
        severity: "medium",
        threats: ["P4"],
        remediation: "Set maxInstances (serviceConfig.maxInstanceCount in gen 2, template.scaling.maxInstanceCount or scaling.maxInstanceCount on Cloud Run v2, the autoscaling.knative.dev/maxScale template annotation on v1) to the highest number of instances needed, at or below the configured ceiling. Left unset, gen-2 functions and Cloud Run services stop at Google's default of 100 instances and gen-1 functions at 3,000.",
        resourceTypes: HOSTS,
        config: {
            maxInstances: { type: "integer", minimum: 1, default: DEFAULT_INSTANCE_CEILING, description: "Highest instance cap allowed; an unset cap is judged by Google's default (100 for gen-2 functions and Cloud Run, 3,000 for gen 1)." },
        },
        check: ({ type, props, report, config, notApplicable }) => {
            if (type === CLOUD_RUN_V2 && asString(at(props, "scaling", "scalingMode")) === "MANUAL") {
                notApplicable("manual scaling runs a fixed number of instances");
            }
            // A service-wide cap (Cloud Run v2 scaling.maxInstanceCount) bounds every revision.
            const service = field(type, props, "serviceMaxInstances");
            const f = service?.isSet() ? service : hostField(type, props, "maxInstances");
            const cap = asNumber(f.read());
            const ceiling = `the ceiling of ${config.maxInstances} (config maxInstances)`;
            if (cap === undefined || cap <= 0) {
                const platform = defaultMaxInstances(type);
                if (platform > config.maxInstances) {
                    report(`${f.path} is not set, so the ${subject(type)} scales up to Google's default of ${platform.toLocaleString("en-US")} instances, above ${ceiling}; set an explicit cap.`);
                }
            } else if (cap > config.maxInstances) {
                report(`${f.path} is ${cap}, above ${ceiling}; lower it.`);
            }
        },
    }),

    resourcePolicy<Dict, { maxTimeoutSeconds: number }>({
        name: "gcp-cloudfunction-timeout",
        description: "Cloud Functions and Cloud Run request timeouts should stay short so that a stuck or abused invocation can't run (and bill) for up to an hour.",
        severity: "low",
        threats: ["P4"],
        remediation: "Lower timeout (serviceConfig.timeoutSeconds in gen 2, template.timeout on Cloud Run v2, template.spec.timeoutSeconds on v1) to what is needed, at or below the configured maximum.",
        resourceTypes: HOSTS,
        config: {
            maxTimeoutSeconds: { type: "integer", minimum: 1, maximum: 3600, default: 300, description: "Longest timeout allowed, in seconds." },
        },
        check: ({ type, props, report, config }) => {
            const f = hostField(type, props, "timeout");
            const timeout = durationSeconds(f.read());
            if (timeout !== undefined && timeout > config.maxTimeoutSeconds) {
                report(`${f.path} is ${timeout} seconds, above the maximum of ${config.maxTimeoutSeconds} (config maxTimeoutSeconds); lower it.`);
            }
        },
    }),

    cmekPolicy({
        name: "gcp-cloudfunction-cmek",
        description: "Where the organization requires customer-managed encryption keys, Cloud Functions must encrypt their source and image, and Cloud Run services their container image, with a Cloud KMS key.",
        threats: ["R4"],
        remediation: "Set kmsKeyName (template.encryptionKey on Cloud Run v2, the run.googleapis.com/encryption-key template annotation on v1) to a Cloud KMS key, use an Artifact Registry repository (dockerRepository / buildConfig.dockerRepository) encrypted with the same key, and grant the Cloud Functions, Cloud Run and Artifact Registry service agents roles/cloudkms.cryptoKeyEncrypterDecrypter on it.",
        resourceTypes: HOSTS,
        missingKeys: (props, type) => {
            const key = hostField(type, props as Dict, "cmek");
            return key.isSet() ? [] : [key.path];
        },
    }),

    resourcePolicy<Dict, { requireVpcEgress: boolean }>({
        name: "gcp-cloudfunction-vpc-egress",
        description: "Where the organization requires it, Cloud Functions and Cloud Run services must send all outbound traffic through a VPC (Serverless VPC Access connector or Direct VPC egress), so that firewall rules, Cloud NAT and logging apply to it.",
        severity: "medium",
        threats: ["R5", "P7"],
        remediation: "Set vpcConnector and vpcConnectorEgressSettings \"ALL_TRAFFIC\" (serviceConfig.vpcConnector / vpcConnectorEgressSettings in gen 2, or serviceConfig.directVpcNetworkInterfaces with directVpcEgress \"VPC_EGRESS_ALL_TRAFFIC\"); on Cloud Run set template.vpcAccess (connector or networkInterfaces) with egress \"ALL_TRAFFIC\", or the run.googleapis.com/vpc-access-connector (or network-interfaces) and vpc-access-egress \"all-traffic\" template annotations on v1.",
        resourceTypes: HOSTS,
        config: {
            requireVpcEgress: { type: "boolean", default: false, description: "Require all egress to go through a VPC connector or Direct VPC egress." },
        },
        optIn: { flag: "requireVpcEgress", what: "VPC egress" },
        check: ({ type, props, report }) => {
            const all = allTraffic(type);
            const direct = field(type, props, "directVpc");
            if (direct?.isSet()) {
                const egress = hostField(type, props, "directEgress");
                if (asString(egress.read()) !== all.direct) {
                    report(`${egress.path} is not "${all.direct}": only traffic to private ranges goes through the VPC; set it to "${all.direct}".`);
                }
                return;
            }
            const connector = hostField(type, props, "vpcConnector");
            if (!connector.isSet()) {
                report(`${connector.path} is not set: the ${subject(type)}'s outbound traffic bypasses your VPC; attach a Serverless VPC Access connector${direct ? " (or Direct VPC egress)" : ""} and route all traffic through it.`);
                return;
            }
            const egress = hostField(type, props, "egress");
            if (asString(egress.read()) !== all.connector) {
                report(`${egress.path} is not "${all.connector}": only traffic to private ranges goes through the VPC connector; set it to "${all.connector}".`);
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
            const f = hostField(type, props, "runtime");
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
