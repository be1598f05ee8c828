/**
 * What a run adds up to (`RunSummary`, computed by `summarizeRun` in report/summarize.ts) and the
 * JSON written to result.json (`RunResultJson`). In memory every USD figure is a decimal.js value;
 * in JSON it is a string in the one decimal format of `formatDecimal` (docs/result-format.md).
 * Counts, block numbers and delays are JS integers in both.
 */
import type { WaterfallJson } from "./waterfall";
import type { LossShareJson } from "./lossShares";
import type Decimal from "decimal.js";
import type { LossAbsorber } from "../state";

export interface LiquidationTotals {
  count: number;
  debtRepaidUsd: Decimal;
  /** What liquidators received: Σ collateralToLiquidatorUsd (seized less the protocol fee). */
  collateralSeizedUsd: Decimal;
  /** Σ profitUsd (= collateralSeizedUsd - debtRepaidUsd - gasCostUsd without atomic liquidations). */
  liquidatorProfitUsd: Decimal;
  gasCostUsd: Decimal;
}

export interface BadDebtTotals {
  /** Σ LossRecord.amountUsd: losses recorded during the run (debt written off), valued at each loss's block. */
  recordedUsd: Decimal;
  /** Per absorber (every one, in LOSS_ABSORBERS order): Σ LossRecord.absorbedBy[absorber].usd. */
  absorbedUsd: Record<LossAbsorber, Decimal>;
  /** Σ LossRecord.unabsorbed.usd. */
  unabsorbedUsd: Decimal;
  /** Debt of open positions not covered by their collateral in the last recorded block, at oracle prices. */
  latentOracleUsd: Decimal;
  /** The same at market prices. */
  latentMarketUsd: Decimal;
  /** recordedUsd + latentMarketUsd. */
  totalUsd: Decimal;
}

/**
 * Blocks from the start of a liquidatable episode to its first liquidation, over the episodes that
 * had one. Percentiles are nearest-rank: the value at rank ceil(p / 100 × count) of the ascending list.
 * All but `count` are null when `count` is 0.
 */
export interface DelayStats {
  count: number;
  p50: number | null;
  p95: number | null;
  max: number | null;
}

export interface EpisodeCounts {
  total: number;
  /** Episodes with at least one liquidation. */
  liquidated: number;
  neverLiquidated: number;
}

export interface ProtocolSummary {
  liquidations: LiquidationTotals;
  badDebt: BadDebtTotals;
  delayBlocks: DelayStats;
  episodes: EpisodeCounts;
  /** Most positions liquidatable (HF < 1 at oracle prices) in one block; overall: summed over protocols per block. */
  maxLiquidatablePositions: number;
  /**
   * The same counted before each block's liquidations (`ProtocolBlockStats.liquidatableBeforeLiquidations`):
   * a position liquidated in the block that made it liquidatable counts here, not in `maxLiquidatablePositions`.
   */
  maxLiquidatablePositionsBeforeLiquidations: number;
  /** Blocks with at least one liquidatable position (overall: in any protocol). */
  blocksWithLiquidatable: number;
}

/** Largest gaps between a price and the market price, in basis points of the market price, rounded to 2 places. */
export interface PriceGaps {
  /**
   * Over blocks and assets, |oracle - market| / market × 10,000; blocks where the feed reverted are
   * skipped. Null without any oracle price.
   */
  maxOracleVsMarketBps: Decimal | null;
  /** Over blocks and AMMs, |AMM price of tokenA - market price of tokenA| / market × 10,000. Null without AMMs. */
  maxAmmVsMarketBps: Decimal | null;
}

/**
 * How liquidations propagated (simulator/observe/cascade.ts): generation 0 liquidations were caused by
 * market or oracle moves; generation n + 1 by the price impact of generation-n liquidation sales.
 */
export interface CascadeSummary {
  /** Number of generations with a liquidation (0 without liquidations; 1: no cascade). */
  depth: number;
  /** Liquidations per generation, from generation 0. */
  generations: number[];
  /**
   * Liquidations caused by sales of another liquidation, by the protocol of the cause and of the
   * effect: `{ fromProtocol: { toProtocol: count } }` (both in scenario order; only nonzero counts).
   */
  contagion: Record<string, Record<string, number>>;
}

export interface OverallSummary extends ProtocolSummary {
  priceGaps: PriceGaps;
  cascade: CascadeSummary;
  failedAttempts: { count: number };
}

export interface RunSummary {
  overall: OverallSummary;
  /** Per protocol name, in scenario order. */
  protocols: Record<string, ProtocolSummary>;
}

/** `T` with every decimal.js value replaced by its JSON string. */
export type DecimalsAsStrings<T> = T extends Decimal
  ? string
  : T extends readonly unknown[]
    ? { [K in keyof T]: DecimalsAsStrings<T[K]> }
    : T extends object
      ? { [K in keyof T]: DecimalsAsStrings<T[K]> }
      : T;

/** A protocol's summary; `waterfall` only for a protocol whose venue reports a loss waterfall (report/waterfall.ts). */
export type ProtocolSummaryJson = DecimalsAsStrings<ProtocolSummary> & { waterfall?: WaterfallJson };
export type OverallSummaryJson = DecimalsAsStrings<OverallSummary>;

/**
 * One entry of `summary.groups`: a borrower or looper group's outcome (`GroupOutcome`) and its loss in
 * percent; a venue's trader (kind "traders") adds its figures in its collateral's native units.
 */
export interface GroupOutcomeJson {
  name: string;
  kind: "borrowers" | "loopers" | "traders";
  protocols: string[];
  holders: number;
  depositUsd: string;
  addedUsd: string;
  endEquityUsd: string;
  lossUsd: string;
  /** lossUsd / (depositUsd + addedUsd) × 100; null when that is not positive. */
  lossPct: string | null;
  borrowerLossUsd: string;
  lendersLossUsd: string;
  holdersLiquidated: number;
  liquidations: number;
  firstLiquidationBlock: number | null;
  /** Kind "traders" only: the collateral and its native units (decimal strings), docs/result-format.md. */
  collateral?: string;
  marginDeposited?: string;
  realizedPnl?: string;
  fees?: string;
  lost?: string;
  owed?: string;
}

/**
 * result.json's `summary`: the overall figures at the top, then the groups' outcomes, then the same
 * shape as the top per protocol in `protocols`.
 */
export type RunSummaryJson = OverallSummaryJson & {
  groups: GroupOutcomeJson[];
  protocols: Record<string, ProtocolSummaryJson>;
};

export interface ChainInfo {
  /** "in-process": Hardhat's EIP-1193 provider; "rpc": a JSON-RPC node at `url`; "anvil": an anvil started for the run (`--chain anvil`). */
  kind: "in-process" | "rpc" | "anvil";
  chainId: number;
  /** Only for "rpc". */
  url?: string;
}

/**
 * Where a position lives: `"pool"` for a pooled protocol's account-wide position, else the isolated
 * market (`collateral/loan`) or the instrument it is confined to. Schema 1 wrote `market`, null for a pool.
 */
export type ScopeJson = string;

/**
 * A LiquidationRecord in venue-neutral words, bigints as decimal strings (native units) and USD as
 * decimal strings (docs/result-format.md, schema 2).
 */
export interface LiquidationJson {
  id: number;
  block: number;
  protocol: string;
  /** The protocol's venue kind (`"pooled"`, `"isolated"`, ...). */
  venue: string;
  scope: ScopeJson;
  liquidator: string;
  /** The position's holder (schema 1: `borrower`). */
  account: string;
  /** Asset symbols: what the liquidator paid (schema 1: `debt`) and what it took (schema 1: `collateral`). */
  repaidAsset: string;
  seizedAsset: string;
  /** Schema 1: `debtRepaid`, `collateralSeized` (including `fee`), `protocolFee`. */
  repaid: string;
  seized: string;
  fee: string;
  /** Schema 1: `healthFactorWad`, `marketHealthFactorWad`, `healthFactorAfterWad`. */
  healthBeforeWad: string;
  marketHealthBeforeWad: string | null;
  healthAfterWad: string | null;
  episodeStartBlock: number;
  delayBlocks: number;
  generation: number;
  causedBy: number | null;
  /** Schema 1: `debtRepaidUsd`, `collateralToLiquidatorUsd`. */
  repaidUsd: string;
  seizedToLiquidatorUsd: string;
  gasCostUsd: string;
  profitUsd: string;
}

/** A part of a loss: native units of the loss's asset and USD, as decimal strings. */
export interface LossPartJson {
  amount: string;
  usd: string;
}

/** A LossRecord (schema 1: a `badDebt[]` entry), every absorber present, zeros kept. */
export interface LossJson {
  block: number;
  protocol: string;
  venue: string;
  scope: ScopeJson;
  asset: string;
  account: string;
  amount: string;
  amountUsd: string;
  absorbedBy: Record<LossAbsorber, LossPartJson>;
  unabsorbed: LossPartJson;
  /** Only in a protocol with a loss waterfall (a perp exchange): the winners' shares of this loss, in the order taken. */
  shares?: LossShareJson[];
}

export interface EpisodeJson {
  protocol: string;
  venue: string;
  account: string;
  scope: ScopeJson;
  startBlock: number;
  firstLiquidationBlock: number | null;
  endBlock: number | null;
  generation: number;
  causedBy: number | null;
}

export interface FailedAttemptJson {
  block: number;
  agent: string;
  action: string;
  reason: string;
}

export const RESULT_SCHEMA_VERSION = 2;

/** The content of result.json; see docs/result-format.md. */
export interface RunResultJson {
  schemaVersion: typeof RESULT_SCHEMA_VERSION;
  /** False when the run stopped before its last block (e.g. the RPC node died); what was recorded is kept. */
  complete: boolean;
  scenario: { name: string; description: string };
  /** The run's seed, decimal. */
  seed: string;
  /** Blocks the scenario asked for. */
  blocks: number;
  blocksRecorded: number;
  chain: ChainInfo;
  summary: RunSummaryJson;
  liquidations: LiquidationJson[];
  losses: LossJson[];
  episodes: EpisodeJson[];
  failedAttempts: FailedAttemptJson[];
}
