// What calls a function, and as whom: Pub/Sub push subscriptions and Cloud Scheduler HTTP jobs must
// present an OIDC (or OAuth) token, so that the function can keep requiring IAM; Eventarc triggers,
// gen-2 function event triggers, push subscriptions and scheduler jobs must call as a dedicated
// service account, not the project's default one.
import { resourcePolicy } from "../lib/define";
import { asString, at, Dict } from "../lib/values";
import { COMPUTE_DEFAULT, defaultIdentity, isSetAt, isStackAccount } from "./common";
import { FUNCTION_V2, WORKFLOW } from "./functions";
import { showPath } from "./cloudrun";

export const SUBSCRIPTION = "gcp:pubsub/subscription:Subscription";
export const SCHEDULER_JOB = "gcp:cloudscheduler/job:Job";
export const EVENTARC_TRIGGER = "gcp:eventarc/trigger:Trigger";
export const TASK_QUEUE = "gcp:cloudtasks/queue:Queue";

/** Hosts of Cloud Functions and Cloud Run services, which verify the token of an authenticated call. */
const GOOGLE_FUNCTION_HOST = /^https?:\/\/[^/?#]*(?:\.run\.app|\.cloudfunctions\.net)(?::\d+)?(?:[/?#]|$)/i;

/** The block a trigger needs before it calls anything, and why it is not applicable without it (absent: it always calls). */
const CALLER_BLOCK: Record<string, { path: readonly string[]; otherwise: string } | undefined> = {
    [SUBSCRIPTION]: { path: ["pushConfig"], otherwise: "a pull subscription calls nothing" },
    [SCHEDULER_JOB]: { path: ["httpTarget"], otherwise: "the job has no HTTP target" },
    [FUNCTION_V2]: { path: ["eventTrigger"], otherwise: "the function has no event trigger" },
    [TASK_QUEUE]: { path: ["httpTarget"], otherwise: "the queue sets no HTTP target; each task names its own caller identity" },
};

/** Where each trigger type names the service account it calls as; the first one set counts. */
const IDENTITY_PATHS: Record<string, readonly (readonly string[])[]> = {
    [SUBSCRIPTION]: [["pushConfig", "oidcToken", "serviceAccountEmail"]],
    [SCHEDULER_JOB]: [["httpTarget", "oidcToken", "serviceAccountEmail"], ["httpTarget", "oauthToken", "serviceAccountEmail"]],
    [EVENTARC_TRIGGER]: [["serviceAccount"]],
    [FUNCTION_V2]: [["eventTrigger", "serviceAccountEmail"]],
    [TASK_QUEUE]: [["httpTarget", "oidcToken", "serviceAccountEmail"], ["httpTarget", "oauthToken", "serviceAccountEmail"]],
    // A workflow calls functions (an http.* step with auth OIDC) as the account it runs as; unset, the
    // Compute Engine default (Workflows documentation, "Default service account", checked 2026-12).
    [WORKFLOW]: [["serviceAccount"]],
};

/** Token blocks whose absence means the trigger calls without credentials (subscription and scheduler only). */
const TOKEN_PATHS: Record<string, readonly (readonly string[])[]> = {
    [SUBSCRIPTION]: [["pushConfig", "oidcToken"]],
    [SCHEDULER_JOB]: [["httpTarget", "oidcToken"], ["httpTarget", "oauthToken"]],
    // A queue without a token override leaves the token to each task, which the program doesn't show.
    [TASK_QUEUE]: [["httpTarget", "oidcToken"], ["httpTarget", "oauthToken"]],
};

const what = (type: string) => ({
    [SUBSCRIPTION]: "push subscription", [SCHEDULER_JOB]: "scheduler job", [EVENTARC_TRIGGER]: "trigger", [FUNCTION_V2]: "function's event trigger",
    [TASK_QUEUE]: "queue", [WORKFLOW]: "workflow",
} as Record<string, string>)[type];

function requireCaller(type: string, props: Dict, notApplicable: (reason: string) => never): void {
    const block = CALLER_BLOCK[type];
    if (block && !isSetAt(props, block.path)) {
        notApplicable(block.otherwise);
    }
}

export const triggerPolicies = [
    resourcePolicy({
        name: "gcp-trigger-auth-token",
        description: "Pub/Sub push subscriptions and Cloud Scheduler jobs that call functions must send an OIDC token: without one the function must accept unauthenticated requests, so anyone who finds its URL can inject events.",
        severity: "high",
        threats: ["R1", "R2"],
        references: ["OWASP SAS-1", "OWASP SAS-2"],
        remediation: "Add pushConfig.oidcToken (httpTarget.oidcToken for a scheduler job) with a dedicated service account, grant that account roles/run.invoker or roles/cloudfunctions.invoker on the function only, and remove public access from the function.",
        resourceTypes: [SUBSCRIPTION, SCHEDULER_JOB],
        check: ({ type, props, report, notApplicable }) => {
            requireCaller(type, props, notApplicable);
            if (TOKEN_PATHS[type].some(path => isSetAt(props, path))) {
                return;
            }
            // A job can authenticate to an endpoint outside Google Cloud with its own headers; a push
            // subscription can't send headers, so an OIDC token is its only way to prove the sender.
            if (type === SCHEDULER_JOB) {
                const uri = asString(at(props, "httpTarget", "uri")) ?? "";
                if (!GOOGLE_FUNCTION_HOST.test(uri)) {
                    notApplicable("the job calls an endpoint outside Cloud Functions and Cloud Run");
                }
                report("httpTarget has no oidcToken (or oauthToken): the job calls the function without credentials, so the function must allow unauthenticated calls; add httpTarget.oidcToken with a dedicated service account.");
                return;
            }
            report("pushConfig.oidcToken is not set: Pub/Sub pushes messages without credentials, so the endpoint must accept unauthenticated requests; add oidcToken with a dedicated service account and require IAM on the endpoint.");
        },
    }),

    resourcePolicy({
        name: "gcp-trigger-service-account",
        description: "Eventarc triggers, gen-2 function event triggers, push subscriptions, scheduler jobs, Cloud Tasks queues and Workflows should call functions as a dedicated service account, not the Compute Engine default one that every workload shares, so that only the caller may invoke the function.",
        severity: "medium",
        threats: ["P2", "R1"],
        remediation: "Create a service account for the trigger, set it as the trigger's identity (serviceAccount on a trigger or workflow, eventTrigger.serviceAccountEmail, or the token's serviceAccountEmail on a subscription, job or queue) and grant it only roles/run.invoker (or roles/eventarc.eventReceiver) on the function it calls.",
        resourceTypes: [EVENTARC_TRIGGER, FUNCTION_V2, SUBSCRIPTION, SCHEDULER_JOB, TASK_QUEUE, WORKFLOW],
        provenance: true,
        check: ({ type, props, report, notApplicable }) => {
            requireCaller(type, props, notApplicable);
            const paths = IDENTITY_PATHS[type];
            const path = paths.find(p => isSetAt(props, p)) ?? paths[0];
            // A push subscription or job without a token calls as no one: gcp-trigger-auth-token reports it.
            if (isStackAccount(props, path)) {
                return;
            }
            const d = TOKEN_PATHS[type] && !isSetAt(props, path) ? undefined : defaultIdentity(at(props, ...path), COMPUTE_DEFAULT);
            if (d) {
                report(d.unset
                    ? `${showPath(path)} is not set, so the ${what(type)} calls as ${d.name}; set a dedicated service account.`
                    : `${showPath(path)} is ${d.name}; set a dedicated service account for the ${what(type)}.`);
            }
        },
    }),
];
