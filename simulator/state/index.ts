export * from "./view";
export { balanceKey, positionKey } from "./keys";
export { isolatedPriceE36 } from "./isolatedPrice";
