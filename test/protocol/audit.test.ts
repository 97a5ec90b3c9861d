// Audit mode: the same infrastructure as a preview (unknown values, propertyDependencies, explicit
// providers), as `pulumi stack export` state (outputs read back, ARM shapes) and as resources discovered
// in the cloud accounts (all values known, links as plain identifiers, no dependencies, parents or
// providers) gives the same stack findings through the compiled pack. Each fixture holds the cases
// that a name alone gets wrong: two functions named `api` in two regions (AWS, Google Cloud) or two
// resource groups (Azure), a permission on a qualified Lambda ARN, ARM-named functions
// (`api/hello`) and app settings in a separate `appsettings` resource.
import { definitions } from "../../policies/registry";
import { eventSourcePolicies } from "../../policies/aws/eventsources";
import { cloudFrontPolicies, lambdaEdgePolicies } from "../../policies/aws/cloudfront";
import { appSyncPolicies } from "../../policies/aws/appsync";
import { stepFunctionsPolicies } from "../../policies/aws/stepfunctions";
import { apiGatewayRestApiPolicies } from "../../policies/aws/apigateway-restapi";
import { messagingPolicies as azureMessagingPolicies } from "../../policies/azure/messaging";
import { apimPolicies } from "../../policies/azure/apim";
import { containerAppPolicies } from "../../policies/azure/containerapps";
import { FUNCTION_DEFINITIONS } from "../../policies/azure/views";
import { pubsubPolicies } from "../../policies/gcp/pubsub";
import { apiGatewayPolicies as gcpApiGatewayPolicies } from "../../policies/gcp/apigateway";
import { CALLERS } from "../../policies/stack/aws-invokers";
import { DESTINATIONS } from "../../policies/stack/aws-eventsources";
import * as aws from "../../policies/model/aws";
import * as azure from "../../policies/model/azure";
import * as gcp from "../../policies/model/gcp";
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

// The event-source, front door, workflow and messaging families: the types their resource policies
// declare, and the types their stack families follow (the callers whose role invokes functions, the
// configs that name destinations, the trigger sources, the function definitions of an app). Each of
// them is held by the audit fixtures in deployed state and in discovered form, and each resource
// policy reads the read-back shapes as it reads the program's, so a shape it misreads (a link held as
// an ARN or id, an ARM name, a default block the provider fills in) shows here.
const FAMILY_POLICIES = [
    ...eventSourcePolicies, ...cloudFrontPolicies, ...lambdaEdgePolicies, ...appSyncPolicies, ...stepFunctionsPolicies, ...apiGatewayRestApiPolicies,
    ...azureMessagingPolicies, ...apimPolicies, ...containerAppPolicies, ...pubsubPolicies, ...gcpApiGatewayPolicies,
];
const FAMILY_TYPES = new Set([
    ...FAMILY_POLICIES.flatMap(d => d.resourceTypes),
    ...Object.keys(CALLERS), ...Object.keys(DESTINATIONS), ...Object.keys(FUNCTION_DEFINITIONS),
    ...aws.TRIGGER_SOURCE_TYPES, ...azure.TRIGGER_SOURCE_TYPES, ...gcp.TRIGGER_SOURCE_TYPES,
]);

/** The types of the other front door and workflow policies whose read-back shapes are compared too. */
const OTHER_READ_BACK_TYPES = new Set([
    "aws:apigatewayv2/api:Api", "aws:apigatewayv2/stage:Stage", "aws:apigatewayv2/route:Route", "aws:apigatewayv2/domainName:DomainName",
    "aws:apigateway/method:Method", "aws:apigateway/stage:Stage", "aws:apigateway/methodSettings:MethodSettings", "aws:apigateway/domainName:DomainName",
    "gcp:pubsub/subscription:Subscription", "gcp:cloudrunv2/job:Job", "gcp:cloudtasks/queue:Queue", "gcp:workflows/workflow:Workflow",
    // The classic provider's legacy function app: its defaults (version, ftpsState, httpsOnly) differ from the newer types'.
    "azure:appservice/functionApp:FunctionApp",
]);

/** Types that discovery reads back as another: a member or binding of a topic's IAM as the topic's IAM policy, the deprecated BucketV2 as a Bucket. */
const DISCOVERED_AS: Record<string, string> = {
    "gcp:pubsub/topicIAMMember:TopicIAMMember": "gcp:pubsub/topicIAMPolicy:TopicIAMPolicy",
    "gcp:pubsub/topicIAMBinding:TopicIAMBinding": "gcp:pubsub/topicIAMPolicy:TopicIAMPolicy",
    "aws:s3/bucketV2:BucketV2": "aws:s3/bucket:Bucket",
};

const cloudOf = (type: string) => type.startsWith("aws") ? "aws" : type.startsWith("gcp") ? "gcp" : "azure";
const typesSeen = new Map<string, Set<string>>();
const typesIn = (file: string) => typesSeen.get(file) ?? typesSeen.set(file, new Set(exampleStack(file).map(r => r.type))).get(file)!;

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

    it("holds, in deployed state and in discovered form, every type the event-source, front door, workflow and messaging families read", () => {
        const missing: string[] = [];
        for (const type of [...FAMILY_TYPES].sort()) {
            const cloud = cloudOf(type);
            const inState = typesIn(`audit/${cloud}-deployed.export.json`).has(type);
            const discoveredAs = DISCOVERED_AS[type];
            const inDiscovered = typesIn(`audit/${cloud}-discovered.json`).has(discoveredAs ?? type);
            if (!inState || !inDiscovered) {
                missing.push(`${type}: ${[!inState && "state", !inDiscovered && (discoveredAs ? `discovered (as ${discoveredAs})` : "discovered")].filter(Boolean).join(" and ")}`);
            }
        }
        assert.deepStrictEqual(missing, [], "types with no audit fixture");
    });

    it("reports the same resource-policy findings on the same resources in every form (preview may wait for a value)", async () => {
        for (const cloud of ["aws", "gcp", "azure"]) {
            const forms = FORMS.map(form => exampleStack(`audit/${cloud}-${form}`));
            // The resources of these types that every form holds under the same name.
            const names = forms.map(rs => new Set(rs.filter(r => FAMILY_TYPES.has(r.type) || OTHER_READ_BACK_TYPES.has(r.type)).map(r => `${r.type}::${r.name}`)));
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
