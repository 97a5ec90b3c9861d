// Cloud Run services (v2 and v1) through the function policies that cover them, the invoker-IAM switch
// and the build identity of functions and services built from source.
import * as assert from "assert";
import { check, checkStack } from "../../support/harness";
import { expectFailedDespiteUnknown, expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import * as fx from "../../fixtures/gcp";
import { UNKNOWN } from "../../../runner/wire";

const run2 = fx.runServiceV2;
const run1 = fx.runServiceV1;
const services = [run2, run1];
const ANN = "run.googleapis.com";

describe("gcp cloud run services", () => {
    it("the hardened services pass every policy that covers them", () => {
        for (const name of ["gcp-cloudfunction-env-plaintext-secret", "gcp-cloudfunction-service-account", "gcp-cloudfunction-ingress",
            "gcp-cloudfunction-max-instances", "gcp-cloudfunction-timeout", "gcp-cloudrun-invoker-iam-disabled"]) {
            services.forEach(s => expectPass(check(name, s)));
        }
        services.forEach(s => expectPass(check("gcp-cloudfunction-cmek", s, { config: { requireCmek: true } })));
        services.forEach(s => expectPass(check("gcp-cloudfunction-vpc-egress", s, { config: { requireVpcEgress: true } })));
        expectPass(check("gcp-cloudfunction-build-service-account", run2));
    });

    describe("gcp-cloudfunction-env-plaintext-secret", () => {
        const name = "gcp-cloudfunction-env-plaintext-secret";
        it("flags a literal secret in a v2 container env, naming the entry and the secret reference to use", () => {
            const out = check(name, mutate(run2, s => { s.props.template.containers[0].envs.push({ name: "STRIPE_KEY", value: "sk_live_" + "x".repeat(24) }); }));
            expectViolation(out, /template\.containers\[0\]\.envs\[2\] \(`STRIPE_KEY`\) holds a secret in plain text \(Stripe key\); move it to Secret Manager and reference it through valueSource\.secretKeyRef/, "mandatory");
            assert.ok(!JSON.stringify(out).includes("x".repeat(24)));
        });
        it("flags v1 container envs and v2 build variables", () => {
            expectViolation(check(name, mutate(run1, s => { s.props.template.spec.containers[0].envs[0] = { name: "DB_PASSWORD", value: "correct-horse-battery" }; })),
                /template\.spec\.containers\[0\]\.envs\[0\] \(`DB_PASSWORD`\).*valueFrom\.secretKeyRef/);
            expectViolation(check(name, mutate(run2, s => { s.props.buildConfig.environmentVariables.NPM_TOKEN = "npm_" + "a1B2".repeat(9); })),
                /buildConfig\.environmentVariables\.NPM_TOKEN holds a secret in plain text \(npm token\); remove it; build variables are stored with the service/);
        });
        it("keeps checking other containers when one env entry is unknown", () => {
            const out = check(name, mutate(run2, s => {
                s.props.template.containers[0].envs[0] = UNKNOWN;
                s.props.template.containers.push({ image: "x", envs: [{ name: "SLACK_TOKEN", value: "xoxb-1234567890-abcdefghijkl" }] });
            }));
            expectViolation(out, /containers\[1\]\.envs\[0\] \(`SLACK_TOKEN`\)/);
            expectFailedDespiteUnknown(out);
        });
        it("tolerates odd shapes", () => {
            expectPass(check(name, mutate(run2, s => { s.props.template.containers = "x"; })));
            expectPass(check(name, mutate(run1, s => { s.props.template.spec.containers = [{ envs: [7, null, { value: "sk_live_" + "y".repeat(24) }] }]; })));
        });
    });

    describe("gcp-cloudfunction-service-account", () => {
        const name = "gcp-cloudfunction-service-account";
        it("flags a service without a service account, or with the default one", () => {
            expectViolation(check(name, mutate(run2, s => { delete s.props.template.serviceAccount; })), /template\.serviceAccount is not set, so the service runs as the Compute Engine default service account/, "mandatory");
            expectViolation(check(name, mutate(run1, s => { s.props.template.spec.serviceAccountName = "123456789012-compute@developer.gserviceaccount.com"; })), /template\.spec\.serviceAccountName is the Compute Engine default service account/);
        });
        it("can't decide on an email computed from another resource", () => expectUnknown(check(name, mutate(run2, s => { s.props.template.serviceAccount = UNKNOWN; }))));
    });

    describe("gcp-cloudfunction-ingress", () => {
        const name = "gcp-cloudfunction-ingress";
        it("flags all-traffic ingress in each service's own spelling, decided with the stack (a gateway in front needs it)", async () => {
            expectPass(check(name, mutate(run2, s => { s.props.ingress = "INGRESS_TRAFFIC_ALL"; })));
            expectViolation(await checkStack(name, [mutate(run2, s => { s.props.ingress = "INGRESS_TRAFFIC_ALL"; })]), /ingress is `INGRESS_TRAFFIC_ALL`.*"INGRESS_TRAFFIC_INTERNAL_ONLY" or "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"/, "advisory");
            expectViolation(await checkStack(name, [mutate(run2, s => { delete s.props.ingress; })]), /ingress is not set, so it defaults to "INGRESS_TRAFFIC_ALL"/);
            expectViolation(await checkStack(name, [mutate(run1, s => { delete s.props.metadata; })]), /metadata\.annotations\["run\.googleapis\.com\/ingress"\] is not set, so it defaults to "all".*"internal" or "internal-and-cloud-load-balancing"/);
        });
        it("applies the same allowedIngress config to services", () => {
            expectViolation(check(name, run2, { config: { allowedIngress: ["ALLOW_INTERNAL_ONLY"] } }), /`INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER`.*"INGRESS_TRAFFIC_INTERNAL_ONLY"/);
            expectPass(check(name, run1, { config: { allowedIngress: ["ALLOW_INTERNAL_ONLY"] } }));
        });
        it("never treats a function's spelling on a service as allowed, nor echoes an unknown value", () => {
            const out = check(name, mutate(run2, s => { s.props.ingress = "ALLOW_INTERNAL_ONLY"; }));
            expectViolation(out, /ingress is set to an unrecognised value/);
        });
        it("can't decide on an unknown setting", () => expectUnknown(check(name, mutate(run1, s => { s.props.metadata.annotations[`${ANN}/ingress`] = UNKNOWN; }))));
    });

    describe("gcp-cloudfunction-max-instances", () => {
        const name = "gcp-cloudfunction-max-instances";
        // The services of pulumi/examples gcp-ts-cloudrun: no maxScale annotation, so Cloud Run's default of 100 applies.
        const helloService = { type: "gcp:cloudrun/service:Service", props: { location: "us-central1", template: { spec: { containers: [{ image: "gcr.io/cloudrun/hello" }] } } } };
        it("passes an unset cap: Cloud Run stops at its default of 100 instances, the pack's ceiling", () => {
            expectPass(check(name, helloService));
            expectPass(check(name, mutate(run2, s => { delete s.props.template.scaling; })));
        });
        it("flags an unset cap when the configured ceiling is below Cloud Run's default, naming the config", () => {
            expectViolation(check(name, helloService, { config: { maxInstances: 50 } }), /not set, so the service scales up to Google's default of 100 instances, above the ceiling of 50 \(config maxInstances\)/);
        });
        it("flags a too high cap on each service type", () => {
            expectViolation(check(name, mutate(run1, s => { s.props.template.metadata.annotations["autoscaling.knative.dev/maxScale"] = "500"; })), /\["autoscaling\.knative\.dev\/maxScale"\] is 500, above the ceiling of 100/);
        });
        it("accepts a service-wide cap, and manual scaling", () => {
            expectPass(check(name, mutate(run2, s => { delete s.props.template.scaling; s.props.scaling = { maxInstanceCount: 5 }; })));
            expectViolation(check(name, mutate(run2, s => { s.props.scaling = { maxInstanceCount: 400 }; })), /^(?![\s\S]*template)[\s\S]*scaling\.maxInstanceCount is 400/);
            expectNotApplicable(check(name, mutate(run2, s => { delete s.props.template.scaling; s.props.scaling = { scalingMode: "MANUAL", manualInstanceCount: 3 }; })), /manual scaling/);
        });
    });

    describe("gcp-cloudfunction-timeout", () => {
        const name = "gcp-cloudfunction-timeout";
        it("reads Cloud Run durations", () => {
            expectViolation(check(name, mutate(run2, s => { s.props.template.timeout = "3600s"; })), /template\.timeout is 3600 seconds, above the maximum of 300/);
            expectViolation(check(name, mutate(run1, s => { s.props.template.spec.timeoutSeconds = 900; })), /template\.spec\.timeoutSeconds is 900 seconds/);
            expectPass(check(name, mutate(run2, s => { s.props.template.timeout = "forever"; })));
        });
    });

    describe("gcp-cloudfunction-cmek", () => {
        const name = "gcp-cloudfunction-cmek";
        const required = { config: { requireCmek: true } };
        it("flags a service image without a Cloud KMS key when CMEK is required", () => {
            expectViolation(check(name, mutate(run2, s => { delete s.props.template.encryptionKey; }), required), /template\.encryptionKey is not set/, "advisory");
            expectViolation(check(name, mutate(run1, s => { delete s.props.template.metadata.annotations[`${ANN}/encryption-key`]; }), required), /template\.metadata\.annotations\["run\.googleapis\.com\/encryption-key"\] is not set/);
            expectNotApplicable(check(name, mutate(run2, s => { delete s.props.template.encryptionKey; })));
        });
        it("counts a key computed in the same program as set", () => expectPass(check(name, mutate(run2, s => { s.props.template.encryptionKey = UNKNOWN; }), required)));
    });

    describe("gcp-cloudfunction-vpc-egress", () => {
        const name = "gcp-cloudfunction-vpc-egress";
        const required = { config: { requireVpcEgress: true } };
        it("is opt-in, as for functions", () => expectNotApplicable(check(name, mutate(run2, s => { delete s.props.template.vpcAccess; })), /requireVpcEgress/));
        it("flags a service without VPC access or with private-ranges egress", () => {
            expectViolation(check(name, mutate(run2, s => { delete s.props.template.vpcAccess; }), required), /template\.vpcAccess\.connector is not set: the service's outbound traffic bypasses your VPC.*\(or Direct VPC egress\)/);
            expectViolation(check(name, mutate(run2, s => { s.props.template.vpcAccess.egress = "PRIVATE_RANGES_ONLY"; }), required), /template\.vpcAccess\.egress is not "ALL_TRAFFIC"/);
            expectViolation(check(name, mutate(run1, s => { delete s.props.template.metadata.annotations[`${ANN}/vpc-access-egress`]; }), required), /\["run\.googleapis\.com\/vpc-access-egress"\] is not "all-traffic"/);
        });
        it("accepts Direct VPC egress with all traffic", () => {
            expectPass(check(name, mutate(run2, s => { s.props.template.vpcAccess = { networkInterfaces: [{ network: "default", subnetwork: "run" }], egress: "ALL_TRAFFIC" }; }), required));
            expectViolation(check(name, mutate(run2, s => { s.props.template.vpcAccess = { networkInterfaces: [{ network: "default" }] }; }), required), /template\.vpcAccess\.egress is not "ALL_TRAFFIC": only traffic to private ranges goes through the VPC;/);
        });
        it("can't decide on unknown egress", () => expectUnknown(check(name, mutate(run2, s => { s.props.template.vpcAccess.egress = UNKNOWN; }), required)));
    });

    describe("gcp-cloudrun-invoker-iam-disabled", () => {
        const name = "gcp-cloudrun-invoker-iam-disabled";
        it("flags a disabled invoker check on v2 and v1", () => {
            expectViolation(check(name, mutate(run2, s => { s.props.invokerIamDisabled = true; })), /invokerIamDisabled is true, so every request that reaches the service runs without an IAM check/, "mandatory");
            expectViolation(check(name, mutate(run1, s => { s.props.metadata.annotations[`${ANN}/invoker-iam-disabled`] = "true"; })), /metadata\.annotations\["run\.googleapis\.com\/invoker-iam-disabled"\] is true/);
        });
        it("passes an explicit false and can't decide on an unknown value", () => {
            expectPass(check(name, mutate(run2, s => { s.props.invokerIamDisabled = false; })));
            expectUnknown(check(name, mutate(run2, s => { s.props.invokerIamDisabled = UNKNOWN; })));
        });
        it("honours a dated exemption for a deliberately public service", () => {
            const open = mutate(run2, s => { s.props.invokerIamDisabled = true; });
            expectNotApplicable(check(name, open, { config: { exemptions: [{ resource: "orders-run", reason: "public status page", expires: "2099-12-31" }] } }), /status page/);
        });
    });

    describe("gcp-cloudfunction-build-service-account", () => {
        const name = "gcp-cloudfunction-build-service-account";
        it("flags gen-2 functions and source-built services without a build service account", () => {
            expectViolation(check(name, fx.functionV2), /buildConfig\.serviceAccount is not set, so the function is built as the project's default build service account/, "advisory");
            expectViolation(check(name, mutate(run2, s => { delete s.props.buildConfig.serviceAccount; })), /so the service is built as/);
            expectViolation(check(name, fx.functionV1), /^(?![\s\S]*buildConfig)[\s\S]*buildServiceAccount is not set/);
        });
        it("flags the legacy Cloud Build and Compute Engine default accounts", () => {
            expectViolation(check(name, mutate(fx.functionV2, f => { f.props.buildConfig.serviceAccount = "projects/shop-prod/serviceAccounts/123456789012@cloudbuild.gserviceaccount.com"; })), /is the legacy Cloud Build service account/);
            expectViolation(check(name, mutate(fx.functionV1, f => { f.props.buildServiceAccount = "projects/p/serviceAccounts/123456789012-compute@developer.gserviceaccount.com"; })), /Compute Engine default/);
        });
        it("passes a dedicated account, and services deployed from an image", () => {
            expectPass(check(name, mutate(fx.functionV2, f => { f.props.buildConfig.serviceAccount = "projects/shop-prod/serviceAccounts/orders-build@shop-prod.iam.gserviceaccount.com"; })));
            expectNotApplicable(check(name, mutate(run2, s => { delete s.props.buildConfig; })), /container image/);
        });
        it("can't decide on an account computed from another resource", () => {
            expectUnknown(check(name, mutate(fx.functionV2, f => { f.props.buildConfig.serviceAccount = UNKNOWN; })));
        });
    });
});
