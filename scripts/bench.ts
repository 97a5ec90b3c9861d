// `npm run bench`: start-up, per-resource Analyze latency, AnalyzeStack time and memory at scale,
// install footprint and a large scan, for this pack side by side with a floor pack (one trivial policy
// on the same @pulumi/policy and @pulumi/pulumi). Prints a table with PASS/MISS per target and writes
// bench-results/latest.json. Only Node's own timers, /proc and /usr/bin/time are used.
//
//   node bin/scripts/bench.js [--quick] [--profile] [--no-profile] [--skip-install] [--skip-scan]
//                             [--sizes 1000,5000,50000] [--reps N] [--stack-reps N] [--scan-size N] [--out file]
//                             [--shared-names | --only-shared-names] [--stack-only]
//                             [--only scan|scan-workers|install] [--scan-stacks N] [--scan-stack-size N] [--workers N]
//
// --stack-reps N: AnalyzeStack runs per size (default 3, --quick 1), sizes interleaved; the table
// shows the median wall and CPU time and the highest peak RSS.
// --shared-names: also run AnalyzeStack on stacks whose copies share their names, ids and emails
// (--only-shared-names: only those). --stack-only: skip start-up, Analyze, install and scan.
// The scan-workers case scans an org-wide audit's worth of stack exports in one `serverless-guard scan`
// (100 stacks of 500 resources, 50,000 in all; --quick 20), with one process and with --workers N
// (default: the machine's CPUs), runs interleaved (--scan-reps, default 3, --quick 1; the median
// counts), and reports resources per second and the CPU time they took; --only scan-workers runs just that case, --only scan the large scan (--scan-size, default
// 50,000 resources, against its floor) and that case. --only install runs just the install measurement:
// the tarball `pulumi policy publish` makes, installed as the CLI and the language host install it.
// --quick: no 50,000-resource run, fewer repetitions, a smaller scan. --profile: always profile (CPU
// and allocations of an AnalyzeStack call, heap per stack policy, start-up); otherwise profiles are
// taken only for a missed target, unless --no-profile.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { definitions } from "../policies/registry";
import { EngineResource } from "../runner/engine";
import { defaultWorkers } from "../runner/scan";
import { generateResources, loadTemplates, Template, toStackExport } from "./bench/generate";
import { cpuMs, createFloorPack, createShapeFloorPack, installFootprint, machine, measureScan, measureScanFloor, RunningPack, ScanMeasurement, startConfigured, timeStartup, vmHwmMiB } from "./bench/measure";
import { formatProfileSummary, summarizeCpuProfile, summarizeHeapProfile } from "./bench/profile";
import { BenchResults, evaluateTargets, formatReport, formatMiB, formatMs, formatScanWorkers, StackRun, summarize } from "./bench/report";

const REPO = path.resolve(__dirname, "..", "..");

interface Options {
    quick: boolean;
    profile: "always" | "on-miss" | "never";
    install: boolean;
    scan: boolean;
    sizes: number[];
    reps?: number;
    stackReps?: number;
    scanSize: number;
    out: string;
    sharedNames: "no" | "also" | "only";
    stackOnly: boolean;
    only?: "scan" | "scan-workers" | "install";
    scanStacks: number;
    scanStackSize: number;
    scanReps?: number;
    workers: number;
}

class UsageError extends Error {}

/** Runs of one stack size: the median wall and CPU time, the highest peak RSS. */
function combineStackRuns(runs: StackRun[]): StackRun {
    const median = (values: (number | undefined)[]) => {
        const known = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
        return known.length ? known[Math.floor((known.length - 1) / 2)] : undefined;
    };
    const rss = runs.map(r => r.peakRssMiB).filter((v): v is number => v !== undefined);
    return {
        resources: runs[0].resources,
        wallMs: median(runs.map(r => r.wallMs))!,
        packCpuMs: median(runs.map(r => r.packCpuMs)),
        peakRssMiB: rss.length ? Math.max(...rss) : undefined,
        diagnostics: runs[0].diagnostics,
        ...(runs.length > 1 ? { runs: runs.length, wallMsRuns: runs.map(r => r.wallMs) } : {}),
    };
}

function parseArgs(argv: string[]): Options {
    const o: Options = {
        quick: false, profile: "on-miss", install: true, scan: true, sizes: [], scanSize: 0, out: path.join(REPO, "bench-results", "latest.json"),
        scanStacks: 0, scanStackSize: 0, workers: defaultWorkers(), sharedNames: "no", stackOnly: false,
    };
    let scanStacks: number | undefined;
    let scanStackSize: number | undefined;
    let out = false;
    let sizes: number[] | undefined;
    let scanSize: number | undefined;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = () => {
            if (i + 1 >= argv.length) { throw new UsageError(`${a} needs a value`); }
            return argv[++i];
        };
        switch (a) {
            case "--quick": o.quick = true; break;
            case "--profile": o.profile = "always"; break;
            case "--no-profile": o.profile = "never"; break;
            case "--skip-install": o.install = false; break;
            case "--skip-scan": o.scan = false; break;
            case "--sizes": sizes = value().split(",").map(s => Number(s.replace(/_/g, ""))); break;
            case "--reps": o.reps = Number(value()); break;
            case "--stack-reps": o.stackReps = Number(value()); break;
            case "--scan-size": scanSize = Number(value()); break;
            case "--out": o.out = path.resolve(value()); out = true; break;
            case "--shared-names": o.sharedNames = "also"; break;
            case "--only-shared-names": o.sharedNames = "only"; break;
            case "--stack-only": o.stackOnly = true; o.install = false; o.scan = false; break;
            case "--only": {
                const v = value();
                if (v !== "scan" && v !== "scan-workers" && v !== "install") { throw new UsageError(`--only takes scan, scan-workers or install, not ${v}`); }
                o.only = v;
                break;
            }
            case "--scan-stacks": scanStacks = Number(value()); break;
            case "--scan-stack-size": scanStackSize = Number(value()); break;
            case "--workers": o.workers = Number(value()); break;
            case "--scan-reps": o.scanReps = Number(value()); break;
            default: throw new UsageError(`unknown option ${a}`);
        }
    }
    o.sizes = sizes ?? (o.quick ? [1000, 5000] : [1000, 5000, 50000]);
    o.scanSize = scanSize ?? (o.quick ? 2000 : 50000);
    if (o.only && !out) {
        o.out = path.join(REPO, "bench-results", `${o.only}.json`);
    }
    o.scanStacks = scanStacks ?? (o.quick ? 20 : 100);
    o.scanStackSize = scanStackSize ?? 500;
    if (![o.scanStacks, o.scanStackSize, o.workers, o.stackReps ?? 1, o.reps ?? 1, o.scanReps ?? 1].every(n => Number.isInteger(n) && n > 0)) {
        throw new UsageError("--reps, --stack-reps, --scan-stacks, --scan-stack-size, --scan-reps and --workers take positive integers");
    }
    if (o.sizes.some(n => !Number.isInteger(n) || n <= 0) || !Number.isInteger(o.scanSize) || o.scanSize < 0) {
        throw new UsageError("sizes must be positive integers");
    }
    return o;
}

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

function sdkVersions(): Record<string, string> {
    const v = (name: string) => String(JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`, { paths: [REPO] }), "utf8")).version).replace(/^v/, "");
    return { "@pulumi/policy": v("@pulumi/policy"), "@pulumi/pulumi": v("@pulumi/pulumi") };
}

async function measureStartup(floorDir: string, reps: number): Promise<BenchResults["startup"]> {
    log(`start-up: 1 warm-up + ${reps} interleaved runs per pack`);
    await timeStartup(REPO);
    await timeStartup(floorDir);
    const pack: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < reps; i++) {
        // Alternate the order so that neither pack always runs right after the other.
        if (i % 2 === 0) {
            pack.push(await timeStartup(REPO));
            floor.push(await timeStartup(floorDir));
        } else {
            floor.push(await timeStartup(floorDir));
            pack.push(await timeStartup(REPO));
        }
    }
    return { pack: summarize(pack), floor: summarize(floor) };
}

async function measureAnalyze(floorDir: string, shapeDir: string, tmp: string, mix: EngineResource[], rounds: number): Promise<BenchResults["analyze"]> {
    log(`Analyze: ${mix.length} resources x ${rounds} rounds on this pack, the floor pack and the same-shape floor pack, interleaved`);
    const packs = [await startConfigured(REPO, tmp), await startConfigured(floorDir, tmp), await startConfigured(shapeDir, tmp)];
    try {
        for (let w = 0; w < 2; w++) {
            for (const r of mix) {
                for (const p of packs) {
                    await p.pack.analyze(r);
                }
            }
        }
        const samples: number[][] = packs.map(() => []);
        for (let round = 0; round < rounds; round++) {
            for (const [i, r] of mix.entries()) {
                // Rotate the order so that no pack always runs first.
                for (let k = 0; k < packs.length; k++) {
                    const which = (i + round + k) % packs.length;
                    const t = process.hrtime.bigint();
                    await packs[which].pack.analyze(r);
                    samples[which].push(Number(process.hrtime.bigint() - t) / 1e6);
                }
            }
        }
        const resourcePolicies = definitions.filter(d => d.kind === "resource");
        return {
            resources: mix.length,
            pack: summarize(samples[0]),
            floor: summarize(samples[1]),
            shapeFloor: summarize(samples[2]),
            policies: definitions.length,
            multiType: resourcePolicies.filter(d => d.resourceTypes.length > 1).length,
        };
    } finally {
        for (const p of packs) {
            await p.pack.close();
        }
    }
}

interface PolicyMemoryRecord { policy: string; phase: string; heapUsedMiB: number; rssMiB: number; vmHwmMiB: number }

function readJsonLines<T>(file: string): T[] {
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map(l => JSON.parse(l) as T) : [];
}

async function measureStack(resources: EngineResource[], tmp: string, env: NodeJS.ProcessEnv = {}): Promise<StackRun & { memory: PolicyMemoryRecord[] }> {
    const memoryFile = path.join(tmp, `policy-memory-${resources.length}-${Date.now()}.jsonl`);
    const p = await startConfigured(REPO, tmp, { BENCH_POLICY_MEMORY: memoryFile, ...env });
    try {
        const cpu0 = cpuMs(p.pid);
        const t = process.hrtime.bigint();
        const result = await p.pack.analyzeStack(resources);
        const wallMs = Number(process.hrtime.bigint() - t) / 1e6;
        const cpu1 = cpuMs(p.pid);
        return {
            resources: resources.length,
            wallMs,
            packCpuMs: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined,
            peakRssMiB: vmHwmMiB(p.pid),
            diagnostics: result.diagnostics.length,
            memory: readJsonLines<PolicyMemoryRecord>(memoryFile),
        };
    } finally {
        await p.pack.close();
    }
}

function describeMemory(memory: PolicyMemoryRecord[]): string[] {
    const before = memory.filter(m => m.phase === "before");
    if (before.length === 0) {
        return [];
    }
    const first = before[0];
    const last = memory[memory.length - 1];
    return [
        `heap used when the first stack policy starts: ${first.heapUsedMiB} MiB (RSS ${first.rssMiB} MiB); after the last: ${last.heapUsedMiB} MiB (RSS ${last.rssMiB} MiB, peak ${last.vmHwmMiB} MiB)`,
        ...before.map(m => `  ${m.policy.padEnd(42)} heap ${String(m.heapUsedMiB).padStart(5)} MiB  rss ${String(m.rssMiB).padStart(5)} MiB`),
    ];
}

async function profileStack(resources: EngineResource[], tmp: string, outDir: string): Promise<string[]> {
    const cpuDir = path.join(outDir, "cpu");
    const heapDir = path.join(outDir, "heap");
    fs.rmSync(outDir, { recursive: true, force: true });
    log(`profiling AnalyzeStack on ${resources.length} resources (CPU and sampled allocations)`);
    await measureStack(resources, tmp, { BENCH_CPU_PROFILE: cpuDir, BENCH_HEAP_PROFILE: heapDir });
    const lines: string[] = [];
    for (const f of fs.existsSync(cpuDir) ? fs.readdirSync(cpuDir) : []) {
        lines.push(formatProfileSummary(`CPU of the pack process (start-up + configure + AnalyzeStack ${resources.length}), ${path.join(cpuDir, f)}`, summarizeCpuProfile(path.join(cpuDir, f))));
    }
    for (const f of fs.existsSync(heapDir) ? fs.readdirSync(heapDir) : []) {
        lines.push(formatProfileSummary(`bytes allocated by the pack process, ${path.join(heapDir, f)}`, summarizeHeapProfile(path.join(heapDir, f))));
    }
    return lines;
}

async function profileStartup(floorDir: string, tmp: string, outDir: string): Promise<string[]> {
    const lines: string[] = [];
    for (const [label, dir] of [["this pack", REPO], ["floor pack", floorDir]] as const) {
        const cpuDir = path.join(outDir, "startup", label.replace(" ", "-"));
        fs.rmSync(cpuDir, { recursive: true, force: true });
        const p = await startConfigured(dir, tmp, { BENCH_CPU_PROFILE: cpuDir });
        await p.pack.close();
        for (const f of fs.existsSync(cpuDir) ? fs.readdirSync(cpuDir) : []) {
            lines.push(formatProfileSummary(`start-up CPU of ${label}, ${path.join(cpuDir, f)}`, summarizeCpuProfile(path.join(cpuDir, f), 8)));
        }
    }
    return lines;
}

/**
 * Several stack exports in one scan: with one pack process, then with `workers`. Each export is its
 * own stack (stack policies need a whole stack in one process), so the processes share the stacks.
 */
async function measureScanWorkers(o: Options, templates: Template[], tmp: string): Promise<NonNullable<BenchResults["scanWorkers"]>> {
    const dir = path.join(tmp, "stacks");
    fs.mkdirSync(dir, { recursive: true });
    for (let i = 0; i < o.scanStacks; i++) {
        fs.writeFileSync(path.join(dir, `stack-${String(i).padStart(3, "0")}.json`), JSON.stringify(toStackExport(generateResources(o.scanStackSize, templates))));
    }
    const resources = o.scanStacks * o.scanStackSize;
    const counts = [...new Set([1, Math.min(o.workers, o.scanStacks)])];
    const samples = new Map<number, ScanMeasurement[]>(counts.map(w => [w, []]));
    const reps = o.scanReps ?? (o.quick ? 1 : 3);
    // The bound for --workers on this machine: the same stacks split between that many scans of one
    // process each, run at once, with nothing to coordinate (no outcomes sent, no report put together).
    const most = counts[counts.length - 1];
    const parts = most > 1 ? Array.from({ length: most }, (_, i) => path.join(tmp, `part-${i}`)) : [];
    parts.forEach((part, i) => {
        fs.mkdirSync(part, { recursive: true });
        fs.readdirSync(dir).filter((_, k) => k % most === i).forEach(f => fs.copyFileSync(path.join(dir, f), path.join(part, f)));
    });
    const independent: { wallMs: number; cpuMs?: number }[] = [];
    // Worker counts interleaved, so that a change in the machine's load falls on all of them alike.
    for (let rep = 0; rep < reps; rep++) {
        for (const workers of counts) {
            log(`scan: ${o.scanStacks} stack exports of ${o.scanStackSize.toLocaleString("en-US")} resources with --workers ${workers}${reps > 1 ? ` (run ${rep + 1} of ${reps})` : ""}`);
            const m = await measureScan(REPO, [dir], tmp, ["--workers", String(workers)]);
            samples.get(workers)!.push(m);
            log(`  ${formatMs(m.wallMs)}, ${(resources / (m.wallMs / 1000)).toFixed(0)} resources/s${m.cpuMs !== undefined ? `, CPU ${formatMs(m.cpuMs)}` : ""}`);
        }
        if (parts.length > 0) {
            log(`scan: the same stacks split between ${parts.length} independent scans of one process, at once${reps > 1 ? ` (run ${rep + 1} of ${reps})` : ""}`);
            const ms = await Promise.all(parts.map(part => {
                const own = `${part}-files`;
                fs.mkdirSync(own, { recursive: true });
                return measureScan(REPO, [part], own, ["--workers", "1"]);
            }));
            const cpu = ms.every(m => m.cpuMs !== undefined) ? ms.reduce((n, m) => n + m.cpuMs!, 0) : undefined;
            independent.push({ wallMs: Math.max(...ms.map(m => m.wallMs)), cpuMs: cpu });
            log(`  ${formatMs(independent[independent.length - 1].wallMs)}${cpu !== undefined ? `, CPU ${formatMs(cpu)}` : ""}`);
        }
    }
    const runs: NonNullable<BenchResults["scanWorkers"]>["runs"] = counts.map(workers => {
        const ms = samples.get(workers)!;
        const m = [...ms].sort((a, b) => a.wallMs - b.wallMs)[(ms.length - 1) >> 1];
        const most = (pick: (x: ScanMeasurement) => number | undefined) => {
            const values = ms.map(pick).filter((v): v is number => v !== undefined);
            return values.length ? Math.max(...values) : undefined;
        };
        return {
            workers, wallMs: m.wallMs, cpuMs: m.cpuMs,
            peakRssMiB: Math.max(most(x => x.cliPeakRssMiB) ?? 0, most(x => x.workerPeakRssMiB) ?? 0, most(x => x.packPeakRssMiB) ?? 0) || most(x => x.peakRssMiB),
            cliPeakRssMiB: most(x => x.cliPeakRssMiB), workerPeakRssMiB: most(x => x.workerPeakRssMiB), packPeakRssMiB: most(x => x.packPeakRssMiB),
            exitCode: ms.find(x => x.exitCode !== 0)?.exitCode ?? 0,
            ...(ms.length > 1 ? { wallMsRuns: ms.map(x => x.wallMs) } : {}),
        };
    });
    const bound = [...independent].sort((a, b) => a.wallMs - b.wallMs)[(independent.length - 1) >> 1];
    return { stacks: o.scanStacks, resources, runs, ...(bound ? { independent: { processes: parts.length, ...bound } } : {}) };
}

/**
 * One large stack export through `serverless-guard scan --format json --output`, stderr not a
 * terminal (as in CI), with the scan floor measured before and after it.
 */
async function measureLargeScan(o: Options, templates: Template[], tmp: string, results: BenchResults): Promise<void> {
    log(`scan: ${o.scanSize.toLocaleString("en-US")}-resource stack export through bin/runner/cli.js`);
    const file = path.join(tmp, `stack-${o.scanSize}.json`);
    fs.writeFileSync(file, JSON.stringify(toStackExport(generateResources(o.scanSize, templates))));
    // The floor before and after the scan, so that a change in the machine's load falls on both.
    const loadBefore = os.loadavg()[0];
    const floorBefore = measureScanFloor(file);
    const scan = await measureScan(REPO, file, tmp);
    const floorAfter = measureScanFloor(file);
    results.scan = {
        resources: o.scanSize, wallMs: scan.wallMs, peakRssMiB: scan.peakRssMiB, packPeakRssMiB: scan.packPeakRssMiB, cliPeakRssMiB: scan.cliPeakRssMiB, via: scan.via, exitCode: scan.exitCode,
        floorWallMs: (floorBefore.wallMs + floorAfter.wallMs) / 2, loadAverage: (loadBefore + os.loadavg()[0]) / 2,
        progressLines: scan.progressLines, longestSilenceMs: scan.longestSilenceMs,
    };
    log(`  ${formatMs(scan.wallMs)} (floor ${formatMs(results.scan.floorWallMs)}), peak RSS ${formatMiB(scan.peakRssMiB)}, ${scan.progressLines} progress lines`);
    if (scan.exitCode !== 0) {
        results.notes.push(`scan exited with ${scan.exitCode}: ${scan.stderr.split("\n").filter(l => /error/i.test(l)).slice(0, 2).join(" / ")}`);
    }
}

async function main(): Promise<number> {
    const o = parseArgs(process.argv.slice(2));
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "serverless-guard-bench-"));
    const outDir = path.dirname(o.out);
    fs.mkdirSync(outDir, { recursive: true });
    const m = machine();
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { name: string; version: string };
    const results: BenchResults = {
        meta: {
            date: new Date().toISOString(), mode: o.quick ? "quick" : "full", node: process.version, platform: m.platform, cpus: m.cpus, memoryGiB: m.memoryGiB,
            pack: `${pkg.name}@${pkg.version}`,
            policies: { resource: definitions.filter(d => d.kind === "resource").length, stack: definitions.filter(d => d.kind === "stack").length },
            sdk: sdkVersions(),
        },
        stack: [],
        notes: [],
    };
    const extra: Record<string, unknown> = {};
    const profiles: string[] = [];
    try {
        const templates = loadTemplates(REPO);
        if (o.only === "install") {
            measureInstall(results, tmp);
            process.stdout.write(formatReport(results, evaluateTargets(results).filter(t => t.id.startsWith("install"))));
            fs.writeFileSync(o.out, JSON.stringify(results, null, 2) + "\n");
            process.stdout.write(`\nresults written to ${path.relative(process.cwd(), o.out) || o.out}\n`);
            return 0;
        }
        if (o.only === "scan") {
            if (o.scanSize > 0) {
                await measureLargeScan(o, templates, tmp, results);
            }
            results.scanWorkers = await measureScanWorkers(o, templates, tmp);
            const targets = evaluateTargets(results).filter(t => t.id.startsWith("scan"));
            process.stdout.write(formatReport(results, targets));
            fs.writeFileSync(o.out, JSON.stringify({ ...results, targets }, null, 2) + "\n");
            process.stdout.write(`\nresults written to ${path.relative(process.cwd(), o.out) || o.out}\n`);
            return 0;
        }
        if (o.only === "scan-workers") {
            results.scanWorkers = await measureScanWorkers(o, templates, tmp);
            process.stdout.write(formatScanWorkers(results.scanWorkers).join("\n") + "\n");
            fs.writeFileSync(o.out, JSON.stringify(results, null, 2) + "\n");
            process.stdout.write(`\nresults written to ${path.relative(process.cwd(), o.out) || o.out}\n`);
            return 0;
        }
        const floorDir = createFloorPack(REPO, tmp);
        const mix = templates.flatMap(t => t.resources);
        log(`templates: ${templates.map(t => `${t.source} (${t.resources.length})`).join(", ")}`);

        if (!o.stackOnly) {
            results.startup = await measureStartup(floorDir, o.reps ?? (o.quick ? 5 : 15));
            const shapeDir = createShapeFloorPack(REPO, tmp, definitions.map(d => ({ name: d.meta.name, kind: d.kind, types: d.resourceTypes })));
            results.analyze = await measureAnalyze(floorDir, shapeDir, tmp, mix, o.reps ?? (o.quick ? 5 : 20));
        }

        const memory: Record<number, PolicyMemoryRecord[]> = {};
        const variants = o.sharedNames === "only" ? [true] : o.sharedNames === "also" ? [false, true] : [false];
        const stackReps = o.stackReps ?? (o.quick ? 1 : 3);
        for (const sharedNames of variants) {
            const what = (n: number) => `${n.toLocaleString("en-US")} resources${sharedNames ? " sharing names" : ""}`;
            const stacks = o.sizes.map(n => {
                log(`AnalyzeStack: generating ${what(n)}`);
                return generateResources(n, templates, { sharedNames });
            });
            const samples: StackRun[][] = o.sizes.map(() => []);
            // Sizes interleaved, so that a change in the machine's load falls on all of them alike.
            for (let rep = 0; rep < stackReps; rep++) {
                for (const [i, n] of o.sizes.entries()) {
                    log(`AnalyzeStack: ${what(n)}${stackReps > 1 ? ` (run ${rep + 1} of ${stackReps})` : ""}`);
                    const run = await measureStack(stacks[i], tmp);
                    if (!sharedNames && rep === 0) {
                        memory[n] = run.memory;
                    }
                    const { memory: _, ...stackRun } = run;
                    samples[i].push(stackRun);
                    log(`  ${formatMs(run.wallMs)}, peak RSS ${formatMiB(run.peakRssMiB)}`);
                }
            }
            const runs = samples.map(combineStackRuns);
            for (const [i, n] of o.sizes.entries()) {
                const counts = new Set(samples[i].map(r => r.diagnostics));
                if (counts.size > 1) {
                    results.notes.push(`AnalyzeStack on ${what(n)} gave different numbers of findings across runs: ${[...counts].join(", ")}`);
                }
            }
            if (sharedNames) {
                results.sharedNames = runs;
            } else {
                results.stack = runs;
            }
        }
        extra.stackPolicyMemory = memory;

        if (o.install) {
            measureInstall(results, tmp, extra);
        }

        if (o.scan && o.scanSize > 0) {
            await measureLargeScan(o, templates, tmp, results);
        }

        if (o.scan) {
            results.scanWorkers = await measureScanWorkers(o, templates, tmp);
        }

        const targets = evaluateTargets(results);
        const missed = new Set(targets.filter(t => t.status === "MISS").map(t => t.id));
        const profile = (id: string) => o.profile === "always" || (o.profile === "on-miss" && missed.has(id as never));
        const profileDir = path.join(outDir, "profiles");
        if (profile("startup")) {
            profiles.push(...await profileStartup(floorDir, tmp, profileDir));
        }
        if (profile("stack-scaling") || profile("stack-memory") || profile("analyze")) {
            const n = o.quick ? 1000 : 5000;
            profiles.push(...await profileStack(generateResources(n, templates), tmp, profileDir));
        }
        const largest = Math.max(...o.sizes);
        if (profile("stack-memory") && memory[largest]?.length) {
            log(`AnalyzeStack: ${largest.toLocaleString("en-US")} resources again, with a full GC before each stack policy (live set)`);
            const gcRun = await measureStack(generateResources(largest, templates), tmp, { BENCH_GC_BETWEEN_POLICIES: "1" });
            extra.stackPolicyMemoryWithGc = { [largest]: gcRun.memory, peakRssMiB: gcRun.peakRssMiB, wallMs: gcRun.wallMs };
            profiles.push([
                `heap per stack policy, AnalyzeStack ${largest}, as measured:`,
                ...describeMemory(memory[largest]),
                `same call with a full GC before each stack policy (live set): peak RSS ${formatMiB(gcRun.peakRssMiB)}, wall ${formatMs(gcRun.wallMs)}`,
                ...describeMemory(gcRun.memory),
            ].join("\n"));
        }

        const report = formatReport(results, targets);
        process.stdout.write(report);
        if (profiles.length > 0) {
            process.stdout.write(`\nprofiles (raw files under ${path.relative(REPO, profileDir)}):\n${profiles.join("\n\n")}\n`);
        }
        fs.writeFileSync(o.out, JSON.stringify({ ...results, targets, extra, profiles }, null, 2) + "\n");
        process.stdout.write(`\nresults written to ${path.relative(process.cwd(), o.out) || o.out}\n`);
        return 0;
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

/** The install Pulumi runs for the published pack, against the floor (see installFootprint). */
function measureInstall(results: BenchResults, tmp: string, extra: Record<string, unknown> = {}): void {
    log("install: npm pack as pulumi policy publish runs it, extracted as the CLI does, the language host's npm install (empty, then filled npm cache) vs the floor");
    try {
        const { tarballKiB, ...inst } = installFootprint(REPO, tmp);
        results.install = inst;
        extra.tarballKiB = tarballKiB;
        if (inst.versions["pack:@pulumi/pulumi"] !== inst.versions["floor:@pulumi/pulumi"] || inst.versions["pack:@pulumi/policy"] !== inst.versions["floor:@pulumi/policy"]) {
            results.notes.push(`the installed pack's SDK versions differ from the floor's (the lockfile's): ${JSON.stringify(inst.versions)}`);
        }
    } catch (e) {
        results.notes.push(`install footprint not measured: ${(e as Error).message.split("\n")[0]}`);
    }
}

if (require.main === module) {
    main().then(code => { process.exitCode = code; }, e => {
        // A bad option is the user's to fix; anything else may be ours, so it keeps its stack.
        const message = e instanceof UsageError ? `${e.message} (options are listed at the top of scripts/bench.ts)` : e instanceof Error ? e.stack ?? e.message : String(e);
        process.stderr.write(`bench failed: ${message}\n`);
        process.exitCode = e instanceof UsageError ? 2 : 1;
    });
}
