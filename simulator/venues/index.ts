export * from "./types";
export { venueOf, VenueUnavailableError } from "./registry";
export * from "./keeper";
export { isolatedPriceE36 } from "./isolated/oraclePrice";
export type { ReadStep } from "./read/chunks";
