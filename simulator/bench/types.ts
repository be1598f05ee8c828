/**
 * What `npm run bench` measures and writes to `bench/results.json` (docs/bench-format.md). Seconds are
 * wall-clock seconds, memory is MiB (2^20 bytes); timings describe this machine at this moment, not
 * the simulation, which stays deterministic.
 */

export const BENCH_RESULTS_SCHEMA_VERSION = 1;

/** in-process: Hardhat's network inside the engine's process; hardhat-node: `npx hardhat node`; anvil: Foundry's anvil. */

export const BENCH_CHAIN_KINDS = ["in-process", "hardhat-node", "anvil"] as const;
export type BenchChainKind = (typeof BENCH_CHAIN_KINDS)[number];

/** One benchmark run: the reference scenario with `size` borrowers, `blocks` blocks, on a fresh chain of `chain`. */
export interface BenchRunSpec {
  size: number;
  chain: BenchChainKind;
  blocks: number;
}

export interface RpcMethodFigures {
  /** Calls of the method, those inside batch requests included. */
  calls: number;
  /** Of `calls`, those sent inside a batch request (over HTTP; 0 in-process). */
  batched: number;
  /** Summed durations of the method's calls; a batched call counts its batch's duration divided by the batch's calls. */
  seconds: number;
}

/** Where a phase's time went: waiting for the chain's answers, or everything else (the engine). */
export interface PhaseFigures {
  seconds: number;
  /** Requests sent to the chain: a batch request counts once (Σ calls − Σ batched + rpcBatches). */
  rpcCalls: number;
  /** Of `rpcCalls`, the batch requests (each holding `batched` calls of `rpcByMethod`). */
  rpcBatches: number;
  /** Wall time with at least one RPC request outstanding. */
  chainSeconds: number;
  /** seconds - chainSeconds. */
  engineSeconds: number;
  /** Per JSON-RPC method, the most expensive first. */
  rpcByMethod: Record<string, RpcMethodFigures>;
}

export interface BlockPhaseFigures extends PhaseFigures {
  /** rpcCalls / blocks. */
  rpcCallsPerBlock: number;
  /** Time per block, from one block's observation to the next (block 1: from the end of set-up). */
  blockSeconds: { p50: number; p95: number; max: number };
  /** The block that took longest, and its RPC calls. */
  slowestBlock: { block: number; seconds: number; rpcCalls: number } | null;
  /** The RPC calls of the block that made the most. */
  maxRpcCallsInABlock: number;
}

export interface BenchRun {
  size: number;
  chain: BenchChainKind;
  /** Blocks the run was asked to mine. */
  blocksPlanned: number;
  /** `deployWorld` until block 0 is mined; null when set-up did not finish. */
  setupSeconds: number | null;
  /** From the end of set-up to the last block observed. */
  runSeconds: number;
  /** Blocks mined and observed. */
  blocks: number;
  blocksPerSecond: number | null;
  /** The engine's transactions mined in those blocks (agents' and congestion's). */
  transactions: number;
  transactionsPerSecond: number | null;
  /** Set-up and blocks together: rpcCalls, chainSeconds + engineSeconds = setupSeconds + runSeconds. */
  rpcCalls: number;
  chainSeconds: number;
  engineSeconds: number;
  /**
   * The engine process's largest resident set: sampled every 100 ms, and for a run in a process of its
   * own (every run of `npm run bench`) at least the process's high-water mark (`VmHWM`, Linux), which
   * also holds the spikes between samples.
   */
  peakRssMiB: number;
  /** An external node's peak resident set (VmHWM); null in-process. */
  nodePeakRssMiB: number | null;
  complete: boolean;
  error: string | null;
  liquidations: number;
  /** Agent transactions that reverted or were not mined; null when the run was stopped from outside (known only at its end). */
  failedAttempts: number | null;
  /** 1-minute load average when the run started and ended: other work on the machine shows here. */
  loadAverage: { start: number; end: number };
  phases: { setup: PhaseFigures; blocks: BlockPhaseFigures | null };
}

export interface MachineInfo {
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  cpuModel: string;
  totalMemoryMiB: number;
}

export interface BenchResultsJson {
  schemaVersion: typeof BENCH_RESULTS_SCHEMA_VERSION;
  machine: MachineInfo;
  /** What was asked for. */
  sizes: number[];
  chains: BenchChainKind[];
  blocks: number;
  /** Rounds asked for (`--repeat`): every size on every chain once per round. */
  repeat: number;
  /** In the order measured: round 1's runs (sizes, then chains), then round 2's, ... */
  runs: BenchRun[];
  /** Median and range per size and chain, and the reference targets (./summary.ts). */
  summary: BenchSummary;
}

/** Median (the mean of the middle two for an even count), smallest and largest. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface BenchGroupSummary {
  size: number;
  chain: BenchChainKind;
  /** Runs of this size on this chain, and how many completed (the figures are the completed ones'). */
  runs: number;
  complete: number;
  /** Set-up plus the blocks, seconds. */
  endToEndSeconds: Spread | null;
  setupSeconds: Spread | null;
  runSeconds: Spread | null;
  peakRssMiB: Spread | null;
}

export interface BenchTarget {
  /** What is compared with what, in words. */
  target: string;
  /** The figure the target is judged on. */
  measured: number;
  /** `measured` must be below (`<`), at most (`<=`) or at least (`>=`) `limit`. */
  comparison: "<" | "<=" | ">=";
  limit: number;
  unit: "s" | "MiB" | "x";
  met: boolean;
  /** Where the figure comes from (medians of how many runs, or the largest peak). */
  basis: string;
}

export interface BenchSummary {
  groups: BenchGroupSummary[];
  /** Empty unless the runs are of the reference length (300 blocks) and include the sizes a target names. */
  targets: BenchTarget[];
}
