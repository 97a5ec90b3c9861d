// Azure Functions on Container Apps as a front door: a container app of kind functionapp on an external
// ingress with no ContainerAppsAuthConfig enabling authentication is a public path of the invocation
// family, public by design (its functions check keys), and what stack-azure-functionapp-auth-absent
// reports on the container app. The container app's replicas are always capped (maxReplicas, 10 when unset).
import { checkStack, TestResource } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";
import { recordConfiguredLevel } from "../../../policies/lib/redecide";

const PUBLIC = "stack-function-public-invocation";
const UNCAPPED = "stack-function-public-uncapped";
const AUTH_ABSENT = "stack-azure-functionapp-auth-absent";
const ACA = "azure-native:app:ContainerApp";
const ACA_AUTH = "azure-native:app:ContainerAppsAuthConfig";
const urn = (type: string, n: string) => `urn:pulumi:dev::orders::${type}::${n}`;

function res(type: string, n: string, props: Record<string, unknown>, deps: Record<string, [string, string][]> = {}): TestResource {
    return { type, name: n, urn: urn(type, n), props, propertyDependencies: Object.fromEntries(Object.entries(deps).map(([k, refs]) => [k, refs.map(([t, r]) => urn(t, r))])) };
}

const aca = (external: unknown = true, scale?: unknown) => res(ACA, "orders-aca", {
    resourceGroupName: "orders-rg", containerAppName: "orders-aca", kind: "functionapp",
    configuration: { ingress: { external, allowInsecure: false, targetPort: 80 } }, template: { containers: [{ name: "orders", image: "orders:1" }], scale },
});
const acaAuth = (enabled: unknown = true) => res(ACA_AUTH, "orders-aca-auth", {
    resourceGroupName: "orders-rg", containerAppName: UNKNOWN, platform: { enabled },
    identityProviders: { azureActiveDirectory: { registration: { clientId: "6f1c3f52-0d3e-4a40-9a57-0c1e1f6f9a11" } } },
}, { containerAppName: [[ACA, "orders-aca"]] });

async function withAuthAbsentDisabled(run: () => Promise<void>): Promise<void> {
    try {
        recordConfiguredLevel(AUTH_ABSENT, "disabled");
        await run();
    } finally {
        recordConfiguredLevel(AUTH_ABSENT, "advisory");
    }
}

describe("front doors: Azure Functions on Container Apps", () => {
    it("leaves the open container app to stack-azure-functionapp-auth-absent, and never calls its replicas uncapped", async () => {
        expectViolation(await checkStack(AUTH_ABSENT, [aca()]), /container app `orders-aca` hosts Azure Functions/, "advisory");
        expectPass(await checkStack(PUBLIC, [aca()]));
        expectPass(await checkStack(UNCAPPED, [aca()]));
        expectPass(await checkStack(UNCAPPED, [aca(true, { minReplicas: 0, maxReplicas: UNKNOWN })]));
    });
    it("says the path as advice, public by design, when stack-azure-functionapp-auth-absent is disabled", async () => {
        await withAuthAbsentDisabled(async () => {
            expectViolation(await checkStack(PUBLIC, [aca()]),
                /container app `orders-aca` can be invoked without authentication: container app `orders-aca` hosts Azure Functions on an external ingress with no ContainerAppsAuthConfig, so only function keys check its callers; function keys authenticate callers of functions that are not anonymous[\s\S]*add a ContainerAppsAuthConfig with an identity provider or make the ingress internal\./, "advisory");
        });
    });
    it("has no path with an auth config enabling authentication, or an internal ingress", async () => {
        await withAuthAbsentDisabled(async () => {
            expectPass(await checkStack(PUBLIC, [aca(), acaAuth()]));
            expectPass(await checkStack(PUBLIC, [aca(false)]));
        });
    });
    it("waits while the ingress or the auth config is computed", async () => {
        await withAuthAbsentDisabled(async () => {
            expectUnknown(await checkStack(PUBLIC, [aca(UNKNOWN)]));
            expectUnknown(await checkStack(PUBLIC, [aca(), acaAuth(UNKNOWN)]));
        });
    });
});
