#!/usr/bin/env node
// Runs one public TypeScript Pulumi program under the Pulumi SDK's mocks and writes what the engine
// would have recorded as a `pulumi stack export` (version 3) file: inputs as the program sent them
// (unknowns where a value waits on another resource during preview), outputs from the mocks, and
// parent, dependencies and propertyDependencies from each registration request.
//
// usage: node capture-ts.js <program dir> <out file> preview|up [<config json>]
// Module resolution: the SDKs come from NODE_PATH (the caller points it at pinned installs).
"use strict";
const fs = require("fs");
const path = require("path");
const mocks = require("./mocks");

const [programDir, outFile, mode, configJson] = process.argv.slice(2);
if (!programDir || !outFile || !["preview", "up"].includes(mode)) {
    console.error("usage: node capture-ts.js <program dir> <out file> preview|up [<config json>]");
    process.exit(2);
}
const preview = mode === "preview";
const projectName = /^name:\s*["']?([^"'\s]+)/m.exec(fs.readFileSync(path.join(programDir, "Pulumi.yaml"), "utf8"))[1];
const stackName = "dev";

// Program config as `pulumi config` would hand it over: keys without a namespace belong to the project.
const config = {
    "aws:region": "us-west-2",
    "gcp:project": "pulumi-examples-489210",
    "gcp:region": "us-central1",
    "azure-native:location": "westus2",
    "azure:location": "westus2",
};
for (const [k, v] of Object.entries(configJson ? JSON.parse(configJson) : {})) {
    config[k.includes(":") ? k : `${projectName}:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
}
const secretKeys = [];
for (const [k, v] of Object.entries(config)) {
    // {"secret": value} in the manifest stands for `pulumi config set --secret`.
    const parsed = (() => { try { return JSON.parse(v); } catch { return undefined; } })();
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed) && Object.keys(parsed).length === 1 && "secret" in parsed) {
        config[k] = typeof parsed.secret === "string" ? parsed.secret : JSON.stringify(parsed.secret);
        secretKeys.push(k);
    }
}
process.env.PULUMI_CONFIG = JSON.stringify(config);
process.env.PULUMI_CONFIG_SECRET_KEYS = JSON.stringify(secretKeys);

// Libraries the program's function code uses at run time (AWS SDK, Slack clients...) are not installed:
// each stands in as an inert module that the closure serializer still sees as `require("<name>")`.
// Pulumi packages are never stubbed: a missing one fails the capture.
const Module = require("module");
const stubRoot = path.join(require("os").tmpdir(), "public-program-stubs", "node_modules");
// A plain function (not a Proxy): the closure serializer has to read it like any module value.
function stub() {
    return this instanceof stub ? this : stub;
}
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
    try {
        return resolve.call(this, request, parent, ...rest);
    } catch (e) {
        // ES-module style imports name a sibling TypeScript file by its compiled name (`./acl.js` for acl.ts).
        if (e.code === "MODULE_NOT_FOUND" && request.startsWith(".") && request.endsWith(".js")) {
            return resolve.call(this, request.replace(/\.js$/, ".ts"), parent, ...rest);
        }
        if (e.code !== "MODULE_NOT_FOUND" || request.startsWith(".") || request.startsWith("/") || request.startsWith("@pulumi/")) {
            throw e;
        }
        const file = path.join(stubRoot, request, "index.js");
        if (!require.cache[file]) {
            const m = new Module(file, null);
            m.filename = file;
            m.loaded = true;
            m.exports = stub;
            require.cache[file] = m;
        }
        return file;
    }
};

// TypeScript programs are transpiled on load, without type-checking (the program's own SDK versions may differ slightly).
const ts = require("typescript");
require.extensions[".ts"] = (module, filename) => {
    const out = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
        fileName: filename,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
    });
    module._compile(out.outputText, filename);
};

const pulumi = require("@pulumi/pulumi");
const registered = [];

pulumi.runtime.setMocks(mocks.forMode(preview), projectName, stackName, preview);
const monitor = pulumi.runtime.getMonitor();
const original = monitor.registerResource.bind(monitor);
monitor.registerResource = (req, callback) => {
    const propertyDependencies = {};
    req.getPropertydependenciesMap().forEach((deps, key) => { propertyDependencies[key] = deps.getUrnsList(); });
    const entry = {
        type: req.getType(),
        name: req.getName(),
        custom: req.getCustom(),
        parent: req.getParent() || undefined,
        dependencies: req.getDependenciesList(),
        propertyDependencies,
        inputs: req.getObject() ? req.getObject().toJavaScript() : {},
    };
    original(req, (err, resp) => {
        if (!err && resp) {
            entry.urn = resp.getUrn();
            entry.id = resp.getId() || undefined;
            entry.outputs = resp.getObject() ? resp.getObject().toJavaScript() : {};
            registered.push(entry);
        }
        callback(err, resp);
    });
};
const originalOutputs = monitor.registerResourceOutputs.bind(monitor);
monitor.registerResourceOutputs = (req, callback) => {
    // Component outputs (the stack's exports among them) are not what policies read: keep them out of the file.
    originalOutputs(req, callback);
};

process.chdir(programDir);
process.on("unhandledRejection", e => { console.error(`capture failed: ${e && e.stack || e}`); process.exit(1); });

(async () => {
    const entry = fs.existsSync(path.join(programDir, "index.ts")) ? "index.ts" : "index.js";
    const mod = require(path.join(programDir, entry));
    if (mod && typeof mod.default === "function") {
        await mod.default();
    }
    // Let every registration and apply settle.
    const settings = require("@pulumi/pulumi/runtime/settings");
    for (let i = 0; i < 5; i++) {
        await settings.waitForRPCs();
        await new Promise(r => setTimeout(r, 50));
    }
    const doc = mocks.stackExport(registered);
    fs.writeFileSync(outFile, JSON.stringify(doc, null, 1) + "\n");
    console.log(`${doc.deployment.resources.length} resources`);
    process.exit(0);
})().catch(e => { console.error(`capture failed: ${e && e.stack || e}`); process.exit(1); });
