import * as assert from "assert";
import { check, checkStack, messages, remediate, TestResource } from "../../support/harness";
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

        const urnOf = (r: { type: string; name: string }) => `urn:pulumi:test::test::${r.type}::${r.name}`;
        const stage = mutate(fx.restStage, f => { f.props.restApi = "a1b2c3"; }) as TestResource & { name: string };
        const settingsFor = (props: Record<string, unknown> = {}) => mutate(fx.methodSettings, f => { Object.assign(f.props, { restApi: "a1b2c3", stageName: "prod" }, props); });
        it("passes a REST stage named by */* method settings (linked by name and API, or by dependency)", async () => {
            expectPass(await checkStack(name, [fx.restApi, stage, settingsFor()]));
            const linked = { ...settingsFor({ stageName: UNKNOWN }), propertyDependencies: { stageName: [urnOf(stage)] } };
            expectPass(await checkStack(name, [stage, linked]));
        });
        it("leaves a stage whose */* method settings turn logging off to those settings (one line)", async () => {
            const off = settingsFor({ settings: { loggingLevel: "OFF" } });
            expectViolation(check(name, off), /settings\.loggingLevel is "OFF"/);
            expectPass(await checkStack(name, [stage, off]));
        });
        it("flags a REST stage that no */* method settings name", async () => {
            expectViolation(await checkStack(name, [stage]), /no MethodSettings for "\*\/\*" names this stage/, "advisory");
            expectViolation(await checkStack(name, [stage, settingsFor({ methodPath: "orders/GET" })]), /no MethodSettings/);
            expectViolation(await checkStack(name, [stage, settingsFor({ stageName: "test" })]), /no MethodSettings/);
        });
        it("waits when method settings name a stage not known yet", async () => {
            expectUnknown(await checkStack(name, [stage, settingsFor({ stageName: UNKNOWN })]));
        });

        const wsApi = { type: "aws:apigatewayv2/api:Api", name: "chat", props: { name: "chat", protocolType: "WEBSOCKET", routeSelectionExpression: "$request.body.action" } };
        const wsStage = { ...mutate(fx.httpStage, f => { f.props.name = "prod"; }), propertyDependencies: { apiId: [urnOf(wsApi)] } };
        it("flags a WebSocket stage without execution logging, and passes ERROR or INFO", async () => {
            expectViolation(await checkStack(name, [wsApi, wsStage]), /defaultRouteSettings\.loggingLevel is not set on this WebSocket stage/, "advisory");
            expectViolation(await checkStack(name, [wsApi, mutate(wsStage, f => { f.props.defaultRouteSettings.loggingLevel = "OFF"; })]), /is "OFF"/);
            expectPass(await checkStack(name, [wsApi, mutate(wsStage, f => { f.props.defaultRouteSettings.loggingLevel = "INFO"; })]));
            expectPass(check(name, mutate(wsStage, f => { f.props.defaultRouteSettings.loggingLevel = "ERROR"; })));
        });
        it("leaves HTTP API stages alone (they have no execution logs)", async () => {
            const http = { ...fx.httpApi, name: "orders-http" };
            expectPass(await checkStack(name, [http, { ...fx.httpStage, propertyDependencies: { apiId: [urnOf(http)] } }]));
        });
        it("waits on a WebSocket API's protocol and on an unlinked API id", async () => {
            expectUnknown(await checkStack(name, [mutate(wsApi, f => { f.props.protocolType = UNKNOWN; }), wsStage]));
            expectUnknown(await checkStack(name, [fx.httpStage]));
        });
    });

    describe("aws-apigateway-stage-client-certificate", () => {
        const name = "aws-apigateway-stage-client-certificate";
        const urnOf = (r: { type: string; name: string }) => `urn:pulumi:test::test::${r.type}::${r.name}`;
        const api = { type: "aws:apigateway/restApi:RestApi", name: "legacy", props: { name: "legacy" } };
        const stage = { ...fx.restStage, propertyDependencies: { restApi: [urnOf(api)] } };
        const integration = (type: unknown) => ({
            type: "aws:apigateway/integration:Integration", name: "backend",
            props: { restApi: UNKNOWN, resourceId: UNKNOWN, httpMethod: "GET", type, uri: "https://backend.example.com/" },
            propertyDependencies: { restApi: [urnOf(api)] },
        });
        it("flags a stage of an API with an HTTP integration and no client certificate", async () => {
            expectViolation(await checkStack(name, [api, stage, integration("HTTP_PROXY")]), /clientCertificateId is not set, and the API calls an HTTP backend/, "advisory");
            const withBody = mutate(fx.restApi, f => { f.props.body = JSON.stringify({ openapi: "3.0.1", paths: { "/x": { get: { "x-amazon-apigateway-integration": { type: "http", uri: "https://backend.example.com/x" } } } } }); });
            expectViolation(await checkStack(name, [withBody, { ...fx.restStage, propertyDependencies: { restApi: [urnOf(withBody)] } }]), /HTTP backend/);
        });
        it("passes a client certificate, and Lambda-only APIs", async () => {
            expectPass(await checkStack(name, [api, mutate(stage, f => { f.props.clientCertificateId = UNKNOWN; }), integration("HTTP")]));
            expectPass(await checkStack(name, [api, stage, integration("AWS_PROXY")]));
            expectPass(await checkStack(name, [fx.restApi, { ...fx.restStage, propertyDependencies: { restApi: [urnOf(fx.restApi)] } }]));
        });
        it("waits on an integration type not known yet", async () => {
            expectUnknown(await checkStack(name, [api, stage, integration(UNKNOWN)]));
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
