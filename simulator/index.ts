/**
 * liqsim's library API, for Hardhat tests and scripts:
 *
 *   const scenario = loadScenarioFile("scenarios/price-gap.json");  // or parseScenario(input), input a ScenarioFileInput
 *   const run = await runScenario(scenario);            // in-process Hardhat chain by default
 *   const result = resultOf(run);                       // the result.json content
 *   expect(result.summary.badDebt.recordedUsd).to.not.equal("0");
 */
export { Chain, ChainError, type ChainKind } from "./chain";
export { runScenario, DEFAULT_BASE_FEE_WEI, type RunOptions, type RunOutput } from "./engine/runScenario";
export { buildMarketPaths } from "./engine/marketPath";
export { accountAddress, rebindWorld, WorldMismatchError, type World } from "./world";
export { deployWorld, type DeployWorldOptions } from "./deploy";
export {
  applyOverrides,
  loadScenarioFile,
  parseScenario,
  ScenarioError,
  type ParseScenarioOptions,
  type Scenario,
  type ScenarioFile,
  type ScenarioFileInput,
  type ScenarioIssue,
  type ScenarioOverrides,
} from "./scenario";
export { buildRunResult, formatRunResultJson, formatSummaryTable, summarizeRun, writeRunOutputs, type RunResultJson } from "./report";
export { resultOf, simulate } from "./cli/simulate";
export { montecarlo } from "./cli/montecarlo";
export { runMonteCarlo, pathMarketSeed, NoRandomPathError, MonteCarloWorkerError, type MonteCarloWorkerExit, type RunMonteCarloParameters } from "./batch/monteCarlo";
export { buildMonteCarloResult, formatMonteCarloJson, summarizeMonteCarlo, type MonteCarloResultJson, type MonteCarloPathFigures } from "./report";
export { sweep } from "./cli/sweep";
export { runSweep, type RunSweepParameters, type SweepOutput, type SweepRun } from "./batch/sweep";
export { planSweep, parseVary, MAX_SWEEP_RUNS, SweepInputError, type SweepPlan, type SweepParameter, type SweepVariant } from "./batch/sweepPlan";
export type { SweepValue } from "./report/sweepValue";
export { buildSweepResult, formatSweepCsv, formatSweepJson, formatSweepHtml, formatSweepTable, parameterLabel, type SweepResultJson } from "./report";
export { deployScenarioWorld } from "./cli/deploy";
export type * from "./observe/types";
export * as math from "./math";
