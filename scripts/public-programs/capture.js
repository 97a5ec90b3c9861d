#!/usr/bin/env node
// Captures the public programs listed in manifest.json into test/public-programs/stacks/, twice each:
// `<id>.preview.json` (what `pulumi preview` knows: unknowns where a value waits on a new resource)
// and `<id>.up.json` (after `pulumi up`: every link resolved to a realistic id, ARN or email).
// Development-time only; CI runs the tier over the committed captures.
//
// usage: node scripts/public-programs/capture.js --source <owner/name>=<git dir> [...] [--python <python>] [--node-path <dirs>] [--only <id>,...]
//   --source     a local clone (or bare mirror) of each repository the manifest names; the pinned commit must be in it
//   --python     a Python with the packages of requirements.txt installed (for Python programs)
//   --node-path  module directories with the SDK packages for TypeScript programs (default: this repository's node_modules)
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { execFileSync, spawnSync } = require("child_process");

const root = path.resolve(__dirname, "..", "..");
const here = __dirname;
const manifest = JSON.parse(fs.readFileSync(path.join(here, "manifest.json"), "utf8"));
const outDir = path.join(root, "test", "public-programs", "stacks");

const args = process.argv.slice(2);
const sources = {};
let python;
let nodePath = path.join(root, "node_modules");
let only;
for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--source") {
        const [repo, dir] = args[++i].split("=");
        sources[repo] = dir;
    } else if (a === "--python") {
        python = args[++i];
    } else if (a === "--node-path") {
        nodePath = args[++i];
    } else if (a === "--only") {
        only = new Set(args[++i].split(","));
    } else {
        console.error(`unknown argument ${a}`);
        process.exit(2);
    }
}

function extract(program, into) {
    const gitDir = sources[program.repo];
    if (!gitDir) {
        throw new Error(`no --source given for ${program.repo}`);
    }
    const files = execFileSync("git", ["-C", gitDir, "ls-tree", "-r", "--name-only", program.commit, "--", program.path], { encoding: "utf8" })
        .split("\n").filter(Boolean);
    for (const f of files) {
        const rel = path.relative(program.path, f);
        const dest = path.join(into, rel);
        fs.mkdirSync(path.dirname(dest), { recursive: true });
        const r = spawnSync("git", ["-C", gitDir, "show", `${program.commit}:${f}`], { maxBuffer: 256 * 1024 * 1024 });
        // Large binaries may be missing from a shallow mirror; programs only name their paths.
        fs.writeFileSync(dest, r.status === 0 ? r.stdout : "");
    }
}

/**
 * The config defaults a program's Pulumi.yaml declares (`config:` or a template's `template.config:`,
 * each key with a `default:`), which `pulumi new` / `pulumi up` would apply. A template's
 * `${PROJECT}` name becomes the program id, as `pulumi new` would name it.
 */
function prepareProject(program, dir) {
    const file = path.join(dir, "Pulumi.yaml");
    let text = fs.readFileSync(file, "utf8");
    if (text.includes("${PROJECT}")) {
        text = text.replace(/\$\{PROJECT\}/g, program.id).replace(/\$\{DESCRIPTION\}/g, program.id);
        fs.writeFileSync(file, text);
    }
    const defaults = {};
    let configIndent = -1;
    let key;
    let keyIndent = -1;
    for (const line of text.split("\n")) {
        const parsed = /^(\s*)([^\s#-].*?):(?:\s+(.*))?$/.exec(line);
        if (!parsed) {
            continue;
        }
        const m = [parsed[0], parsed[1], parsed[2], parsed[3] ?? ""];
        const indent = m[1].length;
        if (configIndent >= 0 && indent <= configIndent) {
            configIndent = -1;
        }
        if (m[2] === "config" && m[3] === "") {
            configIndent = indent;
            continue;
        }
        if (configIndent < 0) {
            continue;
        }
        if (key === undefined || indent <= keyIndent) {
            key = m[2];
            keyIndent = indent;
            if (m[3] !== "" && !m[3].startsWith("#")) {
                defaults[key] = m[3].replace(/^["']|["']$/g, "");
            }
        } else if (m[2] === "default") {
            defaults[key] = m[3].replace(/^["']|["']$/g, "");
        }
    }
    return defaults;
}

fs.mkdirSync(outDir, { recursive: true });
let failed = 0;
for (const program of manifest.programs) {
    if (only && !only.has(program.id)) {
        continue;
    }
    const work = fs.mkdtempSync(path.join(os.tmpdir(), `capture-${program.id}-`));
    try {
        extract(program, work);
        const defaults = prepareProject(program, work);
        for (const mode of ["preview", "up"]) {
            const out = path.join(outDir, `${program.id}.${mode}.json`);
            const config = JSON.stringify({ ...defaults, ...(program.config ?? {}) });
            const r = program.language === "python"
                ? spawnSync(python ?? "python3", [path.join(here, "capture_py.py"), work, out, mode, config], { encoding: "utf8", timeout: 240000 })
                : spawnSync(process.execPath, [path.join(here, "capture-ts.js"), work, out, mode, config], {
                    encoding: "utf8", timeout: 240000, env: { ...process.env, NODE_PATH: nodePath },
                });
            if (r.status === 0) {
                // Programs that build paths from the working directory (process.cwd(), os.getcwd()) would
                // record this machine's temporary directory: the capture names them from the project root.
                const text = fs.readFileSync(out, "utf8");
                const named = [fs.realpathSync(work), work].reduce((t, dir) => t.split(dir).join("."), text);
                if (named !== text) {
                    fs.writeFileSync(out, named);
                }
            }
            process.stdout.write(`${program.id} ${mode}: ${r.status === 0 ? r.stdout.trim() : "FAILED"}\n`);
            if (r.status !== 0) {
                failed++;
                process.stderr.write(`${r.stderr}\n`);
            } else if (r.stderr.trim()) {
                process.stderr.write(`${r.stderr.trim()}\n`);
            }
        }
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}
process.exit(failed > 0 ? 1 : 0);
