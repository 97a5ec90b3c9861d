// The data stores around a Google Cloud Function: event sources, its source bucket and image
// repository, their customer-managed keys, and the Secret Manager secrets it mounts.
import { BUCKET, REPOSITORY, SECRET, TOPIC } from "../../gcp/storage";
import { isUnknown, knownString, Node, ResourceGraph } from "../../lib/graph";
import { asList, at, isRecord, quote } from "../../lib/values";
import type { OnUnknown } from "../core";
import { triggerPaths } from "./triggers";
import { byName, fieldPath, GCP_FUNCTIONS, linked, read, set } from "./types";

// ---------------------------------------------------------------------------------------------
// Data paths and secrets

export interface GcpDataPath {
    fn: Node;
    store: Node;
    relation: string;
    via?: string;
}

/** Stores on a function's path: trigger buckets and topics, its source bucket and its image repository. */
export function dataPaths(g: ResourceGraph, onUnknown: OnUnknown): GcpDataPath[] {
    const out: GcpDataPath[] = triggerPaths(g, onUnknown).map(t => ({ fn: t.fn, store: t.source, relation: "is triggered by", via: t.via }));
    for (const fn of g.ofType(...GCP_FUNCTIONS)) {
        const source = fieldPath(fn, "sourceBucket");
        for (const store of linked(g, fn, source, [BUCKET], onUnknown)) {
            out.push({ fn, store, relation: "loads its source from", via: source.join(".") });
        }
        const repo = fieldPath(fn, "dockerRepository");
        for (const store of linked(g, fn, repo, [REPOSITORY], onUnknown)) {
            out.push({ fn, store, relation: "stores its image in", via: repo.join(".") });
        }
    }
    return out;
}

/** Whether a value is set; a value unknown during preview (a key created in the same program) counts as set. */
export function setAt(node: Node, path: readonly string[]): boolean {
    const { value, unknownAt } = read(node, path);
    return unknownAt !== undefined || (typeof value === "string" ? value.trim() !== "" : value !== undefined && value !== null);
}

/** The CMEK property a store lacks, or undefined when it is encrypted with a customer-managed key. */
export function missingCmek(store: Node): string | undefined {
    switch (store.type) {
        case BUCKET:
            return setAt(store, ["encryption", "defaultKmsKeyName"]) ? undefined : "encryption.defaultKmsKeyName";
        case TOPIC:
        case REPOSITORY:
            return setAt(store, ["kmsKeyName"]) ? undefined : "kmsKeyName";
        case SECRET: {
            if (isUnknown(store.props.replication)) {
                return undefined;
            }
            const replicas = at(store.props.replication, "userManaged", "replicas");
            if (isRecord(at(store.props.replication, "userManaged"))) {
                if (isUnknown(replicas)) {
                    return undefined;
                }
                const list = asList(replicas);
                const i = list.findIndex(r => !isUnknown(r) && !(isRecord(r) && (isUnknown(r.customerManagedEncryption) || knownOrUnknownSet(at(r, "customerManagedEncryption", "kmsKeyName")))));
                return i < 0 ? undefined : `replication.userManaged.replicas[${i}].customerManagedEncryption.kmsKeyName`;
            }
            return setAt(store, ["replication", "auto", "customerManagedEncryption", "kmsKeyName"]) ? undefined : "replication.auto.customerManagedEncryption.kmsKeyName";
        }
        default:
            return undefined;
    }
}

function knownOrUnknownSet(value: unknown): boolean {
    return isUnknown(value) || (typeof value === "string" && value.trim() !== "");
}

export interface SecretReference {
    fn: Node;
    secret: Node;
    /** e.g. "secretEnvironmentVariables DB_PASSWORD". */
    where: string;
}

/** Secret Manager secrets in the stack that functions expose as environment variables or volumes. */
export function secretReferences(g: ResourceGraph, onUnknown: OnUnknown): SecretReference[] {
    const out: SecretReference[] = [];
    for (const fn of g.ofType(...GCP_FUNCTIONS)) {
        const seen = new Set<Node>();
        for (const field of ["secretEnv", "secretVolumes"] as const) {
            const path = fieldPath(fn, field);
            const { value, unknownAt } = read(fn, path);
            if (unknownAt !== undefined) {
                const deps = g.deps(fn, path[0], set(SECRET));
                deps.filter(secret => !seen.has(secret)).forEach(secret => {
                    seen.add(secret);
                    out.push({ fn, secret, where: path.join(".") });
                });
                if (deps.length === 0 && g.deps(fn, path[0]).length === 0) {
                    onUnknown(fn, unknownAt);
                }
                continue;
            }
            asList(value).forEach((entry, i) => {
                // An environment variable's key is its name; a volume's mount path is a value, so only its index is shown.
                const key = field === "secretEnv" ? knownString(at(entry, "key")) : undefined;
                const where = key && /^[A-Za-z0-9_.-]{1,128}$/.test(key) ? `${path.join(".")} ${quote(key)}` : `${path.join(".")}[${i}]`;
                for (const secret of secretFromEntry(g, fn, path, entry, i, onUnknown)) {
                    if (!seen.has(secret)) {
                        seen.add(secret);
                        out.push({ fn, secret, where });
                    }
                }
            });
        }
    }
    return out;
}

/** The secret an entry names: by its known id or path, or through the list's propertyDependencies when unknown. */
function secretFromEntry(g: ResourceGraph, fn: Node, path: readonly string[], entry: unknown, i: number, onUnknown: OnUnknown): Node[] {
    const secret = isUnknown(entry) ? entry : at(entry, "secret");
    if (isUnknown(secret)) {
        const deps = g.deps(fn, path[0], set(SECRET));
        if (deps.length === 0 && g.deps(fn, path[0]).length === 0) {
            onUnknown(fn, `${path.join(".")}[${i}].secret`);
        }
        return deps;
    }
    const known = knownString(secret);
    return known ? byName(g, fn, path[0], [SECRET], known, onUnknown) : [];
}
