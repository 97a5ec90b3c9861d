import { check } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import * as fx from "../../fixtures/aws";

const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const onAll = (...actions: string[]) => mutate(fx.iamPolicy, f => { f.props.policy = doc({ Effect: "Allow", Action: actions, Resource: "*" }); });

describe("aws iam action classes", () => {
    const cases: [string, string[], RegExp, string][] = [
        ["aws-iam-policy-data-exfiltration", ["secretsmanager:GetSecretValue", "s3:Get*"], /allows data exfiltration: statement 0 allows s3:GetObject, s3:GetObjectVersion, secretsmanager:GetSecretValue on resource "\*"/, "mandatory"],
        ["aws-iam-policy-credential-exposure", ["redshift:GetClusterCredentials"], /allows credential exposure: .*redshift:GetClusterCredentials/, "mandatory"],
        ["aws-iam-policy-permissions-management", ["s3:PutBucketPolicy", "kms:PutKeyPolicy"], /allows permissions management: .*s3:PutBucketPolicy/, "mandatory"],
        ["aws-iam-policy-unscoped-write", ["dynamodb:PutItem"], /allows unscoped writes: .*dynamodb:PutItem/, "advisory"],
    ];
    for (const [name, actions, pattern, level] of cases) {
        describe(name, () => {
            it("passes scoped documents", () => {
                expectPass(check(name, fx.role));
                expectPass(check(name, fx.rolePolicy));
                expectPass(check(name, mutate(fx.iamPolicy, f => { f.props.policy = doc({ Effect: "Allow", Action: actions, Resource: "arn:aws:s3:::bucket/*" }); })));
            });
            it("flags the actions on every resource", () => expectViolation(check(name, onAll(...actions)), pattern, level));
            it("leaves \"*\" and whole-service grants to the admin and service-wide checks", () => {
                expectPass(check(name, onAll("*")));
                expectPass(check(name, onAll(actions[0].split(":")[0] + ":*")));
            });
            it("can't decide while the document is unknown", () => expectUnknown(check(name, mutate(fx.rolePolicy, f => { f.props.policy = UNKNOWN; }))));
        });
    }

    describe("aws-iam-managed-policy-admin on every kind of attachment", () => {
        const name = "aws-iam-managed-policy-admin";
        it("passes harmless attachments", () => {
            expectPass(check(name, fx.policyAttachment));
            expectPass(check(name, fx.rolePolicyAttachmentsExclusive));
        });
        it("flags PolicyAttachment and RolePolicyAttachmentsExclusive with administrator policies", () => {
            expectViolation(check(name, mutate(fx.policyAttachment, f => { f.props.policyArn = "arn:aws:iam::aws:policy/AdministratorAccess"; })), /policyArn attaches the AWS managed policy `AdministratorAccess`/, "mandatory");
            const out = check(name, mutate(fx.rolePolicyAttachmentsExclusive, f => { f.props.policyArns = [UNKNOWN, "arn:aws:iam::aws:policy/IAMFullAccess"]; }));
            expectViolation(out, /policyArns\[1\] attaches the AWS managed policy `IAMFullAccess`/);
            expectUnknown(check(name, mutate(fx.rolePolicyAttachmentsExclusive, f => { f.props.policyArns = [UNKNOWN]; })));
        });
    });
});
