// How the tier compares the pack's lines with the judged ones, and how --update rewrites the file.
import * as assert from "assert";
import { compare, counts, Finding, ManifestProgram, ReviewedFile, updated } from "../../scripts/public-programs/tier";

const line = (over: Partial<Finding> = {}): Finding => ({
    program: "p", resource: "aws:lambda/function:Function::fn", policy: "aws-lambda-function-runtime-deprecated",
    level: "mandatory", message: "runtime `nodejs12.x` is deprecated", modes: ["preview", "up"], ...over,
});
const file = (...findings: ReviewedFile["findings"]): ReviewedFile => ({ _about: "test", findings });

describe("public programs: comparing with the reviewed file", () => {
    it("reports a line with no verdict, or still marked unreviewed, as unreviewed", () => {
        const fresh = line({ message: "new" });
        const pending = line({ message: "pending" });
        const c = compare(file({ ...pending, verdict: "unreviewed", why: "" }), [fresh, pending]);
        assert.deepStrictEqual(c.unreviewed.map(f => f.message), ["new", "pending"]);
    });

    it("reports a right line that is no longer reported as lost, and a wrong or repeated one as gone", () => {
        const c = compare(file(
            { ...line({ message: "right" }), verdict: "right", why: "w" },
            { ...line({ message: "wrong" }), verdict: "wrong", why: "w" },
            { ...line({ message: "repeat" }), verdict: "right", why: "w", repeats: "x" },
        ), []);
        assert.deepStrictEqual(c.lost.map(f => f.message), ["right"]);
        assert.deepStrictEqual(c.gone.map(f => f.message), ["wrong", "repeat"]);
    });

    it("counts a wrong or repeated line against the mandatory check only while it is mandatory", () => {
        const reviewed = file(
            { ...line({ message: "wrong" }), verdict: "wrong", why: "w" },
            { ...line({ message: "repeat" }), verdict: "right", why: "w", repeats: "x" },
        );
        const now = compare(reviewed, [line({ message: "wrong" }), line({ message: "repeat" })]);
        assert.strictEqual(now.wrongMandatory.length, 1);
        assert.strictEqual(now.repeatedMandatory.length, 1);
        const advisory = compare(reviewed, [line({ message: "wrong", level: "advisory" }), line({ message: "repeat", level: "advisory" })]);
        assert.deepStrictEqual([advisory.wrongMandatory.length, advisory.repeatedMandatory.length, advisory.unreviewed.length], [0, 0, 0]);
    });

    it("--update keeps verdicts of lines still reported, takes their current level, adds new ones unreviewed and drops lost ones", () => {
        const out = updated(file(
            { ...line({ message: "kept" }), verdict: "debatable", why: "because", repeats: "x" },
            { ...line({ message: "lost" }), verdict: "right", why: "w" },
        ), [line({ message: "kept", level: "advisory" }), line({ message: "new" })]);
        assert.deepStrictEqual(out.findings.map(f => [f.message, f.level, f.verdict, f.why, f.repeats]), [
            ["kept", "advisory", "debatable", "because", "x"],
            ["new", "mandatory", "unreviewed", "", undefined],
        ]);
    });

    it("counts findings, mandatory lines and lines per flagged resource", () => {
        const programs = [{ id: "p", language: "typescript", cloud: "aws" }] as ManifestProgram[];
        const c = counts(programs, [
            { ...line({ message: "a" }), verdict: "right", why: "w" },
            { ...line({ message: "b", level: "advisory" }), verdict: "wrong", why: "w" },
            { ...line({ message: "c", resource: "aws:iam/role:Role::r" }), verdict: "right", why: "w", repeats: "x" },
        ]);
        assert.deepStrictEqual([c.findings, c.mandatory, c.flaggedResources, c.findingsPerFlaggedResource, c.mandatoryRightAndNeeded, c.mandatoryRepeats],
            [3, 2, 2, 1.5, 1, 1]);
    });
});
