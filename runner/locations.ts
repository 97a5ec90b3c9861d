// Where a finding can be shown in a file: the program line that declared the resource (state's
// `sourcePosition`), or else the resource's entry in the scanned input file.
import * as path from "path";
import { EngineResource } from "./engine";

export interface FileLocation {
    /** A path relative to the working directory / repository root (forward slashes), or an absolute file URI. */
    uri: string;
    /** True when `uri` is relative. */
    relative: boolean;
    line?: number;
    column?: number;
    /** "program": where the Pulumi program declared the resource; "input": where the scanned file lists it. */
    kind: "program" | "input";
}

/**
 * Reads a Pulumi source position: `project:///index.ts#12,5` (relative to the project directory) or
 * `file:///abs/path/index.ts#12,5`; the `#line,column` part is optional.
 */
export function parseSourcePosition(position: string, sourceRoot = ""): FileLocation | undefined {
    const m = /^(project|file):\/\/([^#]*)(?:#(\d+)(?:,(\d+))?)?$/.exec(position.trim());
    if (!m) {
        return undefined;
    }
    const line = m[3] ? Number(m[3]) : undefined;
    const column = m[4] ? Number(m[4]) : undefined;
    const region = { line: line && line > 0 ? line : undefined, column: line && column && column > 0 ? column : undefined };
    let file: string;
    try {
        file = decodeURIComponent(m[2]);
    } catch {
        return undefined;
    }
    if (m[1] === "file") {
        if (!file.startsWith("/")) {
            return undefined;
        }
        return { uri: `file://${encodeURI(file)}`, relative: false, kind: "program", ...region };
    }
    const rel = path.posix.normalize(path.posix.join(toPosix(sourceRoot), file.replace(/^\/+/, "")));
    if (rel.startsWith("../") || rel === "..") {
        return undefined;
    }
    if (rel.startsWith("/")) {
        // an absolute --source-root: the file's absolute location
        return { uri: `file://${encodeURI(rel)}`, relative: false, kind: "program", ...region };
    }
    return { uri: encodeURI(rel), relative: true, kind: "program", ...region };
}

function toPosix(p: string): string {
    return p.split(path.sep).join("/");
}

/** The scanned file as a report URI: relative to `cwd` when inside it, else an absolute file URI. */
export function inputFileUri(inputPath: string, cwd = process.cwd()): { uri: string; relative: boolean } {
    const abs = path.resolve(cwd, inputPath);
    const rel = path.relative(cwd, abs);
    if (rel && !rel.startsWith("..") && !path.isAbsolute(rel)) {
        return { uri: encodeURI(toPosix(rel)), relative: true };
    }
    return { uri: `file://${encodeURI(toPosix(abs).replace(/^([A-Za-z]):/, "/$1:"))}`, relative: false };
}

/** Distance from the closest offset at or before `o` (sorted `offsets`); one after `o` counts as further than any before. */
function distanceAfter(offsets: number[], o: number, length: number): number {
    let lo = 0;
    let hi = offsets.length - 1;
    let before = -1;
    while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (offsets[mid] <= o) {
            before = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    if (before >= 0) {
        return o - offsets[before];
    }
    return offsets.length ? length + offsets[0] - o : Number.MAX_SAFE_INTEGER;
}

/**
 * Finds the line and column of each resource in the input text in one pass: the first
 * `"urn": "<urn>"` of the resource (stack export, preview), or else its `"name": "<name>"` entry (a
 * plain resource list, where the URN is usually generated).
 */
export function locateResources(text: string, resources: EngineResource[]): Map<string, { line: number; column: number }> {
    const lineStarts = [0];
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) {
        lineStarts.push(i + 1);
    }
    const position = (offset: number) => {
        let lo = 0;
        let hi = lineStarts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (lineStarts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return { line: lo + 1, column: offset - lineStarts[lo] + 1 };
    };
    const firstOf = (key: string) => {
        const found = new Map<string, number[]>();
        const re = new RegExp(`"${key}"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*")`, "g");
        for (let m = re.exec(text); m; m = re.exec(text)) {
            let value: string;
            try {
                value = JSON.parse(m[1]);
            } catch {
                continue;
            }
            const list = found.get(value) ?? [];
            list.push(m.index);
            found.set(value, list);
        }
        return found;
    };
    const urns = firstOf("urn");
    const names = firstOf("name");
    const typeOffsets = new Map<string, number[]>();
    const offsetsOfType = (type: string) => {
        let list = typeOffsets.get(type);
        if (!list) {
            list = [];
            const re = new RegExp(`"type"\\s*:\\s*${JSON.stringify(type).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "g");
            for (let m = re.exec(text); m; m = re.exec(text)) {
                list.push(m.index);
            }
            typeOffsets.set(type, list);
        }
        return list;
    };
    const used = new Set<number>();
    const out = new Map<string, { line: number; column: number }>();
    for (const r of resources) {
        const byUrn = urns.get(r.urn)?.[0];
        if (byUrn !== undefined) {
            out.set(r.urn, position(byUrn));
            continue;
        }
        // Several resources can share a name, and properties can be called "name": take the unused
        // `"name": "<name>"` closest after a `"type": "<the resource's type>"`.
        const types = offsetsOfType(r.type);
        let best: { offset: number; distance: number } | undefined;
        for (const o of names.get(r.name) ?? []) {
            if (used.has(o)) {
                continue;
            }
            // the type key usually comes first in the resource's object: prefer the closest one before the name
            const distance = distanceAfter(types, o, text.length);
            if (!best || distance < best.distance) {
                best = { offset: o, distance };
            }
        }
        if (best) {
            used.add(best.offset);
            out.set(r.urn, position(best.offset));
        }
    }
    return out;
}
