import * as assert from "assert";
import { check } from "../../support/harness";
import { expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate, expectFailedDespiteUnknown } from "../../support/expect";
import * as fx from "../../fixtures/azure";
import * as classic from "../../fixtures/azure-classic";
import { secret, UNKNOWN } from "../../../runner/wire";
import { isKeyVaultReference, runtimeId } from "../../../policies/azure/common";

const ACCOUNT_KEY = "DefaultEndpointsProtocol=https;AccountName=ordersfnstore;AccountKey=" + "Zm9vYmFy".repeat(11) + "==;EndpointSuffix=core.windows.net";
const addSetting = (f: any, name: string, value: unknown) => { f.props.siteConfig.appSettings.push({ name, value }); };

describe("azure function app settings and connection strings", () => {
    describe("azure-functionapp-plaintext-secret", () => {
        const name = "azure-functionapp-plaintext-secret";
        it("passes Key Vault references, identity-based connections and Application Insights", () => {
            expectPass(check(name, fx.functionApp));
            expectPass(check(name, fx.flexFunctionApp));
            expectPass(check(name, fx.appSettings));
            expectPass(check(name, fx.connectionStrings));
        });
        it("flags a literal password in the list form and names only the key", () => {
            const out = check(name, mutate(fx.functionApp, f => addSetting(f, "SMTP_PASSWORD", "correct-horse-battery")));
            expectViolation(out, /app setting `SMTP_PASSWORD` \(siteConfig\.appSettings\) holds a secret in plain text \(literal value of a secret-like setting\)/, "mandatory");
            assert.ok(!JSON.stringify(out).includes("correct-horse-battery"));
        });
        it("flags a Pulumi secret in the settings resource's map without revealing it", () => {
            const out = check(name, mutate(fx.appSettings, f => { f.props.properties.PAYMENT_API_KEY = secret("pk_live_a1B2c3D4e5F6g7H8"); }));
            expectViolation(out, /app setting `PAYMENT_API_KEY` \(properties\)/);
            assert.ok(!JSON.stringify(out).includes("pk_live_a1B2c3D4e5F6g7H8"));
        });
        it("flags an account key in AzureWebJobsStorage and in connection strings (both forms)", () => {
            const inline = check(name, mutate(fx.functionApp, f => addSetting(f, "AzureWebJobsStorage", secret(ACCOUNT_KEY))));
            expectViolation(inline, /`AzureWebJobsStorage`.*Azure storage account key/);
            assert.ok(!JSON.stringify(inline).includes("Zm9vYmFy"));
            expectViolation(check(name, mutate(fx.functionApp, f => {
                f.props.siteConfig.connectionStrings.push({ name: "Legacy", type: "SQLAzure", connectionString: "Server=tcp:x.database.windows.net;User ID=app;Password=Sup3r-secret;" });
            })), /connection string `Legacy` \(siteConfig\.connectionStrings\) holds a secret in plain text \(password in a connection string\)/);
            expectViolation(check(name, mutate(fx.connectionStrings, f => { f.props.properties.Blobs = { value: ACCOUNT_KEY, type: "Custom" }; })), /connection string `Blobs` \(properties\)/);
        });
        it("keeps checking known settings when another is unknown", () => {
            const out = check(name, mutate(fx.appSettings, f => { f.props.properties.OTHER = UNKNOWN; f.props.properties.GITHUB_TOKEN = "ghp_" + "a".repeat(36); }));
            expectViolation(out, /GITHUB_TOKEN.*GitHub token/);
            expectFailedDespiteUnknown(out);
        });
        it("can't pass while the settings list is unknown", () => {
            expectUnknown(check(name, mutate(fx.functionApp, f => { f.props.siteConfig.appSettings = UNKNOWN; })));
            expectUnknown(check(name, mutate(fx.functionApp, f => { f.props.siteConfig = UNKNOWN; })));
        });
        it("still scans non-secret names for known token formats", () => {
            expectViolation(check(name, mutate(fx.appSettings, f => { f.props.properties.APPLICATIONINSIGHTS_CONNECTION_STRING = ACCOUNT_KEY; })), /APPLICATIONINSIGHTS_CONNECTION_STRING/);
        });
        it("tolerates settings of the wrong shape", () => {
            expectPass(check(name, mutate(fx.functionApp, f => { f.props.siteConfig.appSettings = [null, 5, { name: 7, value: "x" }, { value: "no name" }]; })));
            expectPass(check(name, mutate(fx.functionApp, f => { f.props.siteConfig.appSettings = "DB_PASSWORD=x"; })));
            expectPass(check(name, mutate(fx.appSettings, f => { f.props.properties = ["a"]; })));
            expectPass(check(name, mutate(fx.connectionStrings, f => { f.props.properties.OrdersDb = "not an object"; })));
        });
        it("is not applicable to other web apps", () => expectNotApplicable(check(name, fx.plainWebApp)));
    });

    describe("settings listed as non-secret (nonSecretSettings)", () => {
        const listed = { config: { nonSecretSettings: ["APPLICATIONINSIGHTS_CONNECTION_STRING", "Telemetry"] } };
        const unlisted = { config: { nonSecretSettings: [] } };
        const unknownInEveryForm = [
            mutate(fx.functionApp, f => { f.props.siteConfig.appSettings.find((s: any) => s.name === "APPLICATIONINSIGHTS_CONNECTION_STRING").value = UNKNOWN; }),
            mutate(fx.appSettings, f => { f.props.properties.APPLICATIONINSIGHTS_CONNECTION_STRING = UNKNOWN; }),
            mutate(fx.connectionStrings, f => { f.props.properties.Telemetry = { value: UNKNOWN, type: "Custom" }; }),
            mutate(fx.connectionStrings, f => { f.props.properties.Telemetry = UNKNOWN; }),
            mutate(classic.linuxFunctionApp, f => { f.props.appSettings.APPLICATIONINSIGHTS_CONNECTION_STRING = UNKNOWN; }),
            mutate(classic.linuxFunctionApp, f => { f.props.connectionStrings.push({ name: "Telemetry", type: "Custom", value: UNKNOWN }); }),
        ];
        for (const policy of ["azure-functionapp-plaintext-secret", "azure-functionapp-keyvault-reference"]) {
            it(`${policy}: decides by name while a listed setting's value is unknown, in every form`, () => {
                unknownInEveryForm.forEach(r => expectPass(check(policy, r, listed)));
            });
            it(`${policy}: waits for the same values when the names are not listed`, () => {
                unknownInEveryForm.forEach(r => expectUnknown(check(policy, r, unlisted)));
            });
        }
    });

    describe("azure-functionapp-keyvault-reference", () => {
        const name = "azure-functionapp-keyvault-reference";
        it("passes both Key Vault reference forms", () => {
            expectPass(check(name, fx.functionApp));
            expectPass(check(name, fx.appSettings));
            expectPass(check(name, fx.connectionStrings));
        });
        it("flags a secret-like setting with a literal value, even a placeholder", () => {
            expectViolation(check(name, mutate(fx.appSettings, f => { f.props.properties.DB_PASSWORD = "changeme"; })), /`DB_PASSWORD` \(properties\) looks like a secret but is not a Key Vault reference/, "mandatory");
            const out = check(name, mutate(fx.functionApp, f => addSetting(f, "CLIENT_SECRET", secret("s3cr3t-value-here"))));
            expectViolation(out, /CLIENT_SECRET/);
            assert.ok(!JSON.stringify(out).includes("s3cr3t-value-here"));
        });
        it("flags malformed Key Vault references under any name", () => {
            expectViolation(check(name, mutate(fx.appSettings, f => { f.props.properties.ORDERS_TABLE = "@Microsoft.KeyVault(https://orders-kv.vault.azure.net/secrets/x)"; })), /isn't a valid one/);
        });
        it("doesn't ask for references for Application Insights or identity-based connection settings", () => {
            expectPass(check(name, fx.appSettings, { config: { nonSecretSettings: ["APPLICATIONINSIGHTS_CONNECTION_STRING"] } }));
            expectViolation(check(name, fx.appSettings, { config: { nonSecretSettings: [] } }), /APPLICATIONINSIGHTS_CONNECTION_STRING/);
        });
        it("can't decide on an unknown secret-like value", () => expectUnknown(check(name, mutate(fx.appSettings, f => { f.props.properties.DB_PASSWORD = UNKNOWN; }))));
    });

    describe("azure-functionapp-storage-identity", () => {
        const name = "azure-functionapp-storage-identity";
        it("passes identity-based host storage", () => {
            expectPass(check(name, fx.functionApp));
            expectPass(check(name, fx.flexFunctionApp));
            expectPass(check(name, fx.appSettings));
        });
        it("flags an account key in AzureWebJobsStorage (list and map form)", () => {
            expectViolation(check(name, mutate(fx.functionApp, f => addSetting(f, "AzureWebJobsStorage", secret(ACCOUNT_KEY)))), /AzureWebJobsStorage.*embeds a storage account key/, "advisory");
            expectViolation(check(name, mutate(fx.appSettings, f => { f.props.properties.AzureWebJobsStorage = ACCOUNT_KEY; })), /\(properties\) embeds/);
        });
        it("accepts a Key Vault reference for AzureWebJobsStorage", () => {
            expectPass(check(name, mutate(fx.appSettings, f => { f.props.properties.AzureWebJobsStorage = "@Microsoft.KeyVault(VaultName=orders-kv;SecretName=webjobs-storage)"; })));
        });
        it("flags Flex Consumption deployment storage with a connection string", () => {
            expectViolation(check(name, mutate(fx.flexFunctionApp, f => { f.props.functionAppConfig.deployment.storage.authentication = { type: "StorageAccountConnectionString", storageAccountConnectionStringName: "DEPLOYMENT_STORAGE" }; })), /StorageAccountConnectionString/);
        });
        it("can't decide while AzureWebJobsStorage is unknown", () => {
            expectUnknown(check(name, mutate(fx.appSettings, f => { f.props.properties.AzureWebJobsStorage = UNKNOWN; })));
        });
    });

    describe("helpers", () => {
        it("recognises Key Vault references strictly", () => {
            assert.ok(isKeyVaultReference("@Microsoft.KeyVault(SecretUri=https://kv-1.vault.azure.net/secrets/db/0123abcd)"));
            assert.ok(isKeyVaultReference("@Microsoft.KeyVault(VaultName=kv-1; SecretName=db; SecretVersion=0123abcd)"));
            assert.ok(!isKeyVaultReference("@Microsoft.KeyVault(SecretUri=https://evil.example.com/secrets/db)"));
            assert.ok(!isKeyVaultReference("@Microsoft.KeyVault(VaultName=kv-1)"));
        });
        it("derives stack ids from each version spelling", () => {
            assert.strictEqual(runtimeId("node", "~20"), "node:20");
            assert.strictEqual(runtimeId("Python", "3.11"), "python:3.11");
            assert.strictEqual(runtimeId("java", "1.8"), "java:8");
            assert.strictEqual(runtimeId("dotnet-isolated", "v8.0"), "dotnet-isolated:8");
            assert.strictEqual(runtimeId("dotnet", "3.1"), "dotnet:3.1");
            assert.strictEqual(runtimeId("powershell", "7.4"), "powershell:7.4");
            assert.strictEqual(runtimeId("python", "3"), undefined);
            assert.strictEqual(runtimeId("custom", undefined), "custom");
        });
    });
});
