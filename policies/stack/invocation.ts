// Who can invoke a function: every path that reaches it without authentication, across resources.
import { stackPolicy } from "../lib/define";
import { Node } from "../lib/graph";
import { quote } from "../lib/values";
import { concurrencyCapped, Path, publicInvocationPaths } from "./aws";

/** Public paths per function, in the order found. */
function publicFunctions(paths: Path[]): Map<Node, string[]> {
    const byFn = new Map<Node, string[]>();
    for (const p of paths) {
        const list = byFn.get(p.fn) ?? [];
        if (!list.includes(p.path)) {
            list.push(p.path);
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
        remediation: "Require authentication on the path named in the message (IAM auth, an API authorizer, platform auth or an authenticated invoker), or exempt the function if it is a deliberate public endpoint.",
        check: ({ graph, report, unknown }) => {
            for (const [fn, paths] of publicFunctions(publicInvocationPaths(graph, unknown))) {
                report(fn.resource, `function ${quote(fn.name)} can be invoked without authentication: ${paths.join("; ")}.`);
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
            for (const [fn, paths] of publicFunctions(publicInvocationPaths(graph, unknown))) {
                const capped = concurrencyCapped(fn);
                if (capped === undefined) {
                    unknown(fn, "reservedConcurrentExecutions");
                } else if (!capped) {
                    report(fn.resource, `function ${quote(fn.name)} is public (${paths[0]}) and has no reserved concurrency, so anyone can scale it to the account limit.`);
                }
            }
        },
    }),
];
