// Who can invoke a function: every path that reaches it without authentication, across resources and
// clouds, and whether such a public function caps how far it scales. Each path knows the resource
// policy that already reports it (policies/lib/reported.ts): the public-invocation line is only for
// paths no resource policy reports, and the uncapped line is about the missing cap, on the resource
// that holds it, naming the public path and where that is reported.
import { stackPolicy } from "../lib/define";
import { Node, ResourceGraph } from "../lib/graph";
import { ReportedBy, reportedText, unreported } from "../lib/reported";
import { quote } from "../lib/values";
import { concurrencyCapped, publicInvocationPaths as awsPaths, Throttle } from "../model/aws";
import type { OnUnknown } from "../model/core";
import { computeLabel } from "../model/labels";
import * as azure from "../model/azure";
import * as gcp from "../model/gcp";
import { cloudRunInstanceCap, cloudRunPublicPaths } from "../model/gcp";
import { CLOUD_RUN_SERVICES } from "../gcp/cloudrun";

interface Cap {
    /** Undefined when the decisive value is unknown during preview. */
    capped: boolean | undefined;
    /** The resource and property that hold the cap: where the uncapped line goes. */
    node: Node;
    property: string;
    /** How the line names the cap's resource, e.g. "function `api`" or "function app `api`". */
    subject: string;
    /** What an uncapped one lacks: "has no reserved concurrency". */
    lacks: string;
    /** How far anyone can then scale it: "the account limit". */
    limit: string;
}

interface PublicPath {
    /** The function reached: a Lambda function, an Azure function (WebAppFunction), a Cloud Function or Cloud Run service. */
    fn: Node;
    path: string;
    reportedBy?: ReportedBy;
    cap(): Cap;
    /** A cap of the path itself (an API Gateway throttle on the route that reaches the function). */
    throttle?: () => Throttle;
    /** Public by a normal design (a CDN in front of the function), with what to do if it is not meant: its lines are advice. */
    byDesign?: string;
}

/** The instance cap of a Cloud Function or Cloud Run service, read by `read`. */
function instanceCap(fn: Node, read: (fn: Node) => { capped: boolean | undefined; property: string }): () => Cap {
    return () => {
        const { capped, property } = read(fn);
        return { capped, node: fn, property, subject: computeLabel(fn), lacks: "has no instance cap", limit: "the platform limit" };
    };
}

/** Every unauthenticated path of every cloud, each with its cloud's scaling cap. */
function publicPaths(g: ResourceGraph, onUnknown: OnUnknown): PublicPath[] {
    return [
        ...awsPaths(g, onUnknown).map(p => ({
            ...p,
            cap: (): Cap => ({
                capped: concurrencyCapped(p.fn), node: p.fn, property: "reservedConcurrentExecutions",
                subject: `function ${quote(p.fn.name)}`, lacks: "has no reserved concurrency", limit: "the account limit",
            }),
        })),
        ...[...azure.publicInvocationPaths(g, onUnknown), ...azure.apimPublicPaths(g, onUnknown), ...azure.containerAppPublicPaths(g, onUnknown)].map(p => ({
            fn: p.fn,
            path: p.path,
            reportedBy: p.reportedBy,
            byDesign: p.byDesign,
            cap: (): Cap => {
                const { capped, property } = azure.scaleCap(p.app);
                return { capped, node: p.app, property, subject: azure.appLabel(p.app), lacks: "has no scale-out limit", limit: "the platform maximum" };
            },
        })),
        ...gcp.publicInvocationPaths(g, onUnknown).map(p => ({ ...p, cap: instanceCap(p.fn, gcp.instanceCap) })),
        ...cloudRunPublicPaths(g, onUnknown).map(p => ({ ...p, cap: instanceCap(p.fn, cloudRunInstanceCap) })),
        ...gcp.gatewayPublicPaths(g, onUnknown).map(p => ({ ...p, cap: instanceCap(p.fn, CLOUD_RUN_SERVICES.includes(p.fn.type) ? cloudRunInstanceCap : gcp.instanceCap) })),
    ];
}

/** Public paths per function, in the order found. */
function publicFunctions(paths: PublicPath[]): Map<Node, PublicPath[]> {
    const byFn = new Map<Node, PublicPath[]>();
    for (const p of paths) {
        const list = byFn.get(p.fn) ?? [];
        if (!list.some(q => q.path === p.path)) {
            list.push(p);
        }
        byFn.set(p.fn, list);
    }
    return byFn;
}

/** A path in an uncapped line, with the function it reaches when that is not the capped resource, and the resource policy that reports it. */
function pathText(p: PublicPath, cap: Cap): string {
    const where = cap.node === p.fn ? "" : `${computeLabel(p.fn)}: `;
    return `${where}${p.path}${p.reportedBy ? ` (${reportedText(p.reportedBy)})` : ""}`;
}

const SHOWN_PATHS = 2;

export const invocationPolicies = [
    stackPolicy({
        name: "stack-function-public-invocation",
        description: "A function must not be reachable without authentication through any path: a permission, URL, API route or invoker binding.",
        severity: "high",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2"],
        remediation: "Require authentication on the path named in the message (IAM auth or an API authorizer for Lambda, authLevel function or App Service authentication for Azure, an authenticated invoker for Google Cloud), or exempt the function if it is a deliberate public endpoint.",
        // A path whose root cause a resource policy reports (the permission, URL, route, method, binding) is left to that line.
        // A path public by design (a CDN that authenticates no viewer in front of the function) is said as advice.
        check: ({ graph, report, warn, unknown }) => {
            for (const [fn, paths] of publicFunctions(unreported(publicPaths(graph, unknown)))) {
                const advice = [...new Set(paths.map(p => p.byDesign))];
                const line = `${computeLabel(fn)} can be invoked without authentication: ${paths.map(p => p.path).join("; ")}`;
                if (advice.every(a => a !== undefined)) {
                    warn(fn.resource, `${line}; ${advice.join("; ")}.`);
                } else {
                    report(fn.resource, `${line}.`);
                }
            }
        },
    }),

    stackPolicy({
        name: "stack-function-public-uncapped",
        description: "A publicly invocable function must cap its concurrency or instances (or be throttled on the route that reaches it), or anyone can run up the bill and starve other functions (denial of wallet).",
        severity: "critical",
        threats: ["P4", "R2"],
        remediation: "Set reserved concurrency (Lambda; or throttle the API Gateway route or method that reaches it), a scale limit (Azure) or a maximum instance count (Google Cloud) on the resource named in the message, or remove the public path.",
        // Mandatory only where a public path is reported nowhere else: where every path's missing
        // authentication already fails on its own resource, that line carries the fix, and this one
        // stays as advice about the cap (one root cause, one mandatory line). A path public by design
        // (a CDN in front of the function) leaves it advice too.
        check: ({ graph, report, warn, unknown }) => {
            // One line per resource holding the cap, listing the public paths that reach it uncapped.
            const open = new Map<Node, { cap: Cap; paths: PublicPath[] }>();
            for (const paths of publicFunctions(publicPaths(graph, unknown)).values()) {
                for (const p of paths) {
                    const cap = p.cap();
                    const throttle = cap.capped === true ? undefined : p.throttle?.();
                    if (cap.capped === true || throttle?.capped === true) {
                        continue;
                    }
                    if (cap.capped === undefined) {
                        unknown(cap.node, cap.property);
                    } else if (throttle?.capped === undefined && throttle?.at) {
                        unknown(throttle.at.node, throttle.at.property);
                    } else {
                        const entry = open.get(cap.node) ?? { cap, paths: [] };
                        entry.paths.push(p);
                        open.set(cap.node, entry);
                    }
                }
            }
            for (const { cap, paths } of open.values()) {
                const shown = paths.slice(0, SHOWN_PATHS).map(p => pathText(p, cap)).join("; ");
                const more = paths.length > SHOWN_PATHS ? `; and ${paths.length - SHOWN_PATHS} more` : "";
                const line = `${cap.subject} ${cap.lacks} (${cap.property}) and is public (${shown}${more}), so anyone can scale it to ${cap.limit}; cap it, or require authentication on that path.`;
                (paths.every(p => p.reportedBy || p.byDesign) ? warn : report)(cap.node.resource, line);
            }
        },
    }),
];
