/**
 * `npm run deploy -- <scenario.json> --rpc <url> [--out <file>] [--force]`: deploys a scenario's world
 * (tokens, feeds, pools, AMM pairs, agents' funded accounts and open positions, as at block 0) to a
 * running node, and writes every address as JSON (docs/deploy-format.md), so users can poke at it with
 * viem, cast or a wallet. Without `--out` the JSON is all that goes to stdout.
 *
 * A node that already holds a liqsim world (its deployer has sent transactions) is refused unless
 * `--force`: a second deploy would silently make a second world beside the first.
 * Exit codes as `simulate`: 2 for bad input (and a node already deployed to), 3 when the node fails.
 */
import { writeFileSync, renameSync } from "node:fs";
import path from "node:path";
import type { Hex } from "viem";
import { Chain, ChainError } from "../chain";
import { ScenarioError, loadScenarioFile } from "../scenario";
import { deployWorld } from "../deploy";
import { accountAddress, type World } from "../world";
import { readArgs, rpcArg, scenarioWarningsText } from "./args";
import { worldAddresses } from "./deployAddresses";
import { UsageError } from "./errors";

export { worldAddresses } from "./deployAddresses";

export const DEPLOY_USAGE = "usage: npm run deploy -- <scenario.json> --rpc <url> [--out <addresses.json>] [--force]";

interface DeployArgs {
  file: string;
  rpc: string;
  out: string | undefined;
  force: boolean;
}

function parseDeployArgs(argv: string[], cwd: string): DeployArgs {
  const { values, positionals } = readArgs(argv, { rpc: { type: "string" }, out: { type: "string" }, force: { type: "boolean", default: false } });
  if (positionals.length !== 1) throw new UsageError("one <scenario.json> expected");
  if (values.rpc === undefined) throw new UsageError("--rpc: required (deploy targets a running node, e.g. anvil or npx hardhat node)");
  const rpc = rpcArg(values.rpc) as string;
  if (values.out !== undefined && values.out.trim() === "") throw new UsageError("--out: must not be empty");
  return { file: path.resolve(cwd, positionals[0] as string), rpc, out: values.out, force: values.force ?? false };
}

/**
 * Why deploying to this node would make a second world (its deployer has sent transactions), or null
 * when it holds none.
 */
async function existingWorld(chain: Chain): Promise<string | null> {
  const deployer = accountAddress("deployer");
  const sent = BigInt(await chain.rpc<Hex>("eth_getTransactionCount", [deployer, "latest"]));
  return sent === 0n ? null : `the node already holds a liqsim world (its deployer ${deployer} has sent ${sent} transactions)`;
}

/** Deploys `scenario`'s world on `chain` and leaves the node mining on every transaction. */
export async function deployScenarioWorld(chain: Chain, scenarioFile: string): Promise<World> {
  const world = await deployWorld(chain, loadScenarioFile(scenarioFile));
  await chain.setAutomine(true);
  return world;
}

export async function deploy(argv: string[], io: { cwd: string; stdout: { write(t: string): unknown }; stderr: { write(t: string): unknown } }): Promise<number> {
  let args: DeployArgs;
  try {
    args = parseDeployArgs(argv, io.cwd);
    io.stderr.write(scenarioWarningsText(loadScenarioFile(args.file)));
  } catch (e) {
    if (e instanceof UsageError || e instanceof ScenarioError) {
      io.stderr.write(`error: ${e.message}\n${e instanceof UsageError ? `${DEPLOY_USAGE}\n` : ""}`);
      return 2;
    }
    throw e;
  }
  try {
    const chain = await Chain.connect({ rpcUrl: args.rpc });
    const existing = args.force ? null : await existingWorld(chain);
    if (existing !== null) {
      io.stderr.write(`error: ${existing} at ${args.rpc}: restart the node, or pass --force to deploy a second world beside it\n`);
      return 2;
    }
    const world = await deployScenarioWorld(chain, args.file);
    const startBlock = (await chain.latestBlock()).number;
    const json = `${JSON.stringify(worldAddresses(world, startBlock), null, 2)}\n`;
    if (args.out === undefined) io.stdout.write(json);
    else {
      const target = path.resolve(io.cwd, args.out);
      writeFileSync(`${target}.tmp`, json);
      renameSync(`${target}.tmp`, target);
      io.stdout.write(`deployed ${world.scenario.name} to ${args.rpc} (chain ${chain.chainId}, block 0 = node block ${startBlock}); addresses in ${path.relative(io.cwd, target)}\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof ChainError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 3;
    }
    // A position the deployment refuses (a perp position its tier does not open): bad input, no addresses file.
    if (e instanceof ScenarioError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
