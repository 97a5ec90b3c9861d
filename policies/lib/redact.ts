// Secret values never appear in a message, by construction: the pack remembers which values of each
// resource arrived as Pulumi secrets (policies see them unwrapped and can't tell), and every message
// the definition layer emits is checked against them before it leaves the pack.

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const MAX_DEPTH = 64;
/** Shorter values would garble ordinary words if replaced; a secret that short is no secret. */
const MIN_LENGTH = 3;
/** A quoted fragment at least this long that occurs inside a single-word secret is a piece of it. */
const MIN_FRAGMENT = 6;

export const REDACTED = "[secret]";

const bySubject = new WeakMap<object, readonly string[]>();

function isSecretWrapper(v: Record<string, unknown>): boolean {
    return v[SECRET_SIG_KEY] === SECRET_SIG;
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
    const found = secretValuesIn(raw);
    if (found.size > 0) {
        bySubject.set(props, [...found]);
    }
}

/** The secret values recorded for a deserialized property object. */
export function secretsOf(props: unknown): readonly string[] {
    return typeof props === "object" && props !== null ? bySubject.get(props) ?? [] : [];
}

/** Forms a value may take in a message: as given, and with line breaks folded the way quote() folds them. */
function variants(secret: string): string[] {
    const folded = secret.replace(/[\r\n\t]+/g, " ");
    return folded === secret ? [secret] : [secret, folded];
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
 */
export function redact(message: string, secrets: readonly unknown[]): string {
    if (secrets.length === 0 || typeof message !== "string" || message === "") {
        return message;
    }
    const values = secrets.filter((s): s is string => typeof s === "string" && s.length >= MIN_LENGTH)
        .sort((a, b) => b.length - a.length);
    let out = message;
    for (const s of values) {
        for (const v of variants(s)) {
            out = replaceAllCaseless(out, v);
        }
    }
    const atomic = values.filter(s => !/\s/.test(s)).map(s => s.toLowerCase());
    const pieces = values.map(s => s.replace(/[\r\n\t]+/g, " ").toLowerCase());
    return out.replace(QUOTED, (whole: string, quoted: string) => {
        const shortened = quoted.endsWith("...");
        const inner = shortened ? quoted.slice(0, -3) : quoted;
        if (inner.length < MIN_FRAGMENT || inner.includes(REDACTED)) {
            return whole;
        }
        const lower = inner.toLowerCase();
        const hit = atomic.some(s => s.includes(lower)) || (shortened && pieces.some(s => s.startsWith(lower)));
        return hit ? "`" + REDACTED + "`" : whole;
    });
}
