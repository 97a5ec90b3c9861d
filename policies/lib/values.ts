// Shape-tolerant readers for resource properties. Policies read everything through these so that a
// property of an unexpected type is treated as "not set" instead of throwing. Reading through the
// SDK's proxy still throws its unknown-value error for values that can't be known during preview,
// which the policy layer turns into the SDK's "can't run during preview" diagnostic.

import { UNKNOWN_SENTINELS } from "./wire";

export type Dict = Record<string, unknown>;

// The SDK's proxy hands out its target under this key (see @pulumi/policy proxy.js).
const PROXY_TARGET = "__getSpecialProxyTarget";

/** The plain object behind the SDK's unknown-checking proxy (reading it never throws: unknowns read as sentinels); other values as they are. */
export function proxyTarget<T>(value: T): T {
    return typeof value === "object" && value !== null ? ((value as Record<string, unknown>)[PROXY_TARGET] as T | undefined) ?? value : value;
}

/** The plain value under the SDK's proxy, whose unknown values read as sentinel strings instead of throwing. */
function rawValue(obj: Dict, key: string): unknown {
    return proxyTarget(obj)[key];
}

/**
 * Whether a property is set, without reading its value: a value that is unknown during preview
 * counts as set (it will be a computed output such as an ARN or id of another resource).
 */
export function isSet(obj: unknown, key: string): boolean {
    if (!isRecord(obj)) {
        return false;
    }
    const v = rawValue(obj, key);
    if (v === undefined || v === null) { return false; }
    if (typeof v === "string") { return v.trim() !== ""; }
    if (Array.isArray(v)) { return v.length > 0; }
    return true;
}

/** Whether a property's value is unknown during preview (read without throwing). */
export function isUnknownValue(obj: unknown, key: string): boolean {
    if (!isRecord(obj)) {
        return false;
    }
    const v = rawValue(obj, key);
    return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}

export function isRecord(value: unknown): value is Dict {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asString(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
    if (typeof value === "number" && Number.isFinite(value)) {
        return value;
    }
    if (typeof value === "string" && /^-?\d{1,15}(\.\d{1,15})?$/.test(value.trim())) {
        return Number(value.trim());
    }
    return undefined;
}

export function asBoolean(value: unknown): boolean | undefined {
    if (typeof value === "boolean") {
        return value;
    }
    if (typeof value === "string") {
        const v = value.trim().toLowerCase();
        if (v === "true") { return true; }
        if (v === "false") { return false; }
    }
    return undefined;
}

/** A list property; a single value counts as a one-element list, anything absent as empty. */
export function asList(value: unknown): unknown[] {
    if (value === undefined || value === null) {
        return [];
    }
    return Array.isArray(value) ? value : [value];
}

export function asStrings(value: unknown): string[] {
    const out: string[] = [];
    // A loop, not filter: the SDK's unknown-checking proxy of an array can't serve Array.prototype.filter's species lookup.
    for (const v of asList(value)) {
        if (typeof v === "string") {
            out.push(v);
        }
    }
    return out;
}

/** Reads a nested property, tolerating any non-object along the way. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
    let current: unknown = value;
    for (const key of path) {
        if (typeof key === "number") {
            if (!Array.isArray(current)) { return undefined; }
            current = current[key];
        } else {
            if (!isRecord(current)) { return undefined; }
            current = current[key];
        }
    }
    return current;
}

/** Keys of an object without reading its values (so one unknown value doesn't hide the others). */
export function keysOf(value: unknown): string[] {
    return isRecord(value) ? Object.keys(value) : [];
}

/** A short, value-free description of where something was found, e.g. `environment.variables.DB_PASSWORD`. */
export function describePath(...parts: (string | number)[]): string {
    return parts.map(p => typeof p === "number" ? `[${p}]` : p).join(".").replace(/\.\[/g, "[");
}

/** Quotes a name for a message; long or multi-line names are shortened so a message stays one line. */
export function quote(name: string): string {
    const clean = name.replace(/[\r\n\t]+/g, " ");
    return "`" + (clean.length > 80 ? clean.slice(0, 77) + "..." : clean) + "`";
}

/** Words as a list for a message: "a", "a and b", "a, b and c". */
export function wordList(words: readonly string[]): string {
    return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** `s` without its trailing slashes, in linear time (the regular expression /\/+$/ backtracks quadratically on a long run of slashes). */
export function trimTrailingSlashes(s: string): string {
    let end = s.length;
    while (end > 0 && s.charCodeAt(end - 1) === 47) {
        end--;
    }
    return end === s.length ? s : s.slice(0, end);
}
