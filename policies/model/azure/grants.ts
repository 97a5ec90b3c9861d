// An Azure function app's managed identities and the role assignments that reach them.
import { ROLE_ASSIGNMENT } from "../../azure/common";
import { CLASSIC_ROLE_ASSIGNMENT, ROLE_ASSIGNMENTS } from "../../azure/views";
import { isUnknown, knownString, Node, ResourceGraph } from "../../lib/graph";
import { asString, at, quote } from "../../lib/values";
import type { OnUnknown } from "../core";
import { IDENTITIES, KEY_VAULT_SECRET_READERS, PRINCIPALS, roleGuid } from "./types";

export interface Principal {
    /** The app itself (system-assigned identity) or a UserAssignedIdentity resource. */
    node: Node;
    label: string;
}

/** The managed identities of a function app; undefined when identity.type is unknown during preview. */
export function principalsOf(g: ResourceGraph, app: Node, onUnknown: OnUnknown): Principal[] | undefined {
    const identity = app.props.identity;
    const type = at(identity, "type");
    if (isUnknown(identity) || isUnknown(type)) {
        onUnknown(app, "identity");
        return undefined;
    }
    const kinds = (asString(type) ?? "").toLowerCase();
    const out: Principal[] = [];
    if (kinds.includes("systemassigned")) {
        out.push({ node: app, label: "its system-assigned identity" });
    }
    if (kinds.includes("userassigned")) {
        for (const uai of g.refs(app, "identity", IDENTITIES)) {
            out.push({ node: uai, label: `its user-assigned identity ${quote(uai.name)}` });
        }
    }
    return out;
}

/** The known principal id (object id) of an identity: an app's identity.principalId or a UAI's principalId. */
export function principalIdOf(node: Node): string | undefined {
    const id = IDENTITIES.has(node.type) ? node.props.principalId : at(node.props.identity, "principalId");
    return knownString(id)?.toLowerCase();
}

interface AssignmentIndex {
    byPrincipal: Map<string, Node[]>;
    /** Role assignments whose principal is unknown and not linked to any resource. */
    unresolved: Set<Node>;
}

/**
 * Role assignments by the identity they are granted to: linked by the propertyDependencies of
 * principalId, or by a known principalId equal to an app's or user-assigned identity's principal id.
 */
export function assignmentIndex(g: ResourceGraph): AssignmentIndex {
    return g.remember("azure:assignments", () => {
        const index: AssignmentIndex = { byPrincipal: new Map(), unresolved: new Set() };
        for (const ra of g.ofType(ROLE_ASSIGNMENT, CLASSIC_ROLE_ASSIGNMENT)) {
            const targets = g.refs(ra, "principalId", PRINCIPALS);
            if (targets.length === 0 && isUnknown(ra.props.principalId) && g.deps(ra, "principalId").length === 0) {
                index.unresolved.add(ra);
            }
            for (const t of targets) {
                const list = index.byPrincipal.get(t.urn) ?? [];
                list.push(ra);
                index.byPrincipal.set(t.urn, list);
            }
        }
        return index;
    });
}

export function assignmentsOf(g: ResourceGraph, principal: Node): Node[] {
    return assignmentIndex(g).byPrincipal.get(principal.urn) ?? [];
}

/** The role an assignment grants: a role definition id, or on classic Azure possibly a role name; `unknown` names the property unknown during preview. */
export type AssignedRole = { unknown: string } | { id?: string; name?: string };

export function assignedRole(ra: Node): AssignedRole {
    const view = ROLE_ASSIGNMENTS[ra.type].view(ra.props, ra.type);
    for (const f of [view.roleDefinitionName, view.roleDefinitionId]) {
        const value = f.read();
        if (isUnknown(value)) {
            return { unknown: f.where };
        }
        const text = asString(value)?.trim();
        if (text) {
            return f === view.roleDefinitionName ? { name: text } : { id: text };
        }
    }
    return {};
}

/** Whether an assigned role reads Key Vault secrets (by definition id, or by name on classic Azure). */
export function readsSecrets(role: AssignedRole): boolean {
    if ("unknown" in role) {
        return false;
    }
    if (role.name !== undefined) {
        const wanted = role.name.toLowerCase();
        return Object.values(KEY_VAULT_SECRET_READERS).some(n => n.toLowerCase() === wanted);
    }
    const guid = roleGuid(role.id ?? "");
    return !!guid && Object.prototype.hasOwnProperty.call(KEY_VAULT_SECRET_READERS, guid);
}

