// What happens between the last policy and the bytes the engine receives.
//
// Every Analyze and AnalyzeStack response of @pulumi/policy is built by
// `protoutil.makeAnalyzeResponse(ds, notApplicable)`, once per request. The pack hooks it to merge
// deferred checks into one line per resource (deferred.ts) and, at the end of an AnalyzeStack call,
// to drop the call's resource graph and the indexes kept with it.
//
// grpc-js then encodes the response with the generated `AnalyzeResponse.serializeBinary`, whose
// writer keeps every byte of the message as an element of a JavaScript array (8 bytes of heap per
// byte): tens of thousands of findings, about 15 MB on the wire, cost over 100 MiB of heap at once.
// The pack encodes each diagnostic on its own and joins them with the field's tag, which is the
// same bytes at the cost of the message itself.
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
interface ResponseMessage extends Message {
    getDiagnosticsList(): Message[];
    setDiagnosticsList(list: Message[]): void;
}
type MessageClass<M> = (new () => M) & { prototype: M };

/** The bytes that open each element of the repeated diagnostics field: its tag, as the SDK writes it. */
function diagnosticsTag(Response: MessageClass<ResponseMessage>, Diagnostic: MessageClass<Message>, serialize: (m: ResponseMessage) => Uint8Array): Buffer | undefined {
    const probe = new Response();
    probe.setDiagnosticsList([new Diagnostic()]);
    const bytes = serialize(probe);
    // One empty diagnostic: the tag, then its length, 0.
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
 * The response's bytes, its diagnostics encoded one by one into a single buffer: those with plain
 * fields directly, any other with the SDK's encoder. The direct encoding is checked against the SDK's
 * on a sample of each response; a difference sends the whole response through the SDK's encoder.
 */
function encodeByDiagnostic(diagnostics: readonly Message[], tag: Buffer, rest: Uint8Array): Buffer | undefined {
    const sizes = new Array<number>(diagnostics.length);
    const viaSdk = new Map<number, Uint8Array>();
    let total = rest.length;
    for (let k = 0; k < diagnostics.length; k++) {
        const d = diagnostics[k];
        const fields = typeof d.toArray === "function" ? d.toArray() : undefined;
        let size = Array.isArray(fields) ? plainSize(fields) : undefined;
        if (size === undefined) {
            const bytes = d.serializeBinary();
            viaSdk.set(k, bytes);
            size = bytes.length;
        }
        sizes[k] = size;
        total += tag.length + varintSize(size) + size;
    }
    const out = Buffer.allocUnsafe(total);
    let at = 0;
    for (let k = 0; k < diagnostics.length; k++) {
        out.set(tag, at);
        at = writeVarint(out, at + tag.length, sizes[k]);
        const sdkBytes = viaSdk.get(k);
        if (sdkBytes) {
            out.set(sdkBytes, at);
            at += sdkBytes.length;
            continue;
        }
        const start = at;
        at = writePlain(out, at, diagnostics[k].toArray!());
        if (k % 1024 === 0 && !out.subarray(start, at).equals(diagnostics[k].serializeBinary())) {
            return undefined;
        }
    }
    out.set(rest, at);
    return at + rest.length === total ? out : undefined;
}

export function encodeResponsesByDiagnostic(): boolean {
    const pb = sdkModule("@pulumi/pulumi/proto/analyzer_pb");
    const Response = pb?.AnalyzeResponse as MessageClass<ResponseMessage> | undefined;
    const Diagnostic = pb?.AnalyzeDiagnostic as MessageClass<Message> | undefined;
    if (typeof Response !== "function" || typeof Diagnostic !== "function"
        || typeof Response.prototype.getDiagnosticsList !== "function" || typeof Response.prototype.setDiagnosticsList !== "function") {
        return false;
    }
    return patchFunction<(this: ResponseMessage) => Uint8Array>(Response.prototype, "serializeBinary", original => {
        let tag: Buffer | null | undefined;
        return function (this: ResponseMessage): Uint8Array {
            const diagnostics = this.getDiagnosticsList();
            if (tag === undefined) {
                try {
                    tag = diagnosticsTag(Response, Diagnostic, m => original.call(m)) ?? null;
                } catch {
                    tag = null;
                }
            }
            if (!tag || !Array.isArray(diagnostics) || diagnostics.length === 0) {
                return original.call(this);
            }
            // The other fields, as the SDK encodes them. Protobuf takes fields in any order; today they
            // follow the diagnostics in the SDK's own encoding too, so the bytes are the same.
            let rest: Uint8Array;
            this.setDiagnosticsList([]);
            try {
                rest = original.call(this);
            } finally {
                this.setDiagnosticsList(diagnostics);
            }
            let encoded: Buffer | undefined;
            try {
                encoded = encodeByDiagnostic(diagnostics, tag, rest);
            } catch {
                encoded = undefined;
            }
            if (!encoded) {
                tag = null;
                return original.call(this);
            }
            return encoded;
        };
    });
}
