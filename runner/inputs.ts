// Reads the resource lists the scanner accepts and turns them into engine resources:
// `pulumi stack export` (version 3), `pulumi preview --json`, and a plain list of {type, name, urn?, props}.
import { EngineResource } from "./engine";
import { isSecret, markWireForm, secret, SECRET_SIG, SECRET_SIG_KEY, sortedKeys } from "./wire";

export type InputFormat = "stack-export" | "preview-json" | "resource-list";

export class InputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InputError";
    }
}

export const ACCEPTED_FORMATS = "a `pulumi stack export` file (version 3), `pulumi preview --json` output, or a JSON list of {\"type\", \"name\", \"urn\"?, \"props\"} resources";

/** Stands in for an encrypted secret whose plaintext the scanner can't see. */
export const OPAQUE_SECRET = "[encrypted secret]";

function isObject(v: unknown): v is Record<string, any> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Secrets in state files carry `plaintext` (JSON text) or `ciphertext`; turn them into wire secrets.
 * The value comes out in wire form (keys in sorted order, see markWireForm), so that analysis hands it
 * on without copying it again.
 */
export function decodeStateValue(value: unknown): unknown {
    const decoded = decodeValue(value, 0);
    return typeof decoded === "object" && decoded !== null ? markWireForm(decoded) : decoded;
}

function decodeValue(value: unknown, depth: number): unknown {
    if (depth > 200) {
        throw new InputError("a property value is nested more than 200 levels deep");
    }
    if (Array.isArray(value)) {
        return value.map(v => decodeValue(v, depth + 1));
    }
    if (!isObject(value)) {
        return value;
    }
    if (value[SECRET_SIG_KEY] === SECRET_SIG) {
        if ("value" in value) {
            return secret(decodeValue(value.value, depth + 1));
        }
        if (typeof value.plaintext === "string") {
            let plain: unknown = value.plaintext;
            try {
                plain = JSON.parse(value.plaintext);
            } catch {
                // a plaintext that isn't JSON is kept as the string itself
            }
            return secret(decodeValue(plain, depth + 1));
        }
        return secret(OPAQUE_SECRET);
    }
    const out: Record<string, unknown> = {};
    for (const k of sortedKeys(value)) {
        out[k] = decodeValue(value[k], depth + 1);
    }
    return out;
}

function nameFromUrn(urn: string): string {
    const i = urn.lastIndexOf("::");
    return i >= 0 ? urn.slice(i + 2) : urn;
}

function stateResource(r: unknown, where: string, useInputs: boolean): EngineResource {
    if (!isObject(r) || typeof r.urn !== "string" || typeof r.type !== "string") {
        throw new InputError(`${where} is not a resource: it needs string "urn" and "type" fields`);
    }
    const inputs = isObject(r.inputs) ? decodeStateValue(r.inputs) as Record<string, unknown> : {};
    const outputs = isObject(r.outputs) ? decodeStateValue(r.outputs) as Record<string, unknown> : undefined;
    return {
        urn: r.urn,
        type: r.type,
        name: nameFromUrn(r.urn),
        props: useInputs ? inputs : (outputs ?? inputs),
        outputs: outputs ?? inputs,
        parent: typeof r.parent === "string" ? r.parent : undefined,
        dependencies: Array.isArray(r.dependencies) ? r.dependencies.filter((d: unknown) => typeof d === "string") : [],
        propertyDependencies: isObject(r.propertyDependencies)
            ? Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, Array.isArray(v) ? v.filter(d => typeof d === "string") : []]))
            : {},
        options: { protect: r.protect === true, parent: typeof r.parent === "string" ? r.parent : undefined },
        provider: typeof r.provider === "string" ? r.provider : undefined,
        sourcePosition: typeof r.sourcePosition === "string" ? r.sourcePosition : undefined,
    };
}

function listResource(r: unknown, index: number, stack: string): EngineResource {
    const where = `resource ${index}`;
    if (!isObject(r) || typeof r.type !== "string" || typeof r.name !== "string") {
        throw new InputError(`${where} needs string "type" and "name" fields`);
    }
    if (r.props !== undefined && !isObject(r.props)) {
        throw new InputError(`${where} (${r.name}): "props" must be an object`);
    }
    const urn = typeof r.urn === "string" ? r.urn : `urn:pulumi:${stack}::scan::${r.type}::${r.name}`;
    const props = decodeStateValue(r.props ?? {}) as Record<string, unknown>;
    return {
        urn, type: r.type, name: r.name, props,
        outputs: isObject(r.outputs) ? decodeStateValue(r.outputs) as Record<string, unknown> : undefined,
        parent: typeof r.parent === "string" ? r.parent : undefined,
        dependencies: Array.isArray(r.dependencies) ? r.dependencies.filter((d: unknown) => typeof d === "string") : [],
        propertyDependencies: isObject(r.propertyDependencies)
            ? Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, Array.isArray(v) ? v.filter(d => typeof d === "string") : []]))
            : {},
        provider: typeof r.provider === "string" ? r.provider : undefined,
        sourcePosition: typeof r.sourcePosition === "string" ? r.sourcePosition : undefined,
    };
}

/**
 * In a plain resource list, parent, dependencies and propertyDependencies may name other resources
 * of the list by name instead of URN (when the name is unique); they become URNs here.
 */
function resolveNames(resources: EngineResource[]): EngineResource[] {
    const byName = new Map<string, string | null>();
    for (const r of resources) {
        byName.set(r.name, byName.has(r.name) ? null : r.urn);
    }
    const urnOf = (ref: string, where: string): string => {
        if (ref.startsWith("urn:")) {
            return ref;
        }
        const urn = byName.get(ref);
        if (!urn) {
            throw new InputError(`${where} refers to ${JSON.stringify(ref)}, which is ${urn === null ? "the name of several resources: use its URN" : "not a resource of the list"}`);
        }
        return urn;
    };
    return resources.map(r => ({
        ...r,
        parent: r.parent ? urnOf(r.parent, `${r.name}.parent`) : undefined,
        provider: r.provider ? urnOf(r.provider, `${r.name}.provider`) : undefined,
        dependencies: (r.dependencies ?? []).map(d => urnOf(d, `${r.name}.dependencies`)),
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {})
            .map(([k, refs]) => [k, refs.map(d => urnOf(d, `${r.name}.propertyDependencies.${k}`))])),
    }));
}

export interface ParsedInput {
    format: InputFormat;
    resources: EngineResource[];
    /** Stack name, when the input names one. */
    stack?: string;
    /** Project name, when the input's URNs carry one. */
    project?: string;
}

/** What `pulumi preview --json` writes in place of every secret value (its JSON path never shows secrets). */
export const PREVIEW_SECRET = "[secret]";

/** Step operations whose `newState` is a resource that will exist after the update. */
const PREVIEW_SKIPPED_OPS = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace"]);

export const FORMAT_LABELS: Record<InputFormat, string> = {
    "stack-export": "pulumi stack export",
    "preview-json": "pulumi preview --json",
    "resource-list": "resource list",
};

/**
 * Decodes input bytes as text: UTF-8 (with or without a byte-order mark) or, when a byte-order mark
 * says so, UTF-16 (what Windows PowerShell writes for `pulumi stack export > file`).
 */
export function decodeInput(bytes: Buffer): string {
    if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
        return bytes.subarray(2).toString("utf16le");
    }
    if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
        const swapped = Buffer.from(bytes.subarray(2));
        swapped.swap16();
        return swapped.toString("utf16le");
    }
    const text = bytes.toString("utf8");
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The stack and project a URN names: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function stackAndProject(urn: string): { stack?: string; project?: string } {
    const m = /^urn:pulumi:(.+?)::(.+?)::/.exec(urn);
    return m ? { stack: m[1], project: m[2] } : {};
}

function looksBinary(text: string): boolean {
    const head = text.slice(0, 8192);
    if (/[\u0000-\u0008\u000e-\u001a]/.test(head)) {
        return true;
    }
    const replaced = head.split("\ufffd").length - 1;
    return replaced > 0 && replaced / head.length > 0.01;
}

/** Guesses which format a document that doesn't parse was meant to be, from its first bytes. */
function sniffFormat(text: string): InputFormat | undefined {
    const head = text.slice(0, 4096);
    if (/"deployment"\s*:/.test(head) || /^\s*\{\s*"version"\s*:\s*\d+\s*,\s*"deployment"/.test(head)) {
        return "stack-export";
    }
    if (/"steps"\s*:/.test(head)) {
        return "preview-json";
    }
    if (/^\s*\[/.test(head) || /"resources"\s*:/.test(head)) {
        return "resource-list";
    }
    return undefined;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
    const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
    const line = before.split("\n").length;
    return { line, column: offset - (before.lastIndexOf("\n") + 1) + 1 };
}

/** Whether text is valid JSON or only ends too early (a prefix of some valid document). */
function isJsonPrefix(text: string): boolean {
    try {
        JSON.parse(text);
        return true;
    } catch (e) {
        const message = e instanceof Error ? e.message : "";
        const at = /at position (\d+)/.exec(message);
        return /end of JSON input|Unterminated string/.test(message) || (at !== null && Number(at[1]) >= text.length);
    }
}

/** Where JSON text goes wrong, for parser messages that don't say (`Unexpected token 'x', "…" is not valid JSON`). */
function errorOffset(text: string): number | undefined {
    if (text.length > 64 * 1024 * 1024) {
        return undefined;
    }
    let lo = 0;
    let hi = text.length;
    if (isJsonPrefix(text)) {
        return undefined;
    }
    // The longest prefix that is still the start of a valid document ends just before the bad character.
    while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (isJsonPrefix(text.slice(0, mid))) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    return lo;
}

function describeParseError(text: string, e: unknown): string {
    if (text.trim() === "") {
        return "it is empty";
    }
    if (looksBinary(text)) {
        return "it is binary data, not JSON text (a compressed or encrypted file, or a UTF-16 file without a byte-order mark?)";
    }
    const message = e instanceof SyntaxError ? e.message.replace(/\r/g, "\\r").replace(/\n/g, "\\n") : "parse error";
    const trimmedEnd = text.trimEnd().length;
    const truncated = isJsonPrefix(text.trimEnd());
    const at = /at position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : truncated ? trimmedEnd : errorOffset(text);
    const sniffed = sniffFormat(text);
    if (truncated) {
        const where = lineAndColumn(text, trimmedEnd);
        const what = sniffed ? `a ${FORMAT_LABELS[sniffed]} document` : "the JSON document";
        return `${what} ends early, at line ${where.line} column ${where.column}: the file looks truncated (was the command that wrote it interrupted?)`;
    }
    const where = offset !== undefined ? (() => { const lc = lineAndColumn(text, offset); return ` at line ${lc.line} column ${lc.column}`; })() : "";
    const reason = message.replace(/\s*(?:in JSON )?at position \d+(?: \(line \d+ column \d+\))?/, "").replace(/,\s*(?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/, "");
    return `it is not valid JSON${where} (${reason})`;
}

function describeJsonValue(doc: unknown): string {
    if (doc === null) {
        return "null";
    }
    if (Array.isArray(doc)) {
        return "a JSON list";
    }
    if (isObject(doc)) {
        const keys = Object.keys(doc);
        return keys.length === 0 ? "an empty JSON object" : `a JSON object with the keys ${keys.slice(0, 6).map(k => JSON.stringify(k)).join(", ")}${keys.length > 6 ? ", ..." : ""}`;
    }
    return `a JSON ${typeof doc}`;
}

/** In preview output every secret is the string "[secret]": make each an opaque secret again. */
function markPreviewSecrets(value: unknown, depth = 0): unknown {
    if (value === PREVIEW_SECRET) {
        return secret(OPAQUE_SECRET);
    }
    if (depth > 200) {
        return value;
    }
    if (Array.isArray(value)) {
        return value.map(v => markPreviewSecrets(v, depth + 1));
    }
    if (isObject(value)) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markPreviewSecrets(v, depth + 1)]));
    }
    return value;
}

function withProjectInfo(parsed: ParsedInput): ParsedInput {
    const first = parsed.resources.find(r => r.urn.startsWith("urn:pulumi:"));
    const fromUrn = first ? stackAndProject(first.urn) : {};
    return { ...parsed, stack: parsed.stack ?? fromUrn.stack, project: parsed.project ?? fromUrn.project };
}

/** Detects the format of scanner input text and reads its resources. */
export function parseInput(text: string, source = "input"): ParsedInput {
    let doc: unknown;
    try {
        doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (e) {
        throw new InputError(`${source} can't be read: ${describeParseError(text, e)}. Expected ${ACCEPTED_FORMATS}.`);
    }
    if (isObject(doc) && "deployment" in doc) {
        if (doc.version !== undefined && doc.version !== 3) {
            throw new InputError(`${source} is a stack export of version ${JSON.stringify(doc.version)}; only version 3 is supported (export it again with a current Pulumi CLI).`);
        }
        if (!isObject(doc.deployment)) {
            throw new InputError(`${source} looks like a stack export, but its "deployment" is ${describeJsonValue(doc.deployment)}, not an object.`);
        }
        const resources = doc.deployment.resources ?? [];
        if (!Array.isArray(resources)) {
            throw new InputError(`${source}: deployment.resources must be a list, but it is ${describeJsonValue(resources)}.`);
        }
        const parsed = resources.map((r: unknown, i: number) => stateResource(r, `${source}: deployment.resources[${i}]`, true));
        // Resources marked `delete` are old copies waiting to be deleted after a replacement: the engine doesn't analyze them.
        const live = parsed.filter((_: EngineResource, i: number) => !(isObject(resources[i]) && resources[i].delete === true));
        return withProjectInfo({ format: "stack-export", resources: live });
    }
    if (isObject(doc) && (Array.isArray(doc.steps) || ("changeSummary" in doc && !("resources" in doc)))) {
        const failed = Array.isArray(doc.diagnostics)
            ? doc.diagnostics.filter((d: unknown) => isObject(d) && typeof d.severity === "string" && /err/.test(d.severity))
            : [];
        if (failed.length > 0) {
            throw new InputError(`${source} is the output of a failed preview (${failed.length} error diagnostic${failed.length === 1 ? "" : "s"}); fix the preview, then scan its output.`);
        }
        const steps: unknown[] = doc.steps ?? [];
        const resources: EngineResource[] = [];
        steps.forEach((step: unknown, i: number) => {
            if (!isObject(step)) {
                throw new InputError(`${source}: steps[${i}] is ${describeJsonValue(step)}, not a step object.`);
            }
            if (isObject(step.newState) && !PREVIEW_SKIPPED_OPS.has(String(step.op))) {
                resources.push(stateResource(markPreviewSecrets(step.newState), `${source}: steps[${i}].newState`, true));
            }
        });
        return withProjectInfo({ format: "preview-json", resources });
    }
    const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.resources) ? doc.resources : undefined;
    if (list) {
        const stack = isObject(doc) && typeof doc.stack === "string" ? doc.stack : "scan";
        return withProjectInfo({ format: "resource-list", resources: resolveNames(list.map((r, i) => listResource(r, i, stack))), stack });
    }
    throw new InputError(`${source} is not a recognised input: it is ${describeJsonValue(doc)}. Expected ${ACCEPTED_FORMATS}.`);
}

/**
 * Every string held inside a secret of the parsed input (at least `minLength` characters long), so
 * that reports can be checked, and scrubbed, for them. Opaque (encrypted) secrets have no value here.
 */
export function secretStrings(resources: EngineResource[], minLength = 6): string[] {
    const found = new Set<string>();
    const leaves = (v: unknown, depth: number): void => {
        if (depth > 200) {
            return;
        }
        if (typeof v === "string") {
            if (v.length >= minLength && v !== OPAQUE_SECRET) {
                found.add(v);
            }
        } else if (typeof v === "number" || typeof v === "boolean") {
            if (String(v).length >= minLength) {
                found.add(String(v));
            }
        } else if (Array.isArray(v)) {
            v.forEach(x => leaves(x, depth + 1));
        } else if (isObject(v)) {
            Object.values(v).forEach(x => leaves(x, depth + 1));
        }
    };
    const walk = (v: unknown, depth: number): void => {
        if (depth > 200) {
            return;
        }
        if (isSecret(v)) {
            leaves(v.value, depth + 1);
        } else if (Array.isArray(v)) {
            v.forEach(x => walk(x, depth + 1));
        } else if (isObject(v)) {
            Object.values(v).forEach(x => walk(x, depth + 1));
        }
    };
    for (const r of resources) {
        walk(r.props, 0);
        walk(r.outputs, 0);
    }
    return [...found].sort((a, b) => b.length - a.length);
}
