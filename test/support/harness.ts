// Unit-test harness: runs one policy of the pack on one resource (or one stack) the way the SDK
// does: properties go through protobuf Struct, the SDK's deserializer and its unknown-checking
// proxy; config goes through the engine's merge; violations are recorded with their levels.
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy, unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import * as path from "path";
import { definitions } from "../../policies/registry";
import { PolicyDefinition } from "../../policies/lib/define";
import { parsePolicyPackConfig, PolicyConfigEntry, reconcileConfig } from "../../runner/config";
import { toWireValue } from "../../runner/wire";
import { DeferredCheck, deferredMarker, mergeDeferred, parseDeferred, parseMarker, SdkDiagnostic } from "../../policies/lib/deferred";
import { clearHeld, configuredLevel, recordConfiguredLevel } from "../../policies/lib/redecide";
import { deserializeRecordingSecrets } from "../../policies/lib/shared-properties";

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
// The SDK's own deserializer (internal to @pulumi/policy, so not in its type declarations).
const { deserializeProperties } = require("@pulumi/policy/deserialize") as { deserializeProperties(s: unknown, keepSecrets: boolean): Record<string, unknown> };
const structProto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] }));

export interface Finding {
    message: string;
    level: string;
    urn?: string;
    /** The policy a finding is reported under when it isn't the one that ran (a resource policy decided again at AnalyzeStack). */
    policy?: string;
}

export interface Outcome {
    violations: Finding[];
    /** Set when the policy declared itself not applicable. */
    notApplicable?: string;
    /** Set when a check waits for a value unknown during preview: the property paths it named. */
    unknown?: string;
    /** The same per resource URN ("" for the resource under a resource policy), for stack policies. */
    waiting?: Record<string, string[]>;
    /**
     * Set when a known value can't decide the check, per resource URN: a reference that matches several
     * resources nothing tells apart (`ambiguous`), or settings the recorded state doesn't hold (`unrecorded`).
     */
    undecided?: Record<string, { cause: string; paths: string[] }>;
}

export interface TestResource {
    type: string;
    name?: string;
    urn?: string;
    props: Record<string, unknown>;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    parent?: string;
    /** The resource's explicit provider, as the engine sends it: its type, URN and input properties. */
    provider?: { type: string; urn: string; props: Record<string, unknown> };
}

const byName = new Map(definitions.map(d => [d.meta.name, d]));
/** Which outcomes each policy has been seen to produce in this test run. */
export const observed = new Map<string, Set<"pass" | "fail">>();

export function definition(name: string): PolicyDefinition {
    const d = byName.get(name);
    if (!d) {
        throw new Error(`no policy named ${name}`);
    }
    return d;
}

function record(name: string, outcome: Outcome): void {
    if (outcome.notApplicable !== undefined || outcome.unknown !== undefined || outcome.undecided !== undefined) {
        if (outcome.violations.length === 0) {
            return;
        }
    }
    const set = observed.get(name) ?? new Set();
    set.add(outcome.violations.some(v => !v.message.includes("internal error")) ? "fail" : "pass");
    observed.set(name, set);
}

/** Effective config of one policy after the engine's merge of defaults and the given config file content. */
export function configFor(name: string, config?: Record<string, unknown>): { level: string; properties: Record<string, unknown> } {
    const infos = definitions.map(d => ({
        name: d.meta.name,
        enforcementLevel: d.defaultLevel as "advisory",
        configSchema: { properties: { ...(d.policy.configSchema?.properties ?? {}) } as Record<string, Record<string, unknown>> },
    }));
    const parsed: Record<string, PolicyConfigEntry> = config ? parsePolicyPackConfig(JSON.stringify({ [name]: config })) : {};
    const merged = reconcileConfig(infos, {}, parsed, "serverless-guard test").get(name)!;
    return { level: merged.enforcementLevel ?? "advisory", properties: merged.properties ?? {} };
}

function sdkProps(props: Record<string, unknown>, validation = true): Record<string, any> {
    const struct = structProto.Struct.fromJavaScript(toWireValue(props));
    // As the pack does (policies/lib/shared-properties.ts): the SDK's deserializer, secrets recorded.
    const value = deserializeRecordingSecrets(deserializeProperties as never, undefined, struct) as Record<string, unknown>;
    if (validation) {
        handedOut.push(entriesOf(value));
    }
    return unknownCheckingProxy(value);
}

/**
 * The pack shares one deserialization of a request among all its validating policies
 * (policies/lib/shared-properties.ts), so a policy that changed the properties it was given would
 * change what the next policy sees: every validation run here checks that they are unchanged. Each
 * object's own entries are recorded and compared by identity, so 1 MB strings cost nothing extra.
 */
let handedOut: Map<object, [string, unknown][]>[] = [];

function entriesOf(value: unknown, into = new Map<object, [string, unknown][]>()): Map<object, [string, unknown][]> {
    if (typeof value === "object" && value !== null && !into.has(value)) {
        const entries = Object.entries(value);
        into.set(value, entries);
        for (const [, v] of entries) {
            entriesOf(v, into);
        }
    }
    return into;
}

function assertInputsUnchanged(name: string): void {
    const list = handedOut;
    handedOut = [];
    for (const recorded of list) {
        for (const [obj, before] of recorded) {
            const now = Object.entries(obj);
            if (now.length !== before.length || now.some(([k, v], i) => k !== before[i][0] || !Object.is(v, before[i][1]))) {
                throw new Error(`${name} changed the resource properties it was given (policies must treat them as read-only)`);
            }
        }
    }
}

function collector(description: string, level: string, outcome: Outcome) {
    const into = outcome.violations;
    return (message: unknown, urn?: string) => {
        if (typeof message === "object" && message !== null) {
            const m = message as { message?: string; enforcementLevel?: string; urn?: string };
            const marker = m.message !== undefined ? parseMarker(m.message) : undefined;
            if (marker?.cause === "unknown") {
                outcome.unknown = outcome.unknown ? `${outcome.unknown}\n${m.message}` : m.message;
                outcome.waiting = { ...outcome.waiting, [m.urn ?? ""]: marker.paths };
                return;
            }
            if (marker) {
                outcome.undecided = { ...outcome.undecided, [m.urn ?? ""]: { cause: marker.cause, paths: marker.paths } };
                return;
            }
            const named = (m as { name?: string }).name;
            into.push({ message: m.message ?? description, level: m.enforcementLevel ?? level, urn: m.urn, ...(named ? { policy: named } : {}) });
        } else {
            into.push({ message: message ? `${description}\n${message}` : description, level, urn });
        }
    };
}

/** Same class name and shape as the SDK's internal not-applicable signal. */
class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}

function notApplicableError(reason?: string): Error {
    return new NotApplicableError(reason);
}

function classify(e: unknown, outcome: Outcome): void {
    if (e instanceof UnknownValueError) {
        outcome.unknown = (e as Error).message;
    } else if (e instanceof Error && e.constructor.name === "NotApplicableError") {
        outcome.notApplicable = (e as Error & { reason?: string }).reason ?? "";
    } else {
        throw e;
    }
}

export interface RunOptions {
    config?: Record<string, unknown>;
    stackTags?: Record<string, string>;
}

/** Runs one resource policy on one resource. */
export function check(name: string, resource: TestResource, options: RunOptions = {}): Outcome {
    const def = definition(name);
    const policy = def.policy as ResourceValidationPolicy;
    const { level, properties } = configFor(name, options.config);
    const outcome: Outcome = { violations: [] };
    const validate = policy.validateResource as (args: unknown, report: unknown) => void;
    const pulumiType = (validate as { __pulumiType?: string }).__pulumiType;
    if (pulumiType && pulumiType !== resource.type) {
        outcome.notApplicable = `Policy only applies to resources of type '${pulumiType}'`;
        return outcome;
    }
    const resourceName = resource.name ?? "test";
    const args = {
        type: resource.type,
        props: sdkProps(resource.props),
        urn: resource.urn ?? `urn:pulumi:test::test::${resource.type}::${resourceName}`,
        name: resourceName,
        opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
        stackTags: new Map(Object.entries(options.stackTags ?? {})),
        isType: () => false,
        asType: () => undefined,
        getConfig: () => properties,
        notApplicable: (reason?: string) => { throw notApplicableError(reason); },
    };
    try {
        validate(args, collector(policy.description, level === "remediate" ? "mandatory" : level, outcome));
    } catch (e) {
        classify(e, outcome);
    }
    assertInputsUnchanged(name);
    record(name, outcome);
    return outcome;
}

/** Runs one policy's remediation on one resource; returns the new properties, or undefined. */
export function remediate(name: string, resource: TestResource, options: RunOptions = {}): Record<string, unknown> | undefined {
    const policy = definition(name).policy as ResourceValidationPolicy;
    if (!policy.remediateResource) {
        throw new Error(`${name} has no remediation`);
    }
    const { properties } = configFor(name, options.config);
    const result = policy.remediateResource({
        type: resource.type, props: sdkProps(resource.props, false), urn: "urn:test", name: resource.name ?? "test",
        opts: {} as never, stackTags: new Map(), isType: () => false, asType: () => undefined,
        getConfig: () => properties as never, notApplicable: () => { throw new Error("not applicable"); },
    } as never);
    if (!result) {
        return undefined;
    }
    const raw = (result as Record<string, unknown>)["__getSpecialProxyTarget"] ?? result;
    return JSON.parse(JSON.stringify(raw));
}

/**
 * Runs one stack policy over a set of resources (linked by URN, dependencies and propertyDependencies)
 * as one AnalyzeStack call: like the engine's calls, each one starts in a new macrotask.
 */
export async function checkStack(name: string, resources: TestResource[], options: RunOptions = {}): Promise<Outcome> {
    await new Promise(resolve => setImmediate(resolve));
    if (!previewing) {
        // Resource policies run alone (check) hold what they wait for; only preview() runs them as one preview.
        clearHeld();
    }
    const def = definition(name);
    const policy = def.policy as StackValidationPolicy;
    const { level, properties } = configFor(name, options.config);
    const outcome: Outcome = { violations: [] };
    const built: PolicyResource[] = resources.map(r => {
        const resourceName = r.name ?? "test";
        return {
            type: r.type, props: sdkProps(r.props),
            urn: r.urn ?? `urn:pulumi:test::test::${r.type}::${resourceName}`,
            name: resourceName,
            opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] },
            dependencies: [], propertyDependencies: {},
            isType: () => false, asType: () => undefined,
            ...(r.provider ? { provider: { type: r.provider.type, urn: r.provider.urn, name: r.provider.urn.split("::").pop(), props: sdkProps(r.provider.props, false) } } : {}),
        } as unknown as PolicyResource;
    });
    const byUrn = new Map(built.map(r => [r.urn, r]));
    resources.forEach((r, i) => {
        const b = built[i] as { parent?: PolicyResource; dependencies: PolicyResource[]; propertyDependencies: Record<string, PolicyResource[]> };
        if (r.parent && byUrn.get(r.parent)) { b.parent = byUrn.get(r.parent); }
        b.dependencies = (r.dependencies ?? []).map(u => byUrn.get(u)).filter((x): x is PolicyResource => !!x);
        for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
            b.propertyDependencies[k] = urns.map(u => byUrn.get(u)).filter((x): x is PolicyResource => !!x);
        }
    });
    try {
        (policy.validateStack as (a: unknown, r: unknown) => void)({
            resources: built, getConfig: () => properties, stackTags: new Map(Object.entries(options.stackTags ?? {})),
            notApplicable: (reason?: string) => { throw notApplicableError(reason); },
        }, collector(policy.description, level === "remediate" ? "mandatory" : level, outcome));
    } catch (e) {
        classify(e, outcome);
    }
    assertInputsUnchanged(name);
    record(name, outcome);
    return outcome;
}

/** Messages of an outcome's violations, without the policy description line. */
export function messages(outcome: Outcome): string[] {
    return outcome.violations.map(v => v.message.split("\n").slice(1).join("\n") || v.message);
}

export interface PreviewOutcome {
    /** Every finding, named by policy and resource name. */
    findings: { policy: string; resource: string; level: string; message: string }[];
    /** The checks each resource's merged "can't check yet" line lists, by resource name. */
    waiting: Record<string, DeferredCheck[]>;
}

const nameOfUrn = (urn: string | undefined) => (urn ?? "").split("::").pop() ?? "";

/**
 * A preview as the engine runs it: each given resource policy on each resource in its own Analyze call
 * (inputs only, no dependencies; waiting markers held per resource), then the AnalyzeStack call with
 * every resource's propertyDependencies, where the pack decides the held checks again from the values'
 * sources and the given stack policies run; then the merged lines of what still waits.
 */
export async function preview(policies: string[], resources: TestResource[], options: RunOptions = {}): Promise<PreviewOutcome> {
    mergeDeferred<SdkDiagnostic>([], true);
    clearHeld();
    previewing = true;
    try {
        return await runPreview(policies, resources, options);
    } finally {
        previewing = false;
    }
}

let previewing = false;

async function runPreview(policies: string[], resources: TestResource[], options: RunOptions): Promise<PreviewOutcome> {
    const out: PreviewOutcome = { findings: [], waiting: {} };
    const resourcePolicies = policies.filter(p => definition(p).kind === "resource");
    const stackPolicies = ["pack-deferred-checks", ...policies.filter(p => definition(p).kind === "stack" && p !== "pack-deferred-checks")];
    for (const name of resourcePolicies) {
        recordConfiguredLevel(name, configFor(name, options.config).level);
    }
    for (const r of resources) {
        const urn = r.urn ?? `urn:pulumi:test::test::${r.type}::${r.name ?? "test"}`;
        for (const name of resourcePolicies.filter(p => definition(p).resourceTypes.includes(r.type))) {
            const res = check(name, { ...r, urn }, options);
            out.findings.push(...res.violations.map(v => ({ policy: name, resource: r.name ?? "test", level: v.level, message: v.message })));
            const markers: SdkDiagnostic[] = [];
            for (const paths of Object.values(res.waiting ?? {})) {
                markers.push({ policyName: name, policyPackName: "serverless-guard", policyPackVersion: "", message: deferredMarker(paths), enforcementLevel: "advisory", urn });
            }
            for (const u of Object.values(res.undecided ?? {})) {
                markers.push({ policyName: name, policyPackName: "serverless-guard", policyPackVersion: "", message: deferredMarker(u.paths, u.cause as "ambiguous"), enforcementLevel: "advisory", urn });
            }
            mergeDeferred(markers, false);
        }
    }
    for (const name of stackPolicies) {
        const res = await checkStack(name, resources, options);
        out.findings.push(...res.violations.map(v => ({ policy: v.policy ?? name, resource: nameOfUrn(v.urn), level: v.level, message: v.message })));
        const markers: SdkDiagnostic[] = Object.entries(res.waiting ?? {}).map(([urn, paths]) => ({
            policyName: name, policyPackName: "serverless-guard", policyPackVersion: "", message: deferredMarker(paths), enforcementLevel: "advisory", urn,
        }));
        mergeDeferred(markers, false);
    }
    for (const line of mergeDeferred<SdkDiagnostic>([], true)) {
        out.waiting[nameOfUrn(line.urn)] = parseDeferred(line.message) ?? [];
    }
    return out;
}

/** Runs `body` as a run in which `policies` are disabled (their root causes fall to the stack policies), restoring their levels after. */
export async function withPoliciesDisabled(policies: string[], body: () => Promise<void>): Promise<void> {
    const before = policies.map(p => configuredLevel(p));
    policies.forEach(p => recordConfiguredLevel(p, "disabled"));
    try {
        await body();
    } finally {
        policies.forEach((p, i) => recordConfiguredLevel(p, before[i] ?? "advisory"));
    }
}
