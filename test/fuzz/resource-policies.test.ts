// Property-based fuzzing of every resource policy (iterates over the registry): baseline fixtures of
// the policy's resource types mutated at random paths, and arbitrary property bags. A policy must
// never throw, never end in an internal error, give the same outcome twice, and answer quickly.
import * as assert from "assert";
import * as fc from "fast-check";
import { definitions } from "../../policies/registry";
import { check, TestResource } from "../support/harness";
import {
    allBaselines, applyMutations, arbitraries, crashes, depthOf, FUZZ_RUNS, MAX_FUZZ_DEPTH, mutationArb, outcomeKey, preserveObserved, seedFor, SLOW_CALL_MS, summarizeInput, timed, vocabulary,
} from "../support/fuzz";

const baselines = allBaselines();
const vocab = vocabulary(baselines);
const arbs = arbitraries(vocab);
const otherTypes = [...new Set(baselines.map(b => b.type))];

async function probe(name: string, resource: TestResource): Promise<void> {
    fc.pre(depthOf(resource.props) <= MAX_FUZZ_DEPTH);
    let first;
    try {
        first = await timed(() => check(name, resource));
    } catch (e) {
        assert.fail(`${name} threw ${(e as Error)?.stack ?? e} on ${summarizeInput(resource)}`);
    }
    assert.deepStrictEqual(crashes(first.result), [], `${name} crashed on ${summarizeInput(resource)}`);
    assert.ok(first.ms <= SLOW_CALL_MS, `${name} took ${first.ms.toFixed(0)} ms (twice over ${SLOW_CALL_MS} ms) on ${summarizeInput(resource)}`);
    const second = check(name, resource);
    assert.strictEqual(outcomeKey(second), outcomeKey(first.result), `${name} is not deterministic on ${summarizeInput(resource)}`);
}

describe("fuzz: resource policies", function () {
    this.timeout(Math.max(600000, FUZZ_RUNS * 1000));
    const observedRecord = preserveObserved();
    after(() => observedRecord.restore());

    for (const d of definitions.filter(x => x.kind === "resource")) {
        const name = d.meta.name;
        const own = baselines.filter(b => d.resourceTypes.includes(b.type));
        const bases: TestResource[] = own.length > 0 ? own : d.resourceTypes.map(type => ({ type, name: "fuzz", props: {} }));

        it(`${name}: mutated baselines of ${[...new Set(bases.map(b => b.type))].length} type(s) (${bases.length} baselines)`, async () => {
            const input = fc.record({
                base: fc.constantFrom(...bases),
                mutations: fc.array(mutationArb(arbs), { minLength: 1, maxLength: 5 }),
            }).map(({ base, mutations }) => ({ ...base, props: applyMutations(base.props, mutations) }));
            await fc.assert(fc.asyncProperty(input, r => probe(name, r)), { seed: seedFor(name), numRuns: FUZZ_RUNS });
        });

        it(`${name}: arbitrary property bags, also of other resource types`, async () => {
            const input = fc.record({
                type: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...d.resourceTypes) }, { weight: 1, arbitrary: fc.constantFrom(...otherTypes) }),
                props: arbs.bag,
            }).map(({ type, props }) => ({ type, name: "fuzz", props }));
            await fc.assert(fc.asyncProperty(input, r => probe(name, r)), { seed: seedFor(`${name}#bag`), numRuns: Math.max(1, Math.ceil(FUZZ_RUNS / 2)) });
        });
    }
});
