import * as assert from "assert";
import { accountOfPrincipal, adminGrants, parsePolicyDocument, privilegeEscalationGrants, serviceWildcardGrants, wildcardMatch } from "../../../policies/lib/iam";

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
