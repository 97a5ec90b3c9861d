import * as assert from "assert";
import { check, messages, remediate } from "../../support/harness";
import { expectFailedDespiteUnknown, expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import * as fx from "../../fixtures/aws";

describe("aws api gateway: stages, method settings and domains", () => {
    describe("aws-apigateway-stage-access-logging", () => {
        const name = "aws-apigateway-stage-access-logging";
        it("passes REST and HTTP stages that log to a (new) log group", () => {
            expectPass(check(name, fx.restStage));
            expectPass(check(name, fx.httpStage));
        });
        it("flags stages without access logs", () => {
            expectViolation(check(name, mutate(fx.restStage, f => { delete f.props.accessLogSettings; })), /accessLogSettings\.destinationArn is not set/, "advisory");
            expectViolation(check(name, mutate(fx.httpStage, f => { f.props.accessLogSettings = { format: "x" }; })), /no access log/);
        });
    });

    describe("aws-apigateway-stage-xray", () => {
        const name = "aws-apigateway-stage-xray";
        it("passes a traced stage", () => expectPass(check(name, fx.restStage)));
        it("flags and remediates an untraced stage", () => {
            const off = mutate(fx.restStage, f => { delete f.props.xrayTracingEnabled; });
            expectViolation(check(name, off), /xrayTracingEnabled is not true/);
            assert.strictEqual(remediate(name, off)!.xrayTracingEnabled, true);
        });
        it("can't decide while the flag is unknown", () => expectUnknown(check(name, mutate(fx.restStage, f => { f.props.xrayTracingEnabled = UNKNOWN; }))));
    });

    describe("aws-apigateway-stage-variables-secret", () => {
        const name = "aws-apigateway-stage-variables-secret";
        it("passes names and ARNs of secrets", () => expectPass(check(name, fx.restStage)));
        it("flags a password in REST stage variables and a token in HTTP stage variables, naming only the key", () => {
            const out = check(name, mutate(fx.restStage, f => { f.props.variables.DB_PASSWORD = "correct-horse-battery"; }));
            expectViolation(out, /variables\.DB_PASSWORD holds a secret in plain text/, "mandatory");
            assert.ok(!JSON.stringify(out).includes("correct-horse-battery"));
            expectViolation(check(name, mutate(fx.httpStage, f => { f.props.stageVariables = { upstream: "ghp_" + "a".repeat(36) }; })), /stageVariables\.upstream .*GitHub token/);
        });
        it("checks the known variables when one is unknown", () => {
            const out = check(name, mutate(fx.restStage, f => { f.props.variables.OTHER = UNKNOWN; f.props.variables.API_KEY = "k3y-that-is-secret-9"; }));
            expectViolation(out, /API_KEY/);
            assert.strictEqual(out.unknown, undefined, "the stage already fails; the unknown variable can only add to that");
            expectUnknown(check(name, mutate(fx.restStage, f => { f.props.variables.OTHER = UNKNOWN; })));
        });
    });

    describe("aws-apigateway-method-settings-logging", () => {
        const name = "aws-apigateway-method-settings-logging";
        it("passes ERROR and INFO", () => {
            expectPass(check(name, fx.methodSettings));
            expectPass(check(name, mutate(fx.methodSettings, f => { f.props.settings.loggingLevel = "INFO"; })));
        });
        it("flags OFF and unset", () => {
            expectViolation(check(name, mutate(fx.methodSettings, f => { f.props.settings.loggingLevel = "OFF"; })), /loggingLevel is "OFF" for every method \(\*\/\*\)/);
            expectViolation(check(name, mutate(fx.methodSettings, f => { delete f.props.settings.loggingLevel; })), /not set/);
        });
    });

    describe("aws-apigateway-data-trace", () => {
        const name = "aws-apigateway-data-trace";
        it("passes data trace off", () => {
            expectPass(check(name, fx.methodSettings));
            expectPass(check(name, fx.httpStage));
        });
        it("flags data trace on REST method settings and WebSocket route settings", () => {
            expectViolation(check(name, mutate(fx.methodSettings, f => { f.props.settings.dataTraceEnabled = true; })), /settings\.dataTraceEnabled is true/, "mandatory");
            expectViolation(check(name, mutate(fx.httpStage, f => { f.props.defaultRouteSettings.dataTraceEnabled = true; })), /defaultRouteSettings\.dataTraceEnabled/);
            const out = check(name, mutate(fx.httpStage, f => { f.props.routeSettings = [UNKNOWN, { routeKey: "sendMessage", dataTraceEnabled: true }]; }));
            expectViolation(out, /routeSettings\[1\]\.dataTraceEnabled is true/);
            expectUnknown(check(name, mutate(fx.httpStage, f => { f.props.routeSettings = [UNKNOWN, { routeKey: "sendMessage" }]; })));
        });
        it("names the method scope, and still flags the default route while the route list is unknown", () => {
            expectViolation(check(name, mutate(fx.methodSettings, f => { f.props.methodPath = "*/*"; f.props.settings.dataTraceEnabled = true; })),
                /\nsettings\.dataTraceEnabled is true for every method \(\*\/\*\); set it to false\.$/);
            const out = check(name, mutate(fx.httpStage, f => { f.props.defaultRouteSettings.dataTraceEnabled = true; f.props.routeSettings = UNKNOWN; }));
            expectViolation(out, /\ndefaultRouteSettings\.dataTraceEnabled is true; set it to false\.$/);
            expectFailedDespiteUnknown(out);
        });
    });

    describe("aws-apigateway-cache-encryption", () => {
        const name = "aws-apigateway-cache-encryption";
        it("passes an encrypted cache and is not applicable without caching", () => {
            expectPass(check(name, fx.methodSettings));
            expectNotApplicable(check(name, mutate(fx.methodSettings, f => { f.props.settings.cachingEnabled = false; f.props.settings.cacheDataEncrypted = false; })), /caching is off/);
        });
        it("flags and remediates an unencrypted cache", () => {
            const plain = mutate(fx.methodSettings, f => { delete f.props.settings.cacheDataEncrypted; });
            expectViolation(check(name, plain), /cacheDataEncrypted is not/);
            const fixed = remediate(name, plain)!;
            assert.deepStrictEqual((fixed.settings as Record<string, unknown>).cacheDataEncrypted, true);
            assert.strictEqual((fixed.settings as Record<string, unknown>).throttlingRateLimit, 50);
        });
    });

    describe("aws-apigateway-domain-tls", () => {
        const name = "aws-apigateway-domain-tls";
        it("passes TLS 1.2 and newer policies", () => {
            expectPass(check(name, fx.restDomain));
            expectPass(check(name, fx.httpDomain));
            expectPass(check(name, mutate(fx.restDomain, f => { f.props.securityPolicy = "SecurityPolicy_TLS13_1_3_2025_09"; })));
        });
        it("flags TLS 1.0 and an unset REST policy", () => {
            expectViolation(check(name, mutate(fx.restDomain, f => { f.props.securityPolicy = "TLS_1_0"; })), /securityPolicy is "TLS_1_0"/, "advisory");
            expectViolation(check(name, mutate(fx.restDomain, f => { delete f.props.securityPolicy; })), /securityPolicy is not set/);
            expectViolation(check(name, mutate(fx.httpDomain, f => { f.props.domainNameConfiguration.securityPolicy = "TLS_1_0"; })), /domainNameConfiguration\.securityPolicy/);
        });
        it("can't decide while the policy is unknown", () => expectUnknown(check(name, mutate(fx.restDomain, f => { f.props.securityPolicy = UNKNOWN; }))));
    });
});
