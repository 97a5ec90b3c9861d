// CloudFront distributions in front of functions (function URL and API Gateway origins, Lambda@Edge),
// on the classic provider and on AWS Cloud Control (aws-native), through one view per distribution:
// how viewers connect, how CloudFront reaches the origins, what filters and logs the requests, and the
// limits a function must keep to run at the edge.
import { Adapter, Adapters, Field, viewPolicy } from "../lib/view";
import { LinkedStack } from "../lib/define";
import { Node, ResourceGraph } from "../lib/graph";
import { asList, asNumber, asString, asStrings, at, Dict, isRecord, isSet, isUnknownValue, keysOf, quote, wordList } from "../lib/values";
import {
    CLOUDFRONT_SECURITY_POLICIES, CLOUDFRONT_WEAK_ORIGIN_PROTOCOLS, edgeEventKind, EdgeEvent, FUNCTION_FRONT_DOMAINS, LAMBDA_EDGE,
    LAMBDA_EDGE_MAX_EPHEMERAL_MB, S3_WEBSITE_DOMAIN,
} from "../data/aws-cloudfront";
import { FUNCTION, FUNCTION_URL, NATIVE_FUNCTION, NATIVE_URL } from "./views";

export const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";
export const NATIVE_DISTRIBUTION = "aws-native:cloudfront:Distribution";
export const LOG_DELIVERY_SOURCE = "aws:cloudwatch/logDeliverySource:LogDeliverySource";
export const NATIVE_LOG_DELIVERY_SOURCE = "aws-native:logs:DeliverySource";
export const NATIVE_FUNCTION_VERSION = "aws-native:lambda:Version";

/** Resources whose outputs make an origin domain a function's own front door (function URLs, API Gateway APIs, stages and domains). */
const FUNCTION_FRONT_TYPES = new Set([
    FUNCTION_URL, NATIVE_URL,
    "aws:apigateway/restApi:RestApi", "aws:apigateway/stage:Stage", "aws:apigateway/deployment:Deployment",
    "aws:apigatewayv2/api:Api", "aws:apigatewayv2/stage:Stage",
    "aws-native:apigateway:RestApi", "aws-native:apigateway:Stage", "aws-native:apigatewayv2:Api", "aws-native:apigatewayv2:Stage",
]);

/** A setting read from an object reached lazily (a list element), named by its full property path. */
function fieldIn(holder: () => unknown, key: string, where: string): Field {
    return {
        where,
        exists: true,
        read: () => {
            const h = holder();
            return isRecord(h) ? h[key] : undefined;
        },
        isSet: () => isSet(holder(), key),
        isUnknown: () => isUnknownValue(holder(), key),
        patch: () => undefined,
    };
}

/** The elements of a list property, each read only when asked for (enumerating reads the list, not its elements). */
function elements(list: () => unknown, where: string): { where: string; item: () => unknown }[] {
    const l = list();
    const count = Array.isArray(l) ? l.length : 0;
    return Array.from({ length: count }, (_, i) => ({ where: `${where}[${i}]`, item: () => (list() as unknown[])[i] }));
}

export interface EdgeAssociation {
    where: string;
    eventType: Field;
    arn: Field;
}

export interface Behavior {
    /** e.g. "defaultCacheBehavior" or "orderedCacheBehaviors[1]". */
    where: string;
    protocol: Field;
    targetOriginId: Field;
    /** Its Lambda@Edge associations. */
    edgeFunctions(): EdgeAssociation[];
}

export interface Origin {
    where: string;
    id: Field;
    domain: Field;
    /** Set for a custom origin (function URLs, API Gateway, load balancers, any HTTP server). */
    customConfig: Field;
    protocolPolicy: Field;
    sslProtocols: Field;
}

export interface DistributionView {
    /** The top-level properties that hold the behaviors and the origins, as the engine lists them in propertyDependencies. */
    behaviorProperties: string[];
    originsProperty: string;
    behaviors(): Behavior[];
    /** Where the behaviors, or a behavior's Lambda@Edge associations, are unknown as a whole (which functions run at the edge can't be told yet). */
    undecidedEdge(): string | undefined;
    origins(): Origin[];
    /** The member origin ids of an origin group, or undefined when no group has that id. */
    groupMembers(id: string): string[] | undefined;
    acmCertificateArn: Field;
    iamCertificateId: Field;
    minimumProtocolVersion: Field;
    webAclId: Field;
    loggingBucket: Field;
}

interface DistributionShape {
    /** Where the distribution's settings sit: top level (classic) or under distributionConfig (aws-native). */
    config?: string;
    orderedBehaviors: string;
    originId: string;
    lambdaArn: string;
    logging: string;
    /** The origin groups, each with its id and member origin ids. */
    groups(config: unknown): { id: unknown; members: unknown[] }[];
}

function distributionAdapter(shape: DistributionShape): Adapter<DistributionView> {
    return {
        view: props => {
            const cfg = (): unknown => shape.config ? props[shape.config] : props;
            const p = shape.config ? `${shape.config}.` : "";
            const top = (key: string, where = key) => fieldIn(cfg, key, `${p}${where}`);
            const nested = (path: string[]) => fieldIn(() => at(cfg(), ...path.slice(0, -1)), path[path.length - 1], `${p}${path.join(".")}`);
            const behavior = (where: string, item: () => unknown): Behavior => ({
                where,
                protocol: fieldIn(item, "viewerProtocolPolicy", `${where}.viewerProtocolPolicy`),
                targetOriginId: fieldIn(item, "targetOriginId", `${where}.targetOriginId`),
                edgeFunctions: () => elements(() => at(item(), "lambdaFunctionAssociations"), `${where}.lambdaFunctionAssociations`).map(e => ({
                    where: e.where,
                    eventType: fieldIn(e.item, "eventType", `${e.where}.eventType`),
                    arn: fieldIn(e.item, shape.lambdaArn, `${e.where}.${shape.lambdaArn}`),
                })),
            });
            return {
                behaviorProperties: shape.config ? [shape.config] : ["defaultCacheBehavior", shape.orderedBehaviors],
                originsProperty: shape.config ?? "origins",
                behaviors: () => {
                    const list: Behavior[] = [];
                    if (isSet(cfg(), "defaultCacheBehavior")) {
                        list.push(behavior(`${p}defaultCacheBehavior`, () => at(cfg(), "defaultCacheBehavior")));
                    }
                    for (const e of elements(() => at(cfg(), shape.orderedBehaviors), `${p}${shape.orderedBehaviors}`)) {
                        list.push(behavior(e.where, e.item));
                    }
                    return list;
                },
                undecidedEdge: () => {
                    if (shape.config && isUnknownValue(props, shape.config)) {
                        return shape.config;
                    }
                    const list = ["defaultCacheBehavior", shape.orderedBehaviors].find(k => isUnknownValue(cfg(), k));
                    if (list !== undefined) {
                        return `${p}${list}`;
                    }
                    const items = [
                        ...(isRecord(at(cfg(), "defaultCacheBehavior")) ? [{ where: `${p}defaultCacheBehavior`, item: () => at(cfg(), "defaultCacheBehavior") }] : []),
                        ...elements(() => at(cfg(), shape.orderedBehaviors), `${p}${shape.orderedBehaviors}`),
                    ];
                    const behavior = items.find(e => isUnknownValue(e.item(), "lambdaFunctionAssociations"));
                    return behavior ? `${behavior.where}.lambdaFunctionAssociations` : undefined;
                },
                origins: () => elements(() => at(cfg(), "origins"), `${p}origins`).map(e => ({
                    where: e.where,
                    id: fieldIn(e.item, shape.originId, `${e.where}.${shape.originId}`),
                    domain: fieldIn(e.item, "domainName", `${e.where}.domainName`),
                    customConfig: fieldIn(e.item, "customOriginConfig", `${e.where}.customOriginConfig`),
                    protocolPolicy: fieldIn(() => at(e.item(), "customOriginConfig"), "originProtocolPolicy", `${e.where}.customOriginConfig.originProtocolPolicy`),
                    sslProtocols: fieldIn(() => at(e.item(), "customOriginConfig"), "originSslProtocols", `${e.where}.customOriginConfig.originSslProtocols`),
                })),
                groupMembers: id => {
                    const group = shape.groups(cfg()).find(g => asString(g.id) === id);
                    return group ? group.members.map(m => asString(at(m, "originId"))).filter((m): m is string => m !== undefined) : undefined;
                },
                acmCertificateArn: nested(["viewerCertificate", "acmCertificateArn"]),
                iamCertificateId: nested(["viewerCertificate", "iamCertificateId"]),
                minimumProtocolVersion: nested(["viewerCertificate", "minimumProtocolVersion"]),
                webAclId: top("webAclId"),
                loggingBucket: nested([shape.logging, "bucket"]),
            };
        },
    };
}

export const DISTRIBUTIONS: Adapters<DistributionView> = {
    [DISTRIBUTION]: distributionAdapter({
        orderedBehaviors: "orderedCacheBehaviors", originId: "originId", lambdaArn: "lambdaArn", logging: "loggingConfig",
        groups: cfg => asList(at(cfg, "originGroups")).map(g => ({ id: at(g, "originId"), members: asList(at(g, "members")) })),
    }),
    [NATIVE_DISTRIBUTION]: distributionAdapter({
        config: "distributionConfig", orderedBehaviors: "cacheBehaviors", originId: "id", lambdaArn: "lambdaFunctionArn", logging: "logging",
        groups: cfg => asList(at(cfg, "originGroups", "items")).map(g => ({ id: at(g, "id"), members: asList(at(g, "members", "items")) })),
    }),
};

/** What a behavior sends requests to: a function (and how that is known), not a function, or origins whose domain is still unknown. */
type Fronting = { fn: string } | { undecided: Origin[] } | undefined;

/** The origins a behavior's targetOriginId names: one origin, or the members of an origin group. */
function targetOrigins(view: DistributionView, behavior: Behavior): Origin[] {
    const target = asString(behavior.targetOriginId.read());
    const origins = view.origins();
    const ids = target === undefined ? [] : (view.groupMembers(target) ?? [target]);
    return origins.filter(o => ids.includes(asString(o.id.read()) ?? "\u0000"));
}

/** Whether a behavior fronts a function: it runs a Lambda@Edge function, or its origin is a function URL or an API Gateway API. */
function frontingOf(view: DistributionView, behavior: Behavior): Fronting {
    if (behavior.edgeFunctions().length > 0) {
        return { fn: "it runs a Lambda@Edge function" };
    }
    const undecided: Origin[] = [];
    for (const origin of targetOrigins(view, behavior)) {
        if (origin.domain.isUnknown()) {
            if (origin.customConfig.isSet()) {
                undecided.push(origin);
            }
            continue;
        }
        const domain = asString(origin.domain.read()) ?? "";
        const front = FUNCTION_FRONT_DOMAINS.patterns.find(f => f.pattern.test(domain.trim()));
        if (front) {
            return { fn: `its origin ${quote(asString(origin.id.read()) ?? origin.where)} is ${front.what}` };
        }
    }
    return undecided.length > 0 ? { undecided } : undefined;
}

/**
 * Decides origins whose domain is computed by other resources from the origins' dependencies: when
 * the distribution's custom origins with an unknown domain are no more than the function URLs and API
 * Gateway resources they are computed from, each of them is a function's front door. Otherwise it
 * isn't shown, and the finding stays advisory.
 */
function frontedByDependencies(view: DistributionView, origins: Origin[], linked: LinkedStack): string | undefined {
    const fronts = linked.graph.deps(linked.node, view.originsProperty, FUNCTION_FRONT_TYPES);
    const unknownCustom = view.origins().filter(o => o.domain.isUnknown() && o.customConfig.isSet());
    if (fronts.length === 0 || unknownCustom.length > fronts.length) {
        return undefined;
    }
    const names = fronts.slice(0, 3).map(f => quote(f.name)).join(", ");
    return `its origin ${quote(asString(origins[0].id.read()) ?? origins[0].where)} is computed from ${names}, a function's front door`;
}

/** The highest index in the ordered security policies, -1 for a name CloudFront doesn't list. */
const policyRank = (name: string) => CLOUDFRONT_SECURITY_POLICIES.ordered.indexOf(name);

export const cloudFrontPolicies = [
    viewPolicy({
        name: "aws-cloudfront-viewer-https",
        description: "CloudFront cache behaviors in front of a function must not accept plain HTTP (viewerProtocolPolicy allow-all): requests, tokens and responses would cross the internet unencrypted.",
        severity: "high",
        threats: ["R2", "R4", "P1"],
        references: ["Checkov CKV_AWS_34", "AWS Security Hub CloudFront.3"],
        remediation: "Set viewerProtocolPolicy to \"redirect-to-https\" (or \"https-only\") on the default and every ordered cache behavior.",
        adapters: DISTRIBUTIONS,
        withStack: true,
        check: ({ view, report, warn, part, stack }) => {
            const open: { behavior: Behavior; fronting: Fronting }[] = [];
            for (const behavior of view.behaviors()) {
                part(() => {
                    if ((asString(behavior.protocol.read()) ?? "").trim().toLowerCase() === "allow-all") {
                        open.push({ behavior, fronting: frontingOf(view, behavior) });
                    }
                });
            }
            if (open.length === 0) {
                return;
            }
            const fronts: string[] = [];
            const others: string[] = [];
            for (const { behavior, fronting } of open) {
                let why = fronting && "fn" in fronting ? fronting.fn : undefined;
                if (fronting && "undecided" in fronting) {
                    why = frontedByDependencies(view, fronting.undecided, stack());
                }
                (why ? fronts : others).push(why ? `${behavior.protocol.where} (${why})` : behavior.protocol.where);
            }
            const fix = "set it to \"redirect-to-https\" or \"https-only\".";
            if (fronts.length > 0) {
                report(`${wordList([...fronts, ...others])} ${fronts.length + others.length > 1 ? "are" : "is"} "allow-all" in front of a function: requests and responses, tokens included, cross the internet in plain HTTP; ${fix}`);
            } else {
                warn(`${wordList(others)} ${others.length > 1 ? "are" : "is"} "allow-all": viewers may connect in plain HTTP; ${fix}`);
            }
        },
    }),

    viewPolicy({
        name: "aws-cloudfront-origin-https",
        description: "CloudFront should reach custom origins over HTTPS with TLS: an http-only origin policy or SSLv3 sends every request and response between the edge and the origin in clear text or over a broken protocol.",
        severity: "medium",
        threats: ["R4", "P1"],
        references: ["AWS Security Hub CloudFront.9", "AWS Security Hub CloudFront.10"],
        remediation: "Set customOriginConfig.originProtocolPolicy to \"https-only\" and originSslProtocols to [\"TLSv1.2\"].",
        adapters: DISTRIBUTIONS,
        check: ({ view, report, part }) => {
            const faults: string[] = [];
            for (const origin of view.origins()) {
                part(() => {
                    if (!origin.customConfig.isSet() || origin.customConfig.isUnknown()) {
                        return;
                    }
                    if ((asString(origin.protocolPolicy.read()) ?? "").trim().toLowerCase() === "http-only") {
                        // An S3 website endpoint only speaks HTTP: that is the design, served better by an S3 origin with origin access control.
                        if (origin.domain.isUnknown() || !S3_WEBSITE_DOMAIN.test((asString(origin.domain.read()) ?? "").trim())) {
                            faults.push(`${origin.protocolPolicy.where} is "http-only"`);
                        }
                    }
                    const weak = asStrings(origin.sslProtocols.read()).filter(s => CLOUDFRONT_WEAK_ORIGIN_PROTOCOLS.includes(s.trim()));
                    if (weak.length > 0) {
                        faults.push(`${origin.sslProtocols.where} includes ${weak.map(w => `"${w}"`).join(", ")}`);
                    }
                });
            }
            if (faults.length > 0) {
                report(`${wordList(faults)}: CloudFront may reach the origin unencrypted or over a broken protocol; use "https-only" with "TLSv1.2".`);
            }
        },
    }),

    viewPolicy<DistributionView, { minimumProtocolVersion: string }>({
        name: "aws-cloudfront-viewer-tls",
        description: "CloudFront distributions with their own certificate should refuse old TLS versions and weak ciphers: set a TLSv1.2_2021 (or newer) security policy.",
        severity: "medium",
        threats: ["R4", "R2"],
        references: ["Checkov CKV_AWS_174"],
        remediation: "Set viewerCertificate.minimumProtocolVersion to \"TLSv1.2_2021\" (or newer) and sslSupportMethod to \"sni-only\".",
        adapters: DISTRIBUTIONS,
        config: {
            minimumProtocolVersion: {
                type: "string", enum: CLOUDFRONT_SECURITY_POLICIES.ordered, default: "TLSv1.2_2021",
                description: "The oldest viewer security policy allowed.",
            },
        },
        check: ({ view, report, notApplicable, config }) => {
            if (!view.acmCertificateArn.isSet() && !view.iamCertificateId.isSet()) {
                notApplicable("the distribution uses the default *.cloudfront.net certificate, whose security policy CloudFront sets");
            }
            const floor = config.minimumProtocolVersion;
            const version = asString(view.minimumProtocolVersion.read())?.trim();
            if (version === undefined || version === "") {
                report(`${view.minimumProtocolVersion.where} is not set, so viewers may connect with TLS 1.0 ("TLSv1"); set it to "${floor}" or newer.`);
            } else if (policyRank(version) >= 0 && policyRank(version) < policyRank(floor)) {
                report(`${view.minimumProtocolVersion.where} is "${version}", older than "${floor}": it accepts ${policyRank(version) < policyRank("TLSv1.2_2018") ? "TLS versions before 1.2" : "weak TLS 1.2 ciphers"}; set it to "${floor}" or newer.`);
            }
        },
    }),

    viewPolicy({
        name: "aws-cloudfront-waf",
        description: "CloudFront distributions should have an AWS WAF web ACL, so that injection attempts, bots and floods are filtered at the edge before they reach the functions behind them.",
        severity: "low",
        threats: ["P1", "R1", "P4"],
        references: ["Checkov CKV_AWS_68", "AWS Security Hub CloudFront.6"],
        remediation: "Create an aws.wafv2.WebAcl with scope \"CLOUDFRONT\" (in us-east-1) with managed rule groups and a rate-based rule, and set webAclId to its ARN.",
        adapters: DISTRIBUTIONS,
        check: ({ view, report }) => {
            if (!view.webAclId.isSet()) {
                report(`${view.webAclId.where} is not set: no web ACL filters requests before they reach the origins; associate an AWS WAF web ACL (scope CLOUDFRONT).`);
            }
        },
    }),

    viewPolicy({
        name: "aws-cloudfront-logging",
        description: "CloudFront distributions should log requests (standard logs to S3, or log delivery to CloudWatch Logs, S3 or Firehose), so that who called the functions behind them can be traced.",
        severity: "low",
        threats: ["P7"],
        references: ["Checkov CKV_AWS_86", "AWS Security Hub CloudFront.5"],
        remediation: "Set loggingConfig.bucket (logging.bucket on aws-native), or deliver the distribution's ACCESS_LOGS with a CloudWatch log delivery source, destination and delivery.",
        adapters: DISTRIBUTIONS,
        withStack: true,
        check: ({ view, report, stack }) => {
            if (view.loggingBucket.isSet()) {
                return;
            }
            const { graph, node } = stack();
            if (graph.referrers(node, "resourceArn", [LOG_DELIVERY_SOURCE, NATIVE_LOG_DELIVERY_SOURCE]).length > 0) {
                return;
            }
            report(`${view.loggingBucket.where} is not set and no log delivery source in the stack reads the distribution: its requests are not logged.`);
        },
    }),
];

// Lambda@Edge: a function version associated with a cache behavior runs in CloudFront's Regions.

const FUNCTION_TYPES = new Set([FUNCTION, NATIVE_FUNCTION]);

interface EdgeFunctionView {
    timeout: Field;
    memorySize: Field;
    envVariables: Field;
    layers: Field;
    subnetIds: Field;
    ephemeralStorage: Field;
    packageType: Field;
}
const edgeFunctionAdapter: Adapter<EdgeFunctionView> = {
    view: props => {
        const f = (path: string[]) => fieldIn(() => path.length > 1 ? at(props, ...path.slice(0, -1)) : props, path[path.length - 1], path.join("."));
        return {
            timeout: f(["timeout"]), memorySize: f(["memorySize"]), envVariables: f(["environment", "variables"]), layers: f(["layers"]),
            subnetIds: f(["vpcConfig", "subnetIds"]), ephemeralStorage: f(["ephemeralStorage", "size"]), packageType: f(["packageType"]),
        };
    },
};
const EDGE_FUNCTIONS: Adapters<EdgeFunctionView> = { [FUNCTION]: edgeFunctionAdapter, [NATIVE_FUNCTION]: edgeFunctionAdapter };

/** Whether a number setting might exceed a limit: above it, or unknown during preview. */
const mayExceed = (f: Field, limit: number) => f.isUnknown() || (asNumber(f.read()) ?? 0) > limit;

/** One place a function may run as Lambda@Edge: an association naming it, or (undecided) a distribution depending on it whose associations are unknown. */
interface EdgeUse {
    distribution: Node;
    where: string;
    kind?: EdgeEvent;
    undecided?: boolean;
}

/** Where a function runs as Lambda@Edge: each association naming it (directly, by a version of it, or through a dependency), with its event kind. */
function edgeAssociations(linked: LinkedStack): EdgeUse[] {
    return edgeAssociationIndex(linked.graph).get(linked.node) ?? [];
}

/** Every distribution's Lambda@Edge associations, by the function they name: read once per stack, not once per function. */
function edgeAssociationIndex(graph: ResourceGraph): Map<Node, EdgeUse[]> {
    return graph.remember("cloudfront:edge-associations", () => {
        const byFunction = new Map<Node, EdgeUse[]>();
        const add = (fn: Node, entry: EdgeUse) => byFunction.set(fn, [...(byFunction.get(fn) ?? []), entry]);
        const targets = new Set([...FUNCTION_TYPES, NATIVE_FUNCTION_VERSION]);
        // A function node itself, or the functions a native function version is of.
        const functionsOf = (n: Node): Node[] => n.type === NATIVE_FUNCTION_VERSION ? graph.refs(n, "functionName", FUNCTION_TYPES)
            : FUNCTION_TYPES.has(n.type) ? [n] : [];
        for (const distribution of graph.ofType(DISTRIBUTION, NATIVE_DISTRIBUTION)) {
            const view = DISTRIBUTIONS[distribution.type].view(distribution.props, distribution.type);
            const dependedOn = new Set(view.behaviorProperties.flatMap(p => graph.deps(distribution, p).flatMap(functionsOf)));
            let undecided: string | undefined;
            try {
                undecided = dependedOn.size > 0 ? view.undecidedEdge() : undefined;
            } catch {
                // A shape that can't be read names no function.
            }
            if (undecided !== undefined) {
                // Behaviors or associations computed from the functions they depend on: whether they run one at the edge waits for them.
                dependedOn.forEach(fn => add(fn, { distribution, where: undecided!, undecided: true }));
            }
            for (const behavior of readBehaviors(view)) {
                const unknownArns = behavior.associations.filter(a => a.arn === undefined);
                for (const a of behavior.associations) {
                    const named = a.arn !== undefined ? new Set(graph.lookup(a.arn, targets, distribution).flatMap(functionsOf)) : new Set<Node>();
                    const fns = a.arn !== undefined ? named : dependedOn;
                    for (const fn of fns) {
                        // An unknown ARN is this function only when the behavior has no other unknown one; otherwise its event can't be told.
                        add(fn, { distribution, where: a.where, kind: named.has(fn) || unknownArns.length === 1 ? a.kind : undefined });
                    }
                }
            }
        }
        return byFunction;
    });
}

/** A distribution's Lambda@Edge associations as plain values (graph properties hold unknowns as sentinels, read without throwing). */
function readBehaviors(view: DistributionView): { associations: { where: string; arn?: string; kind?: EdgeEvent }[] }[] {
    const out: { associations: { where: string; arn?: string; kind?: EdgeEvent }[] }[] = [];
    let behaviors: Behavior[] = [];
    try {
        behaviors = view.behaviors();
    } catch {
        return out;
    }
    for (const b of behaviors) {
        try {
            out.push({
                associations: b.edgeFunctions().map(a => ({
                    where: a.where,
                    arn: a.arn.isUnknown() ? undefined : asString(a.arn.read()),
                    kind: a.eventType.isUnknown() ? undefined : edgeEventKind(asString(a.eventType.read()) ?? ""),
                })),
            });
        } catch {
            // A behavior whose associations are unknown as a whole names no function yet.
        }
    }
    return out;
}

export const lambdaEdgePolicies = [
    viewPolicy({
        name: "aws-lambda-edge-function-constraints",
        description: "A Lambda function associated with a CloudFront distribution (Lambda@Edge) must keep to the edge's limits: no environment variables, layers, VPC or container image, and the timeout and memory of its event type, or CloudFront refuses the association and the deployment fails.",
        severity: "medium",
        threats: ["R3"],
        references: ["Amazon CloudFront Developer Guide: Restrictions on Lambda@Edge"],
        remediation: "Remove environment variables (read configuration from the request, SSM Parameter Store or the code), layers and vpcConfig; keep timeout and memorySize within 5 s and 128 MB for viewer events (30 s and 10,240 MB for origin events).",
        adapters: EDGE_FUNCTIONS,
        withStack: true,
        check: ({ view, report, notApplicable, stack }) => {
            const limits = LAMBDA_EDGE.limits;
            const mayBreak = view.envVariables.isSet() || view.layers.isSet() || view.subnetIds.isSet() || view.packageType.isUnknown()
                || asString(view.packageType.read()) === "Image" || mayExceed(view.ephemeralStorage, LAMBDA_EDGE_MAX_EPHEMERAL_MB)
                || mayExceed(view.timeout, limits.viewer.timeoutSeconds) || mayExceed(view.memorySize, limits.viewer.memoryMb);
            if (!mayBreak) {
                return;
            }
            const linked = stack();
            const uses = edgeAssociations(linked);
            const associations = uses.filter(a => !a.undecided);
            if (associations.length === 0) {
                const waiting = uses.find(a => a.undecided);
                if (waiting) {
                    linked.unknown(waiting.distribution, waiting.where);
                    return;
                }
                notApplicable("no CloudFront distribution in the stack runs this function as Lambda@Edge");
            }
            const viewer = associations.find(a => a.kind === "viewer");
            const kind: EdgeEvent = viewer ? "viewer" : "origin";
            const max = limits[kind];
            const faults: string[] = [];
            if (keysOf(view.envVariables.read()).length > 0) {
                faults.push(`${view.envVariables.where} is set`);
            }
            if (asList(view.layers.read()).length > 0) {
                faults.push(`${view.layers.where} is set`);
            }
            if (asList(view.subnetIds.read()).length > 0) {
                faults.push(`${view.subnetIds.where} is set`);
            }
            if (asString(view.packageType.read()) === "Image") {
                faults.push(`${view.packageType.where} is "Image"`);
            }
            const storage = asNumber(view.ephemeralStorage.read());
            if (storage !== undefined && storage > LAMBDA_EDGE_MAX_EPHEMERAL_MB) {
                faults.push(`${view.ephemeralStorage.where} is ${storage} MB (at most ${LAMBDA_EDGE_MAX_EPHEMERAL_MB})`);
            }
            const timeout = asNumber(view.timeout.read());
            if (timeout !== undefined && timeout > max.timeoutSeconds) {
                faults.push(`${view.timeout.where} is ${timeout} s (at most ${max.timeoutSeconds} for ${kind} events)`);
            }
            const memory = asNumber(view.memorySize.read());
            if (memory !== undefined && memory > max.memoryMb) {
                faults.push(`${view.memorySize.where} is ${memory} MB (at most ${max.memoryMb} for ${kind} events)`);
            }
            if (faults.length > 0) {
                const at0 = viewer ?? associations[0];
                report(`the function runs as Lambda@Edge (distribution ${quote(at0.distribution.name)}, ${at0.where}) but ${wordList(faults)}: CloudFront refuses the association and the deployment fails; keep it within the edge's limits.`);
            }
        },
    }),
];
