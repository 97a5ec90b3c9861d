// Compares the pack's findings on the captured public programs with the reviewed verdicts.
//   npm run public-programs               what changed: unreviewed, lost and fixed lines, wrong or repeated mandatory lines
//   npm run public-programs -- --update   rewrites test/public-programs/reviewed.json: verdicts kept for lines still
//                                         reported, new lines marked unreviewed, lost lines listed (and dropped)
//   npm run public-programs -- --counts   the tier's counts, for the README
import { compare, counts, describe, readManifest, readReviewed, scanCaptures, updated, writeReviewed } from "./tier";

function list(title: string, lines: string[]): void {
    if (lines.length > 0) {
        console.log(`${title} (${lines.length}):`);
        for (const l of lines) {
            console.log(`  ${l}`);
        }
    }
}

function main(): number {
    const args = process.argv.slice(2);
    const unknown = args.filter(a => !["--update", "--counts"].includes(a));
    if (unknown.length > 0) {
        console.error(`unknown argument ${unknown[0]}; use --update or --counts`);
        return 2;
    }
    const programs = readManifest();
    let reviewed = readReviewed();
    if (args.includes("--counts") && !args.includes("--update")) {
        console.log(JSON.stringify(counts(programs, reviewed.findings), null, 2));
        return 0;
    }
    const current = scanCaptures(programs);
    const c = compare(reviewed, current);
    list("expected (right) lines no longer reported", c.lost.map(describe));
    list("lines judged wrong, debatable or repeated that are no longer reported", c.gone.map(f => `${describe(f)} [was ${f.verdict}${f.repeats ? ", repeat" : ""}]`));
    list("lines nobody has reviewed", c.unreviewed.map(describe));
    list("mandatory lines judged wrong", c.wrongMandatory.map(describe));
    list("mandatory lines that only repeat another", c.repeatedMandatory.map(f => `${describe(f)} (repeats ${f.repeats})`));
    if (args.includes("--update")) {
        reviewed = updated(reviewed, current);
        writeReviewed(reviewed);
        console.log(`rewrote the reviewed file: ${reviewed.findings.length} lines, ${c.unreviewed.length} to review`);
    }
    if (args.includes("--counts")) {
        console.log(JSON.stringify(counts(programs, reviewed.findings), null, 2));
    }
    return 0;
}

process.exitCode = main();
