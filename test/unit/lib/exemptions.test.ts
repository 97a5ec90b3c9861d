import * as assert from "assert";
import { applyExemptions, overrideLevel } from "../../../policies/lib/exemptions";
import { parseIsoDate } from "../../../policies/lib/runtimes";
import { check, checkStack, messages } from "../../support/harness";
import { expectNotApplicable, expectPass, expectViolation, mutate } from "../../support/expect";
import * as fx from "../../fixtures/aws";

const today = parseIsoDate("2026-11-28")!;
const fn = { urn: "urn:pulumi:prod::shop::aws:lambda/function:Function::api", name: "api", type: "aws:lambda/function:Function", props: {} };
const entry = (resource: string, expires = "2027-01-31", extra: object = {}) => ({ resource, reason: "legacy batch job", expires, ...extra });

describe("exemptions", () => {
    it("match a resource by URN, name or type, with wildcards", () => {
        for (const pattern of [fn.urn, "api", "aws:lambda/function:Function", "urn:pulumi:prod::*::api", "aws:lambda/*", "a?i"]) {
            assert.ok(applyExemptions("p", fn, [entry(pattern)], undefined, today).active, pattern);
        }
        assert.strictEqual(applyExemptions("p", fn, [entry("other"), entry("aws:iam/*")], undefined, today).active, undefined);
    });

    it("state their source, reason, expiry and approver", () => {
        const a = applyExemptions("p", fn, [entry("api", "2027-01-31", { approvedBy: "sec-team" })], undefined, today);
        assert.strictEqual(a.active, "exempted by exemptions[0] until 2027-01-31: legacy batch job (approved by sec-team)");
    });

    it("stop applying after their expiry date, and say so", () => {
        const a = applyExemptions("p", fn, [entry("api", "2026-11-27")], undefined, today);
        assert.strictEqual(a.active, undefined);
        assert.deepStrictEqual(a.notes, ["the exemption in exemptions[0] expired on 2026-11-27"]);
        assert.ok(applyExemptions("p", fn, [entry("api", "2026-11-28")], undefined, today).active, "the expiry day itself still counts");
        const lateOnLastDay = new Date("2026-11-28T23:59:59Z");
        assert.ok(applyExemptions("p", fn, [entry("api", "2026-11-28")], undefined, lateOnLastDay).active, "all of the expiry day");
        assert.strictEqual(applyExemptions("p", fn, [entry("api", "2026-11-27")], undefined, lateOnLastDay).active, undefined);
    });

    it("ignore malformed entries and name them", () => {
        const a = applyExemptions("p", fn, [{ resource: "api", reason: "", expires: "2027-01-01" }, { resource: "api", reason: "ok reason", expires: "2027-02-30" }], undefined, today);
        assert.strictEqual(a.active, undefined);
        assert.match(a.notes.join("\n"), /exemptions\[0\] of p matches this resource but is ignored/);
        assert.match(a.notes.join("\n"), /exemptions\[1\] of p/);
    });

    it("read AWS and Azure tags and GCP labels", () => {
        const tagged = (tags: object) => ({ ...fn, props: { tags } });
        assert.match(applyExemptions("p", tagged({ "serverless-guard:exempt:p": "2027-03-01 vendor appliance" }), [], undefined, today).active!, /tag serverless-guard:exempt:p until 2027-03-01: vendor appliance/);
        assert.match(applyExemptions("p", tagged({ "serverless-guard:exempt:p": "soon" }), [], undefined, today).notes[0], /must be "YYYY-MM-DD reason"/);
        assert.match(applyExemptions("p", tagged({ "serverless-guard:exempt:p": "2026-01-01 old" }), [], undefined, today).notes[0], /expired on 2026-01-01/);
        const labelled = { ...fn, props: { labels: { "sg-exempt-p": "2027-03-01" } } };
        assert.match(applyExemptions("p", labelled, [], "approved data-science sandbox", today).active!, /label sg-exempt-p until 2027-03-01: approved data-science sandbox/);
        assert.match(applyExemptions("p", labelled, [], undefined, today).notes[0], /no labelExemptionReason/);
        assert.match(applyExemptions("p", { ...fn, props: { labels: { "sg-exempt-p": "forever" } } }, [], "x reason", today).notes[0], /must be a date/);
    });

    it("pick the level for the stack from overrides", () => {
        const tags = new Map([["environment", "prod"]]);
        const overrides = [{ stackTags: { environment: "prod" }, enforcementLevel: "mandatory" }, { stackName: "dev-*", enforcementLevel: "disabled" }];
        assert.strictEqual(overrideLevel(overrides, tags, "prod"), "mandatory");
        assert.strictEqual(overrideLevel(overrides, new Map(), "dev-alice"), "disabled");
        assert.strictEqual(overrideLevel(overrides, new Map(), "staging"), undefined);
    });
});

describe("exemptions in the policy layer", () => {
    const name = "aws-lambda-function-timeout";
    const slow = mutate(fx.lambdaFunction, f => { f.props.timeout = 900; });

    it("turn an exempted violation into not-applicable with the reason and the finding", () => {
        const out = check(name, slow, { config: { exemptions: [entry("api", "2099-01-01")] } });
        expectNotApplicable(out, /exempted by exemptions\[0\] until 2099-01-01: legacy batch job; finding not enforced: timeout is 900 seconds/);
    });

    it("report the violation again once the exemption has expired", () => {
        expectViolation(check(name, slow, { config: { exemptions: [entry("api", "2020-01-01")] } }), /above the maximum of 300 \(the exemption in exemptions\[0\] expired on 2020-01-01\)/);
    });

    it("honour resource tags", () => {
        const tagged = mutate(slow, f => { f.props.tags = { "serverless-guard:exempt:aws-lambda-function-timeout": "2099-01-01 nightly export needs 15 minutes" }; });
        expectNotApplicable(check(name, tagged), /tag serverless-guard:exempt:aws-lambda-function-timeout until 2099-01-01: nightly export/);
        expectViolation(check("aws-lambda-function-tracing", mutate(tagged, f => { f.props.tracingConfig.mode = "PassThrough"; })), /tracingConfig/);
    });

    it("leave compliant resources as passes", () => {
        expectPass(check(name, fx.lambdaFunction, { config: { exemptions: [entry("api", "2099-01-01")] } }));
    });

    it("raise the level on production stacks by stack tag", () => {
        const config = { levelOverrides: [{ stackTags: { environment: "prod" }, enforcementLevel: "mandatory" }] };
        expectViolation(check(name, slow, { config, stackTags: { environment: "prod" } }), /timeout/, "mandatory");
        expectViolation(check(name, slow, { config, stackTags: { environment: "dev" } }), /timeout/, "advisory");
        expectNotApplicable(check(name, slow, { config: { levelOverrides: [{ stackTags: { environment: "dev" }, enforcementLevel: "disabled" }] }, stackTags: { environment: "dev" } }), /disabled on this stack/);
    });

    it("report unknown config properties once, as advisory", () => {
        const config = { maxTimeoutSecs: 10 };
        const first = check(name, fx.lambdaFunction, { config });
        assert.match(messages(first).join("\n"), /unknown property `maxTimeoutSecs`, which is ignored; known: maxTimeoutSeconds/);
        assert.deepStrictEqual(messages(check(name, fx.lambdaFunction, { config })), []);
    });

    it("report exempted stack findings as advisory, naming the exemption", async () => {
        const U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const graph = [
            { type: "aws:iam/role:Role", name: "r", urn: "urn:pulumi:dev::s::aws:iam/role:Role::r", props: { assumeRolePolicy: "{}" } },
            ...["a", "b"].map(n => ({ type: "aws:lambda/function:Function", name: n, urn: `urn:pulumi:dev::s::aws:lambda/function:Function::${n}`, props: { role: U }, propertyDependencies: { role: ["urn:pulumi:dev::s::aws:iam/role:Role::r"] } })),
        ];
        const out = await checkStack("stack-aws-lambda-shared-role", graph, { config: { exemptions: [entry("a", "2099-01-01")] } });
        const a = out.violations.find(v => v.urn?.endsWith("::a"))!;
        const b = out.violations.find(v => v.urn?.endsWith("::b"))!;
        assert.strictEqual(a.level, "advisory");
        assert.match(a.message, /not enforced: exempted by exemptions\[0\] until 2099-01-01/);
        assert.strictEqual(b.level, "advisory");
        assert.doesNotMatch(b.message, /exempted/);
    });
});

describe("tag and label exemptions per cloud, through the policy layer", () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const az = require("../../fixtures/azure");
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const gcp = require("../../fixtures/gcp");

    it("honours an Azure tag on a function app", () => {
        const app = mutate(az.functionApp, (f: any) => { f.props.httpsOnly = false; });
        expectViolation(check("azure-functionapp-https-only", app), /httpsOnly/);
        const tagged = mutate(app, (f: any) => { f.props.tags = { ...f.props.tags, "serverless-guard:exempt:azure-functionapp-https-only": "2099-01-01 internal-only health probe" }; });
        expectNotApplicable(check("azure-functionapp-https-only", tagged), /tag serverless-guard:exempt:azure-functionapp-https-only until 2099-01-01: internal-only health probe/);
    });

    it("honours a GCP label, with the reason from config", () => {
        const bucket = mutate(gcp.bucket, (f: any) => { f.props.uniformBucketLevelAccess = false; f.props.labels = { "sg-exempt-gcp-storage-bucket-uniform-access": "2099-01-01" }; });
        expectViolation(check("gcp-storage-bucket-uniform-access", bucket), /no labelExemptionReason/);
        expectNotApplicable(check("gcp-storage-bucket-uniform-access", bucket, { config: { labelExemptionReason: "legacy ACL consumers, SEC-42" } }),
            /label sg-exempt-gcp-storage-bucket-uniform-access until 2099-01-01: legacy ACL consumers, SEC-42/);
    });
});
