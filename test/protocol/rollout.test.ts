// Rollout features through the compiled pack: remediation, the migration ratchet, exemptions.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as os from "os";
import * as fs from "fs";
import * as path from "path";
import { definitions } from "../../policies/registry";
import { PolicyPackProcess } from "../../runner/engine";
import { ratchetConfig } from "../../runner/ratchet";
import { UNKNOWN } from "../../runner/wire";
import { exampleStack, REPO, run, startPack } from "../support/pack";

const insecureStacks = fs.readdirSync(path.join(REPO, "examples", "stacks")).filter(f => f.endsWith("-insecure.json"));

describe("protocol: rollout", function () {
    let pack: PolicyPackProcess;
    before(async () => { pack = await startPack(); });
    after(async () => { await pack?.close(); });

    for (const d of definitions.filter(x => x.remediates)) {
        it(`remediates ${d.meta.name} through Remediate, before Analyze`, async () => {
            const resources = insecureStacks.flatMap(exampleStack);
            const before = await run(pack, resources);
            const flagged = new Set(before.diagnostics.filter(x => x.policyName === d.meta.name).map(x => x.urn));
            assert.ok(flagged.size > 0, `no insecure example stack seeds a flaw that ${d.meta.name} remediates`);
            const after = await run(pack, resources, { [d.meta.name]: "remediate" });
            // Only settings with one obviously right value are remediated (never e.g. who a bucket ACL grants access to).
            const fixed = after.remediations.filter(r => r.policyName === d.meta.name && r.properties);
            assert.ok(fixed.length > 0, "something was remediated");
            for (const r of fixed) {
                assert.ok(flagged.has(r.urn), `${r.urn} was remediated without a violation`);
                assert.ok(!after.diagnostics.some(x => x.policyName === d.meta.name && x.urn === r.urn), `${r.urn} still fails after remediation`);
            }
            for (const r of fixed) {
                const original = resources.find(x => x.urn === r.urn)!;
                for (const [k, v] of Object.entries(original.props)) {
                    if (v === UNKNOWN) {
                        assert.strictEqual(r.properties![k], UNKNOWN, `unknown ${k} kept`);
                    }
                }
            }
        });
    }

    for (const file of insecureStacks) {
        it(`ratchets ${file}: existing violations stop failing, new ones still fail`, async () => {
            const resources = exampleStack(file);
            const first = await run(pack, resources);
            assert.ok(first.diagnostics.some(d => d.enforcementLevel === "mandatory"));
            const config = ratchetConfig({}, first.diagnostics, { until: "2099-12-31", today: "2026-11-28" });
            const again = await run(pack, resources, config);
            assert.deepStrictEqual(again.diagnostics.filter(d => d.enforcementLevel === "mandatory").map(d => `${d.policyName} ${d.urn}`), []);
            assert.ok(again.notApplicable.some(n => /exempted by exemptions\[\d+\] until 2099-12-31: existing violation recorded by the migration ratchet on 2026-11-28/.test(n.reason)));

            const newcomer = { ...resources.find(r => first.diagnostics.some(d => d.urn === r.urn && d.enforcementLevel === "mandatory" && d.phase === "resource"))! };
            newcomer.urn = newcomer.urn.replace(/::([^:]+)$/, "::$1-new");
            newcomer.name = `${newcomer.name}-new`;
            const withNew = await run(pack, [...resources, newcomer], config);
            assert.ok(withNew.diagnostics.some(d => d.enforcementLevel === "mandatory" && d.urn === newcomer.urn));
        });
    }

    it("applies a config file's exemptions, and explains expired ones", async () => {
        const resources = exampleStack("aws-insecure.json");
        const urlUrn = resources.find(r => r.name === "orders-url")!.urn;
        const config = ({
            "aws-lambda-function-url-auth": { exemptions: [{ resource: "orders-url", reason: "public webhook, signed payloads", expires: "2099-01-01", approvedBy: "appsec" }] },
            "aws-lambda-function-url-cors": { exemptions: [{ resource: urlUrn, reason: "old exemption", expires: "2020-01-01" }] },
        });
        const result = await run(pack, resources, config);
        assert.ok(!result.diagnostics.some(d => d.policyName === "aws-lambda-function-url-auth"));
        const na = result.notApplicable.find(n => n.policyName === "aws-lambda-function-url-auth" && n.urn === urlUrn)!;
        assert.match(na.reason, /until 2099-01-01: public webhook, signed payloads \(approved by appsec\); finding not enforced: authorizationType is "NONE"/);
        const cors = result.diagnostics.find(d => d.policyName === "aws-lambda-function-url-cors")!;
        assert.match(cors.message, /expired on 2020-01-01/);
    });

    it("ratchets a realistic stack export through the CLI, and a newly added insecure resource still fails", () => {
        const cli = path.join(REPO, "bin", "runner", "cli.js");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sg-ratchet-"));
        try {
            const exportFile = path.join(REPO, "examples", "stacks", "exports", "aws-insecure.export.json");
            const sg = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });

            assert.strictEqual(sg("scan", exportFile).status, 1, "the export has mandatory violations to begin with");
            const ratchet = sg("ratchet", exportFile, "--until", "2099-12-31", "--reason", "pre-existing, tracked in SEC-123",
                "--policy-pack-config", "recommended", "--output", path.join(dir, "ratchet.json"));
            assert.strictEqual(ratchet.status, 0, ratchet.stderr);
            assert.match(ratchet.stderr, /\d+ new exemptions until 2099-12-31, 0 kept from the base config; written to/);

            const again = sg("scan", exportFile, "--policy-pack-config", path.join(dir, "ratchet.json"), "--format", "json");
            assert.strictEqual(again.status, 0, again.stdout);
            assert.strictEqual(JSON.parse(again.stdout).summary.mandatory, 0);

            const state = JSON.parse(fs.readFileSync(exportFile, "utf8"));
            const fn = state.deployment.resources.find((r: { type: string }) => r.type === "aws:lambda/function:Function");
            state.deployment.resources.push({ ...fn, urn: `${fn.urn}-new`, id: "new" });
            fs.writeFileSync(path.join(dir, "grown.json"), JSON.stringify(state));
            const grown = sg("scan", path.join(dir, "grown.json"), "--policy-pack-config", path.join(dir, "ratchet.json"), "--format", "json");
            assert.strictEqual(grown.status, 1);
            const report = JSON.parse(grown.stdout);
            assert.ok(report.diagnostics.some((d: { urn: string; enforcementLevel: string }) => d.urn === `${fn.urn}-new` && d.enforcementLevel === "mandatory"));
            assert.ok(!report.diagnostics.some((d: { urn: string; enforcementLevel: string }) => d.urn !== `${fn.urn}-new` && d.enforcementLevel === "mandatory"));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("ratchets several stacks into one policy-group config, each stack keeping its own exemptions, and a re-run keeps their expiries", function () {
        this.timeout(300000);
        const cli = path.join(REPO, "bin", "runner", "cli.js");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sg-ratchet-stacks-"));
        const sg = (args: string[], input?: string) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", input, cwd: dir });
        // Two stacks of the same program: the same resources, URNs that differ by stack.
        const exportText = fs.readFileSync(path.join(REPO, "examples", "stacks", "exports", "aws-insecure.export.json"), "utf8");
        const stacks = path.join(dir, "stacks");
        fs.mkdirSync(stacks);
        fs.writeFileSync(path.join(stacks, "dev.json"), exportText);
        fs.writeFileSync(path.join(stacks, "prod.json"), exportText.split("urn:pulumi:dev::").join("urn:pulumi:prod::"));
        const urlUrn = (stack: string) => `urn:pulumi:${stack}::shop::aws:lambda/functionUrl:FunctionUrl::orders-url`;
        assert.ok(exportText.includes(urlUrn("dev")), "the export has the function URL this test follows");

        const first = sg(["ratchet", "stacks", "--until", "2099-12-31", "--output", "group.json"]);
        assert.strictEqual(first.status, 0, first.stderr);
        assert.match(first.stderr, /\d+ new exemptions until 2099-12-31 from 2 stacks, 0 kept from the base config/);
        const group = JSON.parse(fs.readFileSync(path.join(dir, "group.json"), "utf8"));
        const resourcesOf = (config: any, policy: string) => config[policy].exemptions.map((e: any) => e.resource);
        assert.deepStrictEqual(resourcesOf(group, "aws-lambda-function-url-auth"), [urlUrn("dev"), urlUrn("prod")]);
        for (const stack of ["dev", "prod"]) {
            const scanned = sg(["scan", path.join("stacks", `${stack}.json`), "--policy-pack-config", "group.json", "--format", "json"]);
            assert.strictEqual(scanned.status, 0, `${stack}: ${scanned.stdout.slice(0, 2000)}`);
            assert.ok(JSON.parse(scanned.stdout).exempted.some((e: any) => e.urn === urlUrn(stack) && e.policy === "aws-lambda-function-url-auth"));
        }

        // Later: prod's exemption for the URL has run out, and prod grew a second public function URL.
        group["aws-lambda-function-url-auth"].exemptions[1].expires = "2026-01-31";
        fs.writeFileSync(path.join(dir, "group.json"), JSON.stringify(group));
        const state = JSON.parse(fs.readFileSync(path.join(stacks, "prod.json"), "utf8"));
        const url = state.deployment.resources.find((r: any) => r.urn === urlUrn("prod"));
        state.deployment.resources.push({ ...url, urn: `${url.urn}-2`, id: "orders-url-2" });
        const again = sg(["ratchet", path.join("stacks", "dev.json"), "-", "--until", "2100-06-30", "--policy-pack-config", "group.json"], JSON.stringify(state));
        assert.strictEqual(again.status, 0, again.stderr);
        const next = JSON.parse(again.stdout);
        assert.deepStrictEqual(next["aws-lambda-function-url-auth"].exemptions.map((e: any) => [e.resource, e.expires]), [
            [urlUrn("dev"), "2099-12-31"],
            [urlUrn("prod"), "2026-01-31"],
            [`${urlUrn("prod")}-2`, "2100-06-30"],
        ], "existing exemptions keep their expiry, even an expired one; only the new resource gets the new date");
        assert.strictEqual(resourcesOf(next, "aws-lambda-function-runtime-deprecated").length, resourcesOf(group, "aws-lambda-function-runtime-deprecated").length);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("generates a profile from severity thresholds through the CLI, with a shared exemption list", () => {
        const cli = path.join(REPO, "bin", "runner", "cli.js");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sg-profile-"));
        try {
            fs.writeFileSync(path.join(dir, "exemptions.json"), JSON.stringify([{ policies: ["aws-lambda-function-*"], resource: "orders", reason: "legacy, SEC-9", expires: "2099-01-01" }]));
            const out = spawnSync(process.execPath, [cli, "profile", "--mandatory-at", "critical", "--advisory-at", "high", "--exemptions", path.join(dir, "exemptions.json")], { encoding: "utf8" });
            assert.strictEqual(out.status, 0, out.stderr);
            const profile = JSON.parse(out.stdout);
            assert.strictEqual(profile["aws-lambda-function-timeout"].enforcementLevel, "disabled");
            assert.strictEqual(profile["aws-lambda-function-url-auth"].exemptions[0].reason, "legacy, SEC-9");
            const bad = spawnSync(process.execPath, [cli, "profile", "--mandatory-at", "high", "--advisory-at", "low", "--exemptions", path.join(dir, "missing.json")], { encoding: "utf8" });
            assert.strictEqual(bad.status, 2);
            assert.match(bad.stderr, /can't read .*missing\.json: no such file/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
