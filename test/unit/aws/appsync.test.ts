import { check } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import * as fx from "../../fixtures/aws-frontdoors";
import * as nfx from "../../fixtures/aws-native-frontdoors";

describe("aws appsync", () => {
    describe("aws-appsync-api-key-auth", () => {
        const name = "aws-appsync-api-key-auth";
        it("passes Cognito, IAM and an API key offered beside them", () => {
            expectPass(check(name, fx.graphQlApi));
            expectPass(check(name, nfx.graphQlApi));
            expectPass(check(name, mutate(fx.graphQlApi, f => { f.props.additionalAuthenticationProviders.push({ authenticationType: "API_KEY" }); })));
        });
        it("fails an API key as the only authentication of a public API (mandatory)", () => {
            const keyOnly = mutate(fx.graphQlApi, f => { f.props.authenticationType = "API_KEY"; delete f.props.additionalAuthenticationProviders; delete f.props.userPoolConfig; });
            expectViolation(check(name, keyOnly), /^authenticationType is "API_KEY" and no other provider is configured: anyone with the key/m, "mandatory");
        });
        it("words the finding for whatever the resolvers reach, not only functions (aws-ts-appsync: DynamoDB resolvers alone)", () => {
            // The public aws-ts-appsync program: an API-key API whose resolvers read and write a DynamoDB table, no function.
            const tableOnly = mutate(fx.graphQlApi, f => { f.props.authenticationType = "API_KEY"; delete f.props.additionalAuthenticationProviders; delete f.props.userPoolConfig; delete f.props.logConfig; });
            expectViolation(check(name, tableOnly), /can run every query and mutation of the public API against its data sources \(tables, functions, HTTP endpoints\)/, "mandatory");
            expectViolation(check(name, mutate(nfx.graphQlApi, f => { f.props.authenticationType = "API_KEY"; f.props.additionalAuthenticationProviders = [{ authenticationType: "API_KEY" }]; })), /no other provider is configured/, "mandatory");
        });
        it("keeps an API key default beside a stronger provider, or on a private API, advisory", () => {
            expectViolation(check(name, mutate(fx.graphQlApi, f => { f.props.authenticationType = "API_KEY"; })), /offers "AWS_IAM": every field without an auth directive is open/, "advisory");
            expectViolation(check(name, mutate(nfx.graphQlApi, f => { f.props.authenticationType = "API_KEY"; f.props.visibility = "PRIVATE"; })), /private API authenticates no caller/, "advisory");
        });
        it("waits on unknown additional providers", () => {
            expectUnknown(check(name, mutate(fx.graphQlApi, f => { f.props.authenticationType = "API_KEY"; f.props.additionalAuthenticationProviders = UNKNOWN; })));
        });
    });

    describe("aws-appsync-field-logging", () => {
        const name = "aws-appsync-field-logging";
        it("passes ERROR", () => {
            expectPass(check(name, fx.graphQlApi));
            expectPass(check(name, nfx.graphQlApi));
        });
        it("flags NONE and no log config", () => {
            expectViolation(check(name, mutate(fx.graphQlApi, f => { f.props.logConfig.fieldLogLevel = "NONE"; })), /logConfig\.fieldLogLevel is "NONE"/, "advisory");
            expectViolation(check(name, mutate(nfx.graphQlApi, f => { delete f.props.logConfig; })), /logConfig\.fieldLogLevel is not set/);
        });
        it("waits on an unknown level", () => expectUnknown(check(name, mutate(fx.graphQlApi, f => { f.props.logConfig.fieldLogLevel = UNKNOWN; }))));
    });
});
