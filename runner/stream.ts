// Reports written as they are produced: a large scan's JSON or SARIF report is tens of megabytes, and
// building it whole (the value tree, then one string) held several copies of it in memory at once.
// A report is described as the same value as before, with its long lists marked `lazy`; jsonChunks
// writes exactly what JSON.stringify(value, null, 2) would, one list element at a time.
import * as fs from "fs";

/** A list whose elements are made while the report is written. */
export class LazyList<T> {
    constructor(readonly items: () => Iterable<T>) {}

    /** The elements, when a caller needs the list itself. */
    toJSON(): T[] {
        return [...this.items()];
    }
}

export function lazy<T>(items: () => Iterable<T>): LazyList<T> {
    return new LazyList(items);
}

/** A value written out already, as jsonChunks writes it at its place in the document (its indent included). */
export class JsonText {
    constructor(readonly text: string) {}

    toJSON(): unknown {
        return JSON.parse(this.text);
    }
}

function holdsLazy(value: unknown): boolean {
    if (value instanceof LazyList || value instanceof JsonText) {
        return true;
    }
    if (typeof value !== "object" || value === null || typeof (value as { toJSON?: unknown }).toJSON === "function") {
        return false;
    }
    return (Array.isArray(value) ? value : Object.values(value)).some(holdsLazy);
}

/** The value with its lazy lists made into arrays (for callers that read a report as an object). */
export function materialize<T>(value: T): T {
    if (!holdsLazy(value)) {
        return value;
    }
    if (value instanceof LazyList) {
        return [...value.items()].map(materialize) as T;
    }
    if (value instanceof JsonText) {
        return value.toJSON() as T;
    }
    if (Array.isArray(value)) {
        return value.map(materialize) as T;
    }
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, materialize(v)])) as T;
}

/** JSON.stringify(value, null, 2) with every line after the first indented by `indent` (two spaces a level). */
function plain(value: unknown, indent: string): string {
    if (!indent || indent.length % 2 !== 0 || indent.trim() !== "") {
        const text = JSON.stringify(value, null, 2);
        return indent ? text.replace(/\n/g, `\n${indent}`) : text;
    }
    // JSON.stringify indents a nested value itself: the value inside as many one-element lists as the
    // indent has levels comes out indented as it is wanted here, and the lists' own lines are cut off
    // (a large report spent more time re-indenting each element's text than making it).
    const levels = indent.length / 2;
    let wrapped: unknown = value;
    for (let i = 0; i < levels; i++) {
        wrapped = [wrapped];
    }
    const text = JSON.stringify(wrapped, null, 2);
    // The lists' lines before the value ("[\n", "  [\n", ...) and after it: 2 + 4 + ... + 2 * levels characters each way.
    const cut = levels * (levels + 1);
    return text.slice(cut + indent.length, text.length - cut);
}

/** What JSON.stringify leaves out of an object (and writes as null in a list). */
function omitted(value: unknown): boolean {
    return value === undefined || typeof value === "function" || typeof value === "symbol";
}

/** JSON.stringify(value, null, 2), in pieces: at least one per element of each lazy list. */
export function* jsonChunks(value: unknown, indent = ""): Generator<string> {
    if (value instanceof JsonText) {
        yield value.text;
        return;
    }
    if (!holdsLazy(value)) {
        yield plain(value, indent);
        return;
    }
    const inner = `${indent}  `;
    if (value instanceof LazyList || Array.isArray(value)) {
        const items: Iterable<unknown> = value instanceof LazyList ? value.items() : value;
        let first = true;
        for (const item of items) {
            yield `${first ? "[" : ","}\n${inner}`;
            first = false;
            yield* omitted(item) ? ["null"] : jsonChunks(item, inner);
        }
        yield first ? "[]" : `\n${indent}]`;
        return;
    }
    let first = true;
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (omitted(item)) {
            continue;
        }
        yield `${first ? "{" : ","}\n${inner}${JSON.stringify(key)}: `;
        first = false;
        yield* jsonChunks(item, inner);
    }
    yield first ? "{}" : `\n${indent}}`;
}

/** Writes chunks of text in blocks of about `block` characters, so that a sink sees few large writes. */
export function writeChunks(chunks: Iterable<string>, write: (text: string) => void, block = 1 << 20): void {
    let pending = "";
    for (const chunk of chunks) {
        pending += chunk;
        if (pending.length >= block) {
            write(pending);
            pending = "";
        }
    }
    if (pending) {
        write(pending);
    }
}

/** Writes chunks of text to a file as they come. */
export function writeChunksToFile(file: string, chunks: Iterable<string>): void {
    const fd = fs.openSync(file, "w");
    try {
        writeChunks(chunks, text => fs.writeSync(fd, text));
    } finally {
        fs.closeSync(fd);
    }
}
