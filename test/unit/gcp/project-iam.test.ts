import * as assert from "assert";
import { check, messages } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import * as fx from "../../fixtures/gcp";
import { UNKNOWN } from "../../../runner/wire";

const baselines = [fx.projectIamMember, fx.projectIamBinding, fx.projectIamPolicy];
const SA = "serviceAccount:orders-fn@shop-prod.iam.gserviceaccount.com";

describe("gcp project, folder and organization IAM", () => {
    describe("gcp-iam-service-account-admin-role", () => {
        const name = "gcp-iam-service-account-admin-role";
        it("passes narrow roles, humans as owners and Google service agents", () => baselines.forEach(r => expectPass(check(name, r))));
        it("flags Owner and Editor for a service account", () => {
            const out = check(name, mutate(fx.projectIamMember, r => { r.props.role = "roles/editor"; }));
            expectViolation(out, /member grants `roles\/editor` \(write access to almost every resource\) to a service account on the whole project/, "mandatory");
            assert.ok(!messages(out).join().includes("orders-fn@"));
            expectViolation(check(name, mutate(fx.projectIamBinding, r => { r.props.role = "roles/owner"; })), /members\[0\] grants `roles\/owner`/);
        });
        it("flags *admin roles, also in policies, folders and organizations", () => {
            expectViolation(check(name, mutate(fx.projectIamPolicy, r => {
                r.props.policyData = JSON.stringify({ bindings: [{ role: "roles/cloudfunctions.admin", members: [SA] }] });
            })), /policyData\.bindings\[0\]\.members\[0\] grants `roles\/cloudfunctions\.admin` \(an administrator role\)/);
            expectViolation(check(name, { type: "gcp:folder/iAMMember:IAMMember", props: { folder: "folders/1", role: "roles/iam.securityAdmin", member: SA } }), /whole folder/);
            expectViolation(check(name, { type: "gcp:organizations/iAMBinding:IAMBinding", props: { orgId: "1", role: "roles/storage.admin", members: [SA] } }), /whole organization/);
        });
        it("accepts the policy data as an object and survives malformed JSON", () => {
            expectViolation(check(name, mutate(fx.projectIamPolicy, r => { r.props.policyData = { bindings: [{ role: "roles/owner", members: [SA] }] }; })), /roles\/owner/);
            expectPass(check(name, mutate(fx.projectIamPolicy, r => { r.props.policyData = "{\"bindings\": [ {"; })));
        });
        it("reads the member only for privileged roles", () => {
            expectPass(check(name, mutate(fx.projectIamMember, r => { r.props.member = UNKNOWN; })));
            expectUnknown(check(name, mutate(fx.projectIamMember, r => { r.props.member = UNKNOWN; r.props.role = "roles/editor"; })));
        });
    });

    describe("gcp-iam-impersonation-role-scope-wide", () => {
        const name = "gcp-iam-impersonation-role-scope-wide";
        it("passes projects without impersonation roles", () => baselines.forEach(r => expectPass(check(name, r))));
        it("flags Service Account User and Token Creator for a service account project-wide", () => {
            expectViolation(check(name, mutate(fx.projectIamMember, r => { r.props.role = "roles/iam.serviceAccountUser"; })), /grants `roles\/iam\.serviceAccountUser` to a service account on the whole project/, "mandatory");
            expectViolation(check(name, mutate(fx.projectIamBinding, r => { r.props.role = "roles/iam.serviceAccountTokenCreator"; })), /can mint access and ID tokens/);
        });
        it("checks other member types only when asked (CIS 1.6)", () => {
            const user = mutate(fx.projectIamMember, r => { r.props.role = "roles/iam.serviceAccountUser"; r.props.member = "user:dev@example.com"; });
            expectPass(check(name, user));
            expectViolation(check(name, user, { config: { allMemberTypes: true } }), /to a user member/);
        });
        it("can't decide on an unknown member of an impersonation grant", () => {
            expectUnknown(check(name, mutate(fx.projectIamMember, r => { r.props.role = "roles/iam.serviceAccountUser"; r.props.member = UNKNOWN; })));
        });
    });
});
