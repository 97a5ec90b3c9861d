// V8's optimizing compiler is tuned for programs that run for minutes or days. A scan runs for seconds
// over about a thousand distinct hot functions (the policies and their helpers), and with the defaults
// TurboFan, in background threads, took a third of a scan's CPU (measured with the optimizing compiler
// on the main thread: 2.1 s of 7.5 s on a 50,000-resource stack). With one scan process per core those
// threads take the CPU another process would scan with. Inlining less and optimizing only functions
// that stay hot cut a scan's CPU by 10-15% without making one process slower (`npm run bench`).
import * as v8 from "v8";

/** The flags for this V8: its tier-up counters changed name when Maglev came (V8 12, Node.js 22). */
export function batchFlags(v8Version = process.versions.v8): string[] {
    const major = Number(v8Version.split(".")[0]);
    return [
        "--max-inlined-bytecode-size-cumulative=200",
        major >= 12 ? "--invocation-count-for-turbofan=9000" : "--interrupt-budget=400000",
    ];
}

/** Applies batchFlags to this process: called first thing by the scan's processes, before the pack loads. */
export function tuneForBatch(): void {
    for (const flag of batchFlags()) {
        v8.setFlagsFromString(flag);
    }
}
