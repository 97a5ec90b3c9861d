import * as assert from "assert";
import { check, checkStack, messages, remediate } from "../../support/harness";
import { expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate, expectFailedDespiteUnknown } from "../../support/expect";
import * as fx from "../../fixtures/gcp";
import { secret, UNKNOWN } from "../../../runner/wire";
import { GCP_CLOUD_FUNCTIONS_RUNTIMES } from "../../../policies/data/runtimes-gcp";
import { parseIsoDate } from "../../../policies/lib/runtimes";

const both = [fx.functionV1, fx.functionV2];
const v1 = fx.functionV1;
const v2 = fx.functionV2;

describe("gcp cloud functions", () => {
    describe("gcp-cloudfunction-env-plaintext-secret", () => {
        const name = "gcp-cloudfunction-env-plaintext-secret";
        it("passes Secret Manager references and plain settings", () => both.forEach(f => expectPass(check(name, f))));
        it("flags a literal password in gen-1 environment variables and names only the key", () => {
            const out = check(name, mutate(v1, f => { f.props.environmentVariables.DB_PASSWORD = "correct-horse-battery"; }));
            expectViolation(out, /environmentVariables\.DB_PASSWORD holds a secret in plain text \(literal value of a secret-like setting\); move it to Secret Manager and reference it through secretEnvironmentVariables/, "mandatory");
            assert.ok(!JSON.stringify(out).includes("correct-horse-battery"));
        });
        it("flags gen-1 build environment variables", () => {
            expectViolation(check(name, mutate(v1, f => { f.props.buildEnvironmentVariables.NPM_TOKEN = "npm_" + "a1B2".repeat(9); })), /buildEnvironmentVariables\.NPM_TOKEN holds a secret in plain text \(npm token\)/);
        });
        it("flags gen-2 service and build environment variables", () => {
            expectViolation(check(name, mutate(v2, f => { f.props.serviceConfig.environmentVariables.STRIPE = "sk_live_" + "x".repeat(24); })), /serviceConfig\.environmentVariables\.STRIPE holds a secret in plain text \(Stripe key\).*serviceConfig\.secretEnvironmentVariables/);
            expectViolation(check(name, mutate(v2, f => { f.props.buildConfig.environmentVariables.GITHUB_TOKEN = "ghp_" + "a".repeat(36); })), /buildConfig\.environmentVariables\.GITHUB_TOKEN holds a secret in plain text \(GitHub token\)/);
        });
        it("flags a Pulumi secret value without revealing it", () => {
            const out = check(name, mutate(v2, f => { f.props.serviceConfig.environmentVariables.API_KEY = secret("k3y-that-is-secret-9"); }));
            expectViolation(out, /serviceConfig\.environmentVariables\.API_KEY/);
            assert.ok(!JSON.stringify(out).includes("k3y-that-is-secret-9"));
        });
        it("keeps checking known variables when another one, or a whole block, is unknown", () => {
            const out = check(name, mutate(v2, f => {
                f.props.serviceConfig.environmentVariables.OTHER = UNKNOWN;
                f.props.buildConfig = UNKNOWN;
                f.props.serviceConfig.environmentVariables.SLACK_TOKEN = "xoxb-1234567890-abcdefghijkl";
            }));
            expectViolation(out, /SLACK_TOKEN holds a secret in plain text \(Slack token\)/);
            expectFailedDespiteUnknown(out);
        });
        it("tolerates variables of the wrong shape", () => {
            expectPass(check(name, mutate(v1, f => { f.props.environmentVariables = ["A=B"]; f.props.buildEnvironmentVariables = 7; })));
            expectPass(check(name, mutate(v2, f => { f.props.serviceConfig = "nope"; f.props.buildConfig = null; })));
        });
    });

    describe("gcp-cloudfunction-service-account", () => {
        const name = "gcp-cloudfunction-service-account";
        it("passes a dedicated service account", () => both.forEach(f => expectPass(check(name, f))));
        it("flags a missing service account with the generation's default", () => {
            expectViolation(check(name, mutate(v1, f => { delete f.props.serviceAccountEmail; })), /serviceAccountEmail is not set, so the function runs as the App Engine default/, "mandatory");
            expectViolation(check(name, mutate(v2, f => { delete f.props.serviceConfig.serviceAccountEmail; })), /serviceConfig\.serviceAccountEmail is not set, so the function runs as the Compute Engine default/);
        });
        it("flags the default service accounts without quoting them", () => {
            const out = check(name, mutate(v2, f => { f.props.serviceConfig.serviceAccountEmail = "123456789012-compute@developer.gserviceaccount.com"; }));
            expectViolation(out, /is the Compute Engine default service account/);
            assert.ok(!messages(out).join().includes("123456789012"));
            expectViolation(check(name, mutate(v1, f => { f.props.serviceAccountEmail = "shop-prod@appspot.gserviceaccount.com"; })), /App Engine default service account/);
            expectViolation(check(name, mutate(v1, f => { f.props.serviceAccountEmail = "projects/shop-prod/serviceAccounts/shop-prod@appspot.gserviceaccount.com"; })), /App Engine default/);
        });
        it("can't decide on an email computed from another resource", () => {
            expectUnknown(check(name, mutate(v2, f => { f.props.serviceConfig.serviceAccountEmail = UNKNOWN; })));
            expectUnknown(check(name, mutate(v2, f => { f.props.serviceConfig = UNKNOWN; })));
        });
    });

    describe("gcp-cloudfunction-https-only", () => {
        const name = "gcp-cloudfunction-https-only";
        it("passes SECURE_ALWAYS", () => expectPass(check(name, v1)));
        it("flags SECURE_OPTIONAL and an unset level", () => {
            expectViolation(check(name, mutate(v1, f => { f.props.httpsTriggerSecurityLevel = "SECURE_OPTIONAL"; })), /`SECURE_OPTIONAL`.*plain HTTP/, "mandatory");
            expectViolation(check(name, mutate(v1, f => { delete f.props.httpsTriggerSecurityLevel; })), /is not set/);
        });
        it("is not applicable to event-triggered functions or gen 2", () => {
            expectNotApplicable(check(name, mutate(v1, f => { delete f.props.triggerHttp; f.props.eventTrigger = { eventType: "google.pubsub.topic.publish", resource: "orders" }; })));
            expectNotApplicable(check(name, v2));
        });
        it("remediates to SECURE_ALWAYS, keeping unknowns", () => {
            const fixed = remediate(name, mutate(v1, f => { f.props.httpsTriggerSecurityLevel = "SECURE_OPTIONAL"; }))!;
            assert.strictEqual(fixed.httpsTriggerSecurityLevel, "SECURE_ALWAYS");
            assert.strictEqual(fixed.sourceArchiveBucket, UNKNOWN);
            assert.strictEqual(remediate(name, v1), undefined);
        });
    });

    describe("gcp-cloudfunction-ingress", () => {
        const name = "gcp-cloudfunction-ingress";
        it("passes internal and load-balancer ingress", () => both.forEach(f => expectPass(check(name, f))));
        it("flags ALLOW_ALL as advisory, explicit or by default, decided with the stack (a gateway in front needs it)", async () => {
            expectPass(check(name, mutate(v1, f => { f.props.ingressSettings = "ALLOW_ALL"; })));
            expectViolation(await checkStack(name, [mutate(v1, f => { f.props.ingressSettings = "ALLOW_ALL"; })]), /ingressSettings is `ALLOW_ALL`, which the organization does not allow \(config allowedIngress\)/, "advisory");
            expectViolation(await checkStack(name, [mutate(v2, f => { delete f.props.serviceConfig.ingressSettings; })]), /serviceConfig\.ingressSettings is not set, so it defaults to "ALLOW_ALL"/, "advisory");
        });
        it("can require internal-only ingress", () => {
            expectViolation(check(name, v1, { config: { allowedIngress: ["ALLOW_INTERNAL_ONLY"] } }), /`ALLOW_INTERNAL_AND_GCLB`.*"ALLOW_INTERNAL_ONLY"/);
            expectPass(check(name, v2, { config: { allowedIngress: ["ALLOW_INTERNAL_ONLY"] } }));
        });
        it("is not applicable to event-triggered gen-1 functions", () => {
            const pubsub = mutate(v1, f => {
                delete f.props.triggerHttp;
                f.props.eventTrigger = { eventType: "google.pubsub.topic.publish", resource: UNKNOWN };
                f.props.ingressSettings = "ALLOW_ALL";
            });
            expectNotApplicable(check(name, pubsub), /no HTTP endpoint/);
        });
        it("can't decide on an unknown setting", () => expectUnknown(check(name, mutate(v2, f => { f.props.serviceConfig.ingressSettings = UNKNOWN; }))));
        it("never echoes an unrecognised value", () => {
            const out = check(name, mutate(v1, f => { f.props.ingressSettings = "tok-4f9a2c7e1b"; }));
            expectViolation(out, /ingressSettings is set to an unrecognised value/);
            assert.ok(!JSON.stringify(out).includes("tok-4f9a2c7e1b"));
        });
    });

    describe("gcp-cloudfunction-max-instances", () => {
        const name = "gcp-cloudfunction-max-instances";
        it("passes a bounded cap", () => both.forEach(f => expectPass(check(name, f))));
        it("flags a missing or zero cap on gen 1, whose default is 3,000 instances", () => {
            expectViolation(check(name, mutate(v1, f => { delete f.props.maxInstances; })), /maxInstances is not set, so the function scales up to Google's default of 3,000 instances, above the ceiling of 100 \(config maxInstances\)/, "advisory");
            expectViolation(check(name, mutate(v1, f => { f.props.maxInstances = 0; })), /maxInstances is not set/);
        });
        it("passes an unset cap on gen 2, whose default is 100 instances, unless the ceiling is lower", () => {
            const unset = mutate(v2, f => { delete f.props.serviceConfig.maxInstanceCount; });
            expectPass(check(name, unset));
            expectViolation(check(name, unset, { config: { maxInstances: 20 } }), /serviceConfig\.maxInstanceCount is not set, so the function scales up to Google's default of 100 instances, above the ceiling of 20/);
        });
        it("flags a cap above the ceiling", () => {
            expectViolation(check(name, mutate(v2, f => { f.props.serviceConfig.maxInstanceCount = 1000; })), /1000, above the ceiling of 100 \(config maxInstances\)/);
            expectViolation(check(name, v1, { config: { maxInstances: 5 } }), /20, above the ceiling of 5/);
        });
        it("can't decide on an unknown cap", () => expectUnknown(check(name, mutate(v1, f => { f.props.maxInstances = UNKNOWN; }))));
    });

    describe("gcp-cloudfunction-timeout", () => {
        const name = "gcp-cloudfunction-timeout";
        it("passes a short timeout", () => both.forEach(f => expectPass(check(name, f))));
        it("flags a timeout above the maximum", () => {
            expectViolation(check(name, mutate(v1, f => { f.props.timeout = 540; })), /timeout is 540 seconds, above the maximum of 300/, "advisory");
            expectViolation(check(name, mutate(v2, f => { f.props.serviceConfig.timeoutSeconds = 3600; })), /serviceConfig\.timeoutSeconds is 3600 seconds/);
            expectViolation(check(name, v2, { config: { maxTimeoutSeconds: 30 } }), /above the maximum of 30 \(config maxTimeoutSeconds\)/);
        });
        it("tolerates a wrong type", () => expectPass(check(name, mutate(v1, f => { f.props.timeout = "soon"; }))));
    });

    describe("gcp-cloudfunction-cmek", () => {
        const name = "gcp-cloudfunction-cmek";
        it("is not applicable unless the organization requires CMEK", () => expectNotApplicable(check(name, mutate(v1, f => { delete f.props.kmsKeyName; })), /requireCmek/));
        it("passes a Cloud KMS key, known or computed", () => {
            both.forEach(f => expectPass(check(name, f, { config: { requireCmek: true } })));
            expectPass(check(name, mutate(v2, f => { f.props.kmsKeyName = UNKNOWN; }), { config: { requireCmek: true } }));
        });
        it("flags a missing key, advisory by default", () => {
            expectViolation(check(name, mutate(v2, f => { delete f.props.kmsKeyName; }), { config: { requireCmek: true } }), /kmsKeyName is not set/, "advisory");
        });
    });

    describe("gcp-cloudfunction-vpc-egress", () => {
        const name = "gcp-cloudfunction-vpc-egress";
        const required = { config: { requireVpcEgress: true } };
        it("is not applicable unless VPC egress is required", () => expectNotApplicable(check(name, mutate(v1, f => { delete f.props.vpcConnector; }))));
        it("passes all traffic through a connector or Direct VPC egress", () => {
            both.forEach(f => expectPass(check(name, f, required)));
            expectPass(check(name, mutate(v2, f => {
                delete f.props.serviceConfig.vpcConnector;
                f.props.serviceConfig.directVpcNetworkInterfaces = [{ network: "default", subnetwork: "functions" }];
                f.props.serviceConfig.directVpcEgress = "VPC_EGRESS_ALL_TRAFFIC";
            }), required));
        });
        it("flags a missing connector", () => {
            expectViolation(check(name, mutate(v1, f => { delete f.props.vpcConnector; }), required), /vpcConnector is not set/);
            expectViolation(check(name, mutate(v2, f => { delete f.props.serviceConfig.vpcConnector; }), required), /serviceConfig\.vpcConnector is not set.*Direct VPC/);
        });
        it("flags egress limited to private ranges", () => {
            expectViolation(check(name, mutate(v1, f => { f.props.vpcConnectorEgressSettings = "PRIVATE_RANGES_ONLY"; }), required), /vpcConnectorEgressSettings is not "ALL_TRAFFIC"/);
            expectViolation(check(name, mutate(v2, f => {
                f.props.serviceConfig.directVpcNetworkInterfaces = [{ network: "default" }];
            }), required), /directVpcEgress is not "VPC_EGRESS_ALL_TRAFFIC"/);
        });
        it("counts a connector computed from another resource as set", () => {
            expectPass(check(name, mutate(v1, f => { f.props.vpcConnector = UNKNOWN; }), required));
        });
    });

    describe("gcp-cloudfunction-runtime-deprecated", () => {
        const name = "gcp-cloudfunction-runtime-deprecated";
        const at = { config: { evaluationDate: "2026-11-28" } };
        it("passes supported runtimes", () => both.forEach(f => expectPass(check(name, f, at))));
        it("flags a deprecated gen-1 runtime and suggests the newest of its family", () => {
            expectViolation(check(name, mutate(v1, f => { f.props.runtime = "python39"; }), at), /runtime `python39` is deprecated since 2025-10-05; move to python312/, "mandatory");
        });
        it("suggests only runtimes gen 1 offers", () => {
            expectViolation(check(name, mutate(v1, f => { f.props.runtime = "nodejs18"; }), at), /move to nodejs22\./);
            expectViolation(check(name, mutate(v1, f => { f.props.runtime = "dotnet6"; }), at), /no supported gen-1 runtime of this language remains/);
        });
        it("flags a deprecated gen-2 runtime", () => {
            expectViolation(check(name, mutate(v2, f => { f.props.buildConfig.runtime = "nodejs20"; }), at), /buildConfig\.runtime `nodejs20` is deprecated since 2026-04-30; move to nodejs24/);
            expectViolation(check(name, mutate(v2, f => { f.props.buildConfig.runtime = "dotnet8"; }), at), /deprecated since 2026-11-10/);
            expectViolation(check(name, mutate(v2, f => { f.props.buildConfig.runtime = "go122"; }), at), /go122.*move to a supported version/);
        });
        it("warns (advisory) before the deprecation date", () => {
            expectViolation(check(name, mutate(v2, f => { f.props.buildConfig.runtime = "php82"; }), at), /will be deprecated on 2026-12-31 \(in 33 days\)/, "advisory");
        });
        it("doesn't flag runtimes without a scheduled date", () => {
            expectPass(check(name, mutate(v2, f => { f.props.buildConfig.runtime = "go125"; }), at));
        });
        it("enforces an allow-list", () => {
            expectViolation(check(name, v1, { config: { ...at.config, allowedRuntimes: ["python313"] } }), /not in the organization's allowed runtimes/);
        });
        it("can't decide on an unknown runtime", () => expectUnknown(check(name, mutate(v1, f => { f.props.runtime = UNKNOWN; }))));
        it("never echoes a value that isn't a runtime id", () => {
            const out = check(name, mutate(v1, f => { f.props.runtime = "sk_live_abcdef"; }), { config: { ...at.config, allowedRuntimes: ["python312"] } });
            expectViolation(out, /runtime \(an unrecognised value\) is not in/);
            assert.ok(!JSON.stringify(out).includes("sk_live_abcdef"));
        });
        it("keeps every schedule entry a real date with a known family", () => {
            for (const [id, e] of Object.entries(GCP_CLOUD_FUNCTIONS_RUNTIMES.runtimes)) {
                assert.ok(parseIsoDate(e.deprecated), `${id}: ${e.deprecated}`);
                assert.ok(["nodejs", "python", "go", "java", "ruby", "php", "dotnet"].includes(e.family) && id.startsWith(e.family), id);
            }
        });
    });
});
