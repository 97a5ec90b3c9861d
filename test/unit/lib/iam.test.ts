import * as assert from "assert";
import {
    accountOfPrincipal, actionClassGrants, adminGrants, awsManagedPolicy, isOneOfActions, parsePolicyDocument, privilegeEscalationGrants,
    serviceWildcardGrants, statementAllows, wildcardMatch,
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
});
