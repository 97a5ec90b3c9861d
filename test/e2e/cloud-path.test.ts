// End-to-end tier: the pack as a Pulumi Cloud policy group delivers it, with the real Pulumi CLI and
// the real Node.js language host, offline apart from the npm registry:
//   1. pack a fresh copy of the repository the way `pulumi policy publish` does (`npm pack
//      --loglevel=error` in the pack's directory; the CLI takes the tarball's name from stdout);
//   2. extract it the way the CLI installs a required pack (the tarball's package/ directory becomes
//      $PULUMI_HOME/policies/<org>/<name>/<version>);
//   3. install its dependencies the way the CLI asks the language host to (InstallDependencies with
//      IsPlugin, a plain `npm install` with devDependencies included; `pulumi install` in the pack's
//      directory sends that same request);
//   4. check a policy config with the installed pack's own CLI (validate-config), then run
//      `pulumi preview --policy-pack <that directory> --policy-pack-config <config>` on an example program.
// Needs the real `pulumi-language-nodejs` (the analyzer shim installs nothing): without it the suite
// is skipped and says why. Where the CLI comes from: test/support/pulumi-cli.ts.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { findingKeys, parseEngineEvents, resourceName } from "../support/engine-events";
import { REPO } from "../support/pack";
import { Cli, findCli, languageHostNote, nodeLanguageHost, Workspace } from "../support/pulumi-cli";
import { installStandIns } from "../support/standins/install";
import { extractAsCliDoes, freshCopy, packAsPublishDoes, treeSize } from "../../scripts/bench/measure";

const ORG = "acme";
const PROGRAM = path.join(REPO, "examples", "programs", "aws-insecure");
const DEV = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
const LOCK = JSON.parse(fs.readFileSync(path.join(REPO, "package-lock.json"), "utf8"));

describe("e2e: the Pulumi Cloud path: publish's npm pack, the CLI's install, then pulumi preview with the installed pack", function () {
    let cli: Cli;
    let ws: Workspace;
    let packDir = "";
    let installSeconds = 0;

    before(function () {
        this.timeout(45 * 60 * 1000);
        const found = findCli({ needsPolicyHost: false });
        if ("skip" in found) {
            console.log(`      ${found.skip}`);
            this.skip();
        }
        cli = found as Cli;
        if (!nodeLanguageHost(cli.bin)) {
            console.log(`      skipped: installing a published pack needs the real Node.js language host: ${languageHostNote(cli.bin)}`);
            this.skip();
        }
        ws = new Workspace(cli, { prefix: "serverless-guard-e2e-cloud-" });
        const standIns = installStandIns(path.join(ws.tmp, "plugins"), { languageHost: false, providers: ["aws", "random"], fromDir: REPO });
        ws.prependPath(standIns.dir);
        console.log(`      pulumi ${cli.version} from ${cli.bin}; Node.js language host: ${languageHostNote(cli.bin)}; node ${process.version}`);

        const tarball = packAsPublishDoes(freshCopy(REPO, path.join(ws.tmp, "clone")));
        packDir = extractAsCliDoes(tarball, path.join(ws.env.PULUMI_HOME!, "policies", ORG, DEV.name, DEV.version));
        const started = Date.now();
        const install = ws.pulumi(["install"], { cwd: packDir, timeout: 15 * 60 * 1000 });
        installSeconds = (Date.now() - started) / 1000;
        assert.strictEqual(install.code, 0, `${install.stdout}\n${install.stderr}`);
        const size = treeSize(path.join(packDir, "node_modules"));
        console.log(`      installed by the language host in ${installSeconds.toFixed(1)} s: ${(size.bytes / 1048576).toFixed(1)} MiB in ${size.files} files`);
        assert.strictEqual(ws.login(ws.tmp).code, 0);
    });

    after(function () {
        ws?.dispose();
    });

    it("ships the compiled pack with a runtime-only package.json and the pinned runtime tree", function () {
        const pkg = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8"));
        assert.strictEqual(pkg.version, DEV.version);
        assert.strictEqual(pkg.devDependencies, undefined);
        assert.deepStrictEqual(Object.keys(pkg.dependencies).sort(), Object.keys(DEV.dependencies).sort());
        assert.ok(fs.existsSync(path.join(packDir, "bin", "index.js")), "the compiled entry is in the tarball");
        const shrinkwrap = JSON.parse(fs.readFileSync(path.join(packDir, "npm-shrinkwrap.json"), "utf8"));
        assert.ok(Object.keys(shrinkwrap.packages).length > 100);
    });

    it("the language host's plain npm install brings exactly the shrinkwrap's packages, none of the development tools", function () {
        const shrinkwrap = JSON.parse(fs.readFileSync(path.join(packDir, "npm-shrinkwrap.json"), "utf8"));
        const modules = path.join(packDir, "node_modules");
        for (const [key, entry] of Object.entries(shrinkwrap.packages as Record<string, { version?: string }>)) {
            if (key === "") {
                continue;
            }
            // @pulumi/policy's own package.json spells its version with a "v"; npm records it without.
            const installed = JSON.parse(fs.readFileSync(path.join(packDir, key, "package.json"), "utf8"));
            assert.strictEqual(String(installed.version).replace(/^v/, ""), entry.version, key);
        }
        for (const name of Object.keys(DEV.dependencies)) {
            assert.strictEqual(JSON.parse(fs.readFileSync(path.join(modules, name, "package.json"), "utf8")).version.replace(/^v/, ""), LOCK.packages[`node_modules/${name}`].version.replace(/^v/, ""), name);
        }
        for (const dev of ["@pulumi/aws", "@pulumi/azure-native", "@pulumi/gcp", "typescript", "mocha", "@microsoft/sarif-multitool"]) {
            assert.ok(!fs.existsSync(path.join(modules, dev)), `${dev} was installed`);
        }
    });

    it("from the program's directory: validate-config with the installed pack's CLI, then a preview enforces the config", function () {
        this.timeout(10 * 60 * 1000);
        const stackDir = path.join(ws.tmp, "stack");
        fs.mkdirSync(stackDir);
        fs.copyFileSync(path.join(PROGRAM, "Pulumi.yaml"), path.join(stackDir, "Pulumi.yaml"));
        assert.strictEqual(ws.pulumi(["stack", "init", "dev"], { cwd: stackDir }).code, 0);
        assert.strictEqual(ws.pulumi(["config", "set", "aws:region", "eu-west-1"], { cwd: stackDir }).code, 0);
        const stackConfig = path.join(stackDir, "Pulumi.dev.yaml");

        // The config an admin would enable with `pulumi policy enable acme/prod serverless-guard <version> --config policy.json`.
        const config = path.join(ws.tmp, "policy.json");
        fs.writeFileSync(config, JSON.stringify({
            "aws-lambda-function-url-auth": { exemptions: [{ resource: "orders-url", reason: "public webhook, signature checked in code", expires: "2099-12-31" }] },
        }));
        const validate = spawnSync(process.execPath, [path.join(packDir, "bin", "runner", "cli.js"), "validate-config", config], { cwd: PROGRAM, encoding: "utf8" });
        assert.strictEqual(validate.status, 0, validate.stderr);

        const preview = (policyConfig: string) => {
            const log = path.join(ws.tmp, `events-${Date.now()}.jsonl`);
            const res = ws.pulumi(["preview", "--stack", "dev", "--config-file", stackConfig, "--policy-pack", packDir, "--policy-pack-config", policyConfig, "--event-log", log], {
                cwd: PROGRAM, timeout: 5 * 60 * 1000, env: { PULUMI_DEBUG_COMMANDS: "true", TS_NODE_CACHE_DIRECTORY: path.join(ws.tmp, "ts-node-cache") },
            });
            return { ...res, events: parseEngineEvents(fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "") };
        };
        const res = preview(config);
        const describe = `exit ${res.code}\n${res.stderr}\n${res.stdout.slice(-3000)}`;
        const packs = Object.entries(res.events.summary?.PolicyPacks ?? {});
        assert.deepStrictEqual(packs.filter(([key]) => key.startsWith("serverless-guard|")).map(([, version]) => version), [DEV.version], `${JSON.stringify(packs)}\n${describe}`);
        const mandatory = findingKeys(res.events.policy, "mandatory");
        for (const key of ["orders|aws-lambda-function-runtime-deprecated", "orders-role|aws-iam-role-trust-too-broad", "orders-quick|aws-apigatewayv2-api-quick-create"]) {
            assert.ok(mandatory.includes(key), `${key} missing from:\n${mandatory.join("\n")}\n${describe}`);
        }
        assert.notStrictEqual(res.code, 0, "mandatory violations fail the preview");
        // The exempted policy is not applicable to orders-url (the engine keeps no not-applicable reason in
        // its events; the pack's reason is checked in test/protocol): neither a finding nor a pass.
        assert.ok(!findingKeys(res.events.policy).includes("orders-url|aws-lambda-function-url-auth"));
        const summary = res.events.summaries.find(s => resourceName(s.resourceUrn) === "orders-url");
        assert.ok(summary, "orders-url was analyzed");
        assert.ok(!(summary.passed ?? []).includes("aws-lambda-function-url-auth") && !(summary.failed ?? []).includes("aws-lambda-function-url-auth"));

        // A misspelt name stops the preview at the pack's start-up, before any finding.
        const typo = path.join(ws.tmp, "typo.json");
        fs.writeFileSync(typo, JSON.stringify({ "aws-lambda-function-url-auht": "disabled" }));
        const bad = preview(typo);
        assert.notStrictEqual(bad.code, 0);
        const errors = bad.events.diagnostics.filter(d => d.severity === "error").map(d => d.message).join("\n") + bad.stderr;
        assert.match(errors, /aws-lambda-function-url-auht: unknown policy \(did you mean "aws-lambda-function-url-auth"\?\)/);
        assert.deepStrictEqual(bad.events.policy, [], "no finding before the config error");
    });
});
