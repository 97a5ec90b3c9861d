// The clouds' identity adapters on their own: the keys and scope they read from ARNs, resource paths
// and ARM ids, as the resource graph resolves references with them.
import * as assert from "assert";
import { adapterFor, Scope } from "../../../policies/lib/identity";
import "../../../policies/model/adapters";

describe("identity adapters", () => {
    it("reads keys and scope from ARNs, resource paths and ARM ids", () => {
        const aws = adapterFor("aws:lambda/permission:Permission");
        const own: Scope = ["111122223333", "eu-west-1"];
        const refs = (adapter: ReturnType<typeof adapterFor>, type: string, props: Record<string, unknown>, property: string, scope: Scope = own) =>
            adapter.references({ type, name: "x", props }, property, scope).map(r => ({ keys: [...r.keys], scope: [...r.scope] }));
        assert.deepStrictEqual(refs(aws, "aws:lambda/permission:Permission", { function: "arn:aws:lambda:us-east-1:444455556666:function:api:live" }, "function"),
            [{ keys: ["arn:aws:lambda:us-east-1:444455556666:function:api:live", "arn:aws:lambda:us-east-1:444455556666:function:api", "api"], scope: ["444455556666", "us-east-1"] }]);
        assert.deepStrictEqual(refs(aws, "aws:lambda/permission:Permission", { function: "api:$LATEST" }, "function"), [{ keys: ["api:$LATEST", "api"], scope: own }]);
        assert.deepStrictEqual(refs(aws, "aws:lambda/eventSourceMapping:EventSourceMapping", { eventSourceArn: "https://sqs.us-east-1.amazonaws.com/444455556666/jobs" }, "eventSourceArn"),
            [{ keys: ["https://sqs.us-east-1.amazonaws.com/444455556666/jobs", "jobs"], scope: ["444455556666", "us-east-1"] }]);
        // A table's stream and a stream's consumer name their table or stream: its ARN, then its name; the table is also known by its stream.
        const stream = "arn:aws:dynamodb:us-east-1:444455556666:table/orders/stream/2026-11-30T10:00:00.000";
        assert.deepStrictEqual(refs(aws, "aws:lambda/eventSourceMapping:EventSourceMapping", { eventSourceArn: stream }, "eventSourceArn"),
            [{ keys: [stream, "arn:aws:dynamodb:us-east-1:444455556666:table/orders", "orders"], scope: ["444455556666", "us-east-1"] }]);
        const consumer = "arn:aws:kinesis:eu-west-1:111122223333:stream/clicks/consumer/worker:1764496800";
        assert.deepStrictEqual(refs(aws, "aws:lambda/eventSourceMapping:EventSourceMapping", { eventSourceArn: consumer }, "eventSourceArn"),
            [{ keys: [consumer, "arn:aws:kinesis:eu-west-1:111122223333:stream/clicks", "clicks"], scope: own }]);
        assert.ok(adapterFor("aws:dynamodb/table:Table").identify({ type: "aws:dynamodb/table:Table", name: "t", props: { name: "orders", streamArn: stream } }).keys.includes(stream));
        assert.deepStrictEqual(adapterFor("aws:iam/role:Role").identify({ type: "aws:iam/role:Role", name: "r", props: { name: "api-role", arn: "arn:aws:iam::111122223333:role/api-role" }, provider: { region: "eu-west-1" } }).scope,
            ["111122223333", undefined]);

        const gcp = adapterFor("gcp:cloudfunctionsv2/functionIamMember:FunctionIamMember");
        assert.deepStrictEqual(refs(gcp, "gcp:cloudfunctionsv2/functionIamMember:FunctionIamMember", { cloudFunction: "projects/shop/locations/europe-west1/functions/api" }, "cloudFunction", [undefined, undefined]),
            [{ keys: ["projects/shop/locations/europe-west1/functions/api", "api"], scope: ["shop", "europe-west1"] }]);
        assert.deepStrictEqual(refs(gcp, "gcp:projects/iAMMember:IAMMember", { member: "serviceAccount:Api-Fn@shop.iam.gserviceaccount.com" }, "member", [undefined, undefined]),
            [{ keys: ["api-fn@shop.iam.gserviceaccount.com", "api-fn"], scope: ["shop", undefined] }]);

        const azure = adapterFor("azure-native:web:WebAppFunction");
        const site = "/subscriptions/S1/resourceGroups/RG-A/providers/Microsoft.Web/sites/Api";
        assert.deepStrictEqual(refs(azure, "azure-native:web:WebAppFunction", { id: `${site}/functions/hello`, name: "Api/hello" }, "name", [undefined, undefined]),
            [{ keys: ["api"], scope: ["s1", "rg-a"] }]);
        assert.deepStrictEqual(refs(azure, "azure-native:web:WebAppApplicationSettings", { name: "appsettings" }, "name"), [], "an ARM config name alone doesn't name the app");
        assert.deepStrictEqual(refs(azure, "azure-native:web:WebAppApplicationSettings", { name: "api" }, "name", ["s1", "rg-a"]), [{ keys: ["api"], scope: ["s1", "rg-a"] }]);
        assert.deepStrictEqual(adapterFor("azure-native:web:WebApp").identify({ type: "azure-native:web:WebApp", name: "a", props: { name: "api", resourceGroupName: "RG-A" }, provider: { subscriptionId: "S1" } }),
            { keys: ["api"], scope: ["s1", "rg-a"] });
    });
});
