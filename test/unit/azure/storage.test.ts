import * as assert from "assert";
import { check, remediate } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import * as fx from "../../fixtures/azure";
import { UNKNOWN } from "../../../runner/wire";

describe("azure storage accounts", () => {
    const account = fx.storageAccount;

    describe("azure-storage-https-only", () => {
        const name = "azure-storage-https-only";
        it("passes HTTPS only, also by default", () => {
            expectPass(check(name, account));
            expectPass(check(name, mutate(account, f => { delete f.props.enableHttpsTrafficOnly; })));
        });
        it("flags plain HTTP and remediates", () => {
            const http = mutate(account, f => { f.props.enableHttpsTrafficOnly = false; });
            expectViolation(check(name, http), /enableHttpsTrafficOnly is false/, "mandatory");
            assert.strictEqual(remediate(name, http)!.enableHttpsTrafficOnly, true);
        });
    });

    describe("azure-storage-min-tls", () => {
        const name = "azure-storage-min-tls";
        it("passes TLS 1.2", () => expectPass(check(name, account)));
        it("flags TLS 1.0, TLS 1.1 and the unset default", () => {
            expectViolation(check(name, mutate(account, f => { f.props.minimumTlsVersion = "TLS1_0"; })), /"TLS1_0"/);
            expectViolation(check(name, mutate(account, f => { f.props.minimumTlsVersion = "TLS1_1"; })), /"TLS1_1"/);
            const unset = mutate(account, f => { delete f.props.minimumTlsVersion; });
            expectViolation(check(name, unset), /not set/);
            assert.strictEqual(remediate(name, unset)!.minimumTlsVersion, "TLS1_2");
        });
        it("can't decide on an unknown version", () => expectUnknown(check(name, mutate(account, f => { f.props.minimumTlsVersion = UNKNOWN; }))));
    });

    describe("azure-storage-blob-public-access", () => {
        const name = "azure-storage-blob-public-access";
        it("passes private blobs, also by default", () => {
            expectPass(check(name, account));
            expectPass(check(name, mutate(account, f => { delete f.props.allowBlobPublicAccess; })));
        });
        it("flags public blob access", () => expectViolation(check(name, mutate(account, f => { f.props.allowBlobPublicAccess = true; })), /allowBlobPublicAccess is true/, "mandatory"));
    });

    describe("azure-storage-shared-key-access", () => {
        const name = "azure-storage-shared-key-access";
        it("passes disabled shared keys", () => expectPass(check(name, account)));
        it("flags shared keys, also when unset", () => {
            expectViolation(check(name, mutate(account, f => { delete f.props.allowSharedKeyAccess; })), /unset means true/, "advisory");
            expectViolation(check(name, mutate(account, f => { f.props.allowSharedKeyAccess = true; })), /allowSharedKeyAccess/);
        });
    });

    describe("azure-storage-encryption", () => {
        const name = "azure-storage-encryption";
        const strict = { requireInfrastructureEncryption: true, requireCustomerManagedKey: true };
        it("passes by default, and a double-encrypted CMK account when required", () => {
            expectPass(check(name, mutate(account, f => { delete f.props.encryption; })));
            expectPass(check(name, account, { config: strict }));
        });
        it("flags what the configuration requires", () => {
            const plain = mutate(account, f => { f.props.encryption = { keySource: "Microsoft.Storage" }; });
            expectViolation(check(name, plain, { config: { requireInfrastructureEncryption: true } }), /requireInfrastructureEncryption/);
            expectViolation(check(name, plain, { config: { requireCustomerManagedKey: true } }), /Microsoft-managed keys/);
        });
    });
});
