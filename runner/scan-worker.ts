// One worker process of a scan with several inputs (see scanFiles in scan.ts): scans the inputs it is
// handed, one at a time, and sends each outcome back with the resources as reports need them.
import { PackHolder, readyMessage, reportResource, scanOne, WorkerMessage, WorkerTask } from "./scan";

const send = (m: WorkerMessage) => process.send!(m);

// The pack is loaded first; its policies tell the scan's own process what to check the config against.
try {
    send(readyMessage(process.argv[2]));
} catch (e) {
    send({ type: "fatal", index: -1, error: e instanceof Error ? { name: e.name, message: e.message } : { name: "Error", message: String(e) } });
}

process.on("message", (task: WorkerTask) => {
    const holder = new PackHolder(task.options.packDir);
    scanOne(task.file, { ...task.options, workers: 1, onInput: (_, input) => send({ type: "input", index: task.index, input: { ...input, resources: input.resources.map(reportResource) } }) }, holder, false)
        .then(outcome => {
            send({
                type: "outcome", index: task.index,
                outcome: "ctx" in outcome ? { ...outcome, ctx: { ...outcome.ctx, resources: outcome.ctx.resources.map(reportResource), inputText: undefined } } : outcome,
            });
            return holder.close();
        })
        .catch((e: unknown) => {
            const error = e instanceof Error ? { name: e.name, message: e.message } : { name: "Error", message: String(e) };
            send({ type: "fatal", index: task.index, error });
            return holder.close();
        });
});

process.on("disconnect", () => process.exit(0));
