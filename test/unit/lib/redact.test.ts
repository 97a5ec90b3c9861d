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

    it("hides each of thousands of secrets wherever a message embeds it, in any letter case", () => {
        // A seeded generator: the same cases every run.
        let seed = 7;
        const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
        const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=;:/.@ \n";
        const word = (len: number) => Array.from({ length: len }, () => alphabet[rand(alphabet.length)]).join("");
        const secrets = Array.from({ length: 3000 }, (_, i) => `${["key", "DefaultEndpointsProtocol=https;AccountName=", "arn:aws:secretsmanager:"][i % 3]}${word(3 + rand(40))}`);
        for (let round = 0; round < 300; round++) {
            const parts: string[] = [];
            for (let k = 0; k < 4; k++) {
                parts.push(word(rand(12)));
                const s = secrets[rand(secrets.length)];
                parts.push(rand(2) ? s.toUpperCase() : s);
            }
            const message = parts.join(" ");
            const out = redact(message, secrets);
            const lower = out.toLowerCase();
            for (const s of secrets) {
                const folded = s.replace(/[\r\n\t]+/g, " ").toLowerCase();
                assert.ok(!lower.includes(s.toLowerCase()) && !lower.includes(folded), `secret left in ${JSON.stringify(out)}`);
            }
            assert.ok(out.split(REDACTED).length - 1 >= 1, "each message embeds secrets");
        }
        assert.strictEqual(redact("no secret here at all", secrets), "no secret here at all");
    });

    it("hides overlapping secrets as one placeholder and keeps the text around them", () => {
        const secrets = ["abcdef-111", "def-111-xyz", "zzz"];
        assert.strictEqual(redact("before abcdef-111-xyz after zzz.", secrets), `before ${REDACTED} after ${REDACTED}.`);
        assert.strictEqual(redact("ABCDEF-111 and def-111-XYZ", secrets), `${REDACTED} and ${REDACTED}`);
    });
});
