export * from "./MathLib";
export * from "./SharesMathLib";
export * from "./PooledLendingPoolMath";
export * from "./Rng";
export * from "./PoolModel";
export * from "./UniswapV2Lib";
export * from "./ammFeedMath";
