import * as assert from "assert";
import { check, messages } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation, mutate, expectFailedDespiteUnknown } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import * as fx from "../../fixtures/aws";

const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

describe("aws iam", () => {
    describe("aws-iam-policy-admin-access", () => {
        const name = "aws-iam-policy-admin-access";
        it("passes scoped documents on roles, role policies and policies", () => {
            expectPass(check(name, fx.role));
            expectPass(check(name, fx.rolePolicy));
            expectPass(check(name, fx.iamPolicy));
        });
        it("flags Action * in an inline role policy given as a JSON string", () => {
            const out = check(name, mutate(fx.role, f => { f.props.inlinePolicies[0].policy = doc({ Effect: "Allow", Action: "*", Resource: "*" }); }));
            expectViolation(out, /inlinePolicies\[0\] grants administrator access: statement 0 allows action "\*" on resource "\*"/, "mandatory");
        });
        it("flags an object document with a single Statement object and NotAction", () => {
            expectViolation(check(name, mutate(fx.rolePolicy, f => { f.props.policy = { Statement: { Effect: "Allow", NotAction: "iam:*", Resource: "*" } }; })), /NotAction/);
        });
        it("ignores Deny statements and tolerates malformed documents", () => {
            expectPass(check(name, mutate(fx.iamPolicy, f => { f.props.policy = doc({ Effect: "Deny", Action: "*", Resource: "*" }); })));
            for (const bad of ["{not json", "[]", "42", JSON.stringify({ Statement: [null, 3, "x", { Effect: "Allow", Action: 5 }] })]) {
                expectPass(check(name, mutate(fx.iamPolicy, f => { f.props.policy = bad; })));
            }
        });
    });

    describe("aws-iam-policy-service-wildcard", () => {
        const name = "aws-iam-policy-service-wildcard";
        it("passes specific actions", () => expectPass(check(name, fx.iamPolicy)));
        it("flags service:* on *", () => expectViolation(check(name, mutate(fx.iamPolicy, f => { f.props.policy = doc({ Effect: "Allow", Action: ["dynamodb:*"], Resource: ["*"] }); })), /"dynamodb:\*" on resource "\*"/));
        it("passes service:* scoped to a resource", () => expectPass(check(name, mutate(fx.iamPolicy, f => { f.props.policy = doc({ Effect: "Allow", Action: "dynamodb:*", Resource: "arn:aws:dynamodb:eu-west-1:111122223333:table/orders" }); }))));
    });

    describe("aws-iam-policy-privilege-escalation", () => {
        const name = "aws-iam-policy-privilege-escalation";
        it("passes a scoped policy", () => expectPass(check(name, fx.rolePolicy)));
        it("flags iam:PassRole on *", () => expectViolation(check(name, mutate(fx.iamPolicy, f => { f.props.policy = doc({ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }); })), /iam:PassRole/));
        it("sees escalation through wildcards", () => {
            const out = check(name, mutate(fx.iamPolicy, f => { f.props.policy = doc({ Effect: "Allow", Action: "lambda:Update*", Resource: "*" }); }));
            expectViolation(out, /lambda:UpdateFunctionCode/);
        });
    });

    describe("aws-iam-managed-policy-admin", () => {
        const name = "aws-iam-managed-policy-admin";
        it("passes the basic execution role", () => {
            expectPass(check(name, fx.role));
            expectPass(check(name, fx.rolePolicyAttachment));
        });
        it("flags AdministratorAccess on a role and PowerUserAccess through an attachment", () => {
            expectViolation(check(name, mutate(fx.role, f => { f.props.managedPolicyArns.push("arn:aws:iam::aws:policy/AdministratorAccess"); })), /managedPolicyArns\[1\] attaches the AWS managed policy `AdministratorAccess`/);
            expectViolation(check(name, mutate(fx.rolePolicyAttachment, f => { f.props.policyArn = "arn:aws:iam::aws:policy/PowerUserAccess"; })), /PowerUserAccess/);
            expectViolation(check(name, mutate(fx.rolePolicyAttachment, f => { f.props.policyArn = "arn:aws-us-gov:iam::aws:policy/IAMFullAccess"; })), /IAMFullAccess/);
        });
        it("doesn't mistake a customer policy of the same name", () => {
            expectPass(check(name, mutate(fx.rolePolicyAttachment, f => { f.props.policyArn = "arn:aws:iam::111122223333:policy/AdministratorAccess"; })));
        });
    });

    describe("aws-iam-role-trust-too-broad", () => {
        const name = "aws-iam-role-trust-too-broad";
        it("passes a Lambda service trust", () => expectPass(check(name, fx.role)));
        it("flags principal * without conditions", () => {
            expectViolation(check(name, mutate(fx.role, f => { f.props.assumeRolePolicy = doc({ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }); })), /anyone can assume/);
            expectViolation(check(name, mutate(fx.role, f => { f.props.assumeRolePolicy = doc({ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:SecureTransport": "true" } } }); })), /don't restrict/);
        });
        it("accepts * restricted to the organization", () => {
            expectPass(check(name, mutate(fx.role, f => { f.props.assumeRolePolicy = doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123def4" } } }); })));
        });
        it("flags a whole foreign account unless trusted", () => {
            const trust = mutate(fx.role, f => { f.props.assumeRolePolicy = doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: "sts:AssumeRole" }); });
            expectViolation(check(name, trust), /every identity of account 444455556666.*sts:ExternalId/);
            expectPass(check(name, trust, { config: { trustedAccountIds: ["444455556666"] } }));
        });
        it("reports nothing for a document it can't read", () => {
            assert.deepStrictEqual(messages(check(name, mutate(fx.role, f => { f.props.assumeRolePolicy = "{{"; }))), []);
        });
    });
});

describe("aws iam with values unknown during preview", () => {
    it("checks the known inline policies and managed ARNs next to an unknown one", () => {
        const out = check("aws-iam-policy-admin-access", mutate(fx.role, f => {
            f.props.inlinePolicies = [{ name: "later", policy: UNKNOWN }, { name: "admin", policy: doc({ Effect: "Allow", Action: "*", Resource: "*" }) }];
        }));
        expectViolation(out, /inlinePolicies\[1\] grants administrator access/);
        expectFailedDespiteUnknown(out);
        const managed = check("aws-iam-managed-policy-admin", mutate(fx.role, f => { f.props.managedPolicyArns = [UNKNOWN, "arn:aws:iam::aws:policy/IAMFullAccess"]; }));
        expectViolation(managed, /managedPolicyArns\[1\].*IAMFullAccess/);
        expectFailedDespiteUnknown(managed);
    });
});
