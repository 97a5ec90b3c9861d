// The Node.js versions the package promises (`engines`), the README's "Supported versions" and the
// versions CI's matrix (scripts/ci-matrix.sh) tests must tell the same story.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPO } from "../support/pack";

const read = (file: string) => fs.readFileSync(path.join(REPO, file), "utf8");

/** The exact Node.js versions the matrix runs by default, by major. */
function matrixVersions(): Map<number, string> {
    const found = new Map<number, string>();
    for (const m of read("scripts/ci-matrix.sh").matchAll(/^node(\d+)="\$\{SERVERLESS_GUARD_NODE\1:-(\d+\.\d+\.\d+)\}"$/gm)) {
        found.set(Number(m[1]), m[2]);
    }
    return found;
}

/** `^X.Y.Z || ^A.B.C` as [major, minor, patch] lower bounds; any other range form is refused. */
function caretRanges(range: string): number[][] {
    return range.split("||").map(part => {
        const m = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(part.trim());
        assert.ok(m, `engines.node part "${part.trim()}" is not a ^X.Y.Z range`);
        return m.slice(1).map(Number);
    });
}

function satisfies(version: string, ranges: number[][]): boolean {
    const v = version.split(".").map(Number);
    return ranges.some(([major, minor, patch]) => v[0] === major && (v[1] > minor || (v[1] === minor && v[2] >= patch)));
}

describe("supported Node.js versions", () => {
    const engines: string = JSON.parse(read("package.json")).engines.node;
    const tested = matrixVersions();

    it("CI tests Node.js 20, 22 and 24", () => {
        assert.deepStrictEqual([...tested.keys()].sort((a, b) => a - b), [20, 22, 24]);
    });

    it("engines.node admits every tested version and no untested major line", () => {
        const ranges = caretRanges(engines);
        for (const version of tested.values()) {
            assert.ok(satisfies(version, ranges), `${version} is tested but outside engines.node "${engines}"`);
        }
        for (const [major] of ranges) {
            assert.ok(tested.has(major), `engines.node "${engines}" admits Node.js ${major}, which CI doesn't test`);
        }
        const lock = JSON.parse(read("package-lock.json")).packages[""].engines.node;
        assert.strictEqual(lock, engines, "package-lock.json's root engines differ from package.json: run npm install");
    });

    it("the README's Supported versions names the tested versions and the engines range", () => {
        const readme = read("README.md");
        const start = readme.indexOf("### Supported versions");
        assert.ok(start >= 0, "README has no \"### Supported versions\" section");
        const section = readme.slice(start, readme.indexOf("\n#", start + 1));
        for (const version of tested.values()) {
            assert.ok(section.includes(version), `README's Supported versions doesn't mention ${version}`);
        }
        assert.ok(section.replace(/\s+/g, " ").includes(engines), `README's Supported versions doesn't quote engines.node "${engines}"`);
    });
});
