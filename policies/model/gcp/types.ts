// The Google Cloud resource types the model links, how it reads nested fields of functions of either
// generation, and how it finds a resource by dependency or by its known name or id.
import { CLOUD_RUN_FIELDS, CLOUD_RUN_V1, CLOUD_RUN_V2 } from "../../gcp/cloudrun";
import { FUNCTION_V1, FUNCTION_V2 } from "../../gcp/functions";
import { SCOPE_IAM_TYPES } from "../../gcp/project-iam";
import { BUCKET, REPOSITORY, SECRET, TOPIC } from "../../gcp/storage";
import { TOPIC_IAM_TYPES } from "../../gcp/pubsub";
import { isUnknown, knownString, Node, ResourceGraph } from "../../lib/graph";
import { isRecord } from "../../lib/values";
import type { OnUnknown } from "../core";

export { FUNCTION_V1, FUNCTION_V2, BUCKET, TOPIC, SECRET, REPOSITORY, TOPIC_IAM_TYPES };
export const GCP_FUNCTIONS = [FUNCTION_V1, FUNCTION_V2];
export const ACCOUNT = "gcp:serviceaccount/account:Account";

export const set = (...types: string[]) => new Set(types);
export const ACCOUNTS = set(ACCOUNT);
export const isV2 = (fn: Node) => fn.type === FUNCTION_V2;
export const className = (type: string) => type.slice(type.lastIndexOf(":") + 1);

/** The scope each project-, folder- or organization-level IAM type grants on. */
export const SCOPE_LABEL: Record<string, string> = Object.fromEntries(SCOPE_IAM_TYPES.map(t => [t, t.split(":")[1].split("/")[0].replace(/s$/, "")]));

export const DATA_STORE_LABEL: Record<string, string> = {
    [BUCKET]: "Cloud Storage bucket", [TOPIC]: "Pub/Sub topic", [REPOSITORY]: "Artifact Registry repository", [SECRET]: "Secret Manager secret",
};

/** A nested value, with the first unknown object on the way (its dotted path) when there is one. */
export function read(node: Node, path: readonly string[]): { value: unknown; unknownAt?: string } {
    let current: unknown = node.props;
    for (let i = 0; i < path.length; i++) {
        if (isUnknown(current)) {
            return { value: current, unknownAt: path.slice(0, i).join(".") };
        }
        current = isRecord(current) ? current[path[i]] : undefined;
    }
    return { value: current, unknownAt: isUnknown(current) ? path.join(".") : undefined };
}

/** Where a setting lives in each generation (the service account also on Cloud Run services). */
export const FIELDS = {
    serviceAccount: {
        [FUNCTION_V1]: ["serviceAccountEmail"], [FUNCTION_V2]: ["serviceConfig", "serviceAccountEmail"],
        [CLOUD_RUN_V2]: CLOUD_RUN_FIELDS[CLOUD_RUN_V2].serviceAccount!, [CLOUD_RUN_V1]: CLOUD_RUN_FIELDS[CLOUD_RUN_V1].serviceAccount!,
    },
    maxInstances: { [FUNCTION_V1]: ["maxInstances"], [FUNCTION_V2]: ["serviceConfig", "maxInstanceCount"] },
    sourceBucket: { [FUNCTION_V1]: ["sourceArchiveBucket"], [FUNCTION_V2]: ["buildConfig", "source", "storageSource", "bucket"] },
    dockerRepository: { [FUNCTION_V1]: ["dockerRepository"], [FUNCTION_V2]: ["buildConfig", "dockerRepository"] },
    secretEnv: { [FUNCTION_V1]: ["secretEnvironmentVariables"], [FUNCTION_V2]: ["serviceConfig", "secretEnvironmentVariables"] },
    secretVolumes: { [FUNCTION_V1]: ["secretVolumes"], [FUNCTION_V2]: ["serviceConfig", "secretVolumes"] },
} as const;

export function fieldPath(fn: Node, field: keyof typeof FIELDS): readonly string[] {
    return (FIELDS[field] as Record<string, readonly string[]>)[fn.type];
}

// ---------------------------------------------------------------------------------------------
// Names and ids

/** Resources of the given types that a known value held by `node` names, in `node`'s project and region (see lib/identity). */
export function byName(g: ResourceGraph, node: Node, property: string, types: readonly string[], value: string, onUnknown?: OnUnknown): Node[] {
    const found = g.resolveValue(node, property, value.trim(), new Set(types));
    if (found.undecided && onUnknown) {
        onUnknown(node, property, "ambiguous");
    }
    return found.nodes;
}

/**
 * The resources one value points to: by known name or id, or, when the value is unknown during
 * preview, through the propertyDependencies of its top-level property (reported unknown when there
 * are none, as the target can't be told).
 */
export function linked(g: ResourceGraph, node: Node, path: readonly string[], types: readonly string[], onUnknown?: OnUnknown): Node[] {
    const { value, unknownAt } = read(node, path);
    if (unknownAt !== undefined) {
        const found = g.deps(node, path[0], new Set(types));
        if (found.length === 0 && g.deps(node, path[0]).length === 0 && onUnknown) {
            onUnknown(node, unknownAt);
        }
        return found;
    }
    const known = knownString(value);
    return known ? byName(g, node, path[0], types, known, onUnknown) : [];
}


export const FUNCTION_IAM_TYPES = [
    "gcp:cloudfunctions/functionIamMember:FunctionIamMember",
    "gcp:cloudfunctions/functionIamBinding:FunctionIamBinding",
    "gcp:cloudfunctions/functionIamPolicy:FunctionIamPolicy",
    "gcp:cloudfunctionsv2/functionIamMember:FunctionIamMember",
    "gcp:cloudfunctionsv2/functionIamBinding:FunctionIamBinding",
    "gcp:cloudfunctionsv2/functionIamPolicy:FunctionIamPolicy",
    "gcp:cloudrunv2/serviceIamMember:ServiceIamMember",
    "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding",
    "gcp:cloudrunv2/serviceIamPolicy:ServiceIamPolicy",
    "gcp:cloudrun/iamMember:IamMember",
    "gcp:cloudrun/iamBinding:IamBinding",
    "gcp:cloudrun/iamPolicy:IamPolicy",
];

/** The resource policy that reports every grant of any role to allUsers or allAuthenticatedUsers on a function or Cloud Run service (policies/gcp/invoker-iam.ts). */
export const FUNCTION_PUBLIC_ACCESS = "gcp-iam-function-public-access";
