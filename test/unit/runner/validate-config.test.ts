// `serverless-guard validate-config`: each kind of mistake is one line naming the policy and the field,
// and any of them makes the command exit 2; a good config (every shipped profile) passes.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { definitions } from "../../../policies/registry";
import { configFileProblems, policyInfos } from "../../../runner/validate-config";

const REPO = path.resolve(__dirname, "..", "..", "..", "..");
const CLI = path.join(REPO, "bin", "runner", "cli.js");
const TODAY = "2026-12-06";
const infos = policyInfos(definitions);

const problems = (config: unknown) => configFileProblems(JSON.stringify(config), "test.json", infos, TODAY);
const exemption = (expires: string) => ({ exemptions: [{ resource: "orders", reason: "migrating in Q1", expires }] });

describe("validate-config", () => {
    it("names an unknown policy and suggests the closest one", () => {
        assert.deepStrictEqual(problems({ "aws-lambda-function-timout": "mandatory" }),
            ['aws-lambda-function-timout: unknown policy (did you mean "aws-lambda-function-timeout"?); the engine ignores its configuration']);
    });

    it("names each invalid level, in a string or in an object", () => {
        assert.deepStrictEqual(problems({ "aws-lambda-function-timeout": "mandtory", "aws-lambda-function-tracing": { enforcementLevel: 1 } }), [
            'parsing enforcement level for "aws-lambda-function-timeout": "mandtory" is not a valid enforcement level (use advisory, mandatory, remediate, disabled)',
            'parsing enforcement level for "aws-lambda-function-tracing": 1 is not a valid enforcement level; must be a string',
        ]);
    });

    it("names values of the wrong type", () => {
        assert.deepStrictEqual(problems({ "aws-lambda-function-timeout": { maxTimeoutSeconds: "soon" } }),
            ["aws-lambda-function-timeout: maxTimeoutSeconds: Invalid type. Expected: integer, given: string"]);
        assert.deepStrictEqual(problems({ "aws-lambda-function-timeout": { exemptions: "orders" } }),
            ["aws-lambda-function-timeout: exemptions: Invalid type. Expected: array, given: string"]);
    });

    it("names expiry dates that don't exist and those already past", () => {
        assert.deepStrictEqual(problems({ "aws-lambda-function-timeout": exemption("2027-02-30") }),
            ['aws-lambda-function-timeout: exemptions.0.expires: "2027-02-30" is not a real date (expected an existing day as YYYY-MM-DD)']);
        assert.deepStrictEqual(problems({ "aws-lambda-function-timeout": exemption("2026-12-05") }),
            ['aws-lambda-function-timeout: exemptions.0.expires: "2026-12-05" is in the past: the exemption no longer applies (remove it or set a later date)']);
        assert.deepStrictEqual(problems({ "aws-lambda-function-timeout": exemption(TODAY) }), [], "the last day is still in force");
    });

    it("names unknown fields of a policy and of an exemption", () => {
        assert.deepStrictEqual(problems({ "aws-lambda-function-timeout": { maxTimeoutSecond: 30 } }),
            ['aws-lambda-function-timeout: maxTimeoutSecond: unknown property (did you mean "maxTimeoutSeconds"?); known: maxTimeoutSeconds, exemptions, labelExemptionReason, levelOverrides']);
        const [line] = problems({ "aws-lambda-function-timeout": { exemptions: [{ resource: "orders", reason: "migrating", expires: "2027-01-31", approver: "sec" }] } });
        assert.match(line, /^aws-lambda-function-timeout: exemptions\.0: Additional property approver is not allowed/);
    });

    it("reports every problem of a file, one line each, and accepts every shipped profile", () => {
        const all = problems({
            "aws-lambda-function-timout": "mandatory",
            "aws-lambda-function-timeout": { maxTimeoutSeconds: "soon", ...exemption("2020-01-01") },
            "aws-lambda-function-tracing": "sometimes",
        });
        assert.strictEqual(all.length, 4, all.join("\n"));
        assert.ok(all.every(l => !l.includes("\n")));
        for (const file of fs.readdirSync(path.join(REPO, "config")).filter(f => f.endsWith(".json"))) {
            assert.deepStrictEqual(configFileProblems(fs.readFileSync(path.join(REPO, "config", file), "utf8"), file, infos, TODAY), [], file);
        }
        const [notJson, ...more] = configFileProblems("{ nope", "x.json", infos, TODAY);
        assert.match(notJson, /^not valid JSON \(.*position 2/);
        assert.deepStrictEqual(more, []);
    });

    it("on the command line: one error line per problem and exit 2; a good config exits 0", function () {
        this.timeout(60000);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "serverless-guard-validate-"));
        try {
            const bad = path.join(dir, "bad.json");
            fs.writeFileSync(bad, JSON.stringify({ "aws-lambda-function-timout": "mandatory", "aws-lambda-function-timeout": exemption("2027-02-30") }));
            const res = spawnSync(process.execPath, [CLI, "validate-config", bad], { cwd: dir, encoding: "utf8" });
            assert.strictEqual(res.status, 2, res.stderr);
            assert.deepStrictEqual(res.stderr.trim().split("\n").map(l => l.replace(bad, "<file>")), [
                'error: <file>: aws-lambda-function-timout: unknown policy (did you mean "aws-lambda-function-timeout"?); the engine ignores its configuration',
                'error: <file>: aws-lambda-function-timeout: exemptions.0.expires: "2027-02-30" is not a real date (expected an existing day as YYYY-MM-DD)',
            ]);
            const good = spawnSync(process.execPath, [CLI, "validate-config", "migration"], { cwd: dir, encoding: "utf8" });
            assert.strictEqual(good.status, 0, good.stderr);
            assert.match(good.stdout, /migration\.json: valid policy config/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
