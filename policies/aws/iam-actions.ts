// Action classes in IAM documents that functions run with, granted on every resource: reading
// data and secrets, writing data, exposing credentials and managing permissions.
import { Severity } from "@pulumi/policy";
import { ThreatId } from "../lib/define";
import { viewPolicy } from "../lib/view";
import { actionClassGrants, PolicyDocument } from "../lib/iam";
import {
    CREDENTIAL_EXPOSURE_ACTIONS, DATA_EXFILTRATION_ACTIONS, PERMISSIONS_MANAGEMENT_ACTIONS, UNSCOPED_WRITE_ACTIONS,
} from "../data/aws-iam";
import { checkDocuments } from "./iam";
import { PERMISSION_DOCUMENTS } from "./views";

export interface ActionClass {
    /** Policy id of the resource-level check. */
    policy: string;
    /** The class in words, for messages, e.g. "data exfiltration". */
    label: string;
    actions: readonly string[];
    description: string;
    severity: Severity;
    threats: ThreatId[];
    remediation: string;
}

export const ACTION_CLASSES: ActionClass[] = [
    {
        policy: "aws-iam-policy-data-exfiltration",
        label: "data exfiltration",
        actions: DATA_EXFILTRATION_ACTIONS,
        description: "IAM policies used by functions must not allow reading objects, secrets, parameters or decrypting on every resource; a compromised function could read all the account's data.",
        severity: "high",
        threats: ["P2", "R4"],
        remediation: "Scope Resource to the buckets, secrets, parameters, keys and tables the function reads (e.g. arn:aws:secretsmanager:<region>:<account>:secret:<name>-??????).",
    },
    {
        policy: "aws-iam-policy-credential-exposure",
        label: "credential exposure",
        actions: CREDENTIAL_EXPOSURE_ACTIONS,
        description: "IAM policies used by functions must not allow actions that hand out credentials (access keys, tokens, passwords) on every resource.",
        severity: "high",
        threats: ["P2", "P5"],
        remediation: "Remove these actions, or scope them to the specific users, clusters or identities the function must serve.",
    },
    {
        policy: "aws-iam-policy-permissions-management",
        label: "permissions management",
        actions: PERMISSIONS_MANAGEMENT_ACTIONS,
        description: "IAM policies used by functions must not allow changing identity or resource policies (buckets, keys, secrets, queues, topics, functions) on every resource.",
        severity: "high",
        threats: ["P2", "R4"],
        remediation: "Remove these actions from runtime roles (permissions belong in the deployment pipeline), or scope them to specific resource ARNs.",
    },
    {
        policy: "aws-iam-policy-unscoped-write",
        label: "unscoped writes",
        actions: UNSCOPED_WRITE_ACTIONS,
        description: "IAM policies used by functions should not allow writing or deleting data on every resource; a compromised function could overwrite or destroy every store in the account.",
        severity: "medium",
        threats: ["P2", "R5"],
        remediation: "Scope Resource to the buckets, tables, queues, topics and parameters the function writes.",
    },
];

/** The resource-level policy of one action class: any document of a function's that grants the class on every resource. */
function classPolicy(cls: ActionClass) {
    const grantsOf = (doc: PolicyDocument) => actionClassGrants(doc, cls.actions);
    return viewPolicy({
        name: cls.policy,
        description: cls.description,
        severity: cls.severity,
        threats: cls.threats,
        references: ["OWASP SAS-5"],
        remediation: cls.remediation,
        adapters: PERMISSION_DOCUMENTS,
        check: ctx => checkDocuments(ctx, grantsOf, `allows ${cls.label}`),
    });
}

export const iamActionPolicies = ACTION_CLASSES.map(classPolicy);
