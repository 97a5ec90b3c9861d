// Replaces secret values in messages (temporary copy until the pack's own redaction lands).
export const REDACTED = "[secret]";

export function redact(message: string, secrets: readonly unknown[]): string {
    let out = message;
    const strings = secrets.map(s => typeof s === "string" ? s : typeof s === "number" || typeof s === "boolean" ? String(s) : "")
        .filter(s => s.length >= 4).sort((a, b) => b.length - a.length);
    for (const s of strings) {
        if (out.includes(s)) {
            out = out.split(s).join(REDACTED);
        }
    }
    return out;
}
