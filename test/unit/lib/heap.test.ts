import * as assert from "assert";
import * as v8 from "v8";
import { relieveHeap, runStarting } from "../../../policies/lib/heap";

describe("heap relief between stack policies", () => {
    it("collects once the heap has grown by the margin, and only then", () => {
        relieveHeap(); // whatever this process had piled up, so that the baseline is its live set
        let garbage: unknown[] | undefined = [];
        for (let i = 0; i < 4_000_000; i++) {
            garbage.push({ i, s: `value-${i}` });
        }
        garbage = undefined;
        const grown = v8.getHeapStatistics().used_heap_size;
        assert.strictEqual(relieveHeap(), true, `heap at ${Math.round(grown / 1048576)} MiB was not collected`);
        assert.ok(v8.getHeapStatistics().used_heap_size < grown - 128 * 1024 * 1024, "the collection freed the garbage");
        assert.strictEqual(relieveHeap(), false, "no growth since the last collection, so no second one");
    });

    it("in a scan, counts growth from the start of this stack's run: what earlier stacks left is V8's to collect", () => {
        relieveHeap();
        const pile = () => {
            const out: unknown[] = [];
            for (let i = 0; i < 4_000_000; i++) {
                out.push({ i, s: `value-${i}` });
            }
            return out;
        };
        // An earlier stack's garbage, kept alive here so that V8 can't have collected it on its own.
        let earlier: unknown[] | undefined = pile();
        runStarting();
        assert.strictEqual(relieveHeap(), false, "the heap grew before this run, not during it");
        let during: unknown[] | undefined = pile();
        assert.strictEqual(relieveHeap(), true, "grown by the margin during this run");
        earlier = during = undefined;
        assert.strictEqual([earlier, during].filter(Boolean).length, 0);
        runStarting();
    });

});
