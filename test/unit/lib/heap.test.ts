import * as assert from "assert";
import * as v8 from "v8";
import { relieveHeap } from "../../../policies/lib/heap";

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

});
