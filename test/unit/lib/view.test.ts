import * as assert from "assert";
import { unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import { absent, field, mergePatches } from "../../../policies/lib/view";
import { APPS, CLASSIC_LINUX_APP, withDefault } from "../../../policies/azure/views";
import { WEB_APP } from "../../../policies/azure/common";
import { UNKNOWN } from "../../../runner/wire";

const proxied = (props: Record<string, unknown>) => unknownCheckingProxy(props) as Record<string, unknown>;

describe("provider-neutral views", () => {
    it("build without reading: an unknown value throws the SDK's error only when a policy reads it", () => {
        const props = proxied({ httpsOnly: true, siteConfig: UNKNOWN });
        const view = APPS[CLASSIC_LINUX_APP].view(props, CLASSIC_LINUX_APP);
        assert.strictEqual(view.httpsOnly.read(), true);
        assert.throws(() => view.minTlsVersion.read(), UnknownValueError);
        assert.throws(() => view.ftpsState.isSet(), UnknownValueError);
    });

    it("name the provider's own property path", () => {
        const props = proxied({ kind: "functionapp", siteConfig: { minTlsVersion: "1.0" } });
        assert.strictEqual(APPS[WEB_APP].view(props, WEB_APP).minTlsVersion.where, "siteConfig.minTlsVersion");
        assert.strictEqual(APPS[CLASSIC_LINUX_APP].view(proxied({}), CLASSIC_LINUX_APP).minTlsVersion.where, "siteConfig.minimumTlsVersion");
    });

    it("say when a set value is unknown without throwing", () => {
        const f = field(proxied({ a: { b: UNKNOWN } }), "a.b");
        assert.strictEqual(f.isSet(), true);
        assert.strictEqual(f.isUnknown(), true);
    });

    it("patch in the provider's shape and merge patches", () => {
        const props = proxied({});
        assert.deepStrictEqual(field(props, "siteConfig.http2Enabled").patch(true), { siteConfig: { http2Enabled: true } });
        assert.deepStrictEqual(
            mergePatches(field(props, "siteConfig.a").patch(1), undefined, field(props, "siteConfig.b").patch(2), field(props, "c").patch(3)),
            { siteConfig: { a: 1, b: 2 }, c: 3 });
        assert.strictEqual(mergePatches(undefined), undefined);
        assert.strictEqual(absent("x").patch(1), undefined);
    });

    it("read the provider's default for an unset field", () => {
        const f = withDefault(field(proxied({}), "minTlsVersion"), "TLS1_2");
        assert.strictEqual(f.read(), "TLS1_2");
        assert.strictEqual(f.isSet(), false);
        assert.strictEqual(withDefault(field(proxied({ minTlsVersion: "TLS1_0" }), "minTlsVersion"), "TLS1_2").read(), "TLS1_0");
    });
});
