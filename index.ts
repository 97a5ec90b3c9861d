import { PolicyPack } from "@pulumi/policy";
import { installSdkChanges, PACK_ARGS, PACK_NAME } from "./policies/pack-entry";
import { rejectConfigProblems } from "./policies/lib/config-guard";
import { captureConfiguredLevels } from "./policies/lib/redecide";
import { definitions } from "./policies/registry";
import { policyInfos } from "./policies/lib/config-problems";

installSdkChanges();
// Served over the analyzer protocol: Configure refuses a config with problems and keeps the level it
// sets for each policy (runner/local.ts, which has no Configure call, does both itself).
rejectConfigProblems(policyInfos(definitions));
captureConfiguredLevels();

new PolicyPack(PACK_NAME, PACK_ARGS);
