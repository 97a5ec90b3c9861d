// The service account a Google Cloud Function (gen 1 or gen 2) runs as.
import { defaultServiceAccount, serviceAccountEmail } from "../../gcp/common";
import { FUNCTION_V1 } from "../../gcp/functions";
import { isUnknown, knownString, Node, ResourceGraph } from "../../lib/graph";
import { quote } from "../../lib/values";
import type { OnUnknown } from "../core";
import { ACCOUNTS, fieldPath, read } from "./types";

// ---------------------------------------------------------------------------------------------
// Service accounts

/** Known emails of a service account: its email output, or accountId@project.iam.gserviceaccount.com. */
function emailsOf(account: Node): string[] {
    const out: string[] = [];
    const email = knownString(account.props.email);
    if (email) { out.push(email.toLowerCase()); }
    const member = knownString(account.props.member);
    if (member) { out.push(serviceAccountEmail(member)); }
    const id = knownString(account.props.accountId);
    const project = knownString(account.props.project);
    if (id && project) { out.push(`${id}@${project}.iam.gserviceaccount.com`.toLowerCase()); }
    return [...new Set(out)];
}

/** Service accounts in the stack with this email, as seen from `from` (an account whose project is not known matches by account id). */
export function accountsByEmail(g: ResourceGraph, from: Node, email: string): Node[] {
    return g.lookup(email.toLowerCase(), ACCOUNTS, from);
}

export interface Identity {
    fn: Node;
    /** e.g. "service account `orders-fn`" or "the Compute Engine default service account". */
    label: string;
    accounts: Node[];
    emails: Set<string>;
    /** Set when the function runs as a Google default service account. */
    defaultName?: string;
}

/** The service account a function (or Cloud Run service) runs as; undefined (after reporting the unknown) when it can't be told. */
export function functionIdentity(g: ResourceGraph, fn: Node, onUnknown: OnUnknown): Identity | undefined {
    const path = fieldPath(fn, "serviceAccount");
    const { value, unknownAt } = read(fn, path);
    const accountLabel = (a: Node) => `service account ${quote(a.name)}`;
    if (unknownAt !== undefined) {
        const accounts = g.deps(fn, path[0], ACCOUNTS);
        if (accounts.length === 0) {
            onUnknown(fn, unknownAt);
            return undefined;
        }
        return { fn, label: accountLabel(accounts[0]), accounts, emails: new Set(accounts.flatMap(emailsOf)) };
    }
    const given = knownString(value)?.trim();
    if (!given) {
        const defaultName = fn.type === FUNCTION_V1 ? "the App Engine default service account" : "the Compute Engine default service account";
        return { fn, label: defaultName, accounts: [], emails: new Set(), defaultName };
    }
    const email = serviceAccountEmail(given);
    const accounts = accountsByEmail(g, fn, email);
    const defaultName = defaultServiceAccount(email);
    return {
        fn,
        label: accounts.length > 0 ? accountLabel(accounts[0]) : defaultName ?? "its service account (not managed in this stack)",
        accounts,
        emails: new Set([email, ...accounts.flatMap(emailsOf)]),
        defaultName,
    };
}

/** The service account an IAM resource on a service account applies to: by dependency, or by its known id or email in the resource's scope. */
export function actedAccount(g: ResourceGraph, iam: Node, onUnknown: OnUnknown): { accounts: Node[]; email?: string } | undefined {
    const value = iam.props.serviceAccountId;
    if (isUnknown(value)) {
        const accounts = g.deps(iam, "serviceAccountId", ACCOUNTS);
        if (accounts.length === 0 && g.deps(iam, "serviceAccountId").length === 0) {
            onUnknown(iam, "serviceAccountId");
            return undefined;
        }
        return { accounts };
    }
    const known = knownString(value);
    if (!known) {
        return { accounts: [] };
    }
    const found = g.resolveValue(iam, "serviceAccountId", known, ACCOUNTS);
    if (found.undecided) {
        onUnknown(iam, "serviceAccountId", "ambiguous");
    }
    const email = serviceAccountEmail(known);
    return { accounts: found.nodes, email: email.includes("@") ? email : undefined };
}
