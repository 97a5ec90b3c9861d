// What triggers a Google Cloud Function: its event trigger's source (Pub/Sub topic, bucket).
import { BUCKET, TOPIC } from "../../gcp/storage";
import { isUnknown, knownString, Node, ResourceGraph } from "../../lib/graph";
import { asList, asString, at } from "../../lib/values";
import type { OnUnknown } from "../core";
import { byName, GCP_FUNCTIONS, isV2, set } from "./types";

// ---------------------------------------------------------------------------------------------
// Triggers

export interface GcpTrigger {
    fn: Node;
    source: Node;
    /** The event kind, so that functions on different events of one bucket aren't a fan-out. */
    event: string;
    /** e.g. "eventTrigger.resource". */
    via: string;
}

function eventKind(eventType: string): string {
    const m = /(finalize|delete|archive|metadataupdate)/i.exec(eventType);
    return m ? m[1].toLowerCase() : eventType;
}

/** Buckets and topics in the stack that trigger functions (gen 1 eventTrigger.resource; gen 2 event filters or pubsubTopic). */
export function triggers(g: ResourceGraph, onUnknown: OnUnknown): GcpTrigger[] {
    const out: GcpTrigger[] = [];
    for (const fn of g.ofType(...GCP_FUNCTIONS)) {
        const et = fn.props.eventTrigger;
        if (et === undefined || et === null) {
            continue;
        }
        const eventType = at(et, "eventType");
        if (isUnknown(et) || isUnknown(eventType)) {
            onUnknown(fn, isUnknown(et) ? "eventTrigger" : "eventTrigger.eventType");
            continue;
        }
        const type = asString(eventType) ?? "";
        const kind = /storage/i.test(type) ? BUCKET : /pubsub/i.test(type) ? TOPIC : undefined;
        if (!kind) {
            continue;
        }
        let path: string[] = ["eventTrigger", "resource"];
        if (isV2(fn) && kind === TOPIC) {
            path = ["eventTrigger", "pubsubTopic"];
        } else if (isV2(fn)) {
            const filters = at(et, "eventFilters");
            const i = asList(filters).findIndex(f => at(f, "attribute") === "bucket");
            if (isUnknown(filters) || (i < 0 && asList(filters).some(f => isUnknown(f) || isUnknown(at(f, "attribute"))))) {
                onUnknown(fn, "eventTrigger.eventFilters");
                continue;
            }
            if (i < 0) {
                continue;
            }
            path = ["eventTrigger", "eventFilters", String(i), "value"];
        }
        const where = isV2(fn) && kind === BUCKET ? "eventTrigger.eventFilters" : path.join(".");
        const value = path.length === 4 ? at(asList(at(et, "eventFilters"))[Number(path[2])], "value") : at(et, path[1]);
        let sources: Node[];
        if (isUnknown(value)) {
            sources = g.deps(fn, "eventTrigger", set(kind));
            if (sources.length === 0 && g.deps(fn, "eventTrigger").length === 0) {
                onUnknown(fn, where);
            }
        } else {
            const known = knownString(value);
            sources = known ? byName(g, fn, "eventTrigger", [kind], known, onUnknown) : [];
        }
        for (const source of sources) {
            out.push({ fn, source, event: kind === TOPIC ? "publish" : eventKind(type), via: where });
        }
    }
    return out;
}
