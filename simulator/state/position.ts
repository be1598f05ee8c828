/**
 * A position valued at the end of a block: what a venue's valuation (`Venue.valuePositions`) hands the
 * observer for its block statistics, episodes, cascade attribution and group outcomes. USD figures are
 * on the observer's `UsdScale` (./usd.ts).
 */
import type { Address } from "viem";

/**
 * A position as of its block, to value again at other prices. Implementations are classes holding only
 * the data they need: a closure made inside the observer's per-block helpers would keep their whole
 * scope alive, and through it the previous block's positions, and theirs, one block after another
 * (gigabytes at 10,000 positions).
 */
export interface PositionRevaluation {
  /**
   * The health factor (WAD) with its assets at the given market prices (per symbol) instead of its
   * feeds' (its state and interest as of its block); null without debt or when a price is missing.
   */
  healthAtMarket(prices: (symbol: string) => bigint): bigint | null;
  /**
   * Whether it is liquidatable with its feeds' prices replaced (cascade attribution): `price(feed,
   * answer)` gives the price to use for `feed`, whose answer is `answer`.
   */
  liquidatableWith(price: (feed: string, answer: bigint) => bigint): boolean;
  /**
   * The health factor (WAD) with its feeds' prices replaced as in `liquidatableWith` and, where the
   * venue accrues interest on read, accrued to `timestamp`; null without debt or when a price is missing.
   */
  healthWith(price: (feed: string, answer: bigint) => bigint, timestamp: bigint): bigint | null;
  /**
   * True where `liquidatableWith` can only turn true, never back, as each feed moves further in the
   * direction that hurts the position (its `adverse` in `PositionValues.feeds`): a lending health factor,
   * collateral value over debt, each rounded the same way. Cascade attribution then bisects the states
   * it tries instead of trying each (./observe/attribution.ts). Unset: tried one by one.
   */
  readonly monotone?: boolean;
}

/** One position valued for the block record. */
export interface PositionValues {
  key: string;
  protocol: string;
  borrower: Address;
  /** The market key where the venue has markets; null otherwise. */
  market: string | null;
  liquidatable: boolean;
  underwaterAtMarket: boolean;
  hasDebt: boolean;
  debtScaled: bigint;
  collateralScaled: bigint;
  latentOracleScaled: bigint;
  latentMarketScaled: bigint;
  /** Health factor at oracle prices, WAD (for liquidations of this position in the next block). */
  healthFactorWad: bigint;
  /** Health factor at market prices, WAD; null without debt or a price. */
  marketHealthFactorWad: bigint | null;
  revaluation: PositionRevaluation;
  /** Feeds the position's value depends on, with the direction that hurts it (1: a fall). */
  feeds: { feed: string; adverse: 1 | -1 }[];
}

/** A position's latent bad debt at market prices: its debt less its collateral when positive (USD, scaled). */
export function latentAtMarket(debt: bigint, collateral: bigint): bigint {
  return debt > 0n && debt > collateral ? debt - collateral : 0n;
}
