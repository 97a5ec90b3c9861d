// How a line names the compute it is about: a Cloud Run service or a container app is not a function.
import { CONTAINER_APP } from "../azure/containerapps";
import { CLOUD_RUN_SERVICES } from "../gcp/cloudrun";
import type { Node } from "../lib/graph";
import { quote } from "../lib/values";

const KINDS: ReadonlyMap<string, string> = new Map([
    ...CLOUD_RUN_SERVICES.map(t => [t, "Cloud Run service"] as const),
    [CONTAINER_APP, "container app"],
]);

/** "function `api`", "Cloud Run service `api`" or "container app `api`"; `otherwise` names the other kinds (e.g. "function app"). */
export function computeLabel(node: Node, otherwise = "function"): string {
    return `${KINDS.get(node.type) ?? otherwise} ${quote(node.name)}`;
}
