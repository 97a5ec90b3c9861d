// No secret leaks, unit tier: canary secrets planted in every string field of every fixture and
// example-stack resource (plain and Pulumi-secret-wrapped) must not appear in any violation message,
// not-applicable reason, unknown-value message, console/stdout/stderr output, or scanner report built
// from the findings (text, JSON, and SARIF/JUnit when those writers exist). Every policy of the
// registry is covered: resource policies field by field, stack policies resource by resource and
// with every field of the whole stack planted at once.
import * as assert from "assert";
import * as fs from "fs";
import { definitions } from "../../policies/registry";
import { Diagnostic, EngineResource, NotApplicable, RunResult } from "../../runner/engine";
import { allFields, captureOutput, KNOWN_LEAKS, knownLeak, leaks, Mode, perFieldVariants, reportWriters, secretSubtreeVariants } from "../support/canary";
import { exampleResources, fixtureResources, preserveObserved } from "../support/fuzz";
import { check, checkStack, definition, Outcome, TestResource } from "../support/harness";

const MODES: Mode[] = ["plain", "secret"];
const fixtures = fixtureResources();
const examples = exampleResources();

interface Finding { where: string; field?: string; text: string }

/** Findings of unit runs, collected as the runner would report them, and the leaks among them. */
class Collector {
    readonly diagnostics: Diagnostic[] = [];
    readonly notApplicable: NotApplicable[] = [];
    readonly resources: EngineResource[] = [];
    readonly found: Finding[] = [];
    /** Known leaks seen (policy names), and the canaries they leaked (also allowed in reports). */
    readonly knownSeen = new Set<string>();
    readonly knownCores = new Set<string>();

    add(policyName: string, urn: string, outcome: Outcome, where: string, phase: "resource" | "stack"): void {
        const d = definition(policyName);
        for (const v of outcome.violations) {
            this.diagnostics.push({
                policyName, policyPackName: "serverless-guard", policyPackVersion: "0.1.0", description: d.meta.description,
                message: v.message, enforcementLevel: v.level as Diagnostic["enforcementLevel"], severity: d.meta.severity, urn: v.urn ?? urn, phase,
            });
        }
        if (outcome.notApplicable !== undefined) {
            this.notApplicable.push({ policyName, reason: outcome.notApplicable, urn });
        }
        for (const leak of leaks(JSON.stringify(outcome))) {
            const known = knownLeak(policyName, leak.field);
            if (known) {
                this.knownSeen.add(`${known.policy} ${known.field}`);
                this.knownCores.add(leak.core);
            } else {
                this.found.push({ where: `${policyName} on ${where}`, field: leak.field, text: leak.excerpt });
            }
        }
    }

    /** Runs every report writer over the findings collected since the last call, then forgets them. */
    checkReports(): void {
        const result = this.result();
        for (const w of reportWriters()) {
            for (const l of leaks(w.write(result, this.resources)).filter(x => !this.knownCores.has(x.core))) {
                this.found.push({ where: `${w.name} report`, field: l.field, text: l.excerpt });
            }
        }
        this.diagnostics.length = 0;
        this.notApplicable.length = 0;
        this.resources.length = 0;
    }

    result(): RunResult {
        return {
            pack: { name: "serverless-guard", version: "0.1.0" },
            policies: definitions.map(d => ({
                name: d.meta.name, displayName: d.meta.name, description: d.meta.description, enforcementLevel: d.defaultLevel,
                severity: d.meta.severity, tags: [], remediationSteps: d.meta.remediation,
            })),
            diagnostics: this.diagnostics,
            notApplicable: this.notApplicable,
            remediations: [],
            levels: Object.fromEntries(definitions.map(d => [d.meta.name, d.defaultLevel])),
        } as RunResult;
    }
}

const urnOf = (r: TestResource, suffix: string) => `urn:pulumi:leak::leak::${r.type}::${r.name ?? "r"}${suffix}`;

/** Known leaks of resource policies must still leak, so that the list shrinks as policies are fixed. */
function assertNoneFixed(c: Collector, kind: "resource" | "stack"): void {
    const stale = KNOWN_LEAKS.filter(k => definition(k.policy).kind === kind && !c.knownSeen.has(`${k.policy} ${k.field}`));
    assert.deepStrictEqual(stale.map(k => `${k.policy} ${k.field}`), [], "these known leaks are fixed: remove them from KNOWN_LEAKS in test/support/canary.ts");
}

function assertNoLeaks(c: Collector, output: string): void {
    c.checkReports();
    const found = [...c.found, ...leaks(output).map(l => ({ where: "console/stdout/stderr", field: l.field, text: l.excerpt }))];
    if (process.env.LEAKS_DUMP) {
        fs.writeFileSync(process.env.LEAKS_DUMP, JSON.stringify(found, null, 1));
    }
    assert.deepStrictEqual(found.slice(0, 20), [], `${found.length} canary leak(s)`);
}

describe("no secret leaks (unit tier)", function () {
    this.timeout(300000);
    const observedRecord = preserveObserved();
    after(() => observedRecord.restore());

    it("resource policies: a canary in any string field never appears in findings, reasons, output or reports", async () => {
        const c = new Collector();
        let runs = 0;
        const { output } = await captureOutput(() => {
            for (const base of [...fixtures, ...examples]) {
                const policies = definitions.filter(d => d.kind === "resource" && d.resourceTypes.includes(base.type));
                for (const mode of MODES) {
                    const variants = [...perFieldVariants(base.props, mode), { field: "(every field)", props: allFields(base.props, mode) }];
                    variants.forEach((v, i) => {
                        const resource: TestResource = { ...base, urn: urnOf(base, `-${mode}-${i}`), props: v.props };
                        c.resources.push({ urn: resource.urn!, type: base.type, name: base.name ?? "r", props: v.props });
                        for (const d of policies) {
                            c.add(d.meta.name, resource.urn!, check(d.meta.name, resource), `${base.type} ${base.name} field ${v.field} (${mode})`, "resource");
                            runs++;
                        }
                    });
                }
                c.checkReports();
            }
        });
        assert.ok(runs > 1000, `only ${runs} runs`);
        assertNoLeaks(c, output);
        assertNoneFixed(c, "resource");
    });

    it("stack policies: canaries in one resource at a time, and in every field of the whole stack", async () => {
        const stacks = new Map<string, TestResource[]>();
        for (const r of examples) {
            stacks.set(r.source, [...(stacks.get(r.source) ?? []), r]);
        }
        stacks.set("fixtures", fixtures.map((r, i) => ({ ...r, urn: urnOf(r, `-fixture-${i}`) })));
        const c = new Collector();
        const { output } = await captureOutput(async () => {
            for (const [source, resources] of stacks) {
                for (const mode of MODES) {
                    const variants: { label: string; resources: TestResource[] }[] = [
                        { label: "every field", resources: resources.map(r => ({ ...r, props: allFields(r.props, mode) })) },
                        ...resources.map((target, i) => ({
                            label: `resource ${target.name}`,
                            resources: resources.map((r, j) => (j === i ? { ...r, props: allFields(r.props, mode) } : r)),
                        })),
                        // Field by field (replacing the value) for the example stacks in plain mode; the fixtures and
                        // secrets field by field run over the protocol.
                        ...(mode === "secret" || source === "fixtures" ? [] : resources.flatMap((target, i) => perFieldVariants(target.props, mode).map(v => ({
                            label: `resource ${target.name} field ${v.field}`,
                            resources: resources.map((r, j) => (j === i ? { ...r, props: v.props } : r)),
                        })))),
                    ];
                    for (const v of variants) {
                        c.resources.push(...v.resources.map(r => ({ urn: r.urn!, type: r.type, name: r.name ?? "r", props: r.props })));
                        for (const d of definitions.filter(x => x.kind === "stack")) {
                            c.add(d.meta.name, "", await checkStack(d.meta.name, v.resources), `${source}, ${v.label} (${mode})`, "stack");
                        }
                    }
                    c.checkReports();
                }
            }
        });
        // Stack-policy entries of KNOWN_LEAKS depend on how the example stacks link; they are allowed, not required.
        assertNoLeaks(c, output);
    });

    it("a Pulumi secret at any depth never appears, even from a policy that names plain values", async () => {
        // Every property of every fixture and example resource, at every depth, made secret as a whole:
        // the pack redacts secret values centrally, so no known leak is allowed here.
        const c = new Collector();
        const strict = (policy: string, urn: string, outcome: Outcome, where: string, phase: "resource" | "stack") => {
            const before = c.knownSeen.size;
            c.add(policy, urn, outcome, where, phase);
            if (c.knownSeen.size !== before || c.knownCores.size > 0) {
                c.found.push({ where, text: `${policy}: a known leak showed a secret value` });
                c.knownCores.clear();
            }
        };
        let runs = 0;
        const { output } = await captureOutput(async () => {
            for (const base of [...fixtures, ...examples]) {
                const policies = definitions.filter(d => d.kind === "resource" && d.resourceTypes.includes(base.type));
                secretSubtreeVariants(base.props).forEach((v, i) => {
                    const resource: TestResource = { ...base, urn: urnOf(base, `-subtree-${i}`), props: v.props };
                    c.resources.push({ urn: resource.urn!, type: base.type, name: base.name ?? "r", props: v.props });
                    for (const d of policies) {
                        strict(d.meta.name, resource.urn!, check(d.meta.name, resource), `${base.type} ${base.name} secret ${v.field}`, "resource");
                        runs++;
                    }
                });
                c.checkReports();
            }
            const stacks = new Map<string, TestResource[]>();
            for (const r of examples) {
                stacks.set(r.source, [...(stacks.get(r.source) ?? []), r]);
            }
            for (const [source, resources] of stacks) {
                for (const [i, target] of resources.entries()) {
                    for (const v of secretSubtreeVariants(target.props, true)) {
                        const variant = resources.map((r, j) => (j === i ? { ...r, props: v.props } : r));
                        c.resources.push(...variant.map(r => ({ urn: r.urn!, type: r.type, name: r.name ?? "r", props: r.props })));
                        for (const d of definitions.filter(x => x.kind === "stack")) {
                            strict(d.meta.name, "", await checkStack(d.meta.name, variant), `${source}, ${target.name} secret ${v.field}`, "stack");
                        }
                    }
                    c.checkReports();
                }
            }
        });
        assert.ok(runs > 1000, `only ${runs} runs`);
        assertNoLeaks(c, output);
    });

    it("detects a leak when one is planted (self-test of the detector)", () => {
        const c = new Collector();
        c.add(definitions.find(d => !d.meta.informational)!.meta.name, "urn:x", { violations: [{ message: "value cnry0000zzzzqz7x is bad", level: "advisory" }] }, "self-test", "resource");
        assert.strictEqual(c.found.length, 1);
        assert.ok(reportWriters().every(w => leaks(w.write(c.result(), [])).length > 0), "every report writer shows messages");
        c.checkReports();
        assert.ok(c.found.length > reportWriters().length);
    });
});
