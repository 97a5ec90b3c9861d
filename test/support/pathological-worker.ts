// Worker thread of the pathological-input suite: runs jobs (a regular expression on one input, a
// policy on one planted resource or stack) and reports each start and end, so that the main thread
// can stop a job that never ends.
import { parentPort, workerData } from "worker_threads";
import type { Outcome, TestResource } from "./harness";
import { ALL_KINDS, build, Job, withStrings } from "./pathological";

// The policies are loaded only for policy jobs, so that a worker restarted after a slow regex is quick.
const fuzz = () => require("./fuzz") as typeof import("./fuzz");
const harness = () => require("./harness") as typeof import("./harness");
let baselines: TestResource[] | undefined;
let stacks: Map<string, TestResource[]> | undefined;

function stackOf(source: string): TestResource[] {
    if (!stacks) {
        stacks = new Map();
        for (const r of fuzz().exampleResources()) {
            stacks.set(r.source, [...(stacks.get(r.source) ?? []), r]);
        }
    }
    return stacks.get(source) ?? [];
}

const shared = new Map<number, TestResource[]>();

/** Copies of the example stacks side by side, every copy keeping its names, ids and emails (as the benchmark's shared-name stacks). */
function sharedNameStack(count: number): TestResource[] {
    let list = shared.get(count);
    if (!list) {
        const generate = require("../../scripts/bench/generate") as typeof import("../../scripts/bench/generate");
        const repo = require("path").resolve(__dirname, "..", "..", "..") as string;
        list = generate.generateResources(count, generate.loadTemplates(repo), { sharedNames: true }).map(r => ({
            type: r.type, name: r.name, urn: r.urn, props: r.outputs ?? r.props,
            propertyDependencies: r.propertyDependencies, dependencies: r.dependencies, parent: r.parent,
        }));
        shared.set(count, list);
    }
    return list;
}

function crashes(o: Outcome): string[] {
    return o.violations.filter(v => /internal error/.test(v.message)).map(v => v.message);
}

async function run(job: Job): Promise<string[]> {
    switch (job.kind) {
        case "regex": {
            const re = new RegExp(job.source, job.flags);
            const input = build(job.input);
            re.lastIndex = 0;
            re.test(input);
            if (re.global || re.sticky) {
                input.replace(re, "");
            }
            return [];
        }
        case "resource": {
            baselines = baselines ?? fuzz().allBaselines();
            const base = baselines[job.base];
            const resource = { ...base, props: withStrings(base.props, job.field, i => build(ALL_KINDS[job.inputs[i % job.inputs.length]])) };
            return crashes(harness().check(job.policy, resource));
        }
        case "stack": {
            let i = 0;
            const resources = stackOf(job.source).map(r => ({ ...r, props: withStrings(r.props, -1, () => build(ALL_KINDS[(i++ + job.round * 5) % ALL_KINDS.length])) }));
            return crashes(await harness().checkStack(job.policy, resources));
        }
        case "shared-names":
            return crashes(await harness().checkStack(job.policy, sharedNameStack(job.resources)));
    }
}

async function main(): Promise<void> {
    const jobs = (workerData as { jobs: Job[] }).jobs;
    for (let i = 0; i < jobs.length; i++) {
        parentPort!.postMessage({ start: i });
        const start = process.hrtime.bigint();
        const cpu = process.cpuUsage();
        let problems: string[];
        try {
            problems = await run(jobs[i]);
        } catch (e) {
            problems = [`threw ${e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : String(e)}`];
        }
        const used = process.cpuUsage(cpu);
        parentPort!.postMessage({ done: i, ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (used.user + used.system) / 1000, problems });
    }
    parentPort!.postMessage({ finished: true });
}

void main();
