// API Gateway REST APIs as a whole: which network they are reachable from (endpoint type) and whom
// their resource policy lets call them, on the classic provider and on AWS Cloud Control (aws-native).
import { Adapters, Field, field, renames, viewPolicy } from "../lib/view";
import { fencesCaller, looseConditions, narrowsCaller, parsePolicyDocument, PolicyDocument, Statement } from "../lib/iam";
import { asList, asString, isRecord, quote, wordList } from "../lib/values";
import { REST_API } from "./openapi";

export const REST_API_POLICY = "aws:apigateway/restApiPolicy:RestApiPolicy";
export const NATIVE_REST_API = "aws-native:apigateway:RestApi";

/** The endpoint types of a REST API: a string or a list on the classic provider, a list on aws-native. */
const ENDPOINTS: Adapters<Record<"endpointTypes", Field>> = {
    [REST_API]: renames({ endpointTypes: "endpointConfiguration.types" }),
    [NATIVE_REST_API]: renames({ endpointTypes: "endpointConfiguration.types" }),
};

/** A REST API's resource policy and, when the same resource says it, its endpoint types. */
interface ResourcePolicyView {
    policy: Field;
    endpointTypes?: Field;
}
const RESOURCE_POLICIES: Adapters<ResourcePolicyView> = {
    [REST_API]: { view: props => ({ policy: field(props, "policy"), endpointTypes: field(props, "endpointConfiguration.types") }) },
    [NATIVE_REST_API]: { view: props => ({ policy: field(props, "policy"), endpointTypes: field(props, "endpointConfiguration.types") }) },
    [REST_API_POLICY]: { view: props => ({ policy: field(props, "policy") }) },
};

const endpointTypes = (value: unknown): string[] =>
    (typeof value === "string" ? [value] : asList(value)).map(t => (asString(t) ?? "").trim().toUpperCase()).filter(t => t !== "");

/** Whether a statement's principal is everyone: "*" or an AWS principal list holding "*". */
function everyone(s: Statement): boolean {
    return s.principal === "*" || (s.principal !== undefined && Object.values(s.principal).some(values => values.includes("*")));
}

/**
 * The Allow statements that let everyone call the API with no condition that narrows the caller (to an
 * account, organization, VPC endpoint or address range: lib/iam narrowsCaller). A Deny for everyone
 * outside such a range (the documented pattern: allow "*", deny unless aws:SourceVpce or aws:SourceIp
 * matches) limits them, so then there are none.
 */
export function openPublicAllows(doc: PolicyDocument): Statement[] {
    if (doc.statements.some(s => everyone(s) && fencesCaller(s))) {
        return [];
    }
    return doc.statements.filter(s => s.effect === "Allow" && everyone(s) && !narrowsCaller(s));
}

export const apiGatewayRestApiPolicies = [
    viewPolicy<Record<"endpointTypes", Field>, { requirePrivateRestApis: boolean }>({
        name: "aws-apigateway-rest-api-private-endpoint",
        description: "Where the organization requires internal APIs to stay off the internet, API Gateway REST APIs must use the PRIVATE endpoint type (reachable only through VPC interface endpoints); public REST APIs are a legitimate design, so this is opt-in.",
        severity: "low",
        threats: ["R2", "P1"],
        references: ["Prowler apigateway_restapi_public", "KICS API Gateway Endpoint Config is Not Private"],
        remediation: "Set endpointConfiguration.types to \"PRIVATE\" (with vpcEndpointIds and a resource policy limited to your VPC endpoints), or front the public API with an authorizer and WAF.",
        adapters: ENDPOINTS,
        config: {
            requirePrivateRestApis: { type: "boolean", default: false, description: "Require every REST API to use the PRIVATE endpoint type." },
        },
        optIn: { flag: "requirePrivateRestApis", what: "a private endpoint" },
        check: ({ view, report }) => {
            const types = endpointTypes(view.endpointTypes.read());
            if (!types.includes("PRIVATE")) {
                report(`${view.endpointTypes.where} is ${types.length > 0 ? `"${types.join(", ")}"` : "not set (EDGE)"}: the API is reachable from the internet; set it to "PRIVATE".`);
            }
        },
    }),

    viewPolicy<ResourcePolicyView>({
        name: "aws-apigateway-rest-api-policy-public",
        description: "API Gateway REST API resource policies should not allow principal \"*\" without a condition: on a private API every VPC endpoint of any account can then reach it, and on any API every AWS identity that may call execute-api passes an AWS_IAM method.",
        severity: "medium",
        threats: ["R2", "P1"],
        references: ["KICS REST API With Vulnerable Policy"],
        remediation: "Name the calling accounts or roles as principals, or keep principal \"*\" and add a condition (aws:SourceVpce or aws:SourceVpc for private APIs, aws:PrincipalOrgID, aws:SourceIp), or a Deny statement with such a condition.",
        adapters: RESOURCE_POLICIES,
        check: ({ view, report, part }) => {
            const raw = view.policy.read();
            if (raw === undefined || raw === null || raw === "" || (typeof raw !== "string" && !isRecord(raw))) {
                return;
            }
            const doc = parsePolicyDocument(raw);
            const open = openPublicAllows(doc);
            if (open.length === 0) {
                return;
            }
            let privateApi = false;
            part(() => {
                privateApi = endpointTypes(view.endpointTypes?.read()).includes("PRIVATE");
            });
            const which = open.map(s => s.sid ? `statement ${s.index} (${s.sid})` : `statement ${s.index}`).join(", ");
            const loose = open.flatMap(s => looseConditions(s));
            report(`${view.policy.where} ${which} allow${open.length > 1 ? "" : "s"} principal "*" ${loose.length === 0 ? "with no condition" : `with conditions (${wordList([...new Set(loose)].map(quote))}) that don't narrow the caller`} and no conditioned Deny limits it: ${privateApi
                ? "every VPC endpoint of any account can reach this private API"
                : "any AWS identity that may call execute-api passes its AWS_IAM methods"}; name the principals or add a condition (aws:SourceVpce, aws:PrincipalOrgID, aws:SourceIp).`);
        },
    }),
];
