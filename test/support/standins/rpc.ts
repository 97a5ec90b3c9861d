// Shared plumbing for the test-only stand-ins of the Pulumi Node.js language host and of resource
// providers (see language-host.ts and provider.ts). They speak the engine's gRPC protocols through
// the generated stubs that ship with @pulumi/pulumi, loaded from @pulumi/pulumi's own dependency tree
// so that messages, `Empty` and `Struct` classes are the very ones the stubs serialize.
import * as fs from "fs";
import * as path from "path";

/* eslint-disable @typescript-eslint/no-var-requires */
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const fromPulumi = (id: string) => require(require.resolve(id, { paths: [pulumiDir] }));

export const grpc = fromPulumi("@grpc/grpc-js");
export const emptyProto = fromPulumi("google-protobuf/google/protobuf/empty_pb");
export const pluginProto = fromPulumi("@pulumi/pulumi/proto/plugin_pb");
export const languageProto = fromPulumi("@pulumi/pulumi/proto/language_pb");
export const languageRpc = fromPulumi("@pulumi/pulumi/proto/language_grpc_pb");
export const providerProto = fromPulumi("@pulumi/pulumi/proto/provider_pb");
export const providerRpc = fromPulumi("@pulumi/pulumi/proto/provider_grpc_pb");
export const analyzerProto = fromPulumi("@pulumi/pulumi/proto/analyzer_pb");
export const analyzerRpc = fromPulumi("@pulumi/pulumi/proto/analyzer_grpc_pb");

/** The version of the @pulumi/pulumi package these stubs come from. */
export const PULUMI_SDK_VERSION: string = require(path.join(pulumiDir, "package.json")).version;

/** As large as the engine and the policy SDK allow (AnalyzeStack carries every resource). */
export const MAX_MESSAGE = 1024 * 1024 * 400;
export const CHANNEL_OPTIONS = {
    "grpc.max_receive_message_length": MAX_MESSAGE,
    "grpc.max_send_message_length": MAX_MESSAGE,
};

/** A gRPC error for a unary callback or a streaming call. */
export function rpcError(code: number, details: string): { code: number; details: string; message: string } {
    return { code, details, message: details };
}

/** Plugin command line as the engine builds it: `[--logtostderr] [-v=N] [--tracing <url>] [flags] <engine address>`. */
export function parsePluginArgs(argv: string[]): { engineAddress?: string; tracing?: string } {
    const positional: string[] = [];
    let tracing: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const m = /^--?tracing(?:=(.*))?$/.exec(a);
        if (m) {
            tracing = m[1] ?? argv[++i];
        } else if (!a.startsWith("-")) {
            positional.push(a);
        }
    }
    return { engineAddress: positional[0], tracing };
}

/**
 * Binds a gRPC server to 127.0.0.1 on a port the kernel picks and prints the port as the first line on
 * stdout, which is how every Pulumi plugin tells the engine where to reach it.
 */
export function serve(register: (server: any) => void): Promise<{ server: any; port: number }> {
    const server = new grpc.Server(CHANNEL_OPTIONS);
    register(server);
    return new Promise((resolve, reject) => {
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err: Error | null, port: number) => {
            if (err) {
                reject(err);
                return;
            }
            resolve({ server, port });
        });
    });
}

/**
 * Plugins live as long as the engine that started them. The engine kills them when it is done; this
 * also ends the process if the engine disappears without doing so (the process is re-parented).
 */
export function exitWithParent(onExit: () => void): void {
    const parent = process.ppid;
    const timer = setInterval(() => {
        if (process.ppid !== parent) {
            onExit();
            process.exit(1);
        }
    }, 1000);
    timer.unref();
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.on(signal, () => {
            onExit();
            process.exit(signal === "SIGINT" ? 130 : 143);
        });
    }
}

/** `KEY=value` lines (what the engine sends as a plugin's environment) to an object; later entries win, as in Go's exec. */
export function envFromList(list: string[]): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const entry of list) {
        const eq = entry.indexOf("=");
        if (eq > 0) {
            env[entry.slice(0, eq)] = entry.slice(eq + 1);
        }
    }
    return env;
}

/** Splits a `nodeargs` runtime option the way a POSIX shell would (quotes and backslashes, no expansion). */
export function shellSplit(s: string): string[] {
    const out: string[] = [];
    let cur = "";
    let has = false;
    let quote: "'" | "\"" | undefined;
    for (let i = 0; i < s.length; i++) {
        const c = s[i];
        if (quote) {
            if (c === quote) {
                quote = undefined;
            } else if (c === "\\" && quote === "\"" && i + 1 < s.length) {
                cur += s[++i];
            } else {
                cur += c;
            }
        } else if (c === "'" || c === "\"") {
            quote = c;
            has = true;
        } else if (c === "\\" && i + 1 < s.length) {
            cur += s[++i];
            has = true;
        } else if (/\s/.test(c)) {
            if (has) {
                out.push(cur);
            }
            cur = "";
            has = false;
        } else {
            cur += c;
            has = true;
        }
    }
    if (quote) {
        throw new Error(`unterminated ${quote} in nodeargs "${s}"`);
    }
    if (has) {
        out.push(cur);
    }
    return out;
}

/** The first executable `name` on PATH, like Go's exec.LookPath. */
export function lookPath(name: string, envPath = process.env.PATH ?? ""): string | undefined {
    for (const dir of envPath.split(path.delimiter)) {
        const file = path.join(dir || ".", name);
        try {
            fs.accessSync(file, fs.constants.X_OK);
            if (fs.statSync(file).isFile()) {
                return file;
            }
        } catch {
            // not here
        }
    }
    return undefined;
}
