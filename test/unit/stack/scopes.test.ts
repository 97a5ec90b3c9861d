// Links across scopes: resources of the same name in two regions, accounts, projects, resource groups
// or subscriptions are different resources, and a reference means the one in its own scope (from its
// ARN or id, its own region/project properties, or its explicit provider). Qualified Lambda ARNs and
// ARM-shaped names and ids (as read back from the cloud) still find their resource; a name that can't
// be told apart is reported as unknown, never linked to every candidate.
import * as assert from "assert";
import { checkStack, TestResource } from "../../support/harness";
import { expectPass, expectUndecided, expectViolation } from "../../support/expect";
import { UNKNOWN } from "../../../runner/wire";

type Provider = NonNullable<TestResource["provider"]>;

function res(type: string, name: string, props: Record<string, unknown>, extra: Partial<TestResource> = {}): TestResource {
    return { type, name, urn: urnOf(type, name), props, ...extra };
}
const urnOf = (type: string, name: string) => `urn:pulumi:prod::shop::${type}::${name}`;
const deps = (property: string, ...targets: TestResource[]) => ({ propertyDependencies: { [property]: targets.map(t => t.urn!) } });

describe("stack policies: identities across scopes", () => {
    describe("AWS: region and account", () => {
        const FN = "aws:lambda/function:Function";
        const PERMISSION = "aws:lambda/permission:Permission";
        const URL = "aws:lambda/functionUrl:FunctionUrl";
        const provider = (region: string): Provider => ({ type: "pulumi:providers:aws", urn: `urn:pulumi:prod::shop::pulumi:providers:aws::${region}`, props: { region } });
        const arn = (region: string, account = "111122223333", qualifier = "") => `arn:aws:lambda:${region}:${account}:function:api${qualifier}`;
        /** A deployed function named `api` without a concurrency cap: the uncapped line names the function each public path reaches. */
        const fn = (id: string, region: string, account = "111122223333") =>
            res(FN, id, { name: "api", arn: arn(region, account) }, { provider: provider(region) });
        const publicPermission = (functionRef: string, region?: string, extra: Partial<TestResource> = {}) =>
            res(PERMISSION, "public-invoke", { function: functionRef, principal: "*", action: "lambda:InvokeFunction" }, { ...(region ? { provider: provider(region) } : {}), ...extra });
        const name = "stack-function-public-uncapped";
        const flagged = (out: Awaited<ReturnType<typeof checkStack>>) => out.violations.map(v => v.urn!.split("::").pop()).sort();

        it("links a permission on a function ARN to the function in that region only", async () => {
            const out = await checkStack(name, [fn("api-us", "us-east-1"), fn("api-eu", "eu-west-1"), publicPermission(arn("eu-west-1"))]);
            assert.deepStrictEqual(flagged(out), ["api-eu"]);
        });
        it("links a permission naming the function by short name to the function of its provider's region", async () => {
            const out = await checkStack(name, [fn("api-us", "us-east-1"), fn("api-eu", "eu-west-1"), publicPermission("api", "us-east-1")]);
            assert.deepStrictEqual(flagged(out), ["api-us"]);
        });
        it("tells accounts apart in the same region", async () => {
            const out = await checkStack(name, [fn("api-a", "eu-west-1", "111122223333"), fn("api-b", "eu-west-1", "444455556666"), publicPermission(arn("eu-west-1", "444455556666"))]);
            assert.deepStrictEqual(flagged(out), ["api-b"]);
        });
        it("links qualified references: an alias ARN, $LATEST and name:alias", async () => {
            for (const ref of [arn("eu-west-1", "111122223333", ":live"), arn("eu-west-1", "111122223333", ":$LATEST"), arn("eu-west-1", "111122223333", ":7"), "api:live"]) {
                const out = await checkStack(name, [fn("api-us", "us-east-1"), fn("api-eu", "eu-west-1"), publicPermission(ref, "eu-west-1")]);
                assert.deepStrictEqual(flagged(out), ["api-eu"], ref);
            }
        });
        it("links a function URL by short name within its provider's region", async () => {
            const url = res(URL, "open-url", { functionName: "api", authorizationType: "NONE" }, { provider: provider("eu-west-1") });
            assert.deepStrictEqual(flagged(await checkStack(name, [fn("api-us", "us-east-1"), fn("api-eu", "eu-west-1"), url])), ["api-eu"]);
        });
        it("can't tell which function a bare name means without a scope, unless a dependency says", async () => {
            const us = fn("api-us", "us-east-1");
            const eu = fn("api-eu", "eu-west-1");
            expectUndecided(await checkStack(name, [us, eu, publicPermission("api")]), "ambiguous");
            assert.deepStrictEqual(flagged(await checkStack(name, [us, eu, publicPermission("api", undefined, deps("function", eu))])), ["api-eu"]);
        });
        it("links a role ARN only within its account", async () => {
            const ROLE = "aws:iam/role:Role";
            const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] });
            // Only role-b also trusts EC2, which no resource policy reports: the trust line shows which role the function was linked to.
            const ec2Too = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: ["lambda.amazonaws.com", "ec2.amazonaws.com"] }, Action: "sts:AssumeRole" }] });
            const role = (id: string, account: string) => res(ROLE, id, { name: "api-role", arn: `arn:aws:iam::${account}:role/api-role`, assumeRolePolicy: account === "444455556666" ? ec2Too : trust });
            const f = res(FN, "api", { name: "api", arn: arn("eu-west-1"), role: "arn:aws:iam::111122223333:role/api-role" });
            expectPass(await checkStack("stack-aws-lambda-role-trust", [role("role-a", "111122223333"), role("role-b", "444455556666"), f]));
            expectViolation(await checkStack("stack-aws-lambda-role-trust", [role("role-b", "444455556666"), { ...f, props: { ...f.props, role: "arn:aws:iam::444455556666:role/api-role" } }]), /role `role-b`, which also trusts Service `ec2.amazonaws.com`/);
        });
    });

    describe("Google Cloud: region and project", () => {
        // Gen-1 functions: left uncapped they scale to Google's default of 3,000 instances, so the uncapped
        // line shows which function an invoker grant was linked to (gen 2 stops at 100 by default).
        const F1 = "gcp:cloudfunctions/function:Function";
        const F1_MEMBER = "gcp:cloudfunctions/functionIamMember:FunctionIamMember";
        const fn = (id: string, location: string, project = "shop") =>
            res(F1, id, { name: "api", region: location, project, triggerHttp: true, serviceAccountEmail: `api@${project}.iam.gserviceaccount.com` });
        const name = "stack-function-public-uncapped";
        const flagged = (out: Awaited<ReturnType<typeof checkStack>>) => out.violations.map(v => v.urn!.split("::").pop()).sort();

        it("two gen-1 functions named `api` in two regions: allUsers on the European one flags only that one", async () => {
            const iam = res(F1_MEMBER, "eu-public", { cloudFunction: "api", region: "europe-west1", project: "shop", role: "roles/cloudfunctions.invoker", member: "allUsers" });
            assert.deepStrictEqual(flagged(await checkStack(name, [fn("api-us", "us-central1"), fn("api-eu", "europe-west1"), iam])), ["api-eu"]);
        });
        it("the same with the function's full id", async () => {
            const byId = res(F1_MEMBER, "eu-public", { cloudFunction: "projects/shop/locations/europe-west1/functions/api", role: "roles/cloudfunctions.invoker", member: "allUsers" });
            assert.deepStrictEqual(flagged(await checkStack(name, [fn("api-us", "us-central1"), fn("api-eu", "europe-west1"), byId])), ["api-eu"]);
        });
        it("takes the invoker's region from its provider", async () => {
            const iam = res(F1_MEMBER, "us-public", { cloudFunction: "api", role: "roles/cloudfunctions.invoker", member: "allUsers" },
                { provider: { type: "pulumi:providers:gcp", urn: "urn:pulumi:prod::shop::pulumi:providers:gcp::us", props: { project: "shop", region: "us-central1" } } });
            assert.deepStrictEqual(flagged(await checkStack(name, [fn("api-us", "us-central1"), fn("api-eu", "europe-west1"), iam])), ["api-us"]);
        });
        it("tells projects apart in the same region", async () => {
            const iam = res(F1_MEMBER, "other-public", { cloudFunction: "api", region: "europe-west1", project: "other", role: "roles/cloudfunctions.invoker", member: "allUsers" });
            assert.deepStrictEqual(flagged(await checkStack(name, [fn("api-shop", "europe-west1", "shop"), fn("api-other", "europe-west1", "other"), iam])), ["api-other"]);
        });
        it("can't tell which function an unscoped name means, unless a dependency says", async () => {
            const us = fn("api-us", "us-central1");
            const eu = fn("api-eu", "europe-west1");
            const iam = (extra: Partial<TestResource> = {}) => res(F1_MEMBER, "who", { cloudFunction: "api", role: "roles/cloudfunctions.invoker", member: "allUsers" }, extra);
            expectUndecided(await checkStack(name, [us, eu, iam()]), "ambiguous", { [iam().urn ?? ""]: ["cloudFunction"] });
            assert.deepStrictEqual(flagged(await checkStack(name, [us, eu, iam(deps("cloudFunction", eu))])), ["api-eu"]);
        });
        it("a service account of the same id in another project is another identity", async () => {
            const SA = "gcp:serviceaccount/account:Account";
            const account = (id: string, project: string) => res(SA, id, { accountId: "api", project, email: `api@${project}.iam.gserviceaccount.com` });
            const grant = res("gcp:projects/iAMMember:IAMMember", "editor", { project: "other", role: "roles/editor", member: "serviceAccount:api@other.iam.gserviceaccount.com" });
            // Linked by dependency only (the member unknown), the grant is one no resource policy can read: the stack line shows the link.
            const linked = { ...grant, props: { ...grant.props, member: UNKNOWN }, propertyDependencies: { member: [urnOf(SA, "sa-other")] } };
            expectPass(await checkStack("stack-function-identity-privileged", [account("sa-shop", "shop"), account("sa-other", "other"), fn("api", "europe-west1", "shop"), linked]));
            expectViolation(await checkStack("stack-function-identity-privileged", [account("sa-other", "other"), fn("api", "europe-west1", "other"), linked]), /runs as service account `sa-other`, which gets `roles\/editor`/);
            // With the member known, gcp-iam-service-account-admin-role reports it on the grant: the stack policy stays silent.
            expectPass(await checkStack("stack-function-identity-privileged", [account("sa-other", "other"), fn("api", "europe-west1", "other"), grant]));
        });
    });

    describe("Azure: resource group and subscription, ARM shapes", () => {
        const APP = "azure-native:web:WebApp";
        const FN = "azure-native:web:WebAppFunction";
        const AUTH = "azure-native:web:WebAppAuthSettingsV2";
        const SETTINGS = "azure-native:web:WebAppApplicationSettings";
        const SUB = "00000000-0000-0000-0000-000000000001";
        const site = (group: string, sub = SUB) => `/subscriptions/${sub}/resourceGroups/${group}/providers/Microsoft.Web/sites/api`;
        /** A function app named `api` as read back from Azure: ARM id, no resourceGroupName, settings list null. */
        const app = (id: string, group: string, sub = SUB) => res(APP, id, {
            id: site(group, sub), name: "api", kind: "functionapp,linux", siteConfig: { appSettings: null },
        });
        const anonymous = JSON.stringify({ bindings: [{ type: "httpTrigger", authLevel: "anonymous", direction: "in" }] });
        const fn = (id: string, group: string, sub = SUB) => res(FN, id, { id: `${site(group, sub)}/functions/hello`, name: "api/hello", config: anonymous });
        const auth = (group: string) => res(AUTH, `auth-${group}`, {
            id: `${site(group)}/config/authsettingsV2`, name: "authsettingsV2",
            platform: { enabled: true }, globalValidation: { requireAuthentication: true, unauthenticatedClientAction: "Return401" },
        });
        // Without a scale-out limit, the uncapped line goes on the app whose function is public.
        const name = "stack-function-public-uncapped";
        const flagged = (out: Awaited<ReturnType<typeof checkStack>>) => out.violations.map(v => v.urn!.split("::").pop()).sort();

        it("an ARM-named function (`app/function`) finds its app by its id, in its own resource group", async () => {
            const stack = [app("app-a", "rg-a"), app("app-b", "rg-b"), auth("rg-a"), fn("fn-a", "rg-a"), fn("fn-b", "rg-b")];
            const out = await checkStack(name, stack);
            assert.deepStrictEqual(flagged(out), ["app-b"]);
            expectViolation(out, /function app `app-b` has no scale-out limit .*function `fn-b`: its httpTrigger has authLevel "anonymous" and function app `app-b` has no App Service authentication/);
        });
        it("tells subscriptions apart for the same resource group name", async () => {
            const other = "00000000-0000-0000-0000-000000000002";
            const out = await checkStack(name, [app("app-1", "rg"), app("app-2", "rg", other), res(AUTH, "auth", { id: `${site("rg")}/config/authsettingsV2`, name: "authsettingsV2", platform: { enabled: true }, globalValidation: { requireAuthentication: true } }), fn("fn-1", "rg"), fn("fn-2", "rg", other)]);
            assert.deepStrictEqual(flagged(out), ["app-2"]);
        });
        it("an app name alone, shared by apps in two resource groups, can't be told apart", async () => {
            expectUndecided(await checkStack(name, [app("app-a", "rg-a"), app("app-b", "rg-b"), res(FN, "fn", { name: "api/hello", config: anonymous })]), "ambiguous");
        });
        it("app settings in a separate `appsettings` resource are found by its id (no false \"no Application Insights\")", async () => {
            const settings = (group: string, value: string | undefined) => res(SETTINGS, `settings-${group}`, {
                id: `${site(group)}/config/appsettings`, name: "appsettings", kind: "app", properties: value ? { APPLICATIONINSIGHTS_CONNECTION_STRING: value, FUNCTIONS_WORKER_RUNTIME: "node" } : { FUNCTIONS_WORKER_RUNTIME: "node" },
            });
            const cs = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/";
            expectPass(await checkStack("stack-function-logging", [app("app-a", "rg-a"), settings("rg-a", cs)]));
            const out = await checkStack("stack-function-logging", [app("app-a", "rg-a"), app("app-b", "rg-b"), settings("rg-a", cs), settings("rg-b", undefined)]);
            assert.deepStrictEqual(flagged(out), ["app-b"]);
        });
        it("can't tell an app's settings when they read back null and no settings resource is there", async () => {
            const a = app("app-a", "rg-a");
            expectUndecided(await checkStack("stack-function-logging", [a]), "unrecorded", { [a.urn ?? ""]: ["siteConfig.appSettings"] });
        });
    });
});
