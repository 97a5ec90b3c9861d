// Policy config problems the engine lets through (unknown names, impossible dates, invalid regular
// expressions), and the policies as the engine describes them: shared by the pack, whose Configure
// call refuses such a config (config-guard.ts), and by the runner's scan and validate-config.
import { regexError, Schema } from "./schema";

export type Level = "advisory" | "mandatory" | "remediate" | "disabled";
export const LEVELS: Level[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface PolicyConfigEntry {
    enforcementLevel?: Level;
    properties?: Record<string, unknown>;
}

export interface PolicyInfo {
    name: string;
    enforcementLevel: Level;
    configSchema?: { properties: Record<string, Schema>; required?: string[] };
}

/** What validation needs of a policy definition (policies/registry.ts). */
export interface DefinitionLike {
    meta: { name: string };
    defaultLevel: PolicyInfo["enforcementLevel"];
    policy: { configSchema?: { properties?: Record<string, unknown>; required?: string[] } };
}

/** The policies as GetAnalyzerInfo describes them. */
export function policyInfos(definitions: readonly DefinitionLike[]): PolicyInfo[] {
    return definitions.map(d => ({
        name: d.meta.name,
        enforcementLevel: d.defaultLevel,
        configSchema: d.policy.configSchema
            ? { properties: (d.policy.configSchema.properties ?? {}) as Record<string, Schema>, required: d.policy.configSchema.required }
            : undefined,
    }));
}

/** Edit distance (Levenshtein, with adjacent transpositions counted as one edit). */
export function editDistance(a: string, b: string): number {
    const m = a.length;
    const n = b.length;
    if (Math.abs(m - n) > 50 || m > 256 || n > 256) {
        return Math.max(m, n);
    }
    const d: number[][] = Array.from({ length: m + 1 }, (_, i) => [i, ...new Array<number>(n).fill(0)]);
    for (let j = 1; j <= n; j++) {
        d[0][j] = j;
    }
    for (let i = 1; i <= m; i++) {
        for (let j = 1; j <= n; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[m][n];
}

/** The candidate closest to a misspelt name, if one is close enough to be what was meant. */
export function closestMatch(name: string, candidates: Iterable<string>): string | undefined {
    const lower = name.toLowerCase();
    let best: { candidate: string; distance: number } | undefined;
    for (const candidate of candidates) {
        const c = candidate.toLowerCase();
        // A missing or extra prefix/suffix (e.g. "lambda-function-timeout" for "aws-lambda-function-timeout")
        // counts as a near miss, after true one-character typos.
        const edits = editDistance(lower, c);
        const affix = lower.length >= 6 && (c.endsWith(lower) || c.startsWith(lower) || lower.endsWith(c) || lower.startsWith(c));
        const distance = affix ? Math.min(edits, 1.5) : edits;
        if (!best || distance < best.distance) {
            best = { candidate, distance };
        }
    }
    const limit = Math.max(2, Math.floor(name.length / 4));
    return best && best.distance <= limit ? best.candidate : undefined;
}

const DATE_PATTERN_SOURCE = /\\d\{4\}-\\d\{2\}-\\d\{2\}/;

/** Whether a string schema describes a calendar date (format "date", or a YYYY-MM-DD pattern). */
function isDateSchema(schema: Schema): boolean {
    return schema.format === "date" || (typeof schema.pattern === "string" && DATE_PATTERN_SOURCE.test(schema.pattern));
}

/** YYYY-MM-DD text that names a day which does not exist (2026-02-30, 2026-13-01). */
function isImpossibleDate(value: string): boolean {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!m) {
        return false;
    }
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    return date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d;
}

function quote(value: unknown): string {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function suggestion(name: string, candidates: Iterable<string>): string {
    const close = closestMatch(name, candidates);
    return close ? ` (did you mean "${close}"?)` : "";
}

/** Problems in one value that the schema validator can't express: impossible dates, invalid regexes, unknown nested keys. */
function formatProblems(policy: string, schema: Schema, value: unknown, field: string, out: string[]): void {
    if (typeof value === "string") {
        if (isDateSchema(schema) && isImpossibleDate(value)) {
            out.push(`${policy}: ${field}: ${quote(value)} is not a real date (expected an existing day as YYYY-MM-DD)`);
        }
        if (schema.format === "regex") {
            const error = regexError(value);
            if (error !== undefined) {
                out.push(`${policy}: ${field}: ${quote(value)} is not a valid regular expression (${error.replace(/^Invalid regular expression: /, "")})`);
            }
        }
        return;
    }
    if (Array.isArray(value)) {
        const items = schema.items;
        if (typeof items === "object" && items !== null && !Array.isArray(items)) {
            value.forEach((v, i) => formatProblems(policy, items as Schema, v, `${field}.${i}`, out));
        }
        return;
    }
    if (typeof value === "object" && value !== null) {
        const props = (schema.properties ?? {}) as Record<string, Schema>;
        const additional = schema.additionalProperties;
        for (const [k, v] of Object.entries(value)) {
            const child = `${field}.${k}`;
            if (props[k]) {
                formatProblems(policy, props[k], v, child, out);
            } else if (typeof additional === "object" && additional !== null) {
                formatProblems(policy, additional as Schema, v, child, out);
            } else if (additional === undefined && Object.keys(props).length > 0) {
                // additionalProperties: false is already an engine error; with no keyword the engine accepts the typo silently.
                out.push(`${policy}: ${child}: unknown property${suggestion(k, Object.keys(props))}; known: ${Object.keys(props).join(", ")}`);
            }
        }
    }
}

/**
 * Config mistakes the engine lets through: unknown policy names and unknown properties (each with the
 * closest known name), and values that pass the schema but can't be meant (dates that don't exist in
 * date properties, invalid regular expressions in `format: "regex"` properties). Each message names
 * the policy and the field. The engine itself does not reject any of these, so callers decide whether
 * they are warnings or errors.
 */
export function strictConfigProblems(policies: PolicyInfo[], config: Record<string, PolicyConfigEntry>): string[] {
    const problems: string[] = [];
    const byName = new Map(policies.map(p => [p.name, p]));
    for (const [name, entry] of Object.entries(config)) {
        const properties = entry.properties ?? {};
        if (name === "all") {
            for (const key of Object.keys(properties)) {
                problems.push(`all: ${key}: "all" sets only the enforcement level of every policy; the property is ignored (set it on a named policy)`);
            }
            continue;
        }
        const policy = byName.get(name);
        if (!policy) {
            problems.push(`${name}: unknown policy${suggestion(name, byName.keys())}; the engine ignores its configuration`);
            continue;
        }
        // enforcementLevel is the level, not a property (the engine injects it into the schema it validates).
        const schemaProps = Object.fromEntries(Object.entries(policy.configSchema?.properties ?? {}).filter(([k]) => k !== "enforcementLevel")) as Record<string, Schema>;
        for (const [key, value] of Object.entries(properties)) {
            const schema = schemaProps[key];
            if (!schema) {
                const known = Object.keys(schemaProps);
                problems.push(`${name}: ${key}: unknown property${suggestion(key, known)}; ${known.length ? `known: ${known.join(", ")}` : "the policy has no properties"}`);
                continue;
            }
            formatProblems(name, schema, value, key, problems);
        }
    }
    return problems;
}
