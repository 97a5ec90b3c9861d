// Exemptions and stack-aware levels, the same for every policy (applied by the definition layer).
//
// - In config: each policy's `exemptions` list; entries match a resource by URN, name or type
//   (globs with * and ?), and require a reason and an expiry date.
// - On resources: AWS and Azure tags `serverless-guard:exempt:<policy id>` = "YYYY-MM-DD reason";
//   GCP labels `sg-exempt-<policy id>` = "yyyy-mm-dd" (labels allow only [a-z0-9_-]), whose reason is
//   the policy's `labelExemptionReason` config.
// - `levelOverrides` raise or lower a policy's level on stacks with given tags or names.
import { globMatch } from "./glob";
import { parseIsoDate } from "./runtimes";
import type { ConfigProperty } from "./define";

export const TAG_PREFIX = "serverless-guard:exempt:";
export const LABEL_PREFIX = "sg-exempt-";

export interface ExemptionEntry {
    resource: string;
    reason: string;
    expires: string;
    approvedBy?: string;
}

export interface LevelOverride {
    stackTags?: Record<string, string>;
    stackName?: string;
    enforcementLevel: "advisory" | "mandatory" | "disabled";
}

/** Config properties every policy gets from the layer. */
export const SHARED_CONFIG: Record<string, ConfigProperty> = {
    exemptions: {
        type: "array",
        default: [],
        description: "Resources exempted from this policy until a date: {resource (URN, name or type; * and ? wildcards), reason, expires (YYYY-MM-DD), approvedBy?}.",
        items: {
            type: "object",
            properties: {
                resource: { type: "string", minLength: 1, description: "URN, resource name or type; * and ? are wildcards." },
                reason: { type: "string", minLength: 3, description: "Why the resource is exempted." },
                expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$", description: "Last day (YYYY-MM-DD) the exemption applies." },
                approvedBy: { type: "string", description: "Who approved the exemption." },
            },
            required: ["resource", "reason", "expires"],
            additionalProperties: false,
        },
    },
    labelExemptionReason: {
        type: "string",
        minLength: 3,
        description: "Reason recorded for GCP resources labelled sg-exempt-<policy>=<yyyy-mm-dd> (labels can't carry free text); without it such labels are ignored.",
    },
    levelOverrides: {
        type: "array",
        default: [],
        description: "Levels for particular stacks: {stackTags?: {tag: value}, stackName? (* and ? wildcards), enforcementLevel}; the first match wins.",
        items: {
            type: "object",
            properties: {
                stackTags: { type: "object", additionalProperties: { type: "string" }, description: "Stack tags that must all match." },
                stackName: { type: "string", description: "Stack name pattern." },
                enforcementLevel: { type: "string", enum: ["advisory", "mandatory", "disabled"], description: "Level on matching stacks." },
            },
            required: ["enforcementLevel"],
            additionalProperties: false,
        },
    },
};

export interface Applied {
    /** The exemption in force for this resource, described for the user. */
    active?: string;
    /** Notes to append to a violation: an expired exemption, an ignored malformed tag. */
    notes: string[];
}

export interface ResourceIdentity {
    urn: string;
    name: string;
    type: string;
    /** Plain property values (unknown values as sentinel strings). */
    props: Record<string, unknown>;
}

function describe(source: string, expires: string, reason: string, approvedBy?: string): string {
    return `exempted by ${source} until ${expires}: ${reason}${approvedBy ? ` (approved by ${approvedBy})` : ""}`;
}

function isRecord(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `expires` is the last day an exemption applies (UTC): all of it, not only its first moment. */
function stillValid(expires: Date, today: Date): boolean {
    return today.getTime() < expires.getTime() + DAY_MS;
}

/** A tag's value from a tag map, or from a list of {key, value} (AWS Cloud Control's shape). */
function tagValue(tags: unknown, key: string): string | undefined {
    if (Array.isArray(tags)) {
        const hit = tags.find(t => isRecord(t) && t.key === key);
        return isRecord(hit) && typeof hit.value === "string" ? hit.value : undefined;
    }
    return isRecord(tags) && typeof tags[key] === "string" ? tags[key] as string : undefined;
}

/** Decides whether a policy's finding on a resource is exempted, from config and from tags/labels. */
export function applyExemptions(policy: string, resource: ResourceIdentity, entries: unknown, labelReason: unknown, today: Date): Applied {
    const notes: string[] = [];
    const list = Array.isArray(entries) ? entries : [];
    for (let i = 0; i < list.length; i++) {
        const e = list[i] as Partial<ExemptionEntry>;
        if (!isRecord(e) || typeof e.resource !== "string") {
            continue;
        }
        const matches = [resource.urn, resource.name, resource.type].some(v => globMatch(e.resource!, v));
        if (!matches) {
            continue;
        }
        const expires = parseIsoDate(e.expires);
        if (!expires || typeof e.reason !== "string" || e.reason.trim().length < 3) {
            notes.push(`exemptions[${i}] of ${policy} matches this resource but is ignored: it needs a reason and an expiry date that exists (YYYY-MM-DD)`);
            continue;
        }
        if (stillValid(expires, today)) {
            return { active: describe(`exemptions[${i}]`, e.expires!, e.reason, e.approvedBy), notes };
        }
        notes.push(`the exemption in exemptions[${i}] expired on ${e.expires}`);
    }

    const tagKey = TAG_PREFIX + policy;
    const tag = tagValue(resource.props.tags, tagKey);
    if (tag !== undefined) {
        const m = /^\s*(\d{4}-\d{2}-\d{2})\s+(\S.{2,})$/.exec(tag);
        const expires = m ? parseIsoDate(m[1]) : undefined;
        if (!m || !expires) {
            notes.push(`tag ${tagKey} is ignored: its value must be "YYYY-MM-DD reason"`);
        } else if (stillValid(expires, today)) {
            return { active: describe(`tag ${tagKey}`, m[1], m[2].trim()), notes };
        } else {
            notes.push(`the exemption in tag ${tagKey} expired on ${m[1]}`);
        }
    }

    const labels = resource.props.labels;
    const labelKey = LABEL_PREFIX + policy;
    if (isRecord(labels) && typeof labels[labelKey] === "string") {
        const expires = parseIsoDate(labels[labelKey]);
        if (!expires) {
            notes.push(`label ${labelKey} is ignored: its value must be a date (yyyy-mm-dd)`);
        } else if (typeof labelReason !== "string" || labelReason.trim().length < 3) {
            notes.push(`label ${labelKey} is ignored: ${policy} has no labelExemptionReason in its config`);
        } else if (stillValid(expires, today)) {
            return { active: describe(`label ${labelKey}`, labels[labelKey] as string, labelReason.trim()), notes };
        } else {
            notes.push(`the exemption in label ${labelKey} expired on ${labels[labelKey]}`);
        }
    }
    return { notes };
}

/** The level an override sets for this stack, if any matches. */
export function overrideLevel(overrides: unknown, stackTags: ReadonlyMap<string, string>, stackName: string | undefined): LevelOverride["enforcementLevel"] | undefined {
    if (!Array.isArray(overrides)) {
        return undefined;
    }
    for (const o of overrides as Partial<LevelOverride>[]) {
        if (!isRecord(o) || typeof o.enforcementLevel !== "string") {
            continue;
        }
        const tagsMatch = !isRecord(o.stackTags) || Object.entries(o.stackTags).every(([k, v]) => stackTags.get(k) === v);
        const nameMatch = typeof o.stackName !== "string" || (stackName !== undefined && globMatch(o.stackName, stackName));
        if (tagsMatch && nameMatch) {
            return o.enforcementLevel;
        }
    }
    return undefined;
}
