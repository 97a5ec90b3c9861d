// AWS IAM policy-document parsing and analysis. Documents arrive as objects or JSON strings, with
// Statement as one object or a list, and Action/NotAction/Resource as a string or a list.
import { asStrings, isRecord } from "./values";
import { IDENTITY_REWRITE_ACTIONS, PRIVILEGE_ESCALATION_ACTIONS, TARGETED_ESCALATION_ACTIONS } from "../data/aws-iam";
import { AWS_MANAGED_POLICIES, ManagedPolicyModel } from "../data/aws-managed-policies";
import { globMatch } from "./glob";
import { isUnknown } from "./identity/strings";

export interface Statement {
    index: number;
    sid?: string;
    effect: "Allow" | "Deny";
    actions: string[];
    notActions: string[];
    resources: string[];
    notResources: string[];
    /** Principal as given: "*", or a map of principal type to a list of values. */
    principal?: "*" | Record<string, string[]>;
    notPrincipal: boolean;
    hasCondition: boolean;
    conditionKeys: string[];
    /** One clause per operator and key, in the order written. */
    conditions: ConditionClause[];
}

/** One operator-and-key pair of a statement's Condition block. */
export interface ConditionClause {
    /** The operator as written (AWS matches operator names case-sensitively), e.g. "ForAnyValue:StringLikeIfExists". */
    operator: string;
    /** The context key, lower-cased (AWS matches key names case-insensitively). */
    key: string;
    /** The values as strings; undefined for a value computed during preview. */
    values: (string | undefined)[];
}

export interface PolicyDocument {
    statements: Statement[];
    /** Set when the document could not be read; it names the problem, never the content. */
    error?: string;
}

const MAX_DOCUMENT_CHARS = 1_000_000;

/** Parses an IAM policy document given as an object or as a JSON string. */
export function parsePolicyDocument(input: unknown): PolicyDocument {
    let doc: unknown = input;
    if (typeof input === "string") {
        if (input.length > MAX_DOCUMENT_CHARS) {
            return { statements: [], error: "document is larger than 1 MB" };
        }
        try {
            doc = JSON.parse(input);
        } catch {
            return { statements: [], error: "document is not valid JSON" };
        }
    }
    if (!isRecord(doc)) {
        return { statements: [], error: "document is not a JSON object" };
    }
    const raw = doc["Statement"];
    const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    const statements: Statement[] = [];
    list.forEach((s, index) => {
        if (!isRecord(s)) {
            return;
        }
        const effect = s["Effect"] === "Deny" ? "Deny" : s["Effect"] === "Allow" ? "Allow" : undefined;
        if (!effect) {
            return;
        }
        const principalRaw = s["Principal"] ?? s["NotPrincipal"];
        let principal: Statement["principal"];
        if (principalRaw === "*") {
            principal = "*";
        } else if (isRecord(principalRaw)) {
            principal = {};
            for (const key of Object.keys(principalRaw)) {
                principal[key] = asStrings(principalRaw[key]);
            }
        }
        const condition = s["Condition"];
        const conditionKeys: string[] = [];
        const conditions: ConditionClause[] = [];
        if (isRecord(condition)) {
            for (const operator of Object.keys(condition)) {
                const inner = condition[operator];
                if (isRecord(inner)) {
                    for (const key of Object.keys(inner)) {
                        conditionKeys.push(key.toLowerCase());
                        conditions.push({ operator, key: key.toLowerCase(), values: conditionValues(inner[key]) });
                    }
                }
            }
        }
        statements.push({
            index,
            sid: typeof s["Sid"] === "string" ? s["Sid"] : undefined,
            effect,
            actions: asStrings(s["Action"]),
            notActions: asStrings(s["NotAction"]),
            resources: asStrings(s["Resource"]),
            notResources: asStrings(s["NotResource"]),
            principal,
            notPrincipal: s["NotPrincipal"] !== undefined,
            hasCondition: isRecord(condition) && Object.keys(condition).length > 0,
            conditionKeys,
            conditions,
        });
    });
    return { statements };
}

/** A condition value (one or a list of strings, numbers or booleans) as strings; a computed one as undefined. */
function conditionValues(raw: unknown): (string | undefined)[] {
    const list = Array.isArray(raw) ? raw : [raw];
    return list.flatMap(v => isUnknown(v) ? [undefined]
        : typeof v === "string" ? [v]
        : typeof v === "number" || typeof v === "boolean" ? [String(v)]
        : []);
}

/** IAM wildcard match (`*`, `?`), case-insensitive as IAM action names are. */
export function wildcardMatch(pattern: string, value: string): boolean {
    return globMatch(pattern, value, true);
}

/** Whether an action as written (e.g. "lambda:invokeFunction") is one of `actions`: service prefix and name ignore case. */
export function isOneOfActions(action: string, actions: readonly string[]): boolean {
    const a = action.trim().toLowerCase();
    return actions.some(x => x.toLowerCase() === a);
}

/** Whether an Allow statement grants `action` (its Action patterns match it, or its NotAction list leaves it out). */
export function statementAllows(s: Statement, action: string): boolean {
    if (s.effect !== "Allow") {
        return false;
    }
    if (s.notActions.length > 0) {
        return !s.notActions.some(a => a.length <= 256 && wildcardMatch(a, action));
    }
    return s.actions.some(a => a.length <= 256 && wildcardMatch(a, action));
}

function describeStatement(s: Statement): string {
    return s.sid ? `statement ${s.index} (${s.sid})` : `statement ${s.index}`;
}

export interface Grant {
    statement: string;
    detail: string;
}

function allowsOnAnyResource(s: Statement): boolean {
    return s.effect === "Allow" && s.notResources.length === 0 && s.resources.some(r => r === "*");
}

/** Allow statements that grant every action (Action "*", or NotAction with Resource "*"). */
export function adminGrants(doc: PolicyDocument): Grant[] {
    const out: Grant[] = [];
    for (const s of doc.statements) {
        if (s.effect !== "Allow") {
            continue;
        }
        if (s.actions.some(a => a === "*" || a === "*:*")) {
            out.push({ statement: describeStatement(s), detail: "allows action \"*\"" + (allowsOnAnyResource(s) ? " on resource \"*\"" : "") });
        } else if (s.notActions.length > 0 && allowsOnAnyResource(s)) {
            out.push({ statement: describeStatement(s), detail: "allows every action except a NotAction list on resource \"*\"" });
        }
    }
    return out;
}

const SERVICE_WILDCARD = /^[a-z0-9-]{1,64}:\*$/i;

/** Allow statements granting `service:*` on resource "*". */
export function serviceWildcardGrants(doc: PolicyDocument): Grant[] {
    const out: Grant[] = [];
    for (const s of doc.statements) {
        if (!allowsOnAnyResource(s)) {
            continue;
        }
        const wild = s.actions.filter(a => SERVICE_WILDCARD.test(a));
        if (wild.length > 0) {
            out.push({ statement: describeStatement(s), detail: `allows ${wild.map(a => `"${a}"`).join(", ")} on resource "*"` });
        }
    }
    return out;
}

/** The actions of a statement other than "*" and whole-service wildcards, which the admin and service-wide checks report. */
function namedActions(s: Statement): string[] {
    return s.actions.filter(a => a.length <= 256 && a !== "*" && a !== "*:*" && !SERVICE_WILDCARD.test(a));
}

/**
 * Allow statements whose named actions (partial wildcards such as `iam:Attach*` included) reach a
 * privilege-escalation action on "*". A whole service (`iam:*`, `glue:*`) is reported once, as
 * service-wide access.
 */
export function privilegeEscalationGrants(doc: PolicyDocument): Grant[] {
    const out: Grant[] = [];
    for (const s of doc.statements) {
        if (s.effect !== "Allow" || s.notResources.length > 0 || s.actions.some(a => a === "*")) {
            continue; // "*" is reported as admin access
        }
        const named = namedActions(s);
        const hits = PRIVILEGE_ESCALATION_ACTIONS.filter(action => named.some(a => wildcardMatch(a, action)));
        if (hits.length === 0) {
            continue;
        }
        if (allowsOnAnyResource(s)) {
            const shown = hits.slice(0, 5).join(", ") + (hits.length > 5 ? ` and ${hits.length - 5} more` : "");
            out.push({ statement: describeStatement(s), detail: `allows ${shown} on resource "*"` });
            continue;
        }
        // Every resource of the action's own type (`role/*`, `function:*`) is every one that matters to it.
        const wide = hits.filter(action => s.resources.some(r => typeWide(r, action)));
        if (wide.length > 0) {
            const shown = wide.slice(0, 5).join(", ") + (wide.length > 5 ? ` and ${wide.length - 5} more` : "");
            const resources = [...new Set(s.resources.filter(r => wide.some(action => typeWide(r, action))))];
            out.push({ statement: describeStatement(s), detail: `allows ${shown} on every resource of its type (${resources.slice(0, 3).map(r => `"${r}"`).join(", ")})` });
        }
    }
    return out;
}

/** `arn:<partition>:<service>:<region>:<account>:<type>/*` (or `<type>:*`, or `*`) for the action's own service. */
const TYPE_WIDE = /^arn:(?:aws[a-z-]*|\*):([a-z0-9-]+|\*):[^:]*:[^:]*:(?:\*|[A-Za-z-]{1,64}[/:]\*)$/;

/** Whether a Resource pattern covers every resource of the action's service of one type, e.g. arn:aws:iam::123456789012:role/*. */
function typeWide(resource: string, action: string): boolean {
    const m = resource.length <= 2048 ? TYPE_WIDE.exec(resource) : null;
    return m !== null && (m[1] === "*" || m[1].toLowerCase() === action.split(":")[0].toLowerCase());
}

/** Whether an Allow statement grants actions on listed resources only (not "*", no NotResource, not action "*"). */
function onNamedResources(s: Statement): boolean {
    return s.effect === "Allow" && s.notResources.length === 0 && !s.actions.some(a => a === "*") && !allowsOnAnyResource(s);
}

/**
 * Allow statements that grant an identity-rewriting action (IDENTITY_REWRITE_ACTIONS) on named IAM
 * resources only: the holder can still give those identities any permission. Statements that grant
 * the action on "*" or on every resource of its type are privilegeEscalationGrants; attach actions
 * limited by an iam:PolicyARN condition are left out.
 */
export function namedIdentityRewriteGrants(doc: PolicyDocument): Grant[] {
    const out: Grant[] = [];
    for (const s of doc.statements) {
        const named = onNamedResources(s) ? namedActions(s) : [];
        const hits = IDENTITY_REWRITE_ACTIONS.filter(action => named.some(a => wildcardMatch(a, action)))
            .filter(action => !s.resources.some(r => typeWide(r, action)))
            .filter(action => !(/^iam:Attach/i.test(action) && s.conditionKeys.includes("iam:policyarn")));
        const targets = s.resources.filter(r => /^arn:aws[a-z-]*:iam::/.test(r));
        if (hits.length > 0 && targets.length > 0) {
            const shown = hits.slice(0, 5).join(", ") + (hits.length > 5 ? ` and ${hits.length - 5} more` : "");
            out.push({ statement: describeStatement(s), detail: `allows ${shown} on ${targets.slice(0, 3).map(r => `"${r}"`).join(", ")}${targets.length > 3 ? " and more" : ""}` });
        }
    }
    return out;
}

/**
 * Allow statements granting a whole service (`iam:*`, `lambda:*`) that holds privilege-escalation
 * actions on "*": what aws-iam-policy-service-wildcard reports, and escalation all the same when the
 * question is how strong the holder is.
 */
export function escalatingServiceGrants(doc: PolicyDocument): Grant[] {
    const out: Grant[] = [];
    for (const s of doc.statements) {
        if (!allowsOnAnyResource(s)) {
            continue;
        }
        const wild = s.actions.filter(a => SERVICE_WILDCARD.test(a)
            && PRIVILEGE_ESCALATION_ACTIONS.some(x => x.toLowerCase().startsWith(a.slice(0, -1).toLowerCase())));
        if (wild.length > 0) {
            out.push({ statement: describeStatement(s), detail: `allows ${wild.map(a => `"${a}"`).join(", ")} on resource "*"` });
        }
    }
    return out;
}

/** An escalation action granted on named resources only, whose reach is the strength of each resource named. */
export interface TargetedGrant {
    statement: string;
    action: string;
    kind: "role" | "function";
    /** The Resource entries that can name a resource of the kind (ARNs or ARN patterns). */
    resources: string[];
}

const TARGET_ARN: Record<"role" | "function", RegExp> = {
    role: /^arn:(?:aws[a-z-]*|\*):iam::[^:]*:role\//,
    function: /^arn:(?:aws[a-z-]*|\*):lambda:[^:]*:[^:]*:function:/,
};

/**
 * Allow statements granting iam:PassRole or a function-rewriting action (TARGETED_ESCALATION_ACTIONS)
 * on named roles or functions only. Statements granting them on "*" or every resource of their type
 * are privilegeEscalationGrants.
 */
export function targetedEscalationGrants(doc: PolicyDocument): TargetedGrant[] {
    const out: TargetedGrant[] = [];
    for (const s of doc.statements) {
        const named = onNamedResources(s) ? namedActions(s) : [];
        for (const [action, kind] of Object.entries(TARGETED_ESCALATION_ACTIONS)) {
            if (!named.some(a => wildcardMatch(a, action)) || s.resources.some(r => typeWide(r, action))) {
                continue;
            }
            const resources = s.resources.filter(r => r.length <= 2048 && TARGET_ARN[kind].test(r));
            if (resources.length > 0) {
                out.push({ statement: describeStatement(s), action, kind, resources });
            }
        }
    }
    return out;
}

/**
 * Allow statements on "*" whose named actions (partial wildcards such as `s3:Get*` included) reach
 * one of `actions`. Statements granting "*" or a whole service are left to the admin and
 * service-wide checks, so one grant is reported once.
 */
export function actionClassGrants(doc: PolicyDocument, actions: readonly string[]): Grant[] {
    const out: Grant[] = [];
    for (const s of doc.statements) {
        if (!allowsOnAnyResource(s)) {
            continue;
        }
        const named = namedActions(s);
        const hits = actions.filter(action => named.some(a => wildcardMatch(a, action)));
        if (hits.length > 0) {
            const shown = hits.slice(0, 5).join(", ") + (hits.length > 5 ? ` and ${hits.length - 5} more` : "");
            out.push({ statement: describeStatement(s), detail: `allows ${shown} on resource "*"` });
        }
    }
    return out;
}

/** IAM Resource matching: `*` and `?` wildcards, case-sensitive (unlike action names). */
export function resourceMatch(pattern: string, arn: string): boolean {
    return pattern.length <= 2048 && globMatch(pattern, arn, false);
}

/**
 * Whether a Resource pattern matches a Secrets Manager secret known only by its name (its ARN is
 * computed): the ARN ends in `secret:<name>-` and six random characters, so `<name>-??????` and
 * `<name>*` match, `<name>` alone does not, and a literal suffix is taken to be the secret's own.
 * Region and account are the pattern's own (a function reads secrets of its own account).
 */
export function secretPatternMatch(pattern: string, name: string): boolean {
    const parts = pattern.split(":");
    if (pattern.length > 2048 || parts.length < 7 || !globMatch(parts[2], "secretsmanager") || !globMatch(parts[0], "arn")) {
        return false;
    }
    const resource = parts.slice(5).join(":");
    const placeholder = "\u0000".repeat(6);
    if (globMatch(resource, `secret:${name}-${placeholder}`)) {
        return true;
    }
    return resource.startsWith(`secret:${name}-`) && /^[A-Za-z0-9]{6}$/.test(resource.slice(`secret:${name}-`.length));
}

export function allGrantsSummary(grants: Grant[]): string {
    return grants.map(g => `${g.statement} ${g.detail}`).join("; ");
}

/** An AWS managed policy ARN's name, e.g. "AdministratorAccess" for arn:aws:iam::aws:policy/AdministratorAccess. */
export function awsManagedPolicyName(arn: string): string | undefined {
    const m = /^arn:aws[a-z-]*:iam::aws:policy\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(arn.trim());
    return m ? m[1] : undefined;
}

export interface ManagedPolicy {
    name: string;
    model: ManagedPolicyModel;
    /** The modelled document, parsed like any other. */
    doc: PolicyDocument;
}

const managedDocuments = new Map<string, PolicyDocument>();

/** The model of the AWS managed policy an ARN names, when the pack knows what that policy allows. */
export function awsManagedPolicy(arn: unknown): ManagedPolicy | undefined {
    const name = typeof arn === "string" ? awsManagedPolicyName(arn) : undefined;
    if (!name || !Object.prototype.hasOwnProperty.call(AWS_MANAGED_POLICIES, name)) {
        return undefined;
    }
    const model = AWS_MANAGED_POLICIES[name];
    let doc = managedDocuments.get(name);
    if (!doc) {
        doc = parsePolicyDocument({ Version: "2012-10-17", Statement: model.Statement });
        managedDocuments.set(name, doc);
    }
    return { name, model, doc };
}

/** AWS account ids and account-root ARNs in a principal value, e.g. "123456789012" or "arn:aws:iam::123456789012:root". */
export function accountOfPrincipal(value: string): string | undefined {
    const m = /^(?:(\d{12})|arn:aws[a-z-]*:iam::(\d{12}):root)$/.exec(value.trim());
    return m ? (m[1] ?? m[2]) : undefined;
}

// Who a condition lets in. A statement for everyone is closed by a condition only when that condition
// names who the caller is (account, organization, identity, network, or the resource a service sends
// for) with a value that narrows it: "*", an account or organization pattern, an ARN whose account is a
// wildcard, a Null test, a negated operator, ForAllValues (true when the key is absent) and IfExists on
// a key the call may lack all leave it open. Key names match case-insensitively and operator names
// case-sensitively, as in AWS; an operator AWS doesn't know narrows nothing.

/** Keys that name the caller's account, organization, identity or network, or the resource a service sends for. */
export const CALLER_KEYS: ReadonlySet<string> = new Set([
    "aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:sourceorgid", "aws:sourceorgpaths",
    "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn", "aws:userid",
    "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip",
]);
/** The keys that name the resource an AWS service sends for (the confused-deputy guard); present on every call a service makes for a resource. */
export const SOURCE_KEYS: ReadonlySet<string> = new Set(["aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:sourceorgid", "aws:sourceorgpaths"]);
/** Keys a data-perimeter Deny may add to exempt AWS services acting for the caller. */
const SERVICE_EXEMPTION_KEYS: ReadonlySet<string> = new Set(["aws:principalisawsservice", "aws:viaawsservice"]);

type KeyShape = "account" | "id" | "orgPath" | "arn" | "userId" | "ip";
const KEY_SHAPES: Readonly<Record<string, KeyShape>> = {
    "aws:sourceaccount": "account", "aws:principalaccount": "account", "aws:sourceowner": "account",
    "aws:sourceorgid": "id", "aws:principalorgid": "id", "aws:sourcevpc": "id", "aws:sourcevpce": "id",
    "aws:sourceorgpaths": "orgPath", "aws:principalorgpaths": "orgPath",
    "aws:sourcearn": "arn", "aws:principalarn": "arn",
    "aws:userid": "userId",
    "aws:sourceip": "ip",
};

const OPERATOR = /^(?:(ForAllValues|ForAnyValue):)?(String(?:Not)?Equals(?:IgnoreCase)?|String(?:Not)?Like|Numeric(?:Not)?Equals|Numeric(?:Less|Greater)Than(?:Equals)?|Date(?:Not)?Equals|Date(?:Less|Greater)Than(?:Equals)?|Bool|BinaryEquals|(?:Not)?IpAddress|Arn(?:Not)?(?:Equals|Like)|Null)(IfExists)?$/;

interface Operator {
    set?: "ForAllValues" | "ForAnyValue";
    /** The operator without qualifiers and with any negation taken off, e.g. "StringLike" for StringNotLike. */
    base: string;
    negated: boolean;
    ifExists: boolean;
}

function readOperator(operator: string): Operator | undefined {
    const m = OPERATOR.exec(operator);
    if (!m || (m[2] === "Null" && (m[3] || m[1]))) {
        return undefined;
    }
    const negated = /^(?:StringNot|ArnNot|NotIpAddress)/.test(m[2]);
    const base = m[2].replace(/^StringNot/, "String").replace(/^ArnNot/, "Arn").replace(/^NotIpAddress$/, "IpAddress");
    return { set: m[1] as Operator["set"], base, negated, ifExists: m[3] !== undefined };
}

const WILD = /[*?]/;
/** Policy variables that stand for the resource's own account or organization, and the escapes of literal characters. */
const OWN_VARIABLE = /\$\{(?:aws:ResourceAccount|aws:ResourceOrgID|aws:ResourceOrgPaths|\*|\?|\$)\}/gi;

/** Whether one condition value limits the key to callers of one account, organization, identity or network. */
function valueNarrows(shape: KeyShape, base: string, raw: string | undefined): boolean {
    if (raw === undefined) {
        return true; // computed: an output of another resource (an ARN, id or account), never a pattern
    }
    const value = raw.replace(OWN_VARIABLE, "x");
    if (value.includes("${") || value.trim() === "") {
        return false; // another policy variable (e.g. the caller's own account) compares the caller with itself
    }
    if (shape === "ip") {
        return base === "IpAddress" && !/\/0$/.test(value.trim());
    }
    if (base === "StringEquals" || base === "StringEqualsIgnoreCase") {
        return true; // exact match: "*" is a literal no caller has
    }
    if (base !== "StringLike" && base !== "ArnEquals" && base !== "ArnLike") {
        return false;
    }
    const head = (s: string, sep: string) => s.split(sep)[0];
    switch (shape) {
        case "account":
        case "id":
            return !WILD.test(value);
        case "orgPath":
            return head(value, "/") !== "" && !WILD.test(head(value, "/"));
        case "userId":
            return head(value, ":") !== "" && !WILD.test(head(value, ":"));
        case "arn": {
            const parts = value.split(":");
            if (parts.length < 6) {
                return false;
            }
            // The account names the owner; S3 ARNs carry none, and their bucket name is global.
            const owner = parts[4] !== "" ? parts[4] : head(parts.slice(5).join(":"), "/");
            return owner !== "" && !WILD.test(owner);
        }
    }
}

function clauseNarrows(c: ConditionClause, op: Operator): boolean {
    const shape = KEY_SHAPES[c.key];
    return shape !== undefined && c.values.length > 0 && c.values.every(v => valueNarrows(shape, op.base, v));
}

/**
 * Whether a statement's conditions limit it to callers of one account, organization, identity or
 * network (one narrowing clause is enough: every clause must hold). `alwaysPresent`: the keys every
 * call this statement covers carries, for which IfExists changes nothing.
 */
export function narrowsCaller(s: Statement, keys: ReadonlySet<string> = CALLER_KEYS, alwaysPresent: ReadonlySet<string> = new Set()): boolean {
    return s.conditions.some(c => {
        const op = keys.has(c.key) ? readOperator(c.operator) : undefined;
        return op !== undefined && !op.negated && op.set !== "ForAllValues" && (!op.ifExists || alwaysPresent.has(c.key)) && clauseNarrows(c, op);
    });
}

/**
 * Whether a Deny's conditions make it apply to every caller outside one account, organization,
 * identity or network (the data-perimeter pattern: StringNotEquals aws:PrincipalOrgID), so that it
 * closes what an Allow opens. Every clause must be such a negated test, or an exemption of AWS
 * services acting for the caller; a Deny with any other condition (TLS, time) lets outsiders through.
 */
export function fencesCaller(s: Statement, keys: ReadonlySet<string> = CALLER_KEYS): boolean {
    if (s.effect !== "Deny" || s.conditions.length === 0) {
        return false;
    }
    let fence = false;
    for (const c of s.conditions) {
        const op = readOperator(c.operator);
        if (op && keys.has(c.key) && op.negated && op.set !== "ForAnyValue" && clauseNarrows(c, op)) {
            fence = true;
        } else if (!(op && SERVICE_EXEMPTION_KEYS.has(c.key))) {
            return false;
        }
    }
    return fence;
}

/** The clauses of a statement that don't narrow the caller, as "Operator key", for messages. */
export function looseConditions(s: Statement, keys: ReadonlySet<string> = CALLER_KEYS, alwaysPresent: ReadonlySet<string> = new Set()): string[] {
    return s.conditions
        .filter(c => !narrowsCaller({ ...s, conditions: [c] }, keys, alwaysPresent))
        .map(c => `${c.operator.length <= 64 ? c.operator : "?"} ${c.key.length <= 128 ? c.key : "?"}`);
}
