// Google Cloud Functions (gen 1) and Cloud Run functions (gen 2) runtimes with their deprecation
// dates: the start of Google's deprecation period, after which a runtime gets no language, OS or
// package patches (decommission, when deploys stop, follows about six months later). Where Google
// gives only a month ("October 2027"), the last day of that month is used. Runtimes with no scheduled
// date yet (go124, go125, dotnet10 preview) are deliberately not listed: an unlisted runtime is never
// flagged.
import { runtimeFamily as family, RuntimeSchedule } from "./runtimes";

export const GCP_CLOUD_FUNCTIONS_RUNTIMES: RuntimeSchedule = {
    platform: "Google Cloud Functions / Cloud Run functions",
    source: "Google Cloud documentation, 'Runtime support' schedule for Cloud Run functions and Cloud Functions (1st gen) " +
        "(https://cloud.google.com/functions/docs/runtime-support), Deprecation column",
    reviewed: "2026-11-28",
    runtimes: {
        ...family("nodejs", {
            "nodejs6": "2019-04-17", "nodejs8": "2020-06-05", "nodejs10": "2024-01-30", "nodejs12": "2024-01-30",
            "nodejs14": "2024-01-30", "nodejs16": "2024-01-30", "nodejs18": "2025-04-30", "nodejs20": "2026-04-30",
            "nodejs22": "2027-04-30", "nodejs24": "2028-04-30",
        }),
        ...family("python", {
            "python37": "2024-01-30", "python38": "2024-10-14", "python39": "2025-10-05", "python310": "2026-10-04",
            "python311": "2027-10-24", "python312": "2028-10-02", "python313": "2029-10-10", "python314": "2030-10-10",
        }),
        ...family("go", {
            "go111": "2020-08-05", "go113": "2024-01-30", "go116": "2024-01-30", "go118": "2024-01-30",
            "go119": "2024-04-30", "go120": "2024-05-01", "go121": "2025-09-03", "go122": "2026-01-28", "go123": "2026-02-21",
        }),
        ...family("java", {
            "java11": "2024-10-31", "java17": "2027-10-31", "java21": "2031-09-30", "java25": "2031-10-31",
        }),
        ...family("ruby", {
            "ruby26": "2024-01-30", "ruby27": "2024-01-30", "ruby30": "2024-03-31", "ruby32": "2026-03-31",
            "ruby33": "2027-03-31", "ruby34": "2028-03-31",
        }),
        ...family("php", {
            "php74": "2024-01-30", "php81": "2025-12-31", "php82": "2026-12-31", "php83": "2027-12-31", "php84": "2028-12-31",
        }),
        ...family("dotnet", {
            "dotnet3": "2024-01-30", "dotnet6": "2024-11-12", "dotnet8": "2026-11-10",
        }),
    },
};

/** Runtimes available to gen-2 (Cloud Run) functions only, per the same documentation's runtime tables. */
export const GCP_GEN2_ONLY_RUNTIMES = [
    "nodejs24", "python313", "python314", "go122", "go123", "java21", "java25", "ruby34", "php83", "php84", "dotnet8",
];

/** The schedule restricted to runtimes a gen-1 function can use (for upgrade suggestions). */
export const GCP_CLOUD_FUNCTIONS_GEN1_RUNTIMES: RuntimeSchedule = {
    ...GCP_CLOUD_FUNCTIONS_RUNTIMES,
    platform: "Google Cloud Functions (1st gen)",
    runtimes: Object.fromEntries(Object.entries(GCP_CLOUD_FUNCTIONS_RUNTIMES.runtimes).filter(([id]) => !GCP_GEN2_ONLY_RUNTIMES.includes(id))),
};
