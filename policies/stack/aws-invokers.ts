// Services that call functions with a role of their own (a Step Functions state machine, an AppSync
// Lambda data source): the role should invoke the functions the service calls, not every function of
// the account. One meaning over every caller type and provider; the role's documents are read wherever
// they are declared (inline, RolePolicy, managed policy and its attachments), and the finding goes on
// the resource that carries the grant, once, naming every caller it serves.
import { Adapter, Field, field } from "../lib/view";
import { stackPolicy } from "../lib/define";
import { isUnknown, Node, ResourceGraph } from "../lib/graph";
import { resourceMatch, Statement, statementAllows } from "../lib/iam";
import { asString, quote, wordList } from "../lib/values";
import { PermissionSource, roleSources, sourceLabel } from "../model/aws";
import { OnUnknown } from "../model/core";
import { NATIVE_ROLE, ROLE } from "../aws/views";
import { NATIVE_STATE_MACHINE, STATE_MACHINE } from "../aws/stepfunctions";
import { DATA_SOURCE, NATIVE_DATA_SOURCE } from "../aws/appsync";

interface CallerView {
    role: Field;
    /** The caller in words, for messages. */
    what: string;
}

const lambdaDataSource: Adapter<CallerView> = {
    notKind: props => asString(props.type)?.trim().toUpperCase() === "AWS_LAMBDA" ? undefined : "not a Lambda data source",
    view: props => ({ role: field(props, "serviceRoleArn"), what: "Lambda data source" }),
};
const stateMachine: Adapter<CallerView> = { view: props => ({ role: field(props, "roleArn"), what: "state machine" }) };

export const CALLERS: Readonly<Record<string, Adapter<CallerView>>> = {
    [STATE_MACHINE]: stateMachine,
    [NATIVE_STATE_MACHINE]: stateMachine,
    [DATA_SOURCE]: lambdaDataSource,
    [NATIVE_DATA_SOURCE]: lambdaDataSource,
};

const ROLES = new Set([ROLE, NATIVE_ROLE]);
const PROBES = ["sg-probe-function", "Other_Probe_2"];

/**
 * Whether a Resource pattern covers every Lambda function (`*`, `arn:aws:lambda:*`,
 * `arn:aws:lambda:<region>:<account>:function:*`): it matches function names it can't have been
 * written for, in its own partition, region and account when it fixes them.
 */
export function coversEveryFunction(pattern: string): boolean {
    if (isUnknown(pattern)) {
        return false;
    }
    const seg = pattern.split(":");
    const fixed = (i: number, fallback: string) => seg[i] !== undefined && seg[i] !== "" && !/[*?]/.test(seg[i]) ? seg[i] : fallback;
    const prefix = `arn:${fixed(1, "aws")}:lambda:${fixed(3, "us-east-1")}:${fixed(4, "123456789012")}:function:`;
    return PROBES.every(name => resourceMatch(pattern, prefix + name));
}

/** The Resource of an Allow statement that lets it invoke every function, or undefined. */
function invokesEveryFunction(s: Statement): string | undefined {
    if (!statementAllows(s, "lambda:InvokeFunction")) {
        return undefined;
    }
    if (s.notResources.length > 0) {
        return "NotResource";
    }
    return s.resources.find(r => typeof r === "string" && coversEveryFunction(r));
}

/** One caller of functions whose role may invoke every function, and how. */
interface WideCaller {
    caller: Node;
    what: string;
    role: Node;
    source: PermissionSource;
    resource: string;
}

/** The callers in the stack whose role may invoke every function; a role still unknown is reported as waiting. */
function wideCallers(graph: ResourceGraph, unknown: OnUnknown): WideCaller[] {
    const out: WideCaller[] = [];
    for (const caller of graph.ofType(...Object.keys(CALLERS))) {
        const adapter = CALLERS[caller.type];
        if (isUnknown(caller.props.type) || adapter.notKind?.(caller.props) !== undefined) {
            continue;
        }
        const view = adapter.view(caller.props, caller.type);
        const roles = graph.refs(caller, view.role.where, ROLES);
        if (roles.length === 0 && isUnknown(caller.props[view.role.where])) {
            unknown(caller, view.role.where);
        }
        for (const role of roles) {
            for (const source of roleSources(graph, role, unknown)) {
                const resource = source.doc.statements.map(invokesEveryFunction).find(r => r !== undefined);
                if (resource !== undefined) {
                    out.push({ caller, what: view.what, role, source, resource });
                    break;
                }
            }
        }
    }
    return out;
}

export const invokerPolicies = [
    stackPolicy({
        name: "stack-aws-caller-role-any-function",
        description: "The role a Step Functions state machine or an AppSync Lambda data source calls functions with should invoke only those functions: lambda:InvokeFunction on every function lets a changed definition or resolver run any function of the account.",
        severity: "medium",
        threats: ["P2", "R5"],
        references: ["OWASP SAS-5"],
        remediation: "Scope the statement's Resource to the ARNs of the functions the state machine or data source calls (with \":*\" for their versions and aliases), instead of \"*\" or the AWSLambdaRole managed policy.",
        check: ({ graph, report, unknown }) => {
            // One line per resource that carries the grant (the role, its RolePolicy, policy or attachment), naming every caller it serves.
            const byCarrier = new Map<Node, WideCaller[]>();
            for (const wide of wideCallers(graph, unknown)) {
                const carrier = wide.source.carrier ?? wide.role;
                byCarrier.set(carrier, [...(byCarrier.get(carrier) ?? []), wide]);
            }
            for (const [carrier, list] of byCarrier) {
                const first = list[0];
                const callers = wordList([...new Set(list.map(w => `${w.what} ${quote(w.caller.name)}`))]);
                const on = first.resource === "NotResource" ? "every resource but those in NotResource" : quote(first.resource);
                report(carrier.resource, `${sourceLabel(first.source)} allows lambda:InvokeFunction on ${on}, so ${callers} may invoke every Lambda function through role ${quote(first.role.name)}; scope Resource to the functions ${list.length > 1 ? "they call" : "it calls"}.`);
            }
        },
    }),
];
