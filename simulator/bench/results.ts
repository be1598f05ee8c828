/**
 * `bench/results.json` (docs/bench-format.md) and the table `npm run bench` prints: one row per run,
 * plain ASCII, and a line per run that did not complete saying why.
 */
import { cpus, totalmem } from "node:os";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { writeFlushed } from "../report/write";
import { benchSummary } from "./summary";
import { BENCH_RESULTS_SCHEMA_VERSION, type BenchChainKind, type BenchGroupSummary, type BenchResultsJson, type BenchRun, type BenchTarget, type MachineInfo, type Spread } from "./types";

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? "unknown",
    totalMemoryMiB: Math.round(totalmem() / 2 ** 20),
  };
}

export interface BenchResultsParameters {
  machine: MachineInfo;
  sizes: number[];
  chains: BenchChainKind[];
  blocks: number;
  /** Rounds asked for; 1 when absent. */
  repeat?: number;
  runs: BenchRun[];
}

export function benchResultsJson({ machine, sizes, chains, blocks, repeat = 1, runs }: BenchResultsParameters): BenchResultsJson {
  return { schemaVersion: BENCH_RESULTS_SCHEMA_VERSION, machine, sizes, chains, blocks, repeat, runs, summary: benchSummary(runs, blocks) };
}

/**
 * Writes `results` to `file` atomically: in full to `<file>.tmp`, flushed, then renamed over `file`,
 * so a reader sees the previous results or the new ones, never a part.
 */
export async function writeBenchResults(file: string, results: BenchResultsJson): Promise<void> {
  const tmp = `${file}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFlushed(tmp, `${JSON.stringify(results, null, 2)}\n`);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
}

const EMPTY = "-";

function fixed(value: number | null, digits: number): string {
  if (value === null) return EMPTY;
  const [whole = "0", fraction] = value.toFixed(digits).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

const COLUMNS: { heading: string; cell: (run: BenchRun) => string }[] = [
  { heading: "size", cell: (r) => fixed(r.size, 0) },
  { heading: "chain", cell: (r) => r.chain },
  { heading: "setup s", cell: (r) => fixed(r.setupSeconds, 1) },
  { heading: "run s", cell: (r) => fixed(r.runSeconds, 1) },
  { heading: "blocks", cell: (r) => `${r.blocks}/${r.blocksPlanned}` },
  { heading: "blocks/s", cell: (r) => fixed(r.blocksPerSecond, 2) },
  { heading: "txs", cell: (r) => fixed(r.transactions, 0) },
  { heading: "txs/s", cell: (r) => fixed(r.transactionsPerSecond, 1) },
  { heading: "rpc calls", cell: (r) => fixed(r.rpcCalls, 0) },
  { heading: "chain s", cell: (r) => fixed(r.chainSeconds, 1) },
  { heading: "engine s", cell: (r) => fixed(r.engineSeconds, 1) },
  { heading: "RSS MiB", cell: (r) => fixed(r.peakRssMiB, 0) },
  { heading: "node MiB", cell: (r) => fixed(r.nodePeakRssMiB, 0) },
  { heading: "complete", cell: (r) => (r.complete ? "yes" : "NO") },
];

/** The runs as a fixed-width table (size and chain left-aligned, figures right-aligned), then why incomplete runs stopped. */
export function formatBenchTable(results: BenchResultsJson): string {
  const rows = [COLUMNS.map((c) => c.heading), ...results.runs.map((run) => COLUMNS.map((c) => c.cell(run)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length)));
  const render = (row: string[]) =>
    row
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const [heading = [], ...body] = rows;
  const m = results.machine;
  const lines = [
    `machine  ${m.cpus} x ${m.cpuModel}, ${fixed(m.totalMemoryMiB, 0)} MiB, node ${m.node} (${m.platform}-${m.arch})`,
    `blocks   ${results.blocks} per run`,
    "",
    render(heading),
    "-".repeat(widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1)),
    ...body.map(render),
  ];
  const failed = results.runs.filter((r) => !r.complete);
  if (failed.length > 0) lines.push("", ...failed.map((r) => `${r.size} on ${r.chain}: ${r.error ?? "did not complete"}`));
  const { groups, targets } = results.summary;
  if (groups.some((g) => g.runs > 1)) lines.push("", "median (smallest-largest) of the completed runs", ...groups.map(groupLine));
  if (targets.length > 0) lines.push("", `targets (the reference world, ${results.blocks} blocks)`, ...targets.map(targetLine));
  return lines.map((line) => `${line}\n`).join("");
}

function spread(s: Spread | null, digits: number, unit: string): string {
  if (s === null) return EMPTY;
  const range = s.min === s.max ? "" : ` (${fixed(s.min, digits)}-${fixed(s.max, digits)})`;
  return `${fixed(s.median, digits)}${unit}${range}`;
}

function groupLine(g: BenchGroupSummary): string {
  const head = `${fixed(g.size, 0)} on ${g.chain}, ${g.complete}/${g.runs} complete:`;
  return `${head} end to end ${spread(g.endToEndSeconds, 1, " s")}, set-up ${spread(g.setupSeconds, 1, " s")}, blocks ${spread(g.runSeconds, 1, " s")}, peak ${spread(g.peakRssMiB, 0, " MiB")}`;
}

function targetLine(t: BenchTarget): string {
  const digits = t.unit === "MiB" ? 0 : t.unit === "x" ? 2 : 1;
  const unit = t.unit === "x" ? "x" : ` ${t.unit}`;
  return `${t.met ? "met    " : "NOT MET"}  ${t.target}: ${fixed(t.measured, digits)}${unit}, needs ${t.comparison} ${fixed(t.limit, 0)}${unit} (${t.basis})`;
}
