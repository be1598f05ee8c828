export * from "./types";
export { bench, formatDuration, type BenchIo } from "./bench";
export { BENCH_USAGE, DEFAULT_OUT, DEFAULT_SIZES, MAX_REPEAT, QUICK_BLOCKS, QUICK_SIZES, parseBenchArgs, type BenchArgs } from "./args";
export { benchSummary, endToEndSeconds, groupSummaries, referenceTargets, spreadOf } from "./summary";
export { REFERENCE_BLOCKS, REFERENCE_SEED, referenceScenario, referenceScenarioJson, shockWindow, type ReferenceScenarioParameters } from "./referenceScenario";
export { emptyBenchRun, runBenchmark, type RunBenchmarkOptions } from "./runBenchmark";
export { runIsolated, type RunIsolatedOptions } from "./runIsolated";
export { GENESIS_TIMESTAMP, NodeStartError, freePort, processPeakRssMiB, startNode, type RunningNode } from "../chain";
export { benchResultsJson, formatBenchTable, machineInfo, writeBenchResults, type BenchResultsParameters } from "./results";
