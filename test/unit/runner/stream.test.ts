// Reports written as they are produced (runner/stream.ts): the same text as JSON.stringify would give.
import * as assert from "assert";
import * as fc from "fast-check";
import { jsonScanChunks, jsonStackText } from "../../../runner/report";
import { jsonChunks, JsonText, lazy, materialize } from "../../../runner/stream";
import { context, diagnostics, runResult } from "./reportFixture";

/** A JSON value with some of its lists made lazy, at any depth. */
const withLazyLists = fc.letrec(tie => ({
    value: fc.oneof({ depthSize: "small" }, fc.jsonValue({ maxDepth: 3 }), tie("list"), tie("object")),
    list: fc.tuple(fc.array(tie("value"), { maxLength: 4 }), fc.boolean()).map(([items, isLazy]) => isLazy ? lazy(() => items) : items),
    object: fc.dictionary(fc.string({ maxLength: 6 }), tie("value"), { maxKeys: 4 }),
})).value;

describe("report streaming: jsonChunks", () => {
    it("writes exactly what JSON.stringify(value, null, 2) writes, lazy lists at any depth included", () => {
        fc.assert(fc.property(withLazyLists, value => {
            assert.strictEqual([...jsonChunks(value)].join(""), JSON.stringify(materialize(value), null, 2));
        }), { numRuns: 500 });
    });

    it("indents values nested deep in a report, strings with escaped line breaks and empty lists included", () => {
        const deep = { a: lazy(() => [{ b: lazy(() => [{ c: [1, [], {}], text: "line\nbreak \"quoted\"" }, null, "x"]) }]) };
        assert.strictEqual([...jsonChunks(deep)].join(""), JSON.stringify(materialize(deep), null, 2));
    });
});

describe("report streaming: parts written out early", () => {
    it("a value's text written out at its place is taken as it is: the same document", () => {
        const element = { a: [1, { b: "x" }], c: lazy(() => [null, "y"]) };
        const text = new JsonText([...jsonChunks(element, "    ")].join(""));
        const doc = (e: unknown) => ({ head: 1, stacks: [e, e], tail: [] });
        assert.strictEqual([...jsonChunks(doc(text))].join(""), JSON.stringify(materialize(doc(element)), null, 2));
        assert.deepStrictEqual(materialize(doc(text)), materialize(doc(element)));
    });

    it("a JSON report of several stacks with each stack's part written out as it finished: the same bytes as written at the end", () => {
        const stacks = [
            { result: runResult(), ctx: context({ inputPath: "a.json" }) },
            { result: runResult({ diagnostics: diagnostics.slice(0, 2) }), ctx: context({ inputPath: "b.json", stack: "prod" }) },
        ];
        const scan = { stacks, failures: [{ input: "broken.json", message: "can't be read" }] };
        const early = new Map(stacks.map(s => [s, jsonStackText(s)]));
        const atTheEnd = [...jsonScanChunks(scan)].join("");
        assert.ok(atTheEnd.includes("\"b.json\"") && atTheEnd.length > 500);
        assert.strictEqual([...jsonScanChunks(scan, s => early.get(s))].join(""), atTheEnd);
    });
});
