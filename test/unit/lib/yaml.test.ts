import * as assert from "assert";
import { parseYaml, YamlError } from "../../../policies/lib/yaml";

describe("yaml subset reader", () => {
    it("reads the YAML that OpenAPI documents are written in", () => {
        const doc = parseYaml([
            "# an API",
            "openapi: 3.0.1",
            "info:",
            "  title: 'orders: the API'   # comment",
            "  version: \"1.0\"",
            "security:",
            "- cognito: []",
            "paths:",
            "  /orders/{id}:",
            "    get:",
            "      tags: [a, \"b c\", {x: y}]",
            "      description: |",
            "        Line one",
            "          indented # not a comment",
            "",
            "        Line three",
            "      summary: >-",
            "        folded",
            "        text",
            "      x-amazon-apigateway-integration:",
            "        uri: arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:f/invocations",
            "        passthrough: true",
            "        timeout: 29000",
            "        empty:",
            "  \"/quoted\": {}",
        ].join("\n"));
        assert.deepStrictEqual(doc, {
            openapi: "3.0.1",
            info: { title: "orders: the API", version: "1.0" },
            security: [{ cognito: [] }],
            paths: {
                "/orders/{id}": {
                    get: {
                        tags: ["a", "b c", { x: "y" }],
                        description: "Line one\n  indented # not a comment\n\nLine three\n",
                        summary: "folded text",
                        "x-amazon-apigateway-integration": {
                            uri: "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:f/invocations",
                            passthrough: true,
                            timeout: 29000,
                            empty: null,
                        },
                    },
                },
                "/quoted": {},
            },
        });
    });

    it("reads nested sequences of mappings", () => {
        assert.deepStrictEqual(parseYaml("a:\n  - b: 1\n    c: [x]\n  - - nested\n  -\n    d: e\n"), { a: [{ b: 1, c: ["x"] }, ["nested"], { d: "e" }] });
    });

    it("refuses what it doesn't read exactly: anchors, aliases, tags, several documents, tabs, bad indentation", () => {
        for (const text of [
            "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: 1\n---\nb: 2\n", "a:\n\tb: 1\n", "a: 1\n   b: 2\n",
            "a: [1, 2\n", "a: 'open\n", "a: 1\na: 2\n", "? complex\n: key\n",
        ]) {
            assert.throws(() => parseYaml(text), YamlError, JSON.stringify(text));
        }
    });

    it("keeps prototype keys as plain data", () => {
        const doc = parseYaml("__proto__:\n  polluted: true\nconstructor: x\n") as Record<string, unknown>;
        assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
        assert.deepStrictEqual(Object.keys(doc).sort(), ["__proto__", "constructor"]);
    });

    it("stays linear on large and deeply nested input", () => {
        const wide = "paths:\n" + Array.from({ length: 5000 }, (_, i) => `  /p${i}:\n    get:\n      x: ${i}`).join("\n");
        assert.strictEqual(Object.keys((parseYaml(wide) as { paths: object }).paths).length, 5000);
        const spaced = `a${" ".repeat(1_000_000 - 2)}b`;
        const started = Date.now();
        assert.strictEqual(parseYaml(spaced), spaced);
        assert.ok(Date.now() - started < 1000, "a long line without a key is read in linear time");
        const deep = Array.from({ length: 200 }, (_, i) => `${" ".repeat(i)}k:`).join("\n");
        assert.throws(() => parseYaml(deep), YamlError);
    });
});
