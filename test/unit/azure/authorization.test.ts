import { check } from "../../support/harness";
import { expectPass, expectUnknown, expectViolation, mutate } from "../../support/expect";
import * as fx from "../../fixtures/azure";
import { UNKNOWN } from "../../../runner/wire";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000";
const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const CONTRIBUTOR = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`;
const UAA = "/providers/Microsoft.Authorization/roleDefinitions/18D7D88D-D35E-4FB5-A5C3-7773C20A72D9";

describe("azure role assignments", () => {
    const name = "azure-roleassignment-privileged-role";
    const grant = (roleDefinitionId: string, scope: string, principalType?: string) => mutate(fx.roleAssignment, f => {
        f.props.roleDefinitionId = roleDefinitionId;
        f.props.scope = scope;
        if (principalType) { f.props.principalType = principalType; } else { delete f.props.principalType; }
    });

    it("passes a data role on one resource, and privileged roles on one resource", () => {
        expectPass(check(name, fx.roleAssignment));
        expectPass(check(name, grant(CONTRIBUTOR, fx.roleAssignment.props.scope, "ServicePrincipal")));
    });
    it("flags Owner (bare id) at subscription scope for a managed identity", () => {
        expectViolation(check(name, grant(OWNER, SUB, "ServicePrincipal")), /Owner .* at subscription scope for a ServicePrincipal \(workload identity\)/, "mandatory");
    });
    it("flags Contributor and User Access Administrator (full ids, any case) at resource-group scope", () => {
        expectViolation(check(name, grant(CONTRIBUTOR, `${SUB}/resourceGroups/orders-rg/`, "ServicePrincipal")), /Contributor .* resource group scope/);
        expectViolation(check(name, grant(UAA, `${SUB}/resourceGroups/orders-rg`)), /User Access Administrator .* unstated type/);
    });
    it("honours allowed scopes for people, never for workload identities", () => {
        const config = { config: { allowedScopes: [`${SUB}/resourceGroups/sandbox`] } };
        expectPass(check(name, grant(OWNER, `${SUB}/resourceGroups/sandbox`, "User"), config));
        expectViolation(check(name, grant(OWNER, `${SUB}/resourceGroups/sandbox`, "ServicePrincipal"), config), /Owner/);
        expectViolation(check(name, grant(OWNER, `${SUB}/resourceGroups/orders-rg`, "Group"), config), /a Group/);
    });
    it("can't decide on an unknown role or scope, but ignores an unknown scope for other roles", () => {
        expectUnknown(check(name, grant(UNKNOWN, SUB)));
        expectUnknown(check(name, grant(OWNER, UNKNOWN, "ServicePrincipal")));
        expectPass(check(name, mutate(fx.roleAssignment, f => { f.props.scope = UNKNOWN; })));
    });
});
