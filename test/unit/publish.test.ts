// Publish readiness, checked without Pulumi Cloud: what `pulumi policy publish` and the SDK require.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { definitions } from "../../policies/registry";
import { LABEL_PREFIX } from "../../policies/lib/exemptions";

const REPO = path.resolve(__dirname, "..", "..", "..");

describe("publish readiness", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));

    it("has a valid pack name and a semantic version", () => {
        const yaml = fs.readFileSync(path.join(REPO, "PulumiPolicy.yaml"), "utf8");
        assert.match(yaml, /^runtime: nodejs$/m);
        assert.match(yaml, /^name: serverless-guard$/m);
        assert.match(pkg.name, /^[a-zA-Z0-9-_.]{1,100}$/);
        assert.match(pkg.version, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
        assert.strictEqual(pkg.main, "bin/index.js");
        // The SDKs, and `yaml` for the OpenAPI documents policies read (a pinned, dependency-free parser).
        assert.deepStrictEqual(Object.keys(pkg.dependencies).sort(), ["@pulumi/policy", "@pulumi/pulumi", "yaml"]);
        assert.match(pkg.dependencies.yaml, /^\d+\.\d+\.\d+$/, "yaml is pinned");
    });

    it("keeps policy ids short enough for GCP exemption labels (63 characters)", () => {
        for (const d of definitions) {
            assert.ok((LABEL_PREFIX + d.meta.name).length <= 63, d.meta.name);
        }
    });

    it("packs the compiled pack and PulumiPolicy.yaml, and nothing secret, huge or for tests", function () {
        this.timeout(120000);
        const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: REPO, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        const files: { path: string; size: number }[] = JSON.parse(out)[0].files;
        const names = files.map(f => f.path);
        for (const required of ["package.json", "PulumiPolicy.yaml", "bin/index.js", "bin/policies/registry.js", "bin/policies/lib/define.js", "bin/runner/cli.js", "config/recommended.json"]) {
            assert.ok(names.includes(required), `missing ${required}`);
        }
        const bad = names.filter(n => /^bin\/test\/|node_modules|\.tsbuildinfo$|\.ts$|(^|\/)\.env|\.pem$|\.key$|id_rsa|\.tgz$/.test(n));
        assert.deepStrictEqual(bad, []);
        const huge = files.filter(f => f.size > 512 * 1024).map(f => f.path);
        assert.deepStrictEqual(huge, []);
    });
});
