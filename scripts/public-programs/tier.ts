// The public-programs tier: the pack's findings on captured public Pulumi programs, compared with the
// hand-reviewed verdicts in test/public-programs/reviewed.json.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..", "..");
export const TIER_DIR = path.join(ROOT, "test", "public-programs");
export const STACKS_DIR = path.join(TIER_DIR, "stacks");
export const REVIEWED_FILE = path.join(TIER_DIR, "reviewed.json");
export const MANIFEST_FILE = path.join(ROOT, "scripts", "public-programs", "manifest.json");
const CLI = path.join(ROOT, "bin", "runner", "cli.js");

export type Mode = "preview" | "up";
export const MODES: Mode[] = ["preview", "up"];
/** right: true and worth its level; debatable: true but its level or wording can be argued; wrong: not true of the program. */
export type Verdict = "right" | "debatable" | "wrong" | "unreviewed";
export const VERDICTS: Verdict[] = ["right", "debatable", "wrong", "unreviewed"];

/** One line of the pack's report on a program: the same line in the preview and the up capture is one finding. */
export interface Finding {
    program: string;
    /** `<type>::<name>` of the resource the line is on. */
    resource: string;
    policy: string;
    level: string;
    /** The line's own text (the policy description that starts every message left out). */
    message: string;
    modes: Mode[];
}

export interface ReviewedFinding extends Finding {
    verdict: Verdict;
    why: string;
    /** Set when the line only restates a root cause already reported elsewhere: that other line. */
    repeats?: string;
}

export interface ReviewedFile {
    _about: string;
    findings: ReviewedFinding[];
}

export interface ManifestProgram {
    id: string;
    repo: string;
    commit: string;
    path: string;
    language: string;
    cloud: string;
    licence: string;
    attribution: string;
}

export function readManifest(): ManifestProgram[] {
    return JSON.parse(fs.readFileSync(MANIFEST_FILE, "utf8")).programs;
}

export const findingKey = (f: Pick<Finding, "program" | "resource" | "policy" | "message">): string =>
    [f.program, f.resource, f.policy, f.message].join("\u0000");

export const describe = (f: Pick<Finding, "program" | "resource" | "policy" | "level" | "message">): string =>
    `${f.program}: ${f.resource} [${f.level}] ${f.policy}: ${f.message}`;

interface ScanDiagnostic {
    policyName: string;
    description: string;
    message: string;
    enforcementLevel: string;
    urn?: string;
}

/** `<type>::<name>` from a URN (the stack and project parts, and parent types, left out). */
function resourceOf(urn: string | undefined): string {
    if (!urn) {
        return "(stack)";
    }
    const parts = urn.split("::");
    const type = (parts[2] ?? "").split("$").pop() ?? "";
    return `${type}::${parts.slice(3).join("::")}`;
}

function detail(d: ScanDiagnostic): string {
    return d.message.startsWith(`${d.description}\n`) ? d.message.slice(d.description.length + 1) : d.message;
}

/** Runs the scan CLI over every capture and returns its findings, one per line of the reports. */
export function scanCaptures(programs: ManifestProgram[] = readManifest()): Finding[] {
    const files: { program: string; mode: Mode; file: string }[] = [];
    for (const p of programs) {
        for (const mode of MODES) {
            const file = path.join(STACKS_DIR, `${p.id}.${mode}.json`);
            if (!fs.existsSync(file)) {
                throw new Error(`the capture ${path.relative(ROOT, file)} is missing: run scripts/public-programs/capture.js`);
            }
            files.push({ program: p.id, mode, file });
        }
    }
    const out = execFileSync(process.execPath, [CLI, "scan", ...files.map(f => f.file), "--format", "json", "--fail-on", "none"], {
        encoding: "utf8", maxBuffer: 512 * 1024 * 1024,
    });
    const report = JSON.parse(out) as { stacks: { input: { file: string }; diagnostics: ScanDiagnostic[] }[]; errors?: unknown[] };
    if (report.errors && report.errors.length > 0) {
        throw new Error(`the scan could not read some captures: ${JSON.stringify(report.errors)}`);
    }
    const byKey = new Map<string, Finding>();
    for (const stack of report.stacks) {
        const source = files.find(f => path.resolve(f.file) === path.resolve(ROOT, stack.input.file) || path.resolve(f.file) === path.resolve(stack.input.file));
        if (!source) {
            throw new Error(`the scan reported on an input it was not given: ${stack.input.file}`);
        }
        for (const d of stack.diagnostics) {
            const f: Finding = { program: source.program, resource: resourceOf(d.urn), policy: d.policyName, level: d.enforcementLevel, message: detail(d), modes: [source.mode] };
            const key = findingKey(f);
            const seen = byKey.get(key);
            if (!seen) {
                byKey.set(key, f);
            } else if (!seen.modes.includes(source.mode)) {
                seen.modes.push(source.mode);
                // The stricter level wins when the two captures disagree.
                if (f.level === "mandatory") {
                    seen.level = "mandatory";
                }
            }
        }
    }
    return sortFindings([...byKey.values()]);
}

export function sortFindings<T extends Finding>(fs: T[]): T[] {
    return fs.sort((a, b) => a.program.localeCompare(b.program) || a.resource.localeCompare(b.resource) || a.policy.localeCompare(b.policy) || a.message.localeCompare(b.message));
}

export function readReviewed(): ReviewedFile {
    const doc = JSON.parse(fs.readFileSync(REVIEWED_FILE, "utf8")) as ReviewedFile;
    for (const f of doc.findings) {
        if (!VERDICTS.includes(f.verdict)) {
            throw new Error(`${REVIEWED_FILE}: ${describe(f)} has verdict ${JSON.stringify(f.verdict)}; use one of ${VERDICTS.join(", ")}`);
        }
    }
    return doc;
}

export interface Comparison {
    /** Reported now, with no verdict in the file (or still marked unreviewed). */
    unreviewed: Finding[];
    /** Judged right (and not a repeat) in the file, no longer reported. */
    lost: ReviewedFinding[];
    /** In the file, no longer reported, not expected (wrong, debatable or repeats): fixed or moved. */
    gone: ReviewedFinding[];
    /** Mandatory now and judged wrong. */
    wrongMandatory: ReviewedFinding[];
    /** Mandatory now and only restating a line reported elsewhere. */
    repeatedMandatory: ReviewedFinding[];
}

export function compare(reviewed: ReviewedFile, current: Finding[]): Comparison {
    const judged = new Map(reviewed.findings.map(f => [findingKey(f), f]));
    const now = new Set(current.map(findingKey));
    const out: Comparison = { unreviewed: [], lost: [], gone: [], wrongMandatory: [], repeatedMandatory: [] };
    for (const f of current) {
        const r = judged.get(findingKey(f));
        if (!r || r.verdict === "unreviewed") {
            out.unreviewed.push(f);
            continue;
        }
        if (f.level === "mandatory" && r.verdict === "wrong") {
            out.wrongMandatory.push({ ...r, level: f.level });
        } else if (f.level === "mandatory" && r.repeats) {
            out.repeatedMandatory.push({ ...r, level: f.level });
        }
    }
    for (const r of reviewed.findings) {
        if (!now.has(findingKey(r))) {
            (r.verdict === "right" && !r.repeats ? out.lost : out.gone).push(r);
        }
    }
    return out;
}

/** The reviewed file rewritten for the current findings: verdicts kept, new lines unreviewed, lost lines dropped. */
export function updated(reviewed: ReviewedFile, current: Finding[]): ReviewedFile {
    const judged = new Map(reviewed.findings.map(f => [findingKey(f), f]));
    const findings = current.map((f): ReviewedFinding => {
        const r = judged.get(findingKey(f));
        return r
            ? { ...f, verdict: r.verdict, why: r.why, ...(r.repeats ? { repeats: r.repeats } : {}) }
            : { ...f, verdict: "unreviewed", why: "" };
    });
    return { _about: reviewed._about, findings: sortFindings(findings) };
}

export function writeReviewed(doc: ReviewedFile): void {
    const lines = doc.findings.map(f => `    ${JSON.stringify(f)}`);
    fs.writeFileSync(REVIEWED_FILE, `{\n  "_about": ${JSON.stringify(doc._about)},\n  "findings": [\n${lines.join(",\n")}\n  ]\n}\n`);
}

export interface Counts {
    programs: number;
    byLanguage: Record<string, number>;
    byCloud: Record<string, number>;
    findings: number;
    mandatory: number;
    advisory: number;
    flaggedResources: number;
    findingsPerFlaggedResource: number;
    mandatoryFlaggedResources: number;
    mandatoryPerFlaggedResource: number;
    verdicts: Record<string, number>;
    mandatoryVerdicts: Record<string, number>;
    mandatoryRepeats: number;
    mandatoryRightAndNeeded: number;
    wrongByPolicy: Record<string, number>;
    repeatedByPolicy: Record<string, number>;
}

const tally = (xs: string[]): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const x of xs) {
        out[x] = (out[x] ?? 0) + 1;
    }
    return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
};

export function counts(programs: ManifestProgram[], reviewed: ReviewedFinding[]): Counts {
    const mandatory = reviewed.filter(f => f.level === "mandatory");
    const flagged = new Set(reviewed.map(f => `${f.program}\u0000${f.resource}`));
    const mandatoryFlagged = new Set(mandatory.map(f => `${f.program}\u0000${f.resource}`));
    const round = (n: number) => Math.round(n * 100) / 100;
    return {
        programs: programs.length,
        byLanguage: tally(programs.map(p => p.language)),
        byCloud: tally(programs.map(p => p.cloud)),
        findings: reviewed.length,
        mandatory: mandatory.length,
        advisory: reviewed.length - mandatory.length,
        flaggedResources: flagged.size,
        findingsPerFlaggedResource: flagged.size ? round(reviewed.length / flagged.size) : 0,
        mandatoryFlaggedResources: mandatoryFlagged.size,
        mandatoryPerFlaggedResource: mandatoryFlagged.size ? round(mandatory.length / mandatoryFlagged.size) : 0,
        verdicts: tally(reviewed.map(f => f.verdict)),
        mandatoryVerdicts: tally(mandatory.map(f => f.verdict)),
        mandatoryRepeats: mandatory.filter(f => f.repeats).length,
        mandatoryRightAndNeeded: mandatory.filter(f => f.verdict === "right" && !f.repeats).length,
        wrongByPolicy: tally(reviewed.filter(f => f.verdict === "wrong").map(f => `${f.policy} (${f.level})`)),
        repeatedByPolicy: tally(reviewed.filter(f => f.repeats).map(f => `${f.policy} (${f.level})`)),
    };
}
