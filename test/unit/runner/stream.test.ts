// Reports written as they are produced (runner/stream.ts): the same text as JSON.stringify would give.
import * as assert from "assert";
import * as fc from "fast-check";
import { jsonChunks, lazy, materialize } from "../../../runner/stream";

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
