import { check } from "../../support/harness";
import { expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import * as fx from "../../fixtures/aws";
import { UNKNOWN } from "../../../runner/wire";

const nativeRestApi = {
    type: "aws-native:apigateway:RestApi",
    name: "orders-native",
    props: { name: "orders", endpointConfiguration: { types: ["PRIVATE"], vpcEndpointIds: ["vpce-0a1b2c3d"] } },
};

const everyoneInvokes = { Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*" };
const onlyThroughVpce = { Effect: "Deny", Principal: "*", Action: "execute-api:Invoke", Resource: "execute-api:/*", Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-0a1b2c3d" } } };
const doc = (...statements: unknown[]) => ({ Version: "2012-10-17", Statement: statements });

const restApiPolicy = {
    type: "aws:apigateway/restApiPolicy:RestApiPolicy",
    name: "orders-policy",
    props: { restApiId: UNKNOWN, policy: JSON.stringify(doc(everyoneInvokes, onlyThroughVpce)) },
};

describe("aws api gateway rest api", () => {
    describe("aws-apigateway-rest-api-private-endpoint", () => {
        const name = "aws-apigateway-rest-api-private-endpoint";
        const required = { config: { requirePrivateRestApis: true } };
        it("is opt-in: a public REST API is a legitimate design", () => expectNotApplicable(check(name, fx.restApi), /requirePrivateRestApis/));
        it("passes a private API when required", () => {
            expectPass(check(name, nativeRestApi, required));
            expectPass(check(name, mutate(fx.restApi, f => { f.props.endpointConfiguration = { types: "PRIVATE" }; }), required));
        });
        it("flags REGIONAL, EDGE and the EDGE default when required", () => {
            expectViolation(check(name, fx.restApi, required), /endpointConfiguration\.types is "REGIONAL"/, "advisory");
            expectViolation(check(name, mutate(nativeRestApi, f => { f.props.endpointConfiguration.types = ["EDGE"]; }), required), /"EDGE"/);
            expectViolation(check(name, mutate(fx.restApi, f => { delete f.props.endpointConfiguration; }), required), /not set \(EDGE\)/);
        });
        it("waits on a computed endpoint type", () => expectUnknown(check(name, mutate(fx.restApi, f => { f.props.endpointConfiguration = { types: UNKNOWN }; }), required)));
    });

    describe("aws-apigateway-rest-api-policy-public", () => {
        const name = "aws-apigateway-rest-api-policy-public";
        it("passes no policy, named principals, a condition, or a conditioned Deny", () => {
            expectPass(check(name, fx.restApi));
            expectPass(check(name, restApiPolicy));
            expectPass(check(name, mutate(restApiPolicy, f => {
                f.props.policy = doc({ ...everyoneInvokes, Principal: { AWS: "arn:aws:iam::111122223333:role/caller" } });
            })));
            expectPass(check(name, mutate(nativeRestApi, f => {
                f.props.policy = doc({ ...everyoneInvokes, Condition: { StringEquals: { "aws:SourceVpce": "vpce-0a1b2c3d" } } });
            })));
        });
        it("flags an unconditioned \"*\" on a RestApiPolicy, as a JSON string or object", () => {
            expectViolation(check(name, mutate(restApiPolicy, f => { f.props.policy = JSON.stringify(doc(everyoneInvokes)); })), /policy statement 0 allows principal "\*" with no condition.*AWS_IAM/, "advisory");
            expectViolation(check(name, mutate(restApiPolicy, f => { f.props.policy = doc({ ...everyoneInvokes, Principal: { AWS: ["*"] }, Sid: "All" }); })), /statement 0 \(All\)/);
        });
        it("flags \"*\" whose only condition or Deny lets every caller in: a wildcard endpoint, an open address range, a Null test", () => {
            const conditioned = (Condition: object) => mutate(restApiPolicy, f => { f.props.policy = doc({ ...everyoneInvokes, Condition }); });
            expectViolation(check(name, conditioned({ StringLike: { "aws:SourceVpce": "vpce-*" } })), /with conditions \(`StringLike aws:sourcevpce`\) that don't narrow the caller/);
            expectViolation(check(name, conditioned({ IpAddress: { "aws:SourceIp": "0.0.0.0/0" } })), /`IpAddress aws:sourceip`/);
            expectViolation(check(name, conditioned({ Null: { "aws:SourceVpce": "false" } })), /`Null aws:sourcevpce`/);
            expectPass(check(name, conditioned({ IpAddress: { "aws:SourceIp": ["203.0.113.0/24"] } })));
            const wildDeny = mutate(restApiPolicy, f => {
                f.props.policy = doc(everyoneInvokes, { ...onlyThroughVpce, Condition: { StringNotLike: { "aws:SourceVpce": "*" } } });
            });
            expectViolation(check(name, wildDeny), /with no condition/);
            expectPass(check(name, mutate(restApiPolicy, f => { f.props.policy = doc(everyoneInvokes, onlyThroughVpce); })));
        });
        it("says what it means on a private API", () => {
            expectViolation(check(name, mutate(nativeRestApi, f => { f.props.policy = doc(everyoneInvokes); })), /every VPC endpoint of any account can reach this private API/);
            expectViolation(check(name, mutate(fx.restApi, f => { f.props.policy = JSON.stringify(doc(everyoneInvokes)); })), /AWS_IAM methods/);
        });
        it("waits on a computed policy", () => expectUnknown(check(name, mutate(restApiPolicy, f => { f.props.policy = UNKNOWN; }))));
    });
});
