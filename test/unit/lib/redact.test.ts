import * as assert from "assert";
import { redact, REDACTED, secretValuesIn } from "../../../policies/lib/redact";
import { secret } from "../../../runner/wire";
import { check, messages } from "../../support/harness";
import { mutate } from "../../support/expect";
import * as aws from "../../fixtures/aws";

describe("redaction of secret values", () => {
    it("collects every value under a secret wrapper, at any depth", () => {
        const raw = { a: "plain", b: secret("top-secret-1"), c: [{ d: secret({ e: "nested-secret", f: ["in-list-secret", 4242] }) }], g: secret(true) };
        assert.deepStrictEqual([...secretValuesIn(raw)].sort(), ["4242", "in-list-secret", "nested-secret", "top-secret-1"]);
    });

    it("replaces whole values in any letter case, and shortened or cut-out quoted pieces", () => {
        const secrets = ["S3cr3t-Action-Value", "serviceAccount:deployer@shop-prod-4711.iam.gserviceaccount.com", "x".repeat(120)];
        assert.strictEqual(redact("action is `S3cr3t-Action-Value`, too wide", secrets), `action is \`${REDACTED}\`, too wide`);
        assert.strictEqual(redact("lower-cased: s3cr3t-action-value.", secrets), `lower-cased: ${REDACTED}.`);
        assert.strictEqual(redact("member of project `shop-prod-4711` is broad", secrets), `member of project \`${REDACTED}\` is broad`);
        assert.strictEqual(redact(`value \`${"x".repeat(77)}...\` is long`, secrets), `value \`${REDACTED}\` is long`);
    });

    it("leaves ordinary words alone, even when a secret connection string contains them", () => {
        const secrets = ["DefaultEndpointsProtocol=https;AccountName=store;AccountKey=abc123abc123abc123==;EndpointSuffix=core.windows.net"];
        const text = "app setting `AzureWebJobsStorage` holds a secret in plain text (Azure storage account key).";
        assert.strictEqual(redact(text, secrets), text);
        assert.strictEqual(redact("nothing to hide", []), "nothing to hide");
    });

    it("keeps a policy that quotes a value from ever showing a Pulumi secret", () => {
        const plain = check("aws-lambda-permission-action", mutate(aws.permission, p => { p.props.action = "lambda:*Zq9Wildcard"; }));
        assert.match(messages(plain).join("\n"), /lambda:\*Zq9Wildcard/, "a plain value may be named");
        const hidden = check("aws-lambda-permission-action", mutate(aws.permission, p => { p.props.action = secret("lambda:*Zq9Wildcard"); }));
        assert.ok(messages(hidden).length > 0);
        assert.doesNotMatch(JSON.stringify(hidden), /Zq9Wildcard/);
    });
});
