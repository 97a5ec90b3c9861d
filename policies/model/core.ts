// What the cloud models share: how a question about a link reports a value it needs but can't read
// (unknown during preview, or known but matching several resources that can't be told apart).
import type { DeferredCause } from "../lib/deferred";
import type { Node } from "../lib/graph";

/** Reports a decisive value that is unknown, or known but undecidable (see the cause); stack policies pass it to their context. */
export type OnUnknown = (node: Node, property: string, cause?: DeferredCause) => void;
