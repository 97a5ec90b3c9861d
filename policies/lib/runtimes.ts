// Runtime end-of-life evaluation over the dated schedules in ../data/runtimes.
import { RuntimeSchedule } from "../data/runtimes";

export type RuntimeState = "deprecated" | "deprecating" | "supported" | "unlisted";

export interface RuntimeStatus {
    state: RuntimeState;
    /** Deprecation date (YYYY-MM-DD) for listed runtimes. */
    date?: string;
    /** Whole days until deprecation (negative once deprecated). */
    days?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Dates already parsed (the schedules' dates are read for every resource), as epoch milliseconds or NaN. */
const parsedDates = new Map<string, number>();

/** Parses YYYY-MM-DD strictly; anything else is undefined. */
export function parseIsoDate(value: unknown): Date | undefined {
    if (typeof value !== "string" || value.length !== 10) {
        return undefined;
    }
    let time = parsedDates.get(value);
    if (time === undefined) {
        const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(value + "T00:00:00Z") : undefined;
        time = d === undefined || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value ? NaN : d.getTime();
        if (parsedDates.size < 10_000) {
            parsedDates.set(value, time);
        }
    }
    return Number.isNaN(time) ? undefined : new Date(time);
}

/** Today, or the policy's configured evaluation date (useful to preview future deprecations). */
export function evaluationDate(configured: unknown): Date {
    return parseIsoDate(configured) ?? new Date();
}

/** The config property that lets a policy evaluate dated platform facts as of another day. */
export const EVALUATION_DATE_CONFIG = {
    evaluationDate: {
        type: "string" as const, pattern: "^\\d{4}-\\d{2}-\\d{2}$",
        description: "Evaluate dated platform facts (retirements, changed defaults) as of this date (YYYY-MM-DD) instead of today.",
    },
};

export function runtimeStatus(schedule: RuntimeSchedule, runtime: string, today: Date, warnDays: number): RuntimeStatus {
    const entry = Object.prototype.hasOwnProperty.call(schedule.runtimes, runtime) ? schedule.runtimes[runtime] : undefined;
    if (!entry) {
        return { state: "unlisted" };
    }
    const date = parseIsoDate(entry.deprecated)!;
    const days = Math.floor((date.getTime() - today.getTime()) / DAY_MS);
    if (days <= 0) {
        return { state: "deprecated", date: entry.deprecated, days };
    }
    return { state: days <= warnDays ? "deprecating" : "supported", date: entry.deprecated, days };
}

/** Numeric version parts of a runtime id, e.g. "python3.13" -> [3, 13], "dotnet-isolated:8" -> [8]. */
function versionOf(id: string): number[] {
    return (id.match(/\d+/g) ?? []).map(Number);
}

function compareVersions(a: number[], b: number[]): number {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
        const d = (a[i] ?? -1) - (b[i] ?? -1);
        if (d !== 0) {
            return d;
        }
    }
    return 0;
}

/** The newest still-supported version of the same family, to suggest as the upgrade target. */
export function suggestedRuntime(schedule: RuntimeSchedule, runtime: string, today: Date): string | undefined {
    const family = Object.prototype.hasOwnProperty.call(schedule.runtimes, runtime) ? schedule.runtimes[runtime].family : undefined;
    let best: string | undefined;
    for (const [id, entry] of Object.entries(schedule.runtimes)) {
        if (entry.family === family && parseIsoDate(entry.deprecated)!.getTime() > today.getTime()) {
            if (!best || compareVersions(versionOf(id), versionOf(best)) > 0) {
                best = id;
            }
        }
    }
    return best;
}

/** Config properties every runtime policy shares. */
export const RUNTIME_CONFIG = {
    warnDaysBeforeDeprecation: {
        type: "integer" as const, minimum: 0, default: 90,
        description: "Warn (advisory) this many days before a runtime's deprecation date.",
    },
    evaluationDate: {
        type: "string" as const, pattern: "^\\d{4}-\\d{2}-\\d{2}$",
        description: "Evaluate deprecations as of this date (YYYY-MM-DD) instead of today.",
    },
};
