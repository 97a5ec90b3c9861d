// No secret leaks, protocol tier: the compiled pack, driven over gRPC like the engine (Remediate,
// Analyze, AnalyzeStack), gets stacks whose string fields carry canary secrets, plain and in the
// secret wire encoding. No diagnostic, not-applicable reason, remediation diagnostic, pack stderr
// line or scanner report (text, JSON, SARIF/JUnit when present) may contain one.
import * as assert from "assert";
import { EngineResource, PolicyPackProcess, RunResult } from "../../runner/engine";
import { allFields, knownLeak, Leak, leaks, Mode, perFieldVariants, reportWriters } from "../support/canary";
import { exampleResources, fixtureResources } from "../support/fuzz";
import { run, startPack } from "../support/pack";

const MODES: Mode[] = ["plain", "secret"];

/** A copy of a stack with its own URNs (links remapped inside the copy) and one resource transformed. */
function copyOf(stack: EngineResource[], tag: string, change: (r: EngineResource, i: number) => EngineResource): EngineResource[] {
    const urns = new Map(stack.map(r => [r.urn, `${r.urn}-${tag}`]));
    const map = (u: string) => urns.get(u) ?? u;
    return stack.map((r, i) => change({
        ...r,
        urn: map(r.urn),
        name: `${r.name}-${tag}`,
        parent: r.parent ? map(r.parent) : undefined,
        dependencies: (r.dependencies ?? []).map(map),
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, v]) => [k, v.map(map)])),
    }, i));
}

interface Found { where: string; field?: string; text: string }

function inspect(result: RunResult, resources: EngineResource[], stderr: string, label: string): Found[] {
    const found: Found[] = [];
    const knownCores = new Set<string>();
    const check = (policy: string, text: string, where: string) => {
        for (const l of leaks(text)) {
            const known = knownLeak(policy, l.field);
            if (known) {
                knownCores.add(l.core);
            } else {
                found.push({ where: `${label}: ${where}`, field: l.field, text: l.excerpt });
            }
        }
    };
    for (const d of result.diagnostics) {
        check(d.policyName, `${d.description}\n${d.message}`, `${d.policyName} diagnostic`);
    }
    for (const n of result.notApplicable) {
        check(n.policyName, n.reason, `${n.policyName} not-applicable reason`);
    }
    for (const r of result.remediations) {
        check(r.policyName, `${r.description}\n${r.diagnostic ?? ""}`, `${r.policyName} remediation`);
    }
    const other = (where: string, ls: Leak[]) => ls.filter(l => !knownCores.has(l.core)).forEach(l => found.push({ where: `${label}: ${where}`, field: l.field, text: l.excerpt }));
    other("pack stderr", leaks(stderr));
    for (const w of reportWriters()) {
        other(`${w.name} report`, leaks(w.write(result, resources)));
    }
    return found;
}

describe("no secret leaks over the analyzer protocol", function () {
    this.timeout(600000);
    let pack: PolicyPackProcess;
    before(async () => { pack = await startPack(); });
    after(async () => { await pack?.close(); });

    const examples = exampleResources();
    const stacks = new Map<string, EngineResource[]>();
    for (const r of examples) {
        const { source, ...rest } = r;
        stacks.set(source, [...(stacks.get(source) ?? []), { ...rest, urn: rest.urn!, name: rest.name ?? "r" } as EngineResource]);
    }

    for (const [source, stack] of stacks) {
        it(`examples/stacks/${source}: every field planted (plain and as secrets), and each resource on its own (as secrets)`, async () => {
            const found: Found[] = [];
            for (const mode of MODES) {
                // Resource by resource in plain mode runs in the unit tier; over the wire it is the secret encoding that matters.
                const resources = [
                    ...copyOf(stack, `all-${mode}`, r => ({ ...r, props: allFields(r.props, mode) })),
                    ...(mode === "plain" ? [] : stack.flatMap((_, target) => copyOf(stack, `r${target}-${mode}`, (r, i) => (i === target ? { ...r, props: allFields(r.props, mode) } : r)))),
                ];
                const result = await run(pack, resources);
                found.push(...inspect(result, resources, pack.stderr(), `${source} (${mode})`));
            }
            assert.deepStrictEqual(found.slice(0, 20), [], `${found.length} canary leak(s)`);
        });
    }

    it("fixtures: a canary in each string field on its own, plain and as secrets, with remediation on", async () => {
        const found: Found[] = [];
        for (const mode of MODES) {
            const resources: EngineResource[] = fixtureResources().flatMap((f, i) => perFieldVariants(f.props, mode).map((v, j) => ({
                urn: `urn:pulumi:leak::leak::${f.type}::${f.name ?? "r"}-${i}-${j}`, type: f.type, name: `${f.name ?? "r"}-${i}-${j}`, props: v.props,
            })));
            const result = await run(pack, resources, { all: "remediate" });
            found.push(...inspect(result, resources, pack.stderr(), `fixtures (${mode})`));
        }
        assert.deepStrictEqual(found.slice(0, 20), [], `${found.length} canary leak(s)`);
    });
});
