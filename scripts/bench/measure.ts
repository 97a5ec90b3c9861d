// Measuring helpers for the benchmark: the floor pack, start-up timing, configured pack processes
// with their pid (through the preload), /proc readings, install footprints and the scanner run.
import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PolicyPackProcess, withEnforcementLevel } from "../../runner/engine";
import { reconcileConfig } from "../../runner/config";

export const PRELOAD = path.join(__dirname, "preload.js");

/**
 * A pack with one trivial policy, compiled JavaScript, sharing this repository's node_modules (and so
 * the same @pulumi/policy and @pulumi/pulumi): the floor any pack pays.
 */
export function createFloorPack(repoDir: string, parent: string): string {
    return writePack(repoDir, parent, "floor-pack", "benchmark floor pack", [
        `"use strict";`,
        `const { PolicyPack } = require("@pulumi/policy");`,
        `new PolicyPack("floor-pack", {`,
        `    policies: [{`,
        `        name: "floor-trivial",`,
        `        description: "A policy that accepts every resource.",`,
        `        enforcementLevel: "advisory",`,
        `        validateResource: (args, reportViolation) => { if (args.type === "none") { reportViolation("never"); } },`,
        `    }],`,
        `});`,
    ]);
}

/**
 * A floor pack with this pack's policy shape: one trivial policy per policy of the pack, with the same
 * names and resource types (single-type ones tagged with __pulumiType as the definition layer does,
 * multi-type ones answering "not applicable" for other types without a stack trace). Its Analyze cost
 * over the plain floor is what the SDK charges for dispatching to that many policies.
 */
export function createShapeFloorPack(repoDir: string, parent: string, shape: { name: string; kind: string; types: readonly string[] }[]): string {
    return writePack(repoDir, parent, "shape-floor-pack", "benchmark floor pack with the policy shape of serverless-guard", [
        `"use strict";`,
        `const { PolicyPack } = require("@pulumi/policy");`,
        `const shape = ${JSON.stringify(shape)};`,
        `function validate(types) {`,
        `    const set = new Set(types);`,
        `    const f = args => {`,
        `        if (!set.has(args.type)) {`,
        `            const limit = Error.stackTraceLimit;`,
        `            Error.stackTraceLimit = 0;`,
        `            try { args.notApplicable("applies only to " + types.join(", ")); } finally { Error.stackTraceLimit = limit; }`,
        `        }`,
        `    };`,
        `    if (types.length === 1) { f.__pulumiType = types[0]; }`,
        `    return f;`,
        `}`,
        `new PolicyPack("shape-floor-pack", {`,
        `    policies: shape.map(p => p.kind === "stack"`,
        `        ? { name: p.name, description: "trivial", enforcementLevel: "advisory", validateStack: () => {} }`,
        `        : { name: p.name, description: "trivial", enforcementLevel: "advisory", validateResource: validate(p.types) }),`,
        `});`,
    ]);
}

/** A compiled-JavaScript pack in a new directory under parent, sharing this repository's node_modules. */
function writePack(repoDir: string, parent: string, name: string, description: string, index: string[]): string {
    const dir = fs.mkdtempSync(path.join(parent, `${name}-`));
    fs.symlinkSync(path.join(repoDir, "node_modules"), path.join(dir, "node_modules"), "dir");
    fs.writeFileSync(path.join(dir, "PulumiPolicy.yaml"), `runtime: nodejs\ndescription: ${description}\n`);
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, version: "0.0.1", main: "index.js" }, null, 2));
    fs.writeFileSync(path.join(dir, "index.js"), [...index, ""].join("\n"));
    return dir;
}

function runPolicyPackScript(packDir: string): string {
    return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
}

/** Milliseconds from spawning run-policy-pack to the port line on stdout; the process is then stopped. */
export function timeStartup(packDir: string, timeoutMs = 120000): Promise<number> {
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const child = spawn(process.execPath, [runPolicyPackScript(packDir), "127.0.0.1:0", "."], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        let err = "";
        let elapsed: number | undefined;
        const timer = setTimeout(() => { child.kill("SIGKILL"); reject(new Error(`no port from ${packDir} within ${timeoutMs} ms`)); }, timeoutMs);
        child.stdout.setEncoding("utf8");
        child.stderr.setEncoding("utf8");
        child.stderr.on("data", d => { err = (err + d).slice(-4000); });
        child.stdout.on("data", d => {
            out += d;
            if (elapsed === undefined && out.includes("\n")) {
                elapsed = Number(process.hrtime.bigint() - started) / 1e6;
                clearTimeout(timer);
                if (!/^\d+$/.test(out.split("\n")[0].trim())) {
                    child.kill("SIGKILL");
                    reject(new Error(`unexpected first line from ${packDir}: ${out.split("\n")[0].slice(0, 200)}\n${err}`));
                    return;
                }
                child.kill("SIGTERM");
            }
        });
        child.on("exit", code => {
            clearTimeout(timer);
            if (elapsed === undefined) {
                reject(new Error(`${packDir} exited with ${code} before printing its port\n${err}`));
            } else {
                resolve(elapsed);
            }
        });
    });
}

export interface RunningPack {
    pack: PolicyPackProcess;
    pid?: number;
}

/** Starts a pack with the preload (pid file, optional profiles), then configures it the way the engine does. */
export async function startConfigured(packDir: string, tmp: string, env: NodeJS.ProcessEnv = {}): Promise<RunningPack> {
    const pidFile = path.join(tmp, `pids-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.jsonl`);
    const pack = await PolicyPackProcess.start({
        packDir,
        env: { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${PRELOAD}`.trim(), BENCH_PID_FILE: pidFile, ...env },
    });
    await pack.handshake(packDir);
    await pack.configureStack({ stack: "bench", project: "bench" });
    await pack.getPluginInfo();
    const info = await pack.getAnalyzerInfo();
    await pack.configure(reconcileConfig(withEnforcementLevel(info.policies), info.initialConfig, {}, `${info.name} ${info.version}`));
    return { pack, pid: readPids(pidFile).find(p => /run-policy-pack/.test(p.script))?.pid };
}

export interface PidRecord { pid: number; script: string; vmHwmKb?: number }

export function readPids(file: string): PidRecord[] {
    if (!fs.existsSync(file)) {
        return [];
    }
    return fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map(l => JSON.parse(l) as PidRecord);
}

/** Peak resident set size of a live process, in MiB. */
export function vmHwmMiB(pid: number | undefined): number | undefined {
    if (!pid) {
        return undefined;
    }
    try {
        const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        return m ? Number(m[1]) / 1024 : undefined;
    } catch {
        return undefined;
    }
}

let clockTicks: number | undefined;
/** User + system CPU time of a live process, in milliseconds. */
export function cpuMs(pid: number | undefined): number | undefined {
    if (!pid) {
        return undefined;
    }
    try {
        clockTicks = clockTicks ?? (Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100);
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
        return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
    } catch {
        return undefined;
    }
}

/** Apparent size (bytes) and file count of a directory tree, symlinks not followed. */
export function treeSize(dir: string): { bytes: number; files: number } {
    let bytes = 0;
    let files = 0;
    const stack = [dir];
    while (stack.length > 0) {
        const d = stack.pop()!;
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) {
                stack.push(p);
            } else {
                bytes += fs.lstatSync(p).size;
                files++;
            }
        }
    }
    return { bytes, files };
}

/** A copy of a repository's sources as a fresh clone has them, with its installed node_modules linked in. */
export function freshCopy(repoDir: string, dest: string): string {
    fs.mkdirSync(dest, { recursive: true });
    const tar = spawnSync("sh", ["-c", `tar -C "$1" --exclude=./node_modules --exclude=./bin --exclude=./.git --exclude='*.tgz' --exclude=./bench-results --exclude=./reports -cf - . | tar -C "$2" -xf -`, "sh", repoDir, dest], { encoding: "utf8" });
    if (tar.status !== 0) {
        throw new Error(`copying ${repoDir} failed: ${tar.stderr}`);
    }
    fs.symlinkSync(path.join(repoDir, "node_modules"), path.join(dest, "node_modules"));
    return dest;
}

/** `npm pack` as `pulumi policy publish` runs it (it reads the tarball's name from stdout); returns the tarball. */
export function packAsPublishDoes(dir: string): string {
    const res = spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", ["pack", "--loglevel=error"], { cwd: dir, encoding: "utf8", timeout: 15 * 60 * 1000 });
    const name = (res.stdout ?? "").trim();
    if (res.status !== 0 || !fs.existsSync(path.join(dir, name))) {
        throw new Error(`npm pack in ${dir} failed or did not print the tarball's name alone (exit ${res.status}): ${JSON.stringify(res.stdout)} ${(res.stderr ?? "").slice(-2000)}`);
    }
    return path.join(dir, name);
}

/** Extracts a tarball as the CLI installs a required pack: its package/ directory becomes `dest`. */
export function extractAsCliDoes(tarball: string, dest: string): string {
    const tmp = `${dest}.tmp`;
    fs.mkdirSync(tmp, { recursive: true });
    const res = spawnSync("tar", ["-xzf", tarball, "-C", tmp], { encoding: "utf8" });
    if (res.status !== 0) {
        throw new Error(`extracting ${tarball} failed: ${res.stderr}`);
    }
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.renameSync(path.join(tmp, "package"), dest);
    fs.rmSync(tmp, { recursive: true, force: true });
    return dest;
}

/** The command the Node.js language host runs for a policy pack (InstallDependencies with IsPlugin: production=false). */
export const LANGUAGE_HOST_INSTALL = ["install", "--loglevel=error"];

export interface InstallRun { seconds: number; bytes: number; files: number; versions: Record<string, string> }

/** Runs the language host's install in `dir` with its own npm cache (`cache`), and measures it. */
function languageHostInstall(dir: string, cache: string): InstallRun {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", LANGUAGE_HOST_INSTALL, {
        cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_cache: cache, npm_config_audit: "false", npm_config_fund: "false" },
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.status !== 0) {
        throw new Error(`npm ${LANGUAGE_HOST_INSTALL.join(" ")} failed (${r.status}) in ${dir}:\n${(r.stderr || r.stdout || "").slice(-3000)}`);
    }
    const nm = path.join(dir, "node_modules");
    const versions: Record<string, string> = {};
    for (const name of ["@pulumi/policy", "@pulumi/pulumi"]) {
        const pj = path.join(nm, name, "package.json");
        if (fs.existsSync(pj)) {
            versions[name] = String(JSON.parse(fs.readFileSync(pj, "utf8")).version).replace(/^v/, "");
        }
    }
    return { seconds, ...treeSize(nm), versions };
}

export interface InstallFootprint {
    packMiB: number; floorMiB: number; packFiles: number; floorFiles: number;
    /** Wall time of the install with an empty npm cache (an ephemeral CI runner), and again with that cache filled. */
    packSeconds: number; floorSeconds: number; packWarmSeconds: number; floorWarmSeconds: number;
    versions: Record<string, string>; tarballKiB: number;
}

/**
 * The install Pulumi runs where a policy group requires the pack: the tarball `pulumi policy publish`
 * makes (npm pack in a fresh copy of the repository), extracted as the CLI does, installed with the
 * language host's plain `npm install`; against the floor, a package that depends on @pulumi/policy and
 * @pulumi/pulumi alone (the lockfile's versions) installed the same way. Each install runs with an
 * empty npm cache, then again in a new directory with the cache it filled; the two kinds interleave.
 */
export function installFootprint(repoDir: string, parent: string): InstallFootprint {
    const tarball = packAsPublishDoes(freshCopy(repoDir, path.join(parent, "clone")));
    const lock = JSON.parse(fs.readFileSync(path.join(repoDir, "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
    const floorDeps = Object.fromEntries(["@pulumi/policy", "@pulumi/pulumi"].map(n => [n, lock.packages[`node_modules/${n}`]?.version ?? "*"]));
    const packDir = (label: string) => extractAsCliDoes(tarball, path.join(parent, `install-pack-${label}`));
    const floorDir = (label: string) => {
        const dir = path.join(parent, `install-floor-${label}`);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "bench-install-floor", version: "1.0.0", private: true, dependencies: floorDeps }));
        return dir;
    };
    const packCache = path.join(parent, "npm-cache-pack");
    const floorCache = path.join(parent, "npm-cache-floor");
    const packCold = languageHostInstall(packDir("cold"), packCache);
    const floorCold = languageHostInstall(floorDir("cold"), floorCache);
    const packWarm = languageHostInstall(packDir("warm"), packCache);
    const floorWarm = languageHostInstall(floorDir("warm"), floorCache);
    const versions: Record<string, string> = {};
    for (const [k, v] of Object.entries(packCold.versions)) { versions[`pack:${k}`] = v; }
    for (const [k, v] of Object.entries(floorCold.versions)) { versions[`floor:${k}`] = v; }
    return {
        packMiB: packCold.bytes / 1048576,
        floorMiB: floorCold.bytes / 1048576,
        packFiles: packCold.files,
        floorFiles: floorCold.files,
        packSeconds: packCold.seconds,
        floorSeconds: floorCold.seconds,
        packWarmSeconds: packWarm.seconds,
        floorWarmSeconds: floorWarm.seconds,
        versions,
        tarballKiB: fs.statSync(tarball).size / 1024,
    };
}

export interface ScanMeasurement {
    wallMs: number; peakRssMiB?: number; packPeakRssMiB?: number; cliPeakRssMiB?: number; workerPeakRssMiB?: number; via: string; exitCode: number | null; stderr: string;
    /** User and system CPU time of the scan and the processes it started (from /usr/bin/time). */
    cpuMs?: number;
    /** Progress lines the scan wrote to its stderr (a pipe, as in a CI log), and the longest time it wrote none. */
    progressLines: number; longestSilenceMs: number;
}

function parseTimeV(text: string): { wallMs?: number; maxRssKb?: number; cpuMs?: number } {
    const rss = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(text);
    const user = /User time \(seconds\):\s*([\d.]+)/.exec(text);
    const system = /System time \(seconds\):\s*([\d.]+)/.exec(text);
    const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\):\s*([\d:.]+)/.exec(text);
    let wallMs: number | undefined;
    if (wall) {
        wallMs = wall[1].split(":").reduce((acc, part) => acc * 60 + Number(part), 0) * 1000;
    }
    return { wallMs, maxRssKb: rss ? Number(rss[1]) : undefined, cpuMs: user && system ? (Number(user[1]) + Number(system[1])) * 1000 : undefined };
}

/** Runs `node bin/runner/cli.js scan <file...> [extra args]` and measures wall time and peak memory. */
export function measureScan(repoDir: string, file: string | string[], tmp: string, extra: string[] = []): Promise<ScanMeasurement> {
    const pidFile = path.join(tmp, `scan-pids-${Date.now()}.jsonl`);
    const cli = path.join(repoDir, "bin", "runner", "cli.js");
    const args = [cli, "scan", ...(Array.isArray(file) ? file : [file]), "--format", "json", "--output", path.join(tmp, "scan-report.json"), "--fail-on", "none", ...extra];
    const useTime = fs.existsSync("/usr/bin/time");
    const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${PRELOAD}`.trim(), BENCH_PID_FILE: pidFile };
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const child = useTime
            ? spawn("/usr/bin/time", ["-v", process.execPath, ...args], { cwd: repoDir, env, stdio: ["ignore", "ignore", "pipe"] })
            : spawn(process.execPath, args, { cwd: repoDir, env, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        let progressLines = 0;
        let lastOutput = started;
        let longestSilence = 0n;
        child.stderr!.setEncoding("utf8");
        child.stderr!.on("data", (d: string) => {
            stderr = (stderr + d).slice(-20000);
            const lines = d.split("\n").filter(l => /^(analyzing resources|scanning stacks): \d+\/\d+/.test(l)).length;
            if (lines > 0) {
                const now = process.hrtime.bigint();
                longestSilence = now - lastOutput > longestSilence ? now - lastOutput : longestSilence;
                lastOutput = now;
                progressLines += lines;
            }
        });
        child.on("error", reject);
        child.on("exit", code => {
            const ended = process.hrtime.bigint();
            const wall = Number(ended - started) / 1e6;
            longestSilence = ended - lastOutput > longestSilence ? ended - lastOutput : longestSilence;
            const pids = readPids(pidFile).filter(p => p.vmHwmKb !== undefined);
            const pack = pids.find(p => /run-policy-pack/.test(p.script));
            const cliProc = pids.find(p => /cli\.js$/.test(p.script));
            const workers = pids.filter(p => /scan-worker\.js$/.test(p.script));
            const timeV = useTime ? parseTimeV(stderr) : {};
            const fromPreload = Math.max(...pids.map(p => p.vmHwmKb ?? 0));
            resolve({
                wallMs: timeV.wallMs ?? wall,
                peakRssMiB: timeV.maxRssKb !== undefined ? timeV.maxRssKb / 1024 : fromPreload > 0 ? fromPreload / 1024 : undefined,
                packPeakRssMiB: pack?.vmHwmKb !== undefined ? pack.vmHwmKb / 1024 : undefined,
                cliPeakRssMiB: cliProc?.vmHwmKb !== undefined ? cliProc.vmHwmKb / 1024 : undefined,
                workerPeakRssMiB: workers.length ? Math.max(...workers.map(p => p.vmHwmKb ?? 0)) / 1024 : undefined,
                via: useTime ? "/usr/bin/time -v (largest process of the scan)" : "VmHWM of each process at exit",
                cpuMs: timeV.cpuMs,
                exitCode: code,
                stderr,
                progressLines,
                longestSilenceMs: Number(longestSilence) / 1e6,
            });
        });
    });
}

/** Wall time and peak RSS of the scan floor (scan-floor.ts) on the same export. */
export function measureScanFloor(file: string): { wallMs: number; peakRssMiB?: number } {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [path.join(__dirname, "scan-floor.js"), file], { encoding: "utf8" });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.status !== 0) {
        throw new Error(`scan floor failed (${r.status}): ${(r.stderr || "").slice(-500)}`);
    }
    return { wallMs };
}

export function machine(): { cpus: number; memoryGiB: number; platform: string } {
    return { cpus: os.cpus().length, memoryGiB: os.totalmem() / 2 ** 30, platform: `${os.platform()} ${os.arch()}` };
}
