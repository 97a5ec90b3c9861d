import * as assert from "assert";
import { messages, Outcome } from "./harness";

/** The policy ran to the end and found nothing. */
export function expectPass(outcome: Outcome): void {
    assert.strictEqual(outcome.notApplicable, undefined, `unexpectedly not applicable: ${outcome.notApplicable}`);
    assert.strictEqual(outcome.unknown, undefined, `unexpectedly stopped on an unknown value: ${outcome.unknown}`);
    assert.strictEqual(outcome.undecided, undefined, `unexpectedly undecided: ${JSON.stringify(outcome.undecided)}`);
    assert.deepStrictEqual(messages(outcome), []);
}

/**
 * Every value is known, but the check can't decide: a reference matches several resources nothing
 * tells apart (`ambiguous`) or the settings it needs aren't recorded (`unrecorded`). It neither passes
 * nor waits for `pulumi up`.
 */
export function expectUndecided(outcome: Outcome, cause: "ambiguous" | "unrecorded", paths?: Record<string, string[]>): void {
    assert.ok(outcome.undecided, `expected the policy to say it can't decide, got ${JSON.stringify(messages(outcome))}${outcome.unknown ? ` (unknown: ${outcome.unknown})` : ""}`);
    assert.deepStrictEqual([...new Set(Object.values(outcome.undecided).map(u => u.cause))], [cause]);
    assert.strictEqual(outcome.unknown, undefined, `a known value doesn't wait for \`pulumi up\`: ${outcome.unknown}`);
    if (paths) {
        assert.deepStrictEqual(Object.fromEntries(Object.entries(outcome.undecided).map(([urn, u]) => [urn, u.paths])), paths);
    }
}

/** The policy reported at least one violation, and one of them matches. */
export function expectViolation(outcome: Outcome, pattern: RegExp, level?: string): void {
    const found = outcome.violations.filter(v => pattern.test(v.message));
    assert.ok(found.length > 0, `expected a violation matching ${pattern}, got: ${JSON.stringify(messages(outcome))}${outcome.notApplicable !== undefined ? ` (not applicable: ${outcome.notApplicable})` : ""}${outcome.unknown ? ` (unknown: ${outcome.unknown})` : ""}`);
    if (level) {
        assert.ok(found.some(v => v.level === level), `expected level ${level}, got ${found.map(v => v.level).join(", ")}`);
    }
}

export function expectNotApplicable(outcome: Outcome, pattern?: RegExp): void {
    assert.notStrictEqual(outcome.notApplicable, undefined, `expected not-applicable, got ${JSON.stringify(messages(outcome))}`);
    if (pattern) {
        assert.match(outcome.notApplicable!, pattern);
    }
}

/** The policy stopped on a value unknown during preview, without a pass and without a false violation. */
export function expectUnknown(outcome: Outcome): void {
    assert.ok(outcome.unknown, `expected the policy to stop on an unknown value, got ${JSON.stringify(messages(outcome))}`);
}

/**
 * The policy failed on what it could read, next to an unknown value: it doesn't also wait for the
 * unknown one (an unknown value can only add to a failure, and `pulumi up` re-checks with real values).
 */
export function expectFailedDespiteUnknown(outcome: Outcome): void {
    assert.ok(outcome.violations.length > 0, "expected a violation");
    assert.strictEqual(outcome.unknown, undefined, `a failing policy should not also wait: ${outcome.unknown}`);
}

/** Deep copy with one change applied by the mutator. */
export function mutate<T>(base: T, change: (copy: any) => void): T {
    const copy = JSON.parse(JSON.stringify(base));
    change(copy);
    return copy;
}
