export * from "./view";
export type { TxIntent } from "./intent";
export { balanceKey, positionKey } from "./keys";
