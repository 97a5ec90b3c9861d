// The not-applicable reasons that depend only on a resource's type, in a module of their own: the
// scan's reports read them without loading the policy-definition layer and the SDK behind it.

/** How the definition layer begins the reason it gives a resource of a type the policy doesn't inspect. */
export const OTHER_TYPES = "applies only to ";

/** Whether a not-applicable reason only says that the policy inspects other resource types (the SDK's or this layer's). */
export function isTypeNotApplicable(reason: string): boolean {
    return reason.startsWith(OTHER_TYPES) || reason.startsWith("Policy only applies to resources of type '");
}
