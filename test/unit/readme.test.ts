import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { readmeWithTable } from "../../scripts/policy-table";
import { definitions } from "../../policies/registry";

describe("README", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "README.md"), "utf8");

    it("lists every policy exactly as the metadata says (run `npm run docs` after changing a policy)", () => {
        assert.strictEqual(readme, readmeWithTable(readme));
        for (const d of definitions) {
            assert.ok(readme.includes(`\`${d.meta.name}\``), d.meta.name);
        }
    });

    it("starts with the two quick-start commands", () => {
        const firstBlock = /```(?:sh|bash)\n([\s\S]*?)```/.exec(readme)![1];
        assert.match(firstBlock, /npm ci && npm run demo/);
        assert.match(firstBlock, /npm ci && npm test/);
    });
});
