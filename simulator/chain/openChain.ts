/**
 * The chains a command can be told to run on with `--chain` (`--rpc <url>` names a running node
 * instead): Hardhat's in-process network, or an anvil started for the run on a free port of 127.0.0.1
 * (`startNode`: same chain id, genesis time and hardfork as the in-process network, history pruned),
 * stopped by the chain's `close`.
 */
import { Chain } from "./Chain";
import { startNode, type RunningNode } from "./localNode";

export const CHAIN_CHOICES = ["in-process", "anvil"] as const;
export type ChainChoice = (typeof CHAIN_CHOICES)[number];

/**
 * Connects to `rpcUrl` when given, else to the chain `choice` names (default in-process), starting it
 * if it is an anvil; call `close()` on the result when done.
 */
export async function openChain(options: { chain?: ChainChoice; rpcUrl?: string } = {}): Promise<Chain> {
  if (options.rpcUrl !== undefined) return Chain.connect({ rpcUrl: options.rpcUrl });
  if (options.chain !== "anvil") return Chain.connect({});
  const node = await startNode("anvil");
  try {
    return await Chain.connect({ rpcUrl: node.url, startedAnvil: node });
  } catch (e) {
    await node.stop();
    throw e;
  }
}

/**
 * The node `choice` needs, started here for another process to connect to (a Monte Carlo worker: its
 * `rpcUrl`), or null for in-process (each process has its own). The caller stops it.
 */
export async function startChainNode(choice: ChainChoice): Promise<RunningNode | null> {
  return choice === "anvil" ? startNode("anvil") : null;
}
