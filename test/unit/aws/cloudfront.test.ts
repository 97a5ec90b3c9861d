import * as assert from "assert";
import { check, checkStack, TestResource } from "../../support/harness";
import { expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import * as fx from "../../fixtures/aws-frontdoors";
import * as nfx from "../../fixtures/aws-native-frontdoors";

const urnOf = (r: TestResource) => `urn:pulumi:test::test::${r.type}::${r.name}`;
const functionUrl: TestResource = { type: "aws:lambda/functionUrl:FunctionUrl", name: "api-url", props: { functionName: UNKNOWN, authorizationType: "AWS_IAM", functionUrl: UNKNOWN } };
const loadBalancer: TestResource = { type: "aws:lb/loadBalancer:LoadBalancer", name: "web-alb", props: { dnsName: UNKNOWN } };

describe("aws cloudfront and lambda@edge", () => {
    describe("aws-cloudfront-viewer-https", () => {
        const name = "aws-cloudfront-viewer-https";
        it("passes https-only and redirect-to-https on both providers", () => {
            expectPass(check(name, fx.distribution));
            expectPass(check(name, nfx.distribution));
        });
        it("fails plain HTTP in front of a function URL (mandatory), naming the behavior and the origin", () => {
            const out = check(name, mutate(fx.distribution, f => { f.props.defaultCacheBehavior.viewerProtocolPolicy = "allow-all"; }));
            expectViolation(out, /^defaultCacheBehavior\.viewerProtocolPolicy \(its origin `api` is a Lambda function URL\) is "allow-all" in front of a function/m, "mandatory");
        });
        it("fails plain HTTP on an API Gateway origin on aws-native, and on a behavior that runs Lambda@Edge", () => {
            expectViolation(check(name, mutate(nfx.distribution, f => { f.props.distributionConfig.cacheBehaviors[0].viewerProtocolPolicy = "allow-all"; })),
                /distributionConfig\.cacheBehaviors\[0\]\.viewerProtocolPolicy \(its origin `api` is an API Gateway API\)/, "mandatory");
            const edge = mutate(fx.distribution, f => {
                f.props.orderedCacheBehaviors[0].viewerProtocolPolicy = "allow-all";
                f.props.orderedCacheBehaviors[0].lambdaFunctionAssociations = [{ eventType: "viewer-request", lambdaArn: UNKNOWN }];
            });
            expectViolation(check(name, edge), /orderedCacheBehaviors\[0\]\.viewerProtocolPolicy \(it runs a Lambda@Edge function\)/, "mandatory");
        });
        it("keeps plain HTTP in front of static content advisory", () => {
            const out = check(name, mutate(fx.distribution, f => { f.props.orderedCacheBehaviors[0].viewerProtocolPolicy = "allow-all"; }));
            expectViolation(out, /^orderedCacheBehaviors\[0\]\.viewerProtocolPolicy is "allow-all": viewers may connect in plain HTTP/m, "advisory");
            assert.ok(out.violations.every(v => v.level === "advisory"));
        });
        it("reads an origin group's members", () => {
            const grouped = mutate(fx.distribution, f => {
                f.props.originGroups = [{ originId: "failover", failoverCriteria: { statusCodes: [500] }, members: [{ originId: "api" }, { originId: "assets" }] }];
                f.props.defaultCacheBehavior.targetOriginId = "failover";
                f.props.defaultCacheBehavior.viewerProtocolPolicy = "allow-all";
            });
            expectViolation(check(name, grouped), /in front of a function/, "mandatory");
        });
        it("decides an origin domain computed during preview from the origins' dependencies", async () => {
            const computed = mutate(fx.distribution, f => { f.props.origins[0].domainName = UNKNOWN; f.props.defaultCacheBehavior.viewerProtocolPolicy = "allow-all"; });
            // Analyze alone can't tell what the origin is: the verdict comes with the stack.
            assert.deepStrictEqual(check(name, computed).violations, []);
            const fromUrl = await checkStack(name, [functionUrl, { ...computed, propertyDependencies: { origins: [urnOf(functionUrl)] } }]);
            expectViolation(fromUrl, /its origin `api` is computed from `api-url`, a function's front door/, "mandatory");
            const fromAlb = await checkStack(name, [loadBalancer, { ...computed, propertyDependencies: { origins: [urnOf(loadBalancer)] } }]);
            expectViolation(fromAlb, /is "allow-all": viewers may connect in plain HTTP/, "advisory");
            // Two custom origins computed during preview, one function URL among their sources: which one the behavior uses isn't shown.
            const two = mutate(computed, f => { f.props.origins.push({ originId: "web", domainName: UNKNOWN, customOriginConfig: { originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"], httpPort: 80, httpsPort: 443 } }); });
            const mixed = await checkStack(name, [functionUrl, loadBalancer, { ...two, propertyDependencies: { origins: [urnOf(functionUrl), urnOf(loadBalancer)] } }]);
            expectViolation(mixed, /plain HTTP/, "advisory");
        });
        it("waits while the protocol policy is unknown", () => {
            expectUnknown(check(name, mutate(fx.distribution, f => { f.props.defaultCacheBehavior.viewerProtocolPolicy = UNKNOWN; })));
        });
    });

    describe("aws-cloudfront-origin-https", () => {
        const name = "aws-cloudfront-origin-https";
        it("passes https-only with TLSv1.2, and an S3 website endpoint, which only speaks HTTP", () => {
            expectPass(check(name, fx.distribution));
            expectPass(check(name, mutate(fx.distribution, f => { f.props.origins[0] = { originId: "site", domainName: "site.s3-website-eu-west-1.amazonaws.com", customOriginConfig: { originProtocolPolicy: "http-only", httpPort: 80, httpsPort: 443, originSslProtocols: ["TLSv1.2"] } }; })));
        });
        it("flags http-only and SSLv3 on both providers", () => {
            expectViolation(check(name, mutate(fx.distribution, f => { f.props.origins[0].customOriginConfig.originProtocolPolicy = "http-only"; })), /origins\[0\]\.customOriginConfig\.originProtocolPolicy is "http-only"/, "advisory");
            expectViolation(check(name, mutate(nfx.distribution, f => { f.props.distributionConfig.origins[0].customOriginConfig.originSslProtocols = ["SSLv3", "TLSv1.2"]; })),
                /distributionConfig\.origins\[0\]\.customOriginConfig\.originSslProtocols includes "SSLv3"/);
        });
        it("waits on an unknown protocol policy", () => expectUnknown(check(name, mutate(fx.distribution, f => { f.props.origins[0].customOriginConfig.originProtocolPolicy = UNKNOWN; }))));
    });

    describe("aws-cloudfront-viewer-tls", () => {
        const name = "aws-cloudfront-viewer-tls";
        it("passes TLSv1.2_2021 and newer", () => {
            expectPass(check(name, fx.distribution));
            expectPass(check(name, mutate(nfx.distribution, f => { f.props.distributionConfig.viewerCertificate.minimumProtocolVersion = "TLSv1.3_2025"; })));
        });
        it("is not applicable with the default certificate", () => {
            expectNotApplicable(check(name, mutate(fx.distribution, f => { f.props.viewerCertificate = { cloudfrontDefaultCertificate: true }; })), /default \*\.cloudfront\.net certificate/);
        });
        it("flags an unset, old or weak-cipher policy with a custom certificate", () => {
            expectViolation(check(name, mutate(fx.distribution, f => { delete f.props.viewerCertificate.minimumProtocolVersion; })), /viewerCertificate\.minimumProtocolVersion is not set, so viewers may connect with TLS 1\.0/);
            expectViolation(check(name, mutate(fx.distribution, f => { f.props.viewerCertificate.minimumProtocolVersion = "TLSv1_2016"; })), /"TLSv1_2016", older than "TLSv1\.2_2021": it accepts TLS versions before 1\.2/);
            expectViolation(check(name, mutate(nfx.distribution, f => { f.props.distributionConfig.viewerCertificate.minimumProtocolVersion = "TLSv1.2_2019"; })), /distributionConfig\.viewerCertificate\.minimumProtocolVersion is "TLSv1\.2_2019".*weak TLS 1\.2 ciphers/);
        });
        it("takes the floor from config", () => {
            expectPass(check(name, mutate(fx.distribution, f => { f.props.viewerCertificate.minimumProtocolVersion = "TLSv1.2_2019"; }), { config: { minimumProtocolVersion: "TLSv1.2_2018" } }));
        });
        it("waits on an unknown version", () => expectUnknown(check(name, mutate(fx.distribution, f => { f.props.viewerCertificate.minimumProtocolVersion = UNKNOWN; }))));
    });

    describe("aws-cloudfront-waf", () => {
        const name = "aws-cloudfront-waf";
        it("passes a web ACL, also one computed during preview", () => {
            expectPass(check(name, fx.distribution));
            expectPass(check(name, mutate(nfx.distribution, f => { f.props.distributionConfig.webAclId = UNKNOWN; })));
        });
        it("flags no web ACL", () => {
            expectViolation(check(name, mutate(fx.distribution, f => { delete f.props.webAclId; })), /^webAclId is not set/m, "advisory");
            expectViolation(check(name, mutate(nfx.distribution, f => { delete f.props.distributionConfig.webAclId; })), /distributionConfig\.webAclId is not set/);
        });
    });

    describe("aws-cloudfront-logging", () => {
        const name = "aws-cloudfront-logging";
        it("passes standard logging", () => {
            expectPass(check(name, fx.distribution));
            expectPass(check(name, nfx.distribution));
        });
        it("flags no logging, and passes a log delivery source that reads the distribution", async () => {
            const unlogged = mutate(fx.distribution, f => { delete f.props.loggingConfig; });
            expectViolation(await checkStack(name, [unlogged]), /loggingConfig\.bucket is not set and no log delivery source/, "advisory");
            const source: TestResource = { type: "aws:cloudwatch/logDeliverySource:LogDeliverySource", name: "cdn-logs", props: { name: "cdn-logs", logType: "ACCESS_LOGS", resourceArn: UNKNOWN }, propertyDependencies: { resourceArn: [urnOf(unlogged)] } };
            expectPass(await checkStack(name, [unlogged, source]));
            const native = mutate(nfx.distribution, f => { delete f.props.distributionConfig.logging; });
            expectViolation(await checkStack(name, [native]), /distributionConfig\.logging\.bucket is not set/);
        });
    });

    describe("aws-lambda-edge-function-constraints", () => {
        const name = "aws-lambda-edge-function-constraints";
        const associate = (fn: TestResource, eventType: string): TestResource => mutate(fx.distribution, f => {
            f.props.defaultCacheBehavior.lambdaFunctionAssociations = [{ eventType, lambdaArn: UNKNOWN }];
            f.propertyDependencies = { defaultCacheBehavior: [urnOf(fn)] };
        });
        it("passes a function within the viewer limits without reading the stack", () => expectPass(check(name, fx.edgeFunction)));
        it("flags an environment and a viewer function's timeout and memory", async () => {
            const fn = mutate(fx.edgeFunction, f => { f.props.environment = { variables: { STAGE: "prod" } }; f.props.timeout = 10; f.props.memorySize = 256; });
            const out = await checkStack(name, [fn, associate(fn, "viewer-request")]);
            expectViolation(out, /runs as Lambda@Edge \(distribution `cdn`, defaultCacheBehavior\.lambdaFunctionAssociations\[0\]\) but environment\.variables is set, timeout is 10 s \(at most 5 for viewer events\) and memorySize is 256 MB \(at most 128 for viewer events\)/, "advisory");
        });
        it("holds origin functions to the origin limits", async () => {
            const fn = mutate(fx.edgeFunction, f => { f.props.timeout = 20; f.props.memorySize = 1024; });
            expectPass(await checkStack(name, [fn, associate(fn, "origin-request")]));
            expectViolation(await checkStack(name, [mutate(fn, f => { f.props.timeout = 60; }), associate(fn, "origin-request")]), /timeout is 60 s \(at most 30 for origin events\)/);
        });
        it("finds a function named by a known qualified ARN, on aws-native too", async () => {
            const fn = mutate(nfx.edgeFunction, f => { f.props.arn = "arn:aws:lambda:us-east-1:111122223333:function:edge-auth"; f.props.layers = ["arn:aws:lambda:us-east-1:111122223333:layer:x:1"]; });
            const dist = mutate(nfx.distribution, f => { f.props.distributionConfig.defaultCacheBehavior.lambdaFunctionAssociations = [{ eventType: "origin-response", lambdaFunctionArn: "arn:aws:lambda:us-east-1:111122223333:function:edge-auth:7" }]; });
            expectViolation(await checkStack(name, [fn, dist]), /layers is set/);
        });
        it("waits, instead of passing, while the behaviors or associations of a distribution that depends on the function are unknown as a whole", async () => {
            const fn = mutate(fx.edgeFunction, f => { f.props.timeout = 60; });
            const behaviorsUnknown = mutate(fx.distribution, f => {
                f.props.defaultCacheBehavior = UNKNOWN;
                f.propertyDependencies = { defaultCacheBehavior: [urnOf(fn)] };
            });
            expectUnknown(await checkStack(name, [fn, behaviorsUnknown]));
            const associationsUnknown = mutate(fx.distribution, f => {
                f.props.defaultCacheBehavior.lambdaFunctionAssociations = UNKNOWN;
                f.propertyDependencies = { defaultCacheBehavior: [urnOf(fn)] };
            });
            expectUnknown(await checkStack(name, [fn, associationsUnknown]));
            const nativeFn = mutate(nfx.edgeFunction, f => { f.props.timeout = 60; });
            const configUnknown = mutate(nfx.distribution, f => {
                f.props.distributionConfig = UNKNOWN;
                f.propertyDependencies = { distributionConfig: [urnOf(nativeFn)] };
            });
            expectUnknown(await checkStack(name, [nativeFn, configUnknown]));
            // Once an association names the function, the unknown rest of the distribution doesn't hold it back.
            const named = mutate(associate(fn, "viewer-request"), f => { f.props.orderedCacheBehaviors = UNKNOWN; });
            expectViolation(await checkStack(name, [fn, named]), /timeout is 60 s/);
        });
        it("is not applicable to a function no distribution runs", async () => {
            const fn = mutate(fx.edgeFunction, f => { f.props.timeout = 60; });
            // Analyze can't tell without the stack; the stack shows no distribution running it.
            assert.deepStrictEqual(check(name, fn).violations, []);
            const out = await checkStack(name, [fn, fx.distribution]);
            assert.deepStrictEqual(out.violations, []);
            assert.strictEqual(out.unknown, undefined);
        });
    });

    describe("stack-function-logging recognises Lambda@Edge log groups", () => {
        it("takes /aws/lambda/us-east-1.<name> groups in the serving Regions as the function's", async () => {
            const group = (region: string): TestResource => ({ type: "aws:cloudwatch/logGroup:LogGroup", name: `edge-logs-${region}`, props: { name: "/aws/lambda/us-east-1.edge-auth", retentionInDays: 30, region } });
            const out = await checkStack("stack-function-logging", [fx.edgeFunction, group("eu-west-1"), group("ap-southeast-1")]);
            assert.deepStrictEqual(out.violations.filter(v => /edge-auth/.test(v.message)), []);
            const forever = await checkStack("stack-function-logging", [fx.edgeFunction, mutate(group("eu-west-1"), f => { delete f.props.retentionInDays; })]);
            expectViolation(forever, /logs to `edge-logs-eu-west-1`, which has no retention period/);
        });
    });
});
