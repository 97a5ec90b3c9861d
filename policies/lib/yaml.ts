// A small, strict reader for the YAML that OpenAPI documents are written in: block mappings and
// sequences, plain and quoted scalars, literal and folded block scalars, and one-line flow
// collections. Anchors, aliases, tags, multi-document streams and multi-line flow collections are
// refused (YamlError), so a document is either read exactly or not at all, never guessed.

export class YamlError extends Error {
    constructor(readonly line: number, reason: string) {
        super(`line ${line}: ${reason}`);
        this.name = "YamlError";
    }
}

interface Line {
    no: number;
    indent: number;
    text: string;
}

const MAX_CHARS = 1_000_000;
const MAX_DEPTH = 64;

/** Removes a trailing comment: a `#` after whitespace, outside quotes. */
function stripComment(text: string): string {
    let quote: string | undefined;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (quote) {
            if (c === quote) {
                if (quote === "'" && text[i + 1] === "'") { i++; continue; }
                quote = undefined;
            } else if (c === "\\" && quote === "\"") {
                i++;
            }
        } else if (c === "\"" || c === "'") {
            if (i === 0 || /[\s:[{,-]/.test(text[i - 1])) { quote = c; }
        } else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]))) {
            return text.slice(0, i).trimEnd();
        }
    }
    return text.trimEnd();
}

class Reader {
    private pos = 0;

    constructor(private readonly lines: Line[], private readonly raw: string[]) {}

    parseDocument(): unknown {
        if (this.lines.length === 0) {
            return null;
        }
        const value = this.parseNode(this.lines[0].indent, 0);
        if (this.pos < this.lines.length) {
            throw new YamlError(this.lines[this.pos].no, "unexpected indentation");
        }
        return value;
    }

    private parseNode(indent: number, depth: number): unknown {
        if (depth > MAX_DEPTH) {
            throw new YamlError(this.lines[this.pos].no, "nested too deeply");
        }
        const line = this.lines[this.pos];
        if (line.text === "-" || line.text.startsWith("- ")) {
            return this.parseSequence(indent, depth);
        }
        if (keyOf(line.text, line.no)) {
            return this.parseMapping(indent, depth);
        }
        this.pos++;
        return scalar(line.text, line.no);
    }

    private parseSequence(indent: number, depth: number): unknown[] {
        const out: unknown[] = [];
        while (this.pos < this.lines.length) {
            const line = this.lines[this.pos];
            if (line.indent !== indent || !(line.text === "-" || line.text.startsWith("- "))) {
                if (line.indent > indent) { throw new YamlError(line.no, "unexpected indentation"); }
                break;
            }
            const rest = line.text.slice(1).trimStart();
            if (rest === "") {
                this.pos++;
                out.push(this.childOrNull(indent, depth, false));
                continue;
            }
            // "- key: value" starts a mapping whose keys sit at the column after the dash.
            const column = indent + (line.text.length - rest.length);
            this.lines[this.pos] = { no: line.no, indent: column, text: rest };
            out.push(this.parseNode(column, depth + 1));
        }
        return out;
    }

    private parseMapping(indent: number, depth: number): Record<string, unknown> {
        const out: Record<string, unknown> = Object.create(null);
        while (this.pos < this.lines.length) {
            const line = this.lines[this.pos];
            if (line.indent !== indent) {
                if (line.indent > indent) { throw new YamlError(line.no, "unexpected indentation"); }
                break;
            }
            const entry = keyOf(line.text, line.no);
            if (!entry) {
                break;
            }
            if (Object.prototype.hasOwnProperty.call(out, entry.key)) {
                throw new YamlError(line.no, "duplicate key");
            }
            this.pos++;
            const rest = entry.rest;
            let value: unknown;
            if (rest === "") {
                value = this.childOrNull(indent, depth, true);
            } else if (/^[|>][-+]?$/.test(rest)) {
                value = this.blockScalar(line, indent, rest);
            } else {
                value = scalar(rest, line.no);
            }
            Object.defineProperty(out, entry.key, { value, enumerable: true, writable: true, configurable: true });
        }
        return { ...out };
    }

    /** The value on the following lines: deeper, or a sequence at the same indent under a key. */
    private childOrNull(indent: number, depth: number, sameIndentSequence: boolean): unknown {
        const next = this.lines[this.pos];
        if (!next) {
            return null;
        }
        if (next.indent > indent) {
            return this.parseNode(next.indent, depth + 1);
        }
        if (sameIndentSequence && next.indent === indent && (next.text === "-" || next.text.startsWith("- "))) {
            return this.parseSequence(indent, depth + 1);
        }
        return null;
    }

    /** A literal (|) or folded (>) block scalar: every raw line indented deeper than its key. */
    private blockScalar(keyLine: Line, indent: number, header: string): string {
        const parts: string[] = [];
        let rawIndex = keyLine.no; // raw lines are 1-based, so this is the line after the key
        let blockIndent: number | undefined;
        while (rawIndex < this.raw.length) {
            const text = this.raw[rawIndex];
            if (text.trim() === "") {
                parts.push("");
                rawIndex++;
                continue;
            }
            const lead = text.length - text.trimStart().length;
            if (lead <= indent) {
                break;
            }
            blockIndent = blockIndent ?? lead;
            if (lead < blockIndent) {
                throw new YamlError(rawIndex + 1, "block scalar indentation");
            }
            parts.push(text.slice(blockIndent));
            rawIndex++;
        }
        while (this.pos < this.lines.length && this.lines[this.pos].no <= rawIndex) {
            this.pos++;
        }
        while (parts.length > 0 && parts[parts.length - 1] === "") {
            parts.pop();
        }
        const body = header.startsWith("|") ? parts.join("\n") : parts.join(" ").replace(/ {2,}/g, " ");
        return header.endsWith("-") ? body : body + "\n";
    }
}

// A plain key runs to the first colon (keys with colons must be quoted): one pass, no backtracking.
const PLAIN_KEY = /^([^\s"'#&*!|>%@`{}[\],?:-][^:#]*|-[^\s:#][^:#]*):(?:\s+(.*))?$/;

/** The key and the rest of a "key: value" line, or undefined when the line is not one. */
function keyOf(text: string, no: number): { key: string; rest: string } | undefined {
    if (text.startsWith("\"") || text.startsWith("'")) {
        const end = quotedEnd(text, no);
        const after = text.slice(end).trimStart();
        if (!after.startsWith(":") || (after.length > 1 && !/\s/.test(after[1]))) {
            return undefined;
        }
        return { key: String(scalar(text.slice(0, end), no)), rest: after.slice(1).trim() };
    }
    if (text.startsWith("? ")) {
        throw new YamlError(no, "complex keys are not supported");
    }
    const m = PLAIN_KEY.exec(text);
    return m ? { key: m[1].trim(), rest: (m[2] ?? "").trim() } : undefined;
}

/** Index just after a quoted scalar that starts at 0. */
function quotedEnd(text: string, no: number): number {
    const q = text[0];
    for (let i = 1; i < text.length; i++) {
        if (q === "\"" && text[i] === "\\") { i++; continue; }
        if (text[i] === q) {
            if (q === "'" && text[i + 1] === "'") { i++; continue; }
            return i + 1;
        }
    }
    throw new YamlError(no, "unterminated quoted scalar");
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\"": "\"", "\\": "\\", "/": "/", "0": "\0", " ": " " };

function scalar(text: string, no: number): unknown {
    const t = text.trim();
    if (t.startsWith("\"") || t.startsWith("'")) {
        const end = quotedEnd(t, no);
        if (t.slice(end).trim() !== "") {
            throw new YamlError(no, "text after a quoted scalar");
        }
        const inner = t.slice(1, end - 1);
        if (t[0] === "'") {
            return inner.replace(/''/g, "'");
        }
        return inner.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
            if (e.length === 5) { return String.fromCharCode(parseInt(e.slice(1), 16)); }
            if (e in ESCAPES) { return ESCAPES[e]; }
            throw new YamlError(no, "unsupported escape");
        });
    }
    if (t.startsWith("[") || t.startsWith("{")) {
        const flow = new Flow(t, no);
        const value = flow.value();
        flow.end();
        return value;
    }
    if (/^[&*!%@`|>]/.test(t)) {
        throw new YamlError(no, "anchors, aliases, tags and directives are not supported");
    }
    return plain(t);
}

function plain(t: string): unknown {
    if (t === "" || t === "~" || t === "null" || t === "Null" || t === "NULL") { return null; }
    if (/^(true|True|TRUE)$/.test(t)) { return true; }
    if (/^(false|False|FALSE)$/.test(t)) { return false; }
    if (/^[-+]?\d{1,15}(\.\d{1,15})?$/.test(t)) { return Number(t); }
    return t;
}

/** One-line flow collections: [a, "b", {c: d}]. */
class Flow {
    private i = 0;

    constructor(private readonly s: string, private readonly no: number) {}

    end(): void {
        this.ws();
        if (this.i < this.s.length) {
            throw new YamlError(this.no, "text after a flow collection");
        }
    }

    value(depth = 0): unknown {
        if (depth > MAX_DEPTH) {
            throw new YamlError(this.no, "nested too deeply");
        }
        this.ws();
        const c = this.s[this.i];
        if (c === "[") {
            this.i++;
            const out: unknown[] = [];
            for (this.ws(); this.s[this.i] !== "]"; this.ws()) {
                out.push(this.value(depth + 1));
                this.ws();
                if (this.s[this.i] === ",") { this.i++; continue; }
                if (this.s[this.i] !== "]") { throw new YamlError(this.no, "unterminated flow sequence"); }
            }
            this.i++;
            return out;
        }
        if (c === "{") {
            this.i++;
            const out: Record<string, unknown> = {};
            for (this.ws(); this.s[this.i] !== "}"; this.ws()) {
                const key = String(this.value(depth + 1));
                this.ws();
                if (this.s[this.i] !== ":") { throw new YamlError(this.no, "flow mapping entry without a value"); }
                this.i++;
                const v = this.value(depth + 1);
                Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
                this.ws();
                if (this.s[this.i] === ",") { this.i++; continue; }
                if (this.s[this.i] !== "}") { throw new YamlError(this.no, "unterminated flow mapping"); }
            }
            this.i++;
            return out;
        }
        if (c === "\"" || c === "'") {
            const end = quotedEnd(this.s.slice(this.i), this.no);
            const v = scalar(this.s.slice(this.i, this.i + end), this.no);
            this.i += end;
            return v;
        }
        const m = /^[^,[\]{}:]*(?::(?! )[^,[\]{}:]*)*/.exec(this.s.slice(this.i));
        const token = m ? m[0] : "";
        if (token.trim() === "" && c !== undefined && c !== "," && c !== "]" && c !== "}") {
            throw new YamlError(this.no, "unexpected character in a flow collection");
        }
        if (c === undefined) {
            throw new YamlError(this.no, "unterminated flow collection");
        }
        this.i += token.length;
        return scalar(token, this.no);
    }

    private ws(): void {
        while (this.i < this.s.length && /\s/.test(this.s[this.i])) { this.i++; }
    }
}

/** Reads a YAML document of the supported subset; throws YamlError for anything outside it. */
export function parseYaml(text: string): unknown {
    if (text.length > MAX_CHARS) {
        throw new YamlError(0, "document is larger than 1 MB");
    }
    const raw = text.replace(/^\uFEFF/, "").split(/\r?\n/);
    const lines: Line[] = [];
    let started = false;
    raw.forEach((full, index) => {
        const no = index + 1;
        if (/^\t/.test(full) || /^ *\t/.test(full)) {
            if (full.trim() !== "") { throw new YamlError(no, "tabs in indentation"); }
        }
        const stripped = stripComment(full);
        const body = stripped.trim();
        if (body === "") {
            return;
        }
        if (body === "---" || body.startsWith("--- ")) {
            if (started) { throw new YamlError(no, "multi-document streams are not supported"); }
            started = true;
            return;
        }
        if (body.startsWith("%")) {
            throw new YamlError(no, "directives are not supported");
        }
        if (body === "...") {
            return;
        }
        started = true;
        lines.push({ no, indent: stripped.length - stripped.trimStart().length, text: body });
    });
    // Continuation lines of block scalars are read from `raw`; the reader skips them by number.
    return new Reader(lines, raw).parseDocument();
}
