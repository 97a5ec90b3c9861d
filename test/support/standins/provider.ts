// A test-only stand-in for a Pulumi resource provider plugin (`pulumi-resource-<package>`), enough for
// `pulumi preview` of a new stack without a cloud account or the real provider binary:
//
//   provider.js <package> <version> [engine flags] <engine address>
//
// It reports the version of the SDK package installed here (so the engine doesn't warn about a
// version mismatch), accepts any provider configuration, and its Check hands the engine's `news`
// Struct back untouched — the very protobuf message, never converted to JavaScript values and back —
// so secrets and unknown values reach the engine and the policy pack exactly as the program produced
// them. It does no validation and fills in no defaults: the policy pack sees the program's own inputs.
//
// Handshake is left UNIMPLEMENTED on purpose: the engine then takes the provider's capabilities from
// Configure, where supportsPreview=false means that during a preview the engine doesn't call Create
// and plans each new resource with its checked inputs as state (outputs not among them stay unknown).
// Create, Read, Update, Delete, Invoke, Call and Construct fail with a message saying that this is a
// stand-in: nothing is ever deployed, and a program that needs an invoke result can't be previewed.
import { emptyProto, exitWithParent, grpc, parsePluginArgs, pluginProto, providerProto, providerRpc, rpcError, serve } from "./rpc";

const [pkg, version, ...rest] = process.argv.slice(2);
if (!pkg || !/^\d+\.\d+\.\d+/.test(version ?? "")) {
    console.error("usage: provider.js <package> <version> [flags] <engine address>");
    process.exit(2);
}
parsePluginArgs(rest); // the engine address isn't needed: the stand-in never calls back into the engine

type Callback = (err: any, res?: any) => void;

function refuse(what: string) {
    return (call: any, callback: Callback) => {
        const subject = call.request?.getTok?.() || call.request?.getUrn?.() || "";
        callback(rpcError(grpc.status.UNIMPLEMENTED,
            `${what}${subject ? ` (${subject})` : ""} is not supported by the serverless-guard test stand-in for the ${pkg} provider, `
            + "which only previews: use the real provider plugin"));
    };
}

const handlers = {
    getPluginInfo(_call: any, callback: Callback) {
        const res = new pluginProto.PluginInfo();
        res.setVersion(version);
        callback(null, res);
    },
    getSchema(_call: any, callback: Callback) {
        const res = new providerProto.GetSchemaResponse();
        res.setSchema(JSON.stringify({ name: pkg, version }));
        callback(null, res);
    },
    checkConfig(call: any, callback: Callback) {
        const res = new providerProto.CheckResponse();
        res.setInputs(call.request.getNews());
        callback(null, res);
    },
    diffConfig(_call: any, callback: Callback) {
        // DIFF_UNKNOWN: the engine compares old and new configuration itself.
        const res = new providerProto.DiffResponse();
        res.setChanges(providerProto.DiffResponse.DiffChanges.DIFF_UNKNOWN);
        callback(null, res);
    },
    configure(_call: any, callback: Callback) {
        const res = new providerProto.ConfigureResponse();
        res.setAcceptsecrets(true);
        res.setAcceptresources(true);
        res.setSupportspreview(false);
        res.setAcceptoutputs(false);
        callback(null, res);
    },
    check(call: any, callback: Callback) {
        const res = new providerProto.CheckResponse();
        res.setInputs(call.request.getNews());
        callback(null, res);
    },
    diff(_call: any, callback: Callback) {
        // DIFF_UNKNOWN: the engine diffs the old and new inputs itself.
        const res = new providerProto.DiffResponse();
        res.setChanges(providerProto.DiffResponse.DiffChanges.DIFF_UNKNOWN);
        callback(null, res);
    },
    cancel(_call: any, callback: Callback) {
        callback(null, new emptyProto.Empty());
    },
    attach(_call: any, callback: Callback) {
        callback(null, new emptyProto.Empty());
    },
    create: refuse("Create"),
    read: refuse("Read"),
    update: refuse("Update"),
    delete: refuse("Delete"),
    invoke: refuse("Invoke"),
    call: refuse("Call"),
    construct: refuse("Construct"),
    parameterize: refuse("Parameterize"),
};

async function main(): Promise<void> {
    exitWithParent(() => undefined);
    const { port } = await serve(server => server.addService(providerRpc.ResourceProviderService, handlers));
    process.stdout.write(`${port}\n`);
}

main().catch(e => {
    console.error(`pulumi-resource-${pkg} (serverless-guard stand-in): ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
});
