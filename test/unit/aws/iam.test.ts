import * as assert from "assert";
import { check, checkStack, messages, TestResource } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation, mutate, expectFailedDespiteUnknown } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import * as fx from "../../fixtures/aws";
import * as nativeFx from "../../fixtures/aws-native";

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
        it("leaves a whole-service wildcard to aws-iam-policy-service-wildcard, so one statement gives one line", () => {
            // pulumi/examples aws-ts-serverless-datawarehouse: RolePolicy `<name>-glue-policy` allows "glue:*" on "*".
            const gluePolicy = mutate(fx.rolePolicy, f => { f.props.policy = doc({ Effect: "Allow", Action: ["glue:*"], Resource: "*" }); });
            expectPass(check(name, gluePolicy));
            expectViolation(check("aws-iam-policy-service-wildcard", gluePolicy), /allows "glue:\*" on resource "\*"/);
            expectViolation(check(name, mutate(fx.rolePolicy, f => { f.props.policy = doc({ Effect: "Allow", Action: ["glue:*", "iam:PassRole"], Resource: "*" }); })), /allows iam:PassRole on resource "\*"/);
        });
        it("sees escalation through wildcards", () => {
            const out = check(name, mutate(fx.iamPolicy, f => { f.props.policy = doc({ Effect: "Allow", Action: "lambda:Update*", Resource: "*" }); }));
            expectViolation(out, /lambda:UpdateFunctionCode/);
        });
        const policyWith = (statement: Record<string, unknown>) => mutate(fx.iamPolicy, f => { f.props.policy = doc(statement); });
        it("flags escalation on every resource of the action's type, at the policy's level", () => {
            expectViolation(check(name, policyWith({ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/*" })),
                /allows iam:PassRole on every resource of its type \("arn:aws:iam::111122223333:role\/\*"\)/, "mandatory");
            expectViolation(check(name, policyWith({ Effect: "Allow", Action: "lambda:UpdateFunctionCode", Resource: "arn:aws:lambda:eu-west-1:111122223333:function:*" })), /every resource of its type/, "mandatory");
        });
        it("passes PassRole and UpdateFunctionCode on named resources, and a type-wide ARN of another service", () => {
            expectPass(check(name, policyWith({ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/orders-worker", Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } } })));
            expectPass(check(name, policyWith({ Effect: "Allow", Action: "lambda:UpdateFunctionCode", Resource: "arn:aws:lambda:eu-west-1:111122223333:function:orders" })));
            expectPass(check(name, policyWith({ Effect: "Allow", Action: ["iam:PassRole", "s3:GetObject"], Resource: ["arn:aws:s3:::uploads/*", "arn:aws:iam::111122223333:role/orders-worker"] })));
            expectPass(check(name, policyWith({ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/service-role/*" })));
        });
        it("warns, advisory only, on actions that rewrite a named identity's permissions", () => {
            const out = check(name, policyWith({ Effect: "Allow", Action: ["iam:AttachRolePolicy", "iam:PutRolePolicy"], Resource: "arn:aws:iam::111122223333:role/orders-worker" }));
            expectViolation(out, /policy can give a named identity any permission, administrator included: statement 0 allows iam:AttachRolePolicy, iam:PutRolePolicy on "arn:aws:iam::111122223333:role\/orders-worker"\./, "advisory");
            expectViolation(check(name, policyWith({ Effect: "Allow", Action: "iam:CreatePolicyVersion", Resource: "arn:aws:iam::111122223333:policy/orders" })), /iam:CreatePolicyVersion/, "advisory");
        });
        it("leaves attach actions limited by an iam:PolicyARN condition alone", () => {
            expectPass(check(name, policyWith({
                Effect: "Allow", Action: "iam:AttachRolePolicy", Resource: "arn:aws:iam::111122223333:role/orders-worker",
                Condition: { ArnEquals: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess" } },
            })));
        });
    });

    describe("aws-iam-policy-privilege-escalation on a named role or function, judged with the stack", () => {
        const name = "aws-iam-policy-privilege-escalation";
        const ACCOUNT = "111122223333";
        const roleArn = (n: string, account = ACCOUNT) => `arn:aws:iam::${account}:role/${n}`;
        const fnArn = (n: string) => `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:${n}`;
        const urnOf = (type: string, n: string) => `urn:pulumi:dev::shop::${type}::${n}`;
        const ROLE_T = "aws:iam/role:Role";
        const role = (n: string, props: Record<string, unknown>, account = ACCOUNT): TestResource => ({
            type: ROLE_T, name: n, urn: urnOf(ROLE_T, n),
            props: { name: n, arn: roleArn(n, account), assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }), ...props },
        });
        const admin = (n: string, account?: string) => role(n, { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }, account);
        const weak = (n: string) => role(n, { managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"] });
        const granting = (statement: Record<string, unknown>, holder = "deployer"): TestResource => ({
            type: "aws:iam/rolePolicy:RolePolicy", name: `${holder}-policy`, urn: urnOf("aws:iam/rolePolicy:RolePolicy", `${holder}-policy`),
            props: { role: holder, policy: doc(statement) }, propertyDependencies: { role: [urnOf(ROLE_T, holder)] },
        });
        const fnWith = (n: string, roleName: string): TestResource => ({
            type: "aws:lambda/function:Function", name: n, urn: urnOf("aws:lambda/function:Function", n),
            props: { name: n, arn: fnArn(n), role: roleArn(roleName), runtime: "nodejs22.x" },
        });
        const passRole = (resource: string | string[]) => granting({ Effect: "Allow", Action: "iam:PassRole", Resource: resource });
        const holder = weak("deployer");

        it("flags iam:PassRole on a named administrator role of the stack, at the policy's level", async () => {
            const out = await checkStack(name, [holder, admin("ops-admin"), passRole(roleArn("ops-admin"))]);
            expectViolation(out, /policy allows privilege escalation: statement 0 allows iam:PassRole on role `ops-admin`, which has the AWS managed policy `AdministratorAccess` \(.*\) via managedPolicyArns of role `ops-admin`\./, "mandatory");
            assert.strictEqual(out.violations.length, 1);
            // Analyze alone leaves it to the stack: no verdict on one resource.
            expectPass(check(name, passRole(roleArn("ops-admin"))));
        });
        it("flags a role that can escalate itself, and an aws-native role with an inline `iam:*`", async () => {
            const escalating = role("ci", { inlinePolicies: [{ name: "p", policy: doc({ Effect: "Allow", Action: "iam:*", Resource: "*" }) }] });
            expectViolation(await checkStack(name, [holder, escalating, passRole(roleArn("ci"))]), /iam:PassRole on role `ci`, which has privilege escalation \(statement 0 allows "iam:\*" on resource "\*"\) via inline policy `p` of role `ci`/);
            const native: TestResource = {
                type: "aws-native:iam:Role", name: "native-admin", urn: urnOf("aws-native:iam:Role", "native-admin"),
                props: { roleName: "native-admin", arn: roleArn("native-admin"), policies: [{ policyName: "all", policyDocument: { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } }] },
            };
            expectViolation(await checkStack(name, [holder, native, passRole(roleArn("native-admin"))]), /role `native-admin`, which has administrator access/);
        });
        it("passes iam:PassRole on a weak role, on a role outside the stack, and on the holder's own role", async () => {
            expectPass(await checkStack(name, [holder, weak("worker"), passRole(roleArn("worker"))]));
            expectPass(await checkStack(name, [holder, passRole(roleArn("somewhere-else"))]));
            expectPass(await checkStack(name, [admin("deployer"), granting({ Effect: "Allow", Action: "iam:PassRole", Resource: roleArn("deployer") })]));
        });
        it("matches the target in its account: a role of the same name in another account is not it", async () => {
            expectPass(await checkStack(name, [holder, admin("ops-admin", "999988887777"), passRole(roleArn("ops-admin"))]));
        });
        it("follows a role pattern to every role of the stack it matches", async () => {
            expectViolation(await checkStack(name, [holder, weak("app-worker"), admin("app-admin"), passRole(roleArn("app-*"))]), /iam:PassRole on role `app-admin`/);
            expectPass(await checkStack(name, [holder, weak("app-worker"), admin("ops-admin"), passRole(roleArn("app-*"))]));
            // During preview a new role's ARN is computed: its known name (and path) decide.
            const computedArn = mutate(admin("app-admin"), f => { f.props.arn = UNKNOWN; });
            expectViolation(await checkStack(name, [holder, computedArn, passRole(roleArn("app-*"))]), /iam:PassRole on role `app-admin`/);
            expectPass(await checkStack(name, [holder, mutate(computedArn, f => { f.props.path = "/ops/"; }), passRole(roleArn("app-*"))]));
        });
        it("gives an advisory line for a role with a whole service, and none for a weak one", async () => {
            const s3 = role("uploader", { managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3FullAccess"] });
            const out = await checkStack(name, [holder, s3, passRole(roleArn("uploader"))]);
            expectViolation(out, /statement 0 allows iam:PassRole on role `uploader`, which has the AWS managed policy `AmazonS3FullAccess`.*: the holder can use that access through it/, "advisory");
            assert.ok(out.violations.every(v => v.level === "advisory"));
        });
        it("flags lambda:UpdateFunctionCode on a named function whose role is privileged, and passes one whose role is weak or the holder's", async () => {
            const update = (fn: string) => granting({ Effect: "Allow", Action: ["lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"], Resource: fnArn(fn) });
            const out = await checkStack(name, [holder, admin("ops-admin"), fnWith("ops", "ops-admin"), update("ops")]);
            expectViolation(out, /statement 0 allows lambda:UpdateFunctionCode on function `ops`, whose role `ops-admin`, which has the AWS managed policy `AdministratorAccess`.*; statement 0 allows lambda:UpdateFunctionConfiguration on function `ops`/, "mandatory");
            expectPass(await checkStack(name, [holder, weak("worker"), fnWith("orders", "worker"), update("orders")]));
            expectPass(await checkStack(name, [holder, fnWith("self", "deployer"), update("self")]));
        });
        it("waits when the target role's permissions are computed, and reports a known escalation beside it", async () => {
            const computed = role("ops-admin", { inlinePolicies: [{ name: "p", policy: UNKNOWN }] });
            expectUnknown(await checkStack(name, [holder, computed, passRole(roleArn("ops-admin"))]));
            const withStar = granting({ Effect: "Allow", Action: ["iam:PassRole"], Resource: [roleArn("ops-admin")] });
            const both = mutate(withStar, f => { f.props.policy = doc({ Effect: "Allow", Action: "iam:PassRole", Resource: roleArn("ops-admin") }, { Effect: "Allow", Action: "lambda:CreateFunction", Resource: "*" }); });
            expectViolation(await checkStack(name, [holder, computed, both]), /statement 1 allows lambda:CreateFunction on resource "\*"/);
        });
        it("waits on a document computed during preview (in Analyze, where the document is read)", () => {
            expectUnknown(check(name, mutate(passRole(roleArn("ops-admin")), f => { f.props.policy = UNKNOWN; })));
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
        it("doesn't call a service-scoped full-access policy administrator access", () => {
            // pulumi/examples aws-ts-apigateway: CallbackFunction with policies [AWSLambdaVPCAccessExecutionRole, LambdaFullAccess].
            for (const arn of ["arn:aws:iam::aws:policy/AWSLambda_FullAccess", "arn:aws:iam::aws:policy/AmazonS3FullAccess", "arn:aws:iam::aws:policy/SecretsManagerReadWrite"]) {
                expectPass(check(name, mutate(fx.rolePolicyAttachment, f => { f.props.policyArn = arn; })));
            }
        });
    });

    describe("aws-iam-managed-policy-service-wide", () => {
        const name = "aws-iam-managed-policy-service-wide";
        const attach = (arn: string) => mutate(fx.rolePolicyAttachment, f => { f.name = `handler-${arn.length}`; f.props.policyArn = arn; });
        it("passes the execution-role policies and leaves administrator policies to aws-iam-managed-policy-admin", () => {
            expectPass(check(name, fx.role));
            expectPass(check(name, attach("arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole")));
            expectPass(check(name, attach("arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess")));
            expectPass(check(name, attach("arn:aws:iam::aws:policy/AdministratorAccess")));
            expectPass(check(name, attach("arn:aws:iam::111122223333:policy/AmazonDynamoDBFullAccess")));
        });
        it("reports the full-access policies a default @pulumi/aws CallbackFunction attaches, each broad in its own service", () => {
            // lambdaMixins.js: with neither role nor policies, one RolePolicyAttachment per default managed policy.
            const cases: [string, RegExp][] = [
                ["arn:aws:iam::aws:policy/AWSLambda_FullAccess", /`AWSLambda_FullAccess` \(every Lambda action on every function, and iam:PassRole of any role to Lambda\)/],
                ["arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess", /`AmazonDynamoDBFullAccess` \(every DynamoDB and DAX action on every table/],
                ["arn:aws:iam::aws:policy/AmazonSQSFullAccess", /`AmazonSQSFullAccess` \(every SQS action on every queue\)/],
                ["arn:aws:iam::aws:policy/AmazonKinesisFullAccess", /`AmazonKinesisFullAccess` \(every Kinesis Data Streams action on every stream\)/],
                ["arn:aws:iam::aws:policy/AmazonS3FullAccess", /`AmazonS3FullAccess`/],
                ["arn:aws:iam::aws:policy/CloudWatchFullAccessV2", /`CloudWatchFullAccessV2`/],
                ["arn:aws:iam::aws:policy/CloudWatchEventsFullAccess", /`CloudWatchEventsFullAccess`/],
                ["arn:aws:iam::aws:policy/AmazonCognitoPowerUser", /`AmazonCognitoPowerUser`/],
            ];
            for (const [arn, pattern] of cases) {
                const out = check(name, attach(arn));
                expectViolation(out, pattern, "mandatory");
                assert.ok(!/administrator/.test(messages(out).join()), arn);
            }
        });
        it("lists every service-wide policy of a role in one message", () => {
            const out = check(name, mutate(nativeFx.role, f => {
                f.props.managedPolicyArns.push("arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess", "arn:aws:iam::aws:policy/AmazonSQSFullAccess");
            }));
            assert.strictEqual(messages(out).length, 1);
            expectViolation(out, /managedPolicyArns\[1\] attaches the AWS managed policy `AmazonDynamoDBFullAccess` .*; managedPolicyArns\[2\] attaches the AWS managed policy `AmazonSQSFullAccess`/);
        });
        it("can't decide an attachment whose policy ARN is unknown", () => {
            expectUnknown(check(name, mutate(fx.rolePolicyAttachment, f => { f.props.policyArn = UNKNOWN; })));
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
        it("doesn't count a caller condition whose value lets everyone in", () => {
            const trust = (Condition: object) => mutate(fx.role, f => { f.props.assumeRolePolicy = doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole", Condition }); });
            expectViolation(check(name, trust({ StringLike: { "aws:PrincipalOrgID": "*" } })), /conditions \(`StringLike aws:principalorgid`\) don't restrict/, "mandatory");
            expectViolation(check(name, trust({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/deployer" } })), /don't restrict/);
            expectViolation(check(name, trust({ StringEqualsIfExists: { "aws:PrincipalOrgID": "o-abc123def4" } })), /don't restrict/);
            expectPass(check(name, trust({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/deploy-*" } })));
            expectPass(check(name, trust({ StringEquals: { "AWS:PRINCIPALACCOUNT": "111122223333" } })));
        });
        it("counts IfExists on the caller's ARN or account when the statement allows only signed STS calls, which always carry them", () => {
            const trust = (Action: string | string[], Condition: object, Principal: object | string = { AWS: "*" }) =>
                mutate(fx.role, f => { f.props.assumeRolePolicy = doc({ Effect: "Allow", Principal, Action, Condition }); });
            expectPass(check(name, trust("sts:AssumeRole", { ArnEqualsIfExists: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/deployer" } })));
            expectPass(check(name, trust(["STS:AssumeRole", "sts:TagSession"], { StringEqualsIfExists: { "aws:PrincipalAccount": "111122223333" } }, "*")));
            // Web identity and SAML calls are unsigned: the key is absent, so IfExists lets them in.
            for (const action of ["sts:AssumeRoleWithWebIdentity", "sts:*", "sts:AssumeRole*", ["sts:AssumeRole", "sts:AssumeRoleWithSAML"]]) {
                expectViolation(check(name, trust(action, { ArnEqualsIfExists: { "aws:PrincipalArn": "arn:aws:iam::111122223333:role/deployer" } }, "*")),
                    /conditions \(`ArnEqualsIfExists aws:principalarn`\) don't restrict/, "mandatory");
            }
            // An account outside any organization has no PrincipalOrgID, even on a signed call.
            expectViolation(check(name, trust("sts:AssumeRole", { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-abc123def4" } })), /don't restrict/);
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
