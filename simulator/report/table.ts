/**
 * The terminal summary of a run: a short header, then one row per figure and one column per
 * protocol plus "all". USD is shown with thousands separators and 2 decimals, for reading only;
 * result.json keeps the exact figures. Plain ASCII, no colors, no trailing spaces.
 */
import Decimal from "decimal.js";
import { formatUsdForDisplay } from "./format";
import { allWaterfallLines, type AccountName } from "./waterfallLines";
import { priceGapText, type PriceGapDetail } from "./priceGaps";
import { ABSORBED_LABELS, UNABSORBED_LABEL } from "./lossWords";
import type { LossAbsorber } from "../state";
import type { OverallSummaryJson, ProtocolSummaryJson, RunResultJson } from "./types";

interface Row {
  label: string;
  cell: (summary: ProtocolSummaryJson) => string;
  /** Shown only when some column's figure is not zero (a loss absorber other venues use). */
  figure?: (summary: ProtocolSummaryJson) => string;
}

/** A bad-debt absorber's row; `always`: shown even when zero (the lending absorbers, as schema 1 showed them). */
function absorbedRow(by: LossAbsorber, always: boolean): Row {
  const label = `  ${ABSORBED_LABELS[by]}`;
  const figure = (s: ProtocolSummaryJson) => s.badDebt.absorbedUsd[by];
  return always ? { label, cell: (s) => formatUsdForDisplay(figure(s)) } : { label, cell: (s) => formatUsdForDisplay(figure(s)), figure };
}

const EMPTY = "-";
const GAP = "  ";

const ROWS: readonly (Row | null)[] = [
  { label: "liquidations", cell: (s) => String(s.liquidations.count) },
  { label: "  debt repaid", cell: (s) => formatUsdForDisplay(s.liquidations.debtRepaidUsd) },
  { label: "  liquidator profit", cell: (s) => formatUsdForDisplay(s.liquidations.liquidatorProfitUsd) },
  null,
  { label: "delay p50 (blocks)", cell: (s) => blocks(s.delayBlocks.p50) },
  { label: "delay p95 (blocks)", cell: (s) => blocks(s.delayBlocks.p95) },
  { label: "delay max (blocks)", cell: (s) => blocks(s.delayBlocks.max) },
  { label: "episodes never liquidated", cell: (s) => `${s.episodes.neverLiquidated} of ${s.episodes.total}` },
  null,
  { label: "bad debt recorded", cell: (s) => formatUsdForDisplay(s.badDebt.recordedUsd) },
  absorbedRow("reserves", true),
  absorbedRow("insuranceFund", false),
  absorbedRow("suppliers", true),
  absorbedRow("deficit", false),
  absorbedRow("autoDeleveraged", false),
  absorbedRow("socialized", false),
  absorbedRow("owedByTrader", false),
  { label: `  ${UNABSORBED_LABEL}`, cell: (s) => formatUsdForDisplay(s.badDebt.unabsorbedUsd), figure: (s) => s.badDebt.unabsorbedUsd },
  { label: "latent bad debt (oracle)", cell: (s) => formatUsdForDisplay(s.badDebt.latentOracleUsd) },
  { label: "latent bad debt (market)", cell: (s) => formatUsdForDisplay(s.badDebt.latentMarketUsd) },
  { label: "bad debt, recorded + latent", cell: (s) => formatUsdForDisplay(s.badDebt.totalUsd) },
];

/** A row without `figure` always; one with it when a column's figure is not zero. */
function shown(row: Row, columns: readonly [string, ProtocolSummaryJson][]): boolean {
  const figure = row.figure;
  return figure === undefined || columns.some(([, summary]) => !new Decimal(figure(summary)).isZero());
}

/** The summary table's text cells: a heading row, then body rows (null: a blank line between groups). */
export interface SummaryTableCells {
  heading: string[];
  body: (string[] | null)[];
}

/** One column per protocol plus "all"; cells formatted for reading (the terminal table and report.html). */
export function summaryTableCells(result: RunResultJson): SummaryTableCells {
  const columns: [string, ProtocolSummaryJson][] = [
    ...Object.entries(result.summary.protocols),
    ["all", result.summary],
  ];
  return {
    heading: ["", ...columns.map(([name]) => name)],
    body: ROWS.filter((row) => row === null || shown(row, columns)).map((row) =>
      row === null ? null : [row.label, ...columns.map(([, summary]) => row.cell(summary))],
    ),
  };
}

/**
 * A fixed-width table of `result`'s summary, lines joined with "\n" and a final "\n". With `gaps`
 * (`priceGapDetail` of the run's blocks) the price-gap line gives each gap's sign and source.
 */
export function formatSummaryTable(result: RunResultJson, gaps?: PriceGapDetail, nameOf: AccountName = (a) => a): string {
  const { heading, body } = summaryTableCells(result);
  const widths = heading.map((_, c) =>
    Math.max(...[heading, ...body].map((cells) => (cells === null ? 0 : (cells[c] ?? "").length))),
  );
  const tableWidth = widths.reduce((total, width) => total + width, 0) + GAP.length * (widths.length - 1);
  const render = (cells: string[] | null): string =>
    cells === null
      ? ""
      : cells
          .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
          .join(GAP)
          .trimEnd();

  const lines = [
    `scenario  ${result.scenario.name}`,
    `seed      ${result.seed}`,
    `blocks    ${result.blocksRecorded} of ${result.blocks}${
      result.complete ? "" : "  (INCOMPLETE: the run stopped early)"
    }`,
    "",
    render(heading),
    "-".repeat(tableWidth),
    ...body.map(render),
    "",
    ...summaryFooterLines(result.summary, gaps),
    ...allWaterfallLines(result, nameOf),
  ];
  return lines.map((line) => `${line}\n`).join("");
}

/** The lines under the table: largest price gaps, the cascade, failed agent transactions. */
export function summaryFooterLines(overall: OverallSummaryJson, detail?: PriceGapDetail): string[] {
  return [
    priceGapLine(overall.priceGaps, detail),
    cascadeLine(overall.cascade),
    `failed agent transactions: ${overall.failedAttempts.count}`,
  ];
}

/**
 * The widest gap of each kind of price against the market. With `detail` (from the blocks): push feeds,
 * AMM-read feeds and AMM pools, each with its sign (above or below the market), source and block.
 * Without it, result.json's unsigned figures, which cover push feeds and pools only.
 */
function priceGapLine(gaps: OverallSummaryJson["priceGaps"], detail: PriceGapDetail | undefined): string {
  if (detail === undefined) {
    return `max price gap vs market, either way: push feeds ${bps(gaps.maxOracleVsMarketBps)}; AMM pools ${bps(gaps.maxAmmVsMarketBps)} (AMM-read feeds not counted)`;
  }
  return `max price gap vs market: push feeds ${priceGapText(detail.pushFeeds)}; AMM-read feeds ${priceGapText(detail.ammReadFeeds)}; AMM pools ${priceGapText(detail.ammPools)}`;
}

/** "cascade: depth 3; liquidations per generation 12 / 5 / 2; contagion aave -> morpho 5, morpho -> morpho 2" */
function cascadeLine(cascade: OverallSummaryJson["cascade"]): string {
  if (cascade.depth === 0) return "cascade: no liquidations";
  const links = Object.entries(cascade.contagion).flatMap(([from, row]) => Object.entries(row).map(([to, n]) => `${from} -> ${to} ${n}`));
  const contagion = links.length === 0 ? "none" : links.join(", ");
  return `cascade: depth ${cascade.depth}; liquidations per generation ${cascade.generations.join(" / ")}; contagion ${contagion}`;
}

function blocks(value: number | null): string {
  return value === null ? EMPTY : String(value);
}

function bps(value: string | null): string {
  return value === null ? EMPTY : `${value} bps`;
}
