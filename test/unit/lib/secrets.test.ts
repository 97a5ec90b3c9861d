import * as assert from "assert";
import { detectSecret, isSecretLikeName, isSecretReference, shannonEntropy } from "../../../policies/lib/secrets";

describe("secret detection", () => {
    it("recognises known token formats regardless of the key", () => {
        const cases: [string, RegExp][] = [
            ["AKIAIOSFODNN7EXAMPLE", /AWS access key/],
            ["-----BEGIN RSA PRIVATE KEY-----\nMIIE...", /private key/],
            ["-----BEGIN PRIVATE KEY-----", /private key/],
            ["ghp_" + "A1b2".repeat(9), /GitHub/],
            ["github_pat_" + "a".repeat(30), /GitHub/],
            ["xoxb-123456789012-abcdefABCDEF", /Slack token/],
            ["https://hooks.slack.com/services/T0000000/B0000000/abcdefghijklmnop", /Slack webhook/],
            ["sk_live_" + "a1B2c3D4e5F6g7H8", /Stripe/],
            ["AIza" + "B".repeat(35), /Google API key/],
            ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", /JSON Web Token/],
            ["DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=" + "a".repeat(86) + "==;EndpointSuffix=core.windows.net", /storage account key/],
            ["Server=db;Database=app;User Id=sa;Password=Sup3rS3cret;", /password in a connection string/],
            ["postgres://app:Sup3rS3cret@db.internal:5432/app", /credentials in a URL/],
        ];
        for (const [value, kind] of cases) {
            const f = detectSecret("SETTING", value);
            assert.ok(f, `not detected: ${kind}`);
            assert.match(f!.kind, kind);
        }
    });

    it("flags literal values under secret-like names, but not references, placeholders or pointers", () => {
        assert.ok(detectSecret("DB_PASSWORD", "hunter2hunter2"));
        assert.ok(detectSecret("clientSecret", "abcdefgh"));
        assert.ok(detectSecret("api-key", "1234567890"));
        assert.strictEqual(detectSecret("DB_PASSWORD", "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db"), undefined);
        assert.strictEqual(detectSecret("DB_PASSWORD", "@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/db/)"), undefined);
        assert.strictEqual(detectSecret("DB_PASSWORD", "projects/p/secrets/db/versions/latest"), undefined);
        assert.strictEqual(detectSecret("DB_PASSWORD", "{{resolve:secretsmanager:db}}"), undefined);
        assert.strictEqual(detectSecret("DB_PASSWORD", "changeme"), undefined);
        assert.strictEqual(detectSecret("DB_PASSWORD", "${DB_PASSWORD}"), undefined);
        assert.strictEqual(detectSecret("DB_PASSWORD", ""), undefined);
        assert.strictEqual(detectSecret("DB_PASSWORD_SECRET_ARN", "anything-at-all"), undefined);
        assert.strictEqual(detectSecret("TOKEN_ENDPOINT", "https://login.example.com/token"), undefined);
        assert.strictEqual(detectSecret("PASSWORD_MIN_LENGTH", "12"), undefined);
        assert.strictEqual(detectSecret("TABLE_NAME", "orders"), undefined);
        assert.strictEqual(detectSecret("DB_PASSWORD", 12345678), undefined);
    });

    it("flags high-entropy strings but not hex digests or ordinary words", () => {
        assert.match(detectSecret("X", "q8ZrT2vLm9XkP4wN7sYb3JdF6hGc1VaE5uRi0Ot")!.kind, /high-entropy/);
        assert.strictEqual(detectSecret("COMMIT", "3f786850e387550fdab836ed7e6dc881de23001b"), undefined);
        assert.strictEqual(detectSecret("GREETING", "hello world this is a sentence of words"), undefined);
        assert.ok(shannonEntropy("aaaa") === 0);
    });

    it("reads key names by segments", () => {
        assert.ok(isSecretLikeName("stripeApiKey"));
        assert.ok(isSecretLikeName("SLACK_WEBHOOK_URL"));
        assert.ok(!isSecretLikeName("PASSWORD_POLICY"));
        assert.ok(!isSecretLikeName("KEYBOARD_LAYOUT"));
        assert.ok(isSecretReference(" arn:aws:ssm:eu-west-1:111122223333:parameter/db "));
    });

    it("reads verification codes, signing and webhook secrets as secrets, without taking their neighbours for secrets", () => {
        // pulumi/examples aws-py-slackbot sets SLACK_TOKEN and SLACK_VERIFICATION_CODE from config in plain text.
        assert.match(detectSecret("SLACK_VERIFICATION_CODE", "Xq7pL2mN9vR4tY8wZ3kJ6hB1")!.kind, /secret-like setting/);
        assert.ok(detectSecret("slackVerificationCode", "0a1b2c3d4e5f"));
        for (const key of ["SLACK_VERIFICATION_TOKEN", "SLACK_SIGNING_SECRET", "GITHUB_WEBHOOK_SECRET", "STRIPE_WEBHOOK_KEY", "WEBHOOK_TOKEN", "HMAC_KEY", "SLACKTOKEN", "webhookSecret", "botToken", "SLACK_WEBHOOK"]) {
            assert.ok(isSecretLikeName(key), key);
        }
        // aws-go-console-slack-notification: SLACK_WEBHOOK_USERNAME holds a display name, not the webhook.
        for (const key of ["SLACK_WEBHOOK_USERNAME", "SLACK_WEBHOOK_CHANNEL", "VERIFICATION_CODE_LENGTH", "SIGNING_SECRET_ARN", "WEBHOOK_SECRET_NAME", "COUNTRY_CODE", "ERROR_CODE", "HMAC_ALGORITHM", "TOKEN_ENDPOINT", "PARTITION_KEY"]) {
            assert.ok(!isSecretLikeName(key), key);
        }
        assert.strictEqual(detectSecret("SLACK_WEBHOOK_USERNAME", "pulumi-bot"), undefined);
        assert.strictEqual(detectSecret("SLACK_VERIFICATION_CODE", "arn:aws:ssm:us-west-2:111122223333:parameter/slack/verification"), undefined);
    });

    it("stays linear on 1 MB values (no catastrophic backtracking)", () => {
        const inputs = [
            "a".repeat(1 << 20),
            "x:".repeat(1 << 19),
            ";password=".repeat(100000),
            "eyJ" + "a".repeat(1 << 20),
            "postgres://" + "u".repeat(1 << 20),
            "AccountKey=" + "A".repeat(1 << 20),
        ];
        for (const v of inputs) {
            const start = process.hrtime.bigint();
            detectSecret("DB_PASSWORD", v);
            detectSecret("K", v);
            const ms = Number(process.hrtime.bigint() - start) / 1e6;
            // Generous bound: a backtracking regex takes minutes here, a linear scan milliseconds.
            assert.ok(ms < 2000, `took ${ms} ms on a ${v.length}-char value`);
        }
    });
});
