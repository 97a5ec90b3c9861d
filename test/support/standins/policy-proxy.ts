// The analyzer proxy a Node.js language host puts in front of a policy pack it starts through
// RunPlugin (kind "analyzer"). The engine talks to the proxy first: Handshake and ConfigureStack are
// answered here, and the stack's organization, project, name, dry-run flag and config become the
// PULUMI_NODEJS_* / PULUMI_CONFIG environment of the pack process, which is only started then (the
// policy SDK reads them from the environment, e.g. for the stack name). Every other call waits for
// the pack and is forwarded to it byte for byte: requests and responses are never decoded here.
import { ChildProcess } from "child_process";
import { analyzerProto, analyzerRpc, CHANNEL_OPTIONS, grpc, rpcError, serve } from "./rpc";

interface Deferred<T> { promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void; settled: boolean }

function deferred<T>(): Deferred<T> {
    const d = { settled: false } as Deferred<T>;
    d.promise = new Promise<T>((resolve, reject) => {
        d.resolve = v => { if (!d.settled) { d.settled = true; resolve(v); } };
        d.reject = e => { if (!d.settled) { d.settled = true; reject(e); } };
    });
    d.promise.catch(() => undefined); // observed by callers; never an unhandled rejection
    return d;
}

export interface StackConfiguration {
    organization: string;
    project: string;
    stack: string;
    dryRun: boolean;
    /** `<namespace>:<key>` → value, as the engine sends it. */
    config: Record<string, string>;
}

const identity = (b: Buffer) => b;

/** The Analyzer service with every message left as raw bytes. */
function rawAnalyzerService(): Record<string, any> {
    const service: Record<string, any> = {};
    for (const [name, def] of Object.entries<any>(analyzerRpc.AnalyzerService)) {
        service[name] = { ...def, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity };
    }
    return service;
}

export class PolicyProxy {
    private readonly configuration = deferred<{ raw: Buffer; parsed: StackConfiguration } | null>();
    private readonly client = deferred<any>();

    private constructor(private readonly server: any, readonly port: number) {}

    static async start(): Promise<PolicyProxy> {
        const service = rawAnalyzerService();
        let proxy: PolicyProxy | undefined;
        const handlers: Record<string, (call: any, callback: any) => void> = {};
        for (const [name, def] of Object.entries<any>(service)) {
            handlers[name] = (call: any, callback: any) => proxy!.handle(name, def.path, call.request as Buffer, callback);
        }
        const { server, port } = await serve(s => s.addService(service, handlers));
        proxy = new PolicyProxy(server, port);
        return proxy;
    }

    /** Resolves with the engine's ConfigureStack request, or null if the engine went straight to other calls. */
    async awaitConfiguration(): Promise<StackConfiguration | null> {
        const c = await this.configuration.promise;
        return c ? c.parsed : null;
    }

    /**
     * Connects to the pack process: reads the port it prints as its first stdout line, passes later
     * output on, replays ConfigureStack to it and then lets the waiting calls through.
     */
    attach(child: ChildProcess, stdout: (chunk: Buffer) => void): void {
        let buffered = Buffer.alloc(0);
        let attached = false;
        child.stdout!.on("data", (chunk: Buffer) => {
            if (attached) {
                stdout(chunk);
                return;
            }
            buffered = Buffer.concat([buffered, chunk]);
            const nl = buffered.indexOf("\n");
            if (nl < 0) {
                return;
            }
            attached = true;
            const line = buffered.subarray(0, nl).toString("utf8").trim();
            const rest = buffered.subarray(nl + 1);
            if (rest.length > 0) {
                stdout(rest);
            }
            const port = Number(line);
            if (!/^\d+$/.test(line) || port <= 0) {
                this.client.reject(new Error(`could not read policy pack port: expected a port number, got "${line}"`));
                stdout(Buffer.from(`${line}\n`));
                return;
            }
            this.connect(port);
        });
        child.on("exit", () => {
            if (!attached) {
                this.client.reject(new Error("could not read policy pack port: the policy pack exited before printing it"));
            }
        });
        child.on("error", e => this.client.reject(e));
    }

    close(): void {
        this.client.reject(new Error("policy pack exited"));
        this.server.forceShutdown();
    }

    private connect(port: number): void {
        const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
        const path = analyzerRpc.AnalyzerService.configureStack.path;
        this.configuration.promise.then(c => {
            if (!c) {
                this.client.resolve(client);
                return;
            }
            client.makeUnaryRequest(path, identity, identity, c.raw, (err: any) => {
                if (err && err.code !== grpc.status.UNIMPLEMENTED) {
                    this.client.reject(new Error(`policy pack configuration failed: ${err.details ?? err.message}`));
                } else {
                    this.client.resolve(client);
                }
            });
        });
    }

    private handle(name: string, path: string, request: Buffer, callback: (err: any, res?: Buffer) => void): void {
        if (name === "handshake") {
            callback(null, Buffer.from(new analyzerProto.AnalyzerHandshakeResponse().serializeBinary()));
            return;
        }
        if (name === "configureStack") {
            const req = analyzerProto.AnalyzerStackConfigureRequest.deserializeBinary(new Uint8Array(request));
            const config: Record<string, string> = {};
            req.getConfigMap().forEach((v: string, k: string) => { config[k] = v; });
            this.configuration.resolve({
                raw: request,
                parsed: { organization: req.getOrganization(), project: req.getProject(), stack: req.getStack(), dryRun: req.getDryRun(), config },
            });
            callback(null, Buffer.from(new analyzerProto.AnalyzerStackConfigureResponse().serializeBinary()));
            return;
        }
        // Some engine commands (e.g. `pulumi policy publish`) never configure a stack: start without one.
        this.configuration.resolve(null);
        this.client.promise.then(
            client => client.makeUnaryRequest(path, identity, identity, request, (err: any, res: Buffer) => callback(err, res)),
            err => callback(rpcError(grpc.status.UNAVAILABLE, `policy pack not started: ${err instanceof Error ? err.message : String(err)}`)));
    }
}
