// Property-based fuzzing support: baseline resources (every test fixture and example-stack resource,
// found generically), arbitrary property values (wrong types, nulls, huge strings, deep nesting,
// unknown sentinels and secret wrappers at any depth), and mutations of baselines at random paths.
import * as fc from "fast-check";
import * as fs from "fs";
import * as path from "path";
import { parseInput } from "../../runner/inputs";
import { isSecret, secret, SECRET_SIG_KEY, UNKNOWN } from "../../runner/wire";
import { observed, Outcome, TestResource } from "./harness";

export const REPO = path.resolve(__dirname, "..", "..", "..");

/** Runs per property (per policy); `npm run fuzz` raises it. */
export const FUZZ_RUNS = Math.max(1, Number(process.env.FUZZ_RUNS ?? "") || 30);
/** Base seed; each policy derives its own from it and its name, so adding a policy changes no other sequence. */
export const FUZZ_SEED = Number.isFinite(Number(process.env.FUZZ_SEED)) && process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20261128;
/** A single call slower than this (twice in a row) counts as a failure: generous, not micro-timing. */
export const SLOW_CALL_MS = Number(process.env.FUZZ_SLOW_MS ?? "") || 200;

export function seedFor(name: string): number {
    let h = FUZZ_SEED | 0;
    for (let i = 0; i < name.length; i++) {
        h = (Math.imul(h ^ name.charCodeAt(i), 16777619) + 0x9e3779b9) | 0;
    }
    return h;
}

function isResourceLike(v: unknown): v is TestResource {
    return typeof v === "object" && v !== null && typeof (v as TestResource).type === "string"
        && typeof (v as TestResource).props === "object" && (v as TestResource).props !== null && !Array.isArray((v as TestResource).props);
}

/** Every `{type, name?, props}` exported by test/fixtures/*. */
export function fixtureResources(): TestResource[] {
    const dir = path.join(__dirname, "..", "fixtures");
    const out: TestResource[] = [];
    for (const f of fs.readdirSync(dir).filter(x => x.endsWith(".js")).sort()) {
        const mod = require(path.join(dir, f)) as Record<string, unknown>;
        for (const [key, v] of Object.entries(mod)) {
            if (isResourceLike(v)) {
                out.push({ ...v, name: v.name ?? key });
            }
        }
    }
    return out;
}

/** Every resource of examples/stacks/*.json, with URNs and propertyDependencies as the engine sends them. */
export function exampleResources(): (TestResource & { source: string })[] {
    const dir = path.join(REPO, "examples", "stacks");
    return fs.readdirSync(dir).filter(f => f.endsWith(".json")).sort().flatMap(f =>
        parseInput(fs.readFileSync(path.join(dir, f), "utf8"), f).resources.map(r => ({
            source: f, type: r.type, name: r.name, urn: r.urn, props: r.props,
            propertyDependencies: r.propertyDependencies, dependencies: r.dependencies, parent: r.parent,
        })));
}

export function allBaselines(): TestResource[] {
    return [...fixtureResources(), ...exampleResources()];
}

function collect(value: unknown, strings: Set<string>, keys: Set<string>, depth = 0): void {
    if (depth > 40) {
        return;
    }
    if (typeof value === "string") {
        if (value.length <= 300) {
            strings.add(value);
        }
    } else if (Array.isArray(value)) {
        value.forEach(v => collect(v, strings, keys, depth + 1));
    } else if (typeof value === "object" && value !== null) {
        for (const [k, v] of Object.entries(value)) {
            // The secret signature key only ever appears in a well-formed wrapper (the SDK rejects others).
            if (k !== SECRET_SIG_KEY) {
                keys.add(k);
            }
            collect(v, strings, keys, depth + 1);
        }
    }
}

/** Strings and keys that occur in the baselines: the vocabulary the policies look for. */
export function vocabulary(resources: TestResource[]): { strings: string[]; keys: string[] } {
    const strings = new Set<string>();
    const keys = new Set<string>();
    resources.forEach(r => collect(r.props, strings, keys));
    return { strings: [...strings].sort(), keys: [...keys].sort() };
}

// Values policies treat specially, and shapes that break naive code.
const SPECIAL_STRINGS = [
    "", " ", "*", "**", "?", "*:*", "iam:*", "s3:*", "arn:aws:iam::*:root", "arn:aws:iam::123456789012:root", "123456789012", "allUsers",
    "allAuthenticatedUsers", "NONE", "AWS_IAM", "true", "false", "null", "0", "-1", "1e309", "NaN", "~1", "~4", "TLS1_0", "1.0",
    "AllowAll", "Disabled", "Enabled", "anonymous", "0.0.0.0/0", "::/0", "https://*", "http://", "{}", "[]", "{\"Statement\":", "[{\"Effect\":\"Allow\"}]",
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\",\"Principal\":\"*\"}]}",
    "{\"Statement\":{\"Effect\":\"Allow\",\"NotAction\":[\"iam:*\"],\"Resource\":[\"*\"],\"Principal\":{\"AWS\":[\"*\",5,null]},\"Condition\":{\"StringEquals\":5}}}",
    "{\"bindings\":[{\"role\":\"roles/owner\",\"members\":[\"allUsers\",null,5]}]}", "{\"bindings\":5}",
    "@Microsoft.KeyVault(SecretUri=)", "AKIAIOSFODNN7EXAMPLE", "-----BEGIN PRIVATE KEY-----", "Password=;", "postgres://u:p@h/db",
    "2026-02-30", "9999-99-99", "\u0000", "\ud800", "💥", "constructor", "__proto__", "toString", "hasOwnProperty",
    "1b47061264138c4ac30d75fd1eb44270", "4dabf18193072939515e22adb298388d",
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
];
const SPECIAL_KEYS = ["constructor", "toString", "hasOwnProperty", "valueOf", "length", "0", "", "Statement", "Effect", "Action", "Principal", "value"];

/** A long string made of a repeated fragment, up to `max` characters. */
export function hugeString(max: number): fc.Arbitrary<string> {
    return fc.tuple(fc.constantFrom("a", "*", "x:", "/", ";password=", "AKIA", "{\"a\":", "[", "\\", "arn:aws:", "%", " ", "é"), fc.integer({ min: 1000, max }))
        .map(([frag, n]) => frag.repeat(Math.ceil(n / frag.length)).slice(0, n));
}

/** Deeply nested objects or lists around a value (within the wire encoding's 200-level limit). */
export function nested(inner: fc.Arbitrary<unknown>, maxDepth = 120): fc.Arbitrary<unknown> {
    return fc.tuple(fc.integer({ min: 20, max: maxDepth }), fc.boolean(), inner).map(([depth, asList, leaf]) => {
        let v: unknown = leaf;
        for (let i = 0; i < depth; i++) {
            v = asList ? [v] : { a: v };
        }
        return v;
    });
}

export interface Arbitraries {
    key: fc.Arbitrary<string>;
    leaf: fc.Arbitrary<unknown>;
    value: fc.Arbitrary<unknown>;
    /** A property bag: an object of keys to values. */
    bag: fc.Arbitrary<Record<string, unknown>>;
}

export function arbitraries(vocab: { strings: string[]; keys: string[] }, hugeMax = 100_000): Arbitraries {
    const key = fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...vocab.keys) },
        { weight: 1, arbitrary: fc.constantFrom(...SPECIAL_KEYS) },
        { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    );
    const leaf: fc.Arbitrary<unknown> = fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...vocab.strings) },
        { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
        { weight: 2, arbitrary: fc.string({ maxLength: 40, unit: "binary" }) },
        { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, 1, -1, 2 ** 53, 1e308, Infinity, -Infinity, NaN)) },
        { weight: 1, arbitrary: fc.boolean() },
        { weight: 2, arbitrary: fc.constant(null) },
        { weight: 3, arbitrary: fc.constant(UNKNOWN) },
        { weight: 1, arbitrary: hugeString(hugeMax) },
    );
    const { value } = fc.letrec<{ value: unknown }>(tie => ({
        value: fc.oneof(
            { depthSize: "small", withCrossShrink: true },
            { weight: 8, arbitrary: leaf },
            { weight: 2, arbitrary: fc.array(tie("value"), { maxLength: 4 }) },
            { weight: 2, arbitrary: fc.dictionary(key, tie("value"), { maxKeys: 4 }) },
            { weight: 2, arbitrary: tie("value").map(v => secret(v)) },
            { weight: 1, arbitrary: nested(leaf, 60) },
        ),
    }));
    const bag = fc.dictionary(key, value, { maxKeys: 8 });
    return { key, leaf, value, bag };
}

// ---- mutations of a baseline at random paths ----

export type Path = (string | number)[];

/**
 * Every path in a value (root excluded), containers and leaves, up to a depth. Inside a secret wrapper
 * only its value is a path: the signature is wire encoding, not data.
 */
export function pathsOf(value: unknown, at: Path = [], out: Path[] = [], depth = 0): Path[] {
    if (depth > 30) {
        return out;
    }
    if (isSecret(value)) {
        out.push([...at, "value"]);
        pathsOf(value.value, [...at, "value"], out, depth + 1);
    } else if (Array.isArray(value)) {
        value.forEach((v, i) => { out.push([...at, i]); pathsOf(v, [...at, i], out, depth + 1); });
    } else if (typeof value === "object" && value !== null) {
        for (const [k, v] of Object.entries(value)) {
            out.push([...at, k]);
            pathsOf(v, [...at, k], out, depth + 1);
        }
    }
    return out;
}

function getAt(root: unknown, p: Path): unknown {
    return p.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], root);
}

function setAt(root: Record<string, unknown>, p: Path, value: unknown): void {
    const parent = getAt(root, p.slice(0, -1)) as Record<string | number, unknown>;
    if (typeof parent === "object" && parent !== null) {
        parent[p[p.length - 1]] = value;
    }
}

function deleteAt(root: Record<string, unknown>, p: Path): void {
    const parent = getAt(root, p.slice(0, -1));
    const last = p[p.length - 1];
    if (isSecret(parent)) {
        parent.value = null;
    } else if (Array.isArray(parent) && typeof last === "number") {
        parent.splice(last, 1);
    } else if (typeof parent === "object" && parent !== null) {
        delete (parent as Record<string, unknown>)[last];
    }
}

export const MUTATIONS = [
    "replace", "delete", "secret", "unknown", "wrapArray", "unwrapArray", "stringify", "parseJson", "null", "typeSwap", "addKey", "huge", "nest",
] as const;
export type MutationKind = typeof MUTATIONS[number];

export interface Mutation {
    kind: MutationKind;
    /** Picks the path: an index into the current paths, modulo their count. */
    at: number;
    value: unknown;
    key: string;
    huge: string;
}

export function mutationArb(a: Arbitraries, hugeMax = 100_000): fc.Arbitrary<Mutation> {
    return fc.record({
        kind: fc.constantFrom(...MUTATIONS),
        at: fc.nat(),
        value: a.value,
        key: a.key,
        huge: hugeString(hugeMax),
    });
}

function swapType(v: unknown): unknown {
    if (typeof v === "number") { return String(v); }
    if (typeof v === "boolean") { return v ? "true" : 1; }
    if (typeof v === "string") { return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v === "true" || v === "false" ? v === "true" : v.length; }
    if (Array.isArray(v)) { return Object.fromEntries(v.map((x, i) => [String(i), x])); }
    if (typeof v === "object" && v !== null) { return Object.values(v); }
    return v === null ? "null" : v;
}

/** Applies mutations to a deep copy of the props (the root stays an object). */
export function applyMutations(props: Record<string, unknown>, mutations: Mutation[]): Record<string, unknown> {
    const root = structuredClone(props);
    for (const original of mutations) {
        // fast-check may hand the same value object to several mutations: copy it so no cycle can form.
        const m = { ...original, value: structuredClone(original.value) };
        const paths = pathsOf(root);
        if (m.kind === "addKey" || paths.length === 0) {
            const containers = [[] as Path, ...paths.filter(p => { const v = getAt(root, p); return typeof v === "object" && v !== null && !Array.isArray(v); })];
            const target = containers[m.at % containers.length];
            const obj = target.length === 0 ? root : getAt(root, target) as Record<string, unknown>;
            if (!isSecret(obj)) {
                obj[m.key] = m.value;
            }
            continue;
        }
        const p = paths[m.at % paths.length];
        const current = getAt(root, p);
        switch (m.kind) {
            case "replace": setAt(root, p, m.value); break;
            case "delete": deleteAt(root, p); break;
            case "secret": setAt(root, p, secret(current)); break;
            case "unknown": setAt(root, p, UNKNOWN); break;
            case "wrapArray": setAt(root, p, [current]); break;
            case "unwrapArray": setAt(root, p, Array.isArray(current) ? current[0] ?? null : current); break;
            case "stringify": setAt(root, p, JSON.stringify(current) ?? "undefined"); break;
            case "parseJson": {
                if (typeof current === "string") {
                    try { setAt(root, p, JSON.parse(current)); } catch { setAt(root, p, current.slice(0, current.length >> 1)); }
                }
                break;
            }
            case "null": setAt(root, p, null); break;
            case "typeSwap": setAt(root, p, swapType(current)); break;
            case "huge": setAt(root, p, m.huge); break;
            case "nest": {
                let v: unknown = current;
                for (let i = 0; i < 60; i++) { v = i % 2 ? [v] : { a: v }; }
                setAt(root, p, v);
                break;
            }
        }
    }
    return root;
}

/** Nesting depth of a value (the wire encoding used by the harness accepts up to 200 levels). */
export function depthOf(value: unknown, limit = 400): number {
    let max = 0;
    const stack: [unknown, number][] = [[value, 0]];
    while (stack.length > 0) {
        const [v, d] = stack.pop()!;
        max = Math.max(max, d);
        if (max > limit) {
            return max;
        }
        if (typeof v === "object" && v !== null) {
            for (const child of Object.values(v)) {
                stack.push([child, d + 1]);
            }
        }
    }
    return max;
}

/** Deeper than the harness's wire encoding carries: such inputs are discarded (fc.pre). */
export const MAX_FUZZ_DEPTH = 190;

/** An outcome as comparable text (for determinism checks). */
export function outcomeKey(o: Outcome): string {
    return JSON.stringify({ v: o.violations.map(v => [v.level, v.urn ?? "", v.message]), n: o.notApplicable ?? null, u: o.unknown ?? null });
}

/** Problems in an outcome: internal errors are crashes the definition layer contained. */
export function crashes(o: Outcome): string[] {
    return o.violations.filter(v => /internal error/i.test(v.message)).map(v => v.message);
}

/** Runs a function, timing it; retries once when it is slow, so that a GC pause doesn't count. */
export async function timed<T>(fn: () => T | Promise<T>): Promise<{ result: T; ms: number }> {
    let start = process.hrtime.bigint();
    let result = await fn();
    let ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (ms > SLOW_CALL_MS) {
        start = process.hrtime.bigint();
        result = await fn();
        ms = Number(process.hrtime.bigint() - start) / 1e6;
    }
    return { result, ms };
}

/**
 * Fuzz runs feed `check` many outcomes; the suite-wide "every policy seen passing and failing in its
 * unit tests" check must not count them, so the record is restored afterwards.
 */
export function preserveObserved(): { restore(): void } {
    // Called while mocha collects the suite: the snapshot must be taken when the suite starts running.
    let snapshot = new Map<string, Set<"pass" | "fail">>();
    before(() => {
        snapshot = new Map([...observed].map(([k, v]) => [k, new Set(v)]));
    });
    return {
        restore() {
            observed.clear();
            for (const [k, v] of snapshot) {
                observed.set(k, v);
            }
        },
    };
}

/** Short description of an input for failure messages (huge strings abbreviated). */
export function summarizeInput(value: unknown): string {
    const text = JSON.stringify(value, (_k, v) => (typeof v === "string" && v.length > 120 ? `${v.slice(0, 40)}…(${v.length} chars)` : v));
    return text && text.length > 4000 ? `${text.slice(0, 4000)}…` : text;
}
