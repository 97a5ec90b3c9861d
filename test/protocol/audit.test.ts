// Audit mode: the same infrastructure as a preview (unknown values, propertyDependencies, explicit
// providers), as `pulumi stack export` state (outputs read back, ARM shapes) and as resources discovered
// in the cloud accounts (all values known, links as plain identifiers, no dependencies, parents or
// providers) gives the same stack findings through the compiled pack. Each fixture holds the cases
// that a name alone gets wrong: two functions named `api` in two regions (AWS, Google Cloud) or two
// resource groups (Azure), a permission on a qualified Lambda ARN, ARM-named functions
// (`api/hello`) and app settings in a separate `appsettings` resource.
import { definitions } from "../../policies/registry";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { PolicyPackProcess, RunResult } from "../../runner/engine";
import { exampleStack, REPO, run, startPack } from "../support/pack";

const FORMS = ["preview.json", "deployed.export.json", "discovered.json"];

/** Checks that wait for values unknown during preview, or can't decide on known ones, reported apart from findings. */
const DEFERRED = "pack-deferred-checks";

/** `<resource>|<policy>` of every stack-policy finding. */
const STACK_POLICIES = new Set(definitions.filter(d => d.kind === "stack").map(d => d.meta.name));

/**
 * Findings of stack policies. A resource policy's finding may arrive in the stack phase too, at preview,
 * when its unknown value is decided from the value's sources (policies/lib/redecide.ts).
 */
function stackFindings(result: RunResult): string[] {
    return [...new Set(result.diagnostics.filter(d => d.phase === "stack" && STACK_POLICIES.has(d.policyName) && d.policyName !== DEFERRED).map(d => `${d.urn.split("::").pop()}|${d.policyName}`))].sort();
}

function expected(cloud: string): string[] {
    const list = JSON.parse(fs.readFileSync(path.join(REPO, "test", "protocol", "expectations", "audit", `${cloud}.json`), "utf8")) as { resource: string; policy: string }[];
    return list.map(e => `${e.resource}|${e.policy}`).sort();
}

describe("protocol: audit mode on deployed and discovered resources", function () {
    let pack: PolicyPackProcess;
    before(async () => { pack = await startPack(); });
    after(async () => { await pack?.close(); });

    for (const cloud of ["aws", "gcp", "azure"]) {
        for (const form of FORMS) {
            const file = `audit/${cloud}-${form}`;
            it(`examples/stacks/${file}: exactly the stack findings of test/protocol/expectations/audit/${cloud}.json`, async () => {
                const resources = exampleStack(file);
                if (form === "discovered.json") {
                    assert.ok(resources.every(r => !r.parent && !r.provider && (r.dependencies ?? []).length === 0 && Object.keys(r.propertyDependencies ?? {}).length === 0), "discovered resources carry no links");
                }
                const result = await run(pack, resources);
                assert.deepStrictEqual(stackFindings(result), expected(cloud));
                if (form !== "preview.json") {
                    const undecided = result.diagnostics.filter(d => d.phase === "stack" && (d.policyName === DEFERRED || /during preview/.test(d.message)));
                    assert.deepStrictEqual(undecided.map(d => d.message), [], "every value is known in audit mode");
                }
            });
        }
    }

    it("says it can't tell which function a bare name means, in words of its own, not as waiting for `pulumi up`", async () => {
        // A permission discovered without a region, naming `api`, which exists in two regions: nothing recorded says which.
        const resources = exampleStack("audit/aws-discovered.json");
        const urn = "urn:pulumi:discovered::aws::aws:lambda/permission:Permission::who-public";
        resources.push({
            type: "aws:lambda/permission:Permission", name: "who-public", urn,
            props: { function: "api", action: "lambda:InvokeFunction", principal: "*", statementId: "who", id: "who" },
        } as typeof resources[number]);
        const result = await run(pack, resources);
        const lines = result.diagnostics.filter(d => d.policyName === DEFERRED);
        assert.deepStrictEqual(lines.map(d => d.urn), [urn], "one line, on the permission, for every check that can't tell");
        const [, ...body] = lines[0].message.split("\n");
        assert.deepStrictEqual(body, [
            "2 checks can't tell which resource a reference means: it matches several resources and nothing recorded (a dependency, a full ARN or id) says which; they neither pass nor fail until the reference names one.",
            "Can't tell which resource: stack-function-public-invocation (function); stack-function-public-uncapped (function).",
        ]);
        assert.ok(!result.diagnostics.some(d => /during preview|computed by other resources/.test(d.message.split("\n").slice(1).join("\n"))), "nothing waits: every value is known");
        // The findings of the example stay what they were: the European function is still public through its own permission.
        assert.deepStrictEqual(stackFindings(result), expected("aws"));
    });

    // The types of the event-source, API front door, workflow and messaging policies: each of their resource
    // policies reads the deployed and discovered shapes as it reads the program's, so a read-back shape it
    // misreads (a link held as an ARN or id, an ARM name, a default the provider fills in) shows here.
    const READ_BACK_TYPES = new Set([
        "aws:kinesis/stream:Stream", "aws:kinesis/resourcePolicy:ResourcePolicy", "aws:sqs/queue:Queue", "aws:sqs/queuePolicy:QueuePolicy",
        "aws:cloudwatch/eventPermission:EventPermission", "aws:apigateway/restApi:RestApi", "aws:apigateway/restApiPolicy:RestApiPolicy",
        "aws:apigatewayv2/api:Api", "aws:apigatewayv2/stage:Stage", "aws:cloudfront/distribution:Distribution", "aws:sfn/stateMachine:StateMachine",
        "aws:appsync/graphQLApi:GraphQLApi", "aws:appsync/dataSource:DataSource", "aws:apigateway/method:Method", "aws:apigateway/stage:Stage",
        "aws:apigateway/methodSettings:MethodSettings", "aws:apigateway/domainName:DomainName", "aws:sns/topic:Topic", "aws:sns/topicPolicy:TopicPolicy",
        "aws:cloudwatch/eventBusPolicy:EventBusPolicy", "aws:s3/bucket:Bucket", "aws:s3/bucketPolicy:BucketPolicy", "aws:dynamodb/resourcePolicy:ResourcePolicy",
        "aws:apigatewayv2/route:Route", "aws:apigatewayv2/domainName:DomainName",
        "azure-native:eventhub:Namespace", "azure-native:eventgrid:Domain", "azure-native:eventgrid:Topic", "azure-native:servicebus:Namespace",
        "azure-native:servicebus:Queue", "azure-native:servicebus:Subscription", "azure-native:apimanagement:Api", "azure-native:apimanagement:Backend",
        "azure-native:apimanagement:NamedValue", "azure-native:app:ContainerApp",
        "gcp:pubsub/topic:Topic", "gcp:pubsub/subscription:Subscription", "gcp:apigateway/apiConfig:ApiConfig", "gcp:cloudrunv2/job:Job",
        "gcp:cloudtasks/queue:Queue", "gcp:workflows/workflow:Workflow",
    ]);

    it("reports the same resource-policy findings on the same resources in every form (preview may wait for a value)", async () => {
        for (const cloud of ["aws", "gcp", "azure"]) {
            const forms = FORMS.map(form => exampleStack(`audit/${cloud}-${form}`));
            // The resources of these types that every form holds under the same name.
            const names = forms.map(rs => new Set(rs.filter(r => READ_BACK_TYPES.has(r.type)).map(r => `${r.type}::${r.name}`)));
            const shared = [...names[0]].filter(n => names[1].has(n) && names[2].has(n));
            assert.ok(shared.length >= 3, `${cloud}: the fixtures hold resources of these types`);
            const found: string[][] = [];
            let waiting = new Set<string>();
            for (const [i, resources] of forms.entries()) {
                const result = await run(pack, resources);
                const mine = result.diagnostics.filter(d => shared.includes(d.urn.split("::").slice(-2).join("::")));
                found.push([...new Set(mine.filter(d => !STACK_POLICIES.has(d.policyName) && d.policyName !== DEFERRED).map(d => `${d.urn.split("::").pop()}|${d.policyName}`))].sort());
                if (i === 0) { waiting = new Set(mine.filter(d => d.policyName === DEFERRED).map(d => d.urn.split("::").pop()!)); }
            }
            const [preview, deployed, discovered] = found;
            assert.ok(deployed.length > 0, `${cloud}: some of these resources are flawed`);
            assert.deepStrictEqual(discovered, deployed, `${cloud}: discovered vs deployed`);
            assert.deepStrictEqual(preview.filter(f => !deployed.includes(f)), [], `${cloud}: a finding at preview only`);
            assert.deepStrictEqual(deployed.filter(f => !preview.includes(f) && !waiting.has(f.split("|")[0])), [], `${cloud}: a deployed finding that preview neither reports nor waits for`);
        }
    });

    it("names the resources on each end the same way in every form", async () => {
        for (const cloud of ["aws", "gcp", "azure"]) {
            const messages: string[][] = [];
            for (const form of FORMS) {
                const result = await run(pack, exampleStack(`audit/${cloud}-${form}`));
                const named = new Set(["stack-function-public-uncapped", "stack-function-trigger-open"]);
                // Discovered IAM may be another resource than the one the program declared (a topic's IAM policy
                // instead of its member): the path is the same, the resource a cause is reported on may differ.
                const line = (m: string) => m.split("\n").pop()!.replace(/ reports it on `[^`]*`/g, " reports it");
                messages.push(result.diagnostics.filter(d => d.phase === "stack" && named.has(d.policyName)).map(d => line(d.message)).sort());
            }
            assert.deepStrictEqual(messages[1], messages[0], `${cloud}: deployed vs preview`);
            assert.deepStrictEqual(messages[2], messages[0], `${cloud}: discovered vs preview`);
        }
    });
});
