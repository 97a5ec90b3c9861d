// Config mistakes the engine lets through (a misspelt policy or property name, a date that doesn't
// exist, an invalid regular expression) fail the pack's Configure call, so `pulumi preview` and every
// stack of a policy group stop with the list before any resource is analyzed, instead of running
// with a setting silently ignored. The engine sends every name of the merged config to Configure,
// unknown ones included. An exemption that has expired is not an error here: its finding is reported
// again, with the expiry, and `serverless-guard validate-config` flags it before a config is enabled.
import { PolicyConfigEntry, PolicyInfo, strictConfigProblems } from "./config-problems";
import { patchFunction, sdkModule } from "./sdk-patch";

type Callback = (error: unknown, response?: unknown) => void;
type Handler = (this: unknown, call: { request: unknown }, callback: Callback) => unknown;

const INVALID_ARGUMENT = 3;

interface ConfigureRequest {
    getPolicyconfigMap(): { entries(): Iterable<[string, { getProperties(): { toJavaScript(): Record<string, unknown> } | undefined }]> };
}

/** The config Configure received, as parsed config entries (levels are the engine's to check). */
export function configOf(request: unknown): Record<string, PolicyConfigEntry> {
    const config: Record<string, PolicyConfigEntry> = {};
    for (const [name, pc] of [...(request as ConfigureRequest).getPolicyconfigMap().entries()]) {
        const properties = { ...(pc.getProperties()?.toJavaScript() ?? {}) };
        delete properties.enforcementLevel;
        config[name] = { properties };
    }
    return config;
}

/** The error Configure answers with: one line per problem. */
export function configureError(problems: string[]): { code: number; details: string; message: string } {
    const details = `policy config has ${problems.length} problem${problems.length === 1 ? "" : "s"} (check it with serverless-guard validate-config):\n  ${problems.join("\n  ")}`;
    return { code: INVALID_ARGUMENT, details, message: details };
}

/** Makes the pack's Configure call fail on config problems. True if the check is in place. */
export function rejectConfigProblems(policies: PolicyInfo[]): boolean {
    const grpc = sdkModule("@grpc/grpc-js") as { Server?: { prototype: object } } | undefined;
    type AddService = (this: unknown, service: unknown, implementation: Record<string, unknown>) => unknown;
    return patchFunction<AddService>(grpc?.Server?.prototype, "addService", original => function (this: unknown, service, implementation) {
        const configure = implementation?.configure as Handler | undefined;
        if (typeof configure !== "function") {
            return original.call(this, service, implementation);
        }
        const checked: Handler = function (this: unknown, call, callback) {
            let problems: string[] = [];
            try {
                problems = strictConfigProblems(policies, configOf(call.request)).sort();
            } catch {
                // A request this check can't read is the SDK's to judge.
            }
            if (problems.length > 0) {
                callback(configureError(problems));
                return;
            }
            return configure.call(this, call, callback);
        };
        return original.call(this, service, { ...implementation, configure: checked });
    });
}
