// Who may publish to a Pub/Sub topic: the events of every function it triggers (a gen-1 or gen-2
// Pub/Sub trigger, or an Eventarc trigger whose transport topic it is) come from its publishers.
import { PUBSUB_PUBLISH_ROLES, PUBLIC_MEMBERS } from "../data/gcp";
import { resourcePolicy } from "../lib/define";
import { asList, at, Dict, isSet } from "../lib/values";
import { forEachGrant, Grant, iamResourceKind, parseIamPolicy, publicGrants, roleName } from "./common";

export const TOPIC_IAM_TYPES = [
    "gcp:pubsub/topicIAMMember:TopicIAMMember",
    "gcp:pubsub/topicIAMBinding:TopicIAMBinding",
    "gcp:pubsub/topicIAMPolicy:TopicIAMPolicy",
];

// The predicate of the resource policy that reports a topic anyone may publish to, shared with the
// stack policies that follow a function's triggers back to their sources.
export const TOPIC_PUBLIC_PUBLISH = "gcp-pubsub-topic-iam-public-publish";

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** Whether a grant lets its member publish to the topic. */
const publishes = (grant: Grant) => grant.role !== undefined && hasOwn(PUBSUB_PUBLISH_ROLES, grant.role.trim());

/** Whether the binding a grant belongs to carries an IAM condition. */
function conditioned(type: string, props: Dict, grant: Grant): boolean {
    if (iamResourceKind(type) !== "policy") {
        return isSet(props, "condition");
    }
    const m = /^policyData\.bindings\[(\d+)\]\./.exec(grant.where);
    const binding = m ? asList(at(parseIamPolicy(props.policyData), "bindings"))[Number(m[1])] : undefined;
    return isSet(binding, "condition");
}

/** The grants of a topic IAM resource that let allUsers or allAuthenticatedUsers publish, each with whether a condition limits it. */
function publicPublishers(ctx: Parameters<typeof forEachGrant>[0], visit: (grant: Grant, member: string, limited: boolean) => void): void {
    forEachGrant(ctx, grant => {
        if (!publishes(grant)) {
            return;
        }
        const member = grant.member();
        if (member?.kind === "public") {
            visit(grant, member.id, conditioned(ctx.type, ctx.props, grant));
        }
    });
}

/** A topic IAM member, binding or policy that lets everyone publish, unconditionally (values unknown during preview count as not). */
export function everyoneMayPublish(type: string, props: Dict): boolean {
    return publicGrants(type, props).some(grant => publishes(grant) && !conditioned(type, props, grant));
}

export const pubsubPolicies = [
    resourcePolicy<Dict>({
        name: TOPIC_PUBLIC_PUBLISH,
        description: "Pub/Sub topic IAM must not let allUsers or allAuthenticatedUsers publish: anyone could then inject events into every function the topic triggers (Pub/Sub triggers and Eventarc transport topics alike).",
        severity: "critical",
        threats: ["R1", "R2"],
        references: ["OWASP SAS-1"],
        remediation: "Remove allUsers and allAuthenticatedUsers from the topic's IAM and grant roles/pubsub.publisher to the service accounts that publish; for events from outside the project, publish through an authenticated endpoint (API Gateway or a Cloud Run service that checks the caller) instead.",
        resourceTypes: TOPIC_IAM_TYPES,
        provenance: true,
        check: ctx => {
            publicPublishers(ctx, (grant, member, limited) => {
                const what = `${grant.where} grants ${roleName(grant.role)} to ${member}, that is ${PUBLIC_MEMBERS[member]}, who can then ${PUBSUB_PUBLISH_ROLES[grant.role!.trim()]}`;
                if (limited) {
                    ctx.warn(`${what}, under an IAM condition: make sure the condition limits who publishes, or grant roles/pubsub.publisher to the publishing service accounts instead.`);
                } else {
                    ctx.report(`${what}: anyone can inject events into the functions the topic triggers; grant roles/pubsub.publisher to the publishing service accounts instead.`);
                }
            });
        },
    }),
];
