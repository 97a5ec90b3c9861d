// Keeps the pack's peak memory near the SDK's own floor on large stacks.
//
// @pulumi/policy builds new wrappers (proxies, options, dependency lists) of every resource of an
// AnalyzeStack request for each stack policy, one policy after the other without yielding to the
// event loop. They are garbage once their policy returns, but V8 grows the old generation by up to 4x
// before its next full collection, so on a 50,000-resource stack the discarded sets pile up (about
// 50 MiB each) on top of the request's own ~560 MiB. Before a stack policy runs we therefore collect
// once the heap has grown by a margin over the live set measured at the previous collection; small
// stacks never reach the margin and pay nothing. After the last stack policy we collect once more on
// a large heap, because the SDK then encodes the response, which for tens of thousands of findings
// takes over 100 MiB of its own: that phase sets the peak, so the margin between policies can be
// wide enough to collect only every third policy or so.
import * as v8 from "v8";
import * as vm from "vm";

/** Growth over the last measured live set that triggers a collection: the larger of the two. */
const MIN_GROWTH_BYTES = 160 * 1024 * 1024;
const GROWTH_FRACTION = 0.25;
/** After the last stack policy: collect if the heap is at least this large, whatever it grew by. */
const FINAL_MIN_HEAP_BYTES = 256 * 1024 * 1024;

let collect: (() => void) | null | undefined;
let liveAfterLastCollection = 0;

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

let finalStackPolicy: string | undefined;

/** Names the stack policy the SDK runs last (the pack's order), after which the response is encoded. */
export function setFinalStackPolicy(name: string | undefined): void {
    finalStackPolicy = name;
}

export function isFinalStackPolicy(name: string): boolean {
    return name === finalStackPolicy;
}

/**
 * Collects garbage if the heap has grown well beyond the live set (or, with `final`, if it is
 * large at all); returns whether it did.
 */
export function relieveHeap(final = false): boolean {
    const used = v8.getHeapStatistics().used_heap_size;
    const margin = Math.max(MIN_GROWTH_BYTES, liveAfterLastCollection * GROWTH_FRACTION);
    if (final ? used < FINAL_MIN_HEAP_BYTES : used < liveAfterLastCollection + margin) {
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
