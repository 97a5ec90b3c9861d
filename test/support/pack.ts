// Shared access to the compiled pack for protocol-tier tests: one pack process per test file.
import * as fs from "fs";
import * as path from "path";
import { EngineResource, PolicyPackProcess, RunResult, runOnPack } from "../../runner/engine";
import { parseInput } from "../../runner/inputs";
import { parsePolicyPackConfig } from "../../runner/config";

export const REPO = path.resolve(__dirname, "..", "..", "..");

export function startPack(): Promise<PolicyPackProcess> {
    return PolicyPackProcess.start({ packDir: REPO });
}

export function exampleStack(file: string): EngineResource[] {
    return parseInput(fs.readFileSync(path.join(REPO, "examples", "stacks", file), "utf8"), file).resources;
}

export function run(pack: PolicyPackProcess, resources: EngineResource[], config?: object, tags?: Record<string, string>): Promise<RunResult> {
    return runOnPack(pack, {
        resources,
        config: config ? parsePolicyPackConfig(JSON.stringify(config)) : {},
        stack: { stack: "dev", tags },
    });
}

/** `<resource name>|<policy>` for each diagnostic, sorted and de-duplicated. */
export function findingKeys(result: RunResult): string[] {
    return [...new Set(result.diagnostics.map(d => `${d.urn.split("::").pop()}|${d.policyName}`))].sort();
}
