// Preloaded into a measured process with NODE_OPTIONS="--require <this file>" (Node 20 refuses
// --cpu-prof and --heap-prof in NODE_OPTIONS, so profiles are taken through the inspector instead).
//   BENCH_PID_FILE=<file>      append {"pid", "script"} at start and {"pid", "script", "vmHwmKb"} at exit
//   BENCH_CPU_PROFILE=<dir>    write a .cpuprofile (Chrome DevTools / speedscope) at exit
//   BENCH_HEAP_PROFILE=<dir>   write a sampling .heapprofile of all allocations (collected ones included) at exit
//   BENCH_POLICY_MEMORY=<file> append heap figures and the time (at, epoch ms) before and after each stack policy of this pack (bin/policies/registry.js)
//   BENCH_GC_BETWEEN_POLICIES=1  with BENCH_POLICY_MEMORY: force a full GC before each stack policy, to measure the live set
// A SIGTERM (how the runner stops a pack) becomes a normal exit so that the files get written.
import * as fs from "fs";
import * as inspector from "inspector";
import * as path from "path";
import * as v8 from "v8";
import * as vm from "vm";

const pidFile = process.env.BENCH_PID_FILE;
const cpuDir = process.env.BENCH_CPU_PROFILE;
const heapDir = process.env.BENCH_HEAP_PROFILE;
const script = process.argv[1] ?? "";
const memoryFile = process.env.BENCH_POLICY_MEMORY;

function vmHwmKb(): number | undefined {
    try {
        const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${process.pid}/status`, "utf8"));
        return m ? Number(m[1]) : undefined;
    } catch {
        return undefined;
    }
}

if (pidFile || cpuDir || heapDir) {
    if (pidFile) {
        fs.appendFileSync(pidFile, JSON.stringify({ pid: process.pid, script }) + "\n");
    }
    const session = cpuDir || heapDir ? new inspector.Session() : undefined;
    if (session) {
        session.connect();
        if (cpuDir) {
            session.post("Profiler.enable");
            session.post("Profiler.setSamplingInterval", { interval: 1000 });
            session.post("Profiler.start");
        }
        if (heapDir) {
            session.post("HeapProfiler.enable");
            session.post("HeapProfiler.startSampling", {
                samplingInterval: 64 * 1024,
                includeObjectsCollectedByMajorGC: true,
                includeObjectsCollectedByMinorGC: true,
            } as object);
        }
    }
    let done = false;
    const finish = () => {
        if (done) {
            return;
        }
        done = true;
        const base = `${path.basename(script).replace(/\W+/g, "_") || "node"}-${process.pid}`;
        // Same-thread inspector sessions answer synchronously, so this works inside an exit handler.
        if (session && cpuDir) {
            session.post("Profiler.stop", (err, res) => {
                if (!err) {
                    fs.mkdirSync(cpuDir, { recursive: true });
                    fs.writeFileSync(path.join(cpuDir, `${base}.cpuprofile`), JSON.stringify(res.profile));
                }
            });
        }
        if (session && heapDir) {
            session.post("HeapProfiler.stopSampling", (err, res) => {
                if (!err) {
                    fs.mkdirSync(heapDir, { recursive: true });
                    fs.writeFileSync(path.join(heapDir, `${base}.heapprofile`), JSON.stringify(res.profile));
                }
            });
        }
        if (pidFile) {
            fs.appendFileSync(pidFile, JSON.stringify({ pid: process.pid, script, vmHwmKb: vmHwmKb() }) + "\n");
        }
    };
    process.on("exit", finish);
    process.on("SIGTERM", () => {
        finish();
        process.exit(0);
    });
}

interface StackPolicyLike { kind: string; meta: { name: string }; policy: { validateStack?: (...a: unknown[]) => unknown } }

if (memoryFile) {
    const registry = path.join(process.cwd(), "bin", "policies", "registry.js");
    if (fs.existsSync(registry)) {
        let gc: (() => void) | undefined;
        if (process.env.BENCH_GC_BETWEEN_POLICIES) {
            v8.setFlagsFromString("--expose-gc");
            gc = vm.runInNewContext("gc") as () => void;
        }
        const mib = (n: number) => Math.round(n / 1048576);
        const record = (policy: string, phase: string) => {
            const m = process.memoryUsage();
            fs.appendFileSync(memoryFile, JSON.stringify({ policy, phase, at: Date.now(), rssMiB: mib(m.rss), heapUsedMiB: mib(m.heapUsed), heapTotalMiB: mib(m.heapTotal), vmHwmMiB: Math.round((vmHwmKb() ?? 0) / 1024) }) + "\n");
        };
        // The pack's index.js requires the same module instance, so the server runs the wrapped functions.
        const { definitions } = require(registry) as { definitions: StackPolicyLike[] };
        for (const d of definitions) {
            const original = d.policy.validateStack;
            if (d.kind !== "stack" || !original) {
                continue;
            }
            d.policy.validateStack = function (this: unknown, ...args: unknown[]) {
                if (gc) {
                    gc();
                }
                record(d.meta.name, "before");
                try {
                    return original.apply(this, args);
                } finally {
                    record(d.meta.name, "after");
                }
            };
        }
    }
}
