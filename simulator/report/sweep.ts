/**
 * sweep.json and sweep.csv (docs/sweep-format.md): one scenario run per combination of the varied
 * parameters, each with its parameter values and its summary figures. Every figure is result.json's
 * (`summary` of the run's result), in result.json's number formats, so a row can be checked against a
 * `simulate` of the same variant. The terminal table shows the same rows for reading.
 */
import Decimal from "decimal.js";
import type { Scenario } from "../scenario/types";
import { formatUsdForDisplay } from "./format";
import { implementationsJson, implementationsLines, type ImplementationsJson } from "./implementations";
import { LOSS_ABSORBERS, type LossAbsorber } from "../state";
import { ABSORBED_LABELS, UNABSORBED_LABEL } from "./lossWords";
import { csvField, snakeCase } from "./series";
import { sweepGroup, sweepGroups } from "./sweepGroups";
import { valueText, type SweepValue } from "./sweepValue";
import type { GroupOutcomeJson, RunResultJson, RunSummaryJson } from "./types";

/** 2: runs' summaries in result.json schema 2 (bad debt per absorber); sweep.csv with one column per absorber. */
export const SWEEP_SCHEMA_VERSION = 2;
export const SWEEP_FILE = "sweep.json";
export const SWEEP_CSV_FILE = "sweep.csv";
export const SWEEP_HTML_FILE = "sweep.html";

/** A run's figures as sweep.csv has them: result.json's `summary` (overall), flattened. */
export interface SweepFigures {
  /** summary.badDebt.recordedUsd */
  recordedBadDebtUsd: string;
  /** summary.badDebt.absorbedUsd: the part of the recorded bad debt each absorber took (reserves, suppliers' haircut, ...). */
  absorbedUsd: Record<LossAbsorber, string>;
  /** summary.badDebt.unabsorbedUsd: the part nobody took. */
  unabsorbedUsd: string;
  /** summary.badDebt.latentMarketUsd */
  latentBadDebtMarketUsd: string;
  /** summary.badDebt.totalUsd: recorded + latent (market). */
  totalBadDebtUsd: string;
  /** summary.liquidations.count */
  liquidations: number;
  /** summary.liquidations.debtRepaidUsd */
  debtRepaidUsd: string;
  /** summary.delayBlocks.p50, p95, max (null without a liquidated episode). */
  delayP50Blocks: number | null;
  delayP95Blocks: number | null;
  delayMaxBlocks: number | null;
  /** summary.episodes.neverLiquidated */
  episodesNeverLiquidated: number;
  /** summary.cascade.depth */
  cascadeDepth: number;
  /** summary.failedAttempts.count */
  failedAttempts: number;
}

export function sweepFigures(summary: RunSummaryJson): SweepFigures {
  return {
    recordedBadDebtUsd: summary.badDebt.recordedUsd,
    absorbedUsd: { ...summary.badDebt.absorbedUsd },
    unabsorbedUsd: summary.badDebt.unabsorbedUsd,
    latentBadDebtMarketUsd: summary.badDebt.latentMarketUsd,
    totalBadDebtUsd: summary.badDebt.totalUsd,
    liquidations: summary.liquidations.count,
    debtRepaidUsd: summary.liquidations.debtRepaidUsd,
    delayP50Blocks: summary.delayBlocks.p50,
    delayP95Blocks: summary.delayBlocks.p95,
    delayMaxBlocks: summary.delayBlocks.max,
    episodesNeverLiquidated: summary.episodes.neverLiquidated,
    cascadeDepth: summary.cascade.depth,
    failedAttempts: summary.failedAttempts.count,
  };
}

/** One run in sweep.json. */
export interface SweepRunJson {
  /** The combination's index, first --vary outermost, from 0. */
  run: number;
  /** Path → value, as written into the scenario file, in --vary order. */
  parameters: Record<string, SweepValue>;
  /** Which deployment it ran on (0, 1, …, in the order the sweep made them). */
  deployment: number;
  /** False when the run stopped before its last block. */
  complete: boolean;
  /** Why it stopped early (the chain's error, or the invariant `--check` found violated); null when complete. */
  error: string | null;
  /** result.json's `summary` of the run, exactly. */
  summary: RunSummaryJson;
}

export interface SweepResultJson {
  schemaVersion: typeof SWEEP_SCHEMA_VERSION;
  scenario: { name: string; description: string };
  /** The scenario's seed (after --seed), decimal; a run whose parameters vary `seed` has its own. */
  seed: string;
  /** The scenario's blocks (after --blocks); likewise. */
  blocks: number;
  /** Each protocol's code (after --implementation); a run whose parameters vary a protocol's `implementation` has its own. */
  implementations: ImplementationsJson;
  /** The varied paths and their values, in --vary order. */
  parameters: { path: string; values: SweepValue[] }[];
  runs: number;
  runsComplete: number;
  /** Worlds the sweep deployed: one per distinct deployment among its variants. */
  deployments: number;
  results: SweepRunJson[];
}

/** What sweep.json is made of: the plan's base scenario and parameters, and each variant's run (batch/sweep's `SweepOutput`). */
export interface SweepReportInput {
  plan: { base: Pick<Scenario, "name" | "description" | "seed" | "blocks" | "protocols">; parameters: readonly { path: string; values: readonly SweepValue[] }[] };
  /** Each run's result.json, of which sweep.json takes `complete` and `summary` (a queued sweep's workers send only those). */
  runs: readonly { index: number; values: readonly SweepValue[]; deployment: number; result: Pick<RunResultJson, "complete" | "summary">; error: { message: string } | null }[];
  deployments: number;
}

/** sweep.json's content for a finished sweep. */
export function buildSweepResult(sweep: SweepReportInput): SweepResultJson {
  const { plan } = sweep;
  return {
    schemaVersion: SWEEP_SCHEMA_VERSION,
    scenario: { name: plan.base.name, description: plan.base.description },
    seed: plan.base.seed.toString(),
    blocks: plan.base.blocks,
    implementations: implementationsJson(plan.base.protocols),
    parameters: plan.parameters.map((p) => ({ path: p.path, values: [...p.values] })),
    runs: sweep.runs.length,
    runsComplete: sweep.runs.filter((r) => r.result.complete).length,
    deployments: sweep.deployments,
    results: sweep.runs.map((r) => ({
      run: r.index,
      parameters: Object.fromEntries(plan.parameters.map((p, i) => [p.path, r.values[i] as SweepValue])),
      deployment: r.deployment,
      complete: r.result.complete,
      error: r.error?.message ?? null,
      summary: r.result.summary,
    })),
  };
}

/** sweep.json's text: two-space indentation, keys in a fixed order, a final newline. */
export function formatSweepJson(result: SweepResultJson): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** sweep.csv's metric columns, after one column per varied path. */
const CSV_COLUMNS: readonly [string, (f: SweepFigures) => string][] = [
  ["recorded_bad_debt_usd", (f) => f.recordedBadDebtUsd],
  // Schema 1's absorbed_by_reserves_usd and socialized_to_suppliers_usd: one column per absorber instead.
  ...LOSS_ABSORBERS.map((by): [string, (f: SweepFigures) => string] => [`absorbed_${snakeCase(by)}_usd`, (f) => f.absorbedUsd[by]]),
  ["unabsorbed_usd", (f) => f.unabsorbedUsd],
  ["latent_bad_debt_market_usd", (f) => f.latentBadDebtMarketUsd],
  ["total_bad_debt_usd", (f) => f.totalBadDebtUsd],
  ["liquidations", (f) => String(f.liquidations)],
  ["debt_repaid_usd", (f) => f.debtRepaidUsd],
  ["delay_p50_blocks", (f) => optional(f.delayP50Blocks)],
  ["delay_p95_blocks", (f) => optional(f.delayP95Blocks)],
  ["delay_max_blocks", (f) => optional(f.delayMaxBlocks)],
  ["episodes_never_liquidated", (f) => String(f.episodesNeverLiquidated)],
  ["cascade_depth", (f) => String(f.cascadeDepth)],
  ["failed_attempts", (f) => String(f.failedAttempts)],
];

function optional(value: number | null): string {
  return value === null ? "" : String(value);
}

/**
 * A group's sweep.csv columns, headed by its column name (./sweepGroups.ts): its loss (USD, % of what it
 * put in), and a perp trader's `lost` and `owed` as result.json has them (its collateral's native units).
 */
function groupCsvColumns(result: SweepResultJson, name: string): { header: string[]; cells: (run: SweepRunJson) => string[] } {
  const trader = result.results.some((r) => sweepGroup(r, name)?.kind === "traders");
  const suffixes = trader ? ["loss_usd", "loss_pct", "lost", "owed"] : ["loss_usd", "loss_pct"];
  return {
    header: suffixes.map((suffix) => `${name}_${suffix}`),
    cells: (run) => {
      const group = sweepGroup(run, name);
      const loss = [group?.lossUsd ?? "", group?.lossPct ?? ""];
      return trader ? [...loss, group?.lost ?? "", group?.owed ?? ""] : loss;
    },
  };
}

/** sweep.csv's text: a header, then one row per run in run order; "\n" line ends, the last line too. */
export function formatSweepCsv(result: SweepResultJson): string {
  const groups = sweepGroups(result.results).map((name) => groupCsvColumns(result, name));
  const header = [
    ...result.parameters.map((p) => p.path),
    ...CSV_COLUMNS.map(([name]) => name),
    ...groups.flatMap((g) => g.header),
    "complete",
  ];
  const rows = result.results.map((r) => {
    const figures = sweepFigures(r.summary);
    return [
      ...result.parameters.map((p) => valueText(r.parameters[p.path] as SweepValue)),
      ...CSV_COLUMNS.map(([, cell]) => cell(figures)),
      ...groups.flatMap((g) => g.cells(r)),
      String(r.complete),
    ];
  });
  return [header, ...rows].map((fields) => `${fields.map(csvField).join(",")}\n`).join("");
}

/** A group's loss for reading, percent to 2 places: "$324,013.37 (150.29%)", "-" when the run has no such group. */
function groupLossText(group: GroupOutcomeJson | undefined): string {
  if (group === undefined) return "-";
  const pct = group.lossPct === null ? "" : ` (${new Decimal(group.lossPct).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2)}%)`;
  return `${formatUsdForDisplay(group.lossUsd)}${pct}`;
}

/** A runs-table column for a part of the recorded bad debt: an absorber's, or the part nobody took. */
export interface SweepLossColumn {
  part: LossAbsorber | "unabsorbed";
  label: string;
  /** USD, result.json's text. */
  figure: (f: SweepFigures) => string;
}

/**
 * The parts of the recorded bad debt the runs table shows, in LOSS_ABSORBERS order then the part nobody
 * took: reserves' and suppliers' always (the columns a lending sweep always had), any other when some run
 * has it above zero (Aave's deficit, a perp venue's insurance fund, auto-deleveraging, ...). The columns
 * shown add up to the recorded bad debt.
 */
export function sweepLossColumns(result: SweepResultJson): SweepLossColumn[] {
  const figures = result.results.map((r) => sweepFigures(r.summary));
  const columns: SweepLossColumn[] = [
    ...LOSS_ABSORBERS.map((by): SweepLossColumn => ({ part: by, label: ABSORBED_LABELS[by], figure: (f) => f.absorbedUsd[by] })),
    { part: "unabsorbed", label: UNABSORBED_LABEL, figure: (f) => f.unabsorbedUsd },
  ];
  const always = (part: SweepLossColumn["part"]): boolean => part === "reserves" || part === "suppliers";
  return columns.filter((c) => always(c.part) || figures.some((f) => !new Decimal(c.figure(f)).isZero()));
}

/** The runs table's text cells (the terminal table and sweep.html): a heading row, one row per run. */
export function sweepTableCells(result: SweepResultJson): { heading: string[]; body: string[][] } {
  const delay = (value: number | null): string => (value === null ? "-" : String(value));
  const groups = sweepGroups(result.results);
  const losses = sweepLossColumns(result);
  return {
    heading: [
      ...result.parameters.map((p) => p.path),
      "liquidations",
      "debt repaid",
      "delay p50/p95/max",
      "never liquidated",
      "bad debt recorded",
      ...losses.map((c) => c.label),
      "latent (market)",
      "recorded + latent",
      ...groups.map((g) => `${g} loss`),
      "cascade depth",
      "failed txs",
    ],
    body: result.results.map((r) => {
      const f = sweepFigures(r.summary);
      return [
        ...result.parameters.map((p) => valueText(r.parameters[p.path] as SweepValue)),
        String(f.liquidations),
        formatUsdForDisplay(f.debtRepaidUsd),
        `${delay(f.delayP50Blocks)}/${delay(f.delayP95Blocks)}/${delay(f.delayMaxBlocks)}`,
        `${f.episodesNeverLiquidated} of ${r.summary.episodes.total}`,
        formatUsdForDisplay(f.recordedBadDebtUsd),
        ...losses.map((c) => formatUsdForDisplay(c.figure(f))),
        formatUsdForDisplay(f.latentBadDebtMarketUsd),
        formatUsdForDisplay(f.totalBadDebtUsd),
        ...groups.map((g) => groupLossText(sweepGroup(r, g))),
        String(f.cascadeDepth),
        `${f.failedAttempts}${r.complete ? "" : " INCOMPLETE"}`,
      ];
    }),
  };
}

/** A fixed-width table of the runs, lines joined with "\n" and a final "\n". */
export function formatSweepTable(result: SweepResultJson): string {
  const { heading, body } = sweepTableCells(result);
  const rows = [heading, ...body];
  const widths = heading.map((_, c) => Math.max(...rows.map((cells) => (cells[c] ?? "").length)));
  const render = (cells: string[]): string =>
    cells
      .map((cell, c) => cell.padStart(widths[c] ?? 0))
      .join("  ")
      .trimEnd();
  const tableWidth = widths.reduce((total, w) => total + w, 0) + 2 * (widths.length - 1);
  const varied = result.parameters.map((p) => `${p.path} = ${p.values.map(valueText).join(", ")}`);
  const incomplete = result.runs - result.runsComplete;
  const lines = [
    `scenario  ${result.scenario.name}`,
    `seed      ${result.seed}`,
    `blocks    ${result.blocks}`,
    ...implementationsLines(result.implementations),
    ...varied.map((line, i) => `${i === 0 ? "vary" : "    "}      ${line}`),
    `runs      ${result.runs} (${result.deployments} ${result.deployments === 1 ? "deployment" : "deployments"})`,
    "",
    render(heading),
    "-".repeat(tableWidth),
    ...body.map(render),
    ...(incomplete === 0 ? [] : ["", `INCOMPLETE: ${incomplete} of ${result.runs} runs stopped early`]),
  ];
  return lines.map((line) => `${line}\n`).join("");
}
