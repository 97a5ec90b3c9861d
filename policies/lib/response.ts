// What happens between the last policy and the bytes the engine receives.
//
// Every Analyze and AnalyzeStack response of @pulumi/policy is built by
// `protoutil.makeAnalyzeResponse(ds, notApplicable)`, once per request. The pack hooks it to merge
// deferred checks into one line per resource (deferred.ts) and, at the end of an AnalyzeStack call,
// to drop the call's resource graph and the indexes kept with it.
//
// grpc-js then encodes the response with the generated `AnalyzeResponse.serializeBinary`, whose
// writer keeps every byte of the message as an element of a JavaScript array (8 bytes of heap per
// byte): tens of thousands of findings, about 15 MB on the wire, cost over 100 MiB of heap at once,
// and every Analyze call pays it for its list of not-applicable policies. The pack encodes each
// diagnostic and not-applicable entry on its own, straight into one buffer: the same bytes at the
// cost of the message itself.
import { ResourceGraph } from "./graph";
import { relieveHeap } from "./heap";
import { mergeDeferredForResponse, SdkDiagnostic } from "./deferred";
import { patchFunction, patchSdkExport, sdkModule } from "./sdk-patch";

let stackRequest = false;

/**
 * Called as each stack policy of the pack starts: marks the request in progress as an AnalyzeStack
 * call, and keeps the heap near its live set between policies (see heap.ts).
 */
export function stackPolicyStarting(): void {
    stackRequest = true;
    relieveHeap();
}

export function finishResponses(): boolean {
    type Build = (ds: SdkDiagnostic[], notApplicable: unknown) => unknown;
    return patchSdkExport<Build>("@pulumi/policy/protoutil", "makeAnalyzeResponse", original => function (this: unknown, ds, notApplicable) {
        const merged = Array.isArray(ds) ? mergeDeferredForResponse(ds) : ds;
        if (stackRequest) {
            stackRequest = false;
            ResourceGraph.release();
        }
        return original.call(this, merged, notApplicable);
    });
}

interface Message { serializeBinary(): Uint8Array; toArray?(): unknown[] }
type MessageClass<M> = (new () => M) & { prototype: M };

/** A repeated message field of AnalyzeResponse, in the order the SDK's encoding writes them. */
interface ListField { get: string; set: string; element: string }
const LIST_FIELDS: ListField[] = [
    { get: "getDiagnosticsList", set: "setDiagnosticsList", element: "AnalyzeDiagnostic" },
    { get: "getNotApplicableList", set: "setNotApplicableList", element: "PolicyNotApplicable" },
];

type Lists = Record<string, (list?: Message[]) => unknown>;

/** The bytes that open each element of a repeated field: its tag, as the SDK writes it. */
function listTag(Response: MessageClass<Message>, field: ListField, Element: MessageClass<Message>, serialize: (m: Message) => Uint8Array): Buffer | undefined {
    const probe = new Response();
    (probe as unknown as Lists)[field.set]([new Element()]);
    const bytes = serialize(probe);
    // One empty element: the tag, then its length, 0.
    return bytes.length >= 2 && bytes[bytes.length - 1] === 0 ? Buffer.from(bytes.subarray(0, -1)) : undefined;
}

function varintSize(n: number): number {
    let size = 1;
    while (n > 0x7f) {
        n = Math.floor(n / 128);
        size++;
    }
    return size;
}

function writeVarint(out: Buffer, at: number, n: number): number {
    while (n > 0x7f) {
        out[at++] = (n & 0x7f) | 0x80;
        n = Math.floor(n / 128);
    }
    out[at++] = n;
    return at;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A diagnostic's encoded size, written straight from its fields: AnalyzeDiagnostic holds strings and
 * enums, which proto3 encodes as (tag, length, UTF-8) and (tag, varint), leaving out empty ones; its
 * field number is its index in the message's array plus one. Undefined for anything else (a list, a
 * nested message, a negative or fractional number, a string with a lone surrogate).
 */
function plainSize(fields: readonly unknown[]): number | undefined {
    let size = 0;
    for (let i = 0; i < fields.length; i++) {
        const v = fields[i];
        if (v === null || v === undefined || v === "" || v === 0 || v === false) {
            continue;
        }
        const tag = varintSize((i + 1) * 8);
        if (typeof v === "string") {
            if (LONE_SURROGATE.test(v)) {
                return undefined;
            }
            const len = Buffer.byteLength(v, "utf8");
            size += tag + varintSize(len) + len;
        } else if (typeof v === "number" && Number.isInteger(v) && v > 0 && v < 2 ** 31) {
            size += tag + varintSize(v);
        } else if (v === true) {
            size += tag + 1;
        } else {
            return undefined;
        }
    }
    return size;
}

function writePlain(out: Buffer, at: number, fields: readonly unknown[]): number {
    for (let i = 0; i < fields.length; i++) {
        const v = fields[i];
        if (v === null || v === undefined || v === "" || v === 0 || v === false) {
            continue;
        }
        if (typeof v === "string") {
            at = writeVarint(out, at, (i + 1) * 8 + 2);
            at = writeVarint(out, at, Buffer.byteLength(v, "utf8"));
            at += out.write(v, at, "utf8");
        } else {
            at = writeVarint(out, at, (i + 1) * 8);
            at = writeVarint(out, at, v === true ? 1 : v as number);
        }
    }
    return at;
}

/**
 * The response's bytes, the elements of its repeated fields encoded one by one into a single buffer:
 * those with plain fields directly, any other with the SDK's encoder, then the rest of the message
 * as the SDK encodes it. The direct encoding is checked against the SDK's on a sample of each
 * response; a difference sends the whole response through the SDK's encoder.
 */
function encodeByElement(lists: { tag: Buffer; elements: readonly Message[] }[], rest: Uint8Array): Buffer | undefined {
    const all = lists.flatMap(({ tag, elements }) => elements.map(element => ({ tag, element })));
    const sizes = new Array<number>(all.length);
    const viaSdk = new Map<number, Uint8Array>();
    let total = rest.length;
    for (let k = 0; k < all.length; k++) {
        const { tag, element } = all[k];
        const fields = typeof element.toArray === "function" ? element.toArray() : undefined;
        let size = Array.isArray(fields) ? plainSize(fields) : undefined;
        if (size === undefined) {
            const bytes = element.serializeBinary();
            viaSdk.set(k, bytes);
            size = bytes.length;
        }
        sizes[k] = size;
        total += tag.length + varintSize(size) + size;
    }
    const out = Buffer.allocUnsafe(total);
    let at = 0;
    for (let k = 0; k < all.length; k++) {
        const { tag, element } = all[k];
        out.set(tag, at);
        at = writeVarint(out, at + tag.length, sizes[k]);
        const sdkBytes = viaSdk.get(k);
        if (sdkBytes) {
            out.set(sdkBytes, at);
            at += sdkBytes.length;
            continue;
        }
        const start = at;
        at = writePlain(out, at, element.toArray!());
        if (k % 1024 === 0 && !out.subarray(start, at).equals(element.serializeBinary())) {
            return undefined;
        }
    }
    out.set(rest, at);
    return at + rest.length === total ? out : undefined;
}

export function encodeResponsesByElement(): boolean {
    const pb = sdkModule("@pulumi/pulumi/proto/analyzer_pb");
    const Response = pb?.AnalyzeResponse as MessageClass<Message> | undefined;
    const fields = LIST_FIELDS.map(field => ({ field, Element: pb?.[field.element] as MessageClass<Message> | undefined }));
    if (typeof Response !== "function" || fields.some(({ field, Element }) => typeof Element !== "function"
        || typeof (Response.prototype as unknown as Lists)[field.get] !== "function" || typeof (Response.prototype as unknown as Lists)[field.set] !== "function")) {
        return false;
    }
    return patchFunction<(this: Message) => Uint8Array>(Response.prototype, "serializeBinary", original => {
        let tags: Buffer[] | null | undefined;
        return function (this: Message): Uint8Array {
            if (tags === undefined) {
                try {
                    const found = fields.map(({ field, Element }) => listTag(Response, field, Element!, m => original.call(m)));
                    tags = found.every((t): t is Buffer => t !== undefined) ? found : null;
                } catch {
                    tags = null;
                }
            }
            const message = this as unknown as Lists;
            const lists = fields.map(({ field }) => message[field.get]() as Message[]);
            if (!tags || lists.some(l => !Array.isArray(l)) || lists.every(l => l.length === 0)) {
                return original.call(this);
            }
            // The other fields, as the SDK encodes them. Protobuf takes fields in any order; today they
            // follow these lists in the SDK's own encoding too, so the bytes are the same.
            let rest: Uint8Array;
            fields.forEach(({ field }) => message[field.set]([]));
            try {
                rest = original.call(this);
            } finally {
                fields.forEach(({ field }, i) => message[field.set](lists[i]));
            }
            let encoded: Buffer | undefined;
            try {
                encoded = encodeByElement(lists.map((elements, i) => ({ tag: tags![i], elements })), rest);
            } catch {
                encoded = undefined;
            }
            if (!encoded) {
                tags = null;
                return original.call(this);
            }
            return encoded;
        };
    });
}
