// The engine's wire encoding of property values inside google.protobuf.Struct.

import { SECRET_SIG, SIG_KEY, UNKNOWN } from "../policies/lib/wire";

/** Key and value that mark an object as a secret: `{[SECRET_SIG_KEY]: SECRET_SIG, value}` (policies/lib/wire). */
export const SECRET_SIG_KEY = SIG_KEY;
export { SECRET_SIG };
/** The sentinel the engine sends for a value that is unknown during preview (policies/lib/wire). */
export { UNKNOWN };

export function secret<T>(value: T): { [SECRET_SIG_KEY]: string; value: T } {
    return { [SECRET_SIG_KEY]: SECRET_SIG, value };
}

export function isSecret(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/** An object's keys in sorted order; most objects of a state file have them in that order already, and keep the list as it is. */
export function sortedKeys(value: object): string[] {
    const keys = Object.keys(value);
    for (let i = 1; i < keys.length; i++) {
        if (keys[i - 1] > keys[i]) {
            return keys.sort();
        }
    }
    return keys;
}

/** Values already in the form toWireValue gives (made so by the input reader), never changed after. */
const wireForm = new WeakSet<object>();

/**
 * Records that a value is already in wire form: JSON values (no undefined, no non-finite number) whose
 * objects have their keys in sorted order. toWireValue then returns it as it is instead of a copy.
 */
export function markWireForm<T extends object>(value: T): T {
    wireForm.add(value);
    return value;
}

/**
 * Drops `undefined` (which Struct can't carry) and non-JSON values, keeping secrets and sentinels as
 * they are. Object keys come out sorted, as a protobuf Struct delivers them (its map is written in key
 * order), so that a value handed over in process reads the same as one that crossed the protocol.
 */
export function toWireValue(value: unknown, depth = 0): unknown {
    if (depth > 200) {
        throw new Error("property value is nested more than 200 levels deep");
    }
    if (value === null || typeof value === "string" || typeof value === "boolean") {
        return value;
    }
    if (typeof value === "number") {
        return Number.isFinite(value) ? value : null;
    }
    if (Array.isArray(value)) {
        return value.map(v => v === undefined ? null : toWireValue(v, depth + 1));
    }
    if (typeof value === "object") {
        if (wireForm.has(value)) {
            return value;
        }
        const out: Record<string, unknown> = {};
        const record = value as Record<string, unknown>;
        for (const k of sortedKeys(record)) {
            const v = record[k];
            if (v !== undefined) {
                out[k] = toWireValue(v, depth + 1);
            }
        }
        return out;
    }
    return null;
}
