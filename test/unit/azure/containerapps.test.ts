// Azure Functions on Container Apps: plain HTTP on an external ingress, and secrets as plain
// environment values (read by azure-functionapp-plaintext-secret, one meaning for every app host).
import * as assert from "assert";
import { check, remediate } from "../../support/harness";
import { expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import * as fx from "../../fixtures/azure";
import { secret, UNKNOWN } from "../../../runner/wire";

describe("azure container apps", () => {
    describe("azure-containerapp-allow-insecure", () => {
        const name = "azure-containerapp-allow-insecure";
        it("passes HTTPS-only external ingress", () => expectPass(check(name, fx.containerApp)));
        it("flags plain HTTP on an external ingress", () => {
            expectViolation(check(name, mutate(fx.containerApp, a => { a.props.configuration.ingress.allowInsecure = true; })),
                /configuration\.ingress\.allowInsecure is true on an external ingress, so the app answers plain HTTP from the internet/, "mandatory");
        });
        it("is not applicable to internal or TCP ingress, or an app without ingress", () => {
            expectNotApplicable(check(name, mutate(fx.containerApp, a => { a.props.configuration.ingress.allowInsecure = true; a.props.configuration.ingress.external = false; })), /no external ingress/);
            expectNotApplicable(check(name, mutate(fx.containerApp, a => { a.props.configuration.ingress.allowInsecure = true; a.props.configuration.ingress.transport = "tcp"; })), /TCP/);
            expectNotApplicable(check(name, mutate(fx.containerApp, a => { delete a.props.configuration.ingress; })));
        });
        it("can't decide on a computed setting", () => {
            expectUnknown(check(name, mutate(fx.containerApp, a => { a.props.configuration.ingress.allowInsecure = UNKNOWN; })));
        });
        it("remediates allowInsecure only, in place", () => {
            const fixed = remediate(name, mutate(fx.containerApp, a => { a.props.configuration.ingress.allowInsecure = true; })) as any;
            assert.strictEqual(fixed.configuration.ingress.allowInsecure, false);
            assert.strictEqual(fixed.configuration.ingress.targetPort, 80);
            assert.strictEqual(remediate(name, fx.containerApp), undefined);
        });
    });

    describe("azure-functionapp-plaintext-secret on container apps", () => {
        const name = "azure-functionapp-plaintext-secret";
        it("passes values by secretRef and plain settings", () => expectPass(check(name, fx.containerApp)));
        it("flags a password as a plain env value, naming the variable, never the value", () => {
            const out = check(name, mutate(fx.containerApp, a => { a.props.template.containers[0].env[1] = { name: "DB_PASSWORD", value: "hunter2-prod-pw" }; }));
            expectViolation(out, /environment variable `DB_PASSWORD` \(template\.containers\[0\]\.env\) holds a secret in plain text .*reference it with secretRef/, "mandatory");
            assert.ok(!JSON.stringify(out).includes("hunter2-prod-pw"));
            expectViolation(check(name, mutate(fx.containerApp, a => { a.props.template.containers[0].env.push({ name: "FEATURE", value: secret("on-for-eu") }); })), /`FEATURE` .* holds a Pulumi secret/);
        });
        it("can't decide on a computed value without sources", () => {
            expectUnknown(check(name, mutate(fx.containerApp, a => { a.props.template.containers[0].env[1] = { name: "DB_PASSWORD", value: UNKNOWN }; })));
        });
        it("tolerates odd shapes", () => {
            expectPass(check(name, mutate(fx.containerApp, a => { a.props.template.containers = [{ env: [7, null, { value: "x" }] }]; })));
        });
    });
});
