// Cloud Run services as function hosts in the resource graph: the paths by which anyone can invoke a
// service (its invoker IAM check disabled, or an invoker role for allUsers / allAuthenticatedUsers on
// its IAM resources) and whether it caps its instances. Gen-2 functions' own services are linked to
// their function by policies/stack/gcp.ts; these are the services a program declares itself.
import { CLOUD_RUN_FIELDS, CLOUD_RUN_SERVICES, CLOUD_RUN_V1, CLOUD_RUN_V2, INVOKER_IAM_DISABLED, showPath } from "../gcp/cloudrun";
import { FUNCTION_IAM_TYPES, FUNCTION_PUBLIC_ACCESS } from "../gcp/invoker-iam";
import { ReportedBy } from "../lib/reported";
import { isUnknown, knownString, Node, ResourceGraph } from "../lib/graph";
import { asBoolean, asNumber, asString, at, quote } from "../lib/values";
import type { OnUnknown } from "./aws";
import { broadGrants, cappedByDefault, INVOKE_ROLES } from "./gcp";

const SERVICES = new Set(CLOUD_RUN_SERVICES);
const className = (type: string) => type.slice(type.lastIndexOf(":") + 1);

/** The property of a Cloud Run IAM type that names its service. */
function serviceProperty(iamType: string): string | undefined {
    return iamType.startsWith("gcp:cloudrunv2/") ? "name" : iamType.startsWith("gcp:cloudrun/") ? "service" : undefined;
}

/** A nested value, or the first unknown on the way to it. */
function read(node: Node, path: readonly string[]): { value: unknown; unknown: boolean } {
    let current: unknown = node.props;
    for (const key of path) {
        if (isUnknown(current)) {
            return { value: current, unknown: true };
        }
        current = at(current, key);
    }
    return { value: current, unknown: isUnknown(current) };
}

/** Cloud Run services a Cloud Run IAM resource applies to: by dependency, or by the service's known name or id. */
function servicesOf(g: ResourceGraph, iam: Node, onUnknown: OnUnknown): Node[] {
    const property = serviceProperty(iam.type)!;
    const value = iam.props[property];
    if (isUnknown(value)) {
        const found = g.deps(iam, property, SERVICES);
        if (found.length === 0 && g.deps(iam, property).length === 0) {
            onUnknown(iam, property);
        }
        return found;
    }
    const known = knownString(value);
    if (!known) {
        return [];
    }
    // By name in the IAM resource's own project and region (see lib/identity): a service of the same name elsewhere is another service.
    const found = g.resolveValue(iam, property, known, new Set([iam.type.startsWith("gcp:cloudrunv2/") ? CLOUD_RUN_V2 : CLOUD_RUN_V1]));
    if (found.undecided) {
        onUnknown(iam, property, "ambiguous");
    }
    return found.nodes;
}

export interface RunPublicPath {
    fn: Node;
    path: string;
    reportedBy?: ReportedBy;
}

/** Every unauthenticated path to a Cloud Run service declared in the stack. */
export function cloudRunPublicPaths(g: ResourceGraph, onUnknown: OnUnknown): RunPublicPath[] {
    const out: RunPublicPath[] = [];
    for (const service of g.ofType(...CLOUD_RUN_SERVICES)) {
        const path = CLOUD_RUN_FIELDS[service.type].invokerIamDisabled!;
        const { value, unknown } = read(service, path);
        if (unknown) {
            onUnknown(service, showPath(path));
        } else if (asBoolean(value) === true) {
            out.push({ fn: service, path: `its ${showPath(path)} is true, so requests skip the IAM check`, reportedBy: { policy: INVOKER_IAM_DISABLED, node: service } });
        }
    }
    for (const iam of g.ofType(...FUNCTION_IAM_TYPES).filter(n => serviceProperty(n.type) !== undefined)) {
        const open = broadGrants(g, iam, INVOKE_ROLES, grant => grant.public, onUnknown);
        if (open.length > 0) {
            for (const service of servicesOf(g, iam, onUnknown)) {
                out.push({ fn: service, path: `${className(iam.type)} ${quote(iam.name)} ${open.join(" and ")}`, reportedBy: { policy: FUNCTION_PUBLIC_ACCESS, node: iam } });
            }
        }
    }
    return out;
}

/** Whether a Cloud Run service caps its instances (per revision, or service-wide on v2; unset, Cloud Run's default of 100), and where. */
export function cloudRunInstanceCap(service: Node): { capped: boolean | undefined; property: string } {
    const paths = [CLOUD_RUN_FIELDS[service.type].serviceMaxInstances, CLOUD_RUN_FIELDS[service.type].maxInstances]
        .filter((p): p is readonly string[] => p !== undefined);
    if (service.type === CLOUD_RUN_V2 && asString(at(service.props, "scaling", "scalingMode")) === "MANUAL") {
        return { capped: true, property: "scaling.scalingMode" };
    }
    for (const path of paths) {
        const { value, unknown } = read(service, path);
        if (unknown) {
            return { capped: undefined, property: showPath(path) };
        }
        const n = asNumber(value);
        if (n !== undefined && n > 0) {
            return { capped: true, property: showPath(path) };
        }
    }
    return { capped: cappedByDefault(service.type), property: showPath(paths[paths.length - 1]) };
}
