/**
 * The protocol kinds of the scenario layer, keyed by the schema's `type` discriminant: adding a kind is
 * a folder `kinds/<kind>/` (schema member, normalization, references, words) and a line here
 * (docs/venues.md, Adding a venue). TypeScript refuses the table until every kind has its module.
 */
import type { ProtocolSpec } from "../types";
import { isolatedKind } from "./isolated";
import { perpKind } from "./perp";
import { pooledKind } from "./pooled";
import type { ScenarioKind } from "./types";

const SCENARIO_KINDS: { readonly [K in ProtocolSpec["type"]]: ScenarioKind } = {
  pooled: pooledKind,
  isolated: isolatedKind,
  perp: perpKind,
};

/** Every protocol kind, in the table's order. */
export function protocolKinds(): ProtocolSpec["type"][] {
  return Object.keys(SCENARIO_KINDS) as ProtocolSpec["type"][];
}

/** The scenario-layer module of a protocol kind. */
export function scenarioKind(type: ProtocolSpec["type"]): ScenarioKind {
  return SCENARIO_KINDS[type];
}

export { marketKey } from "./isolated";
export type { BorrowerReference, FeedReader, NormalizeContext, ProtocolReferences, ScenarioKind, VenueWords } from "./types";
