export * from "./MathLib";
export * from "./SharesMathLib";
export * from "./RateLib";
export * from "./PooledLendingPoolMath";
export * from "./Rng";
export * from "./PoolModel";
export * from "./UniswapV2Lib";
export * from "./ammFeedMath";
// A namespace: its names copy the contract's, and `borrowRate` would clash with the pool's.
export * as IsolatedLendingMarketMath from "./IsolatedLendingMarketMath";
// A namespace: `pnl`, `feeUp` and `MarketKind` are the perpetual venue's words.
export * as PerpMath from "./PerpMath";
// Namespaces: the exchange's account health, its liquidation and its loss waterfall, mirrored (`health`, `Position` are common words).
export * as PerpHealth from "./PerpHealth";
export * as PerpLiquidation from "./PerpLiquidation";
export * as PerpWaterfall from "./PerpWaterfall";
// A namespace: its names copy Aave V3.6's (`rayMul`, `previewLiquidation`), some of which the pool's mirror uses too.
export * as AaveV3Math from "./AaveV3Math";
