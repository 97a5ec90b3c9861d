// The pack's own line for checks that wait for values unknown during preview. It checks nothing
// itself: the pack merges every policy's "waiting" marker on a resource into one line under this name
// (see policies/lib/deferred.ts), released in the AnalyzeStack call at the end of the run, where this
// policy runs. Disabling it hides the lines.
import { stackPolicy } from "../lib/define";
import { DEFERRED_DESCRIPTION, DEFERRED_POLICY, enterStackPhase } from "../lib/deferred";

export const packPolicies = [
    stackPolicy({
        name: DEFERRED_POLICY,
        description: DEFERRED_DESCRIPTION,
        severity: "low",
        threats: ["P3", "P7"],
        remediation: "Nothing to change: run `pulumi up` (where these checks run with real values and mandatory ones still block), or scan the deployed stack with `serverless-guard scan`.",
        enforcementLevel: "advisory",
        informational: true,
        check: () => enterStackPhase(),
    }),
];
