// Mocha root hooks. After a full run of the suite, every policy must have been seen both passing and
// failing in its unit tests.
import { definitions } from "../../policies/registry";
import { observed } from "./harness";

function isFullRun(): boolean {
    const args = process.argv.slice(2);
    return !args.some(a => a === "--grep" || a === "-g" || a === "--fgrep" || a.endsWith(".js") || a.startsWith("bin/"));
}

export const mochaHooks = {
    afterAll(this: Mocha.Context) {
        if (!isFullRun()) {
            return;
        }
        const missing: string[] = [];
        for (const d of definitions) {
            const seen = observed.get(d.meta.name) ?? new Set();
            for (const outcome of d.meta.informational ? ["pass"] as const : ["pass", "fail"] as const) {
                if (!seen.has(outcome)) {
                    missing.push(`${d.meta.name} has no unit test where it ${outcome === "pass" ? "passes" : "reports a violation"}`);
                }
            }
        }
        if (missing.length > 0) {
            throw new Error(`policies without tests for both outcomes:\n  ${missing.join("\n  ")}`);
        }
    },
};
