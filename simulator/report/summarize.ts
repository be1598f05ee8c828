/**
 * Adds up a run's records into the figures a researcher reads first: liquidations, bad debt
 * (recorded and latent), liquidation delays, liquidatable episodes and price gaps, overall and per
 * protocol. Pure and deterministic: the same records give the same summary.
 */
import Decimal from "decimal.js";
import type {
  BadDebtTotals,
  CascadeSummary,
  DelayStats,
  EpisodeCounts,
  LiquidationTotals,
  OverallSummary,
  PriceGaps,
  ProtocolSummary,
  RunSummary,
} from "./types";
import type { AmmSpec } from "../scenario/types";
import { byAbsorber, LOSS_ABSORBERS } from "../state";
import type {
  LossRecord,
  BlockRecord,
  FailedAttempt,
  LiquidatableEpisode,
  LiquidationRecord,
  ProtocolBlockStats,
} from "../observe/types";

export interface RunInput {
  /** Protocol names in scenario order; the summary lists them in this order. */
  protocols: readonly string[];
  /** The scenario's AMMs (`scenario.amms` fits): which asset each AMM prices. */
  amms: readonly Pick<AmmSpec, "name" | "tokenA">[];
  /** In block order. */
  blocks: readonly BlockRecord[];
  liquidations: readonly LiquidationRecord[];
  badDebt: readonly LossRecord[];
  episodes: readonly LiquidatableEpisode[];
  failedAttempts: readonly FailedAttempt[];
}

/** Thrown when the records contradict each other; `path` names the bad field. */
export class SummaryInputError extends Error {
  override readonly name = "SummaryInputError";
  constructor(
    readonly path: string,
    readonly details: string,
  ) {
    super(`${path}: ${details}`);
  }
}

/**
 * Sums of USD values must be exact: decimal.js rounds every result to `precision` significant
 * digits (20 by default), too few for a large debt in 18-decimal units. 200 digits hold any sum of
 * uint256 amounts priced with 8 decimals.
 */
const Usd = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_EVEN });

const BPS = 10_000;
const GAP_DECIMAL_PLACES = 2;

/**
 * Nearest-rank percentile of an ascending list: the value at 1-based rank ceil(p / 100 × n), an
 * element of the list (never interpolated); null for an empty list. `percent` is an integer in
 * 1..100, so p × n is an integer and the division is exact where the quotient is whole.
 */
export function nearestRank<T>(sortedAscending: readonly T[], percent: number): T | null {
  if (!Number.isInteger(percent) || percent < 1 || percent > 100) {
    throw new RangeError(`percent must be an integer in 1..100, got ${percent}`);
  }
  const rank = Math.ceil((percent * sortedAscending.length) / 100);
  return sortedAscending[rank - 1] ?? null;
}

export function summarizeRun(input: RunInput): RunSummary {
  const protocolIndex = indexProtocols(input.protocols);
  checkRecords(input, protocolIndex);

  const protocols = Object.fromEntries(
    input.protocols.map((name): [string, ProtocolSummary] => [name, summarizeProtocol(input, name)]),
  );
  const overall: OverallSummary = {
    liquidations: liquidationTotals(input.liquidations),
    badDebt: badDebtTotals(input.badDebt, lastStats(input, input.protocols)),
    delayBlocks: delayStats(input.episodes),
    episodes: episodeCounts(input.episodes),
    ...liquidatableCounts(input.blocks.map((b, i) => sumLiquidatable(b, i, input.protocols))),
    maxLiquidatablePositionsBeforeLiquidations: maxOf(input.blocks.map((b, i) => input.protocols.reduce((n, p) => n + statsOf(b, i, p).liquidatableBeforeLiquidations, 0))),
    priceGaps: priceGaps(input),
    cascade: cascadeSummary(input),
    failedAttempts: { count: input.failedAttempts.length },
  };
  return { overall, protocols };
}

/** Generations and protocol-to-protocol contagion from each liquidation's `generation` and `causedBy`. */
function cascadeSummary(input: RunInput): CascadeSummary {
  const generations: number[] = [];
  const byId = new Map(input.liquidations.map((l) => [l.id, l]));
  const counts = new Map<string, Map<string, number>>();
  input.liquidations.forEach((l, i) => {
    while (generations.length <= l.generation) generations.push(0);
    generations[l.generation] = (generations[l.generation] ?? 0) + 1;
    if (l.causedBy === null) return;
    const cause = byId.get(l.causedBy);
    if (!cause) throw new SummaryInputError(`liquidations[${i}].causedBy`, `no liquidation with id ${l.causedBy}`);
    const row = counts.get(cause.protocol) ?? new Map<string, number>();
    row.set(l.protocol, (row.get(l.protocol) ?? 0) + 1);
    counts.set(cause.protocol, row);
  });
  const contagion: Record<string, Record<string, number>> = {};
  for (const from of input.protocols) {
    const row = counts.get(from);
    if (!row) continue;
    contagion[from] = Object.fromEntries(input.protocols.filter((to) => row.has(to)).map((to) => [to, row.get(to) ?? 0]));
  }
  return { depth: generations.length, generations, contagion };
}

function summarizeProtocol(input: RunInput, name: string): ProtocolSummary {
  const episodes = input.episodes.filter((e) => e.protocol === name);
  return {
    liquidations: liquidationTotals(input.liquidations.filter((l) => l.protocol === name)),
    badDebt: badDebtTotals(
      input.badDebt.filter((d) => d.protocol === name),
      lastStats(input, [name]),
    ),
    delayBlocks: delayStats(episodes),
    episodes: episodeCounts(episodes),
    ...liquidatableCounts(input.blocks.map((b, i) => statsOf(b, i, name).liquidatable)),
    maxLiquidatablePositionsBeforeLiquidations: maxOf(input.blocks.map((b, i) => statsOf(b, i, name).liquidatableBeforeLiquidations)),
  };
}

function maxOf(counts: readonly number[]): number {
  return counts.reduce((most, count) => Math.max(most, count), 0);
}

/** Per block: positions liquidatable in that block. */
function liquidatableCounts(
  perBlock: readonly number[],
): Pick<ProtocolSummary, "maxLiquidatablePositions" | "blocksWithLiquidatable"> {
  return {
    maxLiquidatablePositions: perBlock.reduce((most, count) => Math.max(most, count), 0),
    blocksWithLiquidatable: perBlock.filter((count) => count > 0).length,
  };
}

function liquidationTotals(liquidations: readonly LiquidationRecord[]): LiquidationTotals {
  return {
    count: liquidations.length,
    debtRepaidUsd: sum(liquidations.map((l) => l.debtRepaidUsd)),
    collateralSeizedUsd: sum(liquidations.map((l) => l.collateralToLiquidatorUsd)),
    liquidatorProfitUsd: sum(liquidations.map((l) => l.profitUsd)),
    gasCostUsd: sum(liquidations.map((l) => l.gasCostUsd)),
  };
}

/** `latest`: the given protocols' stats in the last recorded block (none before the first block). */
function badDebtTotals(records: readonly LossRecord[], latest: readonly ProtocolBlockStats[]): BadDebtTotals {
  const recordedUsd = sum(records.map((d) => d.amountUsd));
  const latentMarketUsd = sum(latest.map((s) => s.latentBadDebtMarketUsd));
  return {
    recordedUsd,
    absorbedUsd: byAbsorber((by) => sum(records.map((d) => d.absorbedBy[by].usd))),
    unabsorbedUsd: sum(records.map((d) => d.unabsorbed.usd)),
    latentOracleUsd: sum(latest.map((s) => s.latentBadDebtOracleUsd)),
    latentMarketUsd,
    totalUsd: recordedUsd.plus(latentMarketUsd),
  };
}

function delayStats(episodes: readonly LiquidatableEpisode[]): DelayStats {
  const delays: number[] = [];
  for (const e of episodes) {
    if (e.firstLiquidationBlock !== null) delays.push(e.firstLiquidationBlock - e.startBlock);
  }
  delays.sort((a, b) => a - b);
  return {
    count: delays.length,
    p50: nearestRank(delays, 50),
    p95: nearestRank(delays, 95),
    max: delays[delays.length - 1] ?? null,
  };
}

function episodeCounts(episodes: readonly LiquidatableEpisode[]): EpisodeCounts {
  const liquidated = episodes.filter((e) => e.firstLiquidationBlock !== null).length;
  return { total: episodes.length, liquidated, neverLiquidated: episodes.length - liquidated };
}

function priceGaps(input: RunInput): PriceGaps {
  let oracleGap: Decimal | null = null;
  let ammGap: Decimal | null = null;
  for (const [i, block] of input.blocks.entries()) {
    for (const [asset, marketE8] of Object.entries(block.marketPriceE8)) {
      const oracleE8 = own(block.oraclePriceE8, asset);
      if (oracleE8 === undefined || oracleE8 === null) continue;
      oracleGap = larger(oracleGap, gapBps(oracleE8, marketE8));
    }
    for (const amm of input.amms) {
      const ammE8 = own(block.ammPriceE8, amm.name);
      const marketE8 = own(block.marketPriceE8, amm.tokenA);
      if (ammE8 === undefined) {
        throw new SummaryInputError(`blocks[${i}].ammPriceE8.${amm.name}`, "missing");
      }
      if (marketE8 === undefined) {
        throw new SummaryInputError(`blocks[${i}].marketPriceE8.${amm.tokenA}`, "missing");
      }
      ammGap = larger(ammGap, gapBps(ammE8, marketE8));
    }
  }
  return {
    maxOracleVsMarketBps: oracleGap?.toDecimalPlaces(GAP_DECIMAL_PLACES, Decimal.ROUND_HALF_EVEN) ?? null,
    maxAmmVsMarketBps: ammGap?.toDecimalPlaces(GAP_DECIMAL_PLACES, Decimal.ROUND_HALF_EVEN) ?? null,
  };
}

/** |price - market| / market × 10,000, both USD with 8 decimals. */
function gapBps(priceE8: bigint, marketE8: bigint): Decimal {
  const difference = priceE8 > marketE8 ? priceE8 - marketE8 : marketE8 - priceE8;
  return new Usd(difference.toString()).times(BPS).dividedBy(marketE8.toString());
}

function larger(current: Decimal | null, candidate: Decimal): Decimal {
  return current === null || candidate.greaterThan(current) ? candidate : current;
}

function sum(values: readonly Decimal[]): Decimal {
  return values.reduce<Decimal>((total, value) => total.plus(value), new Usd(0));
}

function sumLiquidatable(block: BlockRecord, index: number, protocols: readonly string[]): number {
  return protocols.reduce((total, name) => total + statsOf(block, index, name).liquidatable, 0);
}

function lastStats(input: RunInput, protocols: readonly string[]): ProtocolBlockStats[] {
  const index = input.blocks.length - 1;
  const last = input.blocks[index];
  return last === undefined ? [] : protocols.map((name) => statsOf(last, index, name));
}

/** `index`: the block's position in RunInput.blocks, for the error path. */
function statsOf(block: BlockRecord, index: number, protocol: string): ProtocolBlockStats {
  const stats = own(block.protocols, protocol);
  if (stats === undefined) throw new SummaryInputError(`blocks[${index}].protocols.${protocol}`, "missing");
  return stats;
}

/** `record[key]` if it is the record's own entry (a name like "constructor" is not inherited). */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

function indexProtocols(protocols: readonly string[]): ReadonlySet<string> {
  const names = new Set<string>();
  protocols.forEach((name, i) => {
    if (names.has(name)) throw new SummaryInputError(`protocols[${i}]`, `duplicate protocol "${name}"`);
    names.add(name);
  });
  return names;
}

function checkRecords(input: RunInput, protocols: ReadonlySet<string>): void {
  const known = (name: string, path: string): void => {
    if (!protocols.has(name)) {
      throw new SummaryInputError(path, `unknown protocol "${name}" (known: ${[...protocols].join(", ")})`);
    }
  };
  const finite = (value: Decimal, path: string): void => {
    if (!value.isFinite()) throw new SummaryInputError(path, `must be a finite number, got ${value.toString()}`);
  };
  input.liquidations.forEach((l, i) => {
    known(l.protocol, `liquidations[${i}].protocol`);
    finite(l.debtRepaidUsd, `liquidations[${i}].debtRepaidUsd`);
    finite(l.collateralToLiquidatorUsd, `liquidations[${i}].collateralToLiquidatorUsd`);
    finite(l.gasCostUsd, `liquidations[${i}].gasCostUsd`);
    finite(l.profitUsd, `liquidations[${i}].profitUsd`);
  });
  input.badDebt.forEach((d, i) => {
    known(d.protocol, `badDebt[${i}].protocol`);
    finite(d.amountUsd, `badDebt[${i}].amountUsd`);
    for (const by of LOSS_ABSORBERS) finite(d.absorbedBy[by].usd, `badDebt[${i}].absorbedBy.${by}.usd`);
    finite(d.unabsorbed.usd, `badDebt[${i}].unabsorbed.usd`);
  });
  input.episodes.forEach((e, i) => {
    known(e.protocol, `episodes[${i}].protocol`);
    if (e.firstLiquidationBlock !== null && e.firstLiquidationBlock < e.startBlock) {
      throw new SummaryInputError(
        `episodes[${i}].firstLiquidationBlock`,
        `${e.firstLiquidationBlock} is before startBlock ${e.startBlock}`,
      );
    }
  });
  input.blocks.forEach((b, i) => {
    const previous = input.blocks[i - 1];
    if (previous !== undefined && b.block <= previous.block) {
      throw new SummaryInputError(`blocks[${i}].block`, `${b.block} does not follow block ${previous.block}`);
    }
    for (const [asset, priceE8] of Object.entries(b.marketPriceE8)) {
      if (priceE8 <= 0n) {
        throw new SummaryInputError(`blocks[${i}].marketPriceE8.${asset}`, `must be > 0, got ${priceE8}`);
      }
    }
    for (const [name, stats] of Object.entries(b.protocols)) {
      finite(stats.latentBadDebtOracleUsd, `blocks[${i}].protocols.${name}.latentBadDebtOracleUsd`);
      finite(stats.latentBadDebtMarketUsd, `blocks[${i}].protocols.${name}.latentBadDebtMarketUsd`);
    }
  });
}
