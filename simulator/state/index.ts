export * from "./view";
export type { TxIntent } from "./intent";
export { balanceKey, positionKey } from "./keys";
export { Dec, usdValue, UsdScale } from "./usd";
export { latentAtMarket, type PositionRevaluation, type PositionValues } from "./position";
export { LOSS_ABSORBERS, byAbsorber, type LossAbsorber, type LossAbsorption } from "./loss";
