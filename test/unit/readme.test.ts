import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { DOCUMENTS, policyCounts, readmeWithTable, unmarkedCounts, withCounts } from "../../scripts/policy-table";
import { definitions } from "../../policies/registry";

describe("README", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "README.md"), "utf8");

    it("lists every policy exactly as the metadata says (run `npm run docs` after changing a policy)", () => {
        assert.strictEqual(readme, readmeWithTable(readme));
        for (const d of definitions) {
            assert.ok(readme.includes(`\`${d.meta.name}\``), d.meta.name);
        }
    });

    for (const name of DOCUMENTS) {
        it(`${name} quotes every policy count from the metadata (run \`npm run docs\`), none by hand`, () => {
            const text = fs.readFileSync(path.resolve(__dirname, "..", "..", "..", name), "utf8");
            assert.strictEqual(text, withCounts(text), `${name} has a stale generated count`);
            assert.deepStrictEqual(unmarkedCounts(text), [], `${name} states a policy count by hand; use <!-- count:NAME -->N<!-- /count -->`);
        });
    }

    it("the count spans are real: a stale or hand-written count is found", () => {
        const counts = policyCounts();
        const stale = "We ship <!-- count:policies -->3<!-- /count --> checks.";
        assert.notStrictEqual(withCounts(stale), stale);
        assert.match(withCounts(stale), new RegExp(`-->${counts.policies}<!--`));
        assert.deepStrictEqual(unmarkedCounts("105 resource and 17 stack policies, 1 policy"), ["17 stack policies", "1 policy"]);
        assert.throws(() => withCounts("<!-- count:nope -->1<!-- /count -->"), /unknown count "nope"/);
    });

    it("answers what and how on its first screen", () => {
        const firstScreen = readme.split("\n").slice(0, 40).join("\n");
        assert.match(firstScreen, /pulumi preview --policy-pack/);
        assert.match(firstScreen, /pulumi login --local/);
        assert.match(firstScreen, /Lambda[\s\S]*Azure Functions[\s\S]*Cloud Functions/);
        assert.ok(readme.indexOf("## Configuration") < readme.indexOf("## Policies"), "configuration comes before the policy table");
    });

    it("starts with the two quick-start commands", () => {
        const firstBlock = /```(?:sh|bash)\n([\s\S]*?)```/.exec(readme)![1];
        assert.match(firstBlock, /npm ci && npm run demo/);
        assert.match(firstBlock, /npm ci && npm test/);
    });
});
