// The event sources that feed functions, for their own exposure: who may write events into a topic,
// queue, event bus, stream, table or bucket (its resource policy), and a stream's encryption at rest.
// Whoever can write to a function's trigger drives the function (event-data injection, R1).
import { Field, viewPolicy } from "../lib/view";
import { fencesCaller, looseConditions, narrowsCaller, parsePolicyDocument, SOURCE_KEYS, Statement, wildcardMatch } from "../lib/iam";
import { asString, quote, wordList } from "../lib/values";
import { SOURCE_POLICIES, SourcePolicyView, STREAM_ENCRYPTION, StreamEncryptionView } from "./eventsource-views";

export {
    TOPIC_POLICY, QUEUE_POLICY, REDRIVE_POLICY, EVENT_BUS_POLICY, EVENT_PERMISSION, KINESIS_STREAM, KINESIS_RESOURCE_POLICY, DYNAMODB_RESOURCE_POLICY,
    BUCKET_POLICY, NATIVE_TOPIC_POLICY, NATIVE_TOPIC_INLINE_POLICY, NATIVE_QUEUE_INLINE_POLICY, NATIVE_EVENT_BUS, NATIVE_EVENT_BUS_POLICY,
    NATIVE_KINESIS_STREAM, NATIVE_KINESIS_RESOURCE_POLICY, NATIVE_DYNAMODB_TABLE, NATIVE_BUCKET_POLICY,
} from "./eventsource-views";

export const SOURCE_PUBLIC_WRITE = "aws-event-source-public-write";
export const SOURCE_SERVICE_UNSCOPED = "aws-event-source-service-unscoped";
export const STREAM_UNENCRYPTED = "aws-kinesis-stream-encryption";

/** The keys that name the account of a bucket: its ARN carries none. */
const BUCKET_OWNER_KEYS: ReadonlySet<string> = new Set(["aws:sourceaccount", "aws:sourceowner", "aws:sourceorgid", "aws:sourceorgpaths"]);

const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/i;

/** Whether a statement's Action (or NotAction) reaches `action`, whatever its effect. */
function reaches(s: Statement, action: string): boolean {
    if (s.notActions.length > 0) {
        return !s.notActions.some(a => a.length <= 256 && wildcardMatch(a, action));
    }
    return s.actions.some(a => a.length <= 256 && wildcardMatch(a, action));
}

/** Whether a statement is for everyone: Principal "*" (or AWS "*"), or an Allow with NotPrincipal. */
function forEveryone(s: Statement): boolean {
    if (s.notPrincipal) {
        return s.effect === "Allow";
    }
    return s.principal === "*" || (s.principal !== undefined && (s.principal.AWS ?? []).some(p => p.trim() === "*"));
}

const statementName = (s: Statement) => s.sid ? `statement ${s.index} (${s.sid})` : `statement ${s.index}`;

/** One way a resource policy lets writers in, for messages. */
export interface OpenWrite {
    document: Field;
    statement: string;
    actions: string[];
    /** For everyone: the condition clauses ("Operator key") that don't narrow the caller (empty: no condition at all). */
    looseConditions: string[];
}

/** Reads the known, set documents of a view; an unknown one throws the SDK's unknown-value error. */
function eachDocument(view: SourcePolicyView, fn: (document: Field, statements: Statement[]) => void): void {
    for (const document of view.documents()) {
        const raw = document.read();
        if (raw === undefined || raw === null || raw === "") {
            continue;
        }
        fn(document, parsePolicyDocument(raw).statements);
    }
}

/**
 * The statements of an event source's resource policy that let anyone (Principal "*") write events into
 * it with no condition narrowing the caller. A Deny for everyone on the same action that carries such a
 * condition (the data-perimeter pattern) closes them.
 */
export function publicWrites(view: SourcePolicyView): OpenWrite[] {
    const out: OpenWrite[] = [];
    eachDocument(view, (document, statements) => {
        const fenced = (action: string) => statements.some(s => forEveryone(s) && reaches(s, action) && fencesCaller(s));
        for (const s of statements) {
            if (s.effect !== "Allow" || !forEveryone(s) || narrowsCaller(s)) {
                continue;
            }
            const actions = view.kind.writeActions.filter(a => reaches(s, a) && !fenced(a));
            if (actions.length > 0) {
                out.push({ document, statement: statementName(s), actions, looseConditions: looseConditions(s) });
            }
        }
    });
    return out;
}

/** Whether anyone may write events into the source: the predicate of aws-event-source-public-write. */
export const anyoneMayWrite = (view: SourcePolicyView): boolean => publicWrites(view).length > 0;

/** One statement that lets an AWS service write for any resource of that service (no source condition). */
export interface UnscopedService {
    document: Field;
    statement: string;
    services: string[];
    /** Set when S3 is named by aws:SourceArn alone: bucket ARNs carry no account. */
    s3WithoutAccount: boolean;
}

/** Statements that let an AWS service principal write into the source without naming the sending resource (confused deputy). */
export function unscopedServiceWrites(view: SourcePolicyView): UnscopedService[] {
    const out: UnscopedService[] = [];
    eachDocument(view, (document, statements) => {
        for (const s of statements) {
            if (s.effect !== "Allow" || s.notPrincipal || s.principal === undefined || s.principal === "*") {
                continue;
            }
            const services = (s.principal.Service ?? []).map(p => p.trim()).filter(p => SERVICE_PRINCIPAL.test(p));
            if (services.length === 0 || !view.kind.writeActions.some(a => reaches(s, a))) {
                continue;
            }
            // A service calling for one of its resources always sends that resource's ARN and account.
            const names = (keys: ReadonlySet<string>) => narrowsCaller(s, keys, SOURCE_KEYS);
            if (!names(SOURCE_KEYS)) {
                out.push({ document, statement: statementName(s), services, s3WithoutAccount: false });
            } else if (services.some(p => p.toLowerCase().startsWith("s3.")) && !names(BUCKET_OWNER_KEYS)) {
                out.push({ document, statement: statementName(s), services, s3WithoutAccount: true });
            }
        }
    });
    return out;
}

/** Whether an AWS service may write into the source for any other account's resource: the predicate of aws-event-source-service-unscoped. */
export const serviceMayWriteForAnyone = (view: SourcePolicyView): boolean => unscopedServiceWrites(view).length > 0;

/** Whether a Kinesis stream stores records unencrypted: the predicate of aws-kinesis-stream-encryption. */
export function streamUnencrypted(view: StreamEncryptionView): boolean {
    const type = asString(view.encryptionType.read());
    return type === undefined || type.toUpperCase() === "NONE";
}

const list = (items: string[]) => wordList(items.map(quote));

export const eventSourcePolicies = [
    viewPolicy<SourcePolicyView>({
        name: SOURCE_PUBLIC_WRITE,
        description: "The resource policy of a topic, queue, event bus, stream, table or bucket that can trigger functions must not let anyone write to it: whoever writes the events drives the functions they trigger.",
        severity: "critical",
        threats: ["R1", "R2"],
        references: ["OWASP SAS-1"],
        remediation: "Replace Principal \"*\" with the accounts, roles or services that should write, or add a condition on aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID or aws:PrincipalAccount.",
        adapters: SOURCE_POLICIES,
        check: ({ view, report, part }) => {
            const open: OpenWrite[] = [];
            part(() => open.push(...publicWrites(view)));
            if (open.length > 0) {
                const parts = open.map(o => `${o.document.where} ${o.statement} lets anyone (Principal "*") call ${list(o.actions)}` +
                    (o.looseConditions.length === 0 ? " with no condition" : ` with conditions (${list(o.looseConditions)}) that don't narrow the caller to an account, organization or network`));
                report(`${parts.join("; ")}: anyone can write events into this ${view.kind.what} and drive the functions it triggers.`);
            }
        },
    }),

    viewPolicy<SourcePolicyView>({
        name: SOURCE_SERVICE_UNSCOPED,
        description: "A resource policy that lets an AWS service (SNS, S3, EventBridge) write to an event source should name the sending resource or account, or that service can write on behalf of any other account's resource (confused deputy).",
        severity: "medium",
        threats: ["R1", "R5"],
        remediation: "Add a condition on aws:SourceArn (and aws:SourceAccount for S3) naming the topic, bucket or rule that should send.",
        adapters: SOURCE_POLICIES,
        check: ({ view, report, part }) => {
            const found: UnscopedService[] = [];
            part(() => found.push(...unscopedServiceWrites(view)));
            if (found.length > 0) {
                report(`${found.map(u => `${u.document.where} ${u.statement} lets ${list(u.services)} write ` + (u.s3WithoutAccount
                    ? "with aws:SourceArn but no aws:SourceAccount (bucket ARNs carry no account)"
                    : "with no aws:SourceArn or aws:SourceAccount condition that names one resource or account")).join("; ")}: resources of that service in other accounts can send events into this ${view.kind.what}.`);
            }
        },
    }),

    viewPolicy<StreamEncryptionView>({
        name: STREAM_UNENCRYPTED,
        description: "Kinesis streams that feed functions should encrypt records at rest; Kinesis Data Streams stores them unencrypted unless server-side encryption is set.",
        severity: "medium",
        threats: ["R4"],
        references: ["AWS Config kinesis-stream-encrypted"],
        remediation: "Set encryptionType to \"KMS\" with kmsKeyId (alias/aws/kinesis or a customer-managed key); on aws-native, streamEncryption { encryptionType: \"KMS\", keyId }.",
        adapters: STREAM_ENCRYPTION,
        check: ({ view, report }) => {
            if (streamUnencrypted(view)) {
                const value = asString(view.encryptionType.read());
                report(`${view.encryptionType.where} is ${value === undefined ? "not set" : quote(value)}: records are stored unencrypted.`);
            }
        },
    }),
];
