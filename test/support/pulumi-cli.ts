// The Pulumi CLI for the end-to-end tier (test/e2e), and a throw-away, offline workspace to run it in.
//
// Where the CLI comes from, first match wins:
//   1. SERVERLESS_GUARD_PULUMI_BIN: a bin directory (what `scripts/provision-pulumi.sh` prints);
//   2. `pulumi` (>= v3.229.0) on PATH (with `pulumi-language-nodejs` or `pulumi-analyzer-policy-nodejs`
//      when the suite needs the CLI's own Node.js policy host);
//   3. an existing pinned build in ${SERVERLESS_GUARD_CACHE:-~/.cache/serverless-guard}/pulumi-<version>/bin;
//   4. with SERVERLESS_GUARD_E2E=1 only: build it with `scripts/provision-pulumi.sh --allow-analyzer-shim`.
// Otherwise a suite is skipped, and says why and how to enable it.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO } from "./pack";

export const MIN_MINOR = 229; // `pulumi policy analyze`, RunPlugin for policy packs
const SCRIPT = path.join(REPO, "scripts", "provision-pulumi.sh");

export interface Ran { code: number | null; stdout: string; stderr: string }
export interface Cli { bin: string; version: string; host?: string }
export type Found = Cli | { skip: string };

/** The Pulumi release the provisioning script builds by default (the @pulumi/pulumi npm pin). */
export function pinnedVersion(): string {
    const m = /SERVERLESS_GUARD_PULUMI_VERSION:-(v3\.\d+\.\d+)/.exec(fs.readFileSync(SCRIPT, "utf8"));
    return process.env.SERVERLESS_GUARD_PULUMI_VERSION ?? (m ? m[1] : "v3.248.0");
}

export function versionOf(pulumi: string): string | undefined {
    const res = spawnSync(pulumi, ["version"], { encoding: "utf8", timeout: 30000, env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
    return res.status === 0 ? res.stdout.trim() : undefined;
}

function recentEnough(version: string | undefined): boolean {
    const m = /^v?3\.(\d+)\./.exec(version ?? "");
    return m !== null && Number(m[1]) >= MIN_MINOR;
}

export function onPath(name: string, envPath = process.env.PATH ?? ""): string | undefined {
    for (const dir of envPath.split(path.delimiter)) {
        const file = path.join(dir || ".", name);
        try {
            fs.accessSync(file, fs.constants.X_OK);
            return file;
        } catch {
            // not here
        }
    }
    return undefined;
}

/** A real `pulumi-language-nodejs` next to the CLI or on the caller's PATH (where the engine looks). */
export function nodeLanguageHost(dir: string): string | undefined {
    const file = path.join(dir, "pulumi-language-nodejs");
    return fs.existsSync(file) ? file : onPath("pulumi-language-nodejs");
}

/**
 * Says which Node.js language host the engine gets with the CLI in `dir`: the real one, or why not
 * (the reason scripts/provision-pulumi.sh recorded when it fell back to the analyzer shim).
 */
export function languageHostNote(dir: string): string {
    const real = nodeLanguageHost(dir);
    if (real) {
        return `real pulumi-language-nodejs (${real})`;
    }
    let why = `no pulumi-language-nodejs next to the CLI in ${dir} or on PATH`;
    try {
        why = fs.readFileSync(path.join(dir, "..", "langhost-fallback.txt"), "utf8").trim() || why;
    } catch {
        // no recorded reason
    }
    return `NOT the real pulumi-language-nodejs (${why})`;
}

/** The policy host the CLI will use for a Node.js pack, in dir or on PATH. */
export function nodePolicyHost(dir: string): string | undefined {
    for (const name of ["pulumi-language-nodejs", "pulumi-analyzer-policy-nodejs"]) {
        const file = path.join(dir, name);
        if (fs.existsSync(file)) {
            return file;
        }
    }
    return onPath("pulumi-language-nodejs") ?? onPath("pulumi-analyzer-policy-nodejs");
}

/**
 * Finds the CLI. With `needsPolicyHost` (the default), only a CLI that can start a Node.js policy pack
 * by itself counts; a suite that brings its own language host passes false.
 */
export function findCli(opts: { needsPolicyHost?: boolean } = {}): Found {
    const needsHost = opts.needsPolicyHost ?? true;
    const hostOk = (host: string | undefined) => !needsHost || host !== undefined;
    const explicit = process.env.SERVERLESS_GUARD_PULUMI_BIN;
    if (explicit) {
        // Asked for by name: a broken directory is an error, not a skip.
        const version = versionOf(path.join(explicit, "pulumi"));
        const host = nodePolicyHost(explicit);
        if (!recentEnough(version) || !hostOk(host)) {
            throw new Error(`SERVERLESS_GUARD_PULUMI_BIN=${explicit} needs an executable pulumi >= v3.${MIN_MINOR}.0 (found: ${version ?? "none"})`
                + (needsHost ? ` and pulumi-language-nodejs or pulumi-analyzer-policy-nodejs (found: ${host ?? "none"})` : ""));
        }
        return { bin: explicit, version: version!, host };
    }
    const notes: string[] = [];
    const pathPulumi = onPath("pulumi");
    if (pathPulumi) {
        const version = versionOf(pathPulumi);
        const host = nodePolicyHost(path.dirname(pathPulumi));
        if (recentEnough(version) && hostOk(host)) {
            return { bin: path.dirname(pathPulumi), version: version!, host };
        }
        notes.push(`${pathPulumi} is ${version ?? "not runnable"}${hostOk(host) ? "" : " without a Node.js policy host"}, need >= v3.${MIN_MINOR}.0`
            + (needsHost ? " with pulumi-language-nodejs" : ""));
    } else {
        notes.push("no pulumi on PATH");
    }
    const version = pinnedVersion();
    const cache = process.env.SERVERLESS_GUARD_CACHE ?? path.join(os.homedir(), ".cache", "serverless-guard");
    const cached = path.join(cache, `pulumi-${version}`, "bin");
    const cachedHost = nodePolicyHost(cached);
    if (versionOf(path.join(cached, "pulumi")) === version && hostOk(cachedHost)) {
        return { bin: cached, version, host: cachedHost };
    }
    notes.push(`no pinned build in ${cached}`);
    if (process.env.SERVERLESS_GUARD_E2E === "1") {
        // Explicitly asked for: a cold build takes 6-16 minutes; its progress goes to stderr.
        const res = spawnSync("bash", [SCRIPT, "--allow-analyzer-shim"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 40 * 60 * 1000 });
        const lines = (res.stdout ?? "").trim().split("\n");
        const bin = lines[lines.length - 1];
        const host = bin ? nodePolicyHost(bin) : undefined;
        if (res.status !== 0 || !bin || !host) {
            throw new Error(`SERVERLESS_GUARD_E2E=1 but scripts/provision-pulumi.sh --allow-analyzer-shim failed (exit ${res.status}${res.error ? `, ${res.error.message}` : ""})`);
        }
        return { bin, version: versionOf(path.join(bin, "pulumi")) ?? "?", host };
    }
    const reason = process.env.SERVERLESS_GUARD_E2E_SKIP_REASON;
    return {
        skip: `skipped: no Pulumi CLI (${reason ? `${reason}; ` : ""}${notes.join("; ")}). `
            + `To run this tier: export SERVERLESS_GUARD_PULUMI_BIN=<bin dir printed by scripts/provision-pulumi.sh --allow-analyzer-shim>, `
            + `or run SERVERLESS_GUARD_E2E=1 npm test to build the pinned ${version} from source (6-16 min, needs Go and the Go module proxy).`,
    };
}

/**
 * A throw-away, offline Pulumi workspace: its own PULUMI_HOME and file backend in a temp directory,
 * no update check, no plugin downloads, an empty passphrase, and none of the caller's PULUMI_*
 * settings (access token, cloud URL, passphrase file, PULUMI_IGNORE_AMBIENT_PLUGINS…).
 */
export class Workspace {
    readonly tmp: string;
    readonly env: NodeJS.ProcessEnv;

    constructor(readonly cli: Cli, opts: { prefix: string }) {
        this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), opts.prefix));
        fs.mkdirSync(path.join(this.tmp, "home"));
        fs.mkdirSync(path.join(this.tmp, "backend"));
        const env: NodeJS.ProcessEnv = { ...process.env };
        for (const k of Object.keys(env)) {
            if (k.startsWith("PULUMI_")) {
                delete env[k];
            }
        }
        Object.assign(env, {
            PATH: [cli.bin, path.dirname(process.execPath), process.env.PATH].join(path.delimiter),
            PULUMI_HOME: path.join(this.tmp, "home"),
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_CONFIG_PASSPHRASE: "",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        });
        this.env = env;
    }

    /** Puts a directory first on the CLI's PATH, where the engine looks for ambient plugins. */
    prependPath(dir: string): void {
        this.env.PATH = [dir, this.env.PATH].join(path.delimiter);
    }

    /** Runs `pulumi <args> --non-interactive --color never` in `cwd`. */
    pulumi(args: string[], opts: { cwd: string; input?: string; timeout?: number; env?: NodeJS.ProcessEnv }): Ran {
        const res = spawnSync(path.join(this.cli.bin, "pulumi"), [...args, "--non-interactive", "--color", "never"], {
            cwd: opts.cwd, env: { ...this.env, ...opts.env }, input: opts.input, encoding: "utf8",
            timeout: opts.timeout ?? 120000, maxBuffer: 64 * 1024 * 1024,
        });
        if (res.error) {
            throw res.error;
        }
        return { code: res.status, stdout: res.stdout, stderr: res.stderr };
    }

    /** `pulumi login` to the workspace's file backend. */
    login(cwd: string): Ran {
        return this.pulumi(["login", `file://${path.join(this.tmp, "backend")}`], { cwd });
    }

    dispose(): void {
        fs.rmSync(this.tmp, { recursive: true, force: true });
    }
}
