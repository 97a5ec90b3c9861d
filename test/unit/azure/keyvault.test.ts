import * as assert from "assert";
import { check } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation, mutate, expectFailedDespiteUnknown } from "../../support/expect";
import * as fx from "../../fixtures/azure";
import { UNKNOWN } from "../../../runner/wire";

describe("azure key vault", () => {
    describe("azure-keyvault-recoverable", () => {
        const name = "azure-keyvault-recoverable";
        it("passes soft delete with purge protection", () => expectPass(check(name, fx.vault)));
        it("flags disabled soft delete and missing purge protection", () => {
            expectViolation(check(name, mutate(fx.vault, f => { f.props.properties.enableSoftDelete = false; })), /enableSoftDelete is false/, "mandatory");
            expectViolation(check(name, mutate(fx.vault, f => { delete f.props.properties.enablePurgeProtection; })), /enablePurgeProtection is not true/);
        });
        it("reports purge protection while soft delete is unknown", () => {
            const out = check(name, mutate(fx.vault, f => { f.props.properties.enableSoftDelete = UNKNOWN; f.props.properties.enablePurgeProtection = false; }));
            expectViolation(out, /enablePurgeProtection/);
            expectFailedDespiteUnknown(out);
        });
    });

    describe("azure-keyvault-rbac", () => {
        const name = "azure-keyvault-rbac";
        it("passes RBAC authorization", () => expectPass(check(name, fx.vault)));
        it("flags access policies", () => expectViolation(check(name, mutate(fx.vault, f => { delete f.props.properties.enableRbacAuthorization; })), /enableRbacAuthorization/, "advisory"));
    });

    describe("azure-keyvault-public-network", () => {
        const name = "azure-keyvault-public-network";
        it("passes a private vault, or one that denies by default", () => {
            expectPass(check(name, fx.vault));
            expectPass(check(name, mutate(fx.vault, f => { f.props.properties.publicNetworkAccess = "Enabled"; })));
        });
        it("flags a vault open to every network", () => {
            expectViolation(check(name, mutate(fx.vault, f => { delete f.props.properties.publicNetworkAccess; f.props.properties.networkAcls.defaultAction = "Allow"; })), /any network/);
        });
    });

    describe("azure-keyvault-secret-expiry", () => {
        const name = "azure-keyvault-secret-expiry";
        it("passes a secret with an expiry, also when it is computed", () => {
            expectPass(check(name, fx.vaultSecret));
            expectPass(check(name, mutate(fx.vaultSecret, f => { f.props.properties.attributes.expires = UNKNOWN; })));
        });
        it("flags a secret that never expires, without revealing it", () => {
            const out = check(name, mutate(fx.vaultSecret, f => { delete f.props.properties.attributes; }));
            expectViolation(out, /never expires/, "advisory");
            assert.ok(!JSON.stringify(out).includes("pr0d-Db-Pa55word!"));
        });
    });
});
