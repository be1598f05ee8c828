/**
 * result.json: a run's records and summary as JSON-ready data (docs/result-format.md). Every key is
 * written in a fixed order and every number in one format (`formatDecimal`), so the same scenario
 * and seed give a byte-identical file.
 */
import type Decimal from "decimal.js";
import { summarizeRun } from "./summarize";
import { byAbsorber } from "../state";
import type {
  LossPart,
  LossRecord,
  LossShareRecord,
  BlockRecord,
  FailedAttempt,
  GroupOutcome,
  TraderGroupFigures,
  LiquidatableEpisode,
  LiquidationRecord,
} from "../observe/types";
import type { Scenario } from "../scenario/types";
import { ReportInputError } from "./errors";
import { formatDecimal } from "./format";
import { lossSharesJson } from "./lossShares";
import { waterfallJson } from "./waterfall";
import {
  RESULT_SCHEMA_VERSION,
  type ChainInfo,
  type EpisodeJson,
  type FailedAttemptJson,
  type GroupOutcomeJson,
  type LiquidationJson,
  type LossJson,
  type LossPartJson,
  type OverallSummary,
  type OverallSummaryJson,
  type ProtocolSummary,
  type ProtocolSummaryJson,
  type RunResultJson,
  type RunSummary,
  type RunSummaryJson,
} from "./types";

export interface BuildRunResultParameters {
  /** A whole `Scenario` fits; protocols and AMMs set the summary's protocol order and AMM assets. */
  scenario: Pick<Scenario, "name" | "description" | "seed" | "blocks" | "protocols" | "amms">;
  chain: ChainInfo;
  /** False when the run stopped before the scenario's last block. */
  complete: boolean;
  /** The blocks recorded, in order (fewer than `scenario.blocks` when incomplete). */
  blocks: readonly BlockRecord[];
  liquidations: readonly LiquidationRecord[];
  badDebt: readonly LossRecord[];
  episodes: readonly LiquidatableEpisode[];
  failedAttempts: readonly FailedAttempt[];
  /** Borrower and looper groups' outcomes (`groupOutcomes`), in scenario order. */
  groups: readonly GroupOutcome[];
  /** Winners' shares of the losses (a venue's last resort); with `waterfallProtocols`, each such protocol's `waterfall`. */
  lossShares?: readonly LossShareRecord[];
  /** Protocols whose venue reports a loss waterfall; none: no `waterfall` key anywhere. */
  waterfallProtocols?: readonly string[];
}

/** Summarizes the records and returns result.json's content; records keep the order they are given in. */
export function buildRunResult(parameters: BuildRunResultParameters): RunResultJson {
  const { scenario, chain, complete, blocks } = parameters;
  if (blocks.length > scenario.blocks) {
    throw new ReportInputError("blocks", `${blocks.length} recorded, more than the scenario's ${scenario.blocks}`);
  }
  if (complete && blocks.length !== scenario.blocks) {
    throw new ReportInputError("complete", `true, but ${blocks.length} of ${scenario.blocks} blocks were recorded`);
  }
  const summary = summarizeRun({
    protocols: scenario.protocols.map((p) => p.name),
    amms: scenario.amms,
    blocks,
    liquidations: parameters.liquidations,
    badDebt: parameters.badDebt,
    episodes: parameters.episodes,
    failedAttempts: parameters.failedAttempts,
  });
  const venues = new Map(scenario.protocols.map((p) => [p.name, p.type]));
  const summaryJson = runSummaryJson(summary, parameters.groups);
  for (const name of parameters.waterfallProtocols ?? []) {
    const p = summaryJson.protocols[name];
    if (p) p.waterfall = waterfallJson(name, parameters.badDebt, parameters.lossShares ?? [], `summary.protocols.${name}.waterfall`);
  }
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    complete,
    scenario: { name: scenario.name, description: scenario.description },
    seed: scenario.seed.toString(),
    blocks: scenario.blocks,
    blocksRecorded: blocks.length,
    chain: chainJson(chain),
    summary: summaryJson,
    liquidations: parameters.liquidations.map((l, i) => liquidationJson(l, venues, `liquidations[${i}]`)),
    losses: parameters.badDebt.map((d, i) => lossJson(d, venues, `losses[${i}]`, parameters.waterfallProtocols ?? [])),
    episodes: parameters.episodes.map((e, i) => episodeJson(e, venues, `episodes[${i}]`)),
    failedAttempts: parameters.failedAttempts.map(failedAttemptJson),
  };
}

/** result.json's exact text: 2-space indented JSON and a final newline. */
export function formatRunResultJson(result: RunResultJson): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

function chainJson(chain: ChainInfo): ChainInfo {
  if (chain.kind === "rpc") {
    if (chain.url === undefined) throw new ReportInputError("chain.url", `required when chain.kind is "rpc"`);
    return { kind: chain.kind, chainId: chain.chainId, url: chain.url };
  }
  if (chain.url !== undefined) throw new ReportInputError("chain.url", `only for chain.kind "rpc"`);
  return { kind: chain.kind, chainId: chain.chainId };
}

/** The summary with every decimal.js value as a string; keys in the order of the types. */
export function runSummaryJson(summary: RunSummary, groups: readonly GroupOutcome[]): RunSummaryJson {
  return {
    ...overallSummaryJson(summary.overall, "summary"),
    groups: groups.map((g, i) => groupOutcomeJson(g, `summary.groups[${i}]`)),
    protocols: Object.fromEntries(
      Object.entries(summary.protocols).map(([name, p]): [string, ProtocolSummaryJson] => [
        name,
        protocolSummaryJson(p, `summary.protocols.${name}`),
      ]),
    ),
  };
}

/** lossPct = lossUsd / (depositUsd + addedUsd) × 100; null when nothing was put in. */
function groupOutcomeJson(g: GroupOutcome, path: string): GroupOutcomeJson {
  const putIn = g.depositUsd.plus(g.addedUsd);
  return {
    name: g.name,
    kind: g.kind,
    protocols: [...g.protocols],
    holders: g.holders,
    depositUsd: formatDecimal(g.depositUsd, `${path}.depositUsd`),
    addedUsd: formatDecimal(g.addedUsd, `${path}.addedUsd`),
    endEquityUsd: formatDecimal(g.endEquityUsd, `${path}.endEquityUsd`),
    lossUsd: formatDecimal(g.lossUsd, `${path}.lossUsd`),
    lossPct: putIn.gt(0) ? formatDecimal(g.lossUsd.div(putIn).mul(100), `${path}.lossPct`) : null,
    borrowerLossUsd: formatDecimal(g.borrowerLossUsd, `${path}.borrowerLossUsd`),
    lendersLossUsd: formatDecimal(g.lendersLossUsd, `${path}.lendersLossUsd`),
    holdersLiquidated: g.holdersLiquidated,
    liquidations: g.liquidations,
    firstLiquidationBlock: g.firstLiquidationBlock,
    ...(g.trader ? traderJson(g.trader) : {}),
  };
}

/** A trader's figures (kind "traders"), native units of its collateral as decimal strings. */
function traderJson(t: TraderGroupFigures): Pick<GroupOutcomeJson, "collateral" | "marginDeposited" | "realizedPnl" | "fees" | "lost" | "owed"> {
  return { collateral: t.asset, marginDeposited: t.deposited.toString(), realizedPnl: t.realizedPnl.toString(), fees: t.fees.toString(), lost: t.lost.toString(), owed: t.owed.toString() };
}

function overallSummaryJson(overall: OverallSummary, path: string): OverallSummaryJson {
  const gaps = overall.priceGaps;
  return {
    ...protocolSummaryJson(overall, path),
    priceGaps: {
      maxOracleVsMarketBps: nullableDecimal(gaps.maxOracleVsMarketBps, `${path}.priceGaps.maxOracleVsMarketBps`),
      maxAmmVsMarketBps: nullableDecimal(gaps.maxAmmVsMarketBps, `${path}.priceGaps.maxAmmVsMarketBps`),
    },
    cascade: {
      depth: overall.cascade.depth,
      generations: [...overall.cascade.generations],
      contagion: Object.fromEntries(Object.entries(overall.cascade.contagion).map(([from, row]) => [from, { ...row }])),
    },
    failedAttempts: { count: overall.failedAttempts.count },
  };
}

function protocolSummaryJson(p: ProtocolSummary, path: string): ProtocolSummaryJson {
  const l = p.liquidations;
  const d = p.badDebt;
  return {
    liquidations: {
      count: l.count,
      debtRepaidUsd: formatDecimal(l.debtRepaidUsd, `${path}.liquidations.debtRepaidUsd`),
      collateralSeizedUsd: formatDecimal(l.collateralSeizedUsd, `${path}.liquidations.collateralSeizedUsd`),
      liquidatorProfitUsd: formatDecimal(l.liquidatorProfitUsd, `${path}.liquidations.liquidatorProfitUsd`),
      gasCostUsd: formatDecimal(l.gasCostUsd, `${path}.liquidations.gasCostUsd`),
    },
    badDebt: {
      recordedUsd: formatDecimal(d.recordedUsd, `${path}.badDebt.recordedUsd`),
      absorbedUsd: byAbsorber((by) => formatDecimal(d.absorbedUsd[by], `${path}.badDebt.absorbedUsd.${by}`)),
      unabsorbedUsd: formatDecimal(d.unabsorbedUsd, `${path}.badDebt.unabsorbedUsd`),
      latentOracleUsd: formatDecimal(d.latentOracleUsd, `${path}.badDebt.latentOracleUsd`),
      latentMarketUsd: formatDecimal(d.latentMarketUsd, `${path}.badDebt.latentMarketUsd`),
      totalUsd: formatDecimal(d.totalUsd, `${path}.badDebt.totalUsd`),
    },
    delayBlocks: { count: p.delayBlocks.count, p50: p.delayBlocks.p50, p95: p.delayBlocks.p95, max: p.delayBlocks.max },
    episodes: {
      total: p.episodes.total,
      liquidated: p.episodes.liquidated,
      neverLiquidated: p.episodes.neverLiquidated,
    },
    maxLiquidatablePositions: p.maxLiquidatablePositions,
    maxLiquidatablePositionsBeforeLiquidations: p.maxLiquidatablePositionsBeforeLiquidations,
    blocksWithLiquidatable: p.blocksWithLiquidatable,
  };
}

function nullableDecimal(value: Decimal | null, path: string): string | null {
  return value === null ? null : formatDecimal(value, path);
}

/** A protocol's venue kind, by its name. */
type Venues = ReadonlyMap<string, string>;

function venueKindOf(venues: Venues, protocol: string, path: string): string {
  const venue = venues.get(protocol);
  if (venue === undefined) throw new ReportInputError(`${path}.protocol`, `unknown protocol "${protocol}"`);
  return venue;
}

/** Schema 1's `market` (null in a pooled protocol) as schema 2's null-free scope. */
function scopeJson(market: string | null): string {
  return market ?? "pool";
}

function liquidationJson(l: LiquidationRecord, venues: Venues, path: string): LiquidationJson {
  return {
    id: l.id,
    block: l.block,
    protocol: l.protocol,
    venue: venueKindOf(venues, l.protocol, path),
    scope: scopeJson(l.market),
    liquidator: l.liquidator,
    account: l.borrower,
    repaidAsset: l.debt,
    seizedAsset: l.collateral,
    repaid: l.debtRepaid.toString(),
    seized: l.collateralSeized.toString(),
    fee: l.protocolFee.toString(),
    healthBeforeWad: l.healthFactorWad.toString(),
    marketHealthBeforeWad: l.marketHealthFactorWad === null ? null : l.marketHealthFactorWad.toString(),
    healthAfterWad: l.healthFactorAfterWad === null ? null : l.healthFactorAfterWad.toString(),
    episodeStartBlock: l.episodeStartBlock,
    delayBlocks: l.delayBlocks,
    generation: l.generation,
    causedBy: l.causedBy,
    repaidUsd: formatDecimal(l.debtRepaidUsd, `${path}.repaidUsd`),
    seizedToLiquidatorUsd: formatDecimal(l.collateralToLiquidatorUsd, `${path}.seizedToLiquidatorUsd`),
    gasCostUsd: formatDecimal(l.gasCostUsd, `${path}.gasCostUsd`),
    profitUsd: formatDecimal(l.profitUsd, `${path}.profitUsd`),
  };
}

/** A loss; in a protocol with a loss waterfall, with the winners' `shares` of it (an empty list when none). */
function lossJson(d: LossRecord, venues: Venues, path: string, waterfallProtocols: readonly string[]): LossJson {
  const part = (p: LossPart, at: string): LossPartJson => ({ amount: p.amount.toString(), usd: formatDecimal(p.usd, `${at}.usd`) });
  return {
    block: d.block,
    protocol: d.protocol,
    venue: venueKindOf(venues, d.protocol, path),
    scope: scopeJson(d.market),
    asset: d.asset,
    account: d.borrower,
    amount: d.amount.toString(),
    amountUsd: formatDecimal(d.amountUsd, `${path}.amountUsd`),
    absorbedBy: byAbsorber((by) => part(d.absorbedBy[by], `${path}.absorbedBy.${by}`)),
    unabsorbed: part(d.unabsorbed, `${path}.unabsorbed`),
    ...(waterfallProtocols.includes(d.protocol) ? { shares: lossSharesJson(d.shares ?? [], `${path}.shares`) } : {}),
  };
}

function episodeJson(e: LiquidatableEpisode, venues: Venues, path: string): EpisodeJson {
  return {
    protocol: e.protocol,
    venue: venueKindOf(venues, e.protocol, path),
    account: e.borrower,
    scope: scopeJson(e.market),
    startBlock: e.startBlock,
    firstLiquidationBlock: e.firstLiquidationBlock,
    endBlock: e.endBlock,
    generation: e.generation,
    causedBy: e.causedBy,
  };
}

function failedAttemptJson(f: FailedAttempt): FailedAttemptJson {
  return { block: f.block, agent: f.agent, action: f.action, reason: f.reason };
}
