// `serverless-guard scan` runs the policies in its own process (runner/local.ts); `pulumi preview` and
// this tier run them in the pack process over the analyzer protocol. Both must give the same run:
// findings, messages, levels, not-applicable answers, deferred lines and redaction, on every example
// stack and test fixture, under the configs that change what the SDK and the pack do.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { EngineResource, PolicyPackProcess, RunResult } from "../../runner/engine";
import { ConfigError, parsePolicyPackConfig } from "../../runner/config";
import { parseInput } from "../../runner/inputs";
import { localPolicies, runLocally, sdkAnalyzerInfo } from "../../runner/local";
import { SECRET_SIG_KEY } from "../../runner/wire";
import { DEFERRED_POLICY } from "../../policies/lib/deferred";
import { allFields } from "../support/canary";
import { fixtureResources } from "../support/fuzz";
import { REPO, run, startPack } from "../support/pack";

function exampleFiles(dir = path.join(REPO, "examples", "stacks")): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap(e =>
        e.isDirectory() ? exampleFiles(path.join(dir, e.name)) : e.name.endsWith(".json") ? [path.join(dir, e.name)] : []);
}

/** Every fixture as one stack, each with its own URN (and its provider, where it has one). */
function fixtureStack(transform: (props: Record<string, unknown>) => Record<string, unknown> = p => p): EngineResource[] {
    const out: EngineResource[] = [];
    fixtureResources().forEach((f, i) => {
        const name = `${f.name ?? "r"}-${i}`;
        if (f.provider) {
            out.push({ urn: f.provider.urn, type: f.provider.type, name: f.provider.urn.split("::").pop()!, props: f.provider.props });
        }
        out.push({
            urn: f.urn ?? `urn:pulumi:dev::fixtures::${f.type}::${name}`, type: f.type, name, props: transform(f.props),
            ...(f.provider ? { provider: f.provider.urn } : {}),
            ...(f.dependencies ? { dependencies: f.dependencies } : {}),
            ...(f.propertyDependencies ? { propertyDependencies: f.propertyDependencies } : {}),
            ...(f.parent ? { parent: f.parent } : {}),
        });
    });
    return [...new Map(out.map(r => [r.urn, r])).values()];
}

async function local(resources: EngineResource[], config?: object, tags?: Record<string, string>): Promise<RunResult | undefined> {
    return runLocally({ resources, config: config ? parsePolicyPackConfig(JSON.stringify(config)) : {}, stack: { stack: "dev", tags } });
}

const profile = (name: string) => JSON.parse(fs.readFileSync(path.join(REPO, "config", `${name}.json`), "utf8")) as object;

/** Configs that change levels, exemptions, per-stack levels and opt-in checks. */
const CONFIGS: { label: string; config?: object; tags?: Record<string, string> }[] = [
    { label: "default config" },
    { label: "every policy mandatory", config: { all: "mandatory" } },
    { label: "the strict profile", config: profile("strict") },
    { label: "the migration profile", config: profile("migration") },
    {
        label: "exemptions, a disabled policy and per-stack levels with stack tags",
        tags: { environment: "prod" },
        config: {
            "aws-lambda-function-url-auth": { exemptions: [{ resource: "*", reason: "public webhook, signed payloads", expires: "2099-01-01", approvedBy: "appsec" }] },
            "aws-lambda-function-url-cors": { exemptions: [{ resource: "*", reason: "old exemption", expires: "2020-01-01" }] },
            "aws-lambda-function-runtime-deprecated": "disabled",
            "azure-functionapp-https-only": { levelOverrides: [{ stackTags: { environment: "prod" }, enforcementLevel: "disabled" }] },
            "stack-function-logging": { levelOverrides: [{ stackTags: { environment: "prod" }, enforcementLevel: "mandatory" }] },
        },
    },
];

describe("scan in process: the same run as over the analyzer protocol", function () {
    this.timeout(600000);
    let pack: PolicyPackProcess;
    before(async () => { pack = await startPack(); });
    after(async () => { await pack?.close(); });

    async function assertSame(resources: EngineResource[], config?: object, tags?: Record<string, string>): Promise<RunResult> {
        const overProtocol = await run(pack, resources, config, tags);
        const inProcess = await local(resources, config, tags);
        assert.ok(inProcess, "runs in process");
        assert.deepStrictEqual(inProcess, overProtocol);
        return inProcess;
    }

    for (const file of exampleFiles()) {
        const label = path.relative(REPO, file);
        it(`${label}: identical findings, not-applicable answers and deferred lines`, async () => {
            const text = fs.readFileSync(file, "utf8");
            const resources = parseInput(text, label).resources;
            await assertSame(resources);
            if (text.includes(SECRET_SIG_KEY)) {
                return; // its own secrets are in it already
            }
            // Every string field as a Pulumi secret: what the policies see, and what they may quote, is the same.
            await assertSame(resources.map(r => ({ ...r, props: allFields(r.props, "secret"), ...(r.outputs ? { outputs: allFields(r.outputs, "secret") } : {}) })));
        });
    }

    for (const { label, config, tags } of CONFIGS) {
        it(`every test fixture in one stack, ${label}: identical`, async () => {
            const result = await assertSame(fixtureStack(), config, tags);
            assert.ok(result.diagnostics.length > 0 || result.notApplicable.length > 0, "the run reported something");
        });
    }

    it("the insecure examples under exemptions and per-stack levels: identical, exempted findings and deferred lines included", async () => {
        const { config, tags } = CONFIGS[CONFIGS.length - 1];
        const resources = exampleFiles().filter(f => /-insecure\.json$|preview\.json$/.test(f)).flatMap(f =>
            parseInput(fs.readFileSync(f, "utf8"), f).resources);
        const result = await assertSame(resources, config, tags);
        assert.ok(result.notApplicable.some(n => /^exempted by /.test(n.reason)), "an exemption took effect");
        assert.ok(result.diagnostics.some(d => d.policyName === DEFERRED_POLICY), "a deferred line");
    });

    it("every test fixture with secret-wrapped fields: identical, redaction included", async () => {
        await assertSame(fixtureStack(p => allFields(p, "secret")));
        await assertSame(fixtureStack(p => allFields(p, "plain")));
    });

    it("type-only not-applicable answers are kept per type, the informative ones per resource", async () => {
        const resources = parseInput(fs.readFileSync(path.join(REPO, "examples", "stacks", "aws-insecure.json"), "utf8"), "aws-insecure").resources;
        const result = (await local(resources))!;
        const types = result.notApplicableTypes ?? {};
        assert.ok(Object.keys(types).length > 50, "most policies don't apply to most types");
        assert.deepStrictEqual(result.notApplicable.filter(n => /^applies only to |^Policy only applies to resources of type/.test(n.reason)), []);
        assert.ok(types["azure-functionapp-https-only"]?.includes("aws:lambda/function:Function"));
    });

    it("runs of a scan share what their config decides, and each config keeps its own: alternating configs give each its own run", async () => {
        const resources = parseInput(fs.readFileSync(path.join(REPO, "examples", "stacks", "aws-insecure.json"), "utf8"), "aws-insecure").resources;
        const strict = profile("strict");
        const first = await local(resources);
        const withStrict = await local(resources, strict);
        const again = await local(resources);
        assert.deepStrictEqual(again, first);
        assert.notDeepStrictEqual(withStrict!.levels, first!.levels);
        assert.deepStrictEqual(await local(resources, strict), withStrict);
        // A run's result is its own: changing one leaves the others and the next alone.
        const before = structuredClone(again);
        first!.levels["aws-lambda-function-url-auth"] = "disabled";
        first!.policies.length = 0;
        assert.deepStrictEqual(again, before);
        assert.deepStrictEqual(await local(resources), before);
    });

    it("a run asked not to list the types each policy skipped gives the same findings without that list", async () => {
        const resources = parseInput(fs.readFileSync(path.join(REPO, "examples", "stacks", "azure-insecure.json"), "utf8"), "azure-insecure").resources;
        const full = await local(resources);
        const without = await runLocally({ resources, config: {}, stack: { stack: "dev" }, notApplicableTypes: false });
        assert.ok(full!.notApplicableTypes && Object.keys(full!.notApplicableTypes).length > 50);
        const { notApplicableTypes: _, ...rest } = full!;
        assert.deepStrictEqual(without, rest);
    });

    it("a config with problems the engine lets through fails both runs with the same error, before any resource is analyzed", async () => {
        const resources = parseInput(fs.readFileSync(path.join(REPO, "examples", "stacks", "aws-insecure.json"), "utf8"), "aws-insecure").resources;
        const bad = {
            "aws-lambda-function-url-auth": { exemptions: [{ resource: "*", reason: "webhook", expires: "2026-02-30" }] },
            "aws-lambda-runtime-deprecatd": "advisory",
            "aws-lambda-function-url-cors": { allowedOrigin: ["https://example.com"] },
        };
        const failure = async (f: () => Promise<unknown>) => {
            try {
                await f();
            } catch (e) {
                return { name: (e as Error).name, message: (e as Error).message, details: (e as ConfigError).details };
            }
            return assert.fail("the run went ahead");
        };
        const overProtocol = await failure(() => run(pack, resources, bad));
        const inProcess = await failure(() => local(resources, bad));
        assert.strictEqual(overProtocol.name, "ConfigError");
        assert.strictEqual(overProtocol.details.length, 3, overProtocol.message);
        assert.deepStrictEqual(inProcess, overProtocol);
        // The pack process is still there for the next run.
        await assertSame(resources.slice(0, 5));
    });

    it("the pack's policies as GetAnalyzerInfo gives them, read without the protobuf round trip: the same, key order and absent fields included", () => {
        const marked = (v: unknown) => JSON.stringify(v, (_k, x) => x === undefined ? "(undefined)" : x);
        const plain = localPolicies();
        assert.deepStrictEqual(plain, sdkAnalyzerInfo());
        assert.strictEqual(marked(plain), marked(sdkAnalyzerInfo()));
        // Each caller gets its own copy.
        plain.policies.pop();
        assert.strictEqual(localPolicies().policies.length, sdkAnalyzerInfo().policies.length);
    });

    it("a policy configured to remediate leaves the run to the pack process, where the engine's Remediate step runs", async () => {
        const resources = parseInput(fs.readFileSync(path.join(REPO, "examples", "stacks", "aws-insecure.json"), "utf8"), "aws-insecure").resources;
        assert.strictEqual(await local(resources, { all: "remediate" }), undefined);
    });
});
