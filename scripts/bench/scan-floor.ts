// The floor of a scan, for `npm run bench`: a Node process that reads and parses the same stack export
// as the scanner does and writes its resources back out as JSON, with no policy run. A scan's wall time
// over this floor (measured in the same run) is what the policies and reports cost.
import * as fs from "fs";
import { readInput } from "../../runner/files";
import { parseInput } from "../../runner/inputs";
import { writeChunksToFile } from "../../runner/stream";

const [file, out] = process.argv.slice(2);
const input = parseInput(readInput(file), file);
writeChunksToFile(out ?? "/dev/null", (function* () {
    for (const r of input.resources) {
        yield JSON.stringify(r, null, 2);
    }
})());
fs.writeSync(2, `${input.resources.length} resources\n`);
