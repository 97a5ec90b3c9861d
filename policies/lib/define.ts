// The policy-definition layer: every policy in the pack is one declarative spec turned into an
// @pulumi/policy policy here, so metadata, default levels, config defaults, unknown handling and
// crash containment are written once.
import { proxyTarget } from "./values";
import {
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
    UnknownValueError,
    unknownCheckingProxy,
} from "@pulumi/policy";
import { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { Node, ResourceGraph } from "./graph";
import { applyExemptions, overrideLevel, ResourceIdentity, SHARED_CONFIG } from "./exemptions";
import { stackPolicyStarting } from "./response";
import { deferredMarker } from "./deferred";
import { redact, secretsOf } from "./redact";
import type { DeferredCause } from "./deferred";
import { holdForProvenance, redecideHeld } from "./redecide";
import { isTypeNotApplicable, OTHER_TYPES } from "./type-not-applicable";

/** Threat-model ids from the design notes: risks R1-R5 and practices P1-P7. */
export type ThreatId = "R1" | "R2" | "R3" | "R4" | "R5" | "P1" | "P2" | "P3" | "P4" | "P5" | "P6" | "P7";

export const THREATS: Record<ThreatId, string> = {
    R1: "event-data injection through untrusted triggers",
    R2: "weak or missing authentication of functions and their APIs",
    R3: "misconfiguration of new, fast-moving settings",
    R4: "critical data stored unencrypted or broadly accessible",
    R5: "execution-flow manipulation between linked functions",
    P1: "function-level security in front of functions",
    P2: "minimal roles per function",
    P3: "continuous testing",
    P4: "denial of service and denial of wallet: capped scaling",
    P5: "temporary credentials and secrets in a secret store",
    P6: "CI/CD with scanning and code signing",
    P7: "security results in the DevOps workflow",
};

export type Cloud = "aws" | "azure" | "gcp" | "stack" | "pack";

export interface ConfigProperty extends PolicyConfigJSONSchema {
    description: string;
}

export interface PolicyMeta {
    /** Stable kebab-case id, cloud first. Never changes once released. */
    name: string;
    /** What is checked and why, in one sentence. */
    description: string;
    severity: Severity;
    threats: ThreatId[];
    /** External references, e.g. "CIS AWS Foundations 1.16", "OWASP SAS-3". */
    references?: string[];
    /** What to do about a violation. */
    remediation: string;
    /** Overrides the level derived from severity. */
    enforcementLevel?: EnforcementLevel;
    /** Configurable values; each needs a description and (unless optional by nature) a default. */
    config?: Record<string, ConfigProperty>;
    /** Reports nothing of its own (the pack's merged line for deferred checks). */
    informational?: boolean;
    /**
     * Makes a resource policy opt-in: unless the boolean config property `flag` (declared in `config`
     * with default false) is true, every resource is not applicable, with the reason
     * "<what> is not required (set <flag> to true to check)".
     */
    optIn?: { flag: string; what: string };
    /**
     * The check reads unknown values through the provenance readers (policies/lib/provenance.ts): where
     * it waits in Analyze, it runs again at AnalyzeStack with the values' sources (redecide.ts).
     */
    provenance?: boolean;
}

export interface CheckContext<C> {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly config: C;
    readonly stackTags: ReadonlyMap<string, string>;
    /** Reports a violation at the policy's configured level. */
    report(message: string): void;
    /** Reports a finding that stays advisory whatever the policy's level (e.g. an upcoming deprecation). */
    warn(message: string): void;
    /** Declares the policy not applicable to this resource, with the reason shown to the user. */
    notApplicable(reason: string): never;
    /**
     * Runs one independent part of a check. If that part reads a value that is unknown during
     * preview, the remaining parts still run; the policy then ends with the SDK's "can't run during
     * preview" diagnostic instead of a pass.
     */
    part(fn: () => void): void;
}

export interface ResourceCheckContext<P, C> extends CheckContext<C> {
    readonly props: P;
    /**
     * The stack around this resource, for a verdict that depends on other resources (a function app's
     * App Service plan, the function an invoker grant names). Only a policy declared `withStack` may
     * call it, and before it reports anything. Analyze sees one resource: there the call ends the
     * check without a verdict, and the pack runs the check again in AnalyzeStack with the whole stack,
     * under the same policy name, level and exemptions.
     */
    stack(): LinkedStack;
}

export interface LinkedStack {
    readonly graph: ResourceGraph;
    /** This resource in the graph. */
    readonly node: Node;
    /** Records that a decisive value of another resource is unknown during preview (or can't decide, with a cause). */
    unknown(node: Node, property: string, cause?: DeferredCause): void;
}

export interface ResourcePolicySpec<P, C> extends PolicyMeta {
    /** Pulumi type tokens this policy inspects (checked against the SDKs by a test). */
    resourceTypes: readonly string[];
    /** The check may call `stack()`: resources whose verdict needs the stack are decided in AnalyzeStack. */
    withStack?: boolean;
    check(ctx: ResourceCheckContext<P, C>): void;
    /**
     * Returns the settings to change (a partial object, merged into the inputs), or undefined when
     * nothing needs fixing. Only for settings with one obviously right value.
     */
    remediate?(props: P, ctx: { readonly type: string; readonly config: C }): Record<string, unknown> | undefined;
}

export interface StackCheckContext<C> {
    readonly resources: PolicyResource[];
    /** The shared resource graph of this AnalyzeStack call (built on first use, then reused). */
    readonly graph: ResourceGraph;
    readonly config: C;
    readonly stackTags: ReadonlyMap<string, string>;
    /** Reports a violation on the given resource at the policy's configured level. */
    report(resource: { urn: string }, message: string): void;
    /** Reports a finding on the given resource that stays advisory whatever the policy's level. */
    warn(resource: { urn: string }, message: string): void;
    part(fn: () => void): void;
    /**
     * Records that a decisive value is unknown during preview: the policy still reports what it could
     * decide, then lists the check among those that wait instead of passing. With a cause, the value is
     * known but can't decide: it matches several resources nothing tells apart (`ambiguous`), or the
     * settings it needs aren't in the recorded state (`unrecorded`).
     */
    unknown(node: Node, property: string, cause?: DeferredCause): void;
}

export interface StackPolicySpec<C> extends PolicyMeta {
    check(ctx: StackCheckContext<C>): void;
}

export interface PolicyDefinition {
    readonly meta: PolicyMeta;
    readonly cloud: Cloud;
    readonly kind: "resource" | "stack";
    readonly resourceTypes: readonly string[];
    readonly defaultLevel: EnforcementLevel;
    readonly remediates: boolean;
    readonly policy: ResourceValidationPolicy | StackValidationPolicy;
}

export function levelForSeverity(severity: Severity): EnforcementLevel {
    return severity === "critical" || severity === "high" ? "mandatory" : "advisory";
}

function cloudOf(name: string): Cloud {
    const prefix = name.split("-")[0];
    if (prefix === "aws" || prefix === "azure" || prefix === "gcp" || prefix === "stack" || prefix === "pack") {
        return prefix;
    }
    throw new Error(`policy name ${name} must start with aws-, azure-, gcp-, stack- or pack-`);
}

function configSchemaOf(meta: PolicyMeta): PolicyConfigSchema {
    return { properties: { ...(meta.config ?? {}), ...SHARED_CONFIG } };
}

/** Config as the engine sent it, with the schema's defaults for anything the engine left out. */
function configWithDefaults<C>(meta: PolicyMeta, raw: Record<string, unknown>): C {
    const out: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries({ ...(meta.config ?? {}), ...SHARED_CONFIG })) {
        out[key] = raw[key] !== undefined ? raw[key] : schema.default;
    }
    return out as C & SharedConfig;
}

interface SharedConfig {
    exemptions?: unknown;
    labelExemptionReason?: unknown;
    levelOverrides?: unknown;
}

/** Config keys a policy doesn't know (e.g. typos), reported once per policy and config per process. */
const warnedConfigs = new Set<string>();
function unknownConfigKeys(meta: PolicyMeta, raw: Record<string, unknown>): string[] {
    const known = { ...(meta.config ?? {}), ...SHARED_CONFIG };
    const unknown = Object.keys(raw).filter(k => !(k in known) && k !== "enforcementLevel");
    if (unknown.length === 0) {
        return [];
    }
    const key = `${meta.name}:${unknown.join(",")}`;
    if (warnedConfigs.has(key)) {
        return [];
    }
    warnedConfigs.add(key);
    return unknown;
}

function stackName(): string | undefined {
    return process.env.PULUMI_STACK || process.env.PULUMI_NODEJS_STACK || undefined;
}

/** The level a policy's levelOverrides set on this stack; the stack's name (from the environment, slow to read) only when there are some. */
function levelOverride(overrides: unknown, stackTags: ReadonlyMap<string, string>) {
    return Array.isArray(overrides) && overrides.length > 0 ? overrideLevel(overrides, stackTags, stackName()) : undefined;
}

/**
 * @pulumi/policy 1.21 encodes an AssetArchive in remediated properties as the list of its file names,
 * which the engine rejects ("unexpected archive contents"), failing the whole preview. A resource that
 * carries one (a Lambda's inline `code`, a function's source archive) is therefore not remediated;
 * its validation still reports the setting at the remediate level's mandatory strength.
 */
function holdsAssetArchive(value: unknown, depth = 0): boolean {
    if (typeof value !== "object" || value === null || depth > 64) {
        return false;
    }
    const v = value as Record<string, unknown>;
    if (v.__pulumiArchive === true && "assets" in v) {
        return true;
    }
    return (Array.isArray(value) ? value : Object.values(v)).some(x => holdsAssetArchive(x, depth + 1));
}

function plainProps(props: unknown): Record<string, unknown> {
    const p = props as Record<string, unknown> | undefined;
    const target = proxyTarget(p);
    return typeof target === "object" && target !== null ? target : {};
}

/** Several findings of one policy on one resource as one line: each is a sentence, kept in the order found. */
export function joinFindings(messages: readonly string[]): string {
    if (messages.length === 1) {
        return messages[0];
    }
    return messages.map(m => (/[.!?]$/.test(m.trim()) ? m.trim() : `${m.trim()}.`)).join(" ");
}

/**
 * Routes a policy's findings on one resource: exempted ones are collected (and end as not-applicable
 * with the exemption's reason), the others are reported at the level in force on this stack, with
 * notes about expired or malformed exemptions.
 */
class FindingRouter {
    private applied: ReturnType<typeof applyExemptions> | undefined;
    readonly suppressed: string[] = [];
    /** Resources (URN, or "" for the resource under a resource policy) this policy already failed. */
    readonly failed = new Set<string>();
    /** Findings of the running check, per level and resource, until flush. */
    private readonly pending = new Map<string, { resource: ResourceIdentity; messages: string[]; advisoryOnly: boolean; urn?: string; secrets?: readonly string[] }>();

    constructor(
        private readonly meta: PolicyMeta,
        private readonly config: SharedConfig,
        private readonly level: EnforcementLevel | undefined,
        private readonly reportViolation: ReportViolation,
    ) {}

    exemptionFor(resource: ResourceIdentity) {
        return applyExemptions(this.meta.name, resource, this.config.exemptions, this.config.labelExemptionReason, new Date());
    }

    /**
     * Keeps a finding until the check ends: one policy reports one line per resource (and level), listing
     * every setting at fault, however many times the check called report.
     */
    collect(resource: ResourceIdentity, message: string, advisoryOnly: boolean, urn?: string, secrets?: readonly string[]): void {
        const key = `${advisoryOnly ? "advisory" : "level"}\u0000${urn ?? ""}`;
        const entry = this.pending.get(key);
        if (!entry) {
            this.pending.set(key, { resource, messages: [message], advisoryOnly, urn, secrets });
        } else if (!entry.messages.includes(message)) {
            entry.messages.push(message);
        }
    }

    /** Reports what the check collected, one line per resource and level. */
    flush(): void {
        for (const { resource, messages, advisoryOnly, urn, secrets } of this.pending.values()) {
            this.emit(resource, joinFindings(messages), advisoryOnly, urn, secrets);
        }
        this.pending.clear();
    }

    private emit(resource: ResourceIdentity, rawMessage: string, advisoryOnly: boolean, urn?: string, secrets?: readonly string[]): void {
        const message = redact(rawMessage, secrets ?? secretsOf(resource.props));
        const applied = urn === undefined
            ? (this.applied = this.applied ?? this.exemptionFor(resource))
            : this.exemptionFor(resource);
        if (applied.active) {
            if (urn === undefined) {
                this.suppressed.push(message);
            } else {
                (this.reportViolation as (m: unknown) => void)({
                    message: `${this.meta.description}\n${message.replace(/\.$/, "")} (not enforced: ${applied.active}).`,
                    enforcementLevel: "advisory",
                    urn,
                });
            }
            return;
        }
        if (!advisoryOnly) {
            this.failed.add(urn ?? "");
        }
        const text = applied.notes.length > 0 ? `${message.replace(/\.$/, "")} (${applied.notes.join("; ")}).` : message;
        const level = advisoryOnly ? "advisory" : this.level;
        if (level) {
            (this.reportViolation as (m: unknown) => void)({ message: `${this.meta.description}\n${text}`, enforcementLevel: level, urn });
        } else {
            this.reportViolation(text, urn);
        }
    }

    /** The not-applicable reason for an exempted resource, when findings were suppressed. */
    exemptedReason(): string | undefined {
        if (this.suppressed.length === 0 || !this.applied?.active) {
            return undefined;
        }
        const more = this.suppressed.length > 1 ? ` and ${this.suppressed.length - 1} more` : "";
        return `${this.applied.active}; finding not enforced: ${this.suppressed[0]}${more}`;
    }
}

function warnUnknownConfig(meta: PolicyMeta, raw: Record<string, unknown>, report: ReportViolation): void {
    const unknown = unknownConfigKeys(meta, raw);
    if (unknown.length > 0) {
        (report as (m: unknown) => void)({
            message: `${meta.description}\nconfiguration of ${meta.name} has unknown ${unknown.length === 1 ? "property" : "properties"} ${unknown.map(k => "`" + k + "`").join(", ")}, which ${unknown.length === 1 ? "is" : "are"} ignored; known: ${Object.keys({ ...(meta.config ?? {}), ...SHARED_CONFIG }).join(", ")}.`,
            enforcementLevel: "advisory",
        });
    }
}

function policyMetadata(meta: PolicyMeta) {
    const tags = [cloudOf(meta.name), ...meta.threats, ...(meta.references ?? [])];
    return {
        name: meta.name,
        description: meta.description,
        enforcementLevel: meta.enforcementLevel ?? levelForSeverity(meta.severity),
        severity: meta.severity,
        tags,
        remediationSteps: meta.remediation,
        framework: {
            name: "serverless-guard threat model",
            version: "1",
            reference: meta.threats.join(", "),
            specification: meta.threats.map(t => `${t}: ${THREATS[t]}`).join("; "),
        },
        configSchema: configSchemaOf(meta),
    };
}

/**
 * The unknown values a check met during preview, by resource (the URN, or "" for the resource under
 * a resource policy) and property path. They are reported as one "waiting" marker per resource, which
 * the pack merges across policies (see deferred.ts), instead of the SDK's line per policy.
 */
class PartRunner {
    readonly waiting = new Map<string, Waiting[]>();

    /** Records an unknown value; the SDK's error names the path (stack errors start with `type::name`). */
    record(e: UnknownValueError, urn = ""): void {
        const props = (e as UnknownValueError & { props?: unknown }).props;
        const path = Array.isArray(props) ? props.map(String).join(".") : "";
        this.add(urn, path);
    }

    add(urn: string, path: string, cause: DeferredCause = "unknown"): void {
        const list = this.waiting.get(urn);
        if (list) {
            list.push({ path, cause });
        } else {
            this.waiting.set(urn, [{ path, cause }]);
        }
    }

    run(fn: () => void, urn = ""): void {
        try {
            fn();
        } catch (e) {
            if (e instanceof UnknownValueError) {
                this.record(e, urn);
                return;
            }
            throw e;
        }
    }
}

/** A property a check couldn't decide on, and why. */
interface Waiting {
    path: string;
    cause: DeferredCause;
}

/** Reports one policy's markers on a resource, one per cause (always advisory; merged per resource later). */
function reportWaiting(report: ReportViolation, waits: Waiting[], urn: string | undefined, secrets: readonly string[]): void {
    for (const cause of new Set(waits.map(w => w.cause))) {
        const paths = waits.filter(w => w.cause === cause).map(w => w.path);
        (report as (m: unknown) => void)({ message: redact(deferredMarker(paths, cause), secrets), enforcementLevel: "advisory", urn });
    }
}

function isNotApplicable(e: unknown): boolean {
    // The SDK's not-applicable signal must reach the SDK unchanged.
    return e instanceof Error && e.constructor.name === "NotApplicableError";
}

/**
 * An unexpected exception inside a policy would fail the user's whole preview. It is reported as an
 * advisory finding instead, naming the policy and the error class but never the error text, which
 * may quote property values.
 */
function reportInternalError(report: ReportViolation, meta: PolicyMeta, e: unknown, urn?: string): void {
    const kind = e instanceof Error ? e.name : typeof e;
    const info = {
        message: `internal error (${kind}) while evaluating ${meta.name}; this resource was not checked by this policy. Please report it with the resource type.`,
        enforcementLevel: "advisory",
        urn,
    };
    (report as (m: unknown) => void)(info);
}

/**
 * Merges a remediation patch into the SDK's property proxy in place. Writing through the proxy keeps
 * unknown and secret values elsewhere in the inputs untouched; spreading them would read them.
 */
function applyPatch(target: Record<string, any>, patch: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(patch)) {
        const current = target[key];
        if (isPlainObject(value) && isPlainObject(current)) {
            applyPatch(current, value);
        } else {
            target[key] = value;
        }
    }
}

function isPlainObject(value: unknown): value is Record<string, any> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The SDK's not-applicable signal, thrown without capturing a stack trace (nothing reads it). The SDK
 * skips single-type policies for other resource types by itself, but calls every multi-type policy on
 * every resource, which then says "not applicable": a stack trace per policy and resource was pure
 * overhead on each Analyze call (see npm run bench).
 */
function notApplicableWithoutStack(args: ResourceValidationArgs, reason: string): never {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return args.notApplicable(reason);
    } finally {
        Error.stackTraceLimit = limit;
    }
}

/**
 * The same signal for a reason that never changes (a policy's answer to other resource types), made
 * once and thrown again on every call: the SDK only reads its reason, and building an error per
 * multi-type policy and resource was most of what an Analyze call cost beyond the SDK's own dispatch.
 */
function constantNotApplicable(reason: string): (args: ResourceValidationArgs) => never {
    let signal: unknown;
    return args => {
        if (signal === undefined) {
            try {
                notApplicableWithoutStack(args, reason);
            } catch (e) {
                signal = e;
            }
        }
        if (signal === undefined) {
            return args.notApplicable(reason);
        }
        throw signal;
    };
}

/** Whether an opt-in policy is off under this config; the flag must be a boolean config property defaulting to false. */
function optedOut(meta: PolicyMeta): (config: object) => boolean {
    if (!meta.optIn) {
        return () => false;
    }
    const { flag } = meta.optIn;
    const schema = meta.config?.[flag];
    if (schema?.type !== "boolean" || schema.default !== false) {
        throw new Error(`policy ${meta.name}: optIn flag ${flag} must be a boolean config property with default false`);
    }
    return config => (config as Record<string, unknown>)[flag] !== true;
}

const APPLIES_TO = Symbol("serverless-guard.applies-to");

/**
 * The resource types a validation of this pack inspects; it answers every other type with a
 * not-applicable reason that depends only on the type. Undefined for a function the pack didn't define.
 */
export function appliesTo(validateResource: unknown): ReadonlySet<string> | undefined {
    return typeof validateResource === "function" ? (validateResource as { [APPLIES_TO]?: ReadonlySet<string> })[APPLIES_TO] : undefined;
}

export { isTypeNotApplicable };

/** Thrown by `stack()` in Analyze: the verdict needs other resources of the stack. */
const DECIDED_WITH_STACK = Object.freeze({ decidedWithStack: true });
/** Ends one resource's check in AnalyzeStack without a verdict (not applicable, or decided in Analyze). */
const SKIP_RESOURCE = Object.freeze({ skipResource: true });

function needsStack(): never {
    throw DECIDED_WITH_STACK;
}

/**
 * AnalyzeStack's half of a `withStack` resource policy: for each resource of its types whose check
 * called `stack()` in Analyze (found by running the check again without the stack and without
 * reporting), runs the check with the stack and reports under the policy's own name.
 */
function stackHalf<P, C>(spec: ResourcePolicySpec<P, C>, types: ReadonlySet<string>, isOff: (config: object) => boolean) {
    const meta: PolicyMeta = spec;
    return (args: StackValidationArgs, reportViolation: ReportViolation) => {
        stackPolicyStarting();
        const config = configWithDefaults<C & SharedConfig>(meta, args.getConfig<Record<string, unknown>>());
        if (levelOverride(config.levelOverrides, args.stackTags) === "disabled" || isOff(config)) {
            return;
        }
        const level = levelOverride(config.levelOverrides, args.stackTags);
        const graph = ResourceGraph.of(args.resources);
        const router = new FindingRouter(meta, config, level, reportViolation);
        const parts = new PartRunner();
        const stackSecrets = () => graph.remember("redact:secrets", () => [...new Set(graph.nodes.flatMap(n => secretsOf(n.props)))]);
        const skip = (): never => {
            throw SKIP_RESOURCE;
        };
        for (const node of graph.nodes.filter(n => types.has(n.type))) {
            const base = {
                type: node.type, name: node.name, urn: node.urn, props: unknownCheckingProxy(node.props) as P, config,
                stackTags: args.stackTags, notApplicable: skip,
            };
            let deferred = false;
            try {
                spec.check({ ...base, report: () => undefined, warn: () => undefined, part: fn => parts.run(fn, "\u0000dry"), stack: needsStack });
            } catch (e) {
                deferred = e === DECIDED_WITH_STACK;
            }
            parts.waiting.delete("\u0000dry");
            if (!deferred) {
                continue;
            }
            const identity: ResourceIdentity = { urn: node.urn, name: node.name, type: node.type, props: node.props };
            const linked: LinkedStack = { graph, node, unknown: (n, property, cause) => parts.add(n.urn, property, cause) };
            try {
                spec.check({
                    ...base,
                    report: message => router.collect(identity, message, false, node.urn, stackSecrets()),
                    warn: message => router.collect(identity, message, true, node.urn, stackSecrets()),
                    part: fn => parts.run(fn, node.urn),
                    stack: () => linked,
                });
                router.flush();
            } catch (e) {
                router.flush();
                if (e instanceof UnknownValueError) {
                    parts.record(e, node.urn);
                } else if (e !== SKIP_RESOURCE && !isNotApplicable(e)) {
                    reportInternalError(reportViolation, meta, e, node.urn);
                }
            }
        }
        for (const [urn, paths] of parts.waiting) {
            const node = graph.node(urn);
            if (router.failed.has(urn) || (node && router.exemptionFor({ urn: node.urn, name: node.name, type: node.type, props: node.props }).active)) {
                continue;
            }
            reportWaiting(reportViolation, paths, urn, stackSecrets());
        }
    };
}

export function resourcePolicy<P = Record<string, any>, C = Record<string, never>>(
    spec: ResourcePolicySpec<P, C>,
): PolicyDefinition {
    const meta = spec;
    const types = new Set(spec.resourceTypes);
    const onlyType = spec.resourceTypes.length === 1 ? spec.resourceTypes[0] : undefined;
    const isOff = optedOut(meta);
    const offReason = meta.optIn && `${meta.optIn.what} is not required (set ${meta.optIn.flag} to true to check)`;

    const otherType = constantNotApplicable(`${OTHER_TYPES}${spec.resourceTypes.join(", ")}`);
    const validateResource = (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        if (!types.has(args.type)) {
            otherType(args);
        }
        const raw = args.getConfig<Record<string, unknown>>();
        warnUnknownConfig(meta, raw, reportViolation);
        const config = configWithDefaults<C & SharedConfig>(meta, raw);
        const level = levelOverride(config.levelOverrides, args.stackTags);
        if (level === "disabled") {
            args.notApplicable("disabled on this stack by levelOverrides");
        }
        if (isOff(config)) {
            notApplicableWithoutStack(args, offReason!);
        }
        const identity: ResourceIdentity = { urn: args.urn, name: args.name, type: args.type, props: plainProps(args.props) };
        const secrets = secretsOf(identity.props);
        const router = new FindingRouter(meta, config, level, reportViolation);
        const parts = new PartRunner();
        const ctx: ResourceCheckContext<P, C> = {
            type: args.type,
            name: args.name,
            urn: args.urn,
            props: args.props as P,
            config,
            stackTags: args.stackTags,
            report: (message: string) => router.collect(identity, message, false),
            warn: (message: string) => router.collect(identity, message, true),
            notApplicable: (reason: string) => args.notApplicable(redact(reason, secrets)),
            part: fn => parts.run(fn),
            stack: needsStack,
        };
        try {
            spec.check(ctx);
        } catch (e) {
            router.flush();
            if (e === DECIDED_WITH_STACK) {
                // No verdict here: AnalyzeStack decides with the resources this one links to.
                return;
            } else if (e instanceof UnknownValueError) {
                parts.record(e);
            } else if (isNotApplicable(e)) {
                throw e;
            } else {
                reportInternalError(reportViolation, meta, e);
                return;
            }
        }
        router.flush();
        const exempted = router.exemptedReason();
        if (exempted) {
            args.notApplicable(redact(exempted, secrets));
        }
        // A policy that already fails on this resource doesn't wait: an unknown can only add to it.
        const waiting = parts.waiting.get("");
        if (waiting && !router.failed.has("") && !router.exemptionFor(identity).active) {
            reportWaiting(reportViolation, waiting, args.urn, secrets);
            if (meta.provenance) {
                holdForProvenance(args.urn, { type: args.type, name: args.name, props: identity.props, stackTags: args.stackTags }, {
                    policy: meta.name, description: meta.description, severity: meta.severity,
                    defaultLevel: policy.enforcementLevel ?? "advisory", config: raw, validate: validateResource as never,
                });
            }
        }
    };
    if (onlyType) {
        // Lets the SDK skip other resource types without deserializing their properties.
        (validateResource as unknown as { __pulumiType: string }).__pulumiType = onlyType;
    }
    (validateResource as unknown as { [APPLIES_TO]: ReadonlySet<string> })[APPLIES_TO] = types;

    const policy: ResourceValidationPolicy = { ...policyMetadata(meta), validateResource };
    if (spec.withStack) {
        // The SDK runs a policy's validateStack in AnalyzeStack whenever it has one, also when it is a
        // resource policy (@pulumi/policy server.js dispatches on isResourcePolicy / isStackPolicy).
        (policy as ResourceValidationPolicy & StackValidationPolicy).validateStack = stackHalf(spec, types, isOff);
    }
    if (spec.remediate) {
        const remediate = spec.remediate;
        const remediateResource = (args: ResourceValidationArgs) => {
            if (!types.has(args.type)) {
                return undefined;
            }
            const config = configWithDefaults<C & SharedConfig>(meta, args.getConfig<Record<string, unknown>>());
            if (isOff(config)) {
                return undefined;
            }
            const identity: ResourceIdentity = { urn: args.urn, name: args.name, type: args.type, props: plainProps(args.props) };
            if (applyExemptions(meta.name, identity, config.exemptions, config.labelExemptionReason, new Date()).active) {
                return undefined;
            }
            if (holdsAssetArchive(identity.props)) {
                return undefined;
            }
            try {
                const patch = remediate(args.props as P, { type: args.type, config });
                if (!patch) {
                    return undefined;
                }
                applyPatch(args.props, patch);
                return args.props;
            } catch (e) {
                if (isNotApplicable(e)) {
                    throw e;
                }
                // An unknown value (or any surprise) leaves the resource as it is; validation reports it.
                return undefined;
            }
        };
        if (onlyType) {
            (remediateResource as unknown as { __pulumiType: string }).__pulumiType = onlyType;
        }
        policy.remediateResource = remediateResource;
    }
    return {
        meta,
        cloud: cloudOf(meta.name),
        kind: "resource",
        resourceTypes: spec.resourceTypes,
        defaultLevel: policy.enforcementLevel!,
        remediates: !!spec.remediate,
        policy,
    };
}

export function stackPolicy<C = Record<string, never>>(spec: StackPolicySpec<C>): PolicyDefinition {
    const meta = spec;
    const validateStack = (args: StackValidationArgs, reportViolation: ReportViolation) => {
        stackPolicyStarting();
        try {
            redecideHeld(args, reportViolation);
        } catch {
            // What can't be decided again stays in the merged line as it was.
        }
        const raw = args.getConfig<Record<string, unknown>>();
        warnUnknownConfig(meta, raw, reportViolation);
        const config = configWithDefaults<C & SharedConfig>(meta, raw);
        const level = levelOverride(config.levelOverrides, args.stackTags);
        if (level === "disabled") {
            args.notApplicable("disabled on this stack by levelOverrides");
        }
        const router = new FindingRouter(meta, config, level, reportViolation);
        const parts = new PartRunner();
        let graph: ResourceGraph | undefined;
        const stackSecrets = () => ctx.graph.remember("redact:secrets", () => [...new Set(ctx.graph.nodes.flatMap(n => secretsOf(n.props)))]);
        const collect = (resource: { urn: string }, message: string, advisoryOnly: boolean) => {
            const node = ctx.graph.node(resource.urn);
            const identity: ResourceIdentity = node
                ? { urn: node.urn, name: node.name, type: node.type, props: node.props }
                : { urn: resource.urn, name: resource.urn.split("::").pop() ?? "", type: "", props: {} };
            // A stack message may quote another resource's value: check it against the whole stack's secrets.
            router.collect(identity, message, advisoryOnly, resource.urn, stackSecrets());
        };
        const ctx: StackCheckContext<C> = {
            resources: args.resources,
            get graph() {
                graph = graph ?? ResourceGraph.of(args.resources);
                return graph;
            },
            config,
            stackTags: args.stackTags,
            report: (resource, message) => collect(resource, message, false),
            warn: (resource, message) => collect(resource, message, true),
            part: fn => parts.run(fn),
            unknown: (node, property, cause) => parts.add(node.urn, property, cause),
        };
        try {
            spec.check(ctx);
        } catch (e) {
            router.flush();
            if (e instanceof UnknownValueError) {
                parts.record(e);
            } else if (isNotApplicable(e)) {
                throw e;
            } else {
                reportInternalError(reportViolation, meta, e);
                return;
            }
        }
        router.flush();
        for (const [urn, paths] of parts.waiting) {
            if (router.failed.has(urn)) {
                continue;
            }
            const node = urn === "" ? undefined : ctx.graph.node(urn);
            if (node && router.exemptionFor({ urn: node.urn, name: node.name, type: node.type, props: node.props }).active) {
                continue;
            }
            reportWaiting(reportViolation, paths, urn === "" ? undefined : urn, stackSecrets());
        }
    };
    const policy: StackValidationPolicy = { ...policyMetadata(meta), validateStack };
    return {
        meta,
        cloud: cloudOf(meta.name),
        kind: "stack",
        resourceTypes: [],
        defaultLevel: policy.enforcementLevel!,
        remediates: false,
        policy,
    };
}
