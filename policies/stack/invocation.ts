// Who can invoke a function: every path that reaches it without authentication, across resources and
// clouds, and whether such a public function caps how far it scales.
import { stackPolicy } from "../lib/define";
import { Node, ResourceGraph } from "../lib/graph";
import { quote } from "../lib/values";
import { concurrencyCapped, OnUnknown, publicInvocationPaths as awsPaths } from "./aws";
import * as azure from "./azure";
import * as gcp from "./gcp";
import { cloudRunInstanceCap, cloudRunPublicPaths } from "./gcp-run";

interface Cap {
    /** Undefined when the decisive value is unknown during preview. */
    capped: boolean | undefined;
    /** The resource and property that hold the cap. */
    node: Node;
    property: string;
    /** What an uncapped function lacks, ending the message: "has no reserved concurrency, so ...". */
    missing: string;
}

interface PublicPath {
    /** The resource reported on: a Lambda function, an Azure function (WebAppFunction) or a Cloud Function. */
    fn: Node;
    path: string;
    cap(): Cap;
}

/** The instance cap of a Cloud Function or Cloud Run service, read by `read`. */
function instanceCap(fn: Node, read: (fn: Node) => { capped: boolean | undefined; property: string }): () => Cap {
    return () => {
        const { capped, property } = read(fn);
        return { capped, node: fn, property, missing: `has no instance cap (${property} unset or 0), so anyone can scale it to the platform limit` };
    };
}

/** Every unauthenticated path of every cloud, each with its cloud's scaling cap. */
function publicPaths(g: ResourceGraph, onUnknown: OnUnknown): PublicPath[] {
    return [
        ...awsPaths(g, onUnknown).map(p => ({
            ...p,
            cap: (): Cap => ({
                capped: concurrencyCapped(p.fn), node: p.fn, property: "reservedConcurrentExecutions",
                missing: "has no reserved concurrency, so anyone can scale it to the account limit",
            }),
        })),
        ...azure.publicInvocationPaths(g, onUnknown).map(p => ({
            fn: p.fn,
            path: p.path,
            cap: (): Cap => {
                const { capped, property } = azure.scaleCap(p.app);
                return {
                    capped, node: p.app, property,
                    missing: `its ${azure.appLabel(p.app)} has no scale-out limit (${property}), so anyone can scale it to the platform maximum`,
                };
            },
        })),
        ...gcp.publicInvocationPaths(g, onUnknown).map(p => ({ fn: p.fn, path: p.path, cap: instanceCap(p.fn, gcp.instanceCap) })),
        ...cloudRunPublicPaths(g, onUnknown).map(p => ({ fn: p.fn, path: p.path, cap: instanceCap(p.fn, cloudRunInstanceCap) })),
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

export const invocationPolicies = [
    stackPolicy({
        name: "stack-function-public-invocation",
        description: "A function must not be reachable without authentication through any path: a permission, URL, API route or invoker binding.",
        severity: "high",
        threats: ["R2", "P1"],
        references: ["OWASP SAS-2"],
        remediation: "Require authentication on the path named in the message (IAM auth or an API authorizer for Lambda, authLevel function or App Service authentication for Azure, an authenticated invoker for Google Cloud), or exempt the function if it is a deliberate public endpoint.",
        check: ({ graph, report, unknown }) => {
            for (const [fn, paths] of publicFunctions(publicPaths(graph, unknown))) {
                report(fn.resource, `function ${quote(fn.name)} can be invoked without authentication: ${paths.map(p => p.path).join("; ")}.`);
            }
        },
    }),

    stackPolicy({
        name: "stack-function-public-uncapped",
        description: "A publicly invocable function must cap its concurrency or instances, or anyone can run up the bill and starve other functions (denial of wallet).",
        severity: "critical",
        threats: ["P4", "R2"],
        remediation: "Set reserved concurrency (Lambda), a scale limit (Azure) or a maximum instance count (Google Cloud) on the function, or remove the public path.",
        check: ({ graph, report, unknown }) => {
            for (const [fn, paths] of publicFunctions(publicPaths(graph, unknown))) {
                const caps = paths.map(p => p.cap());
                const open = caps.find(c => c.capped === false);
                if (open) {
                    report(fn.resource, `function ${quote(fn.name)} is public (${paths[caps.indexOf(open)].path}) and ${open.missing}.`);
                } else {
                    caps.filter(c => c.capped === undefined).forEach(c => unknown(c.node, c.property));
                }
            }
        },
    }),
];
