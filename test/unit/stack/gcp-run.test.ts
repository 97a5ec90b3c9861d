// Cloud Run services declared in the stack as function hosts: public through their invoker IAM or a
// disabled invoker check, and whether they cap their instances.
import * as assert from "assert";
import { check, checkStack, TestResource } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";

const urn = (type: string, name: string) => `urn:pulumi:dev::shop::${type}::${name}`;
const RUN2 = "gcp:cloudrunv2/service:Service";
const RUN1 = "gcp:cloudrun/service:Service";
const RUN2_MEMBER = "gcp:cloudrunv2/serviceIamMember:ServiceIamMember";
const RUN1_BINDING = "gcp:cloudrun/iamBinding:IamBinding";

function res(type: string, name: string, props: Record<string, unknown>, deps: Record<string, string[]> = {}): TestResource {
    return {
        type, name, urn: urn(type, name), props,
        propertyDependencies: Object.fromEntries(Object.entries(deps).map(([k, names]) => [k, names.map(n => urn(k === "name" ? RUN2 : RUN1, n))])),
    };
}
const run2 = (extra: Record<string, unknown> = {}, template: Record<string, unknown> = { scaling: { maxInstanceCount: 10 } }) =>
    res(RUN2, "api", { name: "orders-api", location: "europe-west1", template: { containers: [{ image: "x" }], ...template }, ...extra });
const run1 = (annotations: Record<string, string> = {}, revision: Record<string, string> = { "autoscaling.knative.dev/maxScale": "5" }) =>
    res(RUN1, "admin", { name: "orders-admin", location: "europe-west1", metadata: { annotations }, template: { metadata: { annotations: revision }, spec: { containers: [{ image: "x" }] } } });
const publicMember = (member = "allUsers", role = "roles/run.invoker") => res(RUN2_MEMBER, "api-public", { name: UNKNOWN, location: "europe-west1", role, member }, { name: ["api"] });

describe("stack policies: Cloud Run services", () => {
    // gcp-cloudrun-invoker-iam-disabled and gcp-iam-function-public-access report these paths on the service and
    // the IAM resource, so stack-function-public-invocation stays silent; the uncapped line on a service
    // without an instance cap shows each public path the stack finds.
    describe("public paths", () => {
        const name = "stack-function-public-uncapped";
        const uncapped = { template: { containers: [{ image: "x" }] } };
        const uncapped1 = { template: { metadata: { annotations: {} }, spec: { containers: [{ image: "x" }] } } };
        it("passes private services", async () => {
            expectPass(await checkStack(name, [run2(), run1(), res(RUN2_MEMBER, "api-invoker", { name: UNKNOWN, role: "roles/run.invoker", member: "serviceAccount:push@shop.iam.gserviceaccount.com" }, { name: ["api"] })]));
        });
        it("leaves a service whose invoker IAM check is disabled to the service's own line; Cloud Run stops at 100 instances by default", async () => {
            expectPass(await checkStack("stack-function-public-invocation", [run2({ invokerIamDisabled: true })]));
            expectPass(await checkStack(name, [run2({ invokerIamDisabled: true, ...uncapped })]));
            expectViolation(check("gcp-cloudrun-invoker-iam-disabled", run2({ invokerIamDisabled: true, ...uncapped })), /invokerIamDisabled/, "mandatory");
        });
        it("leaves a public invoker grant to the grant's own line, linked by dependency or by the service's known name", async () => {
            expectPass(await checkStack("stack-function-public-invocation", [run2(uncapped), publicMember()]));
            const byName = res(RUN1_BINDING, "admin-public", { service: "projects/shop/locations/europe-west1/services/orders-admin", role: "roles/run.invoker", members: ["allAuthenticatedUsers"] });
            expectPass(await checkStack("stack-function-public-invocation", [{ ...run1(), props: { ...run1().props, ...uncapped1 } }, byName]));
            expectViolation(check("gcp-iam-function-public-access", publicMember()), /grants `roles\/run\.invoker` to allUsers/, "mandatory");
        });
        it("ignores public grants of roles that don't invoke", async () => {
            expectPass(await checkStack(name, [run2(), publicMember("allUsers", "roles/run.viewer")]));
        });
        it("can't decide on an unknown switch or an unknown invoker member", async () => {
            expectUnknown(await checkStack(name, [run2({ invokerIamDisabled: UNKNOWN })]));
            const out = await checkStack(name, [run2(), res(RUN2_MEMBER, "api-x", { name: UNKNOWN, role: "roles/run.invoker", member: UNKNOWN }, { name: ["api"] })]);
            expectUnknown(out);
            assert.deepStrictEqual(out.violations, []);
        });
    });

    describe("stack-function-public-uncapped", () => {
        const name = "stack-function-public-uncapped";
        it("passes a public service with a per-revision or service-wide cap", async () => {
            expectPass(await checkStack(name, [run2(), publicMember()]));
            expectPass(await checkStack(name, [run2({ scaling: { maxInstanceCount: 3 } }, {}), publicMember()]));
        });
        it("passes a public service without an explicit cap: Cloud Run stops at its default of 100 instances", async () => {
            // pulumi/examples gcp-ts-cloudrun: a public `hello` service (allUsers run.invoker) with no maxScale annotation.
            expectPass(await checkStack(name, [run2({ invokerIamDisabled: true }, {})]));
            expectPass(await checkStack(name, [run1({ "run.googleapis.com/invoker-iam-disabled": "true" }, {})]));
        });
        it("can't decide on a computed cap", async () => {
            expectUnknown(await checkStack(name, [run2({ invokerIamDisabled: true }, { scaling: { maxInstanceCount: UNKNOWN } })]));
        });
    });
});
