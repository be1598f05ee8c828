/**
 * A normalized scenario: what `parseScenario` returns after validating a scenario file. Every
 * on-chain quantity is a bigint in on-chain units (token amounts in native decimals, prices USD with
 * 8 decimals `...E8`, ratios WAD `...Wad`, wei); counts and block numbers are JS integers; statistical
 * parameters of random price paths are decimal.js values. Defaults are filled in; names are resolved
 * (every `asset`, `protocol`, `amm` or `liquidator` reference names an existing entry).
 *
 * Blocks are numbered 1..`blocks`: block b is the b-th block the engine mines after the world is set
 * up; block 0 is the set-up state. "Windows" are inclusive: `{ fromBlock: 3, toBlock: 5 }` is 3, 4, 5.
 */
import type Decimal from "decimal.js";
import type { ScenarioIssue } from "./errors";
import type { BadDebtModel } from "../math";

export const SCENARIO_SCHEMA_VERSION = 1;

export interface BlockWindow {
  fromBlock: number;
  toBlock: number;
}

export interface AssetSpec {
  symbol: string;
  decimals: number;
  /** Market (and first oracle) price at block 0, USD with 8 decimals. */
  initialPriceE8: bigint;
}

/** A Chainlink-style feed for one asset and the keeper policy that pushes the market price to it. */
export interface FeedSpec {
  asset: string;
  /** The keeper pushes when the last push is at least this old (0: never for age alone). Default 3600. */
  heartbeatSeconds: number;
  /** The keeper pushes when the price it sees moved at least this much from the last push. Default 50 (0.5%). */
  deviationBps: number;
  /** The keeper sees the market price of `delayBlocks` blocks ago. Default 0. */
  delayBlocks: number;
  /** Windows in which the keeper pushes nothing. Default none. */
  outages: BlockWindow[];
}

/** One piece of an asset's market price path; later segments override earlier ones where they overlap. */
export type PathSegment =
  /** From `atBlock` on, the price is `priceE8`. */
  | { type: "step"; atBlock: number; priceE8: bigint }
  /** Linear from the price at `fromBlock - 1` to `toPriceE8` at `toBlock`, then holds. */
  | { type: "ramp"; fromBlock: number; toBlock: number; toPriceE8: bigint }
  /** At `atBlock` the price drops by `dropWad` (0.4e18 = -40%) and returns linearly to its prior level over `recoverBlocks`. */
  | { type: "flashCrash"; atBlock: number; dropWad: bigint; recoverBlocks: number }
  /**
   * Geometric Brownian motion with Poisson jumps from `fromBlock` to `toBlock`, seeded from the scenario
   * seed (per asset): per block dt = blockTimeSeconds / year; log-return = (drift - vol^2/2) dt + vol
   * sqrt(dt) Z, plus, with probability jumpsPerYear dt, a jump whose log-size ~ N(jumpMean, jumpStd).
   */
  | {
      type: "gbm";
      fromBlock: number;
      toBlock: number;
      annualDrift: Decimal;
      annualVolatility: Decimal;
      jumpsPerYear: Decimal;
      jumpMean: Decimal;
      jumpStd: Decimal;
    }
  /** Prices per block from a CSV file with columns `block,priceUsd` (absolute path after parsing). */
  | { type: "csv"; file: string };

export interface MarketPathSpec {
  asset: string;
  segments: PathSegment[];
}

export interface LiquidationRulesSpec {
  closeFactorWad: bigint; // default 0.5e18
  closeFactorHfThresholdWad: bigint; // default 0.95e18
  closeFactorDustUsdE8: bigint; // default 2000e8
  minLeftoverUsdE8: bigint; // default 1000e8
  liquidationsAcceptStalePrice: boolean; // default true
}

export interface PooledReserveSpec {
  asset: string;
  ltvWad: bigint;
  liquidationThresholdWad: bigint;
  /** 1.05e18 for a 5% bonus (the file says `liquidationBonusPct: 5`). */
  liquidationBonusWad: bigint;
  liquidationProtocolFeeWad: bigint; // default 0.1e18
  reserveFactorWad: bigint; // default 0.1e18
  baseRateWad: bigint; // default 0
  slope1Wad: bigint; // default 0.04e18
  slope2Wad: bigint; // default 0.75e18
  optimalUtilizationWad: bigint; // default 0.8e18
  maxPriceAgeSeconds: number; // default 3600
  borrowingEnabled: boolean; // default true
  /** Native units supplied at block 0 by a passive liquidity provider. Default 0. */
  initialSupply: bigint;
  /** Native units deposited at block 0 into the reserve's reserves (insurance fund). Default 0. */
  initialReserves: bigint;
  /** The price feed the pool reads: the asset's symbol (its push feed, the default) or an `oracles` name. */
  feed: string;
}

export interface PooledProtocolSpec {
  name: string;
  type: "pooled";
  /** The venue that runs it (the file's `implementation`): liqsim's pool, or the real Aave V3.6. */
  venue: "pooled" | "aave-v3.6";
  liquidation: LiquidationRulesSpec;
  reserves: PooledReserveSpec[];
  /**
   * Who absorbs bad debt on liqsim's pool: `haircut` (`PooledLendingPool`, the default) or `deficit`
   * (`PooledLendingPoolDeficit`). Aave V3.6 always books a deficit (a file's `aave-v3.6` protocol
   * normalizes to `deficit`); its venue does not read this.
   */
  badDebt: BadDebtModel;
}

/** One Morpho-Blue-like market: one collateral, one loan asset (see IIsolatedLendingMarket.sol). */
export interface IsolatedMarketSpec {
  collateral: string;
  loan: string;
  /** Liquidation LTV, WAD: liquidatable once debt > collateral value x LLTV. 0 < LLTV < 1. */
  lltvWad: bigint;
  baseRateWad: bigint; // default 0
  slope1Wad: bigint; // default 0.04e18
  slope2Wad: bigint; // default 0.75e18
  optimalUtilizationWad: bigint; // default 0.9e18
  maxPriceAgeSeconds: number; // default 3600
  liquidationsAcceptStalePrice: boolean; // default true
  /** Feeds the market reads: an asset symbol (its push feed, the default) or an `oracles` name. */
  collateralFeed: string;
  loanFeed: string;
  /** Loan-token native units supplied at block 0 by a passive lender. Default 0. */
  initialSupply: bigint;
}

export interface IsolatedProtocolSpec {
  name: string;
  type: "isolated";
  /** The venue that runs it (the file's `implementation`): liqsim's isolated market, or the real Morpho Blue 1.0. */
  venue: "isolated" | "morpho-blue-1.0";
  markets: IsolatedMarketSpec[];
}

export type ProtocolSpec = PooledProtocolSpec | IsolatedProtocolSpec | PerpProtocolSpec;

/** One margin tier of a perp market (the contract's `Tier`): positions with notional <= maxNotional. */
export interface PerpTierSpec {
  /** Collateral native units; MAX_UINT256 on the last tier. */
  maxNotional: bigint;
  maxLeverageWad: bigint;
  mmrWad: bigint;
}

/** One market of a perp exchange (the contract's `PerpMarketParams` and its tiers); docs/perps.md. */
export interface PerpMarketSpec {
  kind: "linear" | "inverse";
  /** The base asset symbol; the market's key in the records is `${base}-USD`. */
  base: string;
  /** The mark feed: an asset symbol (its push feed, the default: the base's) or an `oracles` name. */
  feed: string;
  maxPriceAgeSeconds: number; // default 3600
  spreadWad: bigint; // default 0.0005e18
  tradingFeeWad: bigint; // default 0.0005e18
  liquidationSpreadWad: bigint; // default 0.01e18
  liquidationFeeWad: bigint; // default 0.005e18
  tiers: PerpTierSpec[];
}

/** A position a named trader opens at block 0: deposit `margin`, then trade `size` (sizeDelta's sign by side). */
export interface PerpPositionSpec {
  account: string;
  /** The market's base asset symbol. */
  market: string;
  side: "long" | "short";
  /** Collateral native units. */
  margin: bigint;
  /**
   * `size`: 18 decimals, base coin (linear) or USD (inverse); `leverageWad`: notional = margin x leverage
   * at the mark of block 0 (the deployment sizes it, the feed's first answer known).
   */
  sizing: { size: bigint } | { leverageWad: bigint };
  marginMode: "isolated" | "cross";
  /** The trader's orders on the position (agents/perpTrader.ts); null: it holds until liquidated. */
  exit: PerpExitSpec | null;
}

/**
 * A perp trader's orders, each closing the whole position: a stop loss and a take profit triggered by
 * the mark at the end of a block against the position's entry price (its cost basis over its size),
 * filled at the next block's mark; a close at a block.
 */
export interface PerpExitSpec {
  /** Adverse move from the entry price that triggers the close, WAD (0.05e18: 5%); null: none. */
  stopLossWad: bigint | null;
  /** Favorable move that triggers the close, WAD; null: none. */
  takeProfitWad: bigint | null;
  /** Block in which it closes whatever the price; null: none. */
  atBlock: number | null;
}

/** A perpetual futures exchange (`PerpExchange`): one collateral, markets against a vault, a loss waterfall. */
export interface PerpProtocolSpec {
  name: string;
  type: "perp";
  /** The venue that runs it: liqsim's perp exchange (no real implementation). */
  venue: "perp";
  collateral: string;
  negativeBalanceProtection: boolean; // default true
  lastResort: "none" | "adl" | "socialize"; // default none
  keeperShareWad: bigint; // default 0.2e18
  /** Collateral native units seeded into the insurance fund at block 0. Default 0. */
  insuranceFund: bigint;
  /** Collateral native units the vault holds at block 0. */
  vaultLiquidity: bigint;
  markets: PerpMarketSpec[];
  positions: PerpPositionSpec[];
  /** The vault's hedge of the exposure liquidations hand it; null: unhedged. */
  hedge: PerpHedgeSpec | null;
}

/**
 * A vault hedge: after a block whose liquidations closed `size` of a position in a linear market whose
 * base the AMM trades, the vault's hedger sells (a long closed: the vault is now longer) or buys (a
 * short) `size × ratio` of the base on the AMM in the next block.
 */
export interface PerpHedgeSpec {
  amm: string;
  ratioWad: bigint;
  /** The hedger's wallet at set-up: the AMM's seeded reserves of both tokens (more than the vault can be handed). */
  inventory: { asset: string; amount: bigint }[];
}

/** The id of the venue that runs a protocol: its `type` on liqsim's mock, the real protocol's name otherwise. */
export type VenueId = ProtocolSpec["venue"];

/** `--implementation`: every protocol on liqsim's mocks, or every one on the real protocol of its type. */
export const IMPLEMENTATIONS = ["mock", "real"] as const;
export type Implementation = (typeof IMPLEMENTATIONS)[number];

/**
 * A price feed that reads a Uniswap V2 pair instead of being pushed: `ammSpot` reads the reserves
 * (manipulable within a block), `ammTwap` the time-weighted average over `windowSeconds` (kept by a
 * keeper calling `update()` every block). The price of `asset` in the pair's other token (`quote`)
 * is multiplied by the quote asset's push feed.
 */
export interface AmmOracleSpec {
  name: string;
  type: "ammSpot" | "ammTwap";
  amm: string;
  asset: string;
  quote: string;
  /** TWAP window, seconds; 0 for `ammSpot`. */
  windowSeconds: number;
}

/** A Uniswap V2 pair seeded with reserves at block 0. */
export interface AmmSpec {
  name: string;
  tokenA: string;
  tokenB: string;
  /** Native units. */
  reserveA: bigint;
  reserveB: bigint;
}

/** Trades an AMM toward the market price every block, within its inventory. */
export interface ArbitrageurSpec {
  name: string;
  amm: string;
  /** Inventory at block 0, USD with 8 decimals, split half and half between the pair's tokens. */
  capitalUsdE8: bigint;
  /** Trades only when the AMM price is off the market by at least this much. Default 10 (0.1%). */
  minGapBps: number;
}

export interface DefensiveSpec {
  /** Share of the group's borrowers that defend their position. */
  shareWad: bigint;
  /** They act when the health factor (at oracle prices) is below this... */
  belowHealthFactorWad: bigint;
  /** ...after seeing it for this many blocks. */
  delayBlocks: number;
  /** `repay`: repay debt, `topUp`: supply more collateral, up to the target health factor. */
  action: "repay" | "topUp";
  targetHealthFactorWad: bigint;
}

/** One collateral asset of a borrower group and the share of each borrower's collateral value held in it. */
export interface CollateralShareSpec {
  asset: string;
  /** Share of `collateralUsdE8`, WAD (0.6e18: 60%); the shares of a group add up to exactly 1e18. */
  shareWad: bigint;
}

/**
 * A population of borrowers with one or more collateral assets and one debt asset in one protocol.
 * Pooled (cross margin): each borrower's one account holds every collateral asset and one debt against
 * all of it. Isolated (isolated margin): each borrower has one position per collateral asset, in the
 * market `asset/debt`, each with its share of the collateral and a debt at the same health factor.
 */
export interface BorrowerGroupSpec {
  name: string;
  protocol: string;
  count: number;
  /** In the file's order; a plain symbol in the file is one entry with share 1e18. */
  collateral: CollateralShareSpec[];
  debt: string;
  /** Collateral size per borrower (all assets together), USD with 8 decimals, drawn uniformly in [min, max]. */
  collateralUsdE8: { min: bigint; max: bigint };
  /**
   * Starting health factor (WAD) drawn uniformly in [min, max]. Pooled: debt = Σ collateral_k x
   * threshold_k / HF; isolated: each market's debt = its collateral x LLTV / HF.
   */
  healthFactorWad: { min: bigint; max: bigint };
  defensive: DefensiveSpec | null;
}

export interface LiquidatorGroupSpec {
  name: string;
  count: number;
  /** Blocks between a position's first liquidatable block and the liquidator's first attempt. Default 0. */
  delayBlocks: number;
  /** Priority fee bid per gas, wei. Default 1 gwei. */
  priorityFeeWei: bigint;
  /** Inventory per liquidator, native units per asset. */
  capital: { asset: string; amount: bigint }[];
  /** Skips a liquidation whose expected profit at market prices, after gas, is below this. Default 0. */
  minProfitUsdE8: bigint;
  /** Liquidates whatever the expected profit (the venue's own liquidation engine); `minProfitUsdE8` is ignored. Default false. */
  backstop: boolean;
  /** Sells seized collateral through this AMM right after each liquidation; null keeps it. Default null. */
  sellOnAmm: string | null;
  /** Protocols it watches; default all. */
  protocols: string[];
  /**
   * null: liquidates from its inventory (`capital`). An AMM name: liquidates atomically through its
   * `AtomicLiquidator` contract, flash-borrowing the debt asset from this pair and repaying it with
   * seized collateral in the same transaction (no capital needed, but the pair's price impact can make
   * a liquidation unprofitable). Default null.
   */
  atomicVia: string | null;
}

/**
 * Leveraged loopers: each owns a `LeverageLooper` vault, deposits collateral into the first leg, then
 * loops (borrow the debt asset in one leg, buy collateral on the AMM, supply it to the next leg) until
 * it reaches `targetLeverage`, one step per block; when a leg's health factor falls below
 * `unwindBelowHealthFactorWad` it unwinds (withdraw collateral, sell it on the AMM, repay), one step per
 * block. Legs are protocols: an isolated protocol's leg is its `collateral/debt` market.
 */
export interface LooperGroupSpec {
  name: string;
  count: number;
  collateral: string;
  debt: string;
  amm: string;
  /** Protocol names, in loop order (a step borrows in leg i and supplies to leg i + 1). */
  legs: string[];
  /** Collateral deposited per looper at block 0, USD E8, drawn uniformly in [min, max]. */
  depositUsdE8: { min: bigint; max: bigint };
  /** Total collateral value / equity the looper builds up to, WAD (3e18: 3x). */
  targetLeverageWad: bigint;
  /** A lever-up step borrows in a leg down to this health factor (at oracle prices), WAD. */
  stepHealthFactorWad: bigint;
  /** A leg below this health factor is unwound back to `stepHealthFactorWad`; 0: never unwinds. */
  unwindBelowHealthFactorWad: bigint;
  /** First block it may lever up. Default 1. */
  startBlock: number;
  priorityFeeWei: bigint;
}

export type TimedEvent =
  /** Forces the base fee of each block in the window, wei per gas. */
  | ({ type: "gasSpike"; baseFeeWei: bigint } & BlockWindow)
  /** A spammer fills `gas` of each block in the window, bidding `priorityFeeWei`. */
  | ({ type: "congestion"; gas: bigint; priorityFeeWei: bigint } & BlockWindow)
  /** The liquidator group does nothing in the window. */
  | ({ type: "keeperOutage"; liquidator: string } & BlockWindow)
  /** The feed ignores updates in the window (it keeps its last answer and age). */
  | ({ type: "feedFreeze"; asset: string } & BlockWindow)
  /** The feed reports this price in the window (a wrong price); the keeper's pushes are ignored meanwhile. */
  | ({ type: "feedWrongPrice"; asset: string; priceE8: bigint } & BlockWindow)
  /** Reads of the feed revert in the window. */
  | ({ type: "feedRevert"; asset: string } & BlockWindow);

export interface Scenario {
  schemaVersion: typeof SCENARIO_SCHEMA_VERSION;
  name: string;
  description: string;
  seed: bigint;
  blocks: number;
  blockTimeSeconds: number;
  /** Default 30,000,000. */
  blockGasLimit: bigint;
  /** Timestamp of block 0. Default 1,700,000,000. */
  startTimestamp: bigint;
  assets: AssetSpec[];
  /** One per asset (assets without an entry in the file get the default policy). */
  feeds: FeedSpec[];
  /** One per asset (an asset without segments keeps its initial price). */
  market: MarketPathSpec[];
  protocols: ProtocolSpec[];
  amms: AmmSpec[];
  /** AMM-read price feeds that reserves and markets may use instead of push feeds. */
  oracles: AmmOracleSpec[];
  arbitrageurs: ArbitrageurSpec[];
  borrowers: BorrowerGroupSpec[];
  liquidators: LiquidatorGroupSpec[];
  loopers: LooperGroupSpec[];
  events: TimedEvent[];
  /**
   * What the scenario probably does not mean, found while parsing (`staleFeedWarnings`): the run goes
   * ahead, and the command-line tools print each on stderr as `warning: <path>: <message>`. Not part of
   * any result file.
   */
  warnings: ScenarioIssue[];
}
