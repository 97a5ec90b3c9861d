// Google Cloud IAM facts the GCP policies rely on. Sources: Google Cloud IAM documentation
// ("Principal identifiers", "Basic roles", "Service agents", "Default service accounts", "Roles for
// service account authentication"), Cloud Functions / Cloud Run access-control pages, and the CIS
// Google Cloud Platform Foundation Benchmark v3.0.0 (1.5 service accounts without admin privileges,
// 1.6 no Service Account User / Token Creator at project level, 5.1 buckets not publicly accessible,
// 5.2 uniform bucket-level access). Reviewed 2026-11-28.

/** Principals that stand for everyone. */
export const PUBLIC_MEMBERS: Record<string, string> = {
    allUsers: "anyone on the internet",
    allAuthenticatedUsers: "anyone with a Google account",
};

/** Basic roles that grant (nearly) everything in their scope. */
export const BASIC_ADMIN_ROLES: Record<string, string> = {
    "roles/owner": "full control, including IAM",
    "roles/editor": "write access to almost every resource",
};

/** CIS 1.5 treats every predefined role whose name contains "admin" as an administrator role. */
export const ADMIN_ROLE_PATTERN = /^roles\/[A-Za-z0-9_.]*admin[A-Za-z0-9_.]*$/i;

/** Roles that let the holder act as any service account in the scope where they are granted. */
export const IMPERSONATION_ROLES: Record<string, string> = {
    "roles/iam.serviceAccountUser": "can attach and run as any service account in scope",
    "roles/iam.serviceAccountTokenCreator": "can mint access and ID tokens for any service account in scope",
};

/**
 * Roles on one service account that let the holder act as it ("Roles for service account
 * authentication"; roles/iam.workloadIdentityUser is how external and GKE workloads impersonate it).
 */
export const SERVICE_ACCOUNT_ACTING_ROLES: Record<string, string> = {
    "roles/iam.serviceAccountUser": "can attach the account to functions and services and run code as it",
    "roles/iam.serviceAccountTokenCreator": "can mint access and ID tokens for the account",
    "roles/iam.serviceAccountOpenIdTokenCreator": "can mint ID tokens for the account",
    "roles/iam.workloadIdentityUser": "can impersonate the account from a workload identity",
};

/** Roles that allow calling a function or Cloud Run service. */
export const INVOKER_ROLES = ["roles/cloudfunctions.invoker", "roles/run.invoker", "roles/run.servicesInvoker"];

/** Google-created default service accounts (project editors by default on older projects; the legacy Cloud Build account holds roles/cloudbuild.builds.builder on the project). */
export const DEFAULT_SERVICE_ACCOUNTS: { pattern: RegExp; name: string }[] = [
    { pattern: /^\d+-compute@developer\.gserviceaccount\.com$/i, name: "the Compute Engine default service account" },
    { pattern: /^[^@\s]+@appspot\.gserviceaccount\.com$/i, name: "the App Engine default service account" },
    { pattern: /^\d+@cloudbuild\.gserviceaccount\.com$/i, name: "the legacy Cloud Build service account" },
];

/**
 * Google-managed service agents: Google grants and needs their roles (an authoritative IAM policy must
 * keep them), so they are not findings of the service-account role policies.
 */
export const SERVICE_AGENT_PATTERNS: RegExp[] = [
    /^service-\d+@[a-z0-9-]+\.iam\.gserviceaccount\.com$/i,
    /^\d+@cloudservices\.gserviceaccount\.com$/i,
];

/**
 * Predefined roles that let their holder publish to a Pub/Sub topic (pubsub.topics.publish), granted on
 * the topic. Source: Google Cloud documentation, "Access control with IAM" for Pub/Sub (roles and
 * permissions table) and "Basic roles". Reviewed 2026-12-06.
 */
export const PUBSUB_PUBLISH_ROLES: Record<string, string> = {
    "roles/pubsub.publisher": "publish messages",
    "roles/pubsub.editor": "publish messages and change the topic",
    "roles/pubsub.admin": "publish messages and change the topic and its IAM",
    "roles/editor": "publish messages and change the topic",
    "roles/owner": "publish messages and change the topic and its IAM",
};

/**
 * Predefined and basic roles that let their holder create objects in a bucket (storage.objects.create),
 * granted on the bucket: whoever holds one can write the objects a bucket-triggered function processes.
 * Source: Google Cloud documentation, "IAM roles for Cloud Storage" and "Basic roles". Reviewed 2026-12-06.
 */
export const STORAGE_WRITE_ROLES: ReadonlySet<string> = new Set([
    "roles/storage.objectCreator", "roles/storage.objectUser", "roles/storage.objectAdmin", "roles/storage.admin",
    "roles/storage.legacyBucketWriter", "roles/storage.legacyBucketOwner", "roles/editor", "roles/owner",
]);
