import * as assert from "assert";
import { check, remediate } from "../../support/harness";
import { expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import * as fx from "../../fixtures/aws";

describe("aws lambda guards", () => {
    describe("aws-lambda-function-recursion-allowed", () => {
        const name = "aws-lambda-function-recursion-allowed";
        it("passes Terminate", () => expectPass(check(name, fx.recursionConfig)));
        it("flags and remediates Allow", () => {
            const allow = mutate(fx.recursionConfig, f => { f.props.recursiveLoop = "Allow"; });
            expectViolation(check(name, allow), /recursiveLoop is "Allow"/, "mandatory");
            assert.strictEqual(remediate(name, allow)!.recursiveLoop, "Terminate");
        });
        it("can't decide while the setting is unknown", () => expectUnknown(check(name, mutate(fx.recursionConfig, f => { f.props.recursiveLoop = UNKNOWN; }))));
    });

    describe("aws-lambda-function-layer-account", () => {
        const name = "aws-lambda-function-layer-account";
        const trusted = { config: { trustedLayerAccountIds: ["111122223333"] } };
        const withLayers = (...layers: unknown[]) => mutate(fx.lambdaFunction, f => { f.props.layers = layers; });
        it("is not applicable until trusted accounts are configured", () => {
            expectNotApplicable(check(name, withLayers("arn:aws:lambda:eu-west-1:999988887777:layer:tools:3")), /trustedLayerAccountIds/);
        });
        it("passes layers of trusted accounts", () => expectPass(check(name, withLayers("arn:aws:lambda:eu-west-1:111122223333:layer:shared:7"), trusted)));
        it("flags a layer of another account, advisory, and checks the others when one is unknown", () => {
            const out = check(name, withLayers(UNKNOWN, "arn:aws:lambda:eu-west-1:999988887777:layer:tools:3"), trusted);
            expectViolation(out, /layers\[1\] is published by account 999988887777/, "advisory");
            expectUnknown(check(name, withLayers(UNKNOWN, "arn:aws:lambda:eu-west-1:111122223333:layer:shared:7"), trusted));
        });
    });
});
