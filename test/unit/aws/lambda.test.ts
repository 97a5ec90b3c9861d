import * as assert from "assert";
import { check, messages, remediate } from "../../support/harness";
import { expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import * as fx from "../../fixtures/aws";
import * as nativeFx from "../../fixtures/aws-native";
import { secret, UNKNOWN } from "../../../runner/wire";

// The engine's signatures of assets and archives on the wire (@pulumi/pulumi runtime/rpc).
const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";

describe("aws lambda function", () => {
    describe("aws-lambda-function-env-plaintext-secret", () => {
        const name = "aws-lambda-function-env-plaintext-secret";
        it("passes references to Secrets Manager and SSM", () => expectPass(check(name, fx.lambdaFunction)));
        it("flags a literal password and names only the key", () => {
            const out = check(name, mutate(fx.lambdaFunction, f => { f.props.environment.variables.DB_PASSWORD = "correct-horse-battery"; }));
            expectViolation(out, /environment\.variables\.DB_PASSWORD holds a secret in plain text \(literal value of a secret-like setting\)/, "mandatory");
            assert.ok(!JSON.stringify(out).includes("correct-horse-battery"));
        });
        it("flags a Pulumi secret value without revealing it", () => {
            const out = check(name, mutate(fx.lambdaFunction, f => { f.props.environment.variables.API_KEY = secret("k3y-that-is-secret-9"); }));
            expectViolation(out, /API_KEY/);
            assert.ok(!JSON.stringify(out).includes("k3y-that-is-secret-9"));
        });
        it("flags known token formats under innocent names", () => {
            expectViolation(check(name, mutate(fx.lambdaFunction, f => { f.props.environment.variables.CONFIG = "AKIAIOSFODNN7EXAMPLE"; })), /AWS access key id/);
        });
        it("keeps checking known variables when another one is unknown", () => {
            const out = check(name, mutate(fx.lambdaFunction, f => {
                f.props.environment.variables.OTHER = UNKNOWN;
                f.props.environment.variables.GITHUB_TOKEN = "ghp_" + "a".repeat(36);
            }));
            expectViolation(out, /GITHUB_TOKEN holds a secret in plain text \(GitHub token\)/);
            // The policy already fails on this function; the unknown variable can only add to that.
            assert.strictEqual(out.unknown, undefined);
            expectUnknown(check(name, mutate(fx.lambdaFunction, f => { f.props.environment.variables.OTHER = UNKNOWN; })));
        });
        it("tolerates variables of the wrong shape", () => {
            expectPass(check(name, mutate(fx.lambdaFunction, f => { f.props.environment.variables = ["A=B"]; })));
            expectPass(check(name, mutate(fx.lambdaFunction, f => { f.props.environment = "nope"; })));
        });
    });

    describe("aws-lambda-function-env-kms", () => {
        const name = "aws-lambda-function-env-kms";
        it("passes with a customer-managed key", () => expectPass(check(name, fx.lambdaFunction)));
        it("passes without variables", () => expectPass(check(name, mutate(fx.lambdaFunction, f => { delete f.props.environment; delete f.props.kmsKeyArn; }))));
        it("flags variables without kmsKeyArn", () => {
            expectViolation(check(name, mutate(fx.lambdaFunction, f => { delete f.props.kmsKeyArn; })), /kmsKeyArn is not/, "advisory");
        });
    });

    describe("aws-lambda-function-runtime-deprecated", () => {
        const name = "aws-lambda-function-runtime-deprecated";
        const on = (runtime: string) => mutate(fx.lambdaFunction, f => { f.props.runtime = runtime; });
        it("passes a supported runtime", () => expectPass(check(name, fx.lambdaFunction, { config: { evaluationDate: "2026-11-28" } })));
        it("flags a deprecated runtime and suggests the newest of its family", () => {
            expectViolation(check(name, on("python3.8"), { config: { evaluationDate: "2026-11-28" } }), /python3\.8.*deprecated since 2024-10-14; move to python3\.1[34]/, "mandatory");
        });
        it("warns (advisory) before the deprecation date", () => {
            const out = check(name, on("nodejs22.x"), { config: { evaluationDate: "2027-03-01" } });
            expectViolation(out, /will be deprecated on 2027-04-30/, "advisory");
        });
        it("honours the warning window", () => {
            expectPass(check(name, on("nodejs22.x"), { config: { evaluationDate: "2027-03-01", warnDaysBeforeDeprecation: 30 } }));
        });
        it("enforces an allow-list", () => {
            expectViolation(check(name, fx.lambdaFunction, { config: { allowedRuntimes: ["python3.13"], evaluationDate: "2026-11-28" } }), /not in the organization's allowed runtimes/);
        });
        it("skips container images", () => expectNotApplicable(check(name, mutate(fx.lambdaFunction, f => { f.props.packageType = "Image"; delete f.props.runtime; }))));
        it("can't decide on an unknown runtime", () => expectUnknown(check(name, on(UNKNOWN))));
    });

    describe("aws-lambda-function-tracing", () => {
        const name = "aws-lambda-function-tracing";
        it("passes Active tracing", () => expectPass(check(name, fx.lambdaFunction)));
        it("flags PassThrough", () => expectViolation(check(name, mutate(fx.lambdaFunction, f => { f.props.tracingConfig.mode = "PassThrough"; })), /not "Active"/));
        it("flags a missing tracingConfig", () => expectViolation(check(name, mutate(fx.lambdaFunction, f => { delete f.props.tracingConfig; })), /not "Active"/));
        it("remediates to Active tracing", () => {
            const fixed = remediate(name, mutate(fx.lambdaFunction, f => { delete f.props.tracingConfig; }));
            assert.deepStrictEqual((fixed as { tracingConfig?: unknown } | undefined)?.tracingConfig, { mode: "Active" });
        });
        it("leaves a function with inline code (an AssetArchive) unremediated, which the SDK can't send back intact", () => {
            const archive = {
                [SPECIAL_SIG_KEY]: ARCHIVE_SIG,
                assets: { "index.js": { [SPECIAL_SIG_KEY]: ASSET_SIG, text: "exports.handler = async () => 1;" } },
            };
            const withCode = mutate(fx.lambdaFunction, f => { delete f.props.tracingConfig; f.props.code = archive; });
            assert.strictEqual(remediate(name, withCode), undefined);
            expectViolation(check(name, withCode), /not "Active"/);
        });
    });

    describe("aws-lambda-function-concurrency-limit", () => {
        const name = "aws-lambda-function-concurrency-limit";
        it("passes a bounded reservation", () => expectPass(check(name, fx.lambdaFunction)));
        it("flags no reservation", () => expectViolation(check(name, mutate(fx.lambdaFunction, f => { delete f.props.reservedConcurrentExecutions; })), /not set/));
        it("flags -1 (unreserved)", () => expectViolation(check(name, mutate(fx.lambdaFunction, f => { f.props.reservedConcurrentExecutions = -1; })), /not set/));
        it("flags a reservation above the ceiling", () => {
            expectViolation(check(name, fx.lambdaFunction, { config: { maxReservedConcurrency: 10 } }), /20, above the ceiling of 10/);
        });
    });

    describe("aws-lambda-function-timeout", () => {
        const name = "aws-lambda-function-timeout";
        it("passes a short timeout", () => expectPass(check(name, fx.lambdaFunction)));
        it("flags a timeout above the maximum", () => expectViolation(check(name, mutate(fx.lambdaFunction, f => { f.props.timeout = 900; })), /900 seconds, above the maximum of 300/));
        it("uses the configured maximum", () => expectViolation(check(name, fx.lambdaFunction, { config: { maxTimeoutSeconds: 10 } }), /above the maximum of 10/));
    });

    describe("aws-lambda-function-code-signing", () => {
        const name = "aws-lambda-function-code-signing";
        it("passes with a code-signing config", () => expectPass(check(name, fx.lambdaFunction)));
        it("flags a zip function without one", () => expectViolation(check(name, mutate(fx.lambdaFunction, f => { delete f.props.codeSigningConfigArn; })), /codeSigningConfigArn/));
        it("is not applicable to images", () => expectNotApplicable(check(name, mutate(fx.lambdaFunction, f => { f.props.packageType = "Image"; }))));
    });

    describe("aws-lambda-function-vpc", () => {
        const name = "aws-lambda-function-vpc";
        const required = { config: { requireVpcEgress: true } };
        it("is opt-in, like VPC egress on Google Cloud", () => {
            expectNotApplicable(check(name, mutate(fx.lambdaFunction, f => { delete f.props.vpcConfig; })), /set requireVpcEgress to true/);
        });
        it("passes a VPC-attached function when required", () => expectPass(check(name, fx.lambdaFunction, required)));
        it("flags a function outside a VPC when required", () => {
            expectViolation(check(name, mutate(fx.lambdaFunction, f => { delete f.props.vpcConfig; }), required), /not attached to a VPC/, "advisory");
        });
        it("counts subnets still unknown during preview (new subnets) as an attachment", () => {
            expectPass(check(name, mutate(fx.lambdaFunction, f => { f.props.vpcConfig.subnetIds = UNKNOWN; }), required));
        });
    });
});

describe("aws lambda function URL", () => {
    it("aws-lambda-function-url-auth passes AWS_IAM and flags NONE", () => {
        expectPass(check("aws-lambda-function-url-auth", fx.functionUrl));
        expectViolation(check("aws-lambda-function-url-auth", mutate(fx.functionUrl, f => { f.props.authorizationType = "NONE"; })), /public/, "mandatory");
    });
    it("aws-lambda-function-url-cors passes listed origins and flags *, worse with credentials", () => {
        expectPass(check("aws-lambda-function-url-cors", fx.functionUrl));
        expectViolation(check("aws-lambda-function-url-cors", mutate(fx.functionUrl, f => { f.props.cors.allowOrigins = ["*"]; })), /credentialed/);
        const noCreds = check("aws-lambda-function-url-cors", mutate(fx.functionUrl, f => { f.props.cors = { allowOrigins: "*" }; }));
        assert.deepStrictEqual(messages(noCreds), ["cors.allowOrigins contains \"*\"."]);
    });
});

describe("aws lambda permission", () => {
    it("aws-lambda-permission-public", () => {
        const name = "aws-lambda-permission-public";
        expectPass(check(name, fx.permission));
        expectViolation(check(name, mutate(fx.permission, f => { f.props.principal = "*"; delete f.props.sourceArn; })), /anyone can invoke/);
        expectPass(check(name, mutate(fx.permission, f => { f.props.principal = "*"; delete f.props.sourceArn; f.props.principalOrgId = "o-abc123def4"; })));
        expectViolation(check(name, mutate(fx.permission, f => { f.props.principal = "444455556666"; delete f.props.sourceArn; })), /whole account 444455556666/);
        expectPass(check(name, mutate(fx.permission, f => { f.props.principal = "444455556666"; delete f.props.sourceArn; }), { config: { trustedAccountIds: ["444455556666"] } }));
    });
    it("aws-lambda-permission-public counts a source ARN unknown during preview as set", () => {
        expectPass(check("aws-lambda-permission-public", mutate(fx.permission, f => { f.props.principal = "*"; f.props.sourceArn = UNKNOWN; })));
    });
    it("aws-lambda-permission-public can't decide when the principal is unknown", () => {
        expectUnknown(check("aws-lambda-permission-public", mutate(fx.permission, f => { f.props.principal = UNKNOWN; delete f.props.sourceArn; })));
    });
    it("aws-lambda-permission-service-source", () => {
        const name = "aws-lambda-permission-service-source";
        expectPass(check(name, fx.permission));
        expectViolation(check(name, mutate(fx.permission, f => { delete f.props.sourceArn; })), /sourceArn is not set/);
        expectViolation(check(name, mutate(fx.permission, f => { f.props.principal = "s3.amazonaws.com"; f.props.sourceArn = "arn:aws:s3:::uploads"; })), /sourceAccount/);
    });
    describe("aws-lambda-permission-service-source: API Gateway source ARNs", () => {
        const name = "aws-lambda-permission-service-source";
        const withArn = (arn: unknown, base: typeof fx.permission = fx.permission) => mutate(base, f => { f.props.sourceArn = arn; });
        it("passes a source ARN naming the stage, or the stage and method", () => {
            expectPass(check(name, fx.permission));
            expectPass(check(name, withArn("arn:aws:execute-api:eu-west-1:111122223333:abc123/prod/*")));
            expectPass(check(name, withArn("arn:aws:execute-api:eu-west-1:111122223333:abc123/*/GET/orders")));
            expectPass(check(name, withArn("arn:aws:execute-api:eu-west-1:111122223333:abc123/*/*/orders")));
        });
        it("warns, advisory only, on every stage and method of the API", () => {
            for (const arn of ["abc123/*/*", "abc123/*", "abc123/*/*/*"]) {
                expectViolation(check(name, withArn(`arn:aws:execute-api:eu-west-1:111122223333:${arn}`)), /covers every stage, method and path/, "advisory");
            }
        });
        it("warns when the API id itself is a wildcard", () => {
            expectViolation(check(name, withArn("arn:aws:execute-api:eu-west-1:111122223333:*/*/*")), /names no API/, "advisory");
            expectViolation(check(name, withArn("arn:aws:execute-api:eu-west-1:111122223333:a1b*/*")), /names no API/, "advisory");
        });
        it("reads a wildcard right after the whole API id as every stage of that API", () => {
            expectViolation(check(name, withArn("arn:aws:execute-api:eu-west-1:111122223333:a1b2c3d4e5*/*")), /covers every stage/, "advisory");
        });
        it("leaves other services' ARNs and a computed ARN alone", () => {
            expectPass(check(name, mutate(fx.permission, f => { f.props.principal = "events.amazonaws.com"; f.props.sourceArn = "arn:aws:events:eu-west-1:111122223333:rule/*"; })));
            expectPass(check(name, withArn(UNKNOWN)));
            expectPass(check(name, nativeFx.permission));
        });
        it("reads aws-native permissions the same way", () => {
            expectViolation(check(name, withArn("arn:aws:execute-api:eu-west-1:111122223333:abc123/*/*", nativeFx.permission as never)), /every stage/, "advisory");
        });
    });
    describe("aws-lambda-function-code-secret", () => {
        const name = "aws-lambda-function-code-secret";
        const archive = (files: Record<string, string>) => ({
            [SPECIAL_SIG_KEY]: ARCHIVE_SIG,
            assets: Object.fromEntries(Object.entries(files).map(([file, text]) => [file, { [SPECIAL_SIG_KEY]: ASSET_SIG, text }])),
        });
        const token = "ghp_" + "Ab1".repeat(12);
        it("passes inline code without credentials, and code from a file archive", () => {
            expectPass(check(name, mutate(fx.lambdaFunction, f => { f.props.code = archive({ "index.js": "exports.handler = async () => ({ statusCode: 200 });" }); })));
            expectPass(check(name, mutate(fx.lambdaFunction, f => { f.props.code = { [SPECIAL_SIG_KEY]: ARCHIVE_SIG, path: "./app.zip" }; })));
            expectPass(check(name, fx.lambdaFunction));
        });
        it("flags a token in an inline file, naming the file and kind, never the value", () => {
            const out = check(name, mutate(fx.lambdaFunction, f => {
                f.props.code = archive({ "index.js": "exports.handler = async () => 1;", "lib/github.js": `const token = "${token}";\nmodule.exports = token;` });
            }));
            expectViolation(out, /code embeds a credential in `lib\/github\.js` \(GitHub token\)/, "mandatory");
            assert.ok(!JSON.stringify(out).includes(token));
        });
        it("flags a private key in nested archives", () => {
            const nested = { [SPECIAL_SIG_KEY]: ARCHIVE_SIG, assets: { "lib": archive({ "key.pem": "-----BEGIN RSA PRIVATE KEY-----\nMIIE..." }) } };
            expectViolation(check(name, mutate(fx.lambdaFunction, f => { f.props.code = nested; })), /`lib\/key\.pem` \(private key\)/);
        });
        it("flags aws-native code.zipFile and a layer's inline archive", () => {
            expectViolation(check(name, mutate(nativeFx.lambdaFunction, f => { f.props.code = { zipFile: "const k = 'AKIAIOSFODNN7EXAMPLE';" }; })), /code\.zipFile embeds a credential in `code\.zipFile` \(AWS access key id\)/);
            expectPass(check(name, mutate(nativeFx.lambdaFunction, f => { f.props.code = { s3Bucket: "artifacts", s3Key: "app.zip" }; })));
            const layer = { type: "aws:lambda/layerVersion:LayerVersion", name: "shared", props: { layerName: "shared", code: archive({ "nodejs/config.js": `module.exports = { slack: "xoxb-${"1".repeat(12)}-abcdefghij" };` }) } };
            expectViolation(check(name, layer), /`nodejs\/config\.js` \(Slack token\)/);
        });
        it("waits on computed code", () => expectUnknown(check(name, mutate(nativeFx.lambdaFunction, f => { f.props.code = { zipFile: UNKNOWN }; }))));
    });
    it("aws-lambda-permission-action", () => {
        expectPass(check("aws-lambda-permission-action", fx.permission));
        expectViolation(check("aws-lambda-permission-action", mutate(fx.permission, f => { f.props.action = "lambda:*"; f.props.principal = "111122223333"; })), /^action is `lambda:\*`, wider than lambda:InvokeFunction\.$/m, "mandatory");
    });
    it("aws-lambda-permission-action keeps a wider action granted to an AWS service advisory (aws-js-sqs-slack: queue.onEvent grants lambda:* to SQS)", () => {
        const sqs = mutate(fx.permission, f => { f.props.action = "lambda:*"; f.props.principal = "sqs.amazonaws.com"; f.props.sourceArn = "arn:aws:sqs:us-west-2:123456789012:mySlackQueue"; });
        expectViolation(check("aws-lambda-permission-action", sqs), /action is `lambda:\*`, wider than lambda:InvokeFunction, for the service `sqs\.amazonaws\.com`, which only invokes functions/, "advisory");
        expectUnknown(check("aws-lambda-permission-action", mutate(sqs, f => { f.props.principal = UNKNOWN; })));
    });
    it("aws-lambda-permission-action reads action names case-insensitively, as IAM does", () => {
        // pulumi/examples aws-ts-serverless-raw and aws-py-slackbot, and the Permission that @pulumi/aws
        // creates for topic.onEvent, EventRule and LogGroup subscriptions, spell it "lambda:invokeFunction".
        const serverlessRaw = mutate(fx.permission, f => { f.props.action = "lambda:invokeFunction"; f.props.sourceArn = "arn:aws:execute-api:us-west-2:111122223333:a1b2c3/*/*"; });
        expectPass(check("aws-lambda-permission-action", serverlessRaw));
        expectPass(check("aws-lambda-permission-action", mutate(fx.permission, f => { f.props.action = "Lambda:InvokeFunctionURL"; })));
        expectPass(check("aws-lambda-permission-action", mutate(nativeFx.permission, f => { f.props.action = "LAMBDA:INVOKEFUNCTION"; })));
        expectViolation(check("aws-lambda-permission-action", mutate(fx.permission, f => { f.props.action = "Lambda:*"; })), /action is `Lambda:\*`, wider than lambda:InvokeFunction/);
        expectViolation(check("aws-lambda-permission-action", mutate(fx.permission, f => { f.props.action = "lambda:updateFunctionCode"; })), /wider/);
    });
    it("aws-lambda-permission-url-auth", () => {
        expectPass(check("aws-lambda-permission-url-auth", fx.permission));
        expectViolation(check("aws-lambda-permission-url-auth", mutate(fx.permission, f => { f.props.functionUrlAuthType = "NONE"; })), /functionUrlAuthType is "NONE"/);
    });
});

describe("aws lambda layers, code signing, event sources", () => {
    it("aws-lambda-layer-public", () => {
        expectPass(check("aws-lambda-layer-public", fx.layerPermission));
        expectViolation(check("aws-lambda-layer-public", mutate(fx.layerPermission, f => { delete f.props.organizationId; })), /every AWS account/);
    });
    it("aws-lambda-code-signing-enforce", () => {
        expectPass(check("aws-lambda-code-signing-enforce", fx.codeSigningConfig));
        expectViolation(check("aws-lambda-code-signing-enforce", mutate(fx.codeSigningConfig, f => { f.props.policies.untrustedArtifactOnDeployment = "Warn"; })), /Enforce/);
        expectViolation(check("aws-lambda-code-signing-enforce", mutate(fx.codeSigningConfig, f => { delete f.props.policies; })), /Enforce/);
    });
    it("aws-lambda-event-source-failure-handling", () => {
        const name = "aws-lambda-event-source-failure-handling";
        expectPass(check(name, fx.eventSourceMapping));
        expectViolation(check(name, mutate(fx.eventSourceMapping, f => { delete f.props.destinationConfig; })), /onFailure/);
        expectViolation(check(name, mutate(fx.eventSourceMapping, f => { delete f.props.maximumRetryAttempts; })), /unbounded/);
        expectViolation(check(name, mutate(fx.eventSourceMapping, f => { f.props.maximumRetryAttempts = 500; })), /500, above the maximum of 10/);
        expectNotApplicable(check(name, mutate(fx.eventSourceMapping, f => { f.props.eventSourceArn = "arn:aws:sqs:eu-west-1:111122223333:orders"; })), /not a stream/);
        expectPass(check(name, mutate(fx.eventSourceMapping, f => { f.props.eventSourceArn = "arn:aws:dynamodb:eu-west-1:111122223333:table/orders/stream/2024-01-01T00:00:00.000"; })));
    });
    it("aws-lambda-event-invoke-failure-destination", () => {
        expectPass(check("aws-lambda-event-invoke-failure-destination", fx.eventInvokeConfig));
        expectViolation(check("aws-lambda-event-invoke-failure-destination", mutate(fx.eventInvokeConfig, f => { delete f.props.destinationConfig.onFailure; })), /onFailure/);
    });
});
