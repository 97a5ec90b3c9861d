// CloudFront and Lambda@Edge facts the front-door policies rely on. Each fact names its source and
// the day it was last checked.
import type { Sourced } from "./platform";

/**
 * Origin domains that are Lambda functions' own front doors: a function URL
 * (`<url-id>.lambda-url.<region>.on.aws`) or an API Gateway REST, HTTP or WebSocket API
 * (`<api-id>.execute-api.<region>.amazonaws.com`). Both answer HTTPS only.
 */
export const FUNCTION_FRONT_DOMAINS: Sourced & { patterns: { what: string; pattern: RegExp }[] } = {
    patterns: [
        { what: "a Lambda function URL", pattern: /^(?:https:\/\/)?[a-z0-9]+\.lambda-url\.[a-z0-9-]+\.on\.aws\/?$/i },
        { what: "an API Gateway API", pattern: /^(?:https:\/\/)?[a-z0-9]+\.execute-api\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/?$/i },
    ],
    source: "AWS Lambda Developer Guide, 'Creating and managing Lambda function URLs' (URL format); Amazon API Gateway Developer Guide, " +
        "'Invoking a REST API' and 'Invoking an HTTP API' (default endpoint format)",
    reviewed: "2026-12-06",
};

/** S3 website endpoints speak HTTP only, so an http-only origin policy toward them is what the design requires. */
export const S3_WEBSITE_DOMAIN = /\.s3-website[.-][a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/i;

/**
 * CloudFront's viewer security policies, oldest first. TLSv1.2_2021 and newer accept TLS 1.2 (or 1.3)
 * with strong ciphers only; TLSv1.2_2018/2019 still offer CBC ciphers. Without a custom certificate
 * (the *.cloudfront.net default) CloudFront fixes the policy at TLSv1 and it can't be changed.
 */
export const CLOUDFRONT_SECURITY_POLICIES: Sourced & { ordered: string[] } = {
    ordered: ["SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016", "TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"],
    source: "Amazon CloudFront Developer Guide, 'Supported protocols and ciphers between viewers and CloudFront' (security policies table)",
    reviewed: "2026-12-06",
};

/** Origin SSL protocols CloudFront still accepts toward custom origins that no origin should need. */
export const CLOUDFRONT_WEAK_ORIGIN_PROTOCOLS = ["SSLv3"];

/** Where a Lambda@Edge function runs, by CloudFront event type. */
export type EdgeEvent = "viewer" | "origin";

/**
 * Lambda@Edge limits: per event kind (timeout and memory quotas), and Lambda features it doesn't
 * support. CloudFront refuses to associate a function version that breaks them, so the deployment fails.
 */
export const LAMBDA_EDGE: Sourced & {
    limits: Record<EdgeEvent, { timeoutSeconds: number; memoryMb: number }>;
    logGroupPrefix: string;
    functionRegion: string;
} = {
    limits: { viewer: { timeoutSeconds: 5, memoryMb: 128 }, origin: { timeoutSeconds: 30, memoryMb: 10240 } },
    // Lambda@Edge writes its logs in each Region that served a request, to a log group named after the function's Region and name.
    logGroupPrefix: "/aws/lambda/us-east-1.",
    functionRegion: "us-east-1",
    source: "Amazon CloudFront Developer Guide, 'Restrictions on Lambda@Edge' (no VPC access, environment variables, layers, " +
        "container images, ephemeral storage above 512 MB; a numbered version in us-east-1), 'Quotas on Lambda@Edge' (viewer events: " +
        "5 s, 128 MB; origin events: 30 s, 10,240 MB) and 'Lambda@Edge logs in CloudWatch' (/aws/lambda/us-east-1.<function name> in each serving Region)",
    reviewed: "2026-12-06",
};

/** Lambda@Edge refuses ephemeral storage above this size, in MB. */
export const LAMBDA_EDGE_MAX_EPHEMERAL_MB = 512;

/** The event kind of a CloudFront event type (viewer-request, viewer-response, origin-request, origin-response). */
export function edgeEventKind(eventType: string): EdgeEvent | undefined {
    const t = eventType.trim().toLowerCase();
    return t.startsWith("viewer-") ? "viewer" : t.startsWith("origin-") ? "origin" : undefined;
}
