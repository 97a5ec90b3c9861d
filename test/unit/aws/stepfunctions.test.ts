import * as assert from "assert";
import { check, remediate } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import * as fx from "../../fixtures/aws-frontdoors";
import * as nfx from "../../fixtures/aws-native-frontdoors";

describe("aws step functions", () => {
    describe("aws-sfn-state-machine-logging", () => {
        const name = "aws-sfn-state-machine-logging";
        it("passes ERROR and ALL on both providers", () => {
            expectPass(check(name, fx.stateMachine));
            expectPass(check(name, nfx.stateMachine));
        });
        it("flags OFF and an absent configuration, and says an Express workflow keeps no history", () => {
            expectViolation(check(name, mutate(fx.stateMachine, f => { f.props.loggingConfiguration.level = "OFF"; })), /loggingConfiguration\.level is "OFF": executions are not logged/, "advisory");
            expectViolation(check(name, mutate(fx.stateMachine, f => { delete f.props.loggingConfiguration; })), /loggingConfiguration\.level is not set/);
            expectViolation(check(name, mutate(nfx.stateMachine, f => { delete f.props.loggingConfiguration; })), /not set: this Express workflow keeps no execution history at all/);
        });
        it("waits on an unknown level", () => expectUnknown(check(name, mutate(fx.stateMachine, f => { f.props.loggingConfiguration.level = UNKNOWN; }))));
    });

    describe("aws-sfn-state-machine-tracing", () => {
        const name = "aws-sfn-state-machine-tracing";
        it("passes tracing on", () => {
            expectPass(check(name, fx.stateMachine));
            expectPass(check(name, nfx.stateMachine));
        });
        it("flags and remediates tracing off on both providers", () => {
            const off = mutate(fx.stateMachine, f => { delete f.props.tracingConfiguration; });
            expectViolation(check(name, off), /tracingConfiguration\.enabled is not true/, "advisory");
            assert.deepStrictEqual((remediate(name, off) as any).tracingConfiguration, { enabled: true });
            const nativeOff = mutate(nfx.stateMachine, f => { f.props.tracingConfiguration.enabled = false; });
            expectViolation(check(name, nativeOff), /tracingConfiguration\.enabled is not true/);
            assert.strictEqual((remediate(name, nativeOff) as any).tracingConfiguration.enabled, true);
        });
        it("waits on an unknown flag", () => expectUnknown(check(name, mutate(fx.stateMachine, f => { f.props.tracingConfiguration.enabled = UNKNOWN; }))));
    });
});
