/**
 * montecarlo.json (docs/montecarlo-format.md): the figures of N market paths of one scenario and
 * their distribution. Paths differ only in their random market path; the world (positions, agents) is
 * the scenario's. The distribution is computed from the path figures as written (8 decimal places),
 * so anyone can recompute it from the file; sums use 200 significant digits, and each result is rounded
 * once, half to even, by `formatDecimal`. Percentiles are nearest-rank (`nearestRank`), as
 * result.json's delay percentiles.
 */
import Decimal from "decimal.js";
import { nearestRank } from "./summarize";
import { implementationsJson, implementationsLines, type ImplementationsJson } from "./implementations";
import type { Scenario } from "../scenario/types";
import { ReportInputError } from "./errors";
import { formatDecimal, formatUsdForDisplay } from "./format";
import { smallSample, smallSampleWarning, type SmallSampleJson } from "./monteCarloSample";

export const MONTE_CARLO_SCHEMA_VERSION = 1;
export const MONTE_CARLO_FILE = "montecarlo.json";
export const MONTE_CARLO_HTML_FILE = "montecarlo.html";
/** The confidence of VaR and LaR: the 95th percentile. */
export const AT_RISK_PERCENTILE = 95;

const Usd = Decimal.clone({ precision: 200, rounding: Decimal.ROUND_HALF_EVEN });

/** One path's figures (USD as decimal.js values; a `RunSummary`'s, see `pathFigures` in batch/monteCarlo). */
export interface MonteCarloPathFigures {
  /** 0..paths-1. */
  path: number;
  /** The seed of this path's market segments (`RunOptions.marketSeed`). */
  marketSeed: bigint;
  /** False when the path's run stopped before its last block. */
  complete: boolean;
  /** summary.badDebt.recordedUsd: debt written off during the path. */
  recordedBadDebtUsd: Decimal;
  /** summary.badDebt.latentMarketUsd: open positions' uncovered debt at the last block, at market prices. */
  latentBadDebtMarketUsd: Decimal;
  /** summary.badDebt.totalUsd: recorded + latent (market). */
  totalBadDebtUsd: Decimal;
  /** summary.liquidations.debtRepaidUsd: the liquidation volume. */
  liquidationVolumeUsd: Decimal;
  /** summary.liquidations.count. */
  liquidations: number;
  /** summary.cascade.depth. */
  cascadeDepth: number;
}

/** The USD figures a distribution is given for. */
export const DISTRIBUTION_FIGURES = ["recordedBadDebtUsd", "latentBadDebtMarketUsd", "totalBadDebtUsd", "liquidationVolumeUsd"] as const;
export type DistributionFigure = (typeof DISTRIBUTION_FIGURES)[number];

/** Over the paths: the mean and nearest-rank percentiles (each the figure of one path). */
export interface Distribution {
  mean: Decimal;
  p50: Decimal;
  p95: Decimal;
  p99: Decimal;
  max: Decimal;
}

export interface MonteCarloSummary {
  pathsComplete: number;
  /** Paths with at least one liquidation. */
  pathsWithLiquidations: number;
  /** Paths with total bad debt above zero. */
  pathsWithBadDebt: number;
  maxCascadeDepth: number;
  distribution: Record<DistributionFigure, Distribution>;
  /** VaR: the 95th percentile of total bad debt (recorded + latent at market prices). */
  valueAtRiskUsd: Decimal;
  /** LaR: the 95th percentile of liquidation volume. */
  liquidationsAtRiskUsd: Decimal;
}

export type MonteCarloPathJson = {
  path: number;
  marketSeed: string;
  complete: boolean;
  liquidations: number;
  cascadeDepth: number;
} & Record<DistributionFigure, string>;

export type DistributionJson = Record<keyof Distribution, string>;

export interface MonteCarloResultJson {
  schemaVersion: typeof MONTE_CARLO_SCHEMA_VERSION;
  scenario: { name: string; description: string };
  /** The base seed of the market paths (decimal). */
  seed: string;
  /** The scenario's own seed, which drew the world (decimal). */
  worldSeed: string;
  blocks: number;
  /** Each protocol's code (after --implementation): the same on every path. */
  implementations: ImplementationsJson;
  paths: number;
  pathsComplete: number;
  pathsWithLiquidations: number;
  pathsWithBadDebt: number;
  maxCascadeDepth: number;
  distribution: Record<DistributionFigure, DistributionJson>;
  valueAtRisk: { percentile: number; totalBadDebtUsd: string };
  liquidationsAtRisk: { percentile: number; liquidationVolumeUsd: string };
  /** The reported percentiles the paths are too few for (monteCarloSample.ts); empty when none. */
  smallSample: SmallSampleJson[];
  pathResults: MonteCarloPathJson[];
}

/**
 * The distribution of `figures` (one per path, any order). Mean = Σ / n; p50, p95, p99 are
 * nearest-rank (the value at rank ceil(p / 100 × n) of the ascending list); VaR and LaR are the p95 of
 * total bad debt and of liquidation volume.
 */
export function summarizeMonteCarlo(figures: readonly MonteCarloPathFigures[]): MonteCarloSummary {
  if (figures.length === 0) throw new ReportInputError("paths", "at least one path is needed");
  const distribution = Object.fromEntries(
    DISTRIBUTION_FIGURES.map((name): [DistributionFigure, Distribution] => [name, distributionOf(figures.map((f) => f[name]), name)]),
  ) as Record<DistributionFigure, Distribution>;
  return {
    pathsComplete: figures.filter((f) => f.complete).length,
    pathsWithLiquidations: figures.filter((f) => f.liquidations > 0).length,
    pathsWithBadDebt: figures.filter((f) => f.totalBadDebtUsd.gt(0)).length,
    maxCascadeDepth: Math.max(...figures.map((f) => f.cascadeDepth)),
    distribution,
    valueAtRiskUsd: distribution.totalBadDebtUsd.p95,
    liquidationsAtRiskUsd: distribution.liquidationVolumeUsd.p95,
  };
}

function distributionOf(values: readonly Decimal[], name: string): Distribution {
  values.forEach((v, i) => {
    if (!v.isFinite()) throw new ReportInputError(`paths[${i}].${name}`, `must be a finite number, got ${v.toString()}`);
  });
  const sorted = [...values].sort((a, b) => a.comparedTo(b));
  const at = (percent: number): Decimal => nearestRank(sorted, percent) as Decimal;
  const sum = sorted.reduce((total, v) => total.plus(v), new Usd(0));
  return { mean: sum.div(sorted.length), p50: at(50), p95: at(95), p99: at(99), max: at(100) };
}

export interface BuildMonteCarloResultParameters {
  scenario: Pick<Scenario, "name" | "description" | "seed" | "blocks" | "protocols">;
  /** The base seed of the market paths. */
  seed: bigint;
  /** One per path, 0..n-1 each once (any order: they are written by path). */
  figures: readonly MonteCarloPathFigures[];
}

/** montecarlo.json's content. */
export function buildMonteCarloResult(parameters: BuildMonteCarloResultParameters): MonteCarloResultJson {
  const figures = [...parameters.figures].sort((a, b) => a.path - b.path);
  figures.forEach((f, i) => {
    if (f.path !== i) throw new ReportInputError(`paths[${i}].path`, `${f.path}: paths must be 0..${figures.length - 1}, each once`);
  });
  const summary = summarizeMonteCarlo(figures);
  const usd = (value: Decimal, path: string): string => formatDecimal(value, path);
  const distribution = Object.fromEntries(
    DISTRIBUTION_FIGURES.map((name): [DistributionFigure, DistributionJson] => {
      const d = summary.distribution[name];
      const at = (key: keyof Distribution): string => usd(d[key], `distribution.${name}.${key}`);
      return [name, { mean: at("mean"), p50: at("p50"), p95: at("p95"), p99: at("p99"), max: at("max") }];
    }),
  ) as Record<DistributionFigure, DistributionJson>;
  return {
    schemaVersion: MONTE_CARLO_SCHEMA_VERSION,
    scenario: { name: parameters.scenario.name, description: parameters.scenario.description },
    seed: parameters.seed.toString(),
    worldSeed: parameters.scenario.seed.toString(),
    blocks: parameters.scenario.blocks,
    implementations: implementationsJson(parameters.scenario.protocols),
    paths: figures.length,
    pathsComplete: summary.pathsComplete,
    pathsWithLiquidations: summary.pathsWithLiquidations,
    pathsWithBadDebt: summary.pathsWithBadDebt,
    maxCascadeDepth: summary.maxCascadeDepth,
    distribution,
    valueAtRisk: { percentile: AT_RISK_PERCENTILE, totalBadDebtUsd: usd(summary.valueAtRiskUsd, "valueAtRisk") },
    liquidationsAtRisk: { percentile: AT_RISK_PERCENTILE, liquidationVolumeUsd: usd(summary.liquidationsAtRiskUsd, "liquidationsAtRisk") },
    smallSample: smallSample(figures.length),
    pathResults: figures.map((f, i) => pathJson(f, `pathResults[${i}]`)),
  };
}

/** A path's figures as written in montecarlo.json (USD rounded to 8 places). */
export function pathJson(f: MonteCarloPathFigures, path = `paths[${f.path}]`): MonteCarloPathJson {
  return {
    path: f.path,
    marketSeed: f.marketSeed.toString(),
    complete: f.complete,
    recordedBadDebtUsd: formatDecimal(f.recordedBadDebtUsd, `${path}.recordedBadDebtUsd`),
    latentBadDebtMarketUsd: formatDecimal(f.latentBadDebtMarketUsd, `${path}.latentBadDebtMarketUsd`),
    totalBadDebtUsd: formatDecimal(f.totalBadDebtUsd, `${path}.totalBadDebtUsd`),
    liquidationVolumeUsd: formatDecimal(f.liquidationVolumeUsd, `${path}.liquidationVolumeUsd`),
    liquidations: f.liquidations,
    cascadeDepth: f.cascadeDepth,
  };
}

/** The figures of a path as written (the inverse of `pathJson` on its output). */
export function pathFiguresFromJson(row: MonteCarloPathJson): MonteCarloPathFigures {
  return {
    path: row.path,
    marketSeed: BigInt(row.marketSeed),
    complete: row.complete,
    recordedBadDebtUsd: new Decimal(row.recordedBadDebtUsd),
    latentBadDebtMarketUsd: new Decimal(row.latentBadDebtMarketUsd),
    totalBadDebtUsd: new Decimal(row.totalBadDebtUsd),
    liquidationVolumeUsd: new Decimal(row.liquidationVolumeUsd),
    liquidations: row.liquidations,
    cascadeDepth: row.cascadeDepth,
  };
}

/** montecarlo.json's text: two-space indentation, keys in a fixed order, a final newline. */
export function formatMonteCarloJson(result: MonteCarloResultJson): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

const DISTRIBUTION_LABELS: Readonly<Record<DistributionFigure, string>> = {
  recordedBadDebtUsd: "bad debt recorded",
  latentBadDebtMarketUsd: "latent bad debt (market)",
  totalBadDebtUsd: "bad debt, recorded + latent",
  liquidationVolumeUsd: "liquidation volume",
};

/** The distribution table's text cells (the terminal table and montecarlo.html). */
export function monteCarloTableCells(result: MonteCarloResultJson): { heading: string[]; body: string[][] } {
  const keys = ["mean", "p50", "p95", "p99", "max"] as const;
  return {
    heading: ["", ...keys],
    body: DISTRIBUTION_FIGURES.map((name) => [DISTRIBUTION_LABELS[name], ...keys.map((k) => formatUsdForDisplay(result.distribution[name][k]))]),
  };
}

/** The lines under the table: VaR, LaR, how many paths liquidated or left bad debt. */
export function monteCarloFooterLines(result: MonteCarloResultJson): string[] {
  const incomplete = result.paths - result.pathsComplete;
  return [
    `VaR ${result.valueAtRisk.percentile}% (bad debt, recorded + latent): ${formatUsdForDisplay(result.valueAtRisk.totalBadDebtUsd)}`,
    `LaR ${result.liquidationsAtRisk.percentile}% (liquidation volume): ${formatUsdForDisplay(result.liquidationsAtRisk.liquidationVolumeUsd)}`,
    `paths with liquidations: ${result.pathsWithLiquidations} of ${result.paths}; with bad debt: ${result.pathsWithBadDebt} of ${result.paths}; max cascade depth ${result.maxCascadeDepth}`,
    ...(incomplete === 0 ? [] : [`INCOMPLETE: ${incomplete} of ${result.paths} paths stopped early`]),
  ];
}

/** The small-sample warning (one line), or none. */
export function monteCarloWarningLines(result: MonteCarloResultJson): string[] {
  const warning = smallSampleWarning(result.paths, result.smallSample);
  return warning === null ? [] : [warning];
}

/** A fixed-width table of the distribution, lines joined with "\n" and a final "\n". */
export function formatMonteCarloTable(result: MonteCarloResultJson): string {
  const { heading, body } = monteCarloTableCells(result);
  const rows = [heading, ...body];
  const widths = heading.map((_, c) => Math.max(...rows.map((cells) => (cells[c] ?? "").length)));
  const render = (cells: string[]): string =>
    cells
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join("  ")
      .trimEnd();
  const tableWidth = widths.reduce((total, w) => total + w, 0) + 2 * (widths.length - 1);
  const lines = [
    `scenario  ${result.scenario.name}`,
    `seed      ${result.seed} (market paths; world from the scenario's seed ${result.worldSeed})`,
    `paths     ${result.paths} x ${result.blocks} blocks`,
    ...implementationsLines(result.implementations),
    "",
    render(heading),
    "-".repeat(tableWidth),
    ...body.map(render),
    "",
    ...monteCarloFooterLines(result),
    ...monteCarloWarningLines(result),
  ];
  return lines.map((line) => `${line}\n`).join("");
}
