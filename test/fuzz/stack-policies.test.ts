// Property-based fuzzing of every stack policy (iterates over the registry): random graphs drawn from
// the example stacks and fixtures, with random mutations and random propertyDependencies,
// dependencies and parents. A policy must never throw, never end in an internal error, give the same
// outcome twice, and answer quickly.
import * as assert from "assert";
import * as fc from "fast-check";
import { definitions } from "../../policies/registry";
import { checkStack, TestResource } from "../support/harness";
import {
    allBaselines, applyMutations, arbitraries, crashes, depthOf, FUZZ_RUNS, MAX_FUZZ_DEPTH, Mutation, mutationArb, outcomeKey, preserveObserved, seedFor, SLOW_CALL_MS, summarizeInput, timed, vocabulary,
} from "../support/fuzz";

const pool = allBaselines();
const vocab = vocabulary(pool);
const arbs = arbitraries(vocab, 20_000);

interface GraphSpec {
    picks: number[];
    mutations: { target: number; mutation: Mutation }[];
    links: { from: number; to: number; property: number; kind: "property" | "dependency" | "parent" }[];
    keepOriginalLinks: boolean;
}

const graphArb: fc.Arbitrary<GraphSpec> = fc.record({
    picks: fc.uniqueArray(fc.nat(pool.length - 1), { minLength: 1, maxLength: 30 }),
    mutations: fc.array(fc.record({ target: fc.nat(), mutation: mutationArb(arbs, 20_000) }), { maxLength: 8 }),
    links: fc.array(fc.record({ from: fc.nat(), to: fc.nat(), property: fc.nat(), kind: fc.constantFrom("property" as const, "property" as const, "dependency" as const, "parent" as const) }), { maxLength: 12 }),
    keepOriginalLinks: fc.boolean(),
});

/** Builds the resources of a random graph: unique URNs, original links remapped to the picked copies. */
function build(spec: GraphSpec): TestResource[] {
    const urnOf = (i: number) => `urn:pulumi:fuzz::fuzz::${pool[spec.picks[i]].type}::${pool[spec.picks[i]].name ?? "r"}-${i}`;
    const firstCopy = new Map<string, string>();
    spec.picks.forEach((p, i) => {
        const original = pool[p].urn;
        if (original && !firstCopy.has(original)) {
            firstCopy.set(original, urnOf(i));
        }
    });
    const resources: TestResource[] = spec.picks.map((p, i) => {
        const base = pool[p];
        const remap = (urns: string[] | undefined) => (urns ?? []).map(u => firstCopy.get(u) ?? u);
        return {
            type: base.type,
            name: `${base.name ?? "r"}-${i}`,
            urn: urnOf(i),
            props: JSON.parse(JSON.stringify(base.props)),
            propertyDependencies: spec.keepOriginalLinks ? Object.fromEntries(Object.entries(base.propertyDependencies ?? {}).map(([k, v]) => [k, remap(v)])) : {},
            dependencies: spec.keepOriginalLinks ? remap(base.dependencies) : [],
            parent: spec.keepOriginalLinks && base.parent ? firstCopy.get(base.parent) : undefined,
        };
    });
    for (const { target, mutation } of spec.mutations) {
        const r = resources[target % resources.length];
        r.props = applyMutations(r.props, [mutation]);
    }
    for (const link of spec.links) {
        const from = resources[link.from % resources.length];
        const to = resources[link.to % resources.length];
        if (link.kind === "parent") {
            from.parent = to.urn;
        } else if (link.kind === "dependency") {
            from.dependencies = [...(from.dependencies ?? []), to.urn!];
        } else {
            const keys = Object.keys(from.props);
            const key = keys.length > 0 ? keys[link.property % keys.length] : "x";
            const deps = new Map(Object.entries(from.propertyDependencies ?? {}));
            deps.set(key, [...(deps.get(key) ?? []), to.urn!]);
            from.propertyDependencies = Object.fromEntries(deps);
        }
    }
    return resources;
}

describe("fuzz: stack policies", function () {
    this.timeout(Math.max(600000, FUZZ_RUNS * 1000));
    const observedRecord = preserveObserved();
    after(() => observedRecord.restore());

    // Stack policies, and the AnalyzeStack half of resource policies that read the stack (withStack).
    for (const d of definitions.filter(x => x.kind === "stack" || typeof (x.policy as { validateStack?: unknown }).validateStack === "function")) {
        const name = d.meta.name;
        it(`${name}: random graphs of example and fixture resources`, async () => {
            await fc.assert(fc.asyncProperty(graphArb, async spec => {
                const resources = build(spec);
                fc.pre(resources.every(r => depthOf(r.props) <= MAX_FUZZ_DEPTH));
                let first;
                try {
                    first = await timed(() => checkStack(name, resources));
                } catch (e) {
                    assert.fail(`${name} threw ${(e as Error)?.stack ?? e} on ${summarizeInput(resources)}`);
                }
                assert.deepStrictEqual(crashes(first.result), [], `${name} crashed on ${summarizeInput(resources)}`);
                assert.ok(first.ms <= SLOW_CALL_MS, `${name} took ${first.ms.toFixed(0)} ms (twice over ${SLOW_CALL_MS} ms) on ${summarizeInput(resources)}`);
                const second = await checkStack(name, resources);
                assert.strictEqual(outcomeKey(second), outcomeKey(first.result), `${name} is not deterministic on ${summarizeInput(resources)}`);
            }), { seed: seedFor(name), numRuns: FUZZ_RUNS });
        });
    }
});
