/**
 * A Monte Carlo worker process (forked by `runMonteCarlo` through monteCarloWorkerEntry.js). Its
 * `Chain.connect({})` loads this process's own Hardhat runtime, so its in-process chain is its own. It
 * receives its input as the first message, deploys the scenario's world once, snapshots it, and for
 * each path it owns runs the scenario on that world with the path's market seed, sends the path's row,
 * and reverts to the snapshot (a snapshot id works once: a new one is taken after each revert).
 */
import { Chain, ChainError } from "../chain";
import { deployWorld } from "../world";
import { decodeScenario, pathMarketSeed, pathRow, type MonteCarloWorkerInput, type MonteCarloWorkerMessage } from "./monteCarlo";
import { runScenario } from "./runScenario";

type Send = (message: MonteCarloWorkerMessage) => void;

async function main(input: MonteCarloWorkerInput, send: Send): Promise<void> {
  const scenario = decodeScenario(input.scenario);
  const chain = await Chain.connect({});
  const world = await deployWorld(chain, scenario);
  let snapshot = await chain.snapshot();
  for (const index of input.paths) {
    const marketSeed = pathMarketSeed(input.seed, index);
    // A path's figures use no failure reasons: its reverted transactions are not replayed.
    const run = await runScenario(scenario, { world, marketSeed, replayReverts: false });
    send({ type: "path", row: pathRow(index, marketSeed, run) });
    await chain.revert(snapshot);
    snapshot = await chain.snapshot();
  }
}

if (process.send === undefined) throw new Error("monteCarloWorker.ts runs in a child process with an IPC channel (see runMonteCarlo)");
const send: Send = process.send.bind(process);
// A terminal's Ctrl-C reaches every process of its group; the parent decides, and stops the workers.
process.on("SIGINT", () => undefined);
// The parent disconnects when it needs nothing more, or when it dies. process.exit skips the teardown
// of Hardhat's engine (EDR), which can abort a process.
process.on("disconnect", () => process.exit(0));
process.once("message", (input: MonteCarloWorkerInput) => {
  main(input, send).catch((e: unknown) => {
    send({
      type: "failed",
      chain: e instanceof ChainError,
      message: e instanceof ChainError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e),
    });
  });
});
