// Resource policies decided again at AnalyzeStack, where the engine says what each value comes from.
//
// A resource policy runs in Analyze, one resource at a time, with the resource's inputs and nothing
// else: a value computed by another resource of the same run is unknown there, and the policy reports
// a "waiting" marker (deferred.ts holds it until the end of the run). Only the AnalyzeStack call that
// ends the run carries propertyDependencies. So a policy that can decide from a value's sources
// (`provenance: true` in its definition) has its waiting resources kept here — the inputs it saw, not
// the outputs AnalyzeStack sends — and the first stack policy of the AnalyzeStack call runs it again on
// each of them, inside `withProvenance` (provenance.ts), with the graph of that call. Its findings are
// reported in the AnalyzeStack response under the resource policy's own name, on the resource, at the
// level configured for that policy (the SDK's reportViolation takes a policy name with the finding);
// the checks it still can't decide replace its markers in the merged line, with the reason; a check it
// decides clean leaves the line. During `pulumi up` and in audit mode nothing waits, so nothing is kept.
import type { ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { unknownCheckingProxy } from "@pulumi/policy";
import { DeferredCheck, parseMarker, replaceHeldChecks } from "./deferred";
import { ResourceGraph } from "./graph";
import { withProvenance } from "./provenance";
import { patchFunction, sdkModule } from "./sdk-patch";

type Validate = (args: unknown, report: ReportViolation) => unknown;

/** What re-running one resource policy needs besides the resource. */
export interface Rerun {
    policy: string;
    description: string;
    severity?: string;
    /** The level the policy has when no configuration says otherwise. */
    defaultLevel: string;
    config: Record<string, unknown>;
    validate: Validate;
}

interface Held {
    type: string;
    name: string;
    props: Record<string, unknown>;
    stackTags: ReadonlyMap<string, string>;
    reruns: Map<string, Rerun>;
}

const held = new Map<string, Held>();
/** Enforcement levels from the engine's Configure call, by policy name. */
const configuredLevels = new Map<string, string>();
let rerunning = false;

/** Keeps a resource whose provenance-aware policy waits, until the AnalyzeStack call. */
export function holdForProvenance(urn: string, resource: Omit<Held, "reruns">, rerun: Rerun): void {
    if (rerunning) {
        return;
    }
    let h = held.get(urn);
    if (!h) {
        h = { ...resource, reruns: new Map() };
        held.set(urn, h);
    }
    h.reruns.set(rerun.policy, rerun);
}

/** Records the level the engine configured for a policy (what the SDK itself applies to its findings). */
/** The level the engine configured for a policy in this run, when it sent one. */
export function configuredLevel(policy: string): string | undefined {
    return configuredLevels.get(policy);
}

export function recordConfiguredLevel(policy: string, level: string): void {
    configuredLevels.set(policy, level);
}

/**
 * Reads the levels of the engine's Configure call as the SDK receives them, so findings reported under
 * a resource policy's name at AnalyzeStack carry that policy's level, not the level of the stack policy
 * reporting them.
 */
export function captureConfiguredLevels(): boolean {
    const pb = sdkModule("@pulumi/pulumi/proto/analyzer_pb");
    const convert = sdkModule("@pulumi/policy/protoutil")?.convertEnforcementLevel as ((l: unknown) => string) | undefined;
    const proto = (pb?.ConfigureAnalyzerRequest as { prototype?: object } | undefined)?.prototype;
    if (!proto || typeof convert !== "function") {
        return false;
    }
    type Entries = { entries(): Iterable<[string, { getEnforcementlevel(): unknown }]> };
    return patchFunction<(this: unknown) => Entries>(proto, "getPolicyconfigMap", original => function (this: unknown) {
        const map = original.call(this);
        try {
            for (const [name, c] of map.entries()) {
                recordConfiguredLevel(name, convert(c.getEnforcementlevel()));
            }
        } catch {
            // The SDK reports a malformed config itself.
        }
        return map;
    });
}

function levelOf(rerun: Rerun): string {
    const level = configuredLevels.get(rerun.policy) ?? rerun.defaultLevel;
    return level === "remediate" ? "mandatory" : level;
}

class NotApplicableError extends Error {}

const OPTIONS = { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] };

/** Runs one held policy on one held resource with its sources known; undefined when it can't run here. */
function rerunOne(graph: ResourceGraph, urn: string, h: Held, rerun: Rerun): { findings: Record<string, unknown>[]; waiting: DeferredCheck[] } | undefined {
    const node = graph.node(urn);
    if (!node) {
        return undefined;
    }
    const level = levelOf(rerun);
    if (level === "disabled") {
        return undefined;
    }
    const findings: Record<string, unknown>[] = [];
    const waiting: DeferredCheck[] = [];
    const collect = (message: unknown, at?: string) => {
        const m = typeof message === "object" && message !== null
            ? message as { message?: string; enforcementLevel?: string; urn?: string }
            : { message: message ? `${rerun.description}\n${String(message)}` : rerun.description, urn: at };
        const marker = m.message !== undefined ? parseMarker(m.message) : undefined;
        if (marker) {
            waiting.push(marker.cause === "unknown" ? { policy: rerun.policy, properties: marker.paths } : { policy: rerun.policy, properties: marker.paths, cause: marker.cause });
            return;
        }
        findings.push({
            name: rerun.policy,
            description: rerun.description,
            severity: rerun.severity,
            message: m.message ?? rerun.description,
            urn: m.urn ?? urn,
            enforcementLevel: m.enforcementLevel ?? level,
        });
    };
    const args = {
        type: h.type, name: h.name, urn, props: unknownCheckingProxy(h.props), opts: OPTIONS, stackTags: h.stackTags,
        isType: () => false, asType: () => undefined,
        getConfig: () => rerun.config,
        notApplicable: (reason?: string) => { throw new NotApplicableError(reason); },
    };
    try {
        withProvenance(graph, node, () => rerun.validate(args, collect as ReportViolation));
    } catch (e) {
        if (e instanceof NotApplicableError || (e instanceof Error && e.constructor.name === "NotApplicableError")) {
            return { findings: [], waiting: [] };
        }
        return undefined;
    }
    return { findings, waiting };
}

/**
 * Decides the held checks with the AnalyzeStack call's resources: reports what they find under their
 * own names, and replaces their waiting markers with what still waits. Called by the first stack policy
 * of the call (any later one finds nothing held).
 */
export function redecideHeld(args: Pick<StackValidationArgs, "resources">, report: ReportViolation): void {
    if (held.size === 0) {
        return;
    }
    const all = [...held];
    held.clear();
    const graph = ResourceGraph.of(args.resources);
    rerunning = true;
    try {
        for (const [urn, h] of all) {
            for (const rerun of h.reruns.values()) {
                const result = rerunOne(graph, urn, h, rerun);
                if (!result) {
                    continue;
                }
                result.findings.forEach(f => (report as (m: unknown) => void)(f));
                replaceHeldChecks(urn, rerun.policy, result.waiting);
            }
        }
    } finally {
        rerunning = false;
    }
}

/** Whether a resource policy is being run again at AnalyzeStack (it then holds nothing new). */
export function isRerunning(): boolean {
    return rerunning;
}

/** Forgets everything held (tests; a run that ends without AnalyzeStack keeps nothing into the next one's checks). */
export function clearHeld(): void {
    held.clear();
}
