// `serverless-guard validate-config <file>`: every problem of a policy config, one line each, before
// it goes to `pulumi policy enable --config` or `--policy-pack-config`. The pack runs the checks that
// make sense on every start (see policies/lib/config-guard.ts); this adds what only matters when a
// config is written: every bad level at once, schema errors, and exemptions that have already expired.
import { ConfigError, parsePolicyPackConfig, PolicyConfigEntry, PolicyInfo, reconcileConfig, strictConfigProblems } from "./config";
import { parseIsoDate } from "../policies/lib/runtimes";

export { policyInfos } from "../policies/lib/config-problems";
export type { DefinitionLike } from "../policies/lib/config-problems";

/** Exemptions whose last day is before `today` (YYYY-MM-DD): they exempt nothing any more. */
export function pastExpiries(config: Record<string, PolicyConfigEntry>, today: string): string[] {
    const problems: string[] = [];
    for (const [name, entry] of Object.entries(config)) {
        const exemptions = entry.properties?.exemptions;
        if (!Array.isArray(exemptions)) {
            continue;
        }
        exemptions.forEach((e: unknown, i) => {
            const expires = typeof e === "object" && e !== null ? (e as { expires?: unknown }).expires : undefined;
            if (typeof expires === "string" && parseIsoDate(expires) && expires < today) {
                problems.push(`${name}: exemptions.${i}.expires: "${expires}" is in the past: the exemption no longer applies (remove it or set a later date)`);
            }
        });
    }
    return problems;
}

/** Every problem of a policy config file's text, one line each; none means the config is good to enable. */
export function configFileProblems(text: string, source: string, policies: PolicyInfo[], today: string): string[] {
    let raw: unknown;
    try {
        raw = text.trim() === "" ? {} : JSON.parse(text);
    } catch (e) {
        return [`not valid JSON (${e instanceof SyntaxError ? e.message.split("\n")[0] : "parse error"})`];
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        return [`must be a JSON object mapping policy names (or "all") to a level or an object`];
    }
    const problems: string[] = [];
    const config: Record<string, PolicyConfigEntry> = {};
    for (const [name, value] of Object.entries(raw)) {
        try {
            Object.assign(config, parsePolicyPackConfig(JSON.stringify({ [name]: value }), source));
        } catch (e) {
            if (!(e instanceof ConfigError)) {
                throw e;
            }
            problems.push(e.message);
        }
    }
    problems.push(...strictConfigProblems(policies, config));
    try {
        reconcileConfig(policies, {}, config, source);
    } catch (e) {
        if (!(e instanceof ConfigError)) {
            throw e;
        }
        problems.push(...e.details);
    }
    problems.push(...pastExpiries(config, today));
    return problems;
}
