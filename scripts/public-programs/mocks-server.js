#!/usr/bin/env node
// The capture mocks for Python programs: one JSON request a line on standard input, one JSON answer a
// line on standard output, so both languages get the same outputs from the same code.
//   {"op": "newResource", "type", "name", "inputs", "custom"} -> {"id", "state"}
//   {"op": "call", "token", "inputs"}                        -> the invoke's result
//   {"op": "export", "registrations", "file"}                -> writes the stack export, answers {"resources": n}
// usage: node mocks-server.js preview|up
"use strict";
const fs = require("fs");
const readline = require("readline");
const mocks = require("./mocks");

const m = mocks.forMode(process.argv[2] === "preview");
const rl = readline.createInterface({ input: process.stdin });
rl.on("line", line => {
    let answer;
    try {
        const req = JSON.parse(line);
        if (req.op === "newResource") {
            answer = m.newResource(req);
        } else if (req.op === "call") {
            answer = m.call(req);
        } else if (req.op === "export") {
            const doc = mocks.stackExport(req.registrations);
            fs.writeFileSync(req.file, JSON.stringify(doc, null, 1) + "\n");
            answer = { resources: doc.deployment.resources.length };
        } else {
            answer = { error: `unknown op ${req.op}` };
        }
    } catch (e) {
        answer = { error: String(e && e.stack || e) };
    }
    process.stdout.write(JSON.stringify(answer ?? null) + "\n");
});
