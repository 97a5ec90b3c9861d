// `npm run fuzz`: the property-based fuzz suite (test/fuzz) with many more runs than in `npm test`.
//   FUZZ_RUNS  runs per property and policy (default 1000; npm test uses 30)
//   FUZZ_SEED  base seed (default: a new one each time, printed so a failure can be replayed)
//   FUZZ_SLOW_MS  a call slower than this, twice in a row, fails (default 200)
import { spawnSync } from "child_process";
import * as path from "path";

const repo = path.resolve(__dirname, "..", "..");
const runs = process.env.FUZZ_RUNS || "1000";
const seed = process.env.FUZZ_SEED || String(Math.floor(Math.random() * 2 ** 31));
process.stdout.write(`fuzzing every policy: FUZZ_RUNS=${runs} FUZZ_SEED=${seed} (set both to replay)\n`);
const mocha = require.resolve("mocha/bin/mocha.js", { paths: [repo] });
const result = spawnSync(process.execPath, [mocha, "--grep", "^fuzz: ", "--timeout", "0"], {
    cwd: repo,
    stdio: "inherit",
    env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed },
});
process.exitCode = result.status ?? 1;
