// Reads the resource lists the scanner accepts and turns them into engine resources:
// `pulumi stack export` (version 3), `pulumi preview --json`, and a plain list of {type, name, props}.
import { EngineResource } from "./engine";
import { secret, SECRET_SIG, SECRET_SIG_KEY } from "./wire";

export type InputFormat = "stack-export" | "preview-json" | "resource-list";

export class InputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InputError";
    }
}

export const ACCEPTED_FORMATS = "a `pulumi stack export` file (version 3), `pulumi preview --json` output, or a JSON list of {\"type\", \"name\", \"props\"} resources";

/** Stands in for an encrypted secret whose plaintext the scanner can't see. */
export const OPAQUE_SECRET = "[encrypted secret]";

function isObject(v: unknown): v is Record<string, any> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Secrets in state files carry `plaintext` (JSON text) or `ciphertext`; turn them into wire secrets. */
export function decodeStateValue(value: unknown, depth = 0): unknown {
    if (depth > 200) {
        throw new InputError("a property value is nested more than 200 levels deep");
    }
    if (Array.isArray(value)) {
        return value.map(v => decodeStateValue(v, depth + 1));
    }
    if (!isObject(value)) {
        return value;
    }
    if (value[SECRET_SIG_KEY] === SECRET_SIG) {
        if ("value" in value) {
            return secret(decodeStateValue(value.value, depth + 1));
        }
        if (typeof value.plaintext === "string") {
            let plain: unknown = value.plaintext;
            try {
                plain = JSON.parse(value.plaintext);
            } catch {
                // a plaintext that isn't JSON is kept as the string itself
            }
            return secret(decodeStateValue(plain, depth + 1));
        }
        return secret(OPAQUE_SECRET);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
        out[k] = decodeStateValue(v, depth + 1);
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
}

/** Detects the format of scanner input text and reads its resources. */
export function parseInput(text: string, source = "input"): ParsedInput {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (e) {
        const detail = text.trim() === "" ? "it is empty" : `it is not valid JSON (${e instanceof SyntaxError ? e.message.split("\n")[0] : "parse error"})`;
        throw new InputError(`${source} can't be read: ${detail}. Expected ${ACCEPTED_FORMATS}.`);
    }
    if (isObject(doc) && isObject(doc.deployment)) {
        if (doc.version !== undefined && doc.version !== 3) {
            throw new InputError(`${source} is a stack export of version ${JSON.stringify(doc.version)}; only version 3 is supported.`);
        }
        const resources = doc.deployment.resources ?? [];
        if (!Array.isArray(resources)) {
            throw new InputError(`${source}: deployment.resources must be a list.`);
        }
        const stackRes = resources.find((r: any) => isObject(r) && r.type === "pulumi:pulumi:Stack");
        const stack = stackRes && typeof stackRes.urn === "string" ? stackRes.urn.split(":")[2]?.split("::")[0] : undefined;
        return { format: "stack-export", resources: resources.map((r: unknown, i: number) => stateResource(r, `deployment.resources[${i}]`, true)), stack };
    }
    if (isObject(doc) && Array.isArray(doc.steps)) {
        const resources: EngineResource[] = [];
        doc.steps.forEach((step: unknown, i: number) => {
            if (isObject(step) && isObject(step.newState) && step.op !== "delete") {
                resources.push(stateResource(step.newState, `steps[${i}].newState`, true));
            }
        });
        return { format: "preview-json", resources };
    }
    const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.resources) ? doc.resources : undefined;
    if (list) {
        const stack = isObject(doc) && typeof doc.stack === "string" ? doc.stack : "scan";
        return { format: "resource-list", resources: resolveNames(list.map((r, i) => listResource(r, i, stack))), stack };
    }
    throw new InputError(`${source} is not a recognised input. Expected ${ACCEPTED_FORMATS}.`);
}
