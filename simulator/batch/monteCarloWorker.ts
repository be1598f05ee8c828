/**
 * A Monte Carlo worker process (forked by `runMonteCarlo` through monteCarloWorkerEntry.js). Its
 * `Chain.connect({})` loads this process's own Hardhat runtime, so its in-process chain is its own
 * (or it connects to the anvil the parent started for it, `rpcUrl`). It
 * receives its input as the first message, deploys the scenario's world once, snapshots it, and for
 * each path it is given (in the first message, then one message per path as it reports a row) runs the
 * scenario on that world with the path's market seed, sends the path's row, and reverts to the snapshot
 * (a snapshot id works once: a new one is taken after each revert). A queue worker also gives it sweep
 * variants of the deployment it holds (`variant`): each runs on the world as `runSweep` runs it.
 */
import type { Hex } from "viem";
import { Chain, ChainError } from "../chain";
import { deployWorld } from "../deploy";
import { ScenarioError } from "../scenario/errors";
import type { World } from "../world";
import type { Scenario } from "../scenario/types";
import {
  decodeScenario,
  pathMarketSeed,
  pathRow,
  type MonteCarloWorkerInput,
  type MonteCarloWorkerMessage,
  type MonteCarloWorkerMore,
  type SweepVariantInput,
} from "./monteCarlo";
import { sweepRunRow } from "./sweep";
import { runScenario } from "../engine/runScenario";

type Send = (message: MonteCarloWorkerMessage) => void;

interface Session {
  scenario: Scenario;
  seed: bigint;
  chain: Chain;
  world: World;
  snapshot: Hex;
}

async function deploy(input: MonteCarloWorkerInput): Promise<Session> {
  const scenario = decodeScenario(input.scenario);
  const chain = await Chain.connect(input.rpcUrl === undefined ? {} : { rpcUrl: input.rpcUrl });
  const world = await deployWorld(chain, scenario);
  return { scenario, seed: input.seed, chain, world, snapshot: await chain.snapshot() };
}

async function runPaths(session: Session, paths: readonly number[], send: Send): Promise<void> {
  for (const index of paths) {
    const marketSeed = pathMarketSeed(session.seed, index);
    // A path's figures use no failure reasons: its reverted transactions are not replayed.
    const run = await runScenario(session.scenario, { world: session.world, marketSeed, replayReverts: false });
    // The row first: the parent's answer (the next path) travels while the chain goes back.
    send({ type: "path", row: pathRow(index, marketSeed, run) });
    await session.chain.revert(session.snapshot);
    session.snapshot = await session.chain.snapshot();
  }
}

/** Runs a sweep variant on the session's world (its deployment's) as `runSweep` does, sends its row, and reverts. */
async function runVariant(session: Session, input: SweepVariantInput, send: Send): Promise<void> {
  const output = await runScenario(decodeScenario(input.scenario), { world: session.world, check: input.check });
  send({ type: "variant", row: sweepRunRow(input.index, output) });
  await session.chain.revert(session.snapshot);
  session.snapshot = await session.chain.snapshot();
}

if (process.send === undefined) throw new Error("monteCarloWorker.ts runs in a child process with an IPC channel (see runMonteCarlo)");
const send: Send = process.send.bind(process);
// A terminal's Ctrl-C reaches every process of its group; the parent decides, and stops the workers.
process.on("SIGINT", () => undefined);
// The parent disconnects when it needs nothing more, or when it dies. process.exit skips the teardown
// of Hardhat's engine (EDR), which can abort a process.
process.on("disconnect", () => process.exit(0));
// Messages are handled one after the other: the first deploys the world, each runs its paths on it.
let session: Session | undefined;
let work: Promise<void> = Promise.resolve();
process.on("message", (message: MonteCarloWorkerInput | MonteCarloWorkerMore) => {
  work = work
    .then(async () => {
      if (session === undefined) {
        if (!("scenario" in message)) throw new Error("the first message to a Monte Carlo worker must carry the scenario");
        session = await deploy(message);
      }
      if ("paths" in message) await runPaths(session, message.paths, send);
      if ("variant" in message && message.variant !== undefined) await runVariant(session, message.variant, send);
    })
    .catch((e: unknown) => {
      send({
        type: "failed",
        chain: e instanceof ChainError,
        message: e instanceof ChainError || e instanceof ScenarioError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e),
        // A scenario the deployment refuses is bad input: the parent reports its fields as simulate does.
        ...(e instanceof ScenarioError ? { issues: e.issues.map((issue) => ({ ...issue })) } : {}),
      });
    });
});
