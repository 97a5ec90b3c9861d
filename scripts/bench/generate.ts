// Realistic generated stacks for the benchmark: the example stacks (AWS, Azure, Google Cloud) copied
// over and over, each copy with its own resource names, URNs and identifier values, and with its
// propertyDependencies, dependencies and parents pointing into the same copy, so that a generated
// stack links like many small real stacks side by side (no accidental cross-copy identifier matches).
import * as fs from "fs";
import * as path from "path";
import { EngineResource } from "../../runner/engine";
import { parseInput } from "../../runner/inputs";
import { GCP_TEMPLATE } from "./gcp-template";

export interface Template {
    /** Where the template came from, e.g. "aws-insecure.json". */
    source: string;
    resources: EngineResource[];
}

export const BENCH_STACK = "bench";
export const BENCH_PROJECT = "serverless-guard-bench";

/** The example stacks of the repository, plus a built-in Google Cloud stack when none covers it. */
export function loadTemplates(repoDir: string): Template[] {
    const dir = path.join(repoDir, "examples", "stacks");
    const templates: Template[] = fs.readdirSync(dir)
        .filter(f => f.endsWith(".json"))
        .sort()
        .map(f => ({ source: f, resources: parseInput(fs.readFileSync(path.join(dir, f), "utf8"), f).resources }));
    if (!templates.some(t => t.resources.some(r => r.type.startsWith("gcp:")))) {
        templates.push({ source: "bench/gcp-template", resources: parseInput(JSON.stringify(GCP_TEMPLATE), "gcp-template").resources });
    }
    return templates;
}

const WORD = "A-Za-z0-9_-";
/** Property names whose string values identify a resource to others (renamed per copy). */
const IDENTIFIER_KEYS = new Set(["name", "bucket", "functionName", "accountId", "secretId", "secretName", "email", "queueName", "topicName", "logGroupName", "roleName", "arn", "id"]);

function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function urnFor(type: string, name: string): string {
    return `urn:pulumi:${BENCH_STACK}::${BENCH_PROJECT}::${type}::${name}`;
}

function mapStrings(value: unknown, fn: (s: string) => string): unknown {
    if (typeof value === "string") {
        return fn(value);
    }
    if (Array.isArray(value)) {
        return value.map(v => mapStrings(v, fn));
    }
    if (typeof value === "object" && value !== null) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
            out[k] = mapStrings(v, fn);
        }
        return out;
    }
    return value;
}

/** A function that renames one template's resource names and identifier values for copy `k`. */
function renamer(template: Template): (s: string, k: number) => string {
    const tokens = new Set<string>();
    for (const r of template.resources) {
        tokens.add(r.name);
        for (const [key, v] of Object.entries(r.props)) {
            if (IDENTIFIER_KEYS.has(key) && typeof v === "string" && v.length >= 4 && !/^[0-9a-f-]{36}$/.test(v)) {
                tokens.add(v);
            }
        }
    }
    const sorted = [...tokens].filter(t => t.length >= 3).sort((a, b) => b.length - a.length);
    if (sorted.length === 0) {
        return s => s;
    }
    const re = new RegExp(`(?<![${WORD}])(?:${sorted.map(escapeRegExp).join("|")})(?![${WORD}])`, "g");
    return (s, k) => s.replace(re, m => `${m}-${k}`);
}

export interface GenerateOptions {
    /**
     * Keep every copy's names, ids, ARNs and emails as in its template (only Pulumi names and URNs
     * differ): many resources then share each name, role, service account and project, the way copies
     * of one app look side by side, and only their dependencies tell the copies apart.
     */
    sharedNames?: boolean;
}

/**
 * `count` resources built from the templates in turn (copy 0 of the first template, copy 1 of the
 * second, ...). The last copy may be cut short; references to resources cut off are dropped.
 */
export function generateResources(count: number, templates: Template[], options: GenerateOptions = {}): EngineResource[] {
    if (templates.length === 0 || templates.every(t => t.resources.length === 0)) {
        throw new Error("no template resources to generate from");
    }
    const renamers = templates.map(renamer);
    const out: EngineResource[] = [];
    for (let k = 0; out.length < count; k++) {
        const t = k % templates.length;
        const template = templates[t];
        const rename = options.sharedNames ? (s: string) => s : (s: string) => renamers[t](s, k);
        const urnMap = new Map(template.resources.map(r => [r.urn, urnFor(r.type, `${r.name}-${k}`)]));
        const mapUrn = (u: string) => urnMap.get(u) ?? u;
        for (const r of template.resources) {
            if (out.length >= count) {
                break;
            }
            const name = `${r.name}-${k}`;
            const props = mapStrings(r.props, rename) as Record<string, unknown>;
            out.push({
                urn: urnFor(r.type, name),
                type: r.type,
                name,
                props,
                outputs: r.outputs && r.outputs !== r.props ? mapStrings(r.outputs, rename) as Record<string, unknown> : undefined,
                parent: r.parent ? mapUrn(r.parent) : undefined,
                dependencies: (r.dependencies ?? []).map(mapUrn),
                propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([key, urns]) => [key, urns.map(mapUrn)])),
                options: r.options ? { ...r.options, parent: r.options.parent ? mapUrn(r.options.parent) : undefined } : undefined,
            });
        }
    }
    const present = new Set(out.map(r => r.urn));
    for (const r of out) {
        r.dependencies = (r.dependencies ?? []).filter(u => present.has(u));
        r.propertyDependencies = Object.fromEntries(Object.entries(r.propertyDependencies ?? {})
            .map(([key, urns]) => [key, urns.filter(u => present.has(u))] as [string, string[]])
            .filter(([, urns]) => urns.length > 0));
        if (r.parent && !present.has(r.parent)) {
            r.parent = undefined;
        }
        if (r.options?.parent && !present.has(r.options.parent)) {
            r.options = { ...r.options, parent: undefined };
        }
    }
    return out;
}

/** The resources as a `pulumi stack export` (version 3) document, the way the scanner reads state. */
export function toStackExport(resources: EngineResource[]): object {
    const stackUrn = `urn:pulumi:${BENCH_STACK}::${BENCH_PROJECT}::pulumi:pulumi:Stack::${BENCH_PROJECT}-${BENCH_STACK}`;
    return {
        version: 3,
        deployment: {
            manifest: { time: "2026-01-01T00:00:00Z", magic: "", version: "v3.248.0" },
            resources: [
                { urn: stackUrn, custom: false, type: "pulumi:pulumi:Stack" },
                ...resources.map(r => ({
                    urn: r.urn,
                    custom: true,
                    id: r.name,
                    type: r.type,
                    inputs: r.props,
                    outputs: r.outputs ?? r.props,
                    parent: r.parent ?? stackUrn,
                    dependencies: r.dependencies ?? [],
                    propertyDependencies: r.propertyDependencies ?? {},
                })),
            ],
        },
    };
}
