// The V8 flags a scan's processes run with (runner/batch-tuning.ts).
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { batchFlags } from "../../../runner/batch-tuning";

describe("scan processes: V8 tuned for a batch", () => {
    it("names the tier-up counter each V8 has: the interrupt budget before Maglev (Node.js 20), the TurboFan invocation count after", () => {
        assert.ok(batchFlags("11.3.244.8-node.38").includes("--interrupt-budget=400000"));
        for (const v8 of ["12.4.254.21-node.57", "13.6.233.17-node.53"]) {
            assert.ok(batchFlags(v8).includes("--invocation-count-for-turbofan=9000"), v8);
            assert.ok(!batchFlags(v8).some(f => f.startsWith("--interrupt-budget")), v8);
        }
    });

    it("every flag is one this Node.js knows: V8 writes an error for any other", () => {
        const module = path.resolve(__dirname, "..", "..", "..", "runner", "batch-tuning.js");
        const r = spawnSync(process.execPath, ["-e", `require(${JSON.stringify(module)}).tuneForBatch(); console.log("done")`], { encoding: "utf8" });
        assert.strictEqual(r.stderr, "");
        assert.strictEqual(r.stdout, "done\n");
        assert.strictEqual(r.status, 0);
    });
});
