// Secret values never appear in a message, by construction: the pack remembers which values of each
// resource arrived as Pulumi secrets (policies see them unwrapped and can't tell), and every message
// the definition layer emits is checked against them before it leaves the pack.
import { proxyTarget } from "./values";
import { SECRET_SIG, SIG_KEY } from "./wire";

const MAX_DEPTH = 64;
/** Shorter values would garble ordinary words if replaced; a secret that short is no secret. */
const MIN_LENGTH = 3;
/** A quoted fragment at least this long that occurs inside a single-word secret is a piece of it. */
const MIN_FRAGMENT = 6;

export const REDACTED = "[secret]";

const bySubject = new WeakMap<object, readonly string[]>();

function isSecretWrapper(v: Record<string, unknown>): boolean {
    return v[SIG_KEY] === SECRET_SIG;
}

function leaves(value: unknown, out: Set<string>, depth: number): void {
    if (depth > MAX_DEPTH) {
        return;
    }
    if (typeof value === "string") {
        if (value.length >= MIN_LENGTH) {
            out.add(value);
        }
    } else if (typeof value === "number" && Number.isFinite(value) && Math.abs(value) >= 100) {
        out.add(String(value));
    } else if (Array.isArray(value)) {
        for (const v of value) { leaves(v, out, depth + 1); }
    } else if (typeof value === "object" && value !== null) {
        for (const v of Object.values(value)) { leaves(v, out, depth + 1); }
    }
}

/** Secret wrappers met by secretValuesIn so far (lets recordSecrets walk for positions only when there are some). */
let wrappersSeen = 0;

/** Every string (and long number) inside a secret wrapper of a wire-encoded value. */
export function secretValuesIn(raw: unknown, out: Set<string> = new Set(), depth = 0): Set<string> {
    if (depth > MAX_DEPTH || typeof raw !== "object" || raw === null) {
        return out;
    }
    if (Array.isArray(raw)) {
        for (const v of raw) { secretValuesIn(v, out, depth + 1); }
        return out;
    }
    const rec = raw as Record<string, unknown>;
    if (isSecretWrapper(rec)) {
        wrappersSeen++;
        leaves(rec.value, out, depth + 1);
        return out;
    }
    for (const v of Object.values(rec)) { secretValuesIn(v, out, depth + 1); }
    return out;
}

/**
 * Remembers the secret values of a deserialized property object (`raw` is the same properties as the
 * wire sent them, secret wrappers included). Objects without secrets cost nothing.
 */
export function recordSecrets(props: unknown, raw: unknown): void {
    if (typeof props !== "object" || props === null) {
        return;
    }
    const wrappersBefore = wrappersSeen;
    const found = secretValuesIn(raw);
    if (found.size > 0) {
        bySubject.set(props, [...found]);
    }
    if (wrappersSeen !== wrappersBefore) {
        markSecretPositions(props, raw, false, 0);
    }
}

/**
 * Where secrets sit in a deserialized value: per object (or array), the keys whose value arrived as a
 * Pulumi secret, or "all" for an object inside one. An unknown value marked secret (what a computed
 * secret is during preview) is recorded too, though it has no value to redact.
 */
const secretPositions = new WeakMap<object, Set<string> | "all">();

function markSecretPositions(value: unknown, raw: unknown, inside: boolean, depth: number): void {
    if (depth > MAX_DEPTH || typeof value !== "object" || value === null || typeof raw !== "object" || raw === null) {
        return;
    }
    if (inside) {
        secretPositions.set(value, "all");
    }
    const v = value as Record<string, unknown>;
    for (const [key, r] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof r === "object" && r !== null && !Array.isArray(r) && isSecretWrapper(r as Record<string, unknown>)) {
            if (!inside) {
                const keys = secretPositions.get(value);
                if (keys instanceof Set) {
                    keys.add(key);
                } else {
                    secretPositions.set(value, new Set([key]));
                }
            }
            markSecretPositions(v[key], (r as Record<string, unknown>).value, true, depth + 1);
        } else {
            markSecretPositions(v[key], r, inside, depth + 1);
        }
    }
}


/** Whether `holder[key]` arrived as a Pulumi secret, itself or inside one (`holder` may be the SDK's proxy). */
export function isSecretMarked(holder: unknown, key: string | number): boolean {
    if (typeof holder !== "object" || holder === null) {
        return false;
    }
    const target = proxyTarget(holder as object);
    const marks = secretPositions.get(target);
    return marks === "all" || (marks !== undefined && marks.has(String(key)));
}

/** The secret values recorded for a deserialized property object. */
export function secretsOf(props: unknown): readonly string[] {
    return typeof props === "object" && props !== null ? bySubject.get(props) ?? [] : [];
}

const GRAM = 3;

/**
 * A 30-bit hash of the GRAM characters at `at` (a small integer, which a Map looks up without boxing;
 * a collision only adds a candidate that is then compared in full).
 */
function gram(text: string, at: number): number {
    return (Math.imul(Math.imul(text.charCodeAt(at), 0x9e3779b1) ^ text.charCodeAt(at + 1), 0x85ebca6b) ^ Math.imul(text.charCodeAt(at + 2), 0xc2b2ae35)) & 0x3fffffff;
}

/** A 32-bit hash of the MIN_FRAGMENT characters at `at` (a collision only adds a candidate to verify). */
function fragmentGram(text: string, at: number): number {
    let h = 0x811c9dc5;
    for (let i = at; i < at + MIN_FRAGMENT; i++) {
        h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    }
    return h;
}

function fold(s: string): string {
    return s.replace(/[\r\n\t]+/g, " ");
}

/**
 * The secrets of one list, indexed so that a message costs time in its own length, not in the
 * number of secrets: a stack can hold thousands of them, and each of its findings is checked.
 */
class SecretIndex {
    /** Each lower-cased value (and its folded form) under its rarest gram, with that gram's offset. */
    private readonly anchors = new Map<number, { value: string; offset: number }[]>();
    /** A bit per anchor gram (by its low bits): most positions of a message are ruled out without a Map lookup. */
    private anchorBits = new Uint32Array(1);
    private anchorMask = 31;
    /** Lower-cased secrets without whitespace: a quoted fragment of one of them is hidden too. */
    private readonly atomic: string[] = [];
    /** Lower-cased, folded secrets: a quoted value shortened with "..." may be a prefix of one. */
    private readonly pieces: string[] = [];
    private fragmentGrams: Map<number, number[]> | undefined;
    private piecePrefixes: Map<string, string[]> | undefined;
    /** Values whose lower-case form differs in length (rare Unicode): matched one by one. */
    private readonly irregular: string[] = [];

    constructor(secrets: readonly unknown[]) {
        const values = [...new Set(secrets.filter((s): s is string => typeof s === "string" && s.length >= MIN_LENGTH))];
        const forms = new Set<string>();
        for (const s of values) {
            const lower = s.toLowerCase();
            if (lower.length !== s.length) {
                this.irregular.push(s);
            }
            forms.add(lower);
            forms.add(fold(lower));
            if (!/\s/.test(s)) {
                this.atomic.push(lower);
            }
            this.pieces.push(fold(lower));
        }
        const grams = (v: string) => new Set(Array.from({ length: v.length - GRAM + 1 }, (_, i) => gram(v, i)));
        const counts = new Map<number, number>();
        for (const v of forms) {
            for (const g of grams(v)) {
                counts.set(g, (counts.get(g) ?? 0) + 1);
            }
        }
        for (const v of forms) {
            let offset = 0;
            let best = Infinity;
            for (let i = 0; i + GRAM <= v.length; i++) {
                const c = counts.get(gram(v, i))!;
                if (c < best) {
                    best = c;
                    offset = i;
                }
            }
            const key = gram(v, offset);
            const list = this.anchors.get(key);
            if (list) {
                list.push({ value: v, offset });
            } else {
                this.anchors.set(key, [{ value: v, offset }]);
            }
        }
        let bits = 32;
        while (bits < this.anchors.size * 16 && bits < 1 << 24) {
            bits *= 2;
        }
        this.anchorBits = new Uint32Array(bits / 32);
        this.anchorMask = bits - 1;
        for (const key of this.anchors.keys()) {
            const b = key & this.anchorMask;
            this.anchorBits[b >>> 5] |= 1 << (b & 31);
        }
    }

    get empty(): boolean {
        return this.anchors.size === 0;
    }

    /** The message with every whole secret (any letter case, line breaks folded or not) replaced. */
    replaceWhole(message: string): string {
        let text = message;
        for (const s of this.irregular) {
            text = replaceAllCaseless(replaceAllCaseless(text, s), fold(s));
        }
        const lower = text.toLowerCase();
        if (lower.length !== text.length) {
            return [...this.anchors.values()].flat().sort((a, b) => b.value.length - a.value.length)
                .reduce((out, a) => replaceAllCaseless(out, a.value), text);
        }
        const hits: [number, number][] = [];
        const bitsOf = this.anchorBits;
        const mask = this.anchorMask;
        for (let i = 0; i + GRAM <= lower.length; i++) {
            const g = gram(lower, i);
            const b = g & mask;
            if ((bitsOf[b >>> 5] & (1 << (b & 31))) === 0) {
                continue;
            }
            const candidates = this.anchors.get(g);
            if (candidates) {
                for (const { value, offset } of candidates) {
                    const start = i - offset;
                    if (start >= 0 && lower.startsWith(value, start)) {
                        hits.push([start, start + value.length]);
                    }
                }
            }
        }
        if (hits.length === 0) {
            return text;
        }
        hits.sort((a, b) => a[0] - b[0]);
        let out = "";
        let from = 0;
        let end = -1;
        for (const [start, stop] of hits) {
            if (start < end) {
                end = Math.max(end, stop);
                continue;
            }
            if (end >= 0) {
                from = end;
            }
            out += text.slice(from, start) + REDACTED;
            end = stop;
        }
        return out + text.slice(end);
    }

    /** Whether a lower-cased quoted fragment (at least MIN_FRAGMENT long) occurs inside a single-word secret. */
    insideAtomic(fragment: string): boolean {
        const postings = this.fragmentPostings();
        // Any gram of the fragment finds every secret that holds it: look up the rarest.
        let rarest: number[] | undefined;
        let offset = 0;
        for (let j = 0; j + MIN_FRAGMENT <= fragment.length; j++) {
            const list = postings.get(fragmentGram(fragment, j));
            if (!list) {
                return false;
            }
            if (!rarest || list.length < rarest.length) {
                rarest = list;
                offset = j;
            }
        }
        for (let n = 0; rarest && n < rarest.length; n += 2) {
            const start = rarest[n + 1] - offset;
            if (start >= 0 && this.atomic[rarest[n]].startsWith(fragment, start)) {
                return true;
            }
        }
        return false;
    }

    /** Every MIN_FRAGMENT-long gram of the single-word secrets, as (secret, position) pairs. */
    private fragmentPostings(): Map<number, number[]> {
        if (!this.fragmentGrams) {
            const postings = new Map<number, number[]>();
            this.atomic.forEach((s, k) => {
                for (let at = 0; at + MIN_FRAGMENT <= s.length; at++) {
                    const g = fragmentGram(s, at);
                    const list = postings.get(g);
                    if (list) {
                        list.push(k, at);
                    } else {
                        postings.set(g, [k, at]);
                    }
                }
            });
            this.fragmentGrams = postings;
        }
        return this.fragmentGrams;
    }

    /** Whether a lower-cased fragment (at least MIN_FRAGMENT long) begins some secret. */
    beginsPiece(fragment: string): boolean {
        if (!this.piecePrefixes) {
            this.piecePrefixes = new Map();
            for (const p of this.pieces) {
                if (p.length >= MIN_FRAGMENT) {
                    const key = p.slice(0, MIN_FRAGMENT);
                    this.piecePrefixes.set(key, [...this.piecePrefixes.get(key) ?? [], p]);
                }
            }
        }
        return (this.piecePrefixes.get(fragment.slice(0, MIN_FRAGMENT)) ?? []).some(p => p.startsWith(fragment));
    }
}

const indexes = new WeakMap<readonly unknown[], SecretIndex>();

function indexOf(secrets: readonly unknown[]): SecretIndex {
    let index = indexes.get(secrets);
    if (!index) {
        index = new SecretIndex(secrets);
        indexes.set(secrets, index);
    }
    return index;
}

function replaceAllCaseless(text: string, needle: string): string {
    const lower = text.toLowerCase();
    const n = needle.toLowerCase();
    let at = lower.indexOf(n);
    if (at < 0) {
        return text;
    }
    let out = "";
    let from = 0;
    while (at >= 0) {
        out += text.slice(from, at) + REDACTED;
        from = at + n.length;
        at = lower.indexOf(n, from);
    }
    return out + text.slice(from);
}

const QUOTED = /`([^`]+)`/g;

/**
 * The message with every secret value replaced by a placeholder: whole values (in any letter case,
 * also when shortened), and quoted pieces of single-word secrets (an id, an email, a token) that a
 * message cut out. Unquoted words are left alone: a connection string contains ordinary words too.
 * The list's index is kept with the list, so pass the same array for many messages.
 */
export function redact(message: string, secrets: readonly unknown[]): string {
    if (secrets.length === 0 || typeof message !== "string" || message === "") {
        return message;
    }
    const index = indexOf(secrets);
    if (index.empty) {
        return message;
    }
    return index.replaceWhole(message).replace(QUOTED, (whole: string, quoted: string) => {
        const shortened = quoted.endsWith("...");
        const inner = shortened ? quoted.slice(0, -3) : quoted;
        if (inner.length < MIN_FRAGMENT || inner.includes(REDACTED)) {
            return whole;
        }
        const lower = inner.toLowerCase();
        const hit = index.insideAtomic(lower) || (shortened && index.beginsPiece(lower));
        return hit ? "`" + REDACTED + "`" : whole;
    });
}
