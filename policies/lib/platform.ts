// Platform defaults and retirements as dated facts: a fact decides a finding only from the day it
// took effect, evaluated against today's date (or a policy's configured evaluation date).
import { parseIsoDate } from "./runtimes";

export interface PlatformFact {
    /** The fact in words, for messages. */
    fact: string;
    /** First day (YYYY-MM-DD) the fact holds; when the platform doesn't date it, the day the source was read. */
    since: string;
    /** Where it is documented. */
    source: string;
    /** Day the source was last checked (YYYY-MM-DD). */
    reviewed: string;
}

/** Whether a dated platform change (YYYY-MM-DD) is in force on `today`. */
export function inForce(since: string, today: Date = new Date()): boolean {
    const date = parseIsoDate(since);
    return date !== undefined && date.getTime() <= today.getTime();
}

/** Whether a dated platform fact holds on `today`. */
export function inEffect(fact: PlatformFact, today: Date = new Date()): boolean {
    return inForce(fact.since, today);
}
