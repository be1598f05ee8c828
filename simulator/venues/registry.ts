/**
 * The venues liqsim knows, keyed by the id a protocol's normalized spec names (`spec.venue`): a mock's
 * id is its `type`, a real protocol's is its own (`implementation` in the scenario file). Adding one is
 * a folder under venues/ and a line here (and, for a new kind, its scenario kind: scenario/kinds/).
 */
import type { VenueId } from "../scenario/types";
import { aaveVenue } from "./aave-v3";
import { isolatedVenue } from "./isolated";
import { perpVenue } from "./perp";
import { morphoBlueVenue } from "./morpho-blue";
import { pooledVenue } from "./pooled";
import type { Venue } from "./types";

const VENUES: { readonly [K in VenueId]?: Venue } = {
  pooled: pooledVenue,
  isolated: isolatedVenue,
  "aave-v3.6": aaveVenue,
  perp: perpVenue,
  "morpho-blue-1.0": morphoBlueVenue,
};

/** Thrown for a venue id this build has no venue for. */
export class VenueUnavailableError extends Error {
  constructor(readonly venue: VenueId) {
    super(`implementation "${venue}" is not available in this build`);
    this.name = "VenueUnavailableError";
  }
}

/** The venue of an id (a protocol's `spec.venue`, a view's `venue`). */
export function venueOf(id: VenueId): Venue {
  const venue = VENUES[id];
  if (venue === undefined) throw new VenueUnavailableError(id);
  return venue;
}
