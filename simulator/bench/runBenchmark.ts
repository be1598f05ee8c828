/**
 * One benchmark run in this process: connects to the chain, runs the reference scenario with
 * `runScenario` exactly as `npm run simulate` does, and measures it from outside the engine:
 *
 * - set-up ends when block 0 is mined: the last `Chain.mine` before block 1's (a large world mines
 *   several set-up blocks at block 0's time; if the run stops before block 1, the last one at the
 *   world's start time);
 * - the chain's share of a phase is `Chain.stats` (wall time with an RPC request outstanding), the
 *   engine's is the rest;
 * - this process's resident set is sampled every 100 ms; in a process of its own (./benchWorker.ts) the
 *   kernel's high-water mark (`VmHWM`) is taken too, which also holds spikes between two samples (a
 *   crowded block's traces come and go within one `evm_mine`).
 */
import { loadavg } from "node:os";
import { Chain, type ChainStats, type MethodStats } from "../chain";
import { runScenario } from "../engine/runScenario";
import { nearestRank } from "../report/summarize";
import { processPeakRssMiB } from "../chain";
import type { Scenario } from "../scenario";
import { referenceScenario } from "./referenceScenario";
import type { BenchRun, BenchRunSpec, BlockPhaseFigures, PhaseFigures, RpcMethodFigures } from "./types";

const MIB = 2 ** 20;
const RSS_SAMPLE_MS = 100;
const DEFAULT_PROGRESS_MS = 5_000;

export interface RunBenchmarkOptions {
  /** The node's JSON-RPC URL; Hardhat's in-process network when absent. */
  rpcUrl?: string;
  /** Called with the figures so far (`complete: false`) after every mined block and every `progressMs` meanwhile. */
  onProgress?: (run: BenchRun) => void;
  /** Default 5,000. */
  progressMs?: number;
  /**
   * This process runs nothing but this benchmark: its whole-life peak (`VmHWM`, where /proc exists)
   * counts as the run's. Off by default (a test process has run other things before).
   */
  processPeak?: boolean;
}

/** Chain counters at one moment. */
interface StatsPoint {
  atMs: number;
  rpcCalls: number;
  batches: number;
  rpcMs: number;
  byMethod: Map<string, MethodStats>;
}

function pointOf(stats: ChainStats): StatsPoint {
  return {
    atMs: performance.now(),
    rpcCalls: stats.rpcCalls,
    batches: stats.batches,
    rpcMs: stats.rpcMs,
    byMethod: new Map([...stats.byMethod].map(([method, m]) => [method, { ...m }])),
  };
}

export function roundTo(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function phaseBetween(from: StatsPoint, to: StatsPoint): PhaseFigures {
  const seconds = (to.atMs - from.atMs) / 1000;
  const chainSeconds = (to.rpcMs - from.rpcMs) / 1000;
  const methods: [string, RpcMethodFigures][] = [];
  for (const [method, m] of to.byMethod) {
    const before = from.byMethod.get(method) ?? { calls: 0, batched: 0, ms: 0 };
    if (m.calls > before.calls) {
      methods.push([method, { calls: m.calls - before.calls, batched: m.batched - before.batched, seconds: roundTo((m.ms - before.ms) / 1000, 3) }]);
    }
  }
  methods.sort(([a, x], [b, y]) => y.seconds - x.seconds || (a < b ? -1 : 1));
  return {
    seconds: roundTo(seconds, 3),
    rpcCalls: to.rpcCalls - from.rpcCalls,
    rpcBatches: to.batches - from.batches,
    chainSeconds: roundTo(chainSeconds, 3),
    engineSeconds: roundTo(seconds - chainSeconds, 3),
    rpcByMethod: Object.fromEntries(methods),
  };
}

/** The largest resident set of this process, sampled every 100 ms while running (and its `VmHWM` with `processPeak`). */
class PeakRssSampler {
  private peakBytes = process.memoryUsage.rss();
  private readonly timer = setInterval(() => this.sample(), RSS_SAMPLE_MS);

  constructor(private readonly processPeak = false) {
    this.timer.unref();
  }

  sample(): number {
    this.peakBytes = Math.max(this.peakBytes, process.memoryUsage.rss());
    const whole = this.processPeak ? (processPeakRssMiB(process.pid) ?? 0) : 0;
    return Math.max(this.peakBytes / MIB, whole);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A run that measured nothing (it failed before the chain answered), with its `error`. */
export function emptyBenchRun(spec: BenchRunSpec, error: string): BenchRun {
  return {
    size: spec.size,
    chain: spec.chain,
    blocksPlanned: spec.blocks,
    setupSeconds: null,
    runSeconds: 0,
    blocks: 0,
    blocksPerSecond: null,
    transactions: 0,
    transactionsPerSecond: null,
    rpcCalls: 0,
    chainSeconds: 0,
    engineSeconds: 0,
    peakRssMiB: 0,
    nodePeakRssMiB: null,
    complete: false,
    error,
    liquidations: 0,
    failedAttempts: null,
    loadAverage: { start: 0, end: 0 },
    phases: { setup: { seconds: 0, rpcCalls: 0, rpcBatches: 0, chainSeconds: 0, engineSeconds: 0, rpcByMethod: {} }, blocks: null },
  };
}

/** What a run has observed so far; `figuresOf` turns it into a `BenchRun` at any moment. */
interface RunTally {
  start: StatsPoint;
  /** The chain's counters when block 0 was mined; null until known. */
  setupEnd: StatsPoint | null;
  blockPoints: { block: number; point: StatsPoint }[];
  transactions: number;
  liquidations: number;
  failedAttempts: number | null;
  complete: boolean;
  error: string | null;
}

/** The blocks phase from the end of set-up to `end`, with the spread of the blocks' wall times. */
function blocksPhase(setupAt: StatsPoint, blockPoints: RunTally["blockPoints"], end: StatsPoint): BlockPhaseFigures {
  const perBlock = blockPoints.map(({ block, point }, i) => {
    const previous = blockPoints[i - 1]?.point ?? setupAt;
    return { block, seconds: (point.atMs - previous.atMs) / 1000, rpcCalls: point.rpcCalls - previous.rpcCalls };
  });
  const seconds = perBlock.map((b) => b.seconds).sort((a, b) => a - b);
  const slowest = perBlock.reduce<(typeof perBlock)[number] | null>((s, b) => (s === null || b.seconds > s.seconds ? b : s), null);
  const phase = phaseBetween(setupAt, end);
  return {
    ...phase,
    rpcCallsPerBlock: blockPoints.length === 0 ? 0 : roundTo(phase.rpcCalls / blockPoints.length, 1),
    blockSeconds: {
      p50: roundTo(nearestRank(seconds, 50) ?? 0, 3),
      p95: roundTo(nearestRank(seconds, 95) ?? 0, 3),
      max: roundTo(seconds[seconds.length - 1] ?? 0, 3),
    },
    slowestBlock: slowest === null ? null : { block: slowest.block, seconds: roundTo(slowest.seconds, 3), rpcCalls: slowest.rpcCalls },
    maxRpcCallsInABlock: Math.max(0, ...perBlock.map((b) => b.rpcCalls)),
  };
}

/** The run's figures with the chain's counters at `now`: while running, the blocks phase ends at `now`. */
function figuresOf(spec: BenchRunSpec, tally: RunTally, now: StatsPoint, rss: PeakRssSampler, loadStart: number): BenchRun {
  const { setupEnd, blockPoints } = tally;
  const setup = phaseBetween(tally.start, setupEnd ?? now);
  const last = blockPoints[blockPoints.length - 1];
  const blocks = setupEnd === null ? null : blocksPhase(setupEnd, blockPoints, tally.complete && last ? last.point : now);
  const runSeconds = blocks?.seconds ?? 0;
  const chainSeconds = setup.chainSeconds + (blocks?.chainSeconds ?? 0);
  const engineSeconds = setup.engineSeconds + (blocks?.engineSeconds ?? 0);
  return {
    size: spec.size,
    chain: spec.chain,
    blocksPlanned: spec.blocks,
    setupSeconds: setupEnd === null ? null : setup.seconds,
    runSeconds,
    blocks: blockPoints.length,
    blocksPerSecond: runSeconds > 0 ? roundTo(blockPoints.length / runSeconds, 2) : null,
    transactions: tally.transactions,
    transactionsPerSecond: runSeconds > 0 ? roundTo(tally.transactions / runSeconds, 2) : null,
    rpcCalls: setup.rpcCalls + (blocks?.rpcCalls ?? 0),
    chainSeconds: roundTo(chainSeconds, 3),
    engineSeconds: roundTo(engineSeconds, 3),
    peakRssMiB: roundTo(rss.sample(), 1),
    nodePeakRssMiB: null,
    complete: tally.complete,
    error: tally.error,
    liquidations: tally.liquidations,
    failedAttempts: tally.failedAttempts,
    loadAverage: { start: roundTo(loadStart, 2), end: roundTo(loadavg()[0] ?? 0, 2) },
    phases: { setup, blocks },
  };
}

/** Wraps `chain.mine` to keep the chain's counters after every mine, with the block's timestamp. */
function recordMines(chain: Chain): { timestamp: bigint; point: StatsPoint }[] {
  const mines: { timestamp: bigint; point: StatsPoint }[] = [];
  const mine = chain.mine.bind(chain);
  chain.mine = async (timestamp) => {
    const mined = await mine(timestamp);
    const point = pointOf(chain.stats);
    mines.push({ timestamp, point });
    return mined;
  };
  return mines;
}

/** Runs the scenario on `chain`, filling `tally` as blocks are mined; `report` after every block. */
async function runMeasured(scenario: Scenario, chain: Chain, tally: RunTally, report: () => void): Promise<void> {
  const mines = recordMines(chain);
  const run = await runScenario(scenario, {
    chain,
    onBlock: (record, l) => {
      // The engine mines once per block: the mine before block 1's ended the set-up (block 0).
      tally.setupEnd ??= mines[mines.length - 2]?.point ?? tally.start;
      tally.blockPoints.push({ block: record.block, point: pointOf(chain.stats) });
      tally.transactions += record.transactions;
      tally.liquidations += l.length;
      report();
    },
  });
  // A run that failed before block 1 may still have finished its set-up: block 0 has the world's start time.
  tally.setupEnd ??= [...mines].reverse().find((m) => m.timestamp === run.world.startTimestamp)?.point ?? null;
  tally.failedAttempts = run.failedAttempts.length;
  tally.complete = run.complete;
  tally.error = run.error ?? null;
}

/** Runs `spec` here and measures it; a failed run is returned with `complete: false` and its error, never thrown. */
export async function runBenchmark(spec: BenchRunSpec, options: RunBenchmarkOptions = {}): Promise<BenchRun> {
  const scenario = referenceScenario({ borrowers: spec.size, blocks: spec.blocks });
  const loadStart = loadavg()[0] ?? 0;
  const rss = new PeakRssSampler(options.processPeak ?? false);
  let chain: Chain;
  try {
    chain = await Chain.connect(options.rpcUrl === undefined ? {} : { rpcUrl: options.rpcUrl });
  } catch (e) {
    rss.stop();
    return { ...emptyBenchRun(spec, errorMessage(e)), peakRssMiB: roundTo(rss.sample(), 1), loadAverage: { start: roundTo(loadStart, 2), end: roundTo(loadavg()[0] ?? 0, 2) } };
  }

  const tally: RunTally = {
    start: pointOf(chain.stats),
    setupEnd: null,
    blockPoints: [],
    transactions: 0,
    liquidations: 0,
    failedAttempts: null,
    complete: false,
    error: null,
  };
  const figures = (): BenchRun => figuresOf(spec, tally, pointOf(chain.stats), rss, loadStart);
  const report = () => options.onProgress?.(figures());
  const ticker = setInterval(report, options.progressMs ?? DEFAULT_PROGRESS_MS);
  ticker.unref();
  try {
    await runMeasured(scenario, chain, tally, report);
  } catch (e) {
    tally.error = errorMessage(e);
  } finally {
    clearInterval(ticker);
    rss.stop();
  }
  return figures();
}
