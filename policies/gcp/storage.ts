// Storage, secrets, messaging and artifacts that functions use: Cloud Storage buckets and their IAM,
// Secret Manager secrets and their IAM, Pub/Sub topics and Artifact Registry repositories.
import { resourcePolicy } from "../lib/define";
import { asBoolean, asList, asString, at, Dict, isRecord, isSet } from "../lib/values";
import { cmekPolicy, describeValue, isSetAt, publicGrants, publicMemberPolicy } from "./common";

export const BUCKET = "gcp:storage/bucket:Bucket";
export const BUCKET_IAM_TYPES = [
    "gcp:storage/bucketIAMMember:BucketIAMMember",
    "gcp:storage/bucketIAMBinding:BucketIAMBinding",
    "gcp:storage/bucketIAMPolicy:BucketIAMPolicy",
];
export const SECRET = "gcp:secretmanager/secret:Secret";
export const SECRET_IAM_TYPES = [
    "gcp:secretmanager/secretIamMember:SecretIamMember",
    "gcp:secretmanager/secretIamBinding:SecretIamBinding",
    "gcp:secretmanager/secretIamPolicy:SecretIamPolicy",
];
export const TOPIC = "gcp:pubsub/topic:Topic";
export const REPOSITORY = "gcp:artifactregistry/repository:Repository";

const SECRET_KEY_PATH = ["customerManagedEncryption", "kmsKeyName"];

/** Secret Manager keys per replica (user-managed replication) or for the whole secret (automatic replication). */
function secretKeysMissing(props: Dict): string[] {
    if (isRecord(at(props, "replication", "userManaged"))) {
        const replicas = asList(at(props, "replication", "userManaged", "replicas"));
        const missing: string[] = [];
        for (let i = 0; i < replicas.length; i++) {
            if (!isSetAt(replicas[i], SECRET_KEY_PATH)) {
                missing.push(`replication.userManaged.replicas[${i}].${SECRET_KEY_PATH.join(".")}`);
            }
        }
        return missing;
    }
    const auto = ["replication", "auto", ...SECRET_KEY_PATH];
    return isSetAt(props, auto) ? [] : [auto.join(".")];
}

// The predicate of the resource policy that reports a bucket anyone may read or write (a public
// bucket that triggers a function lets anyone create the objects it processes), shared with the stack
// policies that follow a function's triggers back to their sources.
export const BUCKET_IAM_PUBLIC = "gcp-storage-bucket-iam-public";

/** A bucket IAM member, binding or policy that grants any role to allUsers or allAuthenticatedUsers. */
export const bucketGrantsEveryone = (type: string, props: Dict) => publicGrants(type, props).length > 0;

export const storagePolicies = [
    resourcePolicy({
        name: "gcp-storage-bucket-uniform-access",
        description: "Cloud Storage buckets should use uniform bucket-level access, so that access is decided by IAM alone and not by per-object ACLs that are hard to audit.",
        severity: "medium",
        threats: ["R4"],
        references: ["CIS GCP Foundations 5.2"],
        remediation: "Set uniformBucketLevelAccess to true (after moving any object ACL grants to bucket IAM).",
        resourceTypes: [BUCKET],
        check: ({ props, report }) => {
            if (asBoolean(props.uniformBucketLevelAccess) !== true) {
                report("uniformBucketLevelAccess is not true, so object ACLs can grant access outside IAM; set it to true.");
            }
        },
        remediate: props => asBoolean(props.uniformBucketLevelAccess) === true ? undefined : { uniformBucketLevelAccess: true },
    }),

    resourcePolicy<Dict, { acceptInherited: boolean }>({
        name: "gcp-storage-bucket-public-access-prevention",
        description: "Cloud Storage buckets that functions read and write must enforce public access prevention, so that no IAM grant or ACL can make their data public.",
        severity: "high",
        threats: ["R4"],
        references: ["CIS GCP Foundations 5.1"],
        remediation: "Set publicAccessPrevention to \"enforced\" (or enforce the storage.publicAccessPrevention organization policy and set acceptInherited).",
        resourceTypes: [BUCKET],
        config: {
            acceptInherited: {
                type: "boolean", default: false,
                description: "Accept \"inherited\" (or unset) when the storage.publicAccessPrevention organization policy is enforced above the project.",
            },
        },
        check: ({ props, report, config }) => {
            const value = asString(props.publicAccessPrevention);
            if (value === "enforced" || (config.acceptInherited === true && (value === undefined || value === "inherited"))) {
                return;
            }
            report(`publicAccessPrevention is ${describeValue(value, ["inherited", "unspecified"])}, so the bucket can be made public; set it to "enforced".`);
        },
        remediate: props => asString(props.publicAccessPrevention) === "enforced" ? undefined : { publicAccessPrevention: "enforced" },
    }),

    cmekPolicy({
        name: "gcp-storage-bucket-cmek",
        description: "Where the organization requires customer-managed encryption keys, Cloud Storage buckets must encrypt new objects with a Cloud KMS key by default.",
        threats: ["R4"],
        remediation: "Set encryption.defaultKmsKeyName to a Cloud KMS key in the bucket's location and grant the Cloud Storage service agent roles/cloudkms.cryptoKeyEncrypterDecrypter on it.",
        resourceTypes: [BUCKET],
        missingKeys: props => isSetAt(props, ["encryption", "defaultKmsKeyName"]) ? [] : ["encryption.defaultKmsKeyName"],
    }),

    publicMemberPolicy({
        name: BUCKET_IAM_PUBLIC,
        description: "Cloud Storage bucket IAM must not grant any role to allUsers or allAuthenticatedUsers, which makes the bucket's data readable (or writable) by anyone.",
        threats: ["R4"],
        references: ["CIS GCP Foundations 5.1"],
        remediation: "Remove allUsers and allAuthenticatedUsers from the bucket's IAM and grant roles to the specific service accounts that need them; serve public content through a load balancer or signed URLs, or record a dated exemption for a deliberately public bucket's IAM resource in this policy's exemptions config.",
        resourceTypes: BUCKET_IAM_TYPES,
        fix: "grant it to the specific service accounts that need it (or record an exemption if the bucket is meant to be public).",
    }),

    cmekPolicy({
        name: "gcp-secretmanager-secret-cmek",
        description: "Where the organization requires customer-managed encryption keys, Secret Manager secrets must be encrypted with a Cloud KMS key in every replica.",
        threats: ["P5", "R4"],
        remediation: "Set replication.auto.customerManagedEncryption.kmsKeyName, or customerManagedEncryption.kmsKeyName on every replication.userManaged replica (a key in the replica's location), and grant the Secret Manager service agent roles/cloudkms.cryptoKeyEncrypterDecrypter on it.",
        resourceTypes: [SECRET],
        missingKeys: secretKeysMissing,
    }),

    publicMemberPolicy({
        name: "gcp-secretmanager-secret-iam-public",
        description: "Secret Manager secret IAM must not grant any role to allUsers or allAuthenticatedUsers, which would let anyone read or change the secret.",
        threats: ["P5", "R4"],
        remediation: "Remove allUsers and allAuthenticatedUsers and grant roles/secretmanager.secretAccessor only to the service accounts of the functions that read the secret.",
        resourceTypes: SECRET_IAM_TYPES,
        fix: "grant roles/secretmanager.secretAccessor only to the functions' service accounts.",
    }),

    cmekPolicy({
        name: "gcp-pubsub-topic-cmek",
        description: "Where the organization requires customer-managed encryption keys, Pub/Sub topics that carry function events must be encrypted with a Cloud KMS key.",
        threats: ["R4"],
        remediation: "Set kmsKeyName to a Cloud KMS key and grant the Pub/Sub service agent roles/cloudkms.cryptoKeyEncrypterDecrypter on it.",
        resourceTypes: [TOPIC],
        missingKeys: props => isSet(props, "kmsKeyName") ? [] : ["kmsKeyName"],
    }),

    cmekPolicy({
        name: "gcp-artifactregistry-repository-cmek",
        description: "Where the organization requires customer-managed encryption keys, Artifact Registry repositories holding function images must be encrypted with a Cloud KMS key.",
        threats: ["R4", "P6"],
        remediation: "Create the repository with kmsKeyName set to a Cloud KMS key (it can't be added later) and grant the Artifact Registry service agent roles/cloudkms.cryptoKeyEncrypterDecrypter on it.",
        resourceTypes: [REPOSITORY],
        missingKeys: props => isSet(props, "kmsKeyName") ? [] : ["kmsKeyName"],
    }),
];
