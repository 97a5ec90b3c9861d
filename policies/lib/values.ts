// Shape-tolerant readers for resource properties. Policies read everything through these so that a
// property of an unexpected type is treated as "not set" instead of throwing. Reading through the
// SDK's proxy still throws its unknown-value error for values that can't be known during preview,
// which the policy layer turns into the SDK's "can't run during preview" diagnostic.

export type Dict = Record<string, unknown>;

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
    return asList(value).filter((v): v is string => typeof v === "string");
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
