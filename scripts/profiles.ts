// Writes the shipped enforcement profiles in config/ from severity thresholds: `npm run docs`
// regenerates them, and a test fails when they drift from the policies.
import * as fs from "fs";
import * as path from "path";
import { generateProfile, ProfileOptions } from "../runner/profile";

export const PROFILES: Record<string, { description: string; options?: ProfileOptions; fixed?: Record<string, unknown> }> = {
    recommended: {
        description: "critical and high mandatory, medium and low advisory (the pack's defaults, spelled out for policy groups)",
        options: { mandatoryAt: "high", advisoryAt: "low" },
    },
    strict: {
        description: "medium and above mandatory, low advisory, customer-managed keys required",
        options: { mandatoryAt: "medium", advisoryAt: "low", set: { requireCustomerManagedKey: true, requireCmek: true, requireCmk: true } },
    },
    migration: {
        description: "every policy advisory: findings are shown, nothing fails (first step of a rollout)",
        fixed: { all: "advisory" },
    },
};

export function profileContent(name: string): string {
    const p = PROFILES[name];
    return JSON.stringify(p.fixed ?? generateProfile(p.options!), null, 2) + "\n";
}

if (require.main === module) {
    const dir = path.resolve(__dirname, "..", "..", "config");
    fs.mkdirSync(dir, { recursive: true });
    for (const name of Object.keys(PROFILES)) {
        fs.writeFileSync(path.join(dir, `${name}.json`), profileContent(name));
    }
    console.log(`config/: ${Object.keys(PROFILES).join(", ")}`);
}
