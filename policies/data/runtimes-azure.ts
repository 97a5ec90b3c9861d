// Azure Functions language stacks with their end-of-support dates. Ids are `<worker runtime>:<version>`
// as the policies derive them from FUNCTIONS_WORKER_RUNTIME / linuxFxVersion / Flex Consumption
// functionAppConfig.runtime ("node:20", "python:3.11", "dotnet-isolated:8", "java:17", "powershell:7.4").
// Both .NET models share the family "dotnet", so an in-process app is pointed at the isolated model.
// Where Microsoft gives only a month ("October 2026"), the last day of that month is used. Stacks with
// no published date (custom handlers, .NET Framework 4.8.x on the isolated model, Go preview) are
// deliberately not listed: an unlisted stack is never flagged.
import { runtimeFamily as family, RuntimeSchedule } from "./runtimes";

export const AZURE_FUNCTIONS_RUNTIMES: RuntimeSchedule = {
    platform: "Azure Functions",
    source: "Microsoft Learn, Azure Functions 'Supported languages' / 'Runtime versions' (expected end-of-support tables, " +
        "including the earlier editions for retired versions and their Functions support extensions) and 'Language runtime support policy'",
    reviewed: "2026-11-28",
    runtimes: {
        ...family("node", {
            "node:6": "2019-04-30", "node:8": "2019-12-31", "node:10": "2021-04-30", "node:12": "2022-12-13",
            // Node.js 14 and 16: "Support on Functions extended until June 30, 2024".
            "node:14": "2024-06-30", "node:16": "2024-06-30", "node:18": "2025-04-30", "node:20": "2026-04-30",
            "node:22": "2027-04-30", "node:24": "2028-04-30",
        }),
        ...family("python", {
            // Python 3.6 and 3.7: Functions support extended to September 30 of 2022 and 2023.
            "python:3.6": "2022-09-30", "python:3.7": "2023-09-30", "python:3.8": "2024-10-31", "python:3.9": "2025-10-31",
            "python:3.10": "2026-10-31", "python:3.11": "2027-10-31", "python:3.12": "2028-10-31", "python:3.13": "2029-10-31",
            // As published by Microsoft ("April 2029"), although earlier than Python 3.13's date.
            "python:3.14": "2029-04-30",
        }),
        ...family("java", {
            "java:8": "2027-09-30", "java:11": "2027-09-30", "java:17": "2027-09-30", "java:21": "2028-09-30", "java:25": "2029-05-31",
        }),
        ...family("powershell", {
            "powershell:6": "2020-09-04", "powershell:7.0": "2022-12-03", "powershell:7.2": "2024-11-08",
            "powershell:7.4": "2026-11-10", "powershell:7.6": "2028-11-14",
        }),
        ...family("dotnet", {
            // In-process model: .NET Core 2.1/3.1 with the retired 2.x/3.x hosts, then LTS only; the
            // in-process model itself ends with .NET 8 on November 10, 2026.
            "dotnet:2.1": "2022-12-13", "dotnet:3.1": "2022-12-13", "dotnet:6": "2024-11-12", "dotnet:8": "2026-11-10",
            "dotnet-isolated:5": "2022-05-10", "dotnet-isolated:6": "2024-11-12", "dotnet-isolated:7": "2024-05-14",
            "dotnet-isolated:8": "2026-11-10",
            // .NET 9: first May 12, 2026; moved when .NET STS support became 24 months.
            "dotnet-isolated:9": "2026-11-10", "dotnet-isolated:10": "2028-11-14",
        }),
    },
};
