import * as assert from "assert";
import { check, preview, TestResource } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import { everyoneMayPublish } from "../../../policies/gcp/pubsub";
import { UNKNOWN } from "../../../runner/wire";

const member: TestResource = {
    type: "gcp:pubsub/topicIAMMember:TopicIAMMember",
    name: "orders-publisher",
    props: { project: "orders-prod", topic: "orders", role: "roles/pubsub.publisher", member: "serviceAccount:checkout@orders-prod.iam.gserviceaccount.com" },
};
const binding: TestResource = {
    type: "gcp:pubsub/topicIAMBinding:TopicIAMBinding",
    name: "orders-publishers",
    props: { project: "orders-prod", topic: "orders", role: "roles/pubsub.publisher", members: ["serviceAccount:checkout@orders-prod.iam.gserviceaccount.com"] },
};
const policy: TestResource = {
    type: "gcp:pubsub/topicIAMPolicy:TopicIAMPolicy",
    name: "orders-policy",
    props: {
        project: "orders-prod", topic: "orders",
        policyData: JSON.stringify({ bindings: [
            { role: "roles/pubsub.publisher", members: ["serviceAccount:checkout@orders-prod.iam.gserviceaccount.com"] },
            { role: "roles/pubsub.viewer", members: ["allUsers"] },
        ] }),
    },
};

describe("gcp pub/sub topics", () => {
    describe("gcp-pubsub-topic-iam-public-publish", () => {
        const name = "gcp-pubsub-topic-iam-public-publish";
        it("passes publishers that are service accounts, and public roles that can't publish", () => {
            expectPass(check(name, member));
            expectPass(check(name, binding));
            expectPass(check(name, policy));
            expectPass(check(name, mutate(member, m => { m.props.role = "roles/pubsub.subscriber"; m.props.member = "allAuthenticatedUsers"; })));
        });
        it("flags allUsers or allAuthenticatedUsers with a publishing role in a member, binding or policy", () => {
            expectViolation(check(name, mutate(member, m => { m.props.member = "allUsers"; })), /member grants `roles\/pubsub\.publisher` to allUsers, that is anyone on the internet, who can then publish messages: anyone can inject events/, "mandatory");
            expectViolation(check(name, mutate(binding, b => { b.props.role = "roles/editor"; b.props.members.push("allAuthenticatedUsers"); })), /members\[1\] grants `roles\/editor` to allAuthenticatedUsers/);
            const open = mutate(policy, p => { p.props.policyData = { bindings: [{ role: "roles/pubsub.admin", members: ["allUsers"] }] }; });
            expectViolation(check(name, open), /policyData\.bindings\[0\]\.members\[0\] grants `roles\/pubsub\.admin` to allUsers/);
        });
        it("only warns about a public publisher under an IAM condition", () => {
            const conditioned = mutate(member, m => { m.props.member = "allUsers"; m.props.condition = { title: "until launch", expression: "request.time < timestamp(\"2027-01-01T00:00:00Z\")" }; });
            expectViolation(check(name, conditioned), /under an IAM condition/, "advisory");
            assert.strictEqual(everyoneMayPublish(conditioned.type, conditioned.props), false);
        });
        it("exports its predicate for the stack policies", () => {
            assert.strictEqual(everyoneMayPublish(member.type, mutate(member, m => { m.props.member = "allUsers"; }).props), true);
            assert.strictEqual(everyoneMayPublish(member.type, member.props), false);
            assert.strictEqual(everyoneMayPublish(policy.type, { policyData: "{not json" }), false);
        });
        it("can't decide on an unknown member with a publishing role", () => {
            expectUnknown(check(name, mutate(member, m => { m.props.member = UNKNOWN; })));
            expectPass(check(name, mutate(member, m => { m.props.member = UNKNOWN; m.props.role = "roles/pubsub.viewer"; })));
        });
        it("decides a member computed from a service account of the stack at preview", async () => {
            const sa: TestResource = { type: "gcp:serviceaccount/account:Account", name: "checkout", urn: "urn:pulumi:test::test::gcp:serviceaccount/account:Account::checkout", props: { accountId: "checkout" } };
            const computed = { ...mutate(member, m => { m.props.member = UNKNOWN; }), propertyDependencies: { member: [sa.urn!] } };
            const out = await preview([name], [sa, computed]);
            assert.deepStrictEqual(out.findings, []);
            assert.deepStrictEqual(out.waiting, {});
        });
    });
});
