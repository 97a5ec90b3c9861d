// Secret detection shared by every cloud: known token formats, credentials embedded in connection
// strings, high-entropy strings, and secret-like key names holding literal values. Findings name the
// kind of secret, never the value. Every pattern is anchored or bounded so a 1 MB value is scanned in
// linear time.

export interface SecretFinding {
    /** Human-readable kind, e.g. "AWS access key id" or "value of a secret-like setting". */
    kind: string;
}

interface TokenPattern {
    kind: string;
    pattern: RegExp;
}

// Known token formats (formats as documented by their issuers; reviewed 2026-11).
const TOKEN_PATTERNS: TokenPattern[] = [
    { kind: "AWS access key id", pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b/ },
    { kind: "private key", pattern: /-----BEGIN (?:[A-Z0-9]{1,20} )?PRIVATE KEY(?: BLOCK)?-----/ },
    { kind: "GitHub token", pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/ },
    { kind: "GitLab token", pattern: /\bglpat-[A-Za-z0-9_-]{20,64}\b/ },
    { kind: "Slack token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,250}/ },
    { kind: "Slack webhook URL", pattern: /hooks\.slack\.com\/services\/T[A-Za-z0-9_]{4,20}\/B[A-Za-z0-9_]{4,20}\/[A-Za-z0-9_]{10,64}/ },
    { kind: "Stripe key", pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,247}\b/ },
    { kind: "Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
    { kind: "Google service account key", pattern: /"type"\s{0,10}:\s{0,10}"service_account"/ },
    { kind: "SendGrid API key", pattern: /\bSG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{16,64}\b/ },
    { kind: "Twilio API key", pattern: /\bSK[0-9a-f]{32}\b/ },
    { kind: "npm token", pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
    { kind: "JSON Web Token", pattern: /\beyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{8,4096}/ },
    { kind: "Azure storage account key", pattern: /AccountKey=[A-Za-z0-9+/]{40,100}={0,2}/i },
    { kind: "Azure shared access key", pattern: /SharedAccessKey=[A-Za-z0-9+/]{20,100}={0,2}/i },
    { kind: "Azure SAS token", pattern: /[?&]sig=[A-Za-z0-9%+/]{20,200}={0,2}/ },
    { kind: "password in a connection string", pattern: /(?:^|;)\s{0,10}(?:password|pwd)\s{0,10}=\s{0,10}[^;\s]{3,}/i },
    { kind: "credentials in a URL", pattern: /\b[a-z][a-z0-9+.-]{1,30}:\/\/[^\s:@/]{1,256}:[^\s@/]{3,256}@/i },
];

// Values that point to a secret store rather than holding a secret.
const REFERENCE_PATTERNS: RegExp[] = [
    /^arn:aws[a-z-]*:secretsmanager:/,
    /^arn:aws[a-z-]*:ssm:[^:]*:[^:]*:parameter\//,
    /^arn:aws[a-z-]*:kms:/,
    /^\{\{resolve:(?:secretsmanager|ssm|ssm-secure):/,
    /^@Microsoft\.KeyVault\(/i,
    /^projects\/[^/]+\/secrets\/[^/]+/,
    /^https:\/\/[a-z0-9-]{3,24}\.vault\.azure\.net\/secrets\//i,
];

// Key names that announce a secret. Words are matched on name segments (split on _ - . and case
// changes) so that e.g. PASSWORD_POLICY_URL or TOKEN_ENDPOINT don't count.
const SECRET_WORDS = new Set([
    "password", "passwd", "pwd", "pass", "secret", "secrets", "token", "apikey", "privatekey",
    "credential", "credentials", "passphrase", "accesskey", "secretkey", "clientsecret", "connectionstring",
    "connstr", "signingkey", "encryptionkey", "masterkey", "authkey", "sas",
]);
// Segments that end in one of these words are secrets too (SLACKTOKEN, webhookSecret written as one word).
const SECRET_WORD_ENDINGS = ["password", "passwd", "secret", "token", "apikey", "privatekey", "accesskey", "secretkey", "signingkey", "hmackey"];
// Pairs of segments. Besides keys and connection strings, the shared values a third party proves
// itself with when it calls the function: verification codes (Slack's legacy verification token is
// set as SLACK_VERIFICATION_CODE), signing and HMAC keys, webhook keys and URLs.
const SECRET_PAIRS: [string, string][] = [
    ["api", "key"], ["private", "key"], ["access", "key"], ["secret", "key"], ["client", "secret"],
    ["connection", "string"], ["conn", "str"], ["signing", "key"], ["encryption", "key"], ["master", "key"],
    ["auth", "key"], ["account", "key"], ["shared", "key"], ["webhook", "url"], ["webhook", "key"], ["auth", "token"],
    ["verification", "code"], ["verification", "key"], ["hmac", "key"], ["signature", "key"],
];
/** A webhook named on its own (SLACK_WEBHOOK) is its URL, which carries the secret; SLACK_WEBHOOK_USERNAME is not. */
const SECRET_LAST_WORDS = new Set(["webhook"]);
// Trailing segments that make a name describe *where* a secret is, not the secret itself.
const REFERENCE_SUFFIXES = new Set(["arn", "name", "id", "path", "uri", "url", "ref", "reference", "file", "endpoint", "version", "length", "ttl", "enabled", "policy", "type", "header", "location", "kind", "rotation",
    "param", "parameter", "store", "provider", "mode", "format", "scope", "issuer", "audience", "expiry", "expiration",
    "algorithm", "alg", "secretname", "vault", "count", "size", "hash"]);

function nameSegments(key: string): string[] {
    return key
        .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter(s => s.length > 0);
}

/** True when a key name says its value locates something (ends in Name, Arn, Url, Uri, Endpoint, Id...). */
export function isReferenceName(key: string): boolean {
    const segs = key.length > 256 ? [] : nameSegments(key);
    return segs.length > 0 && REFERENCE_SUFFIXES.has(segs[segs.length - 1]) && !(segs[segs.length - 1] === "url" && segs.includes("webhook"));
}

/** True when a key name says its value is a secret (and not a pointer to one). */
export function isSecretLikeName(key: string): boolean {
    if (key.length > 256) {
        return false;
    }
    const segs = nameSegments(key);
    if (segs.length === 0) {
        return false;
    }
    const last = segs[segs.length - 1];
    if (REFERENCE_SUFFIXES.has(last) && !(last === "url" && segs.includes("webhook"))) {
        return false;
    }
    if (segs.some(s => SECRET_WORDS.has(s) || SECRET_WORD_ENDINGS.some(w => s.length > w.length && s.endsWith(w))) || SECRET_LAST_WORDS.has(last)) {
        return true;
    }
    for (let i = 0; i + 1 < segs.length; i++) {
        if (SECRET_PAIRS.some(([a, b]) => segs[i] === a && segs[i + 1] === b)) {
            return true;
        }
    }
    return false;
}

export function isSecretReference(value: string): boolean {
    const v = value.trim();
    return REFERENCE_PATTERNS.some(p => p.test(v));
}

const PLACEHOLDERS = /^(?:|true|false|null|none|changeme|change-me|placeholder|todo|tbd|xxx+|\*+|<[^>]{0,64}>|\$\{[^}]{0,128}\}|%[^%]{0,64}%)$/i;

/** Shannon entropy in bits per character (computed over at most the first 4 KB). */
export function shannonEntropy(value: string): number {
    const s = value.length > 4096 ? value.slice(0, 4096) : value;
    if (s.length === 0) {
        return 0;
    }
    const counts = new Map<number, number>();
    for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    let h = 0;
    for (const n of counts.values()) {
        const p = n / s.length;
        h -= p * Math.log2(p);
    }
    return h;
}

const TOKEN_CHARS = /^[A-Za-z0-9+/=_\-.~]{32,1024}$/;

function looksHighEntropy(value: string): boolean {
    return TOKEN_CHARS.test(value) && /[0-9]/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value) && shannonEntropy(value) >= 4.5;
}

/** The kind of a recognisable secret token inside a value, if any. */
export function knownTokenKind(value: string): string | undefined {
    for (const { kind, pattern } of TOKEN_PATTERNS) {
        if (pattern.test(value)) {
            return kind;
        }
    }
    return undefined;
}

/**
 * Classifies one key/value pair of plain configuration (environment variables, app settings...).
 * Returns a finding when the value is, or contains, a secret in plain text.
 */
export function detectSecret(key: string, value: unknown): SecretFinding | undefined {
    if (typeof value !== "string") {
        return undefined;
    }
    const v = value.trim();
    if (v.length === 0 || isSecretReference(v)) {
        return undefined;
    }
    const token = knownTokenKind(v);
    if (token) {
        return { kind: token };
    }
    if (isSecretLikeName(key) && v.length >= 6 && !PLACEHOLDERS.test(v) && !/^\d{1,6}$/.test(v)) {
        return { kind: "literal value of a secret-like setting" };
    }
    if (looksHighEntropy(v)) {
        return { kind: "high-entropy string" };
    }
    return undefined;
}
