// The engine side of the analyzer protocol: starts a compiled policy pack the way the Pulumi Node.js
// language host does (`node @pulumi/pulumi/cmd/run-policy-pack <engine> <pack>` in the pack's
// directory), then drives it over pulumirpc.Analyzer in the engine's call order. The README demo,
// the scanner and the protocol tests all run the pack through this one runner.
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { ConfigError, Level, LEVELS, PolicyConfigEntry, PolicyInfo, reconcileConfig } from "./config";
import { toWireValue } from "./wire";
import { isTypeNotApplicable } from "../policies/lib/type-not-applicable";

/* eslint-disable @typescript-eslint/no-var-requires */
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const fromPulumi = (id: string) => require(require.resolve(id, { paths: [pulumiDir] }));
// The protocol's modules, loaded on first use: a scan that runs the policies in its own process
// loads them only with @pulumi/policy, after it has started its workers (cli.js loads in a third of
// the time without them).
let protocolModules: { grpc: any; analyzerProto: any; analyzerRpc: any; structProto: any; emptyProto: any } | undefined;
function protocol() {
    return protocolModules ??= {
        grpc: fromPulumi("@grpc/grpc-js"),
        analyzerProto: fromPulumi("@pulumi/pulumi/proto/analyzer_pb"),
        analyzerRpc: fromPulumi("@pulumi/pulumi/proto/analyzer_grpc_pb"),
        structProto: fromPulumi("google-protobuf/google/protobuf/struct_pb"),
        emptyProto: fromPulumi("google-protobuf/google/protobuf/empty_pb"),
    };
}

const LEVEL_TO_PROTO: Record<Level, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };
const PROTO_TO_LEVEL: Record<number, Level> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };
const SEVERITIES: Record<number, string | undefined> = { 0: undefined, 1: "low", 2: "medium", 3: "high", 4: "critical" };

export interface ResourceOptions {
    protect?: boolean;
    ignoreChanges?: string[];
    aliases?: string[];
    additionalSecretOutputs?: string[];
    parent?: string;
}

/** One resource as the engine knows it. `props` use the wire encoding (secrets, unknown sentinels). */
export interface EngineResource {
    urn: string;
    type: string;
    name: string;
    props: Record<string, unknown>;
    /** Outputs after deployment, which AnalyzeStack sees; the inputs stand in when absent. */
    outputs?: Record<string, unknown>;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    options?: ResourceOptions;
    /** The resource's provider: state's `provider` reference (`<provider URN>::<id>`) or the provider's URN. */
    provider?: string;
    /** Where the program declared the resource (state's `sourcePosition`, e.g. `project:///index.ts#12,5`). Not sent to the pack. */
    sourcePosition?: string;
}

export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    message: string;
    enforcementLevel: Level;
    severity?: string;
    urn: string;
    /** "resource" for Analyze, "stack" for AnalyzeStack. */
    phase: "resource" | "stack";
}

export interface NotApplicable {
    policyName: string;
    reason: string;
    urn: string;
}

export interface Remediation {
    policyName: string;
    urn: string;
    description: string;
    properties?: Record<string, unknown>;
    diagnostic?: string;
}

export interface AnalyzerPolicy extends PolicyInfo {
    displayName: string;
    description: string;
    severity?: string;
    tags: string[];
    remediationSteps: string;
    framework?: { name: string; version: string; reference: string; specification: string };
}

export interface AnalyzerInfo {
    name: string;
    version: string;
    supportsConfig: boolean;
    policies: AnalyzerPolicy[];
    initialConfig: Record<string, PolicyConfigEntry>;
}

export class PackStartError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PackStartError";
    }
}

function promisify<Req, Res>(client: any, method: string, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
        client[method](request, (err: Error | null, res: Res) => err ? reject(err) : resolve(res));
    });
}

function toStruct(value: Record<string, unknown>): any {
    return protocol().structProto.Struct.fromJavaScript(toWireValue(value) as Record<string, unknown>);
}

function resourceOptions(opts: ResourceOptions | undefined): any {
    const o = new (protocol().analyzerProto.AnalyzerResourceOptions)();
    o.setProtect(!!opts?.protect);
    o.setIgnorechangesList(opts?.ignoreChanges ?? []);
    o.setAliasesList(opts?.aliases ?? []);
    o.setAdditionalsecretoutputsList(opts?.additionalSecretOutputs ?? []);
    o.setCustomtimeouts(new (protocol().analyzerProto.AnalyzerResourceOptions.CustomTimeouts)());
    if (opts?.parent) {
        o.setParent(opts.parent);
    }
    return o;
}

export function convertDiagnostics(list: any[], phase: "resource" | "stack", fallbackUrn: string): Diagnostic[] {
    return list.map(d => ({
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        policyPackVersion: d.getPolicypackversion(),
        description: d.getDescription(),
        message: d.getMessage(),
        enforcementLevel: PROTO_TO_LEVEL[d.getEnforcementlevel()] ?? "advisory",
        severity: SEVERITIES[d.getSeverity?.() ?? 0],
        urn: d.getUrn() || fallbackUrn,
        phase,
    }));
}

/**
 * One copy of each policy name and reason: every Analyze response lists most of the pack's policies
 * as not applicable, and a scan keeps those lists for every resource (the JUnit and JSON reports use
 * them), so a 10,000-resource export would otherwise hold a million copies of a hundred strings.
 */
const interned = new Map<string, string>();
const MAX_INTERNED = 20_000;

function intern(s: string): string {
    const known = interned.get(s);
    if (known !== undefined) {
        return known;
    }
    if (interned.size < MAX_INTERNED) {
        interned.set(s, s);
    }
    return s;
}

export function convertNotApplicable(list: any[], urn: string): NotApplicable[] {
    return list.map(n => ({ policyName: intern(n.getPolicyName()), reason: intern(n.getReason()), urn }));
}

/** The pack and its policies from a GetAnalyzerInfo response (`pulumirpc.AnalyzerInfo`). */
export function analyzerInfoFrom(res: any): AnalyzerInfo {
    const policies: AnalyzerPolicy[] = res.getPoliciesList().map((p: any) => {
        const schema = p.getConfigschema();
        const fw = p.getFramework();
        return {
            name: p.getName(),
            displayName: p.getDisplayname(),
            description: p.getDescription(),
            enforcementLevel: PROTO_TO_LEVEL[p.getEnforcementlevel()] ?? "advisory",
            severity: SEVERITIES[p.getSeverity()],
            tags: p.getTagsList(),
            remediationSteps: p.getRemediationSteps(),
            framework: fw ? { name: fw.getName(), version: fw.getVersion(), reference: fw.getReference(), specification: fw.getSpecification() } : undefined,
            configSchema: schema
                ? { properties: schema.getProperties()?.toJavaScript() ?? {}, required: schema.getRequiredList() }
                : undefined,
        };
    });
    const initialConfig: Record<string, PolicyConfigEntry> = {};
    res.getInitialconfigMap().forEach((v: any, k: string) => {
        initialConfig[k] = { enforcementLevel: PROTO_TO_LEVEL[v.getEnforcementlevel()], properties: v.getProperties()?.toJavaScript() };
    });
    return { name: res.getName(), version: res.getVersion(), supportsConfig: res.getSupportsconfig(), policies, initialConfig };
}

export interface StartOptions {
    /** Directory holding the compiled pack (PulumiPolicy.yaml, package.json, node_modules). */
    packDir: string;
    /** Extra environment for the pack process. */
    env?: NodeJS.ProcessEnv;
    /** How long to wait for the pack to print its port. */
    startTimeoutMs?: number;
}

/** A running policy pack and an Analyzer client connected to it. */
export class PolicyPackProcess {
    private constructor(private readonly child: ChildProcess, private readonly client: any, readonly stderr: () => string) {}

    static async start(options: StartOptions): Promise<PolicyPackProcess> {
        const packDir = path.resolve(options.packDir);
        let runPolicyPack: string;
        try {
            runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
        } catch {
            throw new PackStartError(`the policy pack's dependencies are not installed in ${packDir}: run npm install there`);
        }
        const child = spawn(process.execPath, [runPolicyPack, "127.0.0.1:0", "."], {
            cwd: packDir,
            env: { ...process.env, ...options.env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        child.stderr!.setEncoding("utf8");
        child.stderr!.on("data", chunk => { stderr = (stderr + chunk).slice(-20000); });
        const port = await new Promise<number>((resolve, reject) => {
            let stdout = "";
            const timer = setTimeout(() => {
                child.kill();
                reject(new PackStartError(`policy pack did not report a port within ${options.startTimeoutMs ?? 60000} ms\n${stderr}`));
            }, options.startTimeoutMs ?? 60000);
            child.stdout!.setEncoding("utf8");
            child.stdout!.on("data", chunk => {
                stdout += chunk;
                const line = stdout.split("\n")[0];
                if (stdout.includes("\n") && /^\d+$/.test(line.trim())) {
                    clearTimeout(timer);
                    resolve(Number(line.trim()));
                } else if (stdout.includes("\n")) {
                    clearTimeout(timer);
                    child.kill();
                    reject(new PackStartError(`policy pack printed an unexpected first line: ${line.slice(0, 200)}\n${stderr}`));
                }
            });
            child.on("exit", code => {
                clearTimeout(timer);
                reject(new PackStartError(`policy pack exited with code ${code} before it was ready\n${stderr.trim()}`));
            });
            child.on("error", err => {
                clearTimeout(timer);
                reject(new PackStartError(`could not start the policy pack: ${err.message}`));
            });
        });
        const client = new (protocol().analyzerRpc.AnalyzerClient)(`127.0.0.1:${port}`, protocol().grpc.credentials.createInsecure(), {
            "grpc.max_receive_message_length": 400 * 1024 * 1024,
            "grpc.max_send_message_length": 400 * 1024 * 1024,
        });
        return new PolicyPackProcess(child, client, () => stderr);
    }

    /** Handshake; the Node SDK answers UNIMPLEMENTED, which the engine accepts. Returns whether it was implemented. */
    async handshake(packDir: string): Promise<boolean> {
        const req = new (protocol().analyzerProto.AnalyzerHandshakeRequest)();
        req.setEngineAddress("127.0.0.1:0");
        req.setRootDirectory(packDir);
        req.setProgramDirectory(packDir);
        try {
            await promisify(this.client, "handshake", req);
            return true;
        } catch (e) {
            if ((e as { code?: number }).code === protocol().grpc.status.UNIMPLEMENTED) {
                return false;
            }
            throw e;
        }
    }

    async configureStack(stack: { stack?: string; project?: string; organization?: string; tags?: Record<string, string>; dryRun?: boolean }): Promise<void> {
        const req = new (protocol().analyzerProto.AnalyzerStackConfigureRequest)();
        req.setStack(stack.stack ?? "dev");
        req.setProject(stack.project ?? "project");
        req.setOrganization(stack.organization ?? "organization");
        req.setDryRun(stack.dryRun ?? true);
        const tags = req.getTagsMap();
        for (const [k, v] of Object.entries(stack.tags ?? {})) {
            tags.set(k, v);
        }
        await promisify(this.client, "configureStack", req);
    }

    async getPluginInfo(): Promise<{ version: string }> {
        const res: any = await promisify(this.client, "getPluginInfo", new (protocol().emptyProto.Empty)());
        return { version: res.getVersion() };
    }

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        return analyzerInfoFrom(await promisify(this.client, "getAnalyzerInfo", new (protocol().emptyProto.Empty)()));
    }

    async configure(config: Map<string, PolicyConfigEntry>): Promise<void> {
        const req = new (protocol().analyzerProto.ConfigureAnalyzerRequest)();
        const map = req.getPolicyconfigMap();
        for (const [name, entry] of config) {
            const pc = new (protocol().analyzerProto.PolicyConfig)();
            pc.setEnforcementlevel(LEVEL_TO_PROTO[entry.enforcementLevel ?? "advisory"]);
            pc.setProperties(toStruct(entry.properties ?? {}));
            map.set(name, pc);
        }
        await promisify(this.client, "configure", req);
    }

    private analyzeRequest(r: EngineResource): any {
        const req = new (protocol().analyzerProto.AnalyzeRequest)();
        req.setType(r.type);
        req.setUrn(r.urn);
        req.setName(r.name);
        req.setProperties(toStruct(r.props));
        req.setOptions(resourceOptions(r.options));
        return req;
    }

    async analyze(r: EngineResource): Promise<{ diagnostics: Diagnostic[]; notApplicable: NotApplicable[] }> {
        const res: any = await promisify(this.client, "analyze", this.analyzeRequest(r));
        return {
            diagnostics: convertDiagnostics(res.getDiagnosticsList(), "resource", r.urn),
            notApplicable: convertNotApplicable(res.getNotApplicableList(), r.urn),
        };
    }

    async remediate(r: EngineResource): Promise<Remediation[]> {
        const res: any = await promisify(this.client, "remediate", this.analyzeRequest(r));
        return res.getRemediationsList().map((m: any) => ({
            policyName: m.getPolicyname(),
            urn: r.urn,
            description: m.getDescription(),
            properties: m.getProperties()?.toJavaScript(),
            diagnostic: m.getDiagnostic() || undefined,
        }));
    }

    async analyzeStack(resources: EngineResource[]): Promise<{ diagnostics: Diagnostic[]; notApplicable: NotApplicable[] }> {
        const req = new (protocol().analyzerProto.AnalyzeStackRequest)();
        const byUrn = new Map(resources.map(r => [r.urn, r]));
        const providers = new Map<EngineResource, unknown>();
        req.setResourcesList(resources.map(r => {
            const ar = new (protocol().analyzerProto.AnalyzerResource)();
            ar.setType(r.type);
            ar.setUrn(r.urn);
            ar.setName(r.name);
            ar.setProperties(toStruct(r.outputs ?? r.props));
            ar.setOptions(resourceOptions(r.options));
            // Like the engine, send the provider's inputs (its region, project or subscription) with each resource.
            const provider = r.provider ? byUrn.get(r.provider) ?? byUrn.get(r.provider.slice(0, r.provider.lastIndexOf("::"))) : undefined;
            if (provider) {
                let message = providers.get(provider);
                if (!message) {
                    const m = new (protocol().analyzerProto.AnalyzerProviderResource)();
                    m.setType(provider.type);
                    m.setUrn(provider.urn);
                    m.setName(provider.name);
                    m.setProperties(toStruct(provider.props));
                    providers.set(provider, message = m);
                }
                ar.setProvider(message);
            }
            if (r.parent) {
                ar.setParent(r.parent);
            }
            ar.setDependenciesList(r.dependencies ?? []);
            const deps = ar.getPropertydependenciesMap();
            for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
                if (urns.length > 0) {
                    const pd = new (protocol().analyzerProto.AnalyzerPropertyDependencies)();
                    pd.setUrnsList(urns);
                    deps.set(k, pd);
                }
            }
            return ar;
        }));
        const res: any = await promisify(this.client, "analyzeStack", req);
        return {
            diagnostics: convertDiagnostics(res.getDiagnosticsList(), "stack", ""),
            notApplicable: convertNotApplicable(res.getNotApplicableList(), ""),
        };
    }

    async close(): Promise<void> {
        this.client.close();
        if (this.child.exitCode === null) {
            await new Promise<void>(resolve => {
                this.child.once("exit", () => resolve());
                this.child.kill();
            });
        }
    }
}

/** The schema the engine validates each policy's config against (it injects enforcementLevel). */
export function withEnforcementLevel(policies: AnalyzerPolicy[]): PolicyInfo[] {
    return policies.map(p => ({
        name: p.name,
        enforcementLevel: p.enforcementLevel,
        configSchema: {
            properties: { ...(p.configSchema?.properties ?? {}), enforcementLevel: { type: "string", enum: LEVELS } },
            required: p.configSchema?.required,
        },
    }));
}

export interface RunOptions {
    packDir: string;
    resources: EngineResource[];
    /** Parsed --policy-pack-config content. */
    config?: Record<string, PolicyConfigEntry>;
    stack?: { stack?: string; project?: string; organization?: string; tags?: Record<string, string> };
    /** Run Remediate before Analyze for each resource, as the engine does. */
    remediate?: boolean;
    /** Called after each resource, for progress reporting. */
    onProgress?: (done: number, total: number) => void;
    /** Called with the pack's policies before anything is analyzed; may throw a ConfigError to stop. */
    checkConfig?: (policies: PolicyInfo[]) => void;
    /** Whether the result lists the types each policy skipped (RunResult.notApplicableTypes; only JUnit's skipped checks need them). Yes unless false. */
    notApplicableTypes?: boolean;
}

export interface RunResult {
    pack: { name: string; version: string };
    policies: AnalyzerPolicy[];
    diagnostics: Diagnostic[];
    notApplicable: NotApplicable[];
    remediations: Remediation[];
    /** Each policy's enforcement level after the engine's config merge (what Configure sent). */
    levels: Record<string, Level>;
    /**
     * The resource types each resource policy answered "not applicable" for only because it inspects
     * other types (most policies, on most resources): kept as types instead of a `notApplicable`
     * entry per policy and resource, which on a large stack would be millions of lines saying nothing.
     */
    notApplicableTypes?: Record<string, string[]>;
}

/** Collects the type-only not-applicable answers of a run as policy -> resource types. */
export class TypeNotApplicable {
    private readonly byPolicy = new Map<string, Set<string>>();

    add(policyName: string, type: string): void {
        const types = this.byPolicy.get(policyName);
        if (types) {
            types.add(type);
        } else {
            this.byPolicy.set(policyName, new Set([type]));
        }
    }

    /** The answers that say something about the resource; the others are recorded by type. */
    keepInformative(list: NotApplicable[], type: string): NotApplicable[] {
        return list.filter(n => {
            if (isTypeNotApplicable(n.reason)) {
                this.add(n.policyName, type);
                return false;
            }
            return true;
        });
    }

    toRecord(): Record<string, string[]> {
        const out: Record<string, string[]> = {};
        for (const [policy, types] of [...this.byPolicy].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
            out[policy] = [...types].sort();
        }
        return out;
    }
}

/** Whether a policy was not applicable to a resource in a run (by its own answer, or by type). */
export function wasNotApplicable(result: RunResult, policyName: string, resource: { urn: string; type: string }, explicit?: Set<string>): boolean {
    if (result.notApplicableTypes?.[policyName]?.includes(resource.type)) {
        return true;
    }
    const key = `${policyName}\u0000${resource.urn}`;
    return explicit ? explicit.has(key) : result.notApplicable.some(n => n.policyName === policyName && n.urn === resource.urn);
}

/** Resources analyzed concurrently by runOnPack. */
const IN_FLIGHT = 8;

/** Runs a whole preview's worth of analyzer calls against a pack, in the engine's order. */
export async function runPolicyPack(options: RunOptions): Promise<RunResult> {
    const pack = await PolicyPackProcess.start({ packDir: options.packDir });
    try {
        await pack.handshake(path.resolve(options.packDir));
        return await runOnPack(pack, options);
    } finally {
        await pack.close();
    }
}

/** The error a scan ends with when the pack's Configure refuses the config: its first line, then one line per problem. */
export function configRefused(details: string): ConfigError {
    const [first, ...lines] = details.split("\n");
    return new ConfigError(first, lines.map(l => l.trim()));
}

/**
 * The engine's sequence on an already started pack: ConfigureStack, GetPluginInfo, GetAnalyzerInfo,
 * Configure (after the engine's config merge), Remediate and Analyze per resource, AnalyzeStack.
 */
export async function runOnPack(pack: PolicyPackProcess, options: Omit<RunOptions, "packDir">): Promise<RunResult> {
    await pack.configureStack(options.stack ?? {});
    await pack.getPluginInfo();
    const info = await pack.getAnalyzerInfo();
    const merged = reconcileConfig(withEnforcementLevel(info.policies), info.initialConfig, options.config ?? {}, `${info.name} ${info.version}`);
    options.checkConfig?.(withEnforcementLevel(info.policies));
    try {
        await pack.configure(merged);
    } catch (e) {
        // The pack refuses a config with problems the engine lets through (policies/lib/config-guard.ts).
        const details = (e as { code?: number; details?: string }).code === 3 ? (e as { details?: string }).details : undefined;
        if (details) {
            throw configRefused(details);
        }
        throw e;
    }
    const byType = new TypeNotApplicable();

    // Like the engine, which analyzes the steps of a preview as they run in parallel, keep several
    // resources in flight so the pack never waits on a round trip; results keep the input order.
    const perResource: { remediations: Remediation[]; analyzed: EngineResource; diagnostics: Diagnostic[]; notApplicable: NotApplicable[] }[] = [];
    let next = 0;
    let done = 0;
    let failed = false;
    const worker = async () => {
        while (next < options.resources.length && !failed) {
            const index = next++;
            let current = options.resources[index];
            const fixes: Remediation[] = [];
            try {
                if (options.remediate !== false) {
                    for (const fix of await pack.remediate(current)) {
                        fixes.push(fix);
                        if (fix.properties) {
                            current = { ...current, props: fix.properties };
                        }
                    }
                }
                const result = await pack.analyze(current);
                perResource[index] = { remediations: fixes, analyzed: current, diagnostics: result.diagnostics, notApplicable: byType.keepInformative(result.notApplicable, current.type) };
            } catch (e) {
                failed = true;
                throw e;
            }
            options.onProgress?.(++done, options.resources.length);
        }
    };
    await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, options.resources.length) }, worker));
    const diagnostics = perResource.flatMap(r => r.diagnostics);
    const notApplicable = perResource.flatMap(r => r.notApplicable);
    const remediations = perResource.flatMap(r => r.remediations);
    const analyzed = perResource.map(r => r.analyzed);
    const stackResult = await pack.analyzeStack(analyzed);
    diagnostics.push(...stackResult.diagnostics);
    notApplicable.push(...stackResult.notApplicable);
    return { pack: { name: info.name, version: info.version }, policies: info.policies, diagnostics, notApplicable, remediations, levels: levelsOf(merged), notApplicableTypes: byType.toRecord() };
}

/** Each policy's level after the config merge. */
export function levelsOf(merged: Map<string, PolicyConfigEntry>): Record<string, Level> {
    const levels: Record<string, Level> = {};
    for (const [name, entry] of merged) {
        levels[name] = entry.enforcementLevel ?? "advisory";
    }
    return levels;
}

export { ConfigError };
