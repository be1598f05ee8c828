/** The venues liqsim knows: adding one is a folder under venues/ and a line here (and its scenario kind: scenario/kinds/). */
import { isolatedVenue } from "./isolated";
import { perpVenue } from "./perp";
import { pooledVenue } from "./pooled";
import type { Venue, VenueKind } from "./types";

const VENUES: { readonly [K in VenueKind]: Venue } = {
  pooled: pooledVenue,
  isolated: isolatedVenue,
  perp: perpVenue,
};

/** The adapter of a venue kind. */
export function venueOf(kind: VenueKind): Venue {
  return VENUES[kind];
}
