// The AWS model: how a Lambda function connects, for both AWS providers (@pulumi/aws and
// @pulumi/aws-native). Stack and resource policies ask it questions (the execution roles of a function,
// the grants of a role, the public invocation paths, the triggers of a function, the stores it
// writes, its log groups); the answers say nothing about what is wrong.
import "../adapters";

export * from "./types";
export * from "./identity";
export * from "./grants";
export * from "./apigateway";
export * from "./frontdoors";
export * from "./triggers";
export * from "./stores";
