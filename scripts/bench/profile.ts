// Summaries of the profiles the preload writes: where CPU time and allocated bytes go, by package
// (or repository file) and by function, so that a missed target can be traced to its cause.
import * as fs from "fs";

interface CallFrame { functionName: string; url: string; lineNumber: number }

export interface ProfileEntry { key: string; value: number }
export interface ProfileSummary { total: number; unit: "ms" | "MB"; byModule: ProfileEntry[]; byFunction: ProfileEntry[] }

function moduleOf(url: string, fallback: string): string {
    if (!url) {
        return `(${fallback || "native"})`;
    }
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (m) {
        return m[1];
    }
    const bin = /\/bin\/(.+)$/.exec(url);
    return bin ? bin[1] : url.replace(/^file:\/\//, "");
}

function functionKey(cf: CallFrame): string {
    const file = cf.url ? cf.url.split("/").slice(-2).join("/") : "native";
    return `${cf.functionName || "(anonymous)"} ${file}:${cf.lineNumber + 1}`;
}

function top(map: Map<string, number>, n: number): ProfileEntry[] {
    return [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([key, value]) => ({ key, value }));
}

function add(map: Map<string, number>, key: string, value: number): void {
    map.set(key, (map.get(key) ?? 0) + value);
}

/** Self time of a .cpuprofile, in milliseconds. */
export function summarizeCpuProfile(file: string, n = 12): ProfileSummary {
    const p = JSON.parse(fs.readFileSync(file, "utf8")) as {
        nodes: { id: number; callFrame: CallFrame }[]; samples: number[]; timeDeltas: number[];
    };
    const byId = new Map(p.nodes.map(node => [node.id, node]));
    const byModule = new Map<string, number>();
    const byFunction = new Map<string, number>();
    let total = 0;
    p.samples.forEach((id, i) => {
        const us = p.timeDeltas[i] ?? 0;
        const cf = byId.get(id)!.callFrame;
        if (cf.functionName === "(idle)" || cf.functionName === "(program)") {
            return;
        }
        total += us;
        add(byModule, moduleOf(cf.url, cf.functionName), us / 1000);
        add(byFunction, functionKey(cf), us / 1000);
    });
    return { total: total / 1000, unit: "ms", byModule: top(byModule, n), byFunction: top(byFunction, n) };
}

/** Bytes allocated (sampled, collected objects included) in a .heapprofile, in MB. */
export function summarizeHeapProfile(file: string, n = 12): ProfileSummary {
    const p = JSON.parse(fs.readFileSync(file, "utf8")) as { head: HeapNode; samples?: { size: number; nodeId: number }[] };
    const byModule = new Map<string, number>();
    const byFunction = new Map<string, number>();
    let total = 0;
    const visit = (node: HeapNode) => {
        if (node.selfSize > 0) {
            total += node.selfSize;
            add(byModule, moduleOf(node.callFrame.url, node.callFrame.functionName), node.selfSize / 1e6);
            add(byFunction, functionKey(node.callFrame), node.selfSize / 1e6);
        }
        for (const c of node.children) {
            visit(c);
        }
    };
    visit(p.head);
    return { total: total / 1e6, unit: "MB", byModule: top(byModule, n), byFunction: top(byFunction, n) };
}

interface HeapNode { callFrame: CallFrame; selfSize: number; children: HeapNode[] }

export function formatProfileSummary(title: string, s: ProfileSummary): string {
    const fmt = (v: number) => `${v.toFixed(1)} ${s.unit}`.padStart(12);
    return [
        `${title}: ${s.total.toFixed(0)} ${s.unit} in total`,
        "  by module:",
        ...s.byModule.map(e => `  ${fmt(e.value)}  ${e.key}`),
        "  by function:",
        ...s.byFunction.map(e => `  ${fmt(e.value)}  ${e.key}`),
    ].join("\n");
}
