// Reading config and input files for the command line, with errors that name the problem.
import * as fs from "fs";
import * as path from "path";
import { ConfigError, parsePolicyPackConfig, PolicyConfigEntry } from "./config";
import { decodeInput, InputError } from "./inputs";

/** The installed pack: compiled entry, PulumiPolicy.yaml, package.json and the shipped profiles. */
export const PACK_DIR = path.resolve(__dirname, "..", "..");

export function ioProblem(e: unknown): string {
    switch ((e as NodeJS.ErrnoException).code) {
        case "ENOENT": return "no such file";
        case "EISDIR": return "it is a directory, not a file";
        case "EACCES": case "EPERM": return "permission denied";
        case "ENOTDIR": return "a part of the path is not a directory";
        default: return (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : "read error");
    }
}

export function readConfig(spec: string): Record<string, PolicyConfigEntry> {
    const { file, text } = readConfigText(spec);
    return parsePolicyPackConfig(text, file);
}

/** A config file's text, from a path or the name of a profile in the pack's config/. */
export function readConfigText(spec: string): { file: string; text: string } {
    let file = spec;
    if (!fs.existsSync(file) && /^[a-z0-9-]+$/.test(spec)) {
        file = path.join(PACK_DIR, "config", `${spec}.json`);
        if (!fs.existsSync(file)) {
            const profiles = fs.existsSync(path.join(PACK_DIR, "config"))
                ? fs.readdirSync(path.join(PACK_DIR, "config")).filter(f => f.endsWith(".json")).map(f => f.slice(0, -5))
                : [];
            throw new ConfigError(`policy pack config ${JSON.stringify(spec)} is neither a file nor a profile (profiles: ${profiles.join(", ") || "none"})`);
        }
    }
    let text: string;
    try {
        if (fs.statSync(file).isDirectory()) {
            throw Object.assign(new Error("directory"), { code: "EISDIR" });
        }
        text = decodeInput(fs.readFileSync(file));
    } catch (e) {
        throw new ConfigError(`can't read policy pack config ${file}: ${ioProblem(e)}`);
    }
    return { file, text };
}

export function readInput(file: string): string {
    if (file === "-" && process.stdin.isTTY) {
        throw new InputError("standard input is a terminal: pipe the input into it, e.g. `pulumi stack export | serverless-guard scan -`");
    }
    try {
        if (file === "-") {
            return decodeInput(fs.readFileSync(0));
        }
        if (fs.statSync(file).isDirectory()) {
            throw Object.assign(new Error("directory"), { code: "EISDIR" });
        }
        return decodeInput(fs.readFileSync(file));
    } catch (e) {
        throw new InputError(`can't read ${file === "-" ? "standard input" : file}: ${ioProblem(e)}`);
    }
}

