// Keeps the pack's peak memory near the SDK's own floor on large stacks.
//
// @pulumi/policy builds new wrappers (options, dependency lists, closures) of every resource of an
// AnalyzeStack request for each stack policy, one policy after the other without yielding to the
// event loop. They are garbage once their policy returns, but V8 grows the old generation by up to 4x
// before its next full collection, so on a 50,000-resource stack the discarded sets pile up (about
// 40 MiB each). Before a stack policy runs we therefore collect once the heap has grown by a margin
// over the live set measured at the previous collection; small stacks never reach the margin and pay
// nothing. The first stack policy of a large request collects the protobuf form of the properties,
// which the first read released (see shared-properties.ts): over half of the decoded request.
import * as v8 from "v8";
import * as vm from "vm";

/** Growth over the last measured live set that triggers a collection: the larger of the two. */
const MIN_GROWTH_BYTES = 160 * 1024 * 1024;
const GROWTH_FRACTION = 0.25;

let collect: (() => void) | null | undefined;
let liveAfterLastCollection = 0;
/** The heap in use when the current in-process run started (0 under the analyzer protocol). */
let heapAtRunStart = 0;

function collector(): (() => void) | null {
    if (collect === undefined) {
        try {
            const exposed = (globalThis as { gc?: () => void }).gc;
            if (typeof exposed === "function") {
                collect = exposed;
            } else {
                v8.setFlagsFromString("--expose-gc");
                const fn = vm.runInNewContext("gc") as unknown;
                collect = typeof fn === "function" ? (fn as () => void) : null;
            }
        } catch {
            collect = null;
        }
    }
    return collect;
}

/**
 * A scan analyzes stack after stack in one process: the garbage of the stacks before is V8's to
 * collect, so growth counts from the start of this stack's run. A forced collection between them
 * also throws away optimized code that refers to objects of earlier stacks (about 25 functions
 * recompiled each time, measured with --trace-deopt), which V8's own collections leave alone.
 */
export function runStarting(): void {
    heapAtRunStart = v8.getHeapStatistics().used_heap_size;
}

/** Collects garbage if the heap has grown well beyond the live set; returns whether it did. */
export function relieveHeap(): boolean {
    const used = v8.getHeapStatistics().used_heap_size;
    const base = Math.max(liveAfterLastCollection, heapAtRunStart);
    const margin = Math.max(MIN_GROWTH_BYTES, base * GROWTH_FRACTION);
    if (used < base + margin) {
        return false;
    }
    const gc = collector();
    if (!gc) {
        return false;
    }
    gc();
    liveAfterLastCollection = v8.getHeapStatistics().used_heap_size;
    return true;
}
