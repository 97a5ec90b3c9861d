// Publish readiness, checked without Pulumi Cloud: what `pulumi policy publish` and the SDK require.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { definitions } from "../../policies/registry";
import { LABEL_PREFIX } from "../../policies/lib/exemptions";
import { runtimeManifest, runtimeShrinkwrap } from "../../scripts/publish-package";

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

    describe("the published package.json and npm-shrinkwrap.json (written for npm pack by prepack)", () => {
        const lockText = fs.readFileSync(path.join(REPO, "package-lock.json"), "utf8");
        const lock = JSON.parse(lockText);
        const manifest = runtimeManifest(pkg, lock);

        it("lists only the runtime dependencies, at the lockfile's exact versions, and no scripts", () => {
            assert.deepStrictEqual(manifest.dependencies, {
                "@pulumi/policy": lock.packages["node_modules/@pulumi/policy"].version,
                "@pulumi/pulumi": lock.packages["node_modules/@pulumi/pulumi"].version,
                "yaml": lock.packages["node_modules/yaml"].version,
            });
            assert.strictEqual(manifest.devDependencies, undefined, "a plain npm install would fetch devDependencies");
            assert.strictEqual(manifest.scripts, undefined);
            for (const field of ["name", "version", "main", "bin", "files", "engines"]) {
                assert.deepStrictEqual(manifest[field], pkg[field], field);
            }
            assert.ok(pkg.files.includes("npm-shrinkwrap.json"), "npm pack ships the shrinkwrap only when files names it");
            assert.match(pkg.scripts.prepack, /tsc -p tsconfig.publish.json/, "npm pack builds what it ships");
        });

        it("pins exactly the runtime tree: every package at the lockfile's version, no development package", function () {
            this.timeout(120000);
            const shrinkwrap = JSON.parse(runtimeShrinkwrap(manifest, lockText));
            const packages = Object.entries(shrinkwrap.packages as Record<string, { version?: string; dev?: boolean }>).filter(([k]) => k !== "");
            assert.ok(packages.length > 100, `${packages.length} packages`);
            assert.deepStrictEqual(packages.filter(([k, v]) => lock.packages[k]?.version !== v.version || lock.packages[k]?.dev).map(([k]) => k), []);
            const names = new Set(packages.map(([k]) => k.replace(/^.*node_modules\//, "")));
            // Development dependencies nothing at runtime needs (some, like @types/node, are also the SDK's).
            const devOnly = Object.keys(pkg.devDependencies).filter(n => lock.packages[`node_modules/${n}`]?.dev || lock.packages[`node_modules/${n}`]?.devOptional);
            assert.ok(devOnly.includes("typescript") && devOnly.includes("@pulumi/aws") && devOnly.includes("mocha"), devOnly.join(", "));
            assert.deepStrictEqual(devOnly.filter(n => names.has(n)), []);
            assert.ok(names.has("@grpc/grpc-js") && names.has("@pulumi/pulumi"));
            assert.deepStrictEqual(shrinkwrap.packages[""].dependencies, manifest.dependencies);
        });
    });
});
