// The public-programs tier: the pack over captures of public Pulumi programs (see
// scripts/public-programs/manifest.json), every line of its reports checked against a verdict a
// person gave it in reviewed.json. Refresh the file with `npm run public-programs -- --update`.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { compare, Comparison, describe as describeFinding, MODES, readManifest, readReviewed, ReviewedFile, scanCaptures, STACKS_DIR } from "../../scripts/public-programs/tier";

describe("public programs", function () {
    this.timeout(600000);
    const programs = readManifest();
    let reviewed: ReviewedFile;
    let result: Comparison;

    before(() => {
        reviewed = readReviewed();
        result = compare(reviewed, scanCaptures(programs));
    });

    it("covers at least 30 programs in TypeScript and Python on all three clouds, each captured for preview and up", () => {
        assert.ok(programs.length >= 30, `only ${programs.length} programs`);
        for (const language of ["typescript", "python"]) {
            for (const cloud of ["aws", "azure", "gcp"]) {
                assert.ok(programs.some(p => p.language === language && p.cloud === cloud), `no ${language} program on ${cloud}`);
            }
        }
        for (const p of programs) {
            assert.match(p.commit, /^[0-9a-f]{40}$/, `${p.id} has no pinned commit`);
            assert.ok(p.licence && p.attribution, `${p.id} has no licence or attribution`);
            for (const mode of MODES) {
                assert.ok(fs.existsSync(path.join(STACKS_DIR, `${p.id}.${mode}.json`)), `${p.id} has no ${mode} capture`);
            }
        }
    });

    it("has a verdict for every line the pack reports", () => {
        assert.deepStrictEqual(result.unreviewed.map(describeFinding), [], "review these lines in test/public-programs/reviewed.json (npm run public-programs -- --update adds them)");
    });

    it("still reports every line judged right", () => {
        assert.deepStrictEqual(result.lost.map(describeFinding), []);
    });

    it("gives a reason for every verdict", () => {
        const unexplained = reviewed.findings.filter(f => f.verdict !== "unreviewed" && !f.why.trim());
        assert.deepStrictEqual(unexplained.map(describeFinding), []);
    });

    it("has no mandatory line judged wrong or only repeating another", () => {
        assert.deepStrictEqual(result.wrongMandatory.map(describeFinding), []);
        assert.deepStrictEqual(result.repeatedMandatory.map(f => `${describeFinding(f)} (repeats ${f.repeats})`), []);
    });
});
