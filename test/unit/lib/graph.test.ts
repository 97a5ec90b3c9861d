import * as assert from "assert";
import { PolicyResource } from "@pulumi/policy";
import { ResourceGraph } from "../../../policies/lib/graph";

function wrappers(props: Record<string, unknown>[], deps: Record<string, Record<string, number[]>> = {}): PolicyResource[] {
    const list = props.map((p, i) => ({
        urn: `urn:pulumi:s::p::aws:lambda/function:Function::fn-${i}`,
        type: "aws:lambda/function:Function",
        name: `fn-${i}`,
        props: p,
        dependencies: [],
        propertyDependencies: {} as Record<string, PolicyResource[]>,
    } as unknown as PolicyResource));
    for (const [i, byProp] of Object.entries(deps)) {
        for (const [prop, targets] of Object.entries(byProp)) {
            list[Number(i)].propertyDependencies[prop] = targets.map(t => list[t]);
        }
    }
    return list;
}

describe("resource graph", () => {
    it("is built once per AnalyzeStack call, for every policy's wrappers of the same request", () => {
        const props = [{ role: "a" }, { role: "b" }];
        const g1 = ResourceGraph.of(wrappers(props));
        assert.strictEqual(ResourceGraph.of(wrappers(props)), g1);
    });

    it("is not reused for another request with the same resource names in the same tick", () => {
        const g1 = ResourceGraph.of(wrappers([{ role: "a" }, { role: "b" }]));
        const g2 = ResourceGraph.of(wrappers([{ role: "changed" }, { role: "b" }]));
        assert.notStrictEqual(g2, g1);
        assert.strictEqual(g2.nodes[0].props.role, "changed");
    });

    it("keeps dependencies as URN references, not the SDK's resource wrappers", () => {
        const resources = wrappers([{ role: "a" }, { name: "b" }], { 0: { role: [1] } });
        const g = ResourceGraph.build(resources);
        const ref = g.nodes[0].resource;
        assert.notStrictEqual(ref as unknown, resources[0]);
        assert.deepStrictEqual(ref.propertyDependencies.role.map(r => r.urn), [resources[1].urn]);
        assert.strictEqual(ref.propertyDependencies.role[0], g.nodes[1].resource);
        assert.deepStrictEqual(g.nodes[1].resource.propertyDependencies, {});
    });
});
