// Policy config the way the Pulumi engine builds it: parse the --policy-pack-config file, then merge
// schema defaults, the pack's initial config and the file (inside each layer `all` sets only the
// level, before named policies), then validate every policy's properties against its schema.
import { Schema, validate } from "../policies/lib/schema";
import { Level, LEVELS, PolicyConfigEntry, PolicyInfo } from "../policies/lib/config-problems";

export { closestMatch, editDistance, LEVELS, strictConfigProblems } from "../policies/lib/config-problems";
export type { Level, PolicyConfigEntry, PolicyInfo } from "../policies/lib/config-problems";

export class ConfigError extends Error {
    constructor(message: string, readonly details: string[] = []) {
        super(details.length ? `${message}\n  ${details.join("\n  ")}` : message);
        this.name = "ConfigError";
    }
}

function isLevel(value: unknown): value is Level {
    return typeof value === "string" && (LEVELS as string[]).includes(value);
}

function describeJson(value: unknown): string {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 60 ? text.slice(0, 57) + "..." : text;
}

/** Parses config file text with the CLI's rules; empty text is no config. */
export function parsePolicyPackConfig(text: string, source = "policy pack config"): Record<string, PolicyConfigEntry> {
    if (text.trim() === "") {
        return {};
    }
    let raw: unknown;
    try {
        raw = JSON.parse(text);
    } catch (e) {
        throw new ConfigError(`${source} is not valid JSON (${e instanceof SyntaxError ? e.message.split("\n")[0] : "parse error"})`);
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        throw new ConfigError(`${source} must be a JSON object mapping policy names (or "all") to a level or an object`);
    }
    const result: Record<string, PolicyConfigEntry> = {};
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof value === "string") {
            if (!isLevel(value)) {
                throw new ConfigError(`parsing enforcement level for "${name}": "${value}" is not a valid enforcement level (use ${LEVELS.join(", ")})`);
            }
            result[name] = { enforcementLevel: value };
        } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
            const props = { ...(value as Record<string, unknown>) };
            let level: Level | undefined;
            if ("enforcementLevel" in props) {
                const el = props.enforcementLevel;
                if (typeof el !== "string") {
                    throw new ConfigError(`parsing enforcement level for "${name}": ${describeJson(el)} is not a valid enforcement level; must be a string`);
                }
                if (!isLevel(el)) {
                    throw new ConfigError(`parsing enforcement level for "${name}": "${el}" is not a valid enforcement level (use ${LEVELS.join(", ")})`);
                }
                level = el;
                delete props.enforcementLevel;
            }
            if (level === undefined && Object.keys(props).length === 0) {
                continue;
            }
            result[name] = { enforcementLevel: level, properties: Object.keys(props).length ? props : undefined };
        } else {
            throw new ConfigError(`parsing "${name}": ${describeJson(value)} is not a valid value; must be a string or object`);
        }
    }
    return result;
}

function applyLayer(result: Map<string, PolicyConfigEntry>, layer: Record<string, PolicyConfigEntry>): void {
    const all = layer["all"];
    if (all && isLevel(all.enforcementLevel)) {
        for (const [k, v] of result) {
            result.set(k, { enforcementLevel: all.enforcementLevel, properties: v.properties });
        }
    }
    for (const [name, given] of Object.entries(layer)) {
        const current = result.get(name) ?? {};
        const properties = given.properties && Object.keys(given.properties).length > 0
            ? { ...(current.properties ?? {}), ...given.properties }
            : current.properties;
        result.set(name, {
            enforcementLevel: isLevel(given.enforcementLevel) ? given.enforcementLevel : current.enforcementLevel,
            properties,
        });
    }
}

/** The engine's ReconcilePolicyPackConfig: returns the config to send to Configure, or throws ConfigError. */
export function reconcileConfig(
    policies: PolicyInfo[],
    initialConfig: Record<string, PolicyConfigEntry>,
    config: Record<string, PolicyConfigEntry>,
    packLabel: string,
): Map<string, PolicyConfigEntry> {
    const result = new Map<string, PolicyConfigEntry>();
    for (const p of policies) {
        let properties: Record<string, unknown> | undefined;
        for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
            if ("default" in s) {
                properties = properties ?? {};
                properties[k] = s.default;
            }
        }
        result.set(p.name, { enforcementLevel: p.enforcementLevel, properties });
    }
    applyLayer(result, initialConfig);
    applyLayer(result, config);

    const errors: string[] = [];
    for (const p of policies) {
        if (!p.configSchema) {
            continue;
        }
        const schema: Schema = { type: "object" };
        if (Object.keys(p.configSchema.properties ?? {}).length > 0) {
            schema.properties = p.configSchema.properties;
        }
        if ((p.configSchema.required ?? []).length > 0) {
            schema.required = p.configSchema.required;
        }
        for (const e of validate(schema, result.get(p.name)?.properties ?? {})) {
            errors.push(`${p.name}: ${e.replace(/^\(root\): /, "")}`);
        }
    }
    if (errors.length > 0) {
        throw new ConfigError(`validating policy config: ${packLabel}`, errors);
    }
    return result;
}
