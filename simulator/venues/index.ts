export * from "./types";
export { venueOf } from "./registry";
export { isolatedPriceE36 } from "./isolated/oraclePrice";
