/**
 * Price paths from CSV files: a header `block,priceUsd`, then one row per block that sets the price,
 * block numbers strictly increasing within 1..blocks, prices in USD (> 0, at most 8 decimals).
 * Blank lines are skipped; cells may be padded with spaces; no quoting.
 */
import { readDecimal, scaleExact } from "./decimals";
import { ScenarioError } from "./errors";
import { readTextFile } from "./textFile";

export interface PricePoint {
  block: number;
  /** USD with 8 decimals. */
  priceE8: bigint;
}

export interface PriceCsvProblem {
  /** 1-based line number in the file; 0 for the file as a whole. */
  line: number;
  message: string;
}

export interface ParsePriceCsvOptions {
  /** The scenario's last block. */
  blocks: number;
}

export type ParsePriceCsvResult = { points: PricePoint[]; problems: PriceCsvProblem[] };

const HEADER = ["block", "priceUsd"] as const;

/** The rows of a price CSV, and every problem found (one per bad line). */
export function parsePriceCsv(text: string, options: ParsePriceCsvOptions): ParsePriceCsvResult {
  const points: PricePoint[] = [];
  const problems: PriceCsvProblem[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let headerSeen = false;
  let previousBlock = 0;
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "") return;
    const cells = raw.split(",").map((cell) => cell.trim());
    if (!headerSeen) {
      headerSeen = true;
      if (cells.length !== HEADER.length || cells.some((cell, i) => cell !== HEADER[i])) {
        problems.push({ line, message: `the header must be "${HEADER.join(",")}"` });
      }
      return;
    }
    if (cells.length !== HEADER.length) {
      problems.push({ line, message: `expected 2 columns (block,priceUsd), found ${cells.length}` });
      return;
    }
    const [blockText = "", priceText = ""] = cells;
    if (!/^\d+$/.test(blockText)) {
      problems.push({ line, message: `block must be an integer, found ${JSON.stringify(blockText)}` });
      return;
    }
    const block = Number(blockText);
    if (block < 1 || block > options.blocks) {
      problems.push({ line, message: `block must be within 1..${options.blocks}, found ${block}` });
      return;
    }
    if (block <= previousBlock) {
      problems.push({ line, message: `block ${block} must be greater than the previous row's block ${previousBlock}` });
      return;
    }
    previousBlock = block;
    const read = readDecimal(priceText);
    if (!read.ok) {
      problems.push({ line, message: `price: ${read.problem}` });
      return;
    }
    if (read.value.lte(0)) {
      problems.push({ line, message: "price must be > 0" });
      return;
    }
    const priceE8 = scaleExact(read.value, 8);
    if (priceE8 === undefined) {
      problems.push({ line, message: "price: at most 8 decimal places" });
      return;
    }
    points.push({ block, priceE8 });
  });
  if (!headerSeen) problems.push({ line: 0, message: `is empty: expected a header "${HEADER.join(",")}" and rows` });
  else if (points.length === 0 && problems.length === 0) problems.push({ line: 0, message: "has no price rows" });
  return { points, problems };
}

/** Reads and parses a price CSV; throws `ScenarioError` (path: the file) on any problem. */
export function readPriceCsv(file: string, options: ParsePriceCsvOptions): PricePoint[] {
  const read = readTextFile(file);
  if (!read.ok) throw new ScenarioError([{ path: file, message: `cannot read: ${read.problem}` }]);
  const { points, problems } = parsePriceCsv(read.text, options);
  if (problems.length > 0) {
    throw new ScenarioError(problems.map((problem) => ({ path: file, message: csvProblemText(problem) })));
  }
  return points;
}

/** "line 7: price must be > 0", or the message alone for the file as a whole. */
export function csvProblemText(problem: PriceCsvProblem): string {
  return problem.line === 0 ? problem.message : `line ${problem.line}: ${problem.message}`;
}
