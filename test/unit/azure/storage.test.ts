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
        // The storage account of pulumi/examples azure-ts-functions (and azure-py-functions): no minimumTlsVersion.
        const examplesAccount = {
            type: "azure-native:storage:StorageAccount",
            props: { resourceGroupName: "functions-rg", sku: { name: "Standard_LRS" }, kind: "StorageV2" },
        };
        const before = { evaluationDate: "2026-02-02" };
        it("flags TLS 1.0 and TLS 1.1 before the retirement, and the unset API default (TLS 1.0)", () => {
            expectViolation(check(name, mutate(account, f => { f.props.minimumTlsVersion = "TLS1_0"; }), { config: before }), /"TLS1_0"/, "mandatory");
            expectViolation(check(name, mutate(account, f => { f.props.minimumTlsVersion = "TLS1_1"; }), { config: before }), /"TLS1_1"/);
            expectViolation(check(name, examplesAccount, { config: before }), /not set \(until 2026-02-03 the API's default is TLS 1\.0\)/, "mandatory");
            assert.strictEqual(remediate(name, examplesAccount, { config: before })!.minimumTlsVersion, "TLS1_2");
        });
        it("passes an unset version once Azure Storage refuses TLS 1.0/1.1 on every account (2026-02-03)", () => {
            expectPass(check(name, examplesAccount));
            expectPass(check(name, examplesAccount, { config: { evaluationDate: "2026-02-03" } }));
            assert.strictEqual(remediate(name, examplesAccount), undefined);
        });
        it("only warns about an explicit TLS 1.0/1.1 after the retirement: Azure no longer honours it", () => {
            const weak = mutate(account, f => { f.props.minimumTlsVersion = "TLS1_0"; });
            expectViolation(check(name, weak), /no longer honours .* since 2026-02-03/, "advisory");
            assert.strictEqual(remediate(name, weak)!.minimumTlsVersion, "TLS1_2");
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
