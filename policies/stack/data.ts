// Data on a function's paths: the stores it is triggered by, writes failures to, loads code from or
// mounts, and the secret stores it references.
import { stackPolicy } from "../lib/define";
import { asBoolean, asString, at, quote } from "../lib/values";
import { allows, DATA_STORE_LABEL, dataPaths, encryptionOf, executionRoles, isSecretsManagerSecret, roleSources, secretReferences } from "../model/aws";
import { isUnknown, knownString, Node } from "../lib/graph";
import * as azure from "../model/azure";
import { CLASSIC_STORAGE_ACCOUNT, STORAGE_ACCOUNTS } from "../azure/views";
import * as gcp from "../model/gcp";
import { NATIVE_QUEUE, NATIVE_TOPIC, QUEUE, TOPIC } from "../aws/views";
import { KINESIS_STREAM, STREAM_ENCRYPTION } from "../aws/eventsource-views";
import { STREAM_UNENCRYPTED, streamUnencrypted } from "../aws/eventsources";
import { reportsInThisRun } from "../lib/reported";

/**
 * The resource policy that reports a store unencrypted at rest on the store itself, when its predicate
 * holds there: the queue and topic policies report every store the model finds unencrypted ("none"),
 * whatever their own configuration; the stream policy is asked.
 */
function unencryptedReportedBy(store: Node): string | undefined {
    switch (store.type) {
        case QUEUE:
        case NATIVE_QUEUE:
            return "aws-sqs-queue-encryption";
        case TOPIC:
        case NATIVE_TOPIC:
            return "aws-sns-topic-encryption";
        case KINESIS_STREAM:
            return streamUnencrypted(STREAM_ENCRYPTION[KINESIS_STREAM].view(store.props, store.type)) ? STREAM_UNENCRYPTED : undefined;
        default:
            return undefined;
    }
}

const requireCmk = {
    requireCustomerManagedKey: {
        type: "boolean" as const, default: false,
        description: "Also require customer-managed keys (not only the provider's default encryption).",
    },
};

export const dataPolicies = [
    stackPolicy<{ requireCustomerManagedKey: boolean }>({
        name: "stack-function-data-path-encryption",
        description: "Stores on a function's path (event sources, dead-letter targets, code and source buckets, file systems, image repositories, the function app's storage account) must be encrypted at rest and not public.",
        severity: "medium",
        threats: ["R4"],
        remediation: "Encrypt the store named in the message with a customer-managed key where your organization requires one (KMS, Key Vault or Cloud KMS) and turn off anonymous blob access on an Azure function app's storage account.",
        config: requireCmk,
        check: ({ graph, report, unknown, config }) => {
            for (const p of dataPaths(graph, unknown)) {
                const enc = encryptionOf(graph, p.store);
                const label = DATA_STORE_LABEL[p.store.type] ?? p.store.type;
                const where = `function ${quote(p.fn.name)} ${p.relation} ${label} ${quote(p.store.name)}${p.via ? ` (via ${p.via})` : ""}`;
                if (enc === "unknown") {
                    unknown(p.store, "encryption");
                } else if (enc === "none") {
                    // The store's own policy carries the root cause; the path only repeats it.
                    const owner = unencryptedReportedBy(p.store);
                    if (owner === undefined || !reportsInThisRun(owner)) {
                        report(p.fn.resource, `${where}, which is not encrypted at rest.`);
                    }
                } else if (enc === "service-managed" && config.requireCustomerManagedKey) {
                    report(p.fn.resource, `${where}, which is not encrypted with a customer-managed KMS key.`);
                }
            }
            for (const app of azure.functionApps(graph, unknown)) {
                for (const { account, relation, via } of azure.storageAccountsOf(graph, app, unknown)) {
                    const where = `${azure.appLabel(app)} ${relation} storage account ${quote(account.name)} (via ${via})`;
                    const view = STORAGE_ACCOUNTS[account.type].view(account.props, account.type);
                    const publicAccess = view.blobPublicAccess.read();
                    if (isUnknown(publicAccess)) {
                        unknown(account, view.blobPublicAccess.where);
                    } else if (asBoolean(publicAccess) === true && !reportsInThisRun("azure-storage-blob-public-access")) {
                        // Reported on the account itself by azure-storage-blob-public-access (the same field).
                        const unset = view.blobPublicAccess.isSet() ? "" : " by default";
                        report(app.resource, `${where}, which allows anonymous public access to its blobs (${view.blobPublicAccess.where} is true${unset}).`);
                    }
                    if (config.requireCustomerManagedKey && account.type === CLASSIC_STORAGE_ACCOUNT) {
                        if (view.customerManagedKey.read() !== true) {
                            report(app.resource, `${where}, which is not encrypted with a customer-managed key (customerManagedKey is not set).`);
                        }
                    } else if (config.requireCustomerManagedKey) {
                        const encryption = account.props.encryption;
                        const source = at(encryption, "keySource");
                        if (isUnknown(encryption) || isUnknown(source)) {
                            unknown(account, isUnknown(encryption) ? "encryption" : "encryption.keySource");
                        } else if (asString(source)?.toLowerCase() !== "microsoft.keyvault") {
                            report(app.resource, `${where}, which is not encrypted with a customer-managed key (encryption.keySource is not "Microsoft.Keyvault").`);
                        }
                    }
                }
            }
            if (config.requireCustomerManagedKey) {
                for (const p of gcp.dataPaths(graph, unknown)) {
                    const missing = gcp.missingCmek(p.store);
                    if (missing) {
                        report(p.fn.resource, `function ${quote(p.fn.name)} ${p.relation} ${gcp.DATA_STORE_LABEL[p.store.type]} ${quote(p.store.name)}${p.via ? ` (via ${p.via})` : ""}, which is not encrypted with a customer-managed key (${missing} is not set).`);
                    }
                }
            }
        },
    }),

    stackPolicy<{ requireCustomerManagedKey: boolean }>({
        name: "stack-function-secret-reference",
        description: "A secret a function references must be readable by the function's identity and, where required, encrypted with a customer-managed key.",
        severity: "medium",
        threats: ["P5", "R4"],
        remediation: "Grant the function's identity read access to exactly that secret (secretsmanager:GetSecretValue or ssm:GetParameter on its ARN, Key Vault Secrets User on the vault, roles/secretmanager.secretAccessor on the secret), and encrypt the secret with a customer-managed key where required.",
        config: requireCmk,
        check: ({ graph, report, unknown, config }) => {
            for (const { fn, store } of secretReferences(graph)) {
                const isSecret = isSecretsManagerSecret(store);
                const label = isSecret ? "Secrets Manager secret" : "SSM parameter";
                if (config.requireCustomerManagedKey) {
                    const key = isSecret ? store.props.kmsKeyId : store.props.keyId;
                    if (!isUnknown(key) && !(knownString(key) && !/alias\/aws\//.test(key as string))) {
                        report(fn.resource, `function ${quote(fn.name)} references ${label} ${quote(store.name)}, which is not encrypted with a customer-managed KMS key.`);
                    }
                }
                const action = isSecret ? "secretsmanager:GetSecretValue" : "ssm:GetParameter";
                const roles = executionRoles(graph, fn, unknown);
                // A grant unknown during preview may be the one that allows it: then the check waits, never "can't".
                let grantUnknown = false;
                const onGrantUnknown: typeof unknown = (node, property, cause) => {
                    grantUnknown = true;
                    unknown(node, property, cause);
                };
                if (roles.length > 0 && !roles.some(role => allows(graph, roleSources(graph, role, onGrantUnknown), action, store)) && !grantUnknown) {
                    report(fn.resource, `function ${quote(fn.name)} references ${label} ${quote(store.name)}, but its role can't ${action} on it.`);
                }
            }
            for (const app of azure.functionApps(graph, unknown)) {
                for (const ref of azure.vaultReferences(graph, app, unknown)) {
                    const access = azure.canReadSecrets(graph, app, ref.vault, unknown);
                    if (access.ok === false) {
                        report(app.resource, `${azure.appLabel(app)} references Key Vault ${quote(ref.vault.name)} in ${ref.settings.join(", ")}, but ${access.why}.`);
                    }
                }
            }
            for (const ref of gcp.secretReferences(graph, unknown)) {
                const where = `function ${quote(ref.fn.name)} reads Secret Manager secret ${quote(ref.secret.name)} (${ref.where})`;
                if (config.requireCustomerManagedKey) {
                    const missing = gcp.missingCmek(ref.secret);
                    if (missing) {
                        report(ref.fn.resource, `${where}, which is not encrypted with a customer-managed key (${missing} is not set).`);
                    }
                }
                const id = gcp.functionIdentity(graph, ref.fn, unknown);
                if (!id) {
                    continue;
                }
                const read = gcp.canReadSecret(graph, id, ref.secret);
                if (read.via.length === 0 && read.maybe.length > 0) {
                    read.maybe.forEach(m => unknown(m.node, m.property));
                } else if (read.via.length === 0) {
                    report(ref.fn.resource, `${where}, but ${id.label} can't access it: no roles/secretmanager.secretAccessor on the secret or the project.`);
                }
            }
        },
    }),
];

