// The identity index and adapters on their own: which resources a reference finds, by key and scope,
// whether a key is shared by a few resources or by thousands.
import * as assert from "assert";
import { adapterFor, IdentityIndex, Scope, scopesAgree } from "../../../policies/lib/identity";

const T = "aws:lambda/function:Function";

/** Index entries stand for resources; here they are plain named records. */
interface Item { readonly name: string; readonly type: string; readonly scope: Scope }
const items = new Map<string, Item>();
const item = (name: string, scope: Scope, type = T): Item => {
    const it = { name, type, scope };
    items.set(name, it);
    return it;
};
const names = (found: { nodes: Item[]; ambiguous: string[] }) => ({ nodes: found.nodes.map(n => n.name), ambiguous: found.ambiguous });

describe("identity resolution", () => {
    it("scopes agree on every level known on both sides", () => {
        assert.ok(scopesAgree(["1", "eu"], ["1", "eu"]));
        assert.ok(scopesAgree(["1", undefined], [undefined, "eu"]));
        assert.ok(!scopesAgree(["1", "eu"], ["1", "us"]));
        assert.ok(!scopesAgree(["1", undefined], ["2", "eu"]));
    });

    for (const copies of [3, 300]) {
        it(`finds the same resources whether a key is shared by ${copies} resources or a few`, () => {
            const index = new IdentityIndex<Item>();
            const scopes: Scope[] = [];
            for (let i = 0; i < copies; i++) {
                // Accounts a0..a2, regions r0..r(copies/3), plus one resource whose scope is unknown.
                scopes.push([`a${i % 3}`, `r${Math.floor(i / 3)}`]);
            }
            scopes.push([undefined, undefined], ["a1", undefined]);
            scopes.forEach((s, i) => index.add("api", item(`n${i}`, s)));
            const unscoped = `n${copies}`;
            const accountOnly = `n${copies + 1}`;

            const exact = names(index.find("api", ["a1", "r0"]));
            const agreeing = ["n1", unscoped, accountOnly];
            assert.ok(exact.nodes.every(n => agreeing.includes(n)), `${exact.nodes}`);
            assert.strictEqual(exact.nodes.length, copies === 3 ? 3 : 2, "a large bucket stops at two");
            assert.deepStrictEqual(exact.ambiguous, [T], "n1, the unscoped and the account-only resource all agree");

            const other = names(index.find("api", ["a9", "r0"]));
            assert.deepStrictEqual(other.nodes, [unscoped]);
            assert.deepStrictEqual(other.ambiguous, []);

            assert.deepStrictEqual(index.find("api", ["a1", "r0"], new Set(["aws:iam/role:Role"])).nodes, []);
            assert.deepStrictEqual(index.find("api", ["a1", "r0"], undefined, items.get("n1")).ambiguous, [T]);
            assert.deepStrictEqual(index.find("missing", ["a1", "r0"]).nodes, []);
        });
    }

    it("tells a shared key's resources apart by their full scope when nothing else shares it", () => {
        const index = new IdentityIndex<Item>();
        for (let i = 0; i < 100; i++) {
            index.add("api", item(`n${i}`, [`a${i}`, `r${i}`]));
        }
        assert.deepStrictEqual(names(index.find("api", ["a42", "r42"])), { nodes: ["n42"], ambiguous: [] });
        assert.deepStrictEqual(names(index.find("api", ["a42", "r43"])), { nodes: [], ambiguous: [] });
        assert.deepStrictEqual(names(index.find("api", ["a42", undefined])), { nodes: ["n42"], ambiguous: [] });
        const unscoped = index.find("api", [undefined, undefined]);
        assert.deepStrictEqual(unscoped.ambiguous, [T]);
        assert.strictEqual(unscoped.nodes.length, 2, "stops at two: it can't be told which");
    });

    it("reads keys and scope from ARNs, resource paths and ARM ids", () => {
        const aws = adapterFor("aws:lambda/permission:Permission");
        const own: Scope = ["111122223333", "eu-west-1"];
        const refs = (adapter: ReturnType<typeof adapterFor>, type: string, props: Record<string, unknown>, property: string, scope: Scope = own) =>
            adapter.references({ type, name: "x", props }, property, scope).map(r => ({ keys: [...r.keys], scope: [...r.scope] }));
        assert.deepStrictEqual(refs(aws, "aws:lambda/permission:Permission", { function: "arn:aws:lambda:us-east-1:444455556666:function:api:live" }, "function"),
            [{ keys: ["arn:aws:lambda:us-east-1:444455556666:function:api:live", "arn:aws:lambda:us-east-1:444455556666:function:api", "api"], scope: ["444455556666", "us-east-1"] }]);
        assert.deepStrictEqual(refs(aws, "aws:lambda/permission:Permission", { function: "api:$LATEST" }, "function"), [{ keys: ["api:$LATEST", "api"], scope: own }]);
        assert.deepStrictEqual(refs(aws, "aws:lambda/eventSourceMapping:EventSourceMapping", { eventSourceArn: "https://sqs.us-east-1.amazonaws.com/444455556666/jobs" }, "eventSourceArn"),
            [{ keys: ["https://sqs.us-east-1.amazonaws.com/444455556666/jobs", "jobs"], scope: ["444455556666", "us-east-1"] }]);
        assert.deepStrictEqual(adapterFor("aws:iam/role:Role").identify({ type: "aws:iam/role:Role", name: "r", props: { name: "api-role", arn: "arn:aws:iam::111122223333:role/api-role" }, provider: { region: "eu-west-1" } }).scope,
            ["111122223333", undefined]);

        const gcp = adapterFor("gcp:cloudfunctionsv2/functionIamMember:FunctionIamMember");
        assert.deepStrictEqual(refs(gcp, "gcp:cloudfunctionsv2/functionIamMember:FunctionIamMember", { cloudFunction: "projects/shop/locations/europe-west1/functions/api" }, "cloudFunction", [undefined, undefined]),
            [{ keys: ["projects/shop/locations/europe-west1/functions/api", "api"], scope: ["shop", "europe-west1"] }]);
        assert.deepStrictEqual(refs(gcp, "gcp:projects/iAMMember:IAMMember", { member: "serviceAccount:Api-Fn@shop.iam.gserviceaccount.com" }, "member", [undefined, undefined]),
            [{ keys: ["api-fn@shop.iam.gserviceaccount.com", "api-fn"], scope: ["shop", undefined] }]);

        const azure = adapterFor("azure-native:web:WebAppFunction");
        const site = "/subscriptions/S1/resourceGroups/RG-A/providers/Microsoft.Web/sites/Api";
        assert.deepStrictEqual(refs(azure, "azure-native:web:WebAppFunction", { id: `${site}/functions/hello`, name: "Api/hello" }, "name", [undefined, undefined]),
            [{ keys: ["api"], scope: ["s1", "rg-a"] }]);
        assert.deepStrictEqual(refs(azure, "azure-native:web:WebAppApplicationSettings", { name: "appsettings" }, "name"), [], "an ARM config name alone doesn't name the app");
        assert.deepStrictEqual(refs(azure, "azure-native:web:WebAppApplicationSettings", { name: "api" }, "name", ["s1", "rg-a"]), [{ keys: ["api"], scope: ["s1", "rg-a"] }]);
        assert.deepStrictEqual(adapterFor("azure-native:web:WebApp").identify({ type: "azure-native:web:WebApp", name: "a", props: { name: "api", resourceGroupName: "RG-A" }, provider: { subscriptionId: "S1" } }),
            { keys: ["api"], scope: ["s1", "rg-a"] });
    });
});
