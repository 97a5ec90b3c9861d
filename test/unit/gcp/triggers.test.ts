// Who calls functions and as whom: push subscriptions, scheduler jobs, Eventarc and gen-2 event
// triggers; and who may act as a service account.
import { check } from "../../support/harness";
import { expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import * as fx from "../../fixtures/gcp";
import { UNKNOWN } from "../../../runner/wire";

describe("gcp triggers", () => {
    describe("gcp-trigger-auth-token", () => {
        const name = "gcp-trigger-auth-token";
        it("passes a push subscription and a job that send OIDC tokens", () => [fx.pushSubscription, fx.schedulerJob].forEach(r => expectPass(check(name, r))));
        it("flags a push subscription without an OIDC token", () => {
            expectViolation(check(name, mutate(fx.pushSubscription, s => { delete s.props.pushConfig.oidcToken; })),
                /pushConfig\.oidcToken is not set: Pub\/Sub pushes messages without credentials/, "mandatory");
        });
        it("flags a scheduler job that calls a function without a token", () => {
            expectViolation(check(name, mutate(fx.schedulerJob, j => { delete j.props.httpTarget.oidcToken; })), /httpTarget has no oidcToken \(or oauthToken\)/);
            expectViolation(check(name, mutate(fx.schedulerJob, j => { delete j.props.httpTarget.oidcToken; j.props.httpTarget.uri = "https://europe-west1-shop-prod.cloudfunctions.net/orders"; })), /without credentials/);
            expectPass(check(name, mutate(fx.schedulerJob, j => { delete j.props.httpTarget.oidcToken; j.props.httpTarget.oauthToken = { serviceAccountEmail: "x@shop-prod.iam.gserviceaccount.com" }; })));
        });
        it("is not applicable to pull subscriptions, non-HTTP jobs or jobs calling other endpoints", () => {
            expectNotApplicable(check(name, mutate(fx.pushSubscription, s => { delete s.props.pushConfig; })), /pull subscription/);
            expectNotApplicable(check(name, mutate(fx.schedulerJob, j => { delete j.props.httpTarget; j.props.pubsubTarget = { topicName: UNKNOWN }; })));
            expectNotApplicable(check(name, mutate(fx.schedulerJob, j => { delete j.props.httpTarget.oidcToken; j.props.httpTarget.uri = "https://hooks.example.com/nightly"; })), /outside Cloud Functions/);
            expectNotApplicable(check(name, mutate(fx.schedulerJob, j => { delete j.props.httpTarget.oidcToken; j.props.httpTarget.uri = "https://evil.example.com/?x=.run.app"; })));
        });
        it("can't decide on a job whose target is computed, when it sends no token", () => {
            expectUnknown(check(name, mutate(fx.schedulerJob, j => { delete j.props.httpTarget.oidcToken; j.props.httpTarget.uri = UNKNOWN; })));
            expectPass(check(name, mutate(fx.schedulerJob, j => { j.props.httpTarget.uri = UNKNOWN; })));
        });
    });

    describe("gcp-trigger-service-account", () => {
        const name = "gcp-trigger-service-account";
        it("passes dedicated identities", () => [fx.eventarcTrigger, fx.pushSubscription, fx.schedulerJob].forEach(r => expectPass(check(name, r))));
        it("flags an Eventarc trigger and a gen-2 event trigger without a service account", () => {
            expectViolation(check(name, mutate(fx.eventarcTrigger, t => { delete t.props.serviceAccount; })), /serviceAccount is not set, so the trigger calls as the Compute Engine default service account/, "advisory");
            const v2 = mutate(fx.functionV2, f => { f.props.eventTrigger = { eventType: "google.cloud.pubsub.topic.v1.messagePublished", pubsubTopic: UNKNOWN }; });
            expectViolation(check(name, v2), /eventTrigger\.serviceAccountEmail is not set, so the function's event trigger calls as the Compute Engine default/);
            expectNotApplicable(check(name, fx.functionV2), /no event trigger/);
        });
        it("flags tokens minted for the default service account", () => {
            expectViolation(check(name, mutate(fx.pushSubscription, s => { s.props.pushConfig.oidcToken.serviceAccountEmail = "123456789012-compute@developer.gserviceaccount.com"; })),
                /pushConfig\.oidcToken\.serviceAccountEmail is the Compute Engine default service account/);
            expectViolation(check(name, mutate(fx.schedulerJob, j => { delete j.props.httpTarget.oidcToken; j.props.httpTarget.oauthToken = { serviceAccountEmail: "shop-prod@appspot.gserviceaccount.com" }; })),
                /httpTarget\.oauthToken\.serviceAccountEmail is the App Engine default/);
        });
        it("leaves token-less push subscriptions to gcp-trigger-auth-token", () => {
            expectPass(check(name, mutate(fx.pushSubscription, s => { delete s.props.pushConfig.oidcToken; })));
        });
        it("can't decide on a computed identity", () => {
            expectUnknown(check(name, mutate(fx.eventarcTrigger, t => { t.props.serviceAccount = UNKNOWN; })));
        });
    });
});

describe("gcp service account IAM", () => {
    const name = "gcp-iam-service-account-impersonation-broad";
    it("passes a grant to a specific deployer", () => expectPass(check(name, fx.serviceAccountIamMember)));
    it("flags public, domain-wide and identity-pool-wide grants of acting roles", () => {
        expectViolation(check(name, mutate(fx.serviceAccountIamMember, r => { r.props.member = "allAuthenticatedUsers"; })),
            /member grants `roles\/iam\.serviceAccountUser` to allAuthenticatedUsers, that is everyone: each of them can attach the account/, "mandatory");
        expectViolation(check(name, mutate(fx.serviceAccountIamMember, r => { r.props.role = "roles/iam.serviceAccountTokenCreator"; r.props.member = "domain:example.com"; })), /every account of a whole domain/);
        expectViolation(check(name, {
            type: "gcp:serviceaccount/iAMBinding:IAMBinding",
            props: { serviceAccountId: UNKNOWN, role: "roles/iam.workloadIdentityUser", members: ["principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/ci/*"] },
        }), /members\[0\] grants `roles\/iam\.workloadIdentityUser` to a whole set of workload identities/);
        expectViolation(check(name, {
            type: "gcp:serviceaccount/iAMPolicy:IAMPolicy",
            props: { serviceAccountId: UNKNOWN, policyData: JSON.stringify({ bindings: [{ role: "roles/iam.serviceAccountUser", members: ["allUsers"] }] }) },
        }), /policyData\.bindings\[0\]\.members\[0\]/);
    });
    it("leaves other roles and allowed domains alone", () => {
        expectPass(check(name, mutate(fx.serviceAccountIamMember, r => { r.props.role = "roles/iam.serviceAccountViewer"; r.props.member = "allUsers"; })));
        expectPass(check(name, mutate(fx.serviceAccountIamMember, r => { r.props.member = "domain:Example.com"; }), { config: { allowedDomains: ["example.com"] } }));
    });
    it("can't decide on an unknown member of an acting role", () => {
        expectUnknown(check(name, mutate(fx.serviceAccountIamMember, r => { r.props.member = UNKNOWN; })));
        expectPass(check(name, mutate(fx.serviceAccountIamMember, r => { r.props.role = "roles/iam.serviceAccountViewer"; r.props.member = UNKNOWN; })));
    });
});
