/**
 * What the engine records while a scenario runs, block by block. On-chain amounts are bigints in
 * native units; USD figures are decimal.js values computed at the block's *market* prices unless a
 * name says otherwise (`...OracleUsd`). Blocks are numbered as in the scenario (1..blocks).
 */
import type Decimal from "decimal.js";
import type { LossAbsorber, LossShareAbsorber } from "../state";

export type Address = `0x${string}`;

export interface LiquidationRecord {
  /** Index in the run's liquidations (0, 1, 2, ... in block and log order). */
  id: number;
  block: number;
  protocol: string;
  /** The isolated market (`collateral/loan`); null in a pooled protocol. */
  market: string | null;
  /** Liquidator name: `<group>#<index>`, e.g. "fast#0". */
  liquidator: string;
  borrower: Address;
  /** Asset symbols. */
  collateral: string;
  debt: string;
  debtRepaid: bigint;
  /** Includes `protocolFee`. */
  collateralSeized: bigint;
  protocolFee: bigint;
  /**
   * The borrower's health factor before the liquidation: from the pool's event (pooled); at the end
   * of the previous block, at oracle prices (isolated: Morpho's event has none).
   */
  healthFactorWad: bigint;
  /**
   * The position's health factor at this block's *market* prices, with its state as the previous block
   * left it (before this liquidation); null when it had no debt then or could not be valued. At or above
   * 1e18, the market did not call for this liquidation: the oracle did (a false liquidation).
   */
  marketHealthFactorWad: bigint | null;
  /**
   * The position's health factor at oracle prices right after this liquidation: the pool's figure in the
   * next liquidation of the position in the same block (pooled), else the position at the end of the
   * block. Null when the liquidation left it without debt, or when another liquidation of it followed in
   * the same block of an isolated market (Morpho's event carries no health factor).
   */
  healthFactorAfterWad: bigint | null;
  /**
   * Cascade generation of its episode: 0 when a market or oracle move (or interest) made the position
   * liquidatable; n + 1 when the price impact of generation-n liquidation sales did
   * (simulator/observe/cascade.ts).
   */
  generation: number;
  /** `id` of the liquidation whose sale caused this one; null for generation 0. */
  causedBy: number | null;
  /** First block of the liquidatable episode this liquidation belongs to, and `block - that`. */
  episodeStartBlock: number;
  delayBlocks: number;
  debtRepaidUsd: Decimal;
  /** What the liquidator received (seized less the protocol fee) at market prices. */
  collateralToLiquidatorUsd: Decimal;
  gasCostUsd: Decimal;
  /**
   * collateralToLiquidatorUsd - debtRepaidUsd - gasCostUsd; for an atomic liquidation, the collateral
   * its contract kept after paying the pair, at market prices, less gas.
   */
  profitUsd: Decimal;
}

/** Part of a loss in the loss's asset (native units) and in USD at the loss's block's market prices. */
export interface LossPart {
  amount: bigint;
  usd: Decimal;
}

/**
 * A loss no collateral covered (debt written off, a perp account's bankruptcy) and who absorbed it
 * (state/loss.ts `LossAbsorber`). Every absorber is present, with zeros for those that took nothing.
 */
export interface LossRecord {
  block: number;
  protocol: string;
  /** The isolated market (`collateral/loan`); null in a pooled protocol. */
  market: string | null;
  asset: string;
  /** The position's holder. */
  borrower: Address;
  amount: bigint;
  amountUsd: Decimal;
  absorbedBy: Record<LossAbsorber, LossPart>;
  /** amount − Σ absorbedBy: what nobody has taken yet. */
  unabsorbed: LossPart;
  /** The winners' shares of this loss (a venue's last resort), in the order taken; absent when the venue reported none. */
  shares?: LossShareRecord[];
}

/**
 * A winner's part of a loss: what a venue's last resort took from one account that was not the one that
 * lost (a perp exchange's auto-deleveraging or socialized haircut), `amount` of `asset` (native units).
 */
export interface LossShareRecord {
  block: number;
  protocol: string;
  market: string | null;
  asset: string;
  /** The account that gave it up. */
  account: Address;
  by: LossShareAbsorber;
  amount: bigint;
  amountUsd: Decimal;
  /** Auto-deleveraging: the size closed (the venue's size unit; a perp market's: 18 decimals) at `priceE8` (USD, 8 decimals). */
  closed?: { size: bigint; priceE8: bigint };
  /** Socialization: Σ of the winners' positive PnL this loss's haircuts are taken from pro rata, native units of `asset`. */
  winnersProfit?: bigint;
}

/**
 * A stretch of blocks in which a position's health factor (at oracle prices) was below 1. It starts at
 * the first block at whose end the position is liquidatable, or at the block of a liquidation that came
 * in the same block as the price update that made it liquidatable.
 */
export interface LiquidatableEpisode {
  protocol: string;
  borrower: Address;
  /** The isolated market (`collateral/loan`); null in a pooled protocol. */
  market: string | null;
  startBlock: number;
  /** First block with a liquidation of this position in the episode, or null. */
  firstLiquidationBlock: number | null;
  /** First block at whose end the position is no longer liquidatable, or null if it still is at the end of the run. */
  endBlock: number | null;
  /** Cascade generation, decided when the episode starts (see LiquidationRecord.generation). */
  generation: number;
  causedBy: number | null;
}

/**
 * Upper edges (WAD) of the health-factor buckets of `ProtocolBlockStats.healthFactorHistogram`:
 * [0, 1), [1, 1.05), [1.05, 1.1), [1.1, 1.25), [1.25, 1.5), [1.5, 2), [2, ∞).
 */
export const HEALTH_FACTOR_BUCKET_EDGES_WAD: readonly bigint[] = [
  1_000_000_000_000_000_000n,
  1_050_000_000_000_000_000n,
  1_100_000_000_000_000_000n,
  1_250_000_000_000_000_000n,
  1_500_000_000_000_000_000n,
  2_000_000_000_000_000_000n,
];

export interface ProtocolBlockStats {
  /** Positions with debt. */
  positions: number;
  /** Positions with HF < 1 at oracle prices (what the protocol lets liquidators act on). */
  liquidatable: number;
  /** Positions with HF < 1 at market prices. */
  underwaterAtMarket: number;
  /**
   * Positions liquidatable at this block's prices before its liquidations: those liquidated in the block
   * and those still liquidatable at its end (`liquidatable` counts only the latter).
   */
  liquidatableBeforeLiquidations: number;
  liquidations: number;
  debtRepaidUsd: Decimal;
  totalDebtUsd: Decimal;
  totalCollateralUsd: Decimal;
  /** Cumulative, valued at each write-off's block. */
  recordedBadDebtUsd: Decimal;
  /** Cumulative, per absorber: Σ LossRecord.absorbedBy[absorber].usd. */
  absorbedUsd: Record<LossAbsorber, Decimal>;
  /** Cumulative: Σ LossRecord.unabsorbed.usd. */
  unabsorbedUsd: Decimal;
  /** Sum over open positions of max(0, debt - collateral value), at oracle and at market prices. */
  latentBadDebtOracleUsd: Decimal;
  latentBadDebtMarketUsd: Decimal;
  /**
   * Positions with debt per health-factor bucket at oracle prices (HEALTH_FACTOR_BUCKET_EDGES_WAD;
   * a position the protocol cannot price counts in the first bucket). Sums to `positions`.
   */
  healthFactorHistogram: number[];
}

export interface BlockRecord {
  block: number;
  timestamp: bigint;
  /** Per asset symbol, USD with 8 decimals. */
  marketPriceE8: Record<string, bigint>;
  /** Per asset symbol, its push feed; null when the feed read reverts. */
  oraclePriceE8: Record<string, bigint | null>;
  /** Per AMM-read feed (`scenario.oracles` name); null when the read reverts. */
  ammOraclePriceE8: Record<string, bigint | null>;
  /** Per AMM name: the USD price of its tokenA implied by the pool and tokenB's market price. */
  ammPriceE8: Record<string, bigint>;
  baseFeeWei: bigint;
  gasUsed: bigint;
  transactions: number;
  failedTransactions: number;
  protocols: Record<string, ProtocolBlockStats>;
  /** The watched position's health this block (./watchedPosition.ts); null in a world without debt. */
  watched: WatchedPositionHealth | null;
}

/**
 * One position's health factors in a block: the position with the lowest health factor at oracle prices
 * at block 0 (the first to become liquidatable when every price moves together; the first in protocol
 * and holder order on a tie). WAD; null when it has no debt or a price is missing.
 */
export interface WatchedPositionHealth {
  protocol: string;
  /** The isolated market (`collateral/loan`); null in a pooled protocol. */
  market: string | null;
  borrower: Address;
  /** At the end of the block, at oracle prices. */
  healthFactorWad: bigint | null;
  /** At the end of the block, at market prices. */
  marketHealthFactorWad: bigint | null;
  /**
   * At this block's oracle prices with the position as the previous block left it (a pooled position's
   * interest accrued to this block's time): its health before the block's transactions, so before its
   * liquidations. At block 0, the same as `healthFactorWad`.
   */
  healthFactorBeforeLiquidationsWad: bigint | null;
}

/**
 * One position at the end of a block, for a live view (the playground's health bars), in venue-neutral
 * words: a liability (a lending debt, a perp position's losses) against collateral (or margin).
 */
export interface PositionHealth {
  protocol: string;
  /** `"pool"` for a pooled protocol's account-wide position, else the isolated market (`collateral/loan`) or instrument. */
  scope: string;
  account: Address;
  hasLiability: boolean;
  /** At oracle prices, WAD (0 when a price is missing). */
  healthWad: bigint;
  /** At market prices, WAD; null without a liability or a price. */
  marketHealthWad: bigint | null;
  /** At market prices. */
  liabilityUsd: Decimal;
  collateralUsd: Decimal;
}

/** A transaction an agent sent that reverted; the run goes on. */
export interface FailedAttempt {
  block: number;
  agent: string;
  action: string;
  reason: string;
}

/**
 * What one group of position holders (a borrower group or a looper group) put in and lost, at market
 * prices (simulator/observe/groups.ts has the definitions).
 */
export interface GroupOutcome {
  name: string;
  kind: "borrowers" | "loopers" | "traders";
  /** The protocols its positions are in (a looper group: its legs). */
  protocols: string[];
  /** Accounts in the group (borrowers, or looper vaults). */
  holders: number;
  /** Equity (collateral − debt) at block 0. */
  depositUsd: Decimal;
  /** What defensive borrowers moved in from their wallets during the run. */
  addedUsd: Decimal;
  /** Equity at the last recorded block; negative when debt exceeds collateral. */
  endEquityUsd: Decimal;
  /** borrowerLossUsd + lendersLossUsd. */
  lossUsd: Decimal;
  /** What the holders lost: deposit + added − max(0, end equity) per holder. */
  borrowerLossUsd: Decimal;
  /** Debt written off on their positions + their negative end equity (latent). */
  lendersLossUsd: Decimal;
  /** Holders liquidated at least once. */
  holdersLiquidated: number;
  liquidations: number;
  firstLiquidationBlock: number | null;
  /** A venue's own trader (kind "traders"): its figures in native units of its collateral `asset`. */
  trader?: TraderGroupFigures;
}

/** A trader's figures, native units of `asset`: `lost` = deposited − max(0, end equity). */
export interface TraderGroupFigures {
  asset: string;
  deposited: bigint;
  realizedPnl: bigint;
  fees: bigint;
  lost: bigint;
  owed: bigint;
}
