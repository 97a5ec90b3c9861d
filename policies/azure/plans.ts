// The hosting plan a function app runs on (Consumption, Flex Consumption, Premium or a dedicated App
// Service plan; Linux or Windows), which decides whether some settings mean anything: Linux
// Consumption apps have no FTP endpoint, Consumption apps stop at a platform maximum, and on a dedicated
// plan the plan's instance count sets the scale. The app says part of it (Flex Consumption through its
// functionAppConfig or type, Linux through kind or reserved, classic Azure through its type); the rest
// is read from the App Service plan its serverFarmId (classic: servicePlanId) names, through the stack.
import { AZURE_FUNCTIONS_PLANS, AzureOs, AzurePlanFacts, AzurePlanKind } from "../data/platform";
import { LinkedStack } from "../lib/define";
import { isUnknown, Node } from "../lib/graph";
import { asBoolean, asNumber, asString, at, Dict } from "../lib/values";
import { isFlexConsumption } from "./common";

export const NATIVE_PLAN = "azure-native:web:AppServicePlan";
export const CLASSIC_SERVICE_PLAN = "azure:appservice/servicePlan:ServicePlan";
export const CLASSIC_LEGACY_PLAN = "azure:appservice/plan:Plan";
const PLAN_TYPES = new Set([NATIVE_PLAN, CLASSIC_SERVICE_PLAN, CLASSIC_LEGACY_PLAN]);

/** What an app itself says about where it runs. */
export interface AppHosting {
    flex: boolean;
    /** Undefined when only the plan can tell. */
    os: AzureOs | undefined;
    /** The property that names the App Service plan. */
    planProperty: string;
}

/** Where a function app runs, once its plan is known. */
export interface Hosting {
    kind: AzurePlanKind;
    os: AzureOs;
    facts: AzurePlanFacts;
    /** e.g. "Linux Consumption". */
    label: string;
    /** A Premium plan's maximum burst (maximumElasticWorkerCount), when set. */
    maxBurst: number | undefined;
    plan: Node | undefined;
}

const linuxText = (v: unknown) => /linux/i.test(asString(v) ?? "");

export function nativeAppHosting(props: Dict): AppHosting {
    const linux = linuxText(props.kind) || asBoolean(props.reserved) === true;
    const flex = isFlexConsumption(props);
    return { flex, os: linux || flex ? "linux" : undefined, planProperty: "serverFarmId" };
}

export function classicAppHosting(os: AzureOs, flex: boolean): AppHosting {
    return { flex, os, planProperty: "servicePlanId" };
}

/** The plan kind a SKU tier ("Dynamic", "ElasticPremium") or SKU name ("Y1", "EP1", "FC1") stands for. */
export function planKindOf(sku: string): AzurePlanKind {
    const text = sku.trim().toLowerCase();
    const { tiers } = AZURE_FUNCTIONS_PLANS;
    const prefix = /^[a-z]+/.exec(text)?.[0] ?? "";
    return tiers[text] ?? (/^[a-z]+\d/.test(text) ? tiers[prefix] : undefined) ?? "dedicated";
}

/** A plan's SKU, OS and maximum burst, by provider; `unknownAt` names a decisive value unknown during preview. */
function readPlan(plan: Node): { sku?: string; linux?: boolean; maxBurst?: number; unknownAt?: string } {
    const p = plan.props;
    const decisive: [string, unknown][] = plan.type === CLASSIC_SERVICE_PLAN
        ? [["skuName", p.skuName], ["osType", p.osType]]
        : [["sku", p.sku], ["sku.tier", at(p.sku, "tier")], ["sku.name", at(p.sku, "name")], ["kind", p.kind], ["reserved", p.reserved]];
    const unknownAt = decisive.find(([, v]) => isUnknown(v))?.[0];
    if (unknownAt !== undefined) {
        return { unknownAt };
    }
    const maxBurst = asNumber(p.maximumElasticWorkerCount);
    if (plan.type === CLASSIC_SERVICE_PLAN) {
        return { sku: asString(p.skuName), linux: /^linux$/i.test(asString(p.osType) ?? ""), maxBurst };
    }
    const sku = asString(at(p.sku, "tier")) ?? asString(at(p.sku, "name")) ?? asString(at(p.sku, "size"));
    return { sku, linux: asBoolean(p.reserved) === true || linuxText(p.kind), maxBurst };
}

function hosting(kind: AzurePlanKind, os: AzureOs, plan: Node | undefined, maxBurst: number | undefined): Hosting {
    const facts = AZURE_FUNCTIONS_PLANS.plans[kind];
    const label = kind === "flex-consumption" ? facts.label : `${os === "linux" ? "Linux" : "Windows"} ${facts.label}`;
    return { kind, os, facts, label, maxBurst, plan };
}

/**
 * Where the app runs: Flex Consumption from the app alone; otherwise its App Service plan in the stack.
 * Undefined when the plan isn't in the stack; "unknown" when it can't be told yet (recorded with
 * `linked.unknown`: the check waits instead of deciding).
 */
export function hostingOf(app: AppHosting, stack: () => LinkedStack): Hosting | "unknown" | undefined {
    if (app.flex) {
        return hosting("flex-consumption", "linux", undefined, undefined);
    }
    const { graph, node, unknown } = stack();
    const found = graph.resolve(node, app.planProperty, PLAN_TYPES);
    if (found.nodes.length !== 1) {
        if (found.undecided) {
            unknown(node, app.planProperty, "ambiguous");
            return "unknown";
        }
        if (found.nodes.length === 0 && isUnknown(node.props[app.planProperty])) {
            unknown(node, app.planProperty);
            return "unknown";
        }
        return undefined;
    }
    const plan = found.nodes[0];
    const read = readPlan(plan);
    if (read.unknownAt !== undefined || read.sku === undefined) {
        unknown(plan, read.unknownAt ?? (plan.type === CLASSIC_SERVICE_PLAN ? "skuName" : "sku"));
        return "unknown";
    }
    const os: AzureOs = app.os ?? (read.linux ? "linux" : "windows");
    return hosting(planKindOf(read.sku), os, plan, read.maxBurst);
}
