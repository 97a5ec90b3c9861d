// The Google Cloud model: how a function or Cloud Run service connects (service account, IAM grants
// and who may act as it, front doors, triggers, stores). Stack and resource policies ask it questions; the answers
// say nothing about what is wrong.
import "../adapters";

export * from "./types";
export * from "./identity";
export * from "./accounts";
export * from "./grants";
export * from "./frontdoors";
export * from "./triggers";
export * from "./stores";
