// A test-only stand-in for `pulumi-language-nodejs`, the Pulumi Node.js language host, for machines
// where the real one can't be built (the Go module proxy refuses its module; see README "End-to-end
// with the Pulumi CLI"). It follows what the real host (sdk/nodejs/cmd/pulumi-language-nodejs in
// pulumi/pulumi, v3.248) does for `pulumi preview` and for Node.js policy packs:
//
//   - started as `pulumi-language-nodejs [flags] <engine address>`, serves pulumirpc.LanguageRuntime
//     on 127.0.0.1 and prints its port;
//   - Run: `node <@pulumi/pulumi/cmd/run resolved from the program directory> --monitor … --engine …
//     --organization … --project … --root-directory … --stack … --pwd … [--dry-run] --parallel N
//     <entry point> [args]`, with PULUMI_CONFIG (keys as `<ns>:config:<key>`), PULUMI_CONFIG_SECRET_KEYS
//     and PULUMI_NODEJS_TYPESCRIPT / _TSCONFIG_PATH from the runtime options; the program's exit code
//     becomes the response's error string, or `bail` for code 32 (error already shown to the user);
//   - RunPlugin: for a policy pack, `node <@pulumi/pulumi/cmd/run-policy-pack> [args] <pack dir>` in
//     the pack directory behind an analyzer proxy (policy-proxy.ts); for other plugins
//     `node <@pulumi/pulumi/cmd/run-plugin> <dir> [args]`; output streamed back, exit as the real one;
//   - GetRequiredPackages/GetRequiredPlugins: none, so the engine never tries to download plugins
//     (the stand-in providers are found on PATH).
// What it leaves out: the resource-monitor proxy and the pipes for synchronous invokes (`--sync`; the
// SDK then makes invokes asynchronously), debugger attachment, the bun runtime, dependency
// installation, code generation and packing (UNIMPLEMENTED).
import { ChildProcess, spawn } from "child_process";
import { PolicyProxy } from "./policy-proxy";
import {
    emptyProto, envFromList, exitWithParent, grpc, languageProto, languageRpc, lookPath, parsePluginArgs, pluginProto,
    PULUMI_SDK_VERSION, rpcError, serve, shellSplit,
} from "./rpc";

/** Exit code with which @pulumi/pulumi's runners say "the error was already shown to the user". */
const EXITED_AFTER_USER_ACTIONABLE_MESSAGE = 32;

const args = parsePluginArgs(process.argv.slice(2));
let engineAddress = args.engineAddress ?? "";
const children = new Set<ChildProcess>();

interface NodeOptions { typescript: boolean; tsconfig?: string; nodeargs: string[] }

/** The runtime options of Pulumi.yaml / PulumiPolicy.yaml, as the real host reads them. */
function nodeOptions(info: any): NodeOptions {
    const raw = (info?.getOptions()?.toJavaScript() ?? {}) as Record<string, unknown>;
    const opts: NodeOptions = { typescript: true, nodeargs: [] };
    if ("typescript" in raw) {
        if (typeof raw.typescript !== "boolean") {
            throw new Error("typescript option must be a boolean");
        }
        opts.typescript = raw.typescript;
    }
    if ("tsconfig" in raw) {
        if (typeof raw.tsconfig !== "string") {
            throw new Error("tsconfigpath option must be a string");
        }
        opts.tsconfig = raw.tsconfig;
    }
    if ("nodeargs" in raw) {
        if (typeof raw.nodeargs !== "string") {
            throw new Error("nodeargs option must be a string");
        }
        opts.nodeargs = shellSplit(raw.nodeargs);
    }
    return opts;
}

function typescriptEnv(opts: NodeOptions): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    if (opts.typescript) {
        env.PULUMI_NODEJS_TYPESCRIPT = "true";
    }
    if (opts.tsconfig) {
        env.PULUMI_NODEJS_TSCONFIG_PATH = opts.tsconfig;
    }
    return env;
}

/** A module resolved from a directory the way `node -e "require.resolve(…)"` run there would. */
function locateModule(mod: string, dir: string, isPlugin: boolean): string {
    try {
        return require.resolve(mod, { paths: [dir] });
    } catch (e: any) {
        if (e?.code === "MODULE_NOT_FOUND") {
            throw new Error(`It looks like the Pulumi SDK has not been installed. Have you run ${isPlugin ? `npm install in ${dir}` : "pulumi install"}?`);
        }
        throw e;
    }
}

/** `<ns>:<key>` (or already `<ns>:config:<key>`) → `<ns>:config:<key>`, the form @pulumi/pulumi reads. */
function legacyConfigKey(key: string): string {
    const parts = key.split(":");
    if (parts.length === 3 && parts[1] === "config") {
        return key;
    }
    const i = key.indexOf(":");
    if (i <= 0) {
        throw new Error(`invalid config key "${key}": expected <namespace>:<name>`);
    }
    return `${key.slice(0, i)}:config:${key.slice(i + 1)}`;
}

function track(child: ChildProcess): ChildProcess {
    children.add(child);
    child.on("exit", () => children.delete(child));
    return child;
}

/** Interrupt, then kill after 5 s, as the real host's exec.CommandContext cancellation does. */
function stop(child: ChildProcess): void {
    if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGINT");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
    }
}

function exitDescription(code: number | null): string {
    return `Program exited with non-zero exit code: ${code ?? -1}`;
}

function run(call: any, callback: (err: any, res?: any) => void): void {
    const req = call.request;
    const info = req.getInfo();
    const programDir: string = info?.getProgramDirectory() || req.getPwd();
    const entryPoint: string = info?.getEntryPoint() || req.getProgram() || ".";
    const respond = (error: string, bail = false) => {
        const res = new languageProto.RunResponse();
        res.setError(error);
        res.setBail(bail);
        callback(null, res);
    };

    const node = lookPath("node");
    if (!node) {
        respond(`could not find node on the $PATH: exec: "node": executable file not found in $PATH`);
        return;
    }
    let runPath: string;
    let opts: NodeOptions;
    try {
        runPath = locateModule(process.env.PULUMI_LANGUAGE_NODEJS_RUN_PATH || "@pulumi/pulumi/cmd/run", programDir, false);
        opts = nodeOptions(info);
    } catch (e: any) {
        respond(e.message);
        return;
    }

    const config: Record<string, string> = {};
    let configError: string | undefined;
    req.getConfigMap().forEach((v: string, k: string) => {
        try {
            config[legacyConfigKey(k)] = v;
        } catch (e: any) {
            configError = `failed to serialize configuration: ${e.message}`;
        }
    });
    if (configError) {
        respond(configError);
        return;
    }

    const argv = [runPath];
    const flag = (name: string, value: string | undefined) => {
        if (value) {
            argv.push(`--${name}`, value);
        }
    };
    flag("monitor", req.getMonitorAddress());
    flag("engine", engineAddress);
    flag("organization", req.getOrganization());
    flag("project", req.getProject());
    flag("root-directory", info?.getRootDirectory());
    flag("stack", req.getStack());
    flag("pwd", programDir);
    if (req.getDryrun()) {
        argv.push("--dry-run");
    }
    flag("parallel", String(req.getParallel()));
    flag("tracing", args.tracing);
    argv.push(entryPoint, ...req.getArgsList());

    const env: NodeJS.ProcessEnv = {
        ...process.env,
        PULUMI_CONFIG: JSON.stringify(config),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()),
        ...typescriptEnv(opts),
    };
    const child = track(spawn(node, [...opts.nodeargs, ...argv], { env, stdio: ["ignore", "pipe", "pipe"] }));
    child.stdout!.on("data", (b: Buffer) => process.stdout.write(b));
    child.stderr!.on("data", (b: Buffer) => process.stderr.write(b));
    call.on("cancelled", () => stop(child));
    let failedToStart: Error | undefined;
    child.on("error", e => { failedToStart = e; });
    child.on("close", (code: number | null) => {
        if (failedToStart) {
            respond(`Problem executing program (could not run language executor): ${failedToStart.message}`);
        } else if (code === 0) {
            respond("");
        } else if (code === EXITED_AFTER_USER_ACTIONABLE_MESSAGE) {
            respond("", true);
        } else {
            respond(exitDescription(code));
        }
    });
}

function runPlugin(call: any): void {
    const req = call.request;
    const info = req.getInfo();
    const programDir: string = info?.getProgramDirectory() ?? "";
    const isPolicyPack = req.getKind() === "analyzer";
    const send = (field: "stdout" | "stderr", chunk: Buffer) => {
        const res = new languageProto.RunPluginResponse();
        if (field === "stdout") {
            res.setStdout(new Uint8Array(chunk));
        } else {
            res.setStderr(new Uint8Array(chunk));
        }
        call.write(res);
    };
    const fail = (message: string) => call.emit("error", rpcError(grpc.status.UNKNOWN, message));

    (async () => {
        const node = lookPath("node");
        if (!node) {
            throw new Error(`exec: "node": executable file not found in $PATH`);
        }
        const opts = nodeOptions(info);
        const env: NodeJS.ProcessEnv = { ...envFromList(req.getEnvList()), ...typescriptEnv(opts) };
        const runPath = isPolicyPack
            // Policy packs always start through run-policy-pack (formerly the pulumi-analyzer-policy shim).
            ? locateModule("@pulumi/pulumi/cmd/run-policy-pack", programDir, true)
            : locateModule(process.env.PULUMI_LANGUAGE_NODEJS_RUN_PATH || "@pulumi/pulumi/cmd/run-plugin", programDir, true);
        const argv = [runPath, ...opts.nodeargs];
        if (isPolicyPack) {
            argv.push(...req.getArgsList(), programDir); // the pack directory comes last for policy packs
        } else {
            argv.push(programDir, ...req.getArgsList());
        }

        let proxy: PolicyProxy | undefined;
        if (isPolicyPack) {
            proxy = await PolicyProxy.start();
            send("stdout", Buffer.from(`${proxy.port}\n`));
            const stack = await proxy.awaitConfiguration();
            if (stack) {
                const set = (k: string, v: string) => { if (v) { env[k] = v; } };
                set("PULUMI_NODEJS_ORGANIZATION", stack.organization);
                set("PULUMI_NODEJS_PROJECT", stack.project);
                set("PULUMI_NODEJS_STACK", stack.stack);
                set("PULUMI_NODEJS_DRY_RUN", String(stack.dryRun));
                if (Object.keys(stack.config).length > 0) {
                    env.PULUMI_CONFIG = JSON.stringify(stack.config);
                }
            }
        }

        const child = track(spawn(node, argv, { cwd: isPolicyPack ? programDir : req.getPwd() || undefined, env, stdio: ["ignore", "pipe", "pipe"] }));
        call.on("cancelled", () => stop(child));
        child.stderr!.on("data", (b: Buffer) => send("stderr", b));
        if (proxy) {
            proxy.attach(child, b => send("stdout", b));
        } else {
            child.stdout!.on("data", (b: Buffer) => send("stdout", b));
        }
        const outcome = await new Promise<{ code: number | null; error?: Error }>(resolve => {
            child.on("error", error => resolve({ code: null, error }));
            child.on("close", code => resolve({ code }));
        });
        proxy?.close();
        if (outcome.error) {
            throw new Error(`Problem executing plugin program (could not run language executor): ${outcome.error.message}`);
        }
        if (outcome.code !== 0) {
            throw new Error(exitDescription(outcome.code));
        }
        call.end();
    })().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
}

function unimplemented(method: string) {
    return (_call: any, callback: (err: any) => void) =>
        callback(rpcError(grpc.status.UNIMPLEMENTED, `${method} is not implemented by the serverless-guard test stand-in language host`));
}

const handlers = {
    handshake(call: any, callback: (err: any, res?: any) => void) {
        engineAddress = call.request.getEngineAddress() || engineAddress;
        callback(null, new languageProto.LanguageHandshakeResponse());
    },
    getPluginInfo(_call: any, callback: (err: any, res?: any) => void) {
        const res = new pluginProto.PluginInfo();
        res.setVersion(PULUMI_SDK_VERSION);
        callback(null, res);
    },
    getRequiredPlugins(_call: any, callback: (err: any, res?: any) => void) {
        callback(null, new languageProto.GetRequiredPluginsResponse());
    },
    getRequiredPackages(_call: any, callback: (err: any, res?: any) => void) {
        callback(null, new languageProto.GetRequiredPackagesResponse());
    },
    run,
    runPlugin,
    about(_call: any, callback: (err: any, res?: any) => void) {
        const res = new languageProto.AboutResponse();
        res.setExecutable(lookPath("node") ?? process.execPath);
        res.setVersion(process.version);
        res.getMetadataMap().set("standIn", "serverless-guard test language host");
        callback(null, res);
    },
    cancel(_call: any, callback: (err: any, res?: any) => void) {
        for (const child of children) {
            stop(child);
        }
        callback(null, new emptyProto.Empty());
    },
    installDependencies(call: any) {
        call.emit("error", rpcError(grpc.status.UNIMPLEMENTED, "InstallDependencies is not implemented by the serverless-guard test stand-in language host: run npm install yourself"));
    },
    getProgramDependencies: unimplemented("GetProgramDependencies"),
    runtimeOptionsPrompts: unimplemented("RuntimeOptionsPrompts"),
    template: unimplemented("Template"),
    generateProgram: unimplemented("GenerateProgram"),
    generateProject: unimplemented("GenerateProject"),
    generatePackage: unimplemented("GeneratePackage"),
    pack: unimplemented("Pack"),
    link: unimplemented("Link"),
};

async function main(): Promise<void> {
    if (process.argv.includes("-version") || process.argv.includes("--version")) {
        console.log(PULUMI_SDK_VERSION);
        return;
    }
    exitWithParent(() => children.forEach(c => c.kill("SIGKILL")));
    const { port } = await serve(server => server.addService(languageRpc.LanguageRuntimeService, handlers));
    process.stdout.write(`${port}\n`);
}

main().catch(e => {
    console.error(`pulumi-language-nodejs (serverless-guard stand-in): ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
});
