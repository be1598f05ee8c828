/**
 * What several runs of one size on one chain add up to (median and range: this machine's timings
 * swing between identical runs, so one run says little), and the reference targets the benchmark
 * exists to check (docs/bench-format.md), each met or not on these medians.
 */
import { REFERENCE_BLOCKS } from "./referenceScenario";
import type { BenchChainKind, BenchGroupSummary, BenchRun, BenchSummary, BenchTarget, Spread } from "./types";

/** A run's set-up plus blocks, seconds; null when set-up did not finish. */
export function endToEndSeconds(run: BenchRun): number | null {
  return run.setupSeconds === null ? null : run.setupSeconds + run.runSeconds;
}

export function spreadOf(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { median: round3(median), min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function numbers(values: readonly (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null);
}

/** One group per (size, chain) in the order first measured. */
export function groupSummaries(runs: readonly BenchRun[]): BenchGroupSummary[] {
  const groups = new Map<string, BenchRun[]>();
  for (const run of runs) {
    const key = `${run.size}/${run.chain}`;
    const list = groups.get(key) ?? [];
    list.push(run);
    groups.set(key, list);
  }
  return [...groups.values()].map((list) => {
    const first = list[0] as BenchRun;
    const done = list.filter((r) => r.complete);
    return {
      size: first.size,
      chain: first.chain,
      runs: list.length,
      complete: done.length,
      endToEndSeconds: spreadOf(numbers(done.map(endToEndSeconds))),
      setupSeconds: spreadOf(numbers(done.map((r) => r.setupSeconds))),
      runSeconds: spreadOf(done.map((r) => r.runSeconds)),
      peakRssMiB: spreadOf(done.map((r) => r.peakRssMiB)),
    };
  });
}

const SMALL = 1_000;
const LARGE = 10_000;

function target(t: Omit<BenchTarget, "met">): BenchTarget {
  const met = t.comparison === "<" ? t.measured < t.limit : t.comparison === "<=" ? t.measured <= t.limit : t.measured >= t.limit;
  return { ...t, measured: round3(t.measured), met };
}

function medianOf(groups: readonly BenchGroupSummary[], size: number, chain: BenchChainKind): { group: BenchGroupSummary; endToEnd: number } | null {
  const group = groups.find((g) => g.size === size && g.chain === chain);
  return group?.endToEndSeconds ? { group, endToEnd: group.endToEndSeconds.median } : null;
}

function runsWord(n: number): string {
  return n === 1 ? "1 run" : `${n} runs`;
}

/**
 * The reference targets: 1,000 borrowers in under 20 s end to end; 10,000 set up in under 60 s, at
 * most 12x the 1,000 run end to end, peak under 2 GiB; in-process at least 3x faster than
 * `npx hardhat node` at every size measured on both. Judged on medians (the peak: on the largest).
 */
export function referenceTargets(groups: readonly BenchGroupSummary[], blocks: number): BenchTarget[] {
  if (blocks !== REFERENCE_BLOCKS) return [];
  const out: BenchTarget[] = [];
  const small = medianOf(groups, SMALL, "in-process");
  const large = medianOf(groups, LARGE, "in-process");
  if (small) {
    out.push(target({ target: "1,000 borrowers in-process, end to end", measured: small.endToEnd, comparison: "<", limit: 20, unit: "s", basis: `median of ${runsWord(small.group.complete)}` }));
  }
  if (large) {
    const setup = large.group.setupSeconds?.median ?? 0;
    out.push(target({ target: "10,000 borrowers in-process, set-up", measured: setup, comparison: "<", limit: 60, unit: "s", basis: `median of ${runsWord(large.group.complete)}` }));
    if (small) {
      out.push(
        target({
          target: "10,000 borrowers end to end / 1,000 borrowers end to end, in-process",
          measured: large.endToEnd / small.endToEnd,
          comparison: "<=",
          limit: 12,
          unit: "x",
          basis: `medians of ${runsWord(large.group.complete)} and ${runsWord(small.group.complete)}`,
        }),
      );
    }
    out.push(
      target({
        target: "10,000 borrowers in-process, peak resident memory",
        measured: large.group.peakRssMiB?.max ?? 0,
        comparison: "<",
        limit: 2048,
        unit: "MiB",
        basis: `largest of ${runsWord(large.group.complete)}`,
      }),
    );
  }
  for (const node of groups) {
    if (node.chain !== "hardhat-node" || node.endToEndSeconds === null) continue;
    const here = medianOf(groups, node.size, "in-process");
    if (!here || here.endToEnd <= 0) continue;
    out.push(
      target({
        target: `${node.size.toLocaleString("en-US")} borrowers: npx hardhat node end to end / in-process end to end`,
        measured: node.endToEndSeconds.median / here.endToEnd,
        comparison: ">=",
        limit: 3,
        unit: "x",
        basis: `medians of ${runsWord(node.complete)} and ${runsWord(here.group.complete)}`,
      }),
    );
  }
  return out;
}

export function benchSummary(runs: readonly BenchRun[], blocks: number): BenchSummary {
  const groups = groupSummaries(runs);
  return { groups, targets: referenceTargets(groups, blocks) };
}
