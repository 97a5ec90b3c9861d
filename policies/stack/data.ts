// Data on a function's paths: the stores it is triggered by, writes failures to, loads code from or
// mounts, and the secret stores it references.
import { stackPolicy } from "../lib/define";
import { quote } from "../lib/values";
import { allows, DATA_STORE_LABEL, dataPaths, encryptionOf, executionRoles, roleSources, SECRET, secretReferences } from "./aws";
import { isUnknown, knownString } from "../lib/graph";

const requireCmk = {
    requireCustomerManagedKey: {
        type: "boolean" as const, default: false,
        description: "Also require customer-managed keys (not only the provider's default encryption).",
    },
};

export const dataPolicies = [
    stackPolicy<{ requireCustomerManagedKey: boolean }>({
        name: "stack-function-data-path-encryption",
        description: "Event sources, dead-letter targets, code buckets and file systems on a function's path must be encrypted at rest.",
        severity: "medium",
        threats: ["R4"],
        remediation: "Encrypt the store named in the message with KMS (a customer-managed key where your organization requires one).",
        config: requireCmk,
        check: ({ graph, report, unknown, config }) => {
            for (const p of dataPaths(graph)) {
                const enc = encryptionOf(graph, p.store);
                const label = DATA_STORE_LABEL[p.store.type] ?? p.store.type;
                const where = `function ${quote(p.fn.name)} ${p.relation} ${label} ${quote(p.store.name)}${p.via ? ` (via ${p.via})` : ""}`;
                if (enc === "unknown") {
                    unknown(p.store, "encryption");
                } else if (enc === "none") {
                    report(p.fn.resource, `${where}, which is not encrypted at rest.`);
                } else if (enc === "service-managed" && config.requireCustomerManagedKey) {
                    report(p.fn.resource, `${where}, which is not encrypted with a customer-managed KMS key.`);
                }
            }
        },
    }),

    stackPolicy<{ requireCustomerManagedKey: boolean }>({
        name: "stack-function-secret-reference",
        description: "A secret a function references must be readable by the function's identity and, where required, encrypted with a customer-managed key.",
        severity: "medium",
        threats: ["P5", "R4"],
        remediation: "Grant the function's role read access to exactly that secret (secretsmanager:GetSecretValue or ssm:GetParameter on its ARN), and encrypt the secret with a customer-managed key where required.",
        config: requireCmk,
        check: ({ graph, report, unknown, config }) => {
            for (const { fn, store } of secretReferences(graph)) {
                const isSecret = store.type === SECRET;
                const label = isSecret ? "Secrets Manager secret" : "SSM parameter";
                if (config.requireCustomerManagedKey) {
                    const key = isSecret ? store.props.kmsKeyId : store.props.keyId;
                    if (!isUnknown(key) && !(knownString(key) && !/alias\/aws\//.test(key as string))) {
                        report(fn.resource, `function ${quote(fn.name)} references ${label} ${quote(store.name)}, which is not encrypted with a customer-managed KMS key.`);
                    }
                }
                const action = isSecret ? "secretsmanager:GetSecretValue" : "ssm:GetParameter";
                const roles = executionRoles(graph, fn, unknown);
                if (roles.length > 0 && !roles.some(role => allows(graph, roleSources(graph, role, unknown), action, store))) {
                    report(fn.resource, `function ${quote(fn.name)} references ${label} ${quote(store.name)}, but its role can't ${action} on it.`);
                }
            }
        },
    }),
];

