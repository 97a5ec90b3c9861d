// A scan process loads @pulumi/policy without the rest of @pulumi/pulumi's index (runner/lazy-sdk.ts):
// the policies still run, and anything else of the index is there when it is asked for.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";

const BIN = path.resolve(__dirname, "..", "..", "..");

/** Runs a script in a fresh Node process (this one has loaded the SDK already) and returns what it prints. */
function fresh(script: string): string {
    const r = spawnSync(process.execPath, ["-e", script], { cwd: BIN, encoding: "utf8" });
    assert.strictEqual(r.status, 0, r.stderr);
    return r.stdout.trim();
}

describe("runner/lazy-sdk: @pulumi/pulumi's index loaded when asked for", function () {
    this.timeout(60000);

    it("a scan's policies run without loading the index; the asset classes are the index's own", () => {
        const out = fresh(`
            const { deferPulumiIndex } = require("./runner/lazy-sdk");
            const loadedIndex = () => Object.keys(require.cache).some(f => /@pulumi[\\\\/]pulumi[\\\\/]automation[\\\\/]/.test(f));
            const installed = deferPulumiIndex();
            const { runLocally } = require("./runner/local");
            const { parseInput } = require("./runner/inputs");
            const text = require("fs").readFileSync(${JSON.stringify(path.resolve(BIN, "..", "examples", "stacks", "aws-insecure.json"))}, "utf8");
            runLocally({ resources: parseInput(text, "aws-insecure").resources }).then(r => {
                const before = loadedIndex();
                const pulumi = require("@pulumi/pulumi");
                const sameAsset = pulumi.asset === require("@pulumi/pulumi/asset");
                const output = typeof pulumi.Output.isInstance;
                console.log(JSON.stringify({ installed, findings: r.diagnostics.length > 0, before, sameAsset, output, after: loadedIndex(), esModule: pulumi.__esModule, keys: Object.keys(pulumi).includes("Output") }));
            });
        `);
        assert.deepStrictEqual(JSON.parse(out), { installed: true, findings: true, before: false, sameAsset: true, output: "function", after: true, esModule: true, keys: true });
    });

    it("does nothing where the index is loaded already", () => {
        assert.strictEqual(fresh(`require("@pulumi/pulumi"); console.log(require("./runner/lazy-sdk").deferPulumiIndex())`), "false");
    });
});
