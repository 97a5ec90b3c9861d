// Pathological inputs shared by the pathological-input suite and its worker: 1 MB adversarial strings
// (described compactly, built where they are used), deeply nested JSON documents, and jobs that run
// in a worker thread so that a catastrophic case is reported (and stopped) instead of hanging CI.
import { Worker } from "worker_threads";
import * as path from "path";
import { stringPaths } from "./canary";

export const MB = 1 << 20;

/** prefix + fragment repeated to `size` characters + suffix. */
export interface InputSpec {
    prefix?: string;
    fragment: string;
    size: number;
    suffix?: string;
}

export function fill(fragment: string, size = MB): string {
    return fragment.length === 0 ? "" : fragment.repeat(Math.ceil(size / fragment.length)).slice(0, size);
}

const cache = new Map<string, string>();
export function build(spec: InputSpec): string {
    const key = JSON.stringify(spec);
    let s = cache.get(key);
    if (s === undefined) {
        s = `${spec.prefix ?? ""}${fill(spec.fragment, spec.size)}${spec.suffix ?? ""}`;
        if (cache.size > 200) {
            cache.clear();
        }
        cache.set(key, s);
    }
    return s;
}

/** Adversarial 1 MB strings for whole policies: each aims at a kind of parsing the policies do. */
export const HUGE_KINDS: InputSpec[] = [
    { fragment: "a", size: MB },
    { fragment: "arn:aws:iam::", size: MB },
    { fragment: "x:", size: MB },
    { fragment: "/", size: MB },
    { fragment: "/", size: MB, suffix: "x" },
    { fragment: "*a", size: MB, suffix: "b" },
    { fragment: "*", size: MB, suffix: "x" },
    { fragment: ";password=", size: MB },
    { prefix: "eyJ", fragment: "a", size: MB },
    { prefix: "AccountKey=", fragment: "A", size: MB },
    { prefix: "@Microsoft.KeyVault(SecretUri=https://", fragment: "a", size: MB },
    { prefix: "projects/", fragment: "a/", size: MB },
    { fragment: " ", size: MB, suffix: "x" },
    { fragment: "-", size: MB, suffix: "!" },
    { fragment: ".", size: MB, suffix: "!" },
    { fragment: "0", size: MB, suffix: "x" },
    { fragment: "{\"Statement\":", size: MB },
    { prefix: "[", fragment: "{\"Effect\":\"Allow\",\"Action\":\"iam:*\",\"Resource\":\"*\"},", size: MB - 100, suffix: "{}]" },
    { fragment: "%", size: MB },
    { fragment: "serviceAccount:", size: MB },
    { prefix: "roles/", fragment: "a.", size: MB },
    { fragment: "\\", size: MB },
];

/** Valid JSON nested very deeply: policy documents and IAM policy data are parsed from strings. */
export const DEEP_DOCUMENTS: InputSpec[] = [
    { prefix: `{"Statement":${"[".repeat(50000)}`, fragment: "]", size: 50000, suffix: "}" },
    { prefix: `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":${"{\"a\":".repeat(50000)}1`, fragment: "}", size: 50000, suffix: "}}" },
    { prefix: `{"bindings":[{"role":"roles/owner","members":${"[".repeat(50000)}"allUsers"`, fragment: "]", size: 50000, suffix: "}]}" },
    { prefix: `{"Statement":[{"Effect":"Allow","Principal":{"AWS":${"[".repeat(50000)}"*"`, fragment: "]", size: 50000, suffix: "},\"Action\":\"sts:AssumeRole\"}]}" },
];

export const ALL_KINDS = [...HUGE_KINDS, ...DEEP_DOCUMENTS];

/** A copy of props with the string at `field` (an index into the string paths), or every string (-1), replaced. */
export function withStrings(props: Record<string, unknown>, field: number, pick: (i: number) => string): Record<string, unknown> {
    const copy = structuredClone(props);
    stringPaths(copy).forEach((p, i) => {
        if (field === -1 || field === i) {
            const parent = p.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], copy) as Record<string | number, unknown>;
            parent[p[p.length - 1]] = pick(i);
        }
    });
    return copy;
}

export type Job =
    | { kind: "regex"; label: string; source: string; flags: string; input: InputSpec }
    | { kind: "resource"; label: string; policy: string; base: number; field: number; inputs: number[] }
    | { kind: "stack"; label: string; policy: string; source: string; round: number }
    | { kind: "shared-names"; label: string; policy: string; resources: number };

export interface JobResult {
    job: Job;
    ms: number;
    /** CPU time of the worker's process during the job (what a loaded machine doesn't inflate). */
    cpuMs?: number;
    timedOut: boolean;
    /** Internal errors and exceptions. */
    problems: string[];
}

/**
 * Runs jobs in a worker thread, one after the other. A job that takes longer than `timeoutMs` is
 * recorded as timed out, the worker is stopped and a new one continues with the next job.
 */
export async function runJobs(jobs: Job[], timeoutMs: number): Promise<JobResult[]> {
    const results: JobResult[] = [];
    const file = path.join(__dirname, "pathological-worker.js");
    let next = 0;
    while (next < jobs.length) {
        const offset = next;
        await new Promise<void>((resolve, reject) => {
            const worker = new Worker(file, { workerData: { jobs: jobs.slice(offset) } });
            let timer: NodeJS.Timeout | undefined;
            let current = offset;
            let settled = false;
            const finish = () => {
                if (!settled) {
                    settled = true;
                    clearTimeout(timer);
                    resolve();
                }
            };
            worker.on("message", (m: { start?: number; done?: number; ms?: number; cpuMs?: number; problems?: string[]; finished?: boolean }) => {
                if (m.start !== undefined) {
                    current = offset + m.start;
                    clearTimeout(timer);
                    timer = setTimeout(() => {
                        results.push({ job: jobs[current], ms: timeoutMs, timedOut: true, problems: [] });
                        next = current + 1;
                        void worker.terminate().then(finish, finish);
                    }, timeoutMs);
                } else if (m.done !== undefined) {
                    clearTimeout(timer);
                    results.push({ job: jobs[offset + m.done], ms: m.ms ?? 0, cpuMs: m.cpuMs, timedOut: false, problems: m.problems ?? [] });
                    next = offset + m.done + 1;
                } else if (m.finished) {
                    next = jobs.length;
                    void worker.terminate().then(finish, finish);
                }
            });
            worker.on("error", e => { clearTimeout(timer); if (!settled) { settled = true; reject(e); } });
            worker.on("exit", () => {
                if (!settled && next <= current) {
                    // The worker died without reporting the job (e.g. out of memory): record it and go on.
                    results.push({ job: jobs[current], ms: 0, timedOut: false, problems: ["the worker exited during this job"] });
                    next = current + 1;
                }
                finish();
            });
        });
    }
    return results;
}
