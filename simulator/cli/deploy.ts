/**
 * `npm run deploy -- <scenario.json> --rpc <url> [--out <file>]`: deploys a scenario's world (tokens,
 * feeds, pools, AMM pairs, agents' funded accounts and open positions, as at block 0) to a running
 * node, and writes every address as JSON, so users can poke at it with viem, cast or a wallet.
 * Exit codes as `simulate`: 2 for bad input, 3 when the node fails.
 */
import { writeFileSync, renameSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { Chain, ChainError } from "../chain";
import { ScenarioError, loadScenarioFile } from "../scenario";
import { venueOf } from "../venues";
import { deployWorld, type World } from "../world";
import { UsageError } from "./errors";

export const DEPLOY_USAGE = "usage: npm run deploy -- <scenario.json> --rpc <url> [--out <addresses.json>]";

export function worldAddresses(world: World): Record<string, unknown> {
  return {
    schemaVersion: 1,
    scenario: world.scenario.name,
    chainId: world.chain.chainId,
    startTimestamp: world.startTimestamp.toString(),
    deployer: world.deployer,
    lens: world.lens.address,
    isolatedLens: world.isolatedLens.address,
    multicall: world.multicall.address,
    swapHelper: world.swapHelper.address,
    assets: Object.fromEntries([...world.assets].map(([s, a]) => [s, { token: a.token.address, feed: a.feed.address, decimals: a.spec.decimals }])),
    protocols: Object.fromEntries(
      [...world.protocols].map(([n, p]) => [n, venueOf(p.kind).addresses(p)]),
    ),
    oracles: Object.fromEntries([...world.oracles].map(([n, o]) => [n, { type: o.spec.type, feed: o.feed.address, amm: o.spec.amm, asset: o.spec.asset }])),
    amms: Object.fromEntries([...world.amms].map(([n, a]) => [n, { pair: a.pair.address, token0: a.token0, token1: a.token1 }])),
    borrowers: world.borrowers.map((b) => ({ address: b.address, group: b.group.name, defensive: b.defensive })),
    liquidators: world.liquidators.map((l) => ({ name: l.name, address: l.address, ...(l.atomic ? { atomicLiquidator: l.atomic.address } : {}) })),
    arbitrageurs: world.arbitrageurs.map((a) => ({ name: a.name, address: a.address })),
    loopers: world.loopers.map((l) => ({ name: l.name, owner: l.address, vault: l.vault.address, legs: l.spec.legs })),
  };
}

/** Deploys `scenario`'s world on `chain` and leaves the node mining on every transaction. */
export async function deployScenarioWorld(chain: Chain, scenarioFile: string): Promise<World> {
  const world = await deployWorld(chain, loadScenarioFile(scenarioFile));
  await chain.setAutomine(true);
  return world;
}

export async function deploy(argv: string[], io: { cwd: string; stdout: { write(t: string): unknown }; stderr: { write(t: string): unknown } }): Promise<number> {
  let file: string;
  let rpc: string;
  let out: string | undefined;
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { rpc: { type: "string" }, out: { type: "string" } } });
    } catch (e) {
      throw new UsageError((e as Error).message.split("\n")[0] ?? "invalid arguments");
    }
    if (parsed.positionals.length !== 1) throw new UsageError("one <scenario.json> expected");
    if (parsed.values.rpc === undefined) throw new UsageError("--rpc: required (deploy targets a running node, e.g. npx hardhat node)");
    if (!/^https?:\/\/\S+$/.test(parsed.values.rpc)) throw new UsageError(`--rpc: must be an http(s) URL, got "${parsed.values.rpc}"`);
    file = path.resolve(io.cwd, parsed.positionals[0] as string);
    rpc = parsed.values.rpc;
    out = parsed.values.out;
    loadScenarioFile(file);
  } catch (e) {
    if (e instanceof UsageError || e instanceof ScenarioError) {
      io.stderr.write(`error: ${e.message}\n${e instanceof UsageError ? `${DEPLOY_USAGE}\n` : ""}`);
      return 2;
    }
    throw e;
  }
  try {
    const chain = await Chain.connect({ rpcUrl: rpc });
    const world = await deployScenarioWorld(chain, file);
    const json = `${JSON.stringify(worldAddresses(world), null, 2)}\n`;
    if (out === undefined) io.stdout.write(json);
    else {
      const target = path.resolve(io.cwd, out);
      writeFileSync(`${target}.tmp`, json);
      renameSync(`${target}.tmp`, target);
      io.stdout.write(`deployed ${world.scenario.name} to ${rpc} (chain ${chain.chainId}); addresses in ${path.relative(io.cwd, target)}\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof ChainError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 3;
    }
    throw e;
  }
}
