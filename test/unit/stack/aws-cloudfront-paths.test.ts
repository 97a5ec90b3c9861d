// The invocation family through CloudFront: a function URL behind a distribution, reached by anyone
// through the distribution's origin access control, or around the distribution when it takes NONE.
import * as assert from "assert";
import { checkStack, messages, TestResource } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import * as fx from "../../fixtures/aws-frontdoors";

const urn = (type: string, name: string) => `urn:pulumi:dev::shop::${type}::${name}`;
const FN = "aws:lambda/function:Function";
const URL_T = "aws:lambda/functionUrl:FunctionUrl";
const DIST = fx.distribution.type;
const HOST = "abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws";

function res(type: string, name: string, props: Record<string, unknown>, deps: Record<string, [string, string][]> = {}): TestResource {
    return {
        type, name, urn: urn(type, name), props,
        propertyDependencies: Object.fromEntries(Object.entries(deps).map(([k, refs]) => [k, refs.map(([t, n]) => urn(t, n))])),
    };
}

const fn = (extra: Record<string, unknown> = {}) => res(FN, "api", { name: "api", arn: "arn:aws:lambda:eu-west-1:111122223333:function:api", runtime: "nodejs22.x", role: UNKNOWN, ...extra });
const url = (auth: unknown, extra: Record<string, unknown> = {}) =>
    res(URL_T, "api-url", { functionName: "api", authorizationType: auth, functionUrl: `https://${HOST}/`, ...extra }, { functionName: [[FN, "api"]] });
/** The hardened baseline distribution, its web ACL removed and its function URL origin signed by an origin access control. */
const cdn = (change: (d: any) => void = () => undefined) => {
    const d = mutate(fx.distribution, f => {
        delete f.props.webAclId;
        f.props.origins[0].originAccessControlId = "E3OACLAMBDA0001";
        change(f);
    });
    return { ...d, urn: urn(DIST, "cdn") } as TestResource;
};

describe("stack policies: functions behind CloudFront", () => {
    it("says, as advice, that a function URL taking AWS_IAM behind a distribution that checks no viewer is public through it", async () => {
        const stack = [fn(), url("AWS_IAM"), cdn()];
        const out = await checkStack("stack-function-public-invocation", stack);
        expectViolation(out, /function `api` can be invoked without authentication: CloudFront distribution `cdn` signs any viewer's request to FunctionUrl `api-url` \(origin `api`\) with its origin access control and checks no viewer .*; the URL's AWS_IAM authenticates the distribution, not the viewer/, "advisory");
        assert.ok(out.violations.every(v => v.level === "advisory"));
        const uncapped = await checkStack("stack-function-public-uncapped", stack);
        expectViolation(uncapped, /function `api` has no reserved concurrency \(reservedConcurrentExecutions\) and is public \(CloudFront distribution `cdn`/, "advisory");
        assert.ok(uncapped.violations.every(v => v.level === "advisory"));
        expectPass(await checkStack("stack-function-public-uncapped", [fn({ reservedConcurrentExecutions: 50 }), url("AWS_IAM"), cdn()]));
    });

    it("leaves a distribution that checks its viewers: a web ACL, signed URLs, a viewer-request function", async () => {
        expectPass(await checkStack("stack-function-public-invocation", [fn(), url("AWS_IAM"), mutate(cdn(), d => { d.props.webAclId = "arn:aws:wafv2:us-east-1:111122223333:global/webacl/cdn/x"; })]));
        expectPass(await checkStack("stack-function-public-invocation", [fn(), url("AWS_IAM"), cdn(d => { d.props.defaultCacheBehavior.trustedKeyGroups = ["kg-1"]; })]));
        const viewerFunction = cdn(d => { d.props.defaultCacheBehavior.functionAssociations = [{ eventType: "viewer-request", functionArn: "arn:aws:cloudfront::111122223333:function/check-token" }]; });
        expectPass(await checkStack("stack-function-public-invocation", [fn(), url("AWS_IAM"), viewerFunction]));
        // Only the behaviors that reach the function URL's origin count.
        const staticOnly = cdn(d => { d.props.orderedCacheBehaviors[0].trustedKeyGroups = ["kg-1"]; });
        expectViolation(await checkStack("stack-function-public-invocation", [fn(), url("AWS_IAM"), staticOnly]), /CloudFront distribution `cdn`/);
        const apiGuarded = cdn(d => { d.props.defaultCacheBehavior.targetOriginId = "assets"; d.props.orderedCacheBehaviors[0].targetOriginId = "api"; d.props.orderedCacheBehaviors[0].trustedKeyGroups = ["kg-1"]; });
        expectPass(await checkStack("stack-function-public-invocation", [fn(), url("AWS_IAM"), apiGuarded]));
    });

    it("finds no path through an origin without an origin access control (CloudFront's unsigned requests are refused)", async () => {
        expectPass(await checkStack("stack-function-public-invocation", [fn(), url("AWS_IAM"), cdn(d => { delete d.props.origins[0].originAccessControlId; })]));
        expectPass(await checkStack("stack-function-public-uncapped", [fn(), url("AWS_IAM"), cdn(d => { delete d.props.origins[0].originAccessControlId; })]));
    });

    it("names a NONE function URL's way around the distribution in the uncapped line, leaving its authentication to aws-lambda-function-url-auth", async () => {
        const stack = [fn(), url("NONE"), cdn()];
        expectPass(await checkStack("stack-function-public-invocation", stack));
        const out = await checkStack("stack-function-public-uncapped", stack);
        expectViolation(out, /FunctionUrl `api-url` has authorization type NONE, a door around CloudFront distribution `cdn` in front of it \(aws-lambda-function-url-auth reports it on `api-url`\)/, "advisory");
        assert.strictEqual(messages(out).filter(m => /CloudFront distribution `cdn` signs/.test(m)).length, 0);
    });

    it("links an origin computed during preview through the resources it comes from, and waits on a computed auth type", async () => {
        const computedOrigin = (auth: unknown) => [fn(), url(auth, { functionUrl: UNKNOWN }), {
            ...cdn(d => { d.props.origins[0].domainName = UNKNOWN; d.props.origins[0].originAccessControlId = UNKNOWN; }),
            propertyDependencies: { origins: [urn(URL_T, "api-url")] },
        }];
        expectViolation(await checkStack("stack-function-public-invocation", computedOrigin("AWS_IAM")), /CloudFront distribution `cdn` signs any viewer's request to FunctionUrl `api-url` \(origin `api`\)/, "advisory");
        expectUnknown(await checkStack("stack-function-public-invocation", computedOrigin(UNKNOWN)));
        // Behaviors or origins computed as a whole may check viewers, or name another origin: the check waits.
        const [f, u, d] = computedOrigin("AWS_IAM");
        expectUnknown(await checkStack("stack-function-public-invocation", [f, u, mutate(d, x => { x.props.defaultCacheBehavior = UNKNOWN; x.props.orderedCacheBehaviors = UNKNOWN; })]));
        expectUnknown(await checkStack("stack-function-public-invocation", [f, u, mutate(d, x => { x.props.origins = UNKNOWN; })]));
        expectUnknown(await checkStack("stack-function-public-invocation", [f, u, mutate(d, x => { x.props.origins[0].originId = UNKNOWN; x.props.defaultCacheBehavior = UNKNOWN; x.props.orderedCacheBehaviors = []; })]));
        expectUnknown(await checkStack("stack-function-public-invocation", [f, u, mutate(d, x => { x.props.orderedCacheBehaviors = UNKNOWN; x.props.defaultCacheBehavior.trustedKeyGroups = ["kg-1"]; })]));
    });

    it("reads an aws-native distribution and Url the same way", async () => {
        const nativeUrl = res("aws-native:lambda:Url", "api-url", { targetFunctionArn: "arn:aws:lambda:eu-west-1:111122223333:function:api", authType: "AWS_IAM", functionUrl: `https://${HOST}/` });
        const nativeCdn = res("aws-native:cloudfront:Distribution", "cdn", {
            distributionConfig: {
                enabled: true,
                origins: [{ id: "api", domainName: HOST, originAccessControlId: "E3OACLAMBDA0001", customOriginConfig: { originProtocolPolicy: "https-only" } }],
                defaultCacheBehavior: { targetOriginId: "api", viewerProtocolPolicy: "https-only" },
            },
        });
        expectViolation(await checkStack("stack-function-public-invocation", [fn(), nativeUrl, nativeCdn]), /CloudFront distribution `cdn` signs any viewer's request to Url `api-url` \(origin `api`\)/, "advisory");
    });
});
