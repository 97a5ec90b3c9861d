import * as assert from "assert";
import { checkStack, TestResource } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import { coversEveryFunction } from "../../../policies/stack/aws-invokers";
import * as fx from "../../fixtures/aws-frontdoors";
import * as nfx from "../../fixtures/aws-native-frontdoors";

const name = "stack-aws-caller-role-any-function";
const urnOf = (r: TestResource) => `urn:pulumi:test::test::${r.type}::${r.name}`;
const using = (caller: TestResource, role: TestResource, property: string): TestResource => ({ ...caller, propertyDependencies: { [property]: [urnOf(role)] } });
const invokeAll = (resource: unknown) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "lambda:invokeFunction", Resource: resource }] });

describe("aws callers of functions", () => {
    describe(name, () => {
        it("passes a role scoped to the functions it calls, on both providers", async () => {
            expectPass(await checkStack(name, [fx.callerRole, using(fx.stateMachine, fx.callerRole, "roleArn")]));
            expectPass(await checkStack(name, [nfx.callerRole, using(nfx.lambdaDataSource, nfx.callerRole, "serviceRoleArn")]));
        });
        it("flags lambda:InvokeFunction on every function (any case, JSON string or object) once, on the role, naming each caller", async () => {
            const wide = mutate(fx.callerRole, f => { f.props.inlinePolicies[0].policy = invokeAll("arn:aws:lambda:*"); });
            const out = await checkStack(name, [wide, using(fx.stateMachine, wide, "roleArn"), using(fx.lambdaDataSource, wide, "serviceRoleArn")]);
            expectViolation(out, /^inline policy `invoke` of role `orders-flow-role` allows lambda:InvokeFunction on `arn:aws:lambda:\*`, so state machine `orders-flow` and Lambda data source `orders-resolver` may invoke every Lambda function/m, "advisory");
            assert.deepStrictEqual(out.violations.map(v => v.urn), [urnOf(wide)]);
            const nativeWide = mutate(nfx.callerRole, f => { f.props.policies[0].policyDocument.Statement[0].Resource = "*"; });
            expectViolation(await checkStack(name, [nativeWide, using(nfx.stateMachine, nativeWide, "roleArn")]), /allows lambda:InvokeFunction on `\*`, so state machine `orders-flow`/);
        });
        it("reads the AWSLambdaRole managed policy", async () => {
            const managed = mutate(fx.callerRole, f => { f.props.managedPolicyArns = ["arn:aws:iam::aws:policy/service-role/AWSLambdaRole"]; });
            expectViolation(await checkStack(name, [managed, using(fx.lambdaDataSource, managed, "serviceRoleArn")]), /^the AWS managed policy `AWSLambdaRole` \(managedPolicyArns of role `orders-flow-role`\) allows/m);
        });
        it("leaves data sources that call no function alone", async () => {
            const wide = mutate(fx.callerRole, f => { f.props.inlinePolicies[0].policy = invokeAll("*"); });
            expectPass(await checkStack(name, [wide, using(mutate(fx.lambdaDataSource, f => { f.props.type = "AMAZON_DYNAMODB"; }), wide, "serviceRoleArn")]));
        });
        it("waits while the role can't be found", async () => {
            const out = await checkStack(name, [fx.stateMachine]);
            assert.deepStrictEqual(out.violations, []);
            expectUnknown(out);
        });
        it("knows which patterns cover every function", () => {
            for (const p of ["*", "arn:aws:lambda:*", "arn:aws:lambda:*:*:function:*", "arn:aws:lambda:eu-west-1:111122223333:function:*", "arn:*:lambda:*:*:*"]) {
                assert.ok(coversEveryFunction(p), p);
            }
            for (const p of ["arn:aws:lambda:eu-west-1:111122223333:function:orders-*", "arn:aws:lambda:*:*:function:charge", "arn:aws:s3:::*"]) {
                assert.ok(!coversEveryFunction(p), p);
            }
        });
    });
});
