/**
 * A Monte Carlo worker thread (started by `runMonteCarlo` through monteCarloWorkerEntry.js). Its own
 * `Chain.connect({})` loads a Hardhat runtime for this thread alone, so the in-process chain is its
 * own. It deploys the scenario's world once, snapshots it, and for each path it owns runs the scenario
 * on that world with the path's market seed, posts the path's row, and reverts to the snapshot (a
 * snapshot id works once: a new one is taken after each revert).
 */
import { parentPort, workerData } from "node:worker_threads";
import { Chain, ChainError } from "../chain";
import { deployWorld } from "../world";
import { decodeScenario, pathMarketSeed, pathRow, type MonteCarloWorkerInput, type MonteCarloWorkerMessage } from "./monteCarlo";
import { runScenario } from "./runScenario";

async function main(port: NonNullable<typeof parentPort>): Promise<void> {
  const input = workerData as MonteCarloWorkerInput;
  const scenario = decodeScenario(input.scenario);
  const chain = await Chain.connect({});
  const world = await deployWorld(chain, scenario);
  let snapshot = await chain.snapshot();
  for (const index of input.paths) {
    const marketSeed = pathMarketSeed(input.seed, index);
    const run = await runScenario(scenario, { world, marketSeed });
    const message: MonteCarloWorkerMessage = { type: "path", row: pathRow(index, marketSeed, run) };
    port.postMessage(message);
    await chain.revert(snapshot);
    snapshot = await chain.snapshot();
  }
}

if (parentPort === null) throw new Error("monteCarloWorker.ts runs as a worker thread (see runMonteCarlo)");
const port = parentPort;
main(port).catch((e: unknown) => {
  const message: MonteCarloWorkerMessage = {
    type: "failed",
    chain: e instanceof ChainError,
    message: e instanceof ChainError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e),
  };
  port.postMessage(message);
});
