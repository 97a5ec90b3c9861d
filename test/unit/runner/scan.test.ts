// How a scan of several inputs shares them out between its processes, and what crosses between them.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PACK_DIR } from "../../../runner/files";
import { parseInput } from "../../../runner/inputs";
import { runLocally } from "../../../runner/local";
import { secret } from "../../../runner/wire";
import { extendContext, prepareResult, InputQueue, packResult, receivedOutcome, scanFiles, sendableOutcome, StackOutcome, unpackResult, WorkerTask } from "../../../runner/scan";

const REPO = path.resolve(__dirname, "..", "..", "..", "..");

describe("scan: the queue of inputs", () => {
    const files = Array.from({ length: 40 }, (_, i) => `stack-${i}.json`);
    const sizes = files.map((_, i) => 1000 + (i % 7) * 100);

    it("hands out every input once, the largest first, whoever takes it", () => {
        const queue = new InputQueue(files, sizes, 2);
        const taken: number[] = [];
        for (let turn = 0; ; turn++) {
            const got = turn % 3 === 0 ? queue.takeBatch(0) : [queue.takeOne(true)].filter((i): i is number => i !== undefined);
            if (got.length === 0) {
                break;
            }
            taken.push(...got);
        }
        assert.deepStrictEqual([...taken].sort((a, b) => a - b), files.map((_, i) => i));
        const bySize = taken.map(i => sizes[i]);
        assert.deepStrictEqual(bySize, [...bySize].sort((a, b) => b - a), "largest first");
    });

    it("gives a worker its share of what is left, so batches shrink towards the end, and at least one input while it holds none", () => {
        const queue = new InputQueue(files, files.map(() => 1000), 2);
        const first = queue.takeBatch(0);
        // 40 inputs, 2 processes: a worker holds up to a quarter of what is left.
        assert.strictEqual(first.length, 10);
        assert.deepStrictEqual(queue.takeBatch(first.length * 1000), [], "it holds its share already");
        const batches: number[] = [];
        for (let got = queue.takeBatch(0); got.length > 0; got = queue.takeBatch(0)) {
            batches.push(got.length);
        }
        assert.ok(batches.length > 3, `several batches: ${batches}`);
        assert.deepStrictEqual(batches, [...batches].sort((a, b) => b - a), `shrinking: ${batches}`);
        assert.strictEqual(batches[batches.length - 1], 1);
    });

    it("keeps standard input for this process, and counts empty files", () => {
        const queue = new InputQueue(["-", "a.json", "b.json"], [0, 0, 0], 2);
        assert.deepStrictEqual(queue.takeBatch(0), [1]);
        assert.deepStrictEqual(queue.takeBatch(0), [2]);
        assert.deepStrictEqual(queue.takeBatch(0), [], "a worker never gets standard input");
        assert.strictEqual(queue.takeOne(true), 0);
        assert.strictEqual(queue.takeOne(true), undefined);
    });
});

describe("scan: an outcome from a worker process", () => {
    let outcome: StackOutcome;
    const secretText = "hunter2-very-secret-value";

    before(async () => {
        const file = path.join(REPO, "examples", "stacks", "aws-insecure.json");
        const resources = parseInput(fs.readFileSync(file, "utf8"), file).resources;
        // A plaintext secret of the input, which reports are scrubbed of.
        resources[0] = { ...resources[0], props: { ...resources[0].props, note: secret(secretText) } };
        const raw = await runLocally({ packDir: PACK_DIR, resources, config: {} });
        const { result, secrets } = prepareResult(raw!, resources);
        outcome = { file, result, ctx: { resources: resources.map(r => ({ urn: r.urn, type: r.type, name: r.name, props: {} })), inputPath: file, format: "stack-export", stack: "dev" }, secrets };
        assert.ok(secrets.includes(secretText));
        assert.ok(result.diagnostics.length > 20);
    });

    it("is packed without the pack's policies and the descriptions findings repeat, and unpacked the same, key order included", () => {
        const packed = packResult(outcome.result);
        assert.strictEqual(packed.policies, undefined);
        const described = packed.diagnostics.filter(d => d.tail !== undefined);
        assert.ok(described.length > packed.diagnostics.length / 2, "most findings start with their policy's description");
        assert.ok(described.every(d => d.description === undefined && d.message === undefined));
        const back = unpackResult(packed, outcome.result.policies);
        assert.deepStrictEqual(back, outcome.result);
        assert.strictEqual(JSON.stringify(back), JSON.stringify(outcome.result));
    });

    it("goes through a file of the scan's directory, without the input's secrets, and comes back whole", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "serverless-guard-outcome-test-"));
        try {
            const task: WorkerTask = { index: 3, file: outcome.file, options: { packDir: PACK_DIR, config: {}, tags: {} }, outcomes: dir };
            const message = sendableOutcome(task, outcome);
            assert.strictEqual(message.type, "outcome-file");
            const written = fs.readdirSync(dir).map(f => fs.readFileSync(path.join(dir, f)));
            assert.strictEqual(written.length, 1);
            assert.ok(!written[0].includes(Buffer.from(secretText)), "no secret value in the file");
            assert.ok(JSON.stringify(message).includes(secretText), "the secrets come with the message");
            const back = receivedOutcome(message as Extract<typeof message, { type: "outcome-file" }>, outcome.result.policies);
            assert.deepStrictEqual(back, outcome);
            assert.deepStrictEqual(fs.readdirSync(dir), [], "the file is removed once read");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("never goes to a file while a secret string of the input is still in it, in Latin-1 or in UTF-16", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "serverless-guard-outcome-test-"));
        try {
            for (const leaked of [secretText, "pässwörd-1234", "密码-secret-1234"]) {
                const d = outcome.result.diagnostics[0];
                const leaky: StackOutcome = {
                    ...outcome,
                    secrets: [...outcome.secrets, leaked],
                    result: { ...outcome.result, diagnostics: [{ ...d, message: `${d.message} (saw ${leaked} here)` }, ...outcome.result.diagnostics.slice(1)] },
                };
                const message = sendableOutcome({ index: 1, file: outcome.file, options: { packDir: PACK_DIR, config: {}, tags: {} }, outcomes: dir }, leaky);
                assert.strictEqual(message.type, "outcome", leaked);
                assert.deepStrictEqual(fs.readdirSync(dir), []);
                assert.deepStrictEqual(receivedOutcome(message as Extract<typeof message, { type: "outcome" }>, outcome.result.policies), leaky);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("goes through the pipe when there is no directory for it, or the file can't be written", () => {
        const missing = path.join(os.tmpdir(), "serverless-guard-no-such-dir", "x");
        for (const outcomes of [undefined, missing]) {
            const message = sendableOutcome({ index: 0, file: outcome.file, options: { packDir: PACK_DIR, config: {}, tags: {} }, outcomes }, outcome);
            assert.strictEqual(message.type, "outcome");
            assert.deepStrictEqual(receivedOutcome(message as Extract<typeof message, { type: "outcome" }>, outcome.result.policies), outcome);
        }
    });
});

describe("scan: a stack's context as reports get it", () => {
    it("reads the input's text again only when a report asks for it, also once the CLI has added its fields", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "serverless-guard-context-"));
        try {
            const example = fs.readFileSync(path.join(REPO, "examples", "stacks", "aws-insecure.json"), "utf8");
            const files = ["a.json", "b.json"].map(name => path.join(dir, name));
            files.forEach(f => fs.writeFileSync(f, example));
            const scanned = await scanFiles(files, { packDir: PACK_DIR, config: {}, tags: {}, workers: 1 });
            assert.strictEqual(scanned.stacks.length, 2);
            const ctx = extendContext(scanned.stacks[0].ctx, { tool: "serverless-guard", sourceRoot: "src" });
            assert.deepStrictEqual([ctx.tool, ctx.sourceRoot, ctx.inputPath, ctx.stack], ["serverless-guard", "src", files[0], scanned.stacks[0].ctx.stack]);
            // Not kept from the scan, nor read when the context was extended: read when asked.
            const changed = example.replace("{", "{ ");
            fs.writeFileSync(files[0], changed);
            assert.strictEqual(ctx.inputText, changed);
            assert.strictEqual(scanned.stacks[0].ctx.inputText, changed);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
