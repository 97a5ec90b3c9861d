// AWS platform defaults that decide findings, as dated facts (see ../lib/platform).
import { PlatformFact } from "../lib/platform";

/** SNS keeps stored messages on encrypted disks whether or not a topic has a KMS key; SSE-KMS is the option for a key you control. */
export const SNS_DEFAULT_DISK_ENCRYPTION: PlatformFact = {
    fact: "SNS stores messages with disk encryption by default",
    // The documentation states it without a start date; it is the date the statement was checked.
    since: "2026-12-06",
    source: "https://docs.aws.amazon.com/sns/latest/dg/sns-data-encryption.html (\"By default, Amazon SNS stores messages and files using disk encryption\")",
    reviewed: "2026-12-06",
};
