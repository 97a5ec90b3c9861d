// The identity index on its own: which resources a reference finds, by key and scope, whether a key
// is shared by a few resources or by thousands. The clouds' adapters are tested in test/unit/model.
import * as assert from "assert";
import { IdentityIndex, Scope, scopesAgree } from "../../../policies/lib/identity";

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
});
