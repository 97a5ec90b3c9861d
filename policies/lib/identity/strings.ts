// String helpers shared by the identity adapters and the resource graph.
import { isRecord } from "../values";
import { UNKNOWN, UNKNOWN_SENTINELS } from "../wire";

export const UNKNOWN_STRING = UNKNOWN;

/** Identifiers are short; longer strings are documents or values, never references. */
const MAX_IDENTIFIER = 2048;

export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/** A string that is known (not an unknown sentinel) and not empty. */
export function known(value: unknown): string | undefined {
    return typeof value === "string" && value !== "" && !UNKNOWN_SENTINELS.has(value) ? value : undefined;
}

/** Every string under a value, nested objects and lists included. */
export function stringsIn(value: unknown, out: string[] = [], depth = 0): string[] {
    if (depth > 50) {
        return out;
    }
    if (typeof value === "string") {
        out.push(value);
    } else if (Array.isArray(value)) {
        for (const v of value) { stringsIn(v, out, depth + 1); }
    } else if (isRecord(value)) {
        for (const v of Object.values(value)) { stringsIn(v, out, depth + 1); }
    }
    return out;
}

/** Known strings under a value that may be references (long enough to name something, short enough to be an identifier). */
export function referenceStrings(value: unknown): string[] {
    return stringsIn(value).filter(s => s.length >= 3 && s.length <= MAX_IDENTIFIER && !UNKNOWN_SENTINELS.has(s));
}

/** Known identifier values of the given top-level properties. */
export function identifierStrings(props: Readonly<Record<string, unknown>>, keys: readonly string[]): string[] {
    const out: string[] = [];
    for (const key of keys) {
        const v = known(props[key]);
        if (v && v.length >= 3 && v.length <= MAX_IDENTIFIER) {
            out.push(v);
        }
    }
    return out;
}

/** The part after the last "/" or ":": "role/app" -> "app", "projects/p/topics/t" -> "t". */
export function lastSegment(id: string): string | undefined {
    const m = /[/:]([^/:]+)$/.exec(id);
    return m ? m[1] : undefined;
}
