// Checks SARIF logs the way consumers do: against the SARIF 2.1.0 JSON schema (the copy Microsoft's
// SARIF Multitool ships and validates with), and with the Multitool's own `validate` command.
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Ajv2020 from "ajv/dist/2020";

/** The platform package of @microsoft/sarif-multitool holds the binary and the schema. */
function multitoolDir(): string | undefined {
    try {
        return path.dirname(require.resolve(`@microsoft/sarif-multitool-${process.platform}/package.json`));
    } catch {
        return undefined;
    }
}

export function sarifSchemaPath(): string {
    const dir = multitoolDir();
    const file = dir && path.join(dir, "sarif-2.1.0.json");
    if (!file || !fs.existsSync(file)) {
        throw new Error(`the SARIF 2.1.0 schema was not found: install @microsoft/sarif-multitool (npm ci) for ${process.platform}`);
    }
    return file;
}

let compiled: ((data: unknown) => boolean) & { errors?: unknown } | undefined;

/** Validates a SARIF log against the 2.1.0 schema, with its `uri`, `date-time` and `uuid` formats checked. */
export function validateSarifSchema(log: unknown): string[] {
    if (!compiled) {
        const ajv = new Ajv2020({ strict: false, allErrors: true });
        ajv.addFormat("uri", (s: string) => { try { return !!new URL(s).protocol; } catch { return false; } });
        ajv.addFormat("uri-reference", (s: string) => { try { return !!new URL(s, "file:///base/"); } catch { return false; } });
        ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i);
        ajv.addFormat("uuid", /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
        compiled = ajv.compile(JSON.parse(fs.readFileSync(sarifSchemaPath(), "utf8")));
    }
    return compiled(log) ? [] : ((compiled.errors ?? []) as { instancePath: string; message?: string }[]).map(e => `${e.instancePath || "/"}: ${e.message}`);
}

export interface MultitoolReport {
    /** `error SARIFnnnn: …` and `warning …` lines. */
    problems: string[];
    /** `note …` lines (suggestions, not defects). */
    notes: string[];
    exitCode: number | null;
    output: string;
}

/** The Multitool binary, from its npm package entry (`require("@microsoft/sarif-multitool")` gives its path). */
export function multitoolBinary(): string {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require("@microsoft/sarif-multitool") as string;
}

/**
 * Runs `Sarif.Multitool validate` with every rule kind (SARIF and GitHub) at every level. The binary is
 * spawned directly: the package's bin.js runs it through a shell, which splits `--level A;B`.
 */
export function runMultitoolValidate(file: string): MultitoolReport {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sarif-validate-"));
    let res: SpawnSyncReturns<string>;
    try {
        res = spawnSync(multitoolBinary(), [
            "validate", file, "--output", path.join(dir, "validation.sarif"), "--log", "ForceOverwrite",
            "--level", "Error;Warning;Note", "--kind", "Fail", "--rule-kind", "Sarif;Gh;Ghas",
        ], { encoding: "utf8", timeout: 120000, env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1" } });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
    const output = `${res.stdout ?? ""}${res.stderr ?? ""}${res.error ? String(res.error) : ""}`;
    const lines = output.split("\n");
    return {
        problems: lines.filter(l => /:\s(error|warning)\s[A-Z]+\d+/.test(l)),
        notes: lines.filter(l => /:\snote\s[A-Z]+\d+/.test(l)),
        exitCode: res.status,
        output,
    };
}
