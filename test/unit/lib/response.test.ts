import * as assert from "assert";
import * as path from "path";
import { PolicyResource } from "@pulumi/policy";
import { encodeResponsesByElement, finishResponses, stackPolicyStarting } from "../../../policies/lib/response";
import { ResourceGraph } from "../../../policies/lib/graph";

const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));
const pb = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [policyDir] }));
const jspb = require(require.resolve("google-protobuf", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [policyDir] }))] }));
const protoutil = require("@pulumi/policy/protoutil") as { makeAnalyzeResponse: (ds: unknown[], notApplicable?: unknown) => { getDiagnosticsList(): unknown[] } };

/** The SDK's own encoding, through the generated writer (the pack replaces only serializeBinary). */
function sdkBytes(response: unknown): Buffer {
    const writer = new jspb.BinaryWriter();
    pb.AnalyzeResponse.serializeBinaryToWriter(response, writer);
    return Buffer.from(writer.getResultBuffer());
}

function response(messages: string[]): unknown {
    const r = new pb.AnalyzeResponse();
    r.setDiagnosticsList(messages.map((message, i) => {
        const d = new pb.AnalyzeDiagnostic();
        d.setPolicyname(`policy-${i % 7}`);
        d.setPolicypackname("serverless-guard");
        d.setPolicypackversion(i % 2 ? "0.4.0" : "");
        d.setDescription("Functions whose identity holds privileged rights.");
        d.setMessage(message);
        d.setUrn(`urn:pulumi:dev::shop::aws:lambda/function:Function::fn-${i}`);
        d.setEnforcementlevel(i % 3);
        d.setSeverity(i % 5);
        return d;
    }));
    r.setNotApplicableList(Array.from({ length: 150 }, (_, i) => {
        const na = new pb.PolicyNotApplicable();
        na.setPolicyName(`policy-${i}`);
        na.setReason(i % 50 === 1 ? "a lone surrogate \uD834 in a reason" : i % 3 ? `applies only to aws:lambda/function:Function, aws-native:lambda:Function (${i})` : "");
        return na;
    }));
    return r;
}

describe("responses encoded one finding and not-applicable entry at a time", () => {
    before(() => {
        assert.strictEqual(encodeResponsesByElement(), true, "the protocol classes of @pulumi/pulumi could not be patched; their layout changed");
    });

    it("gives the engine the same bytes as the SDK's encoder, for many findings of every shape", () => {
        const messages = Array.from({ length: 3000 }, (_, i) => [
            `role \`orders-${i}\` may call iam:PassRole on *`,
            "",
            "non-ASCII: Überprüfung, 関数, emoji \u{1F512}",
            "x".repeat(i % 400),
            "a lone surrogate \uD800 is encoded by the SDK",
        ][i % 5]);
        const r = response(messages) as { serializeBinary(): Uint8Array };
        const bytes = Buffer.from(r.serializeBinary());
        assert.ok(bytes.equals(sdkBytes(r)), "bytes differ from the SDK's encoding");
        const decoded = pb.AnalyzeResponse.deserializeBinary(bytes);
        assert.strictEqual(decoded.getDiagnosticsList().length, 3000);
        assert.strictEqual(decoded.getDiagnosticsList()[10].getMessage(), messages[10]);
        assert.strictEqual(decoded.getNotApplicableList().length, 150);
        assert.strictEqual(decoded.getNotApplicableList()[2].getReason(), "applies only to aws:lambda/function:Function, aws-native:lambda:Function (2)");
    });

    it("encodes plain findings itself and hands only the others to the SDK's encoder", () => {
        const messages = Array.from({ length: 2048 }, (_, i) => (i % 512 === 7 ? "a lone surrogate \uDC00" : `finding ${i}`));
        const r = response(messages) as { serializeBinary(): Uint8Array };
        const original = pb.AnalyzeDiagnostic.prototype.serializeBinary;
        let calls = 0;
        pb.AnalyzeDiagnostic.prototype.serializeBinary = function (this: unknown) {
            calls++;
            return original.call(this);
        };
        try {
            assert.ok(Buffer.from(r.serializeBinary()).equals(sdkBytes(r)));
        } finally {
            pb.AnalyzeDiagnostic.prototype.serializeBinary = original;
        }
        // 4 findings the direct encoding leaves to the SDK, and a sample of 2 compared with it.
        assert.strictEqual(calls, 6);
    });

    it("leaves an empty response to the SDK's encoder", () => {
        const r = new pb.AnalyzeResponse();
        assert.ok(Buffer.from(r.serializeBinary()).equals(sdkBytes(r)));
    });
});

describe("the end of an AnalyzeStack call", () => {
    before(() => {
        assert.strictEqual(finishResponses(), true, "the pinned @pulumi/policy could not be patched; its module layout changed");
    });

    it("drops the call's resource graph once its response is built, and not after an Analyze call", () => {
        protoutil.makeAnalyzeResponse([]); // ends whatever call an earlier test began
        const resources = [{ urn: "urn:pulumi:s::p::aws:lambda/function:Function::fn", type: "aws:lambda/function:Function", name: "fn", props: { role: "r" }, dependencies: [], propertyDependencies: {} }] as unknown as PolicyResource[];
        const graph = ResourceGraph.of(resources);
        protoutil.makeAnalyzeResponse([]);
        assert.strictEqual(ResourceGraph.of(resources), graph, "an Analyze response keeps the graph of the call in progress");
        stackPolicyStarting();
        const built = protoutil.makeAnalyzeResponse([{ policyName: "p", policyPackName: "serverless-guard", policyPackVersion: "1", description: "d", message: "m", enforcementLevel: "advisory", urn: resources[0].urn }]);
        assert.strictEqual(built.getDiagnosticsList().length, 1);
        assert.notStrictEqual(ResourceGraph.of(resources), graph, "the graph was kept past its call");
    });
});
