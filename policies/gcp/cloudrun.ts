// Cloud Run services as function hosts: Cloud Functions gen 2 and "Cloud Run functions" run on them,
// and a service can be deployed directly. Cloud Run v2 (`cloudrunv2.Service`) has typed settings;
// Cloud Run v1 (`cloudrun.Service`, the Knative shape) keeps most of them in annotations. The function
// policies read both through CLOUD_RUN_FIELDS and the value vocabularies below, so one policy keeps one
// meaning for functions and services; the invoker-IAM switch has no function equivalent.
import { resourcePolicy } from "../lib/define";
import { asBoolean, asString, at, Dict } from "../lib/values";

export const CLOUD_RUN_V2 = "gcp:cloudrunv2/service:Service";
export const CLOUD_RUN_V1 = "gcp:cloudrun/service:Service";
export const CLOUD_RUN_SERVICES = [CLOUD_RUN_V2, CLOUD_RUN_V1];
/** Cloud Run jobs run containers to completion (no ingress, no scaling): only identity and environment apply. */
export const CLOUD_RUN_JOB = "gcp:cloudrunv2/job:Job";

const V1_ANNOTATION = (scope: "service" | "revision", key: string) =>
    scope === "service" ? ["metadata", "annotations", key] : ["template", "metadata", "annotations", key];

/** Where each host setting lives on each Cloud Run service type (absent: the service has no such setting). */
export const CLOUD_RUN_FIELDS: Record<string, Partial<Record<string, readonly string[]>>> = {
    [CLOUD_RUN_V2]: {
        serviceAccount: ["template", "serviceAccount"],
        ingress: ["ingress"],
        maxInstances: ["template", "scaling", "maxInstanceCount"],
        serviceMaxInstances: ["scaling", "maxInstanceCount"],
        timeout: ["template", "timeout"],
        containers: ["template", "containers"],
        buildEnv: ["buildConfig", "environmentVariables"],
        buildServiceAccount: ["buildConfig", "serviceAccount"],
        vpcConnector: ["template", "vpcAccess", "connector"],
        egress: ["template", "vpcAccess", "egress"],
        directVpc: ["template", "vpcAccess", "networkInterfaces"],
        directEgress: ["template", "vpcAccess", "egress"],
        cmek: ["template", "encryptionKey"],
        invokerIamDisabled: ["invokerIamDisabled"],
    },
    [CLOUD_RUN_V1]: {
        serviceAccount: ["template", "spec", "serviceAccountName"],
        ingress: V1_ANNOTATION("service", "run.googleapis.com/ingress"),
        maxInstances: V1_ANNOTATION("revision", "autoscaling.knative.dev/maxScale"),
        timeout: ["template", "spec", "timeoutSeconds"],
        containers: ["template", "spec", "containers"],
        vpcConnector: V1_ANNOTATION("revision", "run.googleapis.com/vpc-access-connector"),
        egress: V1_ANNOTATION("revision", "run.googleapis.com/vpc-access-egress"),
        directVpc: V1_ANNOTATION("revision", "run.googleapis.com/network-interfaces"),
        directEgress: V1_ANNOTATION("revision", "run.googleapis.com/vpc-access-egress"),
        cmek: V1_ANNOTATION("revision", "run.googleapis.com/encryption-key"),
        invokerIamDisabled: V1_ANNOTATION("service", "run.googleapis.com/invoker-iam-disabled"),
    },
    [CLOUD_RUN_JOB]: {
        serviceAccount: ["template", "template", "serviceAccount"],
        containers: ["template", "template", "containers"],
    },
};

/** Cloud Functions ingress values (the policies' config vocabulary) and their Cloud Run spellings. */
export const CLOUD_RUN_INGRESS: Record<string, Record<string, string>> = {
    [CLOUD_RUN_V2]: {
        ALLOW_ALL: "INGRESS_TRAFFIC_ALL",
        ALLOW_INTERNAL_ONLY: "INGRESS_TRAFFIC_INTERNAL_ONLY",
        ALLOW_INTERNAL_AND_GCLB: "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
    },
    [CLOUD_RUN_V1]: {
        ALLOW_ALL: "all",
        ALLOW_INTERNAL_ONLY: "internal",
        ALLOW_INTERNAL_AND_GCLB: "internal-and-cloud-load-balancing",
    },
};

/** The egress value that sends all traffic through the VPC, for connectors and Direct VPC egress. */
export const CLOUD_RUN_ALL_TRAFFIC: Record<string, { connector: string; direct: string }> = {
    [CLOUD_RUN_V2]: { connector: "ALL_TRAFFIC", direct: "ALL_TRAFFIC" },
    [CLOUD_RUN_V1]: { connector: "all-traffic", direct: "all-traffic" },
};

/** Where a container's environment variable keeps a Secret Manager reference instead of a value. */
export const CLOUD_RUN_SECRET_REF: Record<string, string> = {
    [CLOUD_RUN_V2]: "valueSource.secretKeyRef",
    [CLOUD_RUN_V1]: "valueFrom.secretKeyRef",
    [CLOUD_RUN_JOB]: "valueSource.secretKeyRef",
};

/** A property path for messages: `metadata.annotations["run.googleapis.com/ingress"]`. */
export function showPath(path: readonly (string | number)[]): string {
    return path.map((p, i) => typeof p === "number" ? `[${p}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? (i === 0 ? p : `.${p}`) : `[${JSON.stringify(p)}]`).join("");
}

/** A Cloud Run duration ("300s", "1.5s") or a number of seconds, in seconds. */
export function durationSeconds(value: unknown): number | undefined {
    if (typeof value === "number" && Number.isFinite(value)) {
        return value;
    }
    const m = /^\s*(\d{1,9}(?:\.\d{1,9})?)s?\s*$/.exec(asString(value) ?? "");
    return m ? Number(m[1]) : undefined;
}

export const INVOKER_IAM_DISABLED = "gcp-cloudrun-invoker-iam-disabled";

export const cloudRunPolicies = [
    resourcePolicy<Dict>({
        name: INVOKER_IAM_DISABLED,
        description: "Cloud Run services, the hosts of gen-2 and Cloud Run functions, must keep the invoker IAM check: with it disabled anyone who can reach the service's ingress can call it without credentials.",
        severity: "critical",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2"],
        remediation: "Remove invokerIamDisabled (the run.googleapis.com/invoker-iam-disabled annotation in Cloud Run v1) and grant roles/run.invoker to the callers; for a deliberately public endpoint put a load balancer with Cloud Armor in front and record a dated exemption in this policy's exemptions config.",
        resourceTypes: CLOUD_RUN_SERVICES,
        check: ({ type, props, report }) => {
            const path = CLOUD_RUN_FIELDS[type].invokerIamDisabled!;
            if (asBoolean(at(props, ...path)) === true) {
                report(`${showPath(path)} is true, so every request that reaches the service runs without an IAM check; remove it and grant roles/run.invoker to the callers.`);
            }
        },
    }),
];
