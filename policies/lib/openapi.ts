// OpenAPI documents (API Gateway REST and HTTP API bodies, Google API Gateway configs) as the services
// read them: JSON or YAML text, or an object, parsed once per text.
import { parseYaml } from "./yaml";
import { isRecord } from "./values";

const MAX_CHARS = 1_000_000;

/**
 * Bodies already read, by text: an API's body is read by the resource policy in Analyze and again by
 * the stack policy in AnalyzeStack, and stacks repeat bodies (one per stage or environment). Callers
 * only read the documents. Kept up to a total length, the oldest dropped first.
 */
const readBodies = new Map<string, Record<string, unknown> | null>();
const READ_BODIES_MAX_CHARS = 2_000_000;
let readBodiesChars = 0;

/** Parses a body given as JSON or YAML text (or an object); undefined when it can't be read. */
export function readOpenApi(body: unknown): Record<string, unknown> | undefined {
    if (isRecord(body)) {
        return body;
    }
    if (typeof body !== "string" || body.length > MAX_CHARS) {
        return undefined;
    }
    const known = readBodies.get(body);
    if (known !== undefined) {
        return known ?? undefined;
    }
    const doc = parseOpenApi(body);
    while (readBodies.size > 0 && readBodiesChars + body.length > READ_BODIES_MAX_CHARS) {
        const oldest = readBodies.keys().next().value as string;
        readBodies.delete(oldest);
        readBodiesChars -= oldest.length;
    }
    if (body.length <= READ_BODIES_MAX_CHARS) {
        readBodies.set(body, doc ?? null);
        readBodiesChars += body.length;
    }
    return doc;
}

function parseOpenApi(body: string): Record<string, unknown> | undefined {
    const text = body.trim();
    try {
        const doc = text.startsWith("{") ? JSON.parse(text) : parseYaml(text);
        return isRecord(doc) && (isRecord(doc.paths) || typeof doc.openapi === "string" || doc.swagger !== undefined) ? doc : undefined;
    } catch {
        return undefined;
    }
}
