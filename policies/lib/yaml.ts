// Reads the YAML that OpenAPI documents are written in with the maintained `yaml` parser (YAML 1.2
// core schema: anchors, aliases, merge keys, multi-line flow collections), inside limits that keep a
// policy from crashing on hostile input: a size cap, a nesting cap checked before parsing (the
// parser recurses, and deep flow nesting exhausts the stack or the regular-expression compiler, a
// fatal error no try/catch sees), and an alias cap against expansion bombs. A document is read
// exactly or refused with a YamlError, never guessed.
import { parse } from "yaml";

export class YamlError extends Error {
    constructor(readonly line: number, reason: string) {
        super(line > 0 ? `line ${line}: ${reason}` : reason);
        this.name = "YamlError";
    }
}

export const MAX_CHARS = 1_000_000;
export const MAX_DEPTH = 64;
const MAX_ALIASES = 1000;

/**
 * The deepest nesting of the text, counting block indentation steps and flow brackets, stopping
 * (with the line) as soon as it passes `limit`. Quoted text is skipped; where quoting is ambiguous
 * the count can only come out higher, which refuses a document rather than reading it wrongly.
 */
function tooDeep(text: string, limit: number): number | undefined {
    const indents: number[] = [];
    let flow = 0;
    let line = 1;
    let quote: string | undefined;
    let atLineStart = true;
    let column = 0;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === "\n") {
            line++;
            atLineStart = true;
            column = 0;
            continue;
        }
        if (atLineStart && flow === 0 && !quote) {
            if (c === " " || c === "-") {
                column++;
                continue;
            }
            atLineStart = false;
            if (c !== "#") {
                while (indents.length > 0 && indents[indents.length - 1] >= column) {
                    indents.pop();
                }
                indents.push(column);
                if (indents.length > limit) {
                    return line;
                }
            }
        }
        atLineStart = false;
        if (quote) {
            if (c === "\\" && quote === "\"") {
                i++;
            } else if (c === quote) {
                quote = undefined;
            }
        } else if ((c === "\"" || c === "'") && (i === 0 || /[\s:[{,]/.test(text[i - 1]))) {
            quote = c;
        } else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]))) {
            const end = text.indexOf("\n", i);
            i = (end < 0 ? text.length : end) - 1;
        } else if (c === "[" || c === "{") {
            if (++flow + indents.length > limit) {
                return line;
            }
        } else if ((c === "]" || c === "}") && flow > 0) {
            flow--;
        }
    }
    return undefined;
}

/** Parses one YAML document (JSON is YAML too); throws YamlError when it can't be read exactly. */
export function parseYaml(text: string): unknown {
    if (text.length > MAX_CHARS) {
        throw new YamlError(0, `document is over ${MAX_CHARS} characters`);
    }
    const deep = tooDeep(text, MAX_DEPTH);
    if (deep !== undefined) {
        throw new YamlError(deep, `nested more than ${MAX_DEPTH} levels`);
    }
    try {
        return parse(text, { merge: true, maxAliasCount: MAX_ALIASES, prettyErrors: false, uniqueKeys: true });
    } catch (e) {
        const err = e as { message?: unknown; linePos?: Array<{ line: number }> };
        const reason = typeof err.message === "string" ? err.message.split("\n")[0] : "unreadable YAML";
        throw new YamlError(err.linePos?.[0]?.line ?? 0, reason);
    }
}
