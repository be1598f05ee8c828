/**
 * Why a block's transactions reverted: each is replayed from its own sender on the state after the
 * block (competition shows there: a rival took the position first), and the revert data is decoded
 * with the world's ABIs.
 *
 * All the replays of a block go in one `eth_call` (or a few, within REPLAY_CALL_GAS): the call lends
 * `ReplayProbe`'s code to every sender's address and to REPLAY_ADDRESS by state override; each replay
 * runs from the sender's address and is rolled back before the next (contracts/periphery/ReplayProbe.sol).
 * One `eth_call` per reverted transaction cost a round trip and the node's error handling each: in a
 * crash, thousands per run.
 */
import { decodeErrorResult, type Abi, type Address, type Hex } from "viem";
import type { TxIntent } from "../state";
import { ChainError, isNodeUnreachable } from "../chain";
import { ContractHandle, projectArtifact, protocolContract, type ProjectAbi, type World } from "../world";

/** Where the batch runs (no account of a world: deployments and agents get other addresses). */
export const REPLAY_ADDRESS: Address = "0x0000000000000000000000000000000052455052";
/**
 * Gas of one replay `eth_call` at most; the replays of a block are split to stay under it (nodes cap a
 * call's gas: Hardhat 2.29 at 2^24, EIP-7825's per-transaction cap).
 */
export const REPLAY_CALL_GAS = 16_000_000n;
/** The batch's own gas per replay (the call, the copy of the outcome), on top of the replay's gas. */
const REPLAY_OVERHEAD_GAS = 50_000n;

export const SUCCEEDS_AFTER_BLOCK = "reverted in its block (succeeds on the state after it)";

/** Selectors of Solidity's `Error(string)` (a `require` with a message) and `Panic(uint256)`. */
const ERROR_STRING_SELECTOR = "0x08c379a0";
const PANIC_SELECTOR = "0x4e487b71";

/** Revert reasons found so far per world, by error selector (decoding hashes every error of every ABI). */
const revertNames = new WeakMap<World, Map<string, string>>();

/**
 * The reason each of `intents` (transactions that reverted in the block just mined) reverts on the
 * state after it: `reverted: <error name>` (or a `require`'s message, or `Panic(<code>)`), `reverted` (no
 * data, or none the world's ABIs know), or
 * SUCCEEDS_AFTER_BLOCK.
 */
export async function revertReasons(world: World, intents: readonly TxIntent[]): Promise<string[]> {
  const artifact = projectArtifact("ReplayProbe");
  const code = artifact.deployedBytecode;
  // The probe runs as code put at REPLAY_ADDRESS (and at each sender) for the call.
  const probe = new ContractHandle(REPLAY_ADDRESS, artifact.abi);
  if (!code) throw new Error("internal: ReplayProbe has no deployed bytecode (run `npx hardhat compile`)");
  const reasons: string[] = [];
  for (let start = 0; start < intents.length; ) {
    let gas = 0n;
    let end = start;
    // At least one replay per call; more while they fit.
    while (end < intents.length && (end === start || gas + (intents[end]?.gas ?? 0n) + REPLAY_OVERHEAD_GAS <= REPLAY_CALL_GAS)) {
      gas += (intents[end]?.gas ?? 0n) + REPLAY_OVERHEAD_GAS;
      end++;
    }
    const chunk = intents.slice(start, end);
    const overrides = new Map<Address, Hex>([[REPLAY_ADDRESS, code]]);
    for (const intent of chunk) overrides.set(intent.from, code);
    const data = probe.encode("replayAll", [chunk.map((i) => ({ sender: i.from, target: i.to, data: i.data, gas: i.gas }))]);
    let returned: Hex;
    try {
      returned = await world.chain.callWithCode(REPLAY_ADDRESS, data, gas + REPLAY_OVERHEAD_GAS, overrides);
    } catch (e) {
      // A chain failure, like any other RPC's: the run stops and says so.
      if (isNodeUnreachable(e) || e instanceof ChainError) throw e;
      throw new ChainError(`replaying ${chunk.length} reverted transactions failed`, e);
    }
    const outputs = probe.decode("replayAll", returned);
    for (const output of outputs) reasons.push(reasonOf(world, output, probe.abi));
    start = end;
  }
  return reasons;
}

/** A probe's output: its `Outcome`, or (the probe itself failed, e.g. out of gas) a plain revert. */
function reasonOf(world: World, output: Hex, probeAbi: ProjectAbi<"ReplayProbe">): string {
  let success = false;
  let returnData: Hex = "0x";
  try {
    const outcome = decodeErrorResult({ abi: probeAbi, data: output });
    if (outcome.errorName === "Outcome") [success, returnData] = outcome.args;
  } catch {
    // not an Outcome: the probe did not get to report
  }
  if (success) return SUCCEEDS_AFTER_BLOCK;
  if (returnData.length < 10) return "reverted";
  const known = revertNames.get(world) ?? new Map<string, string>();
  revertNames.set(world, known);
  // A custom error's name is its selector's; `Error(string)` and `Panic(uint256)` say more in their data.
  const selector = returnData.slice(0, 10);
  const key = selector === ERROR_STRING_SELECTOR || selector === PANIC_SELECTOR ? returnData : selector;
  const cached = known.get(key);
  if (cached !== undefined) return cached;
  const reason = decodedRevert(world, returnData);
  known.set(key, reason);
  return reason;
}

/**
 * `reverted: <error name>` from the first of the world's ABIs (its protocols', periphery's and tokens')
 * that decodes `data`; for a `require` with a message (Uniswap V2's pair), `reverted: <message>`; for a
 * panic, `reverted: Panic(<code>)`; else `reverted`.
 */
function decodedRevert(world: World, data: Hex): string {
  const abis: Abi[] = [...world.protocols.values()].map((p) => protocolContract(p).abi);
  for (const l of world.liquidators) for (const atomic of [l.atomic, l.morphoAtomic, l.aaveAtomic]) if (atomic) abis.push(atomic.abi);
  for (const l of world.loopers.slice(0, 1)) abis.push(l.vault.abi);
  abis.push(world.swapHelper.abi);
  const token = world.assets.values().next().value?.token;
  if (token) abis.push(token.abi);
  for (const abi of abis) {
    try {
      const error = decodeErrorResult({ abi, data });
      if (error.errorName === "Error") return `reverted: ${String(error.args?.[0])}`;
      const code = error.args?.[0];
      if (error.errorName === "Panic" && typeof code === "bigint") return `reverted: Panic(0x${code.toString(16)})`;
      return `reverted: ${error.errorName}`;
    } catch {
      // try the next ABI
    }
  }
  return "reverted";
}
