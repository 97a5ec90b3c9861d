// Cloud Run jobs, Cloud Tasks queues and Workflows: what calls a function or runs beside it, as whom,
// and with which plain settings. The policies are the function and trigger ones (one meaning, one
// policy): gcp-cloudfunction-service-account and -env-plaintext-secret on jobs and workflows,
// gcp-trigger-service-account on queues and workflows.
import * as assert from "assert";
import { check, preview } from "../../support/harness";
import { expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import * as fx from "../../fixtures/gcp";
import { secret, UNKNOWN } from "../../../runner/wire";

const COMPUTE = "123456789012-compute@developer.gserviceaccount.com";

describe("gcp callers: Cloud Run jobs, Cloud Tasks, Workflows", () => {
    describe("gcp-cloudfunction-service-account on Cloud Run jobs", () => {
        const name = "gcp-cloudfunction-service-account";
        it("passes a job with a dedicated account", () => expectPass(check(name, fx.cloudRunJob)));
        it("flags a job without an account (the Compute Engine default) or with the default one", () => {
            expectViolation(check(name, mutate(fx.cloudRunJob, j => { delete j.props.template.template.serviceAccount; })),
                /template\.template\.serviceAccount is not set, so the job runs as the Compute Engine default service account/, "mandatory");
            expectViolation(check(name, mutate(fx.cloudRunJob, j => { j.props.template.template.serviceAccount = COMPUTE; })), /template\.template\.serviceAccount is the Compute Engine default service account/);
        });
        it("can't decide on an account computed from another resource", () => {
            expectUnknown(check(name, mutate(fx.cloudRunJob, j => { j.props.template.template.serviceAccount = UNKNOWN; })));
        });
    });

    describe("gcp-cloudfunction-env-plaintext-secret on jobs and workflows", () => {
        const name = "gcp-cloudfunction-env-plaintext-secret";
        it("passes secret references and plain settings", () => [fx.cloudRunJob, fx.workflow].forEach(r => expectPass(check(name, r))));
        it("flags a password inlined in a job's container env, pointing to valueSource.secretKeyRef", () => {
            const out = check(name, mutate(fx.cloudRunJob, j => { j.props.template.template.containers[0].envs[1] = { name: "DB_PASSWORD", value: "correct-horse-battery" }; }));
            expectViolation(out, /template\.template\.containers\[0\]\.envs\[1\] \(`DB_PASSWORD`\) holds a secret in plain text .*valueSource\.secretKeyRef/, "mandatory");
            assert.ok(!JSON.stringify(out).includes("correct-horse-battery"));
        });
        it("flags a token in a workflow's userEnvVars, pointing to the Secret Manager connector", () => {
            const out = check(name, mutate(fx.workflow, w => { w.props.userEnvVars.SLACK_TOKEN = "xoxb-1234567890-abcdefghijkl"; }));
            expectViolation(out, /userEnvVars\.SLACK_TOKEN holds a secret in plain text \(Slack token\); move it to Secret Manager and read it in the workflow with the Secret Manager connector/);
            assert.ok(!JSON.stringify(out).includes("abcdefghijkl"));
            expectViolation(check(name, mutate(fx.workflow, w => { w.props.userEnvVars.REGION_LABEL = secret("west"); })), /userEnvVars\.REGION_LABEL holds a Pulumi secret/);
        });
        it("decides a computed workflow variable from its sources at preview", async () => {
            const fromType = (type: string, name: string) => [
                { type, name, props: {} },
                { ...mutate(fx.workflow, w => { w.props.userEnvVars.EXTRA = UNKNOWN; }), propertyDependencies: { userEnvVars: [`urn:pulumi:test::test::${type}::${name}`] } },
            ];
            const fromKey = await preview([name], fromType("gcp:serviceaccount/key:Key", "ci-key"));
            assert.match(fromKey.findings.map(f => f.message).join("\n"), /userEnvVars\.EXTRA is computed from .*ci-key.*, a secret/);
            const fromBucket = await preview([name], fromType("gcp:storage/bucket:Bucket", "uploads"));
            assert.deepStrictEqual(fromBucket.findings, []);
        });
        it("can't decide on a computed variable without sources", () => {
            expectUnknown(check(name, mutate(fx.workflow, w => { w.props.userEnvVars.DB_PASSWORD = UNKNOWN; })));
        });
    });

    describe("gcp-trigger-service-account on queues and workflows", () => {
        const name = "gcp-trigger-service-account";
        it("passes dedicated identities", () => [fx.taskQueue, fx.workflow].forEach(r => expectPass(check(name, r))));
        it("flags a workflow without an account (the Compute Engine default) or with the default one", () => {
            expectViolation(check(name, mutate(fx.workflow, w => { delete w.props.serviceAccount; })), /serviceAccount is not set, so the workflow calls as the Compute Engine default service account/, "advisory");
            expectViolation(check(name, mutate(fx.workflow, w => { w.props.serviceAccount = `projects/shop-prod/serviceAccounts/${COMPUTE}`; })), /serviceAccount is the Compute Engine default service account; set a dedicated service account for the workflow/);
        });
        it("flags a queue whose token is minted for the default account", () => {
            expectViolation(check(name, mutate(fx.taskQueue, q => { q.props.httpTarget.oidcToken.serviceAccountEmail = COMPUTE; })), /httpTarget\.oidcToken\.serviceAccountEmail is the Compute Engine default service account; set a dedicated service account for the queue/);
            expectViolation(check(name, mutate(fx.taskQueue, q => { delete q.props.httpTarget.oidcToken; q.props.httpTarget.oauthToken = { serviceAccountEmail: "shop-prod@appspot.gserviceaccount.com" }; })), /httpTarget\.oauthToken\.serviceAccountEmail is the App Engine default/);
        });
        it("leaves a queue without a token override, or without an HTTP target, to its tasks", () => {
            expectPass(check(name, mutate(fx.taskQueue, q => { delete q.props.httpTarget.oidcToken; })));
            expectNotApplicable(check(name, mutate(fx.taskQueue, q => { delete q.props.httpTarget; })), /each task names its own caller identity/);
        });
        it("can't decide on a computed identity", () => {
            expectUnknown(check(name, mutate(fx.workflow, w => { w.props.serviceAccount = UNKNOWN; })));
            expectUnknown(check(name, mutate(fx.taskQueue, q => { q.props.httpTarget.oidcToken.serviceAccountEmail = UNKNOWN; })));
        });
    });
});
