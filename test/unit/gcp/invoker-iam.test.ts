import * as assert from "assert";
import { check, checkStack, messages, TestResource } from "../../support/harness";
import { expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate, expectFailedDespiteUnknown } from "../../support/expect";
import * as fx from "../../fixtures/gcp";
import { UNKNOWN } from "../../../runner/wire";
import { classifyMember, parseIamPolicy } from "../../../policies/gcp/common";

const baselines = [fx.functionIamMember, fx.functionIamBinding, fx.runServiceIamPolicy, fx.cloudRunIamMember];
const policyData = (bindings: unknown[]) => JSON.stringify({ bindings });
const urnOf = (r: TestResource) => `urn:pulumi:test::test::${r.type}::${r.name ?? "test"}`;
/** The IAM resource with its cloudFunction computed from `fn`, as a program that passes `fn.name` declares it. */
const linkedTo = (iam: TestResource, fn: TestResource): TestResource => ({ ...iam, urn: urnOf(iam), propertyDependencies: { cloudFunction: [urnOf(fn)] } });

describe("gcp function invoker IAM", () => {
    describe("gcp-iam-function-public-access", () => {
        const name = "gcp-iam-function-public-access";
        it("passes grants to specific principals", () => baselines.forEach(r => expectPass(check(name, r))));
        it("flags allUsers on a gen-2 function member", () => {
            expectViolation(check(name, mutate(fx.functionIamMember, r => { r.props.member = "allUsers"; })),
                /member grants `roles\/cloudfunctions\.invoker` to allUsers, that is anyone on the internet/, "mandatory");
        });
        it("flags allAuthenticatedUsers in a gen-1 binding, on any role, once the stack shows an HTTP trigger", async () => {
            const binding = mutate(fx.functionIamBinding, r => { r.props.role = "roles/cloudfunctions.viewer"; r.props.members.push("allAuthenticatedUsers"); });
            // One resource alone can't tell whether a gen-1 function has an HTTP trigger: Analyze leaves it to AnalyzeStack.
            expectPass(check(name, binding));
            const out = await checkStack(name, [fx.functionV1, linkedTo(binding, fx.functionV1)]);
            expectViolation(out, /members\[2\] grants `roles\/cloudfunctions\.viewer` to allAuthenticatedUsers, that is anyone with a Google account/, "mandatory");
            assert.strictEqual(out.violations[0].urn, urnOf(binding));
        });
        it("flags public members in a Cloud Run policy given as JSON or as an object", () => {
            const bindings = [{ role: "roles/run.invoker", members: ["serviceAccount:a@p.iam.gserviceaccount.com", "allUsers"] }];
            expectViolation(check(name, mutate(fx.runServiceIamPolicy, r => { r.props.policyData = policyData(bindings); })), /policyData\.bindings\[0\]\.members\[1\] grants `roles\/run\.invoker` to allUsers/);
            expectViolation(check(name, mutate(fx.runServiceIamPolicy, r => { r.props.policyData = { bindings }; })), /policyData\.bindings\[0\]\.members\[1\]/);
        });
        it("flags allUsers on a Cloud Run (v1) IAM member", () => {
            expectViolation(check(name, mutate(fx.cloudRunIamMember, r => { r.props.member = "allUsers"; })), /allUsers/);
        });
        it("covers every function and Cloud Run IAM type", async () => {
            expectViolation(check(name, { type: "gcp:cloudrunv2/serviceIamMember:ServiceIamMember", props: { role: "roles/run.invoker", member: "allUsers" } }), /allUsers/);
            // A gen-1 grant whose function isn't in the stack is still reported.
            expectViolation(await checkStack(name, [{ type: "gcp:cloudfunctions/functionIamMember:FunctionIamMember", props: { cloudFunction: "legacy", role: "roles/cloudfunctions.invoker", member: "allUsers" } }]), /allUsers/);
            for (const type of ["gcp:cloudfunctionsv2/functionIamBinding:FunctionIamBinding", "gcp:cloudrunv2/serviceIamBinding:ServiceIamBinding", "gcp:cloudrun/iamBinding:IamBinding"]) {
                expectViolation(check(name, { type, props: { role: "roles/run.invoker", members: ["allUsers"] } }), /members\[0\]/);
            }
            for (const type of ["gcp:cloudfunctionsv2/functionIamPolicy:FunctionIamPolicy", "gcp:cloudrun/iamPolicy:IamPolicy"]) {
                expectViolation(check(name, { type, props: { policyData: policyData([{ role: "roles/run.invoker", members: ["allUsers"] }]) } }), /bindings\[0\]/);
            }
            const gen1Policy = { type: "gcp:cloudfunctions/functionIamPolicy:FunctionIamPolicy", props: { cloudFunction: UNKNOWN, policyData: policyData([{ role: "roles/cloudfunctions.invoker", members: ["allUsers"] }]) } };
            expectViolation(await checkStack(name, [fx.functionV1, linkedTo(gen1Policy, fx.functionV1)]), /bindings\[0\]/);
        });
        it("names roles but never echoes an arbitrary role value", () => {
            const out = check(name, mutate(fx.functionIamMember, r => { r.props.member = "allUsers"; r.props.role = "pa55word in a role"; }));
            expectViolation(out, /member grants a role to allUsers/);
            assert.ok(!JSON.stringify(out).includes("pa55word"));
            expectViolation(check(name, mutate(fx.functionIamMember, r => { r.props.member = "allUsers"; r.props.role = "projects/shop-prod/roles/orders.caller"; })), /`projects\/shop-prod\/roles\/orders\.caller`/);
        });
        it("doesn't throw on a malformed or odd policyData", () => {
            for (const bad of ["{not json", "[]", "null", JSON.stringify({ bindings: "x" }), JSON.stringify({ bindings: [{ role: 5, members: [null, 7, {}] }] }), 42]) {
                expectPass(check(name, mutate(fx.runServiceIamPolicy, r => { r.props.policyData = bad; })));
            }
        });
        it("honours a dated exemption for a deliberately public function", () => {
            const open = mutate(fx.functionIamMember, r => { r.props.member = "allUsers"; });
            const exemptions = [{ resource: "orders-invoker", reason: "public webhook behind signature checks", expires: "2099-12-31" }];
            expectNotApplicable(check(name, open, { config: { exemptions } }), /public webhook/);
        });
        it("stops on an unknown member and keeps reporting known ones", async () => {
            expectUnknown(check(name, mutate(fx.functionIamMember, r => { r.props.member = UNKNOWN; })));
            const binding = mutate(fx.functionIamBinding, r => { r.props.members = [UNKNOWN, "allUsers"]; });
            const out = await checkStack(name, [fx.functionV1, linkedTo(binding, fx.functionV1)]);
            expectViolation(out, /members\[1\] grants/);
            assert.deepStrictEqual(out.waiting ?? {}, {});
            expectUnknown(check(name, mutate(fx.runServiceIamPolicy, r => { r.props.policyData = UNKNOWN; })));
        });
    });

    describe("gcp-iam-function-public-access on @pulumi/gcp callback functions", () => {
        const name = "gcp-iam-function-public-access";
        // pulumi/examples gcp-ts-slackbot: `messageTopic.onMessagePublished(...)` makes a gen-1 CallbackFunction with a
        // Pub/Sub eventTrigger and, by default, a FunctionIamMember granting allUsers roles/cloudfunctions.invoker.
        const processTopicMessage: TestResource = {
            type: "gcp:cloudfunctions/function:Function", name: "processTopicMessage",
            props: {
                runtime: "nodejs20", entryPoint: "handler", sourceArchiveBucket: UNKNOWN, sourceArchiveObject: UNKNOWN,
                eventTrigger: { resource: UNKNOWN, eventType: "google.pubsub.topic.publish" },
            },
        };
        const invoker = (fn: TestResource) => linkedTo({
            type: "gcp:cloudfunctions/functionIamMember:FunctionIamMember", name: `${fn.name}-invoker`,
            props: { project: UNKNOWN, region: UNKNOWN, cloudFunction: UNKNOWN, role: "roles/cloudfunctions.invoker", member: "allUsers" },
        }, fn);
        it("passes the inert allUsers grant on a Pub/Sub- or Storage-triggered gen-1 function", async () => {
            expectPass(check(name, invoker(processTopicMessage)));
            expectPass(await checkStack(name, [processTopicMessage, invoker(processTopicMessage)]));
            const onUpload = mutate(processTopicMessage, f => { f.props.eventTrigger = { resource: "uploads", eventType: "google.storage.object.finalize" }; });
            expectPass(await checkStack(name, [onUpload, invoker(onUpload)]));
        });
        it("flags the same grant on an HttpCallbackFunction (triggerHttp), as in pulumi/examples gcp-ts-functions", async () => {
            const greeting = mutate(processTopicMessage, f => { delete f.props.eventTrigger; f.props.triggerHttp = true; f.name = "greeting"; });
            const out = await checkStack(name, [greeting, invoker(greeting)]);
            expectViolation(out, /member grants `roles\/cloudfunctions\.invoker` to allUsers, that is anyone on the internet/, "mandatory");
        });
        it("waits while the function's triggerHttp is computed", async () => {
            const computed = mutate(processTopicMessage, f => { f.props.triggerHttp = UNKNOWN; });
            const out = await checkStack(name, [computed, invoker(computed)]);
            assert.deepStrictEqual(out.violations, []);
            expectUnknown(out);
        });
    });

    describe("gcp-iam-function-domain-invoker", () => {
        const name = "gcp-iam-function-domain-invoker";
        it("passes invokers that are specific principals", () => baselines.forEach(r => expectPass(check(name, r))));
        it("flags an invoker role granted to a whole domain, as advisory", () => {
            const out = check(name, mutate(fx.functionIamMember, r => { r.props.member = "domain:example.com"; }));
            expectViolation(out, /member grants `roles\/cloudfunctions\.invoker` to a whole domain/, "advisory");
            assert.ok(!messages(out).join().includes("example.com"));
            expectViolation(check(name, mutate(fx.runServiceIamPolicy, r => {
                r.props.policyData = policyData([{ role: "roles/run.invoker", members: ["domain:example.com"] }]);
            })), /policyData\.bindings\[0\]\.members\[0\]/);
        });
        it("allows configured domains and other roles", () => {
            expectPass(check(name, mutate(fx.functionIamMember, r => { r.props.member = "domain:Example.com"; }), { config: { allowedDomains: ["example.com"] } }));
            expectPass(check(name, mutate(fx.functionIamMember, r => { r.props.member = "domain:example.com"; r.props.role = "roles/cloudfunctions.viewer"; })));
        });
        it("doesn't read members of other roles, so their unknown values stop nothing", () => {
            expectPass(check(name, mutate(fx.functionIamMember, r => { r.props.role = "roles/cloudfunctions.viewer"; r.props.member = UNKNOWN; })));
            expectUnknown(check(name, mutate(fx.functionIamMember, r => { r.props.member = UNKNOWN; })));
        });
    });

    describe("member classification and policy parsing", () => {
        it("classifies members", () => {
            assert.deepStrictEqual(classifyMember(" allusers "), { kind: "public", id: "allUsers" });
            assert.deepStrictEqual(classifyMember("domain:Example.COM"), { kind: "domain", id: "example.com" });
            assert.strictEqual(classifyMember("serviceAccount:a@b.iam.gserviceaccount.com").kind, "serviceAccount");
            assert.strictEqual(classifyMember("deleted:serviceAccount:a@b.iam.gserviceaccount.com?uid=1").kind, "deleted");
            assert.strictEqual(classifyMember("principalSet://iam.googleapis.com/x").kind, "principalSet");
            assert.strictEqual(classifyMember("principal://iam.googleapis.com/x").kind, "other");
        });
        it("parses policyData from JSON or objects and tolerates garbage", () => {
            assert.deepStrictEqual(parseIamPolicy("{\"bindings\":[]}"), { bindings: [] });
            assert.deepStrictEqual(parseIamPolicy({ bindings: [] }), { bindings: [] });
            assert.strictEqual(parseIamPolicy("{oops"), undefined);
            assert.strictEqual(parseIamPolicy("[1]"), undefined);
            assert.strictEqual(parseIamPolicy(undefined), undefined);
        });
    });
});
