// AppSync in front of Lambda functions: an API that takes an API key alone reaches the functions of its
// Lambda data sources for anyone with the key. aws-appsync-api-key-auth reports that on the API; the
// invocation family names it, reports it once when that policy is disabled, and counts it for the
// function's missing concurrency cap.
import { check, checkStack, TestResource } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import { recordConfiguredLevel } from "../../../policies/lib/redecide";
import * as fx from "../../fixtures/aws-frontdoors";
import * as nfx from "../../fixtures/aws-native-frontdoors";

const PUBLIC = "stack-function-public-invocation";
const UNCAPPED = "stack-function-public-uncapped";
const urnOf = (r: { type: string; name?: string }) => `urn:pulumi:test::test::${r.type}::${r.name}`;
const withDeps = <T extends TestResource>(r: T, deps: Record<string, TestResource[]>): T => ({
    ...r, urn: urnOf(r), propertyDependencies: Object.fromEntries(Object.entries(deps).map(([k, rs]) => [k, rs.map(urnOf)])),
});
const fn = (capped: boolean, type = "aws:lambda/function:Function"): TestResource => ({
    type, name: "orders-resolver-fn", urn: urnOf({ type, name: "orders-resolver-fn" }),
    props: { name: "orders-resolver-fn-1a2b", runtime: "nodejs22.x", role: UNKNOWN, arn: UNKNOWN, ...(capped ? { reservedConcurrentExecutions: 5 } : {}) },
});
const keyOnly = withDeps(mutate(fx.graphQlApi, a => {
    a.props.authenticationType = "API_KEY"; delete a.props.userPoolConfig; a.props.additionalAuthenticationProviders = [];
}), {});
const source = (api: TestResource, target: TestResource, base: TestResource = fx.lambdaDataSource) => withDeps(base, { apiId: [api], lambdaConfig: [target] });

describe("front doors: AppSync in front of Lambda functions", () => {
    it("names an API-key-only API in front of an uncapped function, reported on the API", async () => {
        const f = fn(false);
        expectViolation(check("aws-appsync-api-key-auth", keyOnly), /"API_KEY" and no other provider/, "mandatory");
        expectPass(await checkStack(PUBLIC, [f, keyOnly, source(keyOnly, f)]));
        expectViolation(await checkStack(UNCAPPED, [f, keyOnly, source(keyOnly, f)]),
            /function `orders-resolver-fn` has no reserved concurrency \(reservedConcurrentExecutions\) and is public \(GraphQL API `orders-graphql` takes an API key alone and resolves through its Lambda data source `orders-resolver` \(aws-appsync-api-key-auth reports it on `orders-graphql`\)\)/, "advisory");
    });
    it("passes an API with Cognito or IAM, a key beside a stronger default, a capped function, and a non-Lambda source", async () => {
        const f = fn(false);
        const api = withDeps(fx.graphQlApi, {});
        expectPass(await checkStack(UNCAPPED, [f, api, source(api, f)]));
        const beside = withDeps(mutate(fx.graphQlApi, a => { a.props.additionalAuthenticationProviders = [{ authenticationType: "API_KEY" }]; }), {});
        expectPass(await checkStack(UNCAPPED, [f, beside, source(beside, f)]));
        expectPass(await checkStack(UNCAPPED, [fn(true), keyOnly, source(keyOnly, fn(true))]));
        const dynamo = withDeps(mutate(fx.lambdaDataSource, d => { d.props.type = "AMAZON_DYNAMODB"; }), { apiId: [keyOnly], lambdaConfig: [f] });
        expectPass(await checkStack(UNCAPPED, [f, keyOnly, dynamo]));
    });
    it("links on aws-native, and by known ids and ARNs (deployed or discovered)", async () => {
        const f = fn(false, "aws-native:lambda:Function");
        const api = withDeps(mutate(nfx.graphQlApi, a => { a.props.authenticationType = "API_KEY"; }), {});
        expectViolation(await checkStack(UNCAPPED, [f, api, source(api, f, nfx.lambdaDataSource)]), /GraphQL API `orders-graphql` takes an API key alone/);
        const arn = "arn:aws:lambda:eu-west-1:111122223333:function:orders-resolver-fn-1a2b";
        const deployedFn = { ...fn(false), props: { ...fn(false).props, arn } };
        const deployedApi = { ...keyOnly, props: { ...keyOnly.props, id: "x7k2m9q4lfbb3" } };
        const deployedSource = { ...fx.lambdaDataSource, urn: urnOf(fx.lambdaDataSource), props: { ...fx.lambdaDataSource.props, apiId: "x7k2m9q4lfbb3", lambdaConfig: { functionArn: arn } } };
        expectViolation(await checkStack(UNCAPPED, [deployedFn, deployedApi, deployedSource]), /takes an API key alone/);
        // aws-native: the API's id is its ARN, which ends in the apiId a data source names it by.
        const nativeFn = { ...f, props: { ...f.props, arn } };
        const nativeApi = { ...api, props: { ...api.props, apiId: "x7k2m9q4lfbb3", id: `arn:aws:appsync:eu-west-1:111122223333:apis/x7k2m9q4lfbb3` } };
        const nativeSource = { ...nfx.lambdaDataSource, urn: urnOf(nfx.lambdaDataSource), props: { ...nfx.lambdaDataSource.props, apiId: "x7k2m9q4lfbb3", lambdaConfig: { lambdaFunctionArn: arn } } };
        expectViolation(await checkStack(UNCAPPED, [nativeFn, nativeApi, nativeSource]), /takes an API key alone/);
        const otherApi = { ...nativeApi, props: { ...nativeApi.props, apiId: "other0000000", id: "arn:aws:appsync:eu-west-1:111122223333:apis/other0000000" } };
        expectPass(await checkStack(UNCAPPED, [nativeFn, otherApi, nativeSource]));
    });
    it("can't tell while the API's authentication type is unknown", async () => {
        const api = withDeps(mutate(keyOnly, a => { a.props.authenticationType = UNKNOWN; }), {});
        expectUnknown(await checkStack(PUBLIC, [fn(false), api, source(api, fn(false))]));
    });
    it("reports the path on the function when aws-appsync-api-key-auth is disabled", async () => {
        const f = fn(false);
        try {
            recordConfiguredLevel("aws-appsync-api-key-auth", "disabled");
            expectViolation(await checkStack(PUBLIC, [f, keyOnly, source(keyOnly, f)]), /function `orders-resolver-fn` can be invoked without authentication: GraphQL API `orders-graphql` takes an API key alone/, "mandatory");
        } finally {
            recordConfiguredLevel("aws-appsync-api-key-auth", "mandatory");
        }
    });
});
