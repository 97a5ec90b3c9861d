// End-to-end tier: `pulumi preview --policy-pack <this repository>` with the real Pulumi CLI on the
// TypeScript programs in examples/programs/, written with the real @pulumi/aws, @pulumi/aws-native,
// @pulumi/azure-native, @pulumi/azure and @pulumi/gcp SDKs, fully offline: a throw-away file backend and PULUMI_HOME, no update check,
// no plugin downloads, no cloud account.
//
// What runs: the CLI (see test/support/pulumi-cli.ts for where it comes from and when the suite is
// skipped); the Node.js language host — the real `pulumi-language-nodejs` if there is one next to the
// CLI or on PATH, otherwise the test stand-in (test/support/standins/language-host.ts), which starts
// programs and the policy pack the way the real one does; and, always, stand-in provider plugins for
// aws, aws-native, azure-native, azure and gcp (test/support/standins/provider.ts) that hand the program's inputs back
// unchanged, so the pack sees exactly what the program declared, secrets and unknowns included.
// Stand-ins are found as ambient plugins on a temporary PATH. Each program is type-checked and run
// by the SDK's own ts-node, as it would be for a user.
//
// Policy results are read from the CLI's event log (`--event-log`, a debug flag: PULUMI_DEBUG_COMMANDS).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { EngineEvents, findingKeys, parseEngineEvents, PolicySummary, resourceName } from "../support/engine-events";
import { REPO } from "../support/pack";
import { Cli, findCli, languageHostNote, nodeLanguageHost, Ran, Workspace } from "../support/pulumi-cli";
import { installStandIns } from "../support/standins/install";
import { DEFERRED_POLICY, parseDeferred } from "../../policies/lib/deferred";

const PACK_VERSION = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")).version as string;
const PROGRAMS = path.join(REPO, "examples", "programs");
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The plaintext of the `pulumi.secret(...)` in each insecure program. */
const INSECURE_SECRET = "hunter2-insecure-example";

interface Program {
    provider: string;
    config: Record<string, string>;
    /** `<resource>|<policy>` mandatory findings the insecure program must produce (not exhaustive). */
    mandatory?: string[];
    /** `<resource>|<policy>` advisory findings it must produce too (not exhaustive). */
    advisory?: string[];
}

const PROGRAM_SPECS: Record<string, Program> = {
    "aws-insecure": {
        provider: "aws",
        config: { "aws:region": "eu-west-1" },
        mandatory: [
            "orders-role|aws-iam-managed-policy-admin", "orders-role|aws-iam-role-trust-too-broad",
            "orders-extra|aws-iam-policy-privilege-escalation", "uploads-pab|aws-s3-bucket-public-access",
            "orders|aws-lambda-function-env-plaintext-secret", "orders|aws-lambda-function-runtime-deprecated",
            "orders-url|aws-lambda-function-url-auth",
            "orders-rest|aws-apigateway-openapi-authorization", "orders-quick|aws-apigatewayv2-api-quick-create",
            // A random password's result in plain configuration: unknown during preview, decided from its source.
            "orders-report|aws-lambda-function-env-plaintext-secret",
            // A topic anyone may publish to, feeding the function and, through the order queue, the report function.
            "order-events-policy|aws-event-source-public-write",
            // Plain HTTP in front of a Lambda@Edge function and a function URL; a GraphQL API open to anyone with its key.
            "orders-cdn|aws-cloudfront-viewer-https", "orders-graphql|aws-appsync-api-key-auth",
            // Inline layer code that embeds an access key id.
            "orders-shared-config|aws-lambda-function-code-secret",
        ],
    },
    "aws-hardened": { provider: "aws", config: { "aws:region": "eu-west-1" } },
    "azure-insecure": {
        provider: "azure-native",
        config: { "azure-native:location": "westeurope" },
        mandatory: [
            "ordersfnstore|azure-storage-https-only", "ordersfnstore|azure-storage-blob-public-access", "orders-kv|azure-keyvault-recoverable",
            "orders-api|azure-functionapp-https-only", "orders-api|azure-functionapp-ftps", "orders-api|azure-functionapp-remote-debugging",
            "orders-api|azure-functionapp-extension-version", "orders-api|azure-functionapp-plaintext-secret",
            "orders-api-contributor|azure-roleassignment-privileged-role",
            "orders-api-settings|azure-functionapp-plaintext-secret",
            "orders-aca|azure-containerapp-allow-insecure", "orders-aca|azure-functionapp-plaintext-secret",
            "orders-apim-api|azure-apim-api-no-auth", "orders-apim-api|azure-apim-api-http", "orders-fn-key|azure-apim-named-value-plaintext-secret",
        ],
        // The Service Bus namespace the app's queue trigger reads accepts SAS keys from any network: reported on
        // the namespace, and on the function app it drives; the backend's certificate left unchecked; the
        // functions container app open to the internet with no authentication configured.
        advisory: [
            "orders-bus|azure-messaging-local-auth-public-network", "orders-api|stack-function-trigger-open",
            "orders-fn-backend|azure-apim-backend-tls-validation", "orders-aca|stack-azure-functionapp-auth-absent",
        ],
    },
    "azure-hardened": { provider: "azure-native", config: { "azure-native:location": "westeurope" } },
    "gcp-insecure": {
        provider: "gcp",
        config: { "gcp:project": "orders-dev", "gcp:region": "europe-west1" },
        mandatory: [
            "orders-source|gcp-storage-bucket-public-access-prevention", "orders-source-public-read|gcp-storage-bucket-iam-public",
            "stripe-key-readers|gcp-secretmanager-secret-iam-public",
            "orders-webhook|gcp-cloudfunction-env-plaintext-secret", "orders-webhook|gcp-cloudfunction-service-account",
            "orders-webhook|gcp-cloudfunction-https-only", "orders-webhook|gcp-cloudfunction-runtime-deprecated",
            "orders-worker|gcp-cloudfunction-runtime-deprecated",
            "orders-webhook-public|gcp-iam-function-public-access", "orders-worker-invokers|gcp-iam-function-public-access",
            "orders-worker|stack-function-identity-privileged",
            "orders-api|gcp-cloudrun-invoker-iam-disabled", "orders-api|gcp-cloudfunction-service-account",
            "orders-api|gcp-cloudfunction-env-plaintext-secret", "order-events-push|gcp-trigger-auth-token",
            "orders-worker|gcp-cloudfunction-env-plaintext-secret", "orders-fn-editor|gcp-iam-service-account-admin-role",
            "order-events-public-publish|gcp-pubsub-topic-iam-public-publish",
            "orders-gateway-config|gcp-apigateway-route-no-auth", "orders-reconcile|gcp-cloudfunction-service-account",
            "orders-reconcile|gcp-cloudfunction-env-plaintext-secret", "orders-flow|gcp-cloudfunction-env-plaintext-secret",
        ],
    },
    "gcp-hardened": { provider: "gcp", config: { "gcp:project": "orders-prod", "gcp:region": "europe-west1" } },
    "aws-native-insecure": {
        provider: "aws-native",
        config: { "aws-native:region": "eu-west-1" },
        mandatory: [
            "orders-role|aws-iam-managed-policy-admin", "orders-role|aws-iam-role-trust-too-broad", "orders-role|aws-iam-policy-privilege-escalation",
            "orders-extra|aws-iam-policy-admin-access", "uploads|aws-s3-bucket-public-access",
            "orders|aws-lambda-function-env-plaintext-secret", "orders|aws-lambda-function-runtime-deprecated",
            "orders-url|aws-lambda-function-url-auth", "orders-public-invoke|aws-lambda-permission-public", "orders-public-invoke|aws-lambda-permission-action",
            "orders-report|aws-lambda-function-env-plaintext-secret",
        ],
    },
    "aws-native-hardened": { provider: "aws-native", config: { "aws-native:region": "eu-west-1" } },
    "azure-classic-insecure": {
        provider: "azure",
        config: { "azure:location": "westeurope" },
        // orders-api runs on a Linux Consumption plan (Y1), which has no FTP endpoint: no FTPS line.
        mandatory: [
            "ordersfnstore|azure-storage-https-only", "ordersfnstore|azure-storage-blob-public-access", "orders-kv|azure-keyvault-recoverable",
            "orders-api|azure-functionapp-https-only", "orders-api|azure-functionapp-remote-debugging",
            "orders-api|azure-functionapp-extension-version", "orders-api|azure-functionapp-plaintext-secret", "orders-api|azure-functionapp-auth-required",
            "orders-create|azure-functionapp-function-anonymous", "orders-api-contributor|azure-roleassignment-privileged-role",
            // The storage account's connection string (key included) as host storage: decided from its source.
            "orders-worker|azure-functionapp-plaintext-secret",
            // Front doors: a container app answering plain HTTP with a password in its environment; API
            // Management with neither subscription nor token check, plain HTTP, the function key in plain text.
            "orders-aca|azure-containerapp-allow-insecure", "orders-aca|azure-functionapp-plaintext-secret",
            "orders-apim-api|azure-apim-api-no-auth", "orders-apim-api|azure-apim-api-http", "orders-fn-key|azure-apim-named-value-plaintext-secret",
        ],
        advisory: [
            "orders-bus|azure-messaging-local-auth-public-network", "orders-events|azure-messaging-local-auth-public-network",
            "orders-api|stack-function-trigger-open", "orders-fn-backend|azure-apim-backend-tls-validation",
        ],
    },
    "azure-classic-hardened": { provider: "azure", config: { "azure:location": "westeurope" } },
};

interface Preview extends Ran { events: EngineEvents }

function isSecret(v: unknown): boolean {
    return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG] === SECRET_SIG_VALUE;
}

function passedPolicies(summaries: PolicySummary[]): Set<string> {
    return new Set(summaries.flatMap(s => s.passed ?? []));
}

describe("e2e: pulumi preview --policy-pack on examples/programs with the real Pulumi CLI", function () {
    let cli: Cli;
    let ws: Workspace | undefined;
    let host = "";
    const configFiles = new Map<string, string>();
    const runs = new Map<string, Preview>();

    function pulumi(args: string[], cwd: string): Ran {
        // PULUMI_DEBUG_COMMANDS enables --event-log; ts-node's compile cache stays in the workspace.
        return ws!.pulumi(args, {
            cwd, timeout: 180000,
            env: { PULUMI_DEBUG_COMMANDS: "true", TS_NODE_CACHE_DIRECTORY: path.join(ws!.tmp, "ts-node-cache") },
        });
    }

    /** A fresh stack for the program. Its config file lives in the workspace: nothing is written into examples/. */
    function stackFor(program: string): string {
        let file = configFiles.get(program);
        if (!file) {
            const dir = path.join(ws!.tmp, "stacks", program);
            fs.mkdirSync(dir, { recursive: true });
            fs.copyFileSync(path.join(PROGRAMS, program, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
            const init = pulumi(["stack", "init", "dev"], dir);
            assert.strictEqual(init.code, 0, init.stderr);
            for (const [key, value] of Object.entries(PROGRAM_SPECS[program].config)) {
                const set = pulumi(["config", "set", key, value], dir);
                assert.strictEqual(set.code, 0, set.stderr);
            }
            file = path.join(dir, "Pulumi.dev.yaml");
            configFiles.set(program, file);
        }
        return file;
    }

    function preview(program: string, opts: { policyConfig?: string } = {}): Preview {
        const configFile = stackFor(program);
        const log = path.join(ws!.tmp, `events-${program}-${runs.size}-${Date.now()}.jsonl`);
        const args = ["preview", "--stack", "dev", "--config-file", configFile, "--policy-pack", REPO, "--event-log", log];
        if (opts.policyConfig) {
            args.push("--policy-pack-config", opts.policyConfig);
        }
        const ran = pulumi(args, path.join(PROGRAMS, program));
        const events = parseEngineEvents(fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "");
        return { ...ran, events };
    }

    /** The default-config preview of a program, run once and shared by the tests that need it. */
    function previewOf(program: string): Preview {
        let run = runs.get(program);
        if (!run) {
            run = preview(program);
            runs.set(program, run);
        }
        return run;
    }

    function policyConfig(name: string, content: unknown): string {
        const file = path.join(ws!.tmp, name);
        fs.writeFileSync(file, JSON.stringify(content));
        return file;
    }

    function describeRun(res: Preview): string {
        return `exit ${res.code}\n${res.stderr}\n${res.stdout.slice(-4000)}\nfindings:\n${findingKeys(res.events.policy).join("\n")}`;
    }

    /** Engine error diagnostics other than the "preview failed" that mandatory violations cause. */
    function unexpectedErrors(res: Preview): string[] {
        return res.events.diagnostics
            .filter(d => d.severity === "error" && !/^preview failed\s*$/.test(d.message.trim()))
            .map(d => `${resourceName(d.urn)}: ${d.message.trim()}`);
    }

    before(function () {
        this.timeout(45 * 60 * 1000); // only SERVERLESS_GUARD_E2E=1 may build the CLI, which takes minutes
        const found = findCli({ needsPolicyHost: false });
        if ("skip" in found) {
            console.log(`      ${found.skip}`);
            this.skip();
        }
        cli = found as Cli;
        const realHost = nodeLanguageHost(cli.bin);
        ws = new Workspace(cli, { prefix: "serverless-guard-e2e-preview-" });
        const standIns = installStandIns(path.join(ws.tmp, "plugins"), {
            languageHost: !realHost,
            // The insecure programs also generate a password with the random provider.
            providers: [...new Set([...Object.values(PROGRAM_SPECS).map(p => p.provider), "random"])],
            fromDir: REPO,
        });
        ws.prependPath(standIns.dir);
        host = realHost ? languageHostNote(cli.bin) : `stand-in language host (test/support/standins/language-host.ts); ${languageHostNote(cli.bin)}`;
        console.log(`      pulumi ${cli.version} from ${cli.bin}; Node.js language host: ${host}; providers: stand-ins for `
            + Object.entries(standIns.providers).map(([name, p]) => `${name} ${p.version}`).join(", "));
        const login = ws.login(ws.tmp);
        assert.strictEqual(login.code, 0, login.stderr);
    });

    after(function () {
        ws?.dispose();
    });

    it("every program's preview has at most one line per resource for checks that wait for unknown values", function () {
        this.timeout(20 * 60 * 1000);
        for (const program of Object.keys(PROGRAM_SPECS)) {
            const res = previewOf(program);
            assert.deepStrictEqual(unexpectedErrors(res), [], program);
            const legacy = res.events.policy.filter(e => /^can't run policy/.test(e.message));
            assert.deepStrictEqual(legacy.map(e => `${resourceName(e.resourceUrn)}|${e.policyName}`), [], `${program}: per-policy can't-run lines`);
            const perResource = new Map<string, number>();
            for (const e of res.events.policy.filter(x => x.policyName === DEFERRED_POLICY)) {
                assert.strictEqual(e.enforcementLevel, "advisory");
                assert.ok(parseDeferred(e.message)?.length, e.message);
                perResource.set(e.resourceUrn ?? "", (perResource.get(e.resourceUrn ?? "") ?? 0) + 1);
            }
            assert.deepStrictEqual([...perResource].filter(([, n]) => n > 1), [], `${program}: more than one deferred line for a resource`);
        }
    });

    for (const cloud of ["aws", "azure", "gcp", "aws-native", "azure-classic"]) {
        const program = `${cloud}-insecure`;
        it(`${program}: the preview fails with the expected mandatory violations`, function () {
            this.timeout(240000);
            const res = previewOf(program);
            assert.notStrictEqual(res.code, 0, describeRun(res));
            assert.strictEqual(res.events.summary?.result, "failed", describeRun(res));
            assert.strictEqual(res.events.summary?.isPreview, true);
            assert.strictEqual(res.events.summary?.PolicyPacks?.[`serverless-guard|local|${REPO}`], PACK_VERSION);
            assert.deepStrictEqual(unexpectedErrors(res), []);
            const mandatory = findingKeys(res.events.policy, "mandatory");
            const missing = PROGRAM_SPECS[program].mandatory!.filter(k => !mandatory.includes(k));
            assert.deepStrictEqual(missing, [], `missing mandatory findings; the preview reported:\n${mandatory.join("\n")}`);
            const advisory = findingKeys(res.events.policy, "advisory");
            const missingAdvisory = (PROGRAM_SPECS[program].advisory ?? []).filter(k => !advisory.includes(k));
            assert.deepStrictEqual(missingAdvisory, [], `missing advisory findings; the preview reported:\n${advisory.join("\n")}`);
            for (const e of res.events.policy) {
                assert.strictEqual(e.policyPackName, "serverless-guard");
                assert.ok(!e.message.includes(INSECURE_SECRET), `${e.policyName} quotes the secret's value: ${e.message}`);
            }
        });

        const hardened = `${cloud}-hardened`;
        it(`${hardened}: the preview passes with no violation at all, and every policy the insecure one violates ran and passed`, function () {
            this.timeout(240000);
            const res = previewOf(hardened);
            assert.strictEqual(res.code, 0, describeRun(res));
            assert.deepStrictEqual(findingKeys(res.events.policy), [], "no finding, mandatory or advisory");
            assert.strictEqual(res.events.summary?.result, "succeeded");
            assert.strictEqual(res.events.summary?.PolicyPacks?.[`serverless-guard|local|${REPO}`], PACK_VERSION);
            assert.deepStrictEqual(unexpectedErrors(res), []);
            // The pack really analyzed every resource the program declares (an empty analysis also passes).
            const analyzed = new Set(res.events.summaries.map(s => s.resourceUrn));
            const declared = res.events.steps.filter(s => !s.type.startsWith("pulumi:")).map(s => s.urn);
            assert.ok(declared.length >= 8, `the program declares its resources (${declared.length})`);
            assert.deepStrictEqual(declared.filter(urn => !analyzed.has(urn)), [], "every resource was analyzed");
            assert.strictEqual(res.events.stackSummaries.length, 1, "the stack policies ran once");
            // Each policy the insecure counterpart violates was evaluated here, on some resource or the stack, and passed.
            const passed = passedPolicies([...res.events.summaries, ...res.events.stackSummaries]);
            const violated = [...new Set(previewOf(`${cloud}-insecure`).events.policy.map(e => e.policyName))];
            assert.deepStrictEqual(violated.filter(p => !passed.has(p)).sort(), []);
        });
    }

    it("--policy-pack-config config/migration.json makes the insecure AWS program advisory: exit 0, every finding still reported", function () {
        this.timeout(240000);
        const res = preview("aws-insecure", { policyConfig: path.join(REPO, "config", "migration.json") });
        assert.strictEqual(res.code, 0, describeRun(res));
        assert.strictEqual(res.events.summary?.result, "succeeded");
        assert.deepStrictEqual(findingKeys(res.events.policy, "mandatory"), []);
        const strict = previewOf("aws-insecure");
        assert.deepStrictEqual(findingKeys(res.events.policy, "advisory"), findingKeys(strict.events.policy), "the same findings, all advisory");
        assert.ok(findingKeys(res.events.policy).includes("orders-url|aws-lambda-function-url-auth"));
    });

    it("a malformed policy-pack config stops the preview with the engine's validation message, before any resource is analyzed", function () {
        this.timeout(240000);
        const file = policyConfig("malformed.json", { "aws-lambda-function-timeout": { maxTimeoutSeconds: "soon" } });
        const res = preview("aws-insecure", { policyConfig: file });
        assert.notStrictEqual(res.code, 0);
        const errors = res.events.diagnostics.filter(d => d.severity === "error").map(d => d.message.trim());
        assert.ok(errors.some(m => /^validating policy config: serverless-guard \S+\s+aws-lambda-function-timeout: maxTimeoutSeconds: Invalid type\. Expected: integer, given: string$/.test(m)),
            `error diagnostics: ${JSON.stringify(errors)}`);
        assert.deepStrictEqual(res.events.policy, [], "no resource was analyzed");
        assert.deepStrictEqual(res.events.summaries, []);
    });

    it("a pulumi.secret value reaches the pack as a secret: a remediation keeps it secret and no policy output contains it", function () {
        this.timeout(240000);
        // The function app's app settings hold pulumi.secret("hunter2-insecure-example"), which makes
        // the SDK send its whole siteConfig as a secret. Remediating httpsOnly makes the pack hand the
        // resource's properties back to the engine, which uses them as they come (see the engine's
        // step generator): siteConfig is still a secret afterwards only if the pack received it as one
        // (the policy SDK re-wraps exactly the values that arrived as secrets).
        const file = policyConfig("remediate.json", { "all": "advisory", "azure-functionapp-https-only": "remediate" });
        const res = preview("azure-insecure", { policyConfig: file });
        assert.strictEqual(res.code, 0, describeRun(res));
        assert.deepStrictEqual(unexpectedErrors(res), []);
        const remediation = res.events.remediations.find(r => resourceName(r.resourceUrn) === "orders-api");
        assert.ok(remediation, `no remediation of orders-api among ${res.events.remediations.map(r => r.policyName).join(", ")}`);
        assert.strictEqual(remediation.policyName, "azure-functionapp-https-only");
        assert.strictEqual(remediation.before.httpsOnly, false);
        assert.strictEqual(remediation.after.httpsOnly, true);
        assert.ok(isSecret(remediation.before.siteConfig), `siteConfig before: ${JSON.stringify(remediation.before.siteConfig)}`);
        assert.ok(isSecret(remediation.after.siteConfig), `siteConfig after the pack's remediation: ${JSON.stringify(remediation.after.siteConfig)}`);
        const step = res.events.steps.find(s => resourceName(s.urn) === "orders-api");
        assert.ok(step, "orders-api is planned");
        assert.strictEqual(step.inputs.httpsOnly, true, "the engine plans with the remediated inputs");
        assert.ok(isSecret(step.inputs.siteConfig));
        // The pack still checked the secret's contents (the app setting's name is reported)...
        assert.ok(findingKeys(res.events.policy).includes("orders-api|azure-functionapp-plaintext-secret"));
        // ...and no policy event or remediation anywhere carries the value.
        for (const run of [res, previewOf("aws-insecure"), previewOf("azure-insecure"), previewOf("gcp-insecure")]) {
            const out = JSON.stringify([run.events.policy, run.events.remediations]);
            assert.ok(!out.includes(INSECURE_SECRET), "a policy event contains the secret's value");
        }
    });

    it("remediation leaves a Lambda function with inline code (an AssetArchive) alone instead of failing the preview", function () {
        this.timeout(240000);
        // @pulumi/policy 1.21 sends an AssetArchive back as a list of file names, which the engine
        // rejects ("unexpected archive contents"), failing the whole preview; the pack doesn't remediate
        // such resources, and the validation reports the setting instead.
        const file = policyConfig("remediate-lambda.json", { "all": "advisory", "aws-lambda-function-tracing": "remediate" });
        const res = preview("aws-insecure", { policyConfig: file });
        assert.deepStrictEqual(unexpectedErrors(res), [], describeRun(res));
        // Every function of the program (orders, orders-report, the Lambda@Edge orders-edge-auth) carries inline code.
        assert.deepStrictEqual(res.events.remediations.filter(r => ["orders", "orders-report", "orders-edge-auth"].includes(resourceName(r.resourceUrn))).map(r => r.policyName), []);
        assert.deepStrictEqual(findingKeys(res.events.policy, "mandatory"),
            ["orders-edge-auth|aws-lambda-function-tracing", "orders-report|aws-lambda-function-tracing", "orders|aws-lambda-function-tracing"], describeRun(res));
        assert.notStrictEqual(res.code, 0, "the unremediated setting fails the preview as a mandatory violation");
    });

    it("values unknown during preview are decided from their sources: the member is the stack's service account, and the grant fails at preview", function () {
        this.timeout(240000);
        // gcp-insecure grants roles/editor to `sa.member` and runs a gen-2 function as `sa.email`,
        // both outputs of a service account that doesn't exist yet.
        const res = previewOf("gcp-insecure");
        assert.deepStrictEqual(unexpectedErrors(res), []);
        const grant = res.events.steps.find(s => resourceName(s.urn) === "orders-fn-editor");
        assert.strictEqual(grant?.inputs.member, UNKNOWN, "the member is unknown during preview");
        const decided = res.events.policy.find(e => resourceName(e.resourceUrn) === "orders-fn-editor" && e.policyName === "gcp-iam-service-account-admin-role");
        assert.ok(decided, "the grant's check is decided at preview from the member's source");
        assert.strictEqual(decided.enforcementLevel, "mandatory");
        assert.match(decided.message, /roles\/editor/);
        const waiting = res.events.policy.filter(e => e.policyName === DEFERRED_POLICY).flatMap(e => (parseDeferred(e.message) ?? []).map(c => `${resourceName(e.resourceUrn)}|${c.policy}`));
        assert.deepStrictEqual(waiting.filter(k => /^orders-fn-editor\||^orders-worker\|gcp-cloudfunction-(service-account|env-plaintext-secret)$/.test(k)), [], "nothing the sources decide waits");
        const viaGraph = res.events.policy.find(e => resourceName(e.resourceUrn) === "orders-worker" && e.policyName === "stack-function-identity-privileged");
        assert.ok(viaGraph, "the stack policy links the function to the grant through the unknown service account");
        assert.strictEqual(viaGraph.enforcementLevel, "mandatory");
        assert.match(viaGraph.message, /roles\/editor/);
    });
});
