// The Azure model: how a function app connects (apps and their companions, identities and role
// assignments, front doors, stores, logging), for both Azure providers (azure-native and classic azure). Stack and resource policies ask it questions; the answers
// say nothing about what is wrong.
import "../adapters";

export * from "./types";
export * from "./identity";
export * from "./apps";
export * from "./grants";
export * from "./frontdoors";
export * from "./stores";
export * from "./logging";
export * from "./triggers";
