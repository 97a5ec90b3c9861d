import * as assert from "assert";
import {
    accountOfPrincipal, actionClassGrants, adminGrants, awsManagedPolicy, fencesCaller, isOneOfActions, looseConditions, narrowsCaller, parsePolicyDocument,
    privilegeEscalationGrants, serviceWildcardGrants, SOURCE_KEYS, statementAllows, wildcardMatch,
} from "../../../policies/lib/iam";
import { AWS_MANAGED_POLICIES } from "../../../policies/data/aws-managed-policies";
import { DATA_EXFILTRATION_ACTIONS } from "../../../policies/data/aws-iam";

describe("IAM policy documents", () => {
    it("parses string and object documents with one or many statements", () => {
        const one = parsePolicyDocument('{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}');
        assert.strictEqual(one.statements.length, 1);
        assert.deepStrictEqual(one.statements[0].actions, ["s3:GetObject"]);
        const many = parsePolicyDocument({ Statement: [{ Effect: "Allow", NotAction: ["iam:*"], Resource: ["*"] }, { Effect: "Deny", Action: "*", Resource: "*" }] });
        assert.strictEqual(many.statements.length, 2);
        assert.deepStrictEqual(many.statements[0].notActions, ["iam:*"]);
    });

    it("names the problem of an unreadable document without quoting it", () => {
        assert.strictEqual(parsePolicyDocument("{bad").error, "document is not valid JSON");
        assert.strictEqual(parsePolicyDocument(42).error, "document is not a JSON object");
        assert.strictEqual(parsePolicyDocument({ Statement: "nope" }).statements.length, 0);
    });

    it("matches IAM wildcards case-insensitively", () => {
        assert.ok(wildcardMatch("iam:*", "iam:PassRole"));
        assert.ok(wildcardMatch("iam:pass*", "iam:PassRole"));
        assert.ok(wildcardMatch("*:Pass?ole", "iam:PassRole"));
        assert.ok(!wildcardMatch("iam:Get*", "iam:PassRole"));
        assert.ok(!wildcardMatch("s3:*", "iam:PassRole"));
    });

    it("compares action names and service prefixes case-insensitively everywhere", () => {
        assert.ok(isOneOfActions(" lambda:invokeFunction ", ["lambda:InvokeFunction"]));
        assert.ok(isOneOfActions("LAMBDA:InvokeFunctionUrl", ["lambda:InvokeFunction", "lambda:InvokeFunctionUrl"]));
        assert.ok(!isOneOfActions("lambda:Invoke*", ["lambda:InvokeFunction"]));
        const doc = parsePolicyDocument({ Statement: [{ Effect: "Allow", Action: ["Lambda:Invoke*", "S3:getobject", "IAM:PASSROLE", "DynamoDB:*"], Resource: "*" }] });
        assert.ok(statementAllows(doc.statements[0], "lambda:InvokeFunction"));
        assert.match(privilegeEscalationGrants(doc)[0].detail, /iam:PassRole/);
        assert.match(serviceWildcardGrants(doc)[0].detail, /"DynamoDB:\*"/);
        assert.match(actionClassGrants(doc, DATA_EXFILTRATION_ACTIONS)[0].detail, /s3:GetObject/);
    });

    it("reads NotAction as every action but the listed ones", () => {
        const s = parsePolicyDocument({ Statement: { Effect: "Allow", NotAction: ["IAM:*", "organizations:*"], Resource: "*" } }).statements[0];
        assert.ok(statementAllows(s, "sns:Publish"));
        assert.ok(!statementAllows(s, "iam:PassRole"));
    });

    it("models AWS managed policies by what they allow", () => {
        const lambdaFull = awsManagedPolicy("arn:aws:iam::aws:policy/AWSLambda_FullAccess")!;
        assert.strictEqual(lambdaFull.model.scope, "service-wide");
        assert.deepStrictEqual(adminGrants(lambdaFull.doc), []);
        assert.ok(lambdaFull.doc.statements.some(s => statementAllows(s, "lambda:UpdateFunctionCode")));
        assert.ok(!lambdaFull.doc.statements.some(s => statementAllows(s, "sns:Publish")));
        assert.ok(awsManagedPolicy("arn:aws:iam::aws:policy/PowerUserAccess")!.doc.statements.some(s => statementAllows(s, "sns:Publish")));
        assert.strictEqual(awsManagedPolicy("arn:aws:iam::111122223333:policy/AWSLambda_FullAccess"), undefined);
        assert.strictEqual(awsManagedPolicy("arn:aws:iam::aws:policy/AmazonAthenaFullAccess"), undefined);
        // Each model's scope agrees with its own statements.
        for (const [name, model] of Object.entries(AWS_MANAGED_POLICIES)) {
            const doc = awsManagedPolicy(`arn:aws:iam::aws:policy/${name}`)!.doc;
            assert.strictEqual(doc.error, undefined, name);
            const wide = serviceWildcardGrants(doc).length > 0;
            if (model.scope === "service-wide") {
                assert.ok(wide, `${name} is service-wide but grants no service wildcard on "*"`);
            } else if (model.scope === "limited") {
                assert.ok(!wide && adminGrants(doc).length === 0, `${name} is limited but grants more`);
            } else {
                assert.ok(adminGrants(doc).length > 0 || doc.statements.some(s => statementAllows(s, "iam:AttachRolePolicy")), `${name} is not administrator-equivalent`);
            }
        }
    });

    it("stays fast on adversarial wildcard patterns and huge documents", () => {
        const start = Date.now();
        wildcardMatch("*a".repeat(100) + "b", "a".repeat(256));
        const big = JSON.stringify({ Statement: Array.from({ length: 5000 }, () => ({ Effect: "Allow", Action: ["s3:GetObject", "lambda:Update*"], Resource: "*" })) });
        assert.ok(big.length < 1_000_000);
        assert.strictEqual(privilegeEscalationGrants(parsePolicyDocument(big)).length, 5000);
        let nested: unknown = {};
        for (let i = 0; i < 10000; i++) { nested = { Statement: nested }; }
        parsePolicyDocument(nested);
        assert.ok(Date.now() - start < 5000);
    });

    it("classifies admin, service-wide and escalation grants", () => {
        const doc = parsePolicyDocument({ Statement: [
            { Effect: "Allow", Action: "*", Resource: "*" },
            { Effect: "Allow", Action: "sqs:*", Resource: "*" },
            { Effect: "Allow", Action: "iam:PassRole", Resource: "*" },
            { Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/app" },
        ] });
        assert.strictEqual(adminGrants(doc).length, 1);
        assert.strictEqual(serviceWildcardGrants(doc).length, 1);
        assert.strictEqual(privilegeEscalationGrants(doc).length, 1);
    });

    it("recognises whole-account principals", () => {
        assert.strictEqual(accountOfPrincipal("111122223333"), "111122223333");
        assert.strictEqual(accountOfPrincipal("arn:aws:iam::111122223333:root"), "111122223333");
        assert.strictEqual(accountOfPrincipal("arn:aws:iam::111122223333:role/x"), undefined);
    });

    describe("conditions that narrow the caller", () => {
        const statement = (Condition: unknown, Effect = "Allow") => parsePolicyDocument({ Statement: { Effect, Principal: "*", Action: "sqs:SendMessage", Resource: "*", Condition } }).statements[0];
        const narrows = (Condition: unknown) => narrowsCaller(statement(Condition));

        it("closes on one account, organization, source ARN, identity or network", () => {
            assert.ok(narrows({ StringEquals: { "aws:SourceAccount": "111122223333" } }));
            assert.ok(narrows({ StringEquals: { "aws:PrincipalOrgID": ["o-abc123", "o-def456"] } }));
            assert.ok(narrows({ ArnLike: { "aws:SourceArn": "arn:aws:sns:*:111122223333:*" } }));
            assert.ok(narrows({ ArnEquals: { "aws:SourceArn": "arn:aws:s3:::uploads" } }));
            assert.ok(narrows({ StringLike: { "aws:PrincipalOrgPaths": "o-abc123/r-ab12/ou-ab12-11111111/*" } }));
            assert.ok(narrows({ StringLike: { "aws:userid": "AROAEXAMPLEID:*" } }));
            assert.ok(narrows({ IpAddress: { "aws:SourceIp": ["203.0.113.0/24"] } }));
            assert.ok(narrows({ StringEquals: { "aws:PrincipalAccount": "${aws:ResourceAccount}" } }));
        });
        it("reads key names case-insensitively and operator names case-sensitively, as AWS does", () => {
            assert.ok(narrows({ StringEquals: { "AWS:SOURCEACCOUNT": "111122223333" } }));
            assert.ok(!narrows({ stringequals: { "aws:SourceAccount": "111122223333" } }));
            assert.ok(!narrows({ StringEqual: { "aws:SourceAccount": "111122223333" } }));
        });
        it("takes StringEquals \"*\" as the literal it is (no caller matches it) and StringLike \"*\" as everyone", () => {
            assert.ok(narrows({ StringEquals: { "aws:SourceAccount": "*" } }));
            for (const key of ["aws:SourceAccount", "aws:SourceOwner", "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:SourceVpce"]) {
                assert.ok(!narrows({ StringLike: { [key]: "*" } }), key);
            }
            assert.ok(!narrows({ StringLike: { "aws:SourceAccount": "1111*" } }));
            assert.ok(!narrows({ StringLike: { "aws:PrincipalOrgID": ["o-abc123", "o-*"] } }), "one open value opens the clause");
            assert.ok(!narrows({ StringLike: { "aws:PrincipalOrgPaths": "*/r-ab12/*" } }));
        });
        it("leaves open a source ARN whose account is a wildcard, and a bucket ARN whose name is one", () => {
            for (const arn of ["*", "arn:aws:*:*:*:*", "arn:aws:sns:eu-west-1:*:orders", "arn:aws:s3:::*", "arn:aws:s3:::uploads-*"]) {
                assert.ok(!narrows({ ArnLike: { "aws:SourceArn": arn } }), arn);
                assert.ok(!narrows({ ArnEquals: { "aws:SourceArn": arn } }), `ArnEquals matches wildcards too: ${arn}`);
            }
            assert.ok(narrows({ StringEquals: { "aws:SourceArn": "arn:aws:sns:eu-west-1:*:orders" } }), "StringEquals compares literally");
        });
        it("leaves open Null tests, negated operators, ForAllValues, an open address range and keys that don't name the caller", () => {
            assert.ok(!narrows({ Null: { "aws:SourceArn": "false" } }));
            assert.ok(!narrows({ StringNotEquals: { "aws:PrincipalOrgID": "o-abc123" } }));
            assert.ok(!narrows({ ArnNotLike: { "aws:SourceArn": "arn:aws:sns:*:111122223333:*" } }));
            assert.ok(!narrows({ "ForAllValues:StringEquals": { "aws:SourceAccount": "111122223333" } }), "true when the key is absent");
            assert.ok(narrows({ "ForAnyValue:StringEquals": { "aws:SourceAccount": "111122223333" } }), "false when the key is absent");
            assert.ok(!narrows({ "ForAnyValue:StringNotEquals": { "aws:SourceAccount": "111122223333" } }));
            assert.ok(!narrows({ IpAddress: { "aws:SourceIp": "0.0.0.0/0" } }));
            assert.ok(!narrows({ Bool: { "aws:SecureTransport": "true" } }));
            assert.ok(!narrows({ StringEquals: { "aws:SourceAccount": "${aws:PrincipalAccount}" } }), "compares the caller with itself");
        });
        it("counts IfExists only on a key every covered call carries", () => {
            const ifExists = statement({ StringEqualsIfExists: { "aws:SourceAccount": "111122223333" } });
            assert.ok(!narrowsCaller(ifExists), "a direct call carries no aws:SourceAccount");
            assert.ok(narrowsCaller(ifExists, SOURCE_KEYS, SOURCE_KEYS), "a service sending for a resource always does");
        });
        it("counts a computed value as narrowing: it is another resource's output", () => {
            assert.ok(narrows({ ArnEquals: { "aws:SourceArn": "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } }));
            assert.ok(!narrows({ ArnNotEquals: { "aws:SourceArn": "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } }));
        });
        it("fences with a Deny for everyone outside a range, not with a Deny that also needs another condition", () => {
            const deny = (Condition: unknown) => fencesCaller(statement(Condition, "Deny"));
            assert.ok(deny({ StringNotEquals: { "aws:PrincipalOrgID": "o-abc123" } }));
            assert.ok(deny({ StringNotEqualsIfExists: { "aws:PrincipalOrgID": "o-abc123" }, BoolIfExists: { "aws:PrincipalIsAWSService": "false" } }));
            assert.ok(deny({ NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } }));
            assert.ok(!deny({ StringNotLike: { "aws:PrincipalOrgID": "*" } }));
            assert.ok(!deny({ StringEquals: { "aws:PrincipalOrgID": "o-abc123" } }));
            assert.ok(!deny({ StringNotEquals: { "aws:PrincipalOrgID": "o-abc123" }, Bool: { "aws:SecureTransport": "false" } }));
            assert.ok(!deny({ "ForAnyValue:StringNotEquals": { "aws:PrincipalOrgID": "o-abc123" } }));
            assert.ok(!fencesCaller(statement({ StringNotEquals: { "aws:PrincipalOrgID": "o-abc123" } })), "an Allow fences nothing");
        });
        it("names the clauses that don't narrow, and never throws on strange shapes", () => {
            assert.deepStrictEqual(looseConditions(statement({ StringLike: { "aws:SourceAccount": "*" }, Bool: { "aws:SecureTransport": "true" } })),
                ["StringLike aws:sourceaccount", "Bool aws:securetransport"]);
            for (const c of [null, 1, "x", [], { StringEquals: null }, { StringEquals: { "aws:SourceAccount": { a: 1 } } }, { StringEquals: { "aws:SourceAccount": [] } }]) {
                assert.ok(!narrows(c));
            }
        });
    });
});
