// Google Cloud (@pulumi/gcp) identities: a resource is known by its name, id and (for service
// accounts) account id and email within its project and, for regional resources (functions, Cloud
// Run services and their IAM, repositories), its region: from its own `project` and `location` /
// `region` properties or its provider's `project` and `region`. Bucket names are global.
// References: full resource paths (`projects/p/locations/l/functions/f`), emails and
// `serviceAccount:` members (the project is in the email's domain), `gs://` URLs and plain names.
import { IdentityAdapter, inherit, Reference, ResourceView, Scope } from "../../lib/identity";
import { identifierStrings, known, lastSegment, referenceStrings } from "../../lib/identity/strings";

const IDENTIFIER_PROPS = ["name", "id", "secretId", "repositoryId", "selfLink", "url", "uri", "httpsTriggerUrl"];

const isRegional = (type: string) => /^gcp:(cloudfunctions|cloudfunctionsv2|cloudrun|cloudrunv2|artifactregistry)\//.test(type);
const isBucketName = (type: string) => type === "gcp:storage/bucket:Bucket";
const FUNCTION_V2 = "gcp:cloudfunctionsv2/function:Function";
const ACCOUNT = "gcp:serviceaccount/account:Account";

const SA_EMAIL = /^(?:serviceAccount:|projects\/[^/]+\/serviceAccounts\/)?([a-z0-9-]{1,63})@([a-z0-9-]{1,63})\.iam\.gserviceaccount\.com$/i;
const PATH = /^(?:\/\/[a-z.]+\.googleapis\.com\/)?projects\/([^/]+)\/(?:(?:locations|regions)\/([^/]+)\/)?[A-Za-z]+\/([^/]+)$/;

/** A project given by number or as "_" can't be compared with a project id. */
const projectId = (p: string | undefined) => (p && p !== "_" && !/^\d+$/.test(p) ? p.toLowerCase() : undefined);

interface Parsed {
    keys: string[];
    scope?: Scope;
}

function parseReference(value: string): Parsed {
    const email = SA_EMAIL.exec(value.trim());
    if (email) {
        const address = `${email[1]}@${email[2]}.iam.gserviceaccount.com`.toLowerCase();
        return { keys: [address, email[1].toLowerCase()], scope: [projectId(email[2]), undefined] };
    }
    const member = /^(?:serviceAccount:)?([^@\s/:]+@[a-z0-9.-]+)$/i.exec(value.trim());
    if (member) {
        return { keys: [member[1].toLowerCase()] };
    }
    const gs = /^gs:\/\/([^/]+)/.exec(value);
    if (gs) {
        return { keys: [gs[1]], scope: [undefined, undefined] };
    }
    const path = PATH.exec(value);
    if (path) {
        return { keys: [value, path[3]], scope: [projectId(path[1]), path[2]?.toLowerCase()] };
    }
    const tail = value.includes("/") ? lastSegment(value) : undefined;
    return { keys: tail && tail !== value ? [value, tail] : [value] };
}

function scopeOf(r: ResourceView): Scope {
    if (isBucketName(r.type)) {
        return [undefined, undefined];
    }
    const project = projectId(known(r.props.project) ?? known(r.provider?.project));
    if (!isRegional(r.type)) {
        return [project, undefined];
    }
    const region = known(r.props.location) ?? known(r.props.region) ?? known(r.provider?.region);
    return [project, region?.toLowerCase()];
}

export const gcpAdapter: IdentityAdapter = {
    handles: type => type.startsWith("gcp:"),
    identify(r) {
        const keys = new Set<string>();
        for (const id of identifierStrings(r.props, IDENTIFIER_PROPS)) {
            for (const k of parseReference(id).keys) {
                keys.add(k);
            }
        }
        if (r.type === ACCOUNT) {
            for (const id of identifierStrings(r.props, ["accountId", "email", "member"])) {
                parseReference(id).keys.forEach(k => keys.add(k));
                keys.add(id.toLowerCase());
            }
        }
        if (r.type === FUNCTION_V2) {
            const config = r.props.serviceConfig as Record<string, unknown> | undefined;
            const service = typeof config === "object" && config !== null ? known(config.service) : undefined;
            if (service) {
                keys.add(`run:${lastSegment(service) ?? service}`);
            }
        }
        return { keys: [...keys], scope: scopeOf(r) };
    },
    references(from, property, own) {
        const run = from.type.startsWith("gcp:cloudrun") && (property === "service" || property === "name");
        const out: Reference[] = [];
        for (const value of referenceStrings(from.props[property])) {
            const parsed = parseReference(value);
            const keys = run ? [`run:${parsed.keys[parsed.keys.length - 1]}`, ...parsed.keys] : parsed.keys;
            out.push({ keys, scope: inherit(parsed.scope, own) });
        }
        return out;
    },
};
