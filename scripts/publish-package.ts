// What `pulumi policy publish` ships. The CLI runs `npm pack` in the pack's directory, uploads the
// tarball, and every machine a policy group reaches extracts it and runs a plain `npm install`
// (devDependencies included). So for the length of `npm pack` (prepack .. postpack):
//   - package.json is the runtime manifest: no devDependencies or scripts, the two SDKs at the
//     lockfile's exact versions;
//   - npm-shrinkwrap.json pins exactly the runtime dependency tree, taken from package-lock.json
//     (npm drops the development-only packages from a copy of the lockfile; nothing is resolved anew).
// postpack puts the development package.json back and removes the shrinkwrap, which would otherwise
// take the lockfile's place for `npm ci`. A pack interrupted between the two is repaired by the next.
//
//   node bin/scripts/publish-package.js prepack|postpack
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const BACKUP = "package.json.prepack";
export const SHRINKWRAP = "npm-shrinkwrap.json";

/** Fields of the development package.json that the installed pack keeps. */
const RUNTIME_FIELDS = ["name", "version", "description", "license", "repository", "homepage", "main", "bin", "files", "engines", "dependencies", "private"];

type Manifest = Record<string, unknown> & { dependencies?: Record<string, string>; allowScripts?: Record<string, boolean> };
type Lock = { packages: Record<string, { version?: string; dev?: boolean }> };

/** The runtime manifest: dependencies pinned to the lockfile's versions, install-script approvals only for shipped packages. */
export function runtimeManifest(dev: Manifest, lock: Lock): Manifest {
    const out: Manifest = {};
    for (const field of RUNTIME_FIELDS) {
        if (dev[field] !== undefined) {
            out[field] = dev[field];
        }
    }
    const dependencies: Record<string, string> = {};
    for (const name of Object.keys(dev.dependencies ?? {})) {
        const locked = lock.packages[`node_modules/${name}`];
        if (!locked?.version || locked.dev) {
            throw new Error(`package-lock.json has no runtime entry for ${name}: run npm install`);
        }
        dependencies[name] = locked.version;
    }
    out.dependencies = dependencies;
    const shipped = new Set(Object.keys(lock.packages).filter(k => !lock.packages[k].dev).map(k => k.replace(/^.*node_modules\//, "")));
    const allow = Object.entries(dev.allowScripts ?? {}).filter(([name]) => shipped.has(name));
    if (allow.length > 0) {
        out.allowScripts = Object.fromEntries(allow);
    }
    return out;
}

function npm(args: string[], cwd: string): void {
    const res = spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (res.status !== 0) {
        throw new Error(`npm ${args.join(" ")} failed (${res.error?.message ?? `exit ${res.status}`}): ${(res.stderr || res.stdout).trim().split("\n").slice(-5).join(" ")}`);
    }
}

/** package-lock.json reduced to the packages a runtime-only install needs, as npm itself prunes it. */
export function runtimeShrinkwrap(manifest: Manifest, lockText: string): string {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "serverless-guard-shrinkwrap-"));
    try {
        fs.writeFileSync(path.join(tmp, "package.json"), JSON.stringify(manifest, null, 2));
        fs.writeFileSync(path.join(tmp, "package-lock.json"), lockText);
        npm(["install", "--package-lock-only", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], tmp);
        return fs.readFileSync(path.join(tmp, "package-lock.json"), "utf8");
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

export function postpack(dir: string): void {
    const backup = path.join(dir, BACKUP);
    if (fs.existsSync(backup)) {
        fs.copyFileSync(backup, path.join(dir, "package.json"));
        fs.rmSync(backup);
    }
    fs.rmSync(path.join(dir, SHRINKWRAP), { force: true });
}

export function prepack(dir: string): void {
    postpack(dir);
    if (!fs.existsSync(path.join(dir, "bin", "index.js"))) {
        throw new Error("bin/index.js is missing: the build did not run");
    }
    fs.chmodSync(path.join(dir, "bin", "runner", "cli.js"), 0o755);
    const devText = fs.readFileSync(path.join(dir, "package.json"), "utf8");
    const lockText = fs.readFileSync(path.join(dir, "package-lock.json"), "utf8");
    const manifest = runtimeManifest(JSON.parse(devText), JSON.parse(lockText));
    const shrinkwrap = runtimeShrinkwrap(manifest, lockText);
    fs.writeFileSync(path.join(dir, BACKUP), devText);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
    fs.writeFileSync(path.join(dir, SHRINKWRAP), shrinkwrap);
}

if (require.main === module) {
    const dir = path.resolve(__dirname, "..", "..");
    const step = process.argv[2];
    try {
        if (step === "prepack") {
            prepack(dir);
        } else if (step === "postpack") {
            postpack(dir);
        } else {
            throw new Error(`usage: publish-package.js prepack|postpack (got ${JSON.stringify(step)})`);
        }
    } catch (e) {
        process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 1;
    }
}
