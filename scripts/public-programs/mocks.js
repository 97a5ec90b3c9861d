// Mocks for capturing public programs: realistic outputs (ids, ARNs, emails, URLs) from outputs.json,
// so that links between resources resolve the way they would after `pulumi up`; during preview only
// what the provider knows before creating anything (the inputs and autonamed names).
"use strict";
const crypto = require("crypto");
const data = require("./outputs.json");

const ctx = data.context;
const SIG = "4dabf18193072939515e22adb298388d";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function digest(seed) {
    return crypto.createHash("sha256").update(seed).digest();
}

/** Stable pseudo-random strings of the shapes providers use, from a seed (the resource's type and name). */
function generated(seed) {
    const h = digest(seed);
    const hex = h.toString("hex") + digest(seed + "#").toString("hex");
    const lower = [...h].map(b => "abcdefghijklmnopqrstuvwxyz0123456789"[b % 36]).join("");
    const alnum = [...h].map(b => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[b % 62]).join("");
    return {
        hex7: hex.slice(0, 7), hex8: hex.slice(0, 8), hex17: hex.slice(0, 17), hex32: hex.slice(0, 32),
        lower6: lower.slice(0, 6), lower7: lower.slice(0, 7), lower10: lower.slice(0, 10), lower10b: lower.slice(10, 20), lower32: lower.slice(0, 32),
        upper16: alnum.toUpperCase().replace(/[^A-Z0-9]/g, "X").slice(0, 16), alnum6: alnum.slice(0, 6),
        digits20: [...h].map(b => String(b % 10)).join("").slice(0, 20),
        uuid: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`,
        base64key: Buffer.from(hex.slice(0, 64), "hex").toString("base64"),
    };
}

const nameProperty = type => data.nameProperty[type] || "name";

function provider(type) {
    return type.split(":")[0];
}

/** Whether the provider names this resource itself when the program doesn't (autonaming). */
function autonames(type) {
    if (data.nameProperty[type]) {
        return true;
    }
    const template = data.types[type];
    return !!template && JSON.stringify(template).includes("${name}") && !["aws:lambda/permission:Permission"].includes(type);
}

function physicalName(type, name, inputs) {
    const prop = nameProperty(type);
    if (typeof inputs[prop] === "string") {
        return inputs[prop];
    }
    const g = generated(`${type}::${name}`);
    if (provider(type) === "azure-native") {
        return (type.endsWith(":StorageAccount") ? name.replace(/[^a-z0-9]/gi, "").toLowerCase() : name) + g.hex8;
    }
    return `${name}-${g.hex7}`;
}

function lastSegment(v) {
    return typeof v === "string" ? v.split("/").pop() : v;
}

function expand(template, vars) {
    if (typeof template === "string") {
        const whole = /^\$\{(\w+)\}$/.exec(template);
        if (whole && vars[whole[1]] !== undefined && typeof vars[whole[1]] !== "string") {
            return vars[whole[1]];
        }
        return template.replace(/\$\{(\w+)\}/g, (m, k) => (vars[k] !== undefined && typeof vars[k] !== "object" ? String(vars[k]) : m));
    }
    if (Array.isArray(template)) {
        return template.map(t => expand(t, vars));
    }
    if (template && typeof template === "object") {
        return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, expand(v, vars)]));
    }
    return template;
}

/** Names the templates can use: context, generated strings, the inputs (a link keeps its last path segment for ids of parents). */
function variables(type, name, inputs, physical) {
    const vars = { ...ctx, ...generated(`${type}::${name}`) };
    for (const [k, v] of Object.entries(inputs)) {
        if (typeof v === "string" || typeof v === "number") {
            vars[k] = v;
        }
    }
    vars.name = physical;
    vars[nameProperty(type)] = physical;
    if (typeof inputs.resourceGroupName === "string") {
        vars.resourceGroup = inputs.resourceGroupName;
    }
    if (provider(type) === "aws" && typeof inputs.role === "string") {
        vars.role = lastSegment(inputs.role);
    }
    if (typeof inputs.project !== "string") {
        vars.project = ctx.project;
    }
    if (typeof inputs.location !== "string") {
        vars.location = provider(type) === "gcp" ? ctx.gcpRegion : ctx.azureLocation;
    }
    if (typeof inputs.region !== "string") {
        vars.region = provider(type) === "gcp" ? ctx.gcpRegion : ctx.region;
    }
    return vars;
}

/** What a resource looks like after the provider's Check: the autonamed name filled in. */
function checkedInputs(type, name, inputs) {
    if (!autonames(type) || inputs[nameProperty(type)] !== undefined) {
        return inputs;
    }
    return { ...inputs, [nameProperty(type)]: physicalName(type, name, inputs) };
}

function fallbackOutputs(type, vars) {
    const out = { id: `${vars.name}-${vars.hex8}` };
    if (provider(type) === "aws") {
        const service = type.split(":")[1].split("/")[0];
        out.arn = `arn:aws:${service}:${ctx.region}:${ctx.account}:${vars.name}`;
    }
    return out;
}

function upState(type, name, inputs, custom) {
    if (custom === false) {
        return { id: undefined, state: {} };
    }
    const checked = checkedInputs(type, name, inputs);
    const physical = autonames(type) ? checked[nameProperty(type)] : name;
    const vars = variables(type, name, checked, physical);
    const template = data.types[type];
    const computed = template ? expand(template, vars) : fallbackOutputs(type, vars);
    const { id, ...rest } = computed;
    const state = { ...rest, ...checked };
    if (autonames(type) && state.name === undefined) {
        state.name = physical;
    }
    if (provider(type) === "gcp") {
        state.project = state.project ?? ctx.project;
    }
    return { id: String(id), state };
}

function previewState(type, name, inputs, custom) {
    if (custom === false) {
        return { id: undefined, state: {} };
    }
    const checked = checkedInputs(type, name, inputs);
    const state = { ...checked };
    if (autonames(type) && state.name === undefined) {
        state.name = checked[nameProperty(type)];
    }
    if (provider(type) === "gcp" && state.project === undefined) {
        state.project = ctx.project;
    }
    return { id: undefined, state };
}

// ---- invokes (data sources) ----

function policyDocument(args) {
    const toList = v => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);
    const one = v => (Array.isArray(v) && v.length === 1 ? v[0] : v);
    const statements = (args.statements || []).map(s => {
        const st = {};
        if (s.sid) st.Sid = s.sid;
        st.Effect = s.effect || "Allow";
        if (s.actions) st.Action = one(s.actions);
        if (s.notActions) st.NotAction = one(s.notActions);
        if (s.resources) st.Resource = one(s.resources);
        if (s.notResources) st.NotResource = one(s.notResources);
        if (s.principals) {
            st.Principal = {};
            for (const p of s.principals) {
                if (p.type === "*") st.Principal = "*";
                else st.Principal[p.type] = one(p.identifiers);
            }
        }
        if (s.conditions) {
            st.Condition = {};
            for (const c of s.conditions) {
                st.Condition[c.test] = { ...(st.Condition[c.test] || {}), [c.variable]: one(c.values) };
            }
        }
        return st;
    });
    const json = JSON.stringify({ Version: args.version || "2012-10-17", Statement: statements }, null, 2);
    return { id: generated(json).hex8, json, minifiedJson: JSON.stringify(JSON.parse(json)) };
}

const INVOKES = {
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({ accountId: ctx.account, arn: `arn:aws:iam::${ctx.account}:user/deployer`, userId: "AIDAEXAMPLEUSERID", id: ctx.account }),
    "aws:index/getRegion:getRegion": () => ({ name: ctx.region, region: ctx.region, id: ctx.region, endpoint: `ec2.${ctx.region}.amazonaws.com`, description: "US West (Oregon)" }),
    "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com", id: "aws", reverseDnsPrefix: "com.amazonaws" }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({ names: [`${ctx.region}a`, `${ctx.region}b`, `${ctx.region}c`], zoneIds: ["usw2-az1", "usw2-az2", "usw2-az3"], id: ctx.region }),
    "aws:iam/getPolicyDocument:getPolicyDocument": policyDocument,
    "aws:route53/getZone:getZone": a => ({ zoneId: "Z0123456789ABCDEFGHIJ", id: "Z0123456789ABCDEFGHIJ", name: String(a.name ?? "example.org").replace(/\.$/, ""), arn: "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ", privateZone: false, nameServers: ["ns-1.awsdns-01.org"] }),
    "gcp:organizations/getProject:getProject": () => ({ projectId: ctx.project, number: ctx.projectNumber, name: ctx.project, id: `projects/${ctx.project}` }),
    "gcp:organizations/getClientConfig:getClientConfig": () => ({ project: ctx.project, region: ctx.gcpRegion, zone: `${ctx.gcpRegion}-a`, accessToken: "ya29.mock-token", id: "client" }),
    "azure-native:authorization:getClientConfig": () => ({ clientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", objectId: "5f1d2c3b-0a9e-4f8d-b7c6-a5b4c3d2e1f0", subscriptionId: ctx.subscription, tenantId: ctx.tenant }),
    "azure-native:storage:listStorageAccountKeys": a => ({ keys: [{ keyName: "key1", permissions: "FULL", value: generated(`key1:${a.accountName}`).base64key }, { keyName: "key2", permissions: "FULL", value: generated(`key2:${a.accountName}`).base64key }] }),
    "azure-native:storage:listStorageAccountServiceSAS": a => ({ serviceSasToken: `sv=2022-11-02&sr=b&sig=${encodeURIComponent(generated(JSON.stringify(a)).base64key)}&se=2030-01-01T00%3A00%3A00Z&sp=r` }),
    "azure-native:web:listWebAppHostKeys": () => ({ functionKeys: { default: "mock-function-key" }, masterKey: "mock-master-key" }),
    "azure:storage/getAccountBlobContainerSAS:getAccountBlobContainerSAS": a => ({ sas: `?sv=2018-11-09&sr=c&sig=${encodeURIComponent(generated(JSON.stringify(a)).base64key)}&st=${a.start}&se=${a.expiry}&sp=r`, id: "sas", ...a }),
    "azure-native:operationalinsights:getSharedKeys": a => ({ primarySharedKey: generated(`shared1:${a.workspaceName}`).base64key, secondarySharedKey: generated(`shared2:${a.workspaceName}`).base64key }),
    "azure-native:containerregistry:listRegistryCredentials": a => ({ username: a.registryName, passwords: [{ name: "password", value: generated(`acr1:${a.registryName}`).base64key }, { name: "password2", value: generated(`acr2:${a.registryName}`).base64key }] }),
    "azure:eventhub/getEventhubNamespace:getEventhubNamespace": a => {
        const key = generated(`eventhub:${a.name}`).base64key;
        return {
            id: `/subscriptions/${ctx.subscription}/resourceGroups/${a.resourceGroupName}/providers/Microsoft.EventHub/namespaces/${a.name}`, name: a.name, resourceGroupName: a.resourceGroupName, location: ctx.azureLocation, sku: "Standard", capacity: 1,
            defaultPrimaryKey: key, defaultPrimaryConnectionString: `Endpoint=sb://${a.name}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${key}`,
        };
    },
    "azure:core/getClientConfig:getClientConfig": () => ({ clientId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46", objectId: "5f1d2c3b-0a9e-4f8d-b7c6-a5b4c3d2e1f0", subscriptionId: ctx.subscription, tenantId: ctx.tenant, id: "client" }),
    "azure:core/getSubscription:getSubscription": () => ({ subscriptionId: ctx.subscription, displayName: "examples", tenantId: ctx.tenant, id: `/subscriptions/${ctx.subscription}` }),
};

const unhandledInvokes = new Set();

function forMode(preview) {
    return {
        newResource(args) {
            return (preview ? previewState : upState)(args.type, args.name, args.inputs, args.custom);
        },
        call(args) {
            const f = INVOKES[args.token];
            if (!f) {
                if (!unhandledInvokes.has(args.token)) {
                    unhandledInvokes.add(args.token);
                    console.error(`note: no mock for invoke ${args.token}; it returns its arguments`);
                }
                return args.inputs;
            }
            return f(args.inputs);
        },
    };
}

// ---- turning registrations into stack-export resources ----

/** Resource references become what the engine hands a provider that doesn't take references: the id (custom) or URN. */
function plain(value) {
    if (Array.isArray(value)) {
        return value.map(plain);
    }
    if (value && typeof value === "object") {
        const sig = value[SIG];
        if (sig === RESOURCE_SIG) {
            return value.id !== undefined && value.id !== "" ? value.id : (value.urn ?? UNKNOWN);
        }
        if (sig === ASSET_SIG || sig === ARCHIVE_SIG) {
            // Archives are summarised: their layout stays, file contents don't.
            const out = { [SIG]: sig };
            if (value.path !== undefined) out.path = value.path;
            if (value.uri !== undefined) out.uri = value.uri;
            if (value.text !== undefined) out.text = value.text.length > 2000 ? `${value.text.slice(0, 2000)}…` : value.text;
            if (value.assets !== undefined) out.assets = plain(value.assets);
            return out;
        }
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
    }
    return value;
}

function toStateResource(r) {
    const inputs = plain(r.custom === false ? r.inputs : checkedInputs(r.type, r.name, r.inputs));
    const out = {
        urn: r.urn,
        custom: r.custom,
        type: r.type,
        inputs,
        outputs: plain(r.outputs),
    };
    if (r.id !== undefined) out.id = r.id;
    if (r.parent) out.parent = r.parent;
    if (r.dependencies.length) out.dependencies = [...new Set(r.dependencies)];
    const pd = Object.fromEntries(Object.entries(r.propertyDependencies).filter(([, v]) => v.length > 0));
    if (Object.keys(pd).length) out.propertyDependencies = pd;
    return out;
}

/** Object keys in a fixed order, so that a capture run twice writes the same file. */
function sortedKeys(value) {
    if (Array.isArray(value)) {
        return value.map(sortedKeys);
    }
    if (value && typeof value === "object") {
        return Object.fromEntries(Object.keys(value).sort().map(k => [k, sortedKeys(value[k])]));
    }
    return value;
}

/** A stack export (version 3) of the registrations, in registration order. */
function stackExport(registrations) {
    return {
        version: 3,
        deployment: {
            manifest: { time: "2026-12-06T00:00:00Z", magic: "", version: "v3.248.0" },
            resources: registrations.map(r => sortedKeys(toStateResource(r))),
        },
    };
}

module.exports = { forMode, stackExport };
