// The pack's policies run in this process, for `serverless-guard scan`: the same calls the engine
// makes over the analyzer protocol (runOnPack in engine.ts), without the protocol. A scan has no engine
// and no preview to join, and one gRPC round trip per resource (a request with the resource's
// properties, a response listing every policy of the pack) cost more than the policies themselves.
//
// What reaches the policies is what @pulumi/policy gives them in the pack process: properties through
// the SDK's own deserialization (with the pack's changes to it, which remember secret values) and its
// unknown-checking proxy, each policy's config after the engine's merge (runner/config.ts) as the
// SDK's Configure stores it, the stack's tags, the SDK's enforcement-level rules, and the SDK's own
// response builder (which the pack hooks to merge deferred checks into one line per resource). What
// is left here is the SDK's dispatch loop (server.js: makeAnalyzeRpcFun, makeAnalyzeStackRpcFun), kept
// line for line; test/protocol/local-engine.test.ts proves both paths give the same results on every
// example stack and test fixture. `pulumi preview` and the protocol tests still use the real protocol.
import * as fs from "fs";
import * as path from "path";
import { Policy, PolicyResource, ResourceValidationPolicy, StackValidationPolicy, unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import { Level, PolicyConfigEntry, PolicyInfo, reconcileConfig, strictConfigProblems } from "./config";
import {
    AnalyzerInfo, analyzerInfoFrom, configRefused, convertDiagnostics, convertNotApplicable, Diagnostic, EngineResource, levelsOf, NotApplicable, ResourceOptions,
    RunOptions, RunResult, TypeNotApplicable, withEnforcementLevel,
} from "./engine";
import { PACK_DIR } from "./files";
import { policyInfos } from "./validate-config";
import { toWireValue } from "./wire";
import { appliesTo, isTypeNotApplicable } from "../policies/lib/define";
import { mergeDeferred } from "../policies/lib/deferred";
import { configureError } from "../policies/lib/config-guard";
import { clearHeld, recordConfiguredLevel } from "../policies/lib/redecide";
import { runStarting } from "../policies/lib/heap";
import { definitions } from "../policies/registry";
import { installSdkChanges, PACK_ARGS, PACK_NAME } from "../policies/pack-entry";
import { sdkModule } from "../policies/lib/sdk-patch";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const sdkPolicy = require("@pulumi/policy/policy") as {
    isResourcePolicy(p: Policy): p is ResourceValidationPolicy;
    isStackPolicy(p: Policy): p is StackValidationPolicy;
    getPulumiType(x: unknown): string | undefined;
};
const { isResourcePolicy, isStackPolicy, getPulumiType } = sdkPolicy;

type SdkDiagnostic = { policyName: string; policyPackName: string; policyPackVersion: string; message: string; description?: string; enforcementLevel: string; severity?: string; urn?: string };
type Deserialize = (struct: { toJavaScript(): unknown }, proxySecrets: boolean) => Record<string, unknown>;

/** The SDK's internal not-applicable signal: the pack recognizes it by its class name. */
class NotApplicableError extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}

function throwNotApplicable(reason?: string): never {
    // Thrown for most policies on most resources and never shown: without a stack trace, which costs more than the policy.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let signal: NotApplicableError;
    try {
        signal = new NotApplicableError(reason);
    } finally {
        Error.stackTraceLimit = limit;
    }
    throw signal;
}

/** The SDK's read-only view of the stack tags (server.js freezeMap). */
function frozenTags(tags: Record<string, string>): ReadonlyMap<string, string> {
    const map = new Map(Object.entries(tags));
    return Object.freeze({
        entries: map.entries.bind(map),
        forEach: map.forEach.bind(map),
        get: map.get.bind(map),
        has: map.has.bind(map),
        keys: map.keys.bind(map),
        size: map.size,
        values: map.values.bind(map),
        [Symbol.iterator]: map[Symbol.iterator].bind(map),
    }) as unknown as ReadonlyMap<string, string>;
}

/** The options the SDK builds from the engine's AnalyzerResourceOptions (as engine.ts sends them). */
function sdkOptions(opts: ResourceOptions | undefined) {
    return {
        protect: !!opts?.protect,
        ignoreChanges: opts?.ignoreChanges ?? [],
        aliases: opts?.aliases ?? [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: opts?.additionalSecretOutputs ?? [],
        ...(opts?.parent ? { parent: opts.parent } : {}),
    };
}

function isTypeOf(type: string, resourceClass: unknown): boolean {
    const pulumiType = getPulumiType(resourceClass);
    if (pulumiType) {
        return type === pulumiType;
    }
    const isInstance = (resourceClass as { isInstance?: unknown }).isInstance;
    return !!isInstance && typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function describe(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}

/** The pack, loaded once per process. */
interface LoadedPack {
    name: string;
    version: string;
    level: string;
    policies: Policy[];
    /** The policies as the pack's config guard knows them. */
    policyInfos: PolicyInfo[];
    deserialize: Deserialize;
    makeAnalyzeResponse: (ds: SdkDiagnostic[], notApplicable?: unknown[]) => any;
    makeAnalyzerInfo: (...args: unknown[]) => any;
    /** What the SDK's GetAnalyzerInfo response says, once worked out. */
    analyzerInfo?: AnalyzerInfo;
    PolicyNotApplicable: new () => { setPolicyName(n: string): void; setReason(r: string): void };
}

let loaded: LoadedPack | undefined;

function loadPack(packDir: string): LoadedPack {
    if (!loaded) {
        installSdkChanges();
        const deserialize = sdkModule("@pulumi/policy/deserialize");
        const protoutil = sdkModule("@pulumi/policy/protoutil");
        const pb = sdkModule("@pulumi/pulumi/proto/analyzer_pb");
        if (!deserialize || !protoutil || !pb) {
            throw new Error("@pulumi/policy is not installed where the pack can load it");
        }
        const pkg = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as { version?: string };
        loaded = {
            name: PACK_NAME,
            version: String(pkg.version),
            level: PACK_ARGS.enforcementLevel || "advisory",
            policies: PACK_ARGS.policies,
            policyInfos: policyInfos(definitions),
            // Looked up at each call: the pack's changes replace these functions on the module.
            deserialize: (struct, proxySecrets) => (deserialize.deserializeProperties as Deserialize)(struct, proxySecrets),
            makeAnalyzeResponse: (ds, notApplicable) => (protoutil.makeAnalyzeResponse as LoadedPack["makeAnalyzeResponse"])(ds, notApplicable),
            makeAnalyzerInfo: (...args) => (protoutil.makeAnalyzerInfo as LoadedPack["makeAnalyzerInfo"])(...args),
            PolicyNotApplicable: pb.PolicyNotApplicable as LoadedPack["PolicyNotApplicable"],
        };
    }
    return loaded;
}

/** Not a value a protobuf Struct carries (the SDK's conversion throws on it). */
class NotStructValue extends Error {}

/** A JSON value as it comes back from a protobuf Struct (google-protobuf's struct_pb): objects with their keys in sorted order. */
function throughStruct(value: unknown): unknown {
    if (value === null || typeof value === "string" || typeof value === "boolean" || typeof value === "number") {
        return value;
    }
    if (Array.isArray(value)) {
        return value.map(throughStruct);
    }
    if (typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(value).sort()) {
            out[k] = throughStruct((value as Record<string, unknown>)[k]);
        }
        return out;
    }
    throw new NotStructValue();
}

const PROTO_LEVELS = ["advisory", "mandatory", "remediate", "disabled"];
const PROTO_SEVERITIES = ["low", "medium", "high", "critical"];

/**
 * What the engine reads from the SDK's GetAnalyzerInfo response (protoutil makeAnalyzerInfo, read by
 * engine.ts analyzerInfoFrom), worked out without the protobuf round trip, which costs 0.4 s of every
 * scan process's start-up. A unit test proves it equal to the round trip for this pack; a policy
 * this doesn't know how to read (a level the SDK refuses, a schema a Struct can't carry) takes the
 * round trip itself.
 */
export function plainAnalyzerInfo(name: string, version: string, level: string, args: typeof PACK_ARGS): AnalyzerInfo | undefined {
    const policies: AnalyzerInfo["policies"] = [];
    for (const p of args.policies ?? []) {
        const enforcementLevel = p.enforcementLevel || level;
        if (!PROTO_LEVELS.includes(enforcementLevel)) {
            return undefined;
        }
        let configSchema: AnalyzerInfo["policies"][number]["configSchema"];
        if (p.configSchema) {
            try {
                configSchema = { properties: throughStruct(p.configSchema.properties ?? {}) as Record<string, never>, required: [...(p.configSchema.required ?? [])] };
            } catch (e) {
                if (e instanceof NotStructValue) {
                    return undefined;
                }
                throw e;
            }
        }
        const fw = p.framework;
        policies.push({
            name: p.name ?? "",
            displayName: p.displayName || "",
            description: p.description ?? "",
            enforcementLevel: enforcementLevel as AnalyzerInfo["policies"][number]["enforcementLevel"],
            severity: p.severity && PROTO_SEVERITIES.includes(p.severity) ? p.severity : undefined,
            tags: [...(p.tags ?? [])],
            remediationSteps: p.remediationSteps || "",
            framework: fw ? { name: fw.name || "", version: fw.version || "", reference: fw.reference || "", specification: fw.specification || "" } : undefined,
            configSchema,
        });
    }
    return { name, version, supportsConfig: true, policies, initialConfig: {} };
}

/** The pack's policies and initial config, as GetAnalyzerInfo gives them. */
export function localPolicies(packDir = PACK_DIR): AnalyzerInfo {
    const pack = loadPack(packDir);
    pack.analyzerInfo ??= plainAnalyzerInfo(pack.name, pack.version, pack.level, PACK_ARGS)
        ?? analyzerInfoFrom(pack.makeAnalyzerInfo(pack.name, pack.version, pack.level, PACK_ARGS, undefined));
    // Each caller gets its own copy.
    return structuredClone(pack.analyzerInfo);
}

/** The same through the SDK's own protobuf message (what plainAnalyzerInfo is tested against). */
export function sdkAnalyzerInfo(packDir = PACK_DIR): AnalyzerInfo {
    const pack = loadPack(packDir);
    return analyzerInfoFrom(pack.makeAnalyzerInfo(pack.name, pack.version, pack.level, PACK_ARGS, undefined));
}

/** The config as the pack's Configure reads it (config-guard.ts configOf): the wire's properties, without the level. */
function configGuardInput(config: Map<string, Record<string, unknown>>): Record<string, PolicyConfigEntry> {
    const entries: Record<string, PolicyConfigEntry> = {};
    for (const [name, c] of config) {
        const { enforcementLevel: _, ...properties } = c;
        entries[name] = { properties };
    }
    return entries;
}

/** Whether a run with this config can stay in this process: the engine's Remediate step runs only in the pack process. */
export function runsLocally(levels: Record<string, string>): boolean {
    return !Object.values(levels).includes("remediate");
}

/** What every run with one config in this process shares: worked out on the first run, kept for the next stacks of a scan. */
interface RunSetup {
    info: AnalyzerInfo;
    policyInfos: PolicyInfo[];
    /** Configure's properties as the wire carries them, plus the level. */
    config: Map<string, Record<string, unknown>>;
    levels: Record<string, Level>;
    problems: string[];
    levelOf(p: Policy): string;
    /** The policies that run on a type, with their levels, and those that skip it by type alone. */
    perType(type: string): { run: { policy: ResourceValidationPolicy; level: string }[]; skipped: string[] };
}

const setups = new Map<string, RunSetup>();

function runSetup(pack: LoadedPack, packDir: string, given: Record<string, PolicyConfigEntry>): RunSetup {
    const key = `${packDir}\u0000${JSON.stringify(given)}`;
    let setup = setups.get(key);
    if (setup) {
        return setup;
    }
    const info = localPolicies(packDir);
    const policyInfos = withEnforcementLevel(info.policies);
    const merged = reconcileConfig(policyInfos, info.initialConfig, given, `${info.name} ${info.version}`);
    // Configure, as the SDK stores it: the properties as the wire carries them, plus the level.
    const config = new Map<string, Record<string, unknown>>();
    for (const [name, entry] of merged) {
        config.set(name, { ...(toWireValue(entry.properties ?? {}) as Record<string, unknown>), enforcementLevel: entry.enforcementLevel ?? "advisory" });
    }
    // What the pack's Configure does besides storing the config (index.ts): refuse a config with
    // problems (policies/lib/config-guard.ts), with the error runOnPack turns the refusal into.
    const problems = strictConfigProblems(pack.policyInfos, configGuardInput(config)).sort();
    const levelOf = (p: Policy) => (config.get(p.name)?.enforcementLevel as string | undefined) || p.enforcementLevel || pack.level;
    const resourcePolicies = pack.policies.filter(p => isResourcePolicy(p)) as ResourceValidationPolicy[];
    const byType = new Map<string, ReturnType<RunSetup["perType"]>>();
    // The SDK's own skip for a single-type validation and the pack's answer to other types.
    const perType = (type: string) => {
        let entry = byType.get(type);
        if (!entry) {
            entry = { run: [], skipped: [] };
            for (const p of resourcePolicies) {
                const level = levelOf(p);
                if (level === "disabled") {
                    continue;
                }
                if (p.validateResource && !Array.isArray(p.validateResource)) {
                    const pulumiType = getPulumiType(p.validateResource);
                    const types = appliesTo(p.validateResource);
                    if (pulumiType && type !== pulumiType || types && !types.has(type)) {
                        entry.skipped.push(p.name);
                        continue;
                    }
                }
                entry.run.push({ policy: p, level: level === "remediate" ? "mandatory" : level });
            }
            byType.set(type, entry);
        }
        return entry;
    };
    setup = { info, policyInfos, config, levels: levelsOf(merged), problems, levelOf, perType };
    // A scan has one config; a long-lived process (tests) may use many.
    if (setups.size >= 16) {
        setups.clear();
    }
    setups.set(key, setup);
    return setup;
}

export type LocalRunOptions = Omit<RunOptions, "packDir" | "remediate"> & { packDir?: string };

/**
 * The engine's sequence (configure, each resource, then the stack) in this process. Returns undefined
 * when a policy is configured to remediate: that run needs the pack process (runOnPack).
 */
export async function runLocally(options: LocalRunOptions): Promise<RunResult | undefined> {
    const pack = loadPack(options.packDir ?? PACK_DIR);
    const setup = runSetup(pack, options.packDir ?? PACK_DIR, options.config ?? {});
    const { info, config, levels, perType } = setup;
    options.checkConfig?.(setup.policyInfos);
    if (!runsLocally(levels)) {
        return undefined;
    }
    if (setup.problems.length > 0) {
        throw configRefused(configureError(setup.problems).details);
    }
    for (const [name, c] of config) {
        recordConfiguredLevel(name, c.enforcementLevel as string);
    }
    const getConfig = (name: string) => () => {
        const c = config.get(name);
        if (!c) {
            return {};
        }
        const { enforcementLevel: _, ...properties } = c;
        return properties;
    };
    const levelOf = setup.levelOf;
    const stackTags = frozenTags(options.stack?.tags ?? {});
    const policyFrom = (p: Policy) => `policy '${p.name}' from policy pack '${pack.name}@v${pack.version}'`;
    const report = (p: Policy, enforcementLevel: string, ds: SdkDiagnostic[]) => (message: unknown, urn?: string) => {
        if (typeof message === "object" && message !== null) {
            const m = message as { name?: string; message?: string; description?: string; urn?: string; enforcementLevel?: string; severity?: string };
            ds.push({
                policyName: m.name || p.name, policyPackName: pack.name, policyPackVersion: pack.version,
                message: (m.message || m.description || p.description) as string, urn: m.urn,
                description: m.description || p.description, enforcementLevel: m.enforcementLevel || enforcementLevel, severity: m.severity || p.severity,
            });
        } else {
            ds.push({
                policyName: p.name, policyPackName: pack.name, policyPackVersion: pack.version,
                message: message ? `${p.description}\n${message}` : p.description, urn,
                description: p.description, enforcementLevel, severity: p.severity,
            });
        }
    };
    const cantRun = (p: Policy, e: Error): SdkDiagnostic => {
        const { name: _n, validateResource: _v, validateStack: _s, ...rest } = p as Policy & { validateResource?: unknown; validateStack?: unknown };
        return { ...(rest as object), policyName: p.name, policyPackName: pack.name, policyPackVersion: pack.version, message: `can't run ${policyFrom(p)} during preview: ${e.message}`, enforcementLevel: "advisory" } as SdkDiagnostic;
    };
    const notApplicableEntry = (list: unknown[] | undefined, policyName: string, reason?: string) => {
        const na = new pack.PolicyNotApplicable();
        na.setPolicyName(policyName);
        if (reason) {
            na.setReason(reason);
        }
        return [...(list ?? []), na];
    };
    const stackPolicies = pack.policies.filter(p => isStackPolicy(p)) as StackValidationPolicy[];
    const byType = options.notApplicableTypes === false ? undefined : new TypeNotApplicable();
    // A state export's resource has one object for its properties and its outputs: it is deserialized
    // once for the resource's checks and for the stack's (the SDK's result is the same value each time).
    const deserialized = new WeakMap<object, Record<string, unknown>>();
    const fromWire = (props: Record<string, unknown>): Record<string, unknown> => {
        let value = deserialized.get(props);
        if (!value) {
            value = unknownCheckingProxy(pack.deserialize({ toJavaScript: () => toWireValue(props) }, false)) as Record<string, unknown>;
            deserialized.set(props, value);
        }
        return value;
    };

    // Which policies run on a type depends only on the type and the config (runSetup keeps it for the
    // process); the policies that skip a type say so once per type and run.
    const typesSeen = new Set<string>();
    const policiesFor = (type: string) => {
        const forType = perType(type);
        if (byType && !typesSeen.has(type)) {
            typesSeen.add(type);
            for (const name of forType.skipped) {
                byType.add(name, type);
            }
        }
        return forType.run;
    };

    // A run that failed earlier in this process may have left deferred checks waiting for its end,
    // or resources held for AnalyzeStack.
    mergeDeferred([], true);
    clearHeld();
    runStarting();

    const analyze = async (r: EngineResource): Promise<{ diagnostics: Diagnostic[]; notApplicable: NotApplicable[] }> => {
        const ds: SdkDiagnostic[] = [];
        let notApplicable: unknown[] | undefined;
        let props: Record<string, unknown> | undefined;
        const type = r.type;
        for (const { policy: p, level: enforcementLevel } of policiesFor(type)) {
            if (!p.validateResource) {
                notApplicable = notApplicableEntry(notApplicable, p.name, "Policy does not implement validateResource");
                continue;
            }
            const reportViolation = report(p, enforcementLevel, ds);
            const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
            for (const validation of validations) {
                try {
                    props = props ?? fromWire(r.props);
                    const resourceProps = props;
                    const args = {
                        type, props: resourceProps, urn: r.urn, name: r.name, opts: sdkOptions(r.options), stackTags,
                        isType: (resourceClass: unknown) => isTypeOf(type, resourceClass),
                        asType: (resourceClass: unknown) => isTypeOf(type, resourceClass) ? resourceProps : undefined,
                        getConfig: getConfig(p.name),
                        notApplicable: throwNotApplicable,
                    };
                    const out = (validation as (a: unknown, r: unknown) => unknown)(args, reportViolation);
                    if (out && typeof (out as Promise<unknown>).then === "function") {
                        await out;
                    }
                } catch (e) {
                    if (e instanceof UnknownValueError) {
                        ds.push(cantRun(p, e as Error));
                    } else if (e instanceof NotApplicableError) {
                        if (e.reason !== undefined && isTypeNotApplicable(e.reason)) {
                            byType?.add(p.name, type);
                        } else {
                            notApplicable = notApplicableEntry(notApplicable, p.name, e.reason);
                        }
                    } else {
                        throw new Error(`Error validating resource with ${policyFrom(p)}: ${describe(e)}`);
                    }
                }
            }
        }
        const res = pack.makeAnalyzeResponse(ds, notApplicable);
        return { diagnostics: convertDiagnostics(res.getDiagnosticsList(), "resource", r.urn), notApplicable: convertNotApplicable(res.getNotApplicableList(), r.urn) };
    };

    const diagnostics: Diagnostic[] = [];
    const notApplicable: NotApplicable[] = [];
    const total = options.resources.length;
    for (let i = 0; i < total; i++) {
        const result = await analyze(options.resources[i]);
        diagnostics.push(...result.diagnostics);
        notApplicable.push(...result.notApplicable);
        options.onProgress?.(i + 1, total);
        if (i % 100 === 99) {
            // Let output (progress, a parent's messages, other workers asking for their next stack) through on a long stack.
            await new Promise(resolve => setImmediate(resolve));
        }
    }

    const stack = await analyzeStack(options.resources, stackPolicies, {
        levelOf, report, cantRun, notApplicableEntry, getConfig, stackTags, fromWire, policyFrom,
        makeAnalyzeResponse: pack.makeAnalyzeResponse,
    });
    diagnostics.push(...stack.diagnostics);
    notApplicable.push(...stack.notApplicable);
    return { pack: { name: info.name, version: info.version }, policies: [...info.policies], diagnostics, notApplicable, remediations: [], levels: { ...levels }, ...(byType ? { notApplicableTypes: byType.toRecord() } : {}) };
}

interface StackContext {
    levelOf(p: Policy): string;
    report(p: Policy, level: string, ds: SdkDiagnostic[]): (message: unknown, urn?: string) => void;
    cantRun(p: Policy, e: Error): SdkDiagnostic;
    notApplicableEntry(list: unknown[] | undefined, policyName: string, reason?: string): unknown[];
    getConfig(name: string): () => Record<string, unknown>;
    stackTags: ReadonlyMap<string, string>;
    fromWire(props: Record<string, unknown>): Record<string, unknown>;
    policyFrom(p: Policy): string;
    makeAnalyzeResponse: LoadedPack["makeAnalyzeResponse"];
}

/**
 * The stack's resources as the SDK hands them to a stack policy: outputs (inputs when absent), each
 * with its provider's inputs, parent, dependencies and the non-empty property dependencies the engine
 * sends. Built once for all stack policies; the pack shares its properties and proxies across them too.
 */
function policyResources(resources: EngineResource[], fromWire: StackContext["fromWire"]): PolicyResource[] {
    const byUrn = new Map(resources.map(r => [r.urn, r]));
    const providers = new Map<EngineResource, unknown>();
    const built = resources.map(r => {
        const type = r.type;
        const props = fromWire(r.outputs ?? r.props);
        const resource: Record<string, unknown> = {
            type, props, urn: r.urn, name: r.name, opts: sdkOptions(r.options),
            dependencies: [], propertyDependencies: {},
            isType: (resourceClass: unknown) => isTypeOf(type, resourceClass),
            asType: (resourceClass: unknown) => isTypeOf(type, resourceClass) ? props : undefined,
        };
        const provider = r.provider ? byUrn.get(r.provider) ?? byUrn.get(r.provider.slice(0, r.provider.lastIndexOf("::"))) : undefined;
        if (provider) {
            let p = providers.get(provider);
            if (!p) {
                p = { type: provider.type, props: fromWire(provider.props), urn: provider.urn, name: provider.name };
                providers.set(provider, p);
            }
            resource.provider = p;
        }
        return resource;
    });
    const builtByUrn = new Map(built.map(b => [b.urn as string, b]));
    resources.forEach((r, i) => {
        const b = built[i];
        const parent = r.parent ? builtByUrn.get(r.parent) : undefined;
        if (parent) {
            b.parent = parent;
        }
        b.dependencies = (r.dependencies ?? []).map(d => builtByUrn.get(d)).filter(d => d);
        const deps = b.propertyDependencies as Record<string, unknown[]>;
        for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
            if (urns.length > 0) {
                deps[k] = urns.map(d => builtByUrn.get(d)).filter(d => d);
            }
        }
    });
    return built as unknown as PolicyResource[];
}

async function analyzeStack(resources: EngineResource[], policies: StackValidationPolicy[], c: StackContext): Promise<{ diagnostics: Diagnostic[]; notApplicable: NotApplicable[] }> {
    const ds: SdkDiagnostic[] = [];
    let notApplicable: unknown[] | undefined;
    let built: PolicyResource[] | undefined;
    for (const p of policies) {
        let enforcementLevel = c.levelOf(p);
        if (enforcementLevel === "disabled") {
            continue;
        }
        if (enforcementLevel === "remediate") {
            enforcementLevel = "mandatory";
        }
        const pulumiType = getPulumiType(p.validateStack);
        if (pulumiType && !resources.some(r => r.type === pulumiType)) {
            notApplicable = c.notApplicableEntry(notApplicable, p.name, `Policy only applies to resources of type '${pulumiType}'`);
            continue;
        }
        const reportViolation = c.report(p, enforcementLevel, ds);
        try {
            built = built ?? policyResources(resources, c.fromWire);
            const args = { resources: built, getConfig: c.getConfig(p.name), stackTags: c.stackTags, notApplicable: throwNotApplicable };
            const out = (p.validateStack as (a: unknown, r: unknown) => unknown)(args, reportViolation);
            if (out && typeof (out as Promise<unknown>).then === "function") {
                await out;
            }
        } catch (e) {
            if (e instanceof UnknownValueError) {
                ds.push(c.cantRun(p, e as Error));
            } else if (e instanceof NotApplicableError) {
                notApplicable = c.notApplicableEntry(notApplicable, p.name, e.reason);
            } else {
                throw new Error(`Error validating resource with ${c.policyFrom(p)}: ${describe(e)}`);
            }
        }
    }
    built = undefined;
    const res = c.makeAnalyzeResponse(ds, notApplicable);
    return { diagnostics: convertDiagnostics(res.getDiagnosticsList(), "stack", ""), notApplicable: convertNotApplicable(res.getNotApplicableList(), "") };
}
