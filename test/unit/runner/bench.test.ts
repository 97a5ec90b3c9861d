// The benchmark's parts that can be tested without timing: the generated stacks are valid, linked
// resource lists (as AnalyzeStack requests and as stack exports the scanner reads), and the report
// decides PASS/MISS/SKIP and prints its table from given figures.
import * as assert from "assert";
import * as path from "path";
import { generateResources, loadTemplates, toStackExport } from "../../../scripts/bench/generate";
import { BenchResults, evaluateTargets, formatReport, formatScanWorkers, LIMITS, median, resourcesPerSecond, summarize } from "../../../scripts/bench/report";
import { parseInput } from "../../../runner/inputs";
import { toWireValue } from "../../../runner/wire";

const REPO = path.resolve(__dirname, "..", "..", "..", "..");
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const structProto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] }));

describe("benchmark: stack generator", () => {
    const templates = loadTemplates(REPO);
    const templateSize = templates.reduce((n, t) => n + t.resources.length, 0);

    it("uses every example stack, covering AWS, Azure and Google Cloud", () => {
        const types = templates.flatMap(t => t.resources.map(r => r.type));
        for (const cloud of ["aws:", "azure-native:", "gcp:"]) {
            assert.ok(types.some(t => t.startsWith(cloud)), `no ${cloud} resource in the templates`);
        }
    });

    for (const n of [1, 37, templateSize * 2 + 5, 1000]) {
        it(`generates exactly ${n} valid, linked resources`, () => {
            const resources = generateResources(n, templates);
            assert.strictEqual(resources.length, n);
            const urns = new Set(resources.map(r => r.urn));
            assert.strictEqual(urns.size, n, "URNs are unique");
            assert.strictEqual(new Set(resources.map(r => `${r.type}::${r.name}`)).size, n, "names are unique per type");
            for (const r of resources) {
                assert.match(r.urn, /^urn:pulumi:[^:]+::[^:]+::[^:]+(?::[^:]+)*::[^:]+$/);
                assert.ok(r.urn.endsWith(`::${r.type}::${r.name}`), r.urn);
                for (const u of [...(r.dependencies ?? []), ...Object.values(r.propertyDependencies ?? {}).flat(), ...(r.parent ? [r.parent] : [])]) {
                    assert.ok(urns.has(u), `${r.urn} refers to ${u}, which is not in the stack`);
                }
                assert.doesNotThrow(() => structProto.Struct.fromJavaScript(toWireValue(r.props)), r.urn);
            }
            assert.deepStrictEqual(generateResources(n, templates), resources, "deterministic");
        });
    }

    it("keeps links inside each copy and identifiers distinct between copies", () => {
        const resources = generateResources(templateSize * 3, templates);
        const linked = resources.filter(r => Object.keys(r.propertyDependencies ?? {}).length > 0);
        assert.ok(linked.length >= 3 * templates.filter(t => t.resources.some(r => Object.keys(r.propertyDependencies ?? {}).length > 0)).length);
        for (const r of linked) {
            const copy = r.name.split("-").pop();
            for (const u of Object.values(r.propertyDependencies!).flat()) {
                assert.ok(u.endsWith(`-${copy}`), `${r.urn} links to ${u} in another copy`);
            }
        }
        const functionNames = resources.filter(r => r.type === "aws:lambda/function:Function").map(r => r.props.name).filter(v => typeof v === "string");
        assert.ok(functionNames.length >= 3);
        assert.strictEqual(new Set(functionNames).size, functionNames.length, "physical names differ between copies");
    });

    it("keeps every copy's names, ids and emails in a shared-name stack, with URNs and links per copy", () => {
        const distinct = generateResources(1500, templates);
        const shared = generateResources(1500, templates, { sharedNames: true });
        assert.deepStrictEqual(shared.map(r => r.urn), distinct.map(r => r.urn));
        assert.deepStrictEqual(shared.map(r => r.propertyDependencies), distinct.map(r => r.propertyDependencies));
        const names = (list: typeof shared) => list.map(r => r.props.name).filter((n): n is string => typeof n === "string");
        assert.ok(new Set(names(shared)).size < names(shared).length / 3, "copies share their names");
        assert.ok(new Set(names(distinct)).size > 2 * new Set(names(shared)).size, "distinct copies don't");
    });

    it("writes a stack export the scanner reads back with the same resources and links", () => {
        const resources = generateResources(250, templates);
        const parsed = parseInput(JSON.stringify(toStackExport(resources)), "bench.json");
        assert.strictEqual(parsed.format, "stack-export");
        const back = parsed.resources.filter(r => r.type !== "pulumi:pulumi:Stack");
        assert.deepStrictEqual(back.map(r => r.urn), resources.map(r => r.urn));
        assert.deepStrictEqual(back.map(r => r.propertyDependencies), resources.map(r => r.propertyDependencies));
        assert.deepStrictEqual(back.map(r => r.type), resources.map(r => r.type));
    });
});

function results(overrides: Partial<BenchResults> = {}): BenchResults {
    const s = (ms: number) => summarize([ms, ms, ms]);
    return {
        meta: {
            date: "2026-01-01T00:00:00.000Z", mode: "full", node: "v20.0.0", platform: "linux x64", cpus: 2, memoryGiB: 24,
            pack: "serverless-guard@0.1.0", policies: { resource: 80, stack: 10 }, sdk: { "@pulumi/policy": "1.21.0" },
        },
        startup: { pack: s(1250), floor: s(1000) },
        analyze: { resources: 95, pack: s(2), floor: s(1), shapeFloor: s(1.8), policies: 90, multiType: 38 },
        stack: [
            { resources: 1000, wallMs: 700, packCpuMs: 600, peakRssMiB: 190, diagnostics: 230 },
            { resources: 5000, wallMs: 2000, packCpuMs: 1800, peakRssMiB: 270, diagnostics: 1100 },
            { resources: 50000, wallMs: 22000, packCpuMs: 20000, peakRssMiB: 1023, diagnostics: 11000 },
        ],
        sharedNames: [
            { resources: 5000, wallMs: 2000, packCpuMs: 1800, peakRssMiB: 270, diagnostics: 1100 },
            { resources: 50000, wallMs: 22000, packCpuMs: 20000, peakRssMiB: 1000, diagnostics: 11000 },
        ],
        install: { packMiB: 66, floorMiB: 60, packFiles: 10, floorFiles: 9, versions: {}, packSeconds: 30, floorSeconds: 40, packWarmSeconds: 10, floorWarmSeconds: 11 },
        scan: { resources: 50000, wallMs: 40000, peakRssMiB: 840, cliPeakRssMiB: 840, via: "/usr/bin/time -v", exitCode: 0, floorWallMs: 5000, loadAverage: 3.5, progressLines: 3, longestSilenceMs: 12000 },
        scanWorkers: { stacks: 8, resources: 8000, runs: [{ workers: 1, wallMs: 14000, exitCode: 0 }, { workers: 2, wallMs: 10000, peakRssMiB: 300, cliPeakRssMiB: 200, workerPeakRssMiB: 300, exitCode: 0 }] },
        notes: [],
        ...overrides,
    };
}

describe("benchmark: report", () => {
    it("computes medians and percentiles", () => {
        assert.strictEqual(median([3, 1, 2]), 2);
        assert.strictEqual(median([4, 1, 2, 3]), 2.5);
        assert.ok(Number.isNaN(median([])));
        assert.deepStrictEqual(summarize([5, 1, 4, 2, 3]), { median: 3, p95: 5, min: 1, n: 5 });
    });

    it("decides PASS at the limits and MISS beyond them", () => {
        const status = (r: BenchResults) => Object.fromEntries(evaluateTargets(r).map(t => [t.id, t.status]));
        const all = (v: string) => ({ "startup": v, "analyze": v, "stack-scaling": v, "stack-memory": v, "shared-scaling": v, "shared-memory": v, "install": v, "install-time": v, "scan-time": v, "scan-memory": v, "scan-workers": v, "scan-progress": v });
        assert.deepStrictEqual(status(results()), all("PASS"));
        const s = (ms: number) => summarize([ms]);
        const worse = results({
            startup: { pack: s(1260), floor: s(1000) },
            analyze: { resources: 1, pack: s(2.01), floor: s(1) },
            stack: [{ resources: 5000, wallMs: 1000, diagnostics: 0 }, { resources: 50000, wallMs: 11001, peakRssMiB: LIMITS.stackMemoryMiB, diagnostics: 0 }],
            sharedNames: [{ resources: 5000, wallMs: 1000, diagnostics: 0 }, { resources: 50000, wallMs: 11001, peakRssMiB: LIMITS.stackMemoryMiB, diagnostics: 0 }],
            install: { packMiB: 111, floorMiB: 100, packFiles: 1, floorFiles: 1, versions: {}, packSeconds: 45, floorSeconds: 40 },
            scan: { resources: 50000, wallMs: 40001, cliPeakRssMiB: 1000, via: "-", exitCode: 0, floorWallMs: 5000, progressLines: 0, longestSilenceMs: 30001 },
            // Under the limit in the CLI process, over it in a worker: every process counts.
            scanWorkers: { stacks: 8, resources: 8000, runs: [{ workers: 1, wallMs: 13999, exitCode: 0 }, { workers: 2, wallMs: 10000, cliPeakRssMiB: 300, workerPeakRssMiB: 1024, exitCode: 0 }] },
        });
        assert.deepStrictEqual(status(worse), all("MISS"));
    });

    it("skips targets that were not measured (quick mode has no 50,000-resource run)", () => {
        const quick = results({
            stack: [{ resources: 1000, wallMs: 1, diagnostics: 0 }, { resources: 5000, wallMs: 2, diagnostics: 0 }], install: undefined,
            scan: { resources: 2000, wallMs: 9000, cliPeakRssMiB: 200, via: "-", exitCode: 0, floorWallMs: 1000 },
        });
        const byId = Object.fromEntries(evaluateTargets(quick).map(t => [t.id, t]));
        assert.strictEqual(byId["stack-scaling"].status, "SKIP");
        assert.strictEqual(byId["stack-memory"].status, "SKIP");
        assert.strictEqual(byId.install.status, "SKIP");
        assert.strictEqual(byId["scan-time"].status, "SKIP", "the scan target is for 50,000 resources");
        assert.strictEqual(byId["scan-memory"].status, "SKIP");
        assert.strictEqual(byId["scan-progress"].status, "SKIP");
        assert.strictEqual(byId.startup.status, "PASS");
    });

    it("prints resources per second, the speed-up of a scan with several workers and the CPU it took", () => {
        const lines = formatScanWorkers({ stacks: 8, resources: 8000, runs: [{ workers: 1, wallMs: 40000, cpuMs: 50000, exitCode: 0 }, { workers: 2, wallMs: 25000, peakRssMiB: 300, exitCode: 0 }] });
        assert.match(lines[0], /^scan of 8 stack exports \(8,000 resources\)\s+wall\s+resources\/s\s+speed-up\s+CPU\s+CPUs busy\s+peak RSS\s+cli process\s+each worker$/);
        assert.match(lines[1], /^1 worker\s+40\.0 s\s+200\s+1\.00x\s+50\.0 s\s+1\.25\s+-\s+-\s+-$/);
        assert.match(lines[2], /^2 workers\s+25\.0 s\s+320\s+1\.60x\s+-\s+-\s+300 MiB\s+-\s+-$/);
        assert.strictEqual(resourcesPerSecond(1000, 500), 2000);
        assert.match(formatScanWorkers({ stacks: 1, resources: 1, runs: [{ workers: 2, wallMs: 1, exitCode: 2 }] }).join("\n"), /scan exit code 2 \(2 workers\)/);
    });

    it("prints the bound of independent scans sharing nothing, and how much of it --workers reaches", () => {
        const lines = formatScanWorkers({
            stacks: 8, resources: 8000, runs: [{ workers: 1, wallMs: 40000, exitCode: 0 }, { workers: 2, wallMs: 25000, exitCode: 0 }],
            independent: { processes: 2, wallMs: 20000, cpuMs: 38000 },
        });
        assert.match(lines[3], /^2 independent scans of 1\/2\s+20\.0 s\s+400\s+2\.00x\s+38\.0 s\s+1\.90\s+-\s+-\s+-$/);
        assert.strictEqual(lines[4], "  --workers 2 reaches 80% of the speed-up of 2 scans that share nothing (the bound on this machine)");
    });

    it("prints every measurement and a PASS/MISS line per target", () => {
        const r = results({ stack: [...results().stack.slice(0, 2), { resources: 50000, wallMs: 30000, peakRssMiB: 1400, diagnostics: 11000 }] });
        const text = formatReport(r);
        for (const expected of [
            /start-up, spawn -> port \(median of 3\)\s+1\.25 s\s+1\.00 s\s+1\.25x/,
            /Analyze per resource, median .*2\.00 ms\s+1\.00 ms\s+2\.00x/,
            /same-shape floor \(90 trivial policies, 38 multi-type\), median\s+1\.80 ms\s+1\.00 ms\s+1\.80x/,
            /install footprint .*66\.0 MiB\s+60\.0 MiB\s+1\.100x/,
            /50,000 resources\s+30\.0 s\s+-\s+1400 MiB\s+600 us\s+11,000/,
            /50,000-resource stack export\s+40\.0 s\s+5\.00 s\s+8\.00x\s+840 MiB\s+-\s+840 MiB/,
            /load average 3\.5 on 2 CPUs/,
            /scan of 50,000 resources vs scan floor\s+8\.00x\s+<= 8x\s+PASS/,
            /scan peak RSS, every process \(largest\)\s+840 MiB\s+< 1024 MiB\s+PASS/,
            /stderr not a terminal: 3 progress lines, at most 12\.0 s without one/,
            /large scan without a terminal: longest time without a progress line\s+12\.0 s\s+<= 30\.0 s\s+PASS/,
            /scan of several stacks, speed-up with workers\s+1\.40x\s+>= 1\.4x\s+PASS/,
            /start-up vs floor pack\s+1\.25x\s+<= 1\.25x\s+PASS/,
            /AnalyzeStack 50k vs 5k wall time\s+15\.00x\s+<= 11x\s+MISS/,
            /AnalyzeStack 50k peak RSS\s+1400 MiB\s+< 1024 MiB\s+MISS/,
            /install footprint vs floor\s+1\.10x\s+<= 1\.1x\s+PASS/,
            /install time, empty npm cache\s+30\.0 s\s+40\.0 s\s+0\.75x/,
            /install time, filled npm cache\s+10\.0 s\s+11\.0 s\s+0\.91x/,
            /install time vs floor, empty npm cache\s+0\.75x\s+<= 1\.1x\s+PASS/,
        ]) {
            assert.match(text, expected);
        }
        const lines = text.split("\n");
        const header = lines.findIndex(l => /^target\s+measured\s+limit\s+result$/.test(l));
        assert.ok(header > 0);
        assert.strictEqual(lines.slice(header + 1, header + 11).filter(l => /(PASS|MISS|SKIP)$/.test(l)).length, 10);
    });
});
