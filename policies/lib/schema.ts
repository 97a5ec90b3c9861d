// The subset of JSON Schema (draft 4-7) that policy config schemas use, validated the way the engine
// does after merging config, with messages in the engine's style ("<field>: Invalid type. Expected:
// integer, given: string"). The pack's runtime may not depend on a schema library, so this is small
// and tested against a full validator.

export type Schema = Record<string, unknown>;

const SUPPORTED = new Set([
    "type", "enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
    "pattern", "items", "minItems", "maxItems", "uniqueItems", "properties", "required", "additionalProperties",
    "description", "default", "format", "title",
]);

function typeOf(value: unknown): string {
    if (value === null) { return "null"; }
    if (Array.isArray(value)) { return "array"; }
    if (typeof value === "number") { return Number.isInteger(value) ? "integer" : "number"; }
    return typeof value;
}

function typeMatches(expected: string, value: unknown): boolean {
    const actual = typeOf(value);
    return expected === actual || (expected === "number" && actual === "integer");
}

/** Keywords a schema uses that this validator doesn't implement (the pack's own schemas must use none). */
export function unsupportedKeywords(schema: Schema, path = "(root)"): string[] {
    const out: string[] = [];
    for (const [k, v] of Object.entries(schema)) {
        if (!SUPPORTED.has(k)) {
            out.push(`${path}: ${k}`);
        }
        if (k === "items" && typeof v === "object" && v !== null && !Array.isArray(v)) {
            out.push(...unsupportedKeywords(v as Schema, `${path}.items`));
        }
        if (k === "properties" && typeof v === "object" && v !== null) {
            for (const [pk, pv] of Object.entries(v as Record<string, Schema>)) {
                out.push(...unsupportedKeywords(pv, `${path}.${pk}`));
            }
        }
    }
    return out;
}

/**
 * Why a string is not a valid regular expression (as the pack compiles it: JavaScript syntax with
 * the "u" flag), or undefined when it is one. For `format: "regex"` properties.
 */
export function regexError(value: string): string | undefined {
    try {
        new RegExp(value, "u");
        return undefined;
    } catch (e) {
        return e instanceof Error ? e.message : String(e);
    }
}

export function validate(schema: Schema, value: unknown, path = "(root)"): string[] {
    const errors: string[] = [];
    const field = path;
    const type = schema.type as string | string[] | undefined;
    if (type !== undefined) {
        const types = Array.isArray(type) ? type : [type];
        if (!types.some(t => typeMatches(t, value))) {
            errors.push(`${field}: Invalid type. Expected: ${types.join(", ")}, given: ${typeOf(value)}`);
            return errors;
        }
    }
    if (Array.isArray(schema.enum) && !schema.enum.some(e => JSON.stringify(e) === JSON.stringify(value))) {
        errors.push(`${field}: ${field} must be one of the following: ${schema.enum.map(e => JSON.stringify(e)).join(", ")}`);
    }
    if ("const" in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) {
        errors.push(`${field}: ${field} does not match: ${JSON.stringify(schema.const)}`);
    }
    if (typeof value === "number") {
        if (typeof schema.minimum === "number" && value < schema.minimum) {
            errors.push(`${field}: Must be greater than or equal to ${schema.minimum}`);
        }
        if (typeof schema.maximum === "number" && value > schema.maximum) {
            errors.push(`${field}: Must be less than or equal to ${schema.maximum}`);
        }
        if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) {
            errors.push(`${field}: Must be greater than ${schema.exclusiveMinimum}`);
        }
        if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum) {
            errors.push(`${field}: Must be less than ${schema.exclusiveMaximum}`);
        }
    }
    if (typeof value === "string") {
        const length = [...value].length;
        if (typeof schema.minLength === "number" && length < schema.minLength) {
            errors.push(`${field}: String length must be greater than or equal to ${schema.minLength}`);
        }
        if (typeof schema.maxLength === "number" && length > schema.maxLength) {
            errors.push(`${field}: String length must be less than or equal to ${schema.maxLength}`);
        }
        if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) {
            errors.push(`${field}: Does not match pattern '${schema.pattern}'`);
        }
        if (schema.format === "regex" && regexError(value) !== undefined) {
            errors.push(`${field}: Does not match format 'regex'`);
        }
    }
    if (Array.isArray(value)) {
        if (typeof schema.minItems === "number" && value.length < schema.minItems) {
            errors.push(`${field}: Array must have at least ${schema.minItems} items`);
        }
        if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
            errors.push(`${field}: Array must have at most ${schema.maxItems} items`);
        }
        if (schema.uniqueItems === true && new Set(value.map(v => JSON.stringify(v))).size !== value.length) {
            errors.push(`${field}: array items must be unique`);
        }
        if (typeof schema.items === "object" && schema.items !== null && !Array.isArray(schema.items)) {
            value.forEach((v, i) => errors.push(...validate(schema.items as Schema, v, `${path}.${i}`)));
        }
    }
    if (typeOf(value) === "object") {
        const obj = value as Record<string, unknown>;
        const props = (schema.properties ?? {}) as Record<string, Schema>;
        for (const r of (schema.required ?? []) as string[]) {
            if (!(r in obj)) {
                errors.push(`${field}: ${r} is required`);
            }
        }
        for (const [k, v] of Object.entries(obj)) {
            const childPath = path === "(root)" ? k : `${path}.${k}`;
            if (props[k]) {
                errors.push(...validate(props[k], v, childPath));
            } else if (schema.additionalProperties === false) {
                errors.push(`${field}: Additional property ${k} is not allowed`);
            } else if (typeof schema.additionalProperties === "object" && schema.additionalProperties !== null) {
                errors.push(...validate(schema.additionalProperties as Schema, v, childPath));
            }
        }
    }
    return errors;
}
