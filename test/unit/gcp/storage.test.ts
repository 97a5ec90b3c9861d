import * as assert from "assert";
import { check, remediate } from "../../support/harness";
import { expectNotApplicable, expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import * as fx from "../../fixtures/gcp";
import { bucketGrantsEveryone } from "../../../policies/gcp/storage";
import { UNKNOWN } from "../../../runner/wire";

const cmek = { config: { requireCmek: true } };

describe("gcp storage, secrets, topics and repositories", () => {
    describe("gcp-storage-bucket-uniform-access", () => {
        const name = "gcp-storage-bucket-uniform-access";
        it("passes uniform bucket-level access", () => expectPass(check(name, fx.bucket)));
        it("flags fine-grained ACLs", () => {
            expectViolation(check(name, mutate(fx.bucket, b => { delete b.props.uniformBucketLevelAccess; })), /uniformBucketLevelAccess is not true/, "advisory");
            expectViolation(check(name, mutate(fx.bucket, b => { b.props.uniformBucketLevelAccess = false; })), /not true/);
        });
        it("remediates", () => {
            assert.strictEqual(remediate(name, mutate(fx.bucket, b => { b.props.uniformBucketLevelAccess = false; }))!.uniformBucketLevelAccess, true);
        });
        it("can't decide on an unknown value", () => expectUnknown(check(name, mutate(fx.bucket, b => { b.props.uniformBucketLevelAccess = UNKNOWN; }))));
    });

    describe("gcp-storage-bucket-public-access-prevention", () => {
        const name = "gcp-storage-bucket-public-access-prevention";
        it("passes enforced prevention", () => expectPass(check(name, fx.bucket)));
        it("flags inherited or missing prevention", () => {
            expectViolation(check(name, mutate(fx.bucket, b => { b.props.publicAccessPrevention = "inherited"; })), /publicAccessPrevention is `inherited`/, "mandatory");
            expectViolation(check(name, mutate(fx.bucket, b => { delete b.props.publicAccessPrevention; })), /is not set/);
        });
        it("accepts inherited when the organization policy enforces it", () => {
            expectPass(check(name, mutate(fx.bucket, b => { delete b.props.publicAccessPrevention; }), { config: { acceptInherited: true } }));
        });
        it("remediates", () => {
            assert.strictEqual(remediate(name, mutate(fx.bucket, b => { delete b.props.publicAccessPrevention; }))!.publicAccessPrevention, "enforced");
            assert.strictEqual(remediate(name, fx.bucket), undefined);
        });
    });

    describe("gcp-storage-bucket-cmek", () => {
        const name = "gcp-storage-bucket-cmek";
        it("passes a default KMS key when CMEK is required", () => expectPass(check(name, fx.bucket, cmek)));
        it("flags a bucket without a default KMS key", () => {
            expectViolation(check(name, mutate(fx.bucket, b => { delete b.props.encryption; }), cmek), /encryption\.defaultKmsKeyName is not set/, "advisory");
        });
        it("is not applicable by default", () => expectNotApplicable(check(name, mutate(fx.bucket, b => { delete b.props.encryption; }))));
    });

    describe("gcp-storage-bucket-iam-public", () => {
        const name = "gcp-storage-bucket-iam-public";
        it("passes a grant to a service account", () => expectPass(check(name, fx.bucketIamMember)));
        it("flags allUsers and allAuthenticatedUsers", () => {
            expectViolation(check(name, mutate(fx.bucketIamMember, r => { r.props.member = "allUsers"; r.props.role = "roles/storage.objectViewer"; })), /member grants `roles\/storage\.objectViewer` to allUsers/, "mandatory");
            expectViolation(check(name, { type: "gcp:storage/bucketIAMBinding:BucketIAMBinding", props: { bucket: UNKNOWN, role: "roles/storage.objectAdmin", members: ["allAuthenticatedUsers"] } }), /members\[0\]/);
            expectViolation(check(name, { type: "gcp:storage/bucketIAMPolicy:BucketIAMPolicy", props: { bucket: UNKNOWN, policyData: JSON.stringify({ bindings: [{ role: "roles/storage.objectViewer", members: ["allUsers"] }] }) } }), /bindings\[0\]/);
        });
        it("doesn't throw on malformed policyData", () => {
            expectPass(check(name, { type: "gcp:storage/bucketIAMPolicy:BucketIAMPolicy", props: { bucket: UNKNOWN, policyData: "{\"bindings\":" } }));
        });
        it("exports its predicate for the stack policies: a writer anyone may be, known values only", () => {
            const writer = mutate(fx.bucketIamMember, r => { r.props.member = "allUsers"; r.props.role = "roles/storage.objectCreator"; });
            assert.strictEqual(bucketGrantsEveryone(writer.type, writer.props), true);
            assert.strictEqual(bucketGrantsEveryone(fx.bucketIamMember.type, fx.bucketIamMember.props), false);
            assert.strictEqual(bucketGrantsEveryone(writer.type, { ...writer.props, member: UNKNOWN }), false);
        });
    });

    describe("gcp-secretmanager-secret-cmek", () => {
        const name = "gcp-secretmanager-secret-cmek";
        it("passes keys on every replica, or on automatic replication", () => {
            expectPass(check(name, fx.secret, cmek));
            expectPass(check(name, mutate(fx.secret, s => { s.props.replication = { auto: { customerManagedEncryption: { kmsKeyName: UNKNOWN } } }; }), cmek));
        });
        it("flags replicas and automatic replication without a key", () => {
            expectViolation(check(name, mutate(fx.secret, s => { s.props.replication.userManaged.replicas.push({ location: "europe-west4" }); }), cmek),
                /replication\.userManaged\.replicas\[1\]\.customerManagedEncryption\.kmsKeyName is not set/, "advisory");
            expectViolation(check(name, mutate(fx.secret, s => { s.props.replication = { auto: {} }; }), cmek), /replication\.auto\.customerManagedEncryption\.kmsKeyName/);
        });
        it("can't decide on unknown replication", () => expectUnknown(check(name, mutate(fx.secret, s => { s.props.replication = UNKNOWN; }), cmek)));
    });

    describe("gcp-secretmanager-secret-iam-public", () => {
        const name = "gcp-secretmanager-secret-iam-public";
        it("passes access for a function's service account", () => expectPass(check(name, fx.secretIamMember)));
        it("flags public members", () => {
            expectViolation(check(name, mutate(fx.secretIamMember, r => { r.props.member = "allAuthenticatedUsers"; })), /allAuthenticatedUsers.*secretAccessor only to the functions' service accounts/, "mandatory");
            expectViolation(check(name, { type: "gcp:secretmanager/secretIamBinding:SecretIamBinding", props: { secretId: UNKNOWN, role: "roles/secretmanager.secretAccessor", members: ["allUsers"] } }), /members\[0\]/);
            expectViolation(check(name, { type: "gcp:secretmanager/secretIamPolicy:SecretIamPolicy", props: { secretId: UNKNOWN, policyData: { bindings: [{ role: "roles/secretmanager.viewer", members: ["allUsers"] }] } } }), /bindings\[0\]/);
        });
    });

    describe("gcp-pubsub-topic-cmek", () => {
        const name = "gcp-pubsub-topic-cmek";
        it("passes a key computed from a KMS key in the program", () => expectPass(check(name, fx.topic, cmek)));
        it("flags a topic without a key", () => expectViolation(check(name, mutate(fx.topic, t => { delete t.props.kmsKeyName; }), cmek), /kmsKeyName is not set/));
    });

    describe("gcp-artifactregistry-repository-cmek", () => {
        const name = "gcp-artifactregistry-repository-cmek";
        it("passes a repository with a key", () => expectPass(check(name, fx.repository, cmek)));
        it("flags a repository without a key", () => expectViolation(check(name, mutate(fx.repository, t => { delete t.props.kmsKeyName; }), cmek), /kmsKeyName is not set/));
    });
});
