// One worker process of a scan with several inputs (see scanFiles in scan.ts): scans the inputs it is
// handed, one at a time, and sends each outcome back with the resources as reports need them.
import { tuneForBatch } from "./batch-tuning";
import { PackHolder, readyMessage, reportResource, scanOne, sendableOutcome, WorkerMessage, WorkerTask } from "./scan";

tuneForBatch();

const send = (m: WorkerMessage) => process.send!(m);

// The pack is loaded first; its policies tell the scan's own process what to check the config against.
try {
    send(readyMessage(process.argv[2]));
} catch (e) {
    send({ type: "fatal", index: -1, error: e instanceof Error ? { name: e.name, message: e.message } : { name: "Error", message: String(e) } });
}

// Tasks come in ahead of time (so that this process never waits for the busy scan process to hand
// out the next one) and run one after another.
let queue: Promise<void> = Promise.resolve();
process.on("message", (task: WorkerTask) => {
    queue = queue.then(() => run(task));
});

async function run(task: WorkerTask): Promise<void> {
    const holder = new PackHolder(task.options.packDir);
    try {
        const outcome = await scanOne(task.file, { ...task.options, workers: 1, onInput: (_, input) => send({ type: "input", index: task.index, input }) }, holder, false);
        send(sendableOutcome(task, "ctx" in outcome ? { ...outcome, ctx: { ...outcome.ctx, resources: outcome.ctx.resources.map(reportResource), inputText: undefined } } : outcome));
    } catch (e) {
        const error = e instanceof Error ? { name: e.name, message: e.message } : { name: "Error", message: String(e) };
        send({ type: "fatal", index: task.index, error });
    } finally {
        await holder.close();
    }
}

process.on("disconnect", () => process.exit(0));
