import * as assert from "assert";
import { parseYaml, YamlError } from "../../../policies/lib/yaml";

describe("yaml reader", () => {
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

    it("reads what real specs use: anchors, aliases, merge keys, tags and multi-line flow collections", () => {
        const doc = parseYaml([
            "components:",
            "  responses:",
            "    error: &error {description: failed, content:",
            "      {application/json: {}}}",
            "x-common: &common",
            "  passthroughBehavior: when_no_match",
            "  type: aws_proxy",
            "paths:",
            "  /a:",
            "    get:",
            "      responses: {'500': *error}",
            "      x-amazon-apigateway-integration:",
            "        <<: *common",
            "        uri: !!str arn",
            "      tags: [",
            "        one,",
            "        two ]",
        ].join("\n")) as { paths: { "/a": { get: Record<string, unknown> } } };
        const get = doc.paths["/a"].get;
        assert.deepStrictEqual(get.responses, { "500": { description: "failed", content: { "application/json": {} } } });
        assert.deepStrictEqual(get["x-amazon-apigateway-integration"], { passthroughBehavior: "when_no_match", type: "aws_proxy", uri: "arn" });
        assert.deepStrictEqual(get.tags, ["one", "two"]);
    });

    it("refuses what it can't read exactly: several documents, repeated keys, tabs, unclosed collections and quotes", () => {
        for (const text of ["a: 1\n---\nb: 2\n", "a: 1\na: 2\n", "a:\n\tb: 1\n", "a: [1, 2\n", "a: 'open\n", "a: 1\n   b: 2\n"]) {
            assert.throws(() => parseYaml(text), YamlError, JSON.stringify(text));
        }
    });

    it("refuses alias bombs, oversized documents and deep nesting without crashing the process", () => {
        const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]", "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]", "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
            "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]", "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]", "f: [*e, *e, *e, *e, *e, *e, *e, *e, *e]"].join("\n");
        assert.throws(() => parseYaml(bomb), YamlError);
        assert.throws(() => parseYaml(`a: ${"x".repeat(1_000_001)}`), /over 1000000 characters/);
        // 100,000 nested flow collections exhaust the parser's memory in a way no try/catch sees.
        assert.throws(() => parseYaml("[".repeat(100_000) + "]".repeat(100_000)), /nested more than 64 levels/);
        assert.throws(() => parseYaml("a: " + "{b: ".repeat(70) + "1" + "}".repeat(70)), /nested more than 64 levels/);
        const quoted = "a: \"" + "[".repeat(100) + "\"\nb: '" + "{".repeat(100) + "'\n";
        assert.deepStrictEqual(parseYaml(quoted), { a: "[".repeat(100), b: "{".repeat(100) });
    });

    it("keeps prototype keys as plain data", () => {
        const doc = parseYaml("__proto__:\n  polluted: true\nconstructor: x\n") as Record<string, unknown>;
        assert.strictEqual(({} as Record<string, unknown>).polluted, undefined);
        assert.deepStrictEqual(Object.keys(doc).sort(), ["__proto__", "constructor"]);
    });

    it("reads large documents and long lines, and refuses deep block nesting", () => {
        const wide = "paths:\n" + Array.from({ length: 5000 }, (_, i) => `  /p${i}:\n    get:\n      x: ${i}`).join("\n");
        assert.strictEqual(Object.keys((parseYaml(wide) as { paths: object }).paths).length, 5000);
        const spaced = `a${" ".repeat(1_000_000 - 2)}b`;
        assert.strictEqual(parseYaml(spaced), spaced);
        const deep = Array.from({ length: 200 }, (_, i) => `${" ".repeat(i)}k:`).join("\n");
        assert.throws(() => parseYaml(deep), /line 65: nested more than 64 levels/);
        const withinLimit = Array.from({ length: 60 }, (_, i) => `${" ".repeat(i)}k:`).join("\n");
        assert.ok(parseYaml(withinLimit));
    });
});
