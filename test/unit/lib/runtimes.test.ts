import * as assert from "assert";
import { AWS_LAMBDA_RUNTIMES } from "../../../policies/data/runtimes";
import { parseIsoDate, runtimeStatus, suggestedRuntime } from "../../../policies/lib/runtimes";

describe("runtime schedules", () => {
    const on = (d: string) => parseIsoDate(d)!;

    it("flags a runtime from its deprecation date and warns before it", () => {
        assert.strictEqual(runtimeStatus(AWS_LAMBDA_RUNTIMES, "nodejs20.x", on("2026-04-30"), 90).state, "deprecated");
        assert.strictEqual(runtimeStatus(AWS_LAMBDA_RUNTIMES, "nodejs20.x", on("2026-04-29"), 90).state, "deprecating");
        assert.strictEqual(runtimeStatus(AWS_LAMBDA_RUNTIMES, "nodejs20.x", on("2025-12-01"), 90).state, "supported");
        assert.strictEqual(runtimeStatus(AWS_LAMBDA_RUNTIMES, "cobol", on("2025-12-01"), 90).state, "unlisted");
        assert.strictEqual(runtimeStatus(AWS_LAMBDA_RUNTIMES, "constructor", on("2025-12-01"), 90).state, "unlisted");
    });

    it("suggests the newest supported runtime of the same family", () => {
        assert.strictEqual(suggestedRuntime(AWS_LAMBDA_RUNTIMES, "python3.8", on("2026-11-28")), "python3.14");
        assert.strictEqual(suggestedRuntime(AWS_LAMBDA_RUNTIMES, "go1.x", on("2026-11-28")), undefined);
    });

    it("keeps every schedule entry a real date", () => {
        for (const [id, e] of Object.entries(AWS_LAMBDA_RUNTIMES.runtimes)) {
            assert.ok(parseIsoDate(e.deprecated), `${id}: ${e.deprecated}`);
        }
        assert.strictEqual(parseIsoDate("2026-02-30"), undefined);
        assert.strictEqual(parseIsoDate("tomorrow"), undefined);
    });
});
