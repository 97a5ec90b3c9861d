// End-to-end tier: the real Pulumi CLI runs this repository as a local policy pack with
// `pulumi policy analyze`, against the stack states in examples/stacks/exports/ imported into a
// throw-away file backend. No program runs and no provider is called. The CLI starts the pack
// through the real Node.js language host (built by scripts/provision-pulumi.sh), or, where it
// couldn't be built, through the `pulumi-analyzer-policy-nodejs` shim; the output says which.
//
// Where the CLI comes from and when the suite is skipped: see test/support/pulumi-cli.ts.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { OPAQUE_SECRET } from "../../runner/inputs";
import { REPO } from "../support/pack";
import { findingKeys as keys, parseEngineEvents, PolicyEvent, SummaryEvent } from "../support/engine-events";
import { Cli, findCli, languageHostNote, Ran, Workspace } from "../support/pulumi-cli";

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const PACK_VERSION = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version as string;

interface Analysis extends Ran { events: PolicyEvent[]; summary?: SummaryEvent }

/** A copy of a `pulumi stack export` file that the fresh stack can import. */
function importable(file: string, fresh: any): any {
    const state = JSON.parse(fs.readFileSync(file, "utf8"));
    // The examples' secrets were encrypted with a passphrase that isn't published: give them the
    // offline scanner's stand-in as plaintext (what `serverless-guard scan` sees for a ciphertext),
    // and the new stack's own secrets provider. Its manifest too: an edited state fails the
    // "magic cookie" check, and `stack import` would need --force.
    const plain = (v: any): any => {
        if (Array.isArray(v)) {
            return v.map(plain);
        }
        if (v && typeof v === "object") {
            if (v[SECRET_SIG_KEY] && "ciphertext" in v) {
                return { [SECRET_SIG_KEY]: v[SECRET_SIG_KEY], plaintext: JSON.stringify(OPAQUE_SECRET) };
            }
            return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
        }
        return v;
    };
    const deployment = plain(state.deployment);
    deployment.secrets_providers = fresh.deployment.secrets_providers;
    deployment.manifest = fresh.deployment.manifest;
    return { ...state, deployment };
}

/** `urn:pulumi:<stack>::<project>::…` of the state's resources. */
function stackOf(file: string): { stack: string; project: string; resources: number } {
    const resources = JSON.parse(fs.readFileSync(file, "utf8")).deployment.resources as { urn: string }[];
    const m = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(resources[0].urn)!;
    return { stack: m[1], project: m[2], resources: resources.length };
}

const EXPORTS = path.join(REPO, "examples", "stacks", "exports");
const INSECURE = path.join(EXPORTS, "aws-insecure.export.json");
const HARDENED = path.join(EXPORTS, "aws-hardened.export.json");

describe("e2e: pulumi policy analyze with the real Pulumi CLI", function () {
    let cli: Cli;
    let ws: Workspace | undefined;
    let tmp: string;
    const stacks = new Map<string, string>(); // export file -> stack name
    let insecure: Analysis | undefined;

    function pulumi(args: string[], input?: string): Ran {
        return ws!.pulumi(args, { cwd: path.join(tmp, "project"), input });
    }

    function analyze(file: string, opts: { config?: string; json?: boolean } = {}): Analysis {
        const args = ["policy", "analyze", "--stack", stacks.get(file)!, "--policy-pack", REPO];
        if (opts.config) {
            args.push("--policy-pack-config", opts.config);
        }
        const json = opts.json ?? true;
        const ran = pulumi(json ? [...args, "--json"] : args);
        if (!json) {
            return { ...ran, events: [] };
        }
        const events = parseEngineEvents(ran.stdout);
        return { ...ran, events: events.policy, summary: events.summary };
    }

    function config(name: string, content: unknown): string {
        const file = path.join(tmp, name);
        fs.writeFileSync(file, JSON.stringify(content));
        return file;
    }

    function insecureRun(): Analysis {
        insecure ??= analyze(INSECURE);
        return insecure;
    }

    before(function () {
        this.timeout(45 * 60 * 1000); // only SERVERLESS_GUARD_E2E=1 may build, which takes minutes
        const found = findCli();
        if ("skip" in found) {
            console.log(`      ${found.skip}`);
            this.skip();
        }
        cli = found as Cli;
        console.log(`      pulumi ${cli.version} from ${cli.bin}; Node.js policy host: ${path.basename(cli.host!)}; language host: ${languageHostNote(cli.bin)}`);

        ws = new Workspace(cli, { prefix: "serverless-guard-e2e-" });
        tmp = ws.tmp;
        fs.mkdirSync(path.join(tmp, "project"));
        const login = ws.login(path.join(tmp, "project"));
        assert.strictEqual(login.code, 0, login.stderr);
        const projects = new Set([INSECURE, HARDENED].map(f => stackOf(f).project));
        assert.strictEqual(projects.size, 1, "the example states belong to one project");
        fs.writeFileSync(path.join(tmp, "project", "Pulumi.yaml"), `name: ${[...projects][0]}\nruntime: nodejs\n`);
        for (const file of [INSECURE, HARDENED]) {
            const { stack } = stackOf(file);
            const init = pulumi(["stack", "init", stack]);
            assert.strictEqual(init.code, 0, init.stderr);
            const fresh = pulumi(["stack", "export", "--stack", stack]);
            assert.strictEqual(fresh.code, 0, fresh.stderr);
            const copy = path.join(tmp, path.basename(file));
            fs.writeFileSync(copy, JSON.stringify(importable(file, JSON.parse(fresh.stdout))));
            const imported = pulumi(["stack", "import", "--stack", stack, "--file", copy]);
            assert.strictEqual(imported.code, 0, imported.stderr);
            stacks.set(file, stack);
        }
    });

    after(function () {
        ws?.dispose();
    });

    it("the insecure state fails with the same findings as `serverless-guard scan`", function () {
        this.timeout(180000);
        const res = insecureRun();
        assert.notStrictEqual(res.code, 0, res.stderr);
        assert.match(res.stderr, /one or more mandatory policy violations were found/);
        assert.strictEqual(res.summary?.result, "failed");
        assert.strictEqual(res.summary?.PolicyPacks?.["serverless-guard"], PACK_VERSION);

        const mandatory = keys(res.events, "mandatory");
        for (const expected of ["orders-url|aws-lambda-function-url-auth", "orders-role|aws-iam-managed-policy-admin",
            "orders-extra|aws-iam-policy-admin-access", "orders-public-invoke|aws-lambda-permission-public"]) {
            assert.ok(mandatory.includes(expected), `${expected} not among the mandatory findings:\n${mandatory.join("\n")}`);
        }
        const expectations = path.join(REPO, "test", "protocol", "expectations", "exports", "aws-insecure.export.json");
        if (fs.existsSync(expectations)) {
            const list = JSON.parse(fs.readFileSync(expectations, "utf8")) as { resource: string; policy: string }[];
            assert.deepStrictEqual(keys(res.events), [...new Set(list.map(e => `${e.resource}|${e.policy}`))].sort());
        }
        // The engine and the offline scanner agree finding for finding: policy, resource, level, message.
        const scan = spawnSync(process.execPath, [path.join(REPO, "bin", "runner", "cli.js"), "scan", INSECURE, "--format", "json"],
            { cwd: REPO, encoding: "utf8", timeout: 120000, maxBuffer: 64 * 1024 * 1024 });
        assert.strictEqual(scan.status, 1, scan.stderr);
        const report = JSON.parse(scan.stdout) as { diagnostics: { policyName: string; urn: string; enforcementLevel: string; message: string }[] };
        assert.deepStrictEqual(
            res.events.map(e => `${e.policyName}|${e.resourceUrn ?? ""}|${e.enforcementLevel}|${e.message}`).sort(),
            report.diagnostics.map(d => `${d.policyName}|${d.urn}|${d.enforcementLevel}|${d.message}`).sort());
    });

    it("the hardened state passes: exit 0, no violation", function () {
        this.timeout(180000);
        const res = analyze(HARDENED);
        assert.strictEqual(res.code, 0, `${res.stderr}\n${keys(res.events).join("\n")}`);
        assert.deepStrictEqual(res.events, []);
        assert.strictEqual(res.summary?.result, "succeeded");
        // the pack really ran over the resources (an empty stack also exits 0)
        assert.strictEqual(res.summary?.PolicyPacks?.["serverless-guard"], PACK_VERSION);
        assert.doesNotMatch(res.stdout + res.stderr, /has no resources/);
    });

    it("--policy-pack-config config/migration.json makes the insecure state advisory: exit 0, warnings printed", function () {
        this.timeout(180000);
        const res = analyze(INSECURE, { config: path.join(REPO, "config", "migration.json"), json: false });
        assert.strictEqual(res.code, 0, res.stderr);
        assert.match(res.stdout, /\[advisory\] \[severity: critical\]\s+aws-lambda-function-url-auth\s+\(aws:lambda\/functionUrl:FunctionUrl: orders-url\)/);
        assert.match(res.stdout, /\[advisory\] \[severity: critical\]\s+aws-iam-managed-policy-admin/);
        assert.doesNotMatch(res.stdout, /\[mandatory\]/);
        assert.doesNotMatch(res.stderr, /^error:/m);
        const printed = res.stdout.match(/^\s+- \[advisory\]/gm) ?? [];
        assert.strictEqual(printed.length, insecureRun().events.length, "every finding is still reported");
    });

    it("a per-policy `disabled` (string or object form) removes exactly that policy's findings", function () {
        this.timeout(180000);
        const file = config("disabled.json", {
            "aws-lambda-function-runtime-deprecated": "disabled",
            "aws-s3-bucket-public-access": { enforcementLevel: "disabled" },
        });
        const res = analyze(INSECURE, { config: file });
        assert.notStrictEqual(res.code, 0, "other mandatory violations remain");
        // Policies no stack policy stands in for (a disabled root-cause policy hands its line to them).
        const disabled = new Set(["aws-lambda-function-runtime-deprecated", "aws-s3-bucket-public-access"]);
        assert.ok(!res.events.some(e => disabled.has(e.policyName)));
        assert.deepStrictEqual(keys(res.events), keys(insecureRun().events.filter(e => !disabled.has(e.policyName))));
    });

    it("a malformed config file stops the run with the engine's validation message", function () {
        this.timeout(180000);
        const file = config("malformed.json", { "aws-lambda-function-timeout": { maxTimeoutSeconds: "soon" } });
        const res = analyze(INSECURE, { config: file });
        assert.notStrictEqual(res.code, 0);
        assert.match(res.stderr, /validating policy config for "serverless-guard": aws-lambda-function-timeout: maxTimeoutSeconds: Invalid type\. Expected: integer, given: string/);
        assert.deepStrictEqual(res.events, [], "no resource was analyzed");
    });
});
