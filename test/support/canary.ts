// Canary secrets for leak tests: unique, secret-looking values planted in string fields of resources
// (plainly or Pulumi-secret-wrapped), and a detector that finds any of them in any text.
import * as fs from "fs";
import * as path from "path";
import { EngineResource, RunResult } from "../../runner/engine";
import { isSecret, secret } from "../../runner/wire";

/** Matches every canary core, whatever it was embedded in (case-insensitive, so lower-cased echoes count). */
export const CANARY_PATTERN = /cnry[0-9a-z]{8}qz7x/i;

let counter = 0;

/** A fresh 16-character core: [A-Z0-9] only, so it also fits token formats (e.g. after AKIA). */
export function canaryCore(): string {
    return `CNRY${(counter++).toString(36).toUpperCase().padStart(8, "0")}QZ7X`;
}

/** Secret shapes the detectors know, each carrying a core; a policy that echoes the value echoes the core. */
const SHAPES: ((core: string) => string)[] = [
    core => core,
    core => `AKIA${core}`,
    core => `Server=db;User Id=app;Password=${core};`,
    core => `postgres://app:${core}@db.internal:5432/app`,
    core => `${core}q8ZrT2vLm9XkP4wN7sYb3JdF`,
    core => `xoxb-${core}-abcdefghij`,
    core => `-----BEGIN PRIVATE KEY-----${core}`,
];

/** Where each canary was planted (core -> field path), to attribute a leak to the field it came from. */
const origins = new Map<string, string>();

let shape = 0;
export function canaryValue(field?: string): string {
    const core = canaryCore();
    if (field !== undefined) {
        origins.set(core, field);
    }
    return SHAPES[shape++ % SHAPES.length](core);
}

/**
 * Leaks found when this suite was written, reported to the owners of these policies (they quote a
 * property value in a message or reason). Each entry must still leak (so that a fix removes it here);
 * any other leak fails the suite.
 */
export const KNOWN_LEAKS: { policy: string; field: RegExp; what: string }[] = [
    { policy: "aws-lambda-permission-action", field: /^action$/, what: "the message quotes the permission's action value" },
    { policy: "aws-apigateway-method-request-validation", field: /^httpMethod$/, what: "the not-applicable reason quotes the upper-cased httpMethod" },
    { policy: "aws-s3-bucket-sse-kms", field: /\.sseAlgorithm$/, what: "the message quotes the rule's sseAlgorithm value" },
    { policy: "aws-ssm-parameter-secure-string", field: /^(type|name)$/, what: "the message quotes the parameter's type (and its name)" },
    { policy: "stack-function-secret-reference", field: /(^|\.)serviceAccountEmail$/, what: "the message quotes the function's service account email (lower-cased)" },
    { policy: "stack-function-public-invocation", field: /^routeKey$/, what: "the message quotes the API Gateway route key" },
    { policy: "stack-function-identity-privileged", field: /^project$/, what: "the message quotes the GCP project id of an IAM member" },
    { policy: "stack-function-event-loop", field: /^project$/, what: "the message quotes the GCP project id of an IAM member" },
    { policy: "stack-aws-lambda-role-trust", field: /^assumeRolePolicyDocument\.Statement\.\d+\.Principal\./, what: "the message names the other principal an aws-native role trusts" },
    { policy: "stack-function-identity-privileged", field: /^policies\.\d+\.policyName$/, what: "the message names the aws-native inline policy that grants the rights" },
    { policy: "stack-function-event-loop", field: /^policies\.\d+\.policyName$/, what: "the message names the aws-native inline policy that grants the rights" },
];

export function knownLeak(policy: string, field: string | undefined): typeof KNOWN_LEAKS[number] | undefined {
    return field === undefined ? undefined : KNOWN_LEAKS.find(k => k.policy === policy && k.field.test(field));
}

type Path = (string | number)[];

const VALUE_KEYS = ["value", "connectionString", "secret", "secretRef", "valueFrom", "policy"];

/**
 * The design has policies name secret keys, never values: in a list of name/value settings (Azure
 * appSettings and connectionStrings, GCP secretEnvironmentVariables, AWS inline policies) the entry's
 * `name`/`key` is the entry's key, as a map key is elsewhere, so it is not a field a canary goes into.
 */
function isSettingName(parent: Record<string, unknown>, key: string, inList: boolean): boolean {
    return inList && (key === "name" || key === "key") && VALUE_KEYS.some(k => k in parent && k !== key);
}

/** Paths of every string leaf (through secret wrappers, whose value is data), setting names excepted. */
export function stringPaths(value: unknown, at: Path = [], out: Path[] = [], depth = 0, inList = false): Path[] {
    if (depth > 60) {
        return out;
    }
    if (typeof value === "string") {
        out.push(at);
    } else if (isSecret(value)) {
        stringPaths(value.value, [...at, "value"], out, depth + 1);
    } else if (Array.isArray(value)) {
        value.forEach((v, i) => stringPaths(v, [...at, i], out, depth + 1, true));
    } else if (typeof value === "object" && value !== null) {
        for (const [k, v] of Object.entries(value)) {
            if (!(typeof v === "string" && isSettingName(value as Record<string, unknown>, k, inList))) {
                stringPaths(v, [...at, k], out, depth + 1);
            }
        }
    }
    return out;
}

function setAt(root: unknown, p: Path, value: unknown): void {
    const parent = p.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root) as Record<string | number, unknown>;
    parent[p[p.length - 1]] = value;
}

function getAt(root: unknown, p: Path): unknown {
    return p.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root);
}

export type Mode = "plain" | "secret";

function planted(original: string, mode: Mode, keepShape: boolean, field: string): unknown {
    const v = keepShape ? `${original}${original ? "-" : ""}${canaryValue(field)}` : canaryValue(field);
    return mode === "secret" ? secret(v) : v;
}

/** One copy of the props per string field, with a canary replacing that field. */
export function perFieldVariants(props: Record<string, unknown>, mode: Mode): { field: string; props: Record<string, unknown> }[] {
    return stringPaths(props).map(p => {
        const copy = structuredClone(props);
        setAt(copy, p, planted(getAt(copy, p) as string, mode, false, p.join(".")));
        return { field: p.join("."), props: copy };
    });
}

/** A copy of the props with every string field carrying a canary (appended, so values keep their shape). */
export function allFields(props: Record<string, unknown>, mode: Mode): Record<string, unknown> {
    const copy = structuredClone(props);
    for (const p of stringPaths(copy)) {
        setAt(copy, p, planted(getAt(copy, p) as string, mode, true, p.join(".")));
    }
    return copy;
}

/** Paths of every object, list and string below the top (at every depth), secret wrappers included as data. */
function nodePaths(value: unknown, at: Path = [], out: Path[] = [], depth = 0): Path[] {
    if (depth > 60) {
        return out;
    }
    if (at.length > 0 && (typeof value === "string" || (typeof value === "object" && value !== null))) {
        out.push(at);
    }
    if (isSecret(value)) {
        nodePaths(value.value, [...at, "value"], out, depth + 1);
    } else if (Array.isArray(value)) {
        value.forEach((v, i) => nodePaths(v, [...at, i], out, depth + 1));
    } else if (typeof value === "object" && value !== null) {
        for (const [k, v] of Object.entries(value)) {
            nodePaths(v, [...at, k], out, depth + 1);
        }
    }
    return out;
}

/**
 * One copy of the props per property at every depth, with that property made a Pulumi secret as a
 * whole and a canary appended to every string inside it (names included: the whole value is secret).
 */
export function secretSubtreeVariants(props: Record<string, unknown>, topLevelOnly = false): { field: string; props: Record<string, unknown> }[] {
    const paths = nodePaths(props).filter(p => !topLevelOnly || p.length === 1);
    return paths.map(p => {
        const copy = structuredClone(props);
        const field = p.join(".");
        const plant = (v: unknown): unknown => typeof v === "string" ? `${v}${v ? "-" : ""}${canaryValue(field)}`
            : isSecret(v) ? plant(v.value)
            : Array.isArray(v) ? v.map(plant)
            : typeof v === "object" && v !== null ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plant(x)])) : v;
        setAt(copy, p, secret(plant(getAt(copy, p))));
        return { field, props: copy };
    });
}

export interface Leak {
    core: string;
    /** The field the canary was planted in. */
    field?: string;
    excerpt: string;
}

/** The canaries found in a text, with the field each came from and some context. */
export function leaks(text: string): Leak[] {
    const out: Leak[] = [];
    const re = new RegExp(CANARY_PATTERN.source, "gi");
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null && out.length < 20) {
        const core = m[0].toUpperCase();
        out.push({ core, field: origins.get(core), excerpt: text.slice(Math.max(0, m.index - 80), m.index + 40).replace(/\s+/g, " ") });
    }
    return out;
}

/** Captures everything written to stdout/stderr and through console while `fn` runs. */
export async function captureOutput<T>(fn: () => Promise<T> | T): Promise<{ result: T; output: string }> {
    const chunks: string[] = [];
    const out = process.stdout.write;
    const err = process.stderr.write;
    const methods = ["log", "info", "warn", "error", "debug", "trace"] as const;
    const saved = methods.map(m => console[m]);
    const capture = (chunk: unknown) => { chunks.push(typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : String(chunk)); return true; };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    methods.forEach(m => { (console as unknown as Record<string, unknown>)[m] = (...args: unknown[]) => { chunks.push(args.map(a => (typeof a === "string" ? a : JSON.stringify(a))).join(" ")); }; });
    try {
        const result = await fn();
        return { result, output: chunks.join("") };
    } finally {
        process.stdout.write = out;
        process.stderr.write = err;
        methods.forEach((m, i) => { (console as unknown as Record<string, unknown>)[m] = saved[i]; });
    }
}

/** The scanner's report writers that exist in this tree, each turning a run result into text. */
export function reportWriters(): { name: string; write(result: RunResult, resources: EngineResource[]): string }[] {
    const dir = path.resolve(__dirname, "..", "..", "runner");
    const ctx = (resources: EngineResource[]) => ({
        tool: { name: "serverless-guard", version: "0.1.0", informationUri: "https://example.com/serverless-guard" },
        resources, inputPath: "stack.json", now: new Date(0),
    });
    const writers: { name: string; write(result: RunResult, resources: EngineResource[]): string }[] = [];
    const report = require(path.join(dir, "report")) as Record<string, (...a: unknown[]) => string>;
    writers.push({ name: "text", write: (r, res) => report.formatText(r, { color: false, context: ctx(res) }) });
    writers.push({ name: "json", write: (r, res) => report.formatJson(r, ctx(res)) });
    for (const [file, fn] of [["sarif", "formatSarif"], ["junit", "formatJunit"]] as const) {
        if (fs.existsSync(path.join(dir, `${file}.js`))) {
            const mod = require(path.join(dir, file)) as Record<string, (...a: unknown[]) => string>;
            if (typeof mod[fn] === "function") {
                writers.push({ name: file, write: (r, res) => mod[fn](r, ctx(res)) });
            }
        }
    }
    return writers;
}

