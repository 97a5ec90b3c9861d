import { PolicyPack } from "@pulumi/policy";
import { installSdkChanges, PACK_ARGS, PACK_NAME } from "./policies/pack-entry";

installSdkChanges();

new PolicyPack(PACK_NAME, PACK_ARGS);
