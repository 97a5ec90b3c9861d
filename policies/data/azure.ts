// Azure facts the policies rely on. Role definition ids are the built-in role ids, identical in every
// tenant. Source: Microsoft Learn, "Azure built-in roles" (the "Privileged" category: Owner,
// Contributor, User Access Administrator, Role Based Access Control Administrator), cross-checked
// against role ids in Azure Verified Modules. Reviewed 2026-11-28.

export interface PrivilegedRole {
    name: string;
    /** What the role lets its holder do, for the message. */
    power: string;
}

/** Built-in privileged administrator roles, by role definition id (lower case). */
export const PRIVILEGED_ROLES: Record<string, PrivilegedRole> = {
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": { name: "Owner", power: "full control of every resource, including granting access" },
    "b24988ac-6180-42a0-ab88-20f7382dd24c": { name: "Contributor", power: "full control of every resource except granting access" },
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": { name: "User Access Administrator", power: "granting any role to anyone, itself included" },
    "f58310d9-a9f6-439a-9e8d-f62e7b41a168": { name: "Role Based Access Control Administrator", power: "granting any role through Azure RBAC, itself included" },
};

/**
 * App settings that look secret by name but are not credentials. Microsoft Learn, "Connection strings
 * in Application Insights": the connection string "isn't considered a security token or key".
 */
export const NON_SECRET_APP_SETTINGS = ["APPLICATIONINSIGHTS_CONNECTION_STRING", "APPINSIGHTS_INSTRUMENTATIONKEY"];

/** App settings that connect a function app to Application Insights. */
export const APP_INSIGHTS_SETTINGS = ["APPLICATIONINSIGHTS_CONNECTION_STRING", "APPINSIGHTS_INSTRUMENTATIONKEY"];

/**
 * Diagnostic-setting log categories that record a function app's executions and HTTP requests, and the
 * category groups that include them. Source: Microsoft Learn, "Supported logs for Microsoft.Web/sites"
 * and "Diagnostic settings in Azure Monitor" (category groups). Reviewed 2026-11-30.
 */
export const DIAGNOSTIC_LOG_CATEGORIES = ["FunctionAppLogs", "AppServiceHTTPLogs"];
export const DIAGNOSTIC_LOG_CATEGORY_GROUPS = ["allLogs"];

/**
 * The replica cap of a container app whose template.scale.maxReplicas is unset: every container app,
 * Azure Functions on Container Apps included, scales to a bounded number of replicas. Source: Microsoft
 * Learn, Azure Resource Manager reference for Microsoft.App containerApps, "Scale": "maxReplicas:
 * Optional. Maximum number of container replicas. Defaults to 10 if not set." Reviewed 2026-12-06.
 */
export const CONTAINER_APP_DEFAULT_MAX_REPLICAS = 10;
