export * from "./view";
export { balanceKey, positionKey } from "./keys";
