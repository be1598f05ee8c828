/**
 * The fuzzer's chain: Hardhat's automining dev network (its EIP-1193 provider), driven with viem. A
 * transaction is sent from an unlocked account the way the toolbox's signers send one: its gas
 * estimated first, so a call that would revert is not mined and its revert data comes back; then sent
 * with that gas, mined at once.
 */
import { createPublicClient, createWalletClient, custom, isHex, type Address, type Hex, type Log } from "viem";
import type { Caller } from "../world/contracts";

/** A transaction that would revert, with the revert data the node returned ("0x" when none). */
export class WouldRevert extends Error {
  constructor(
    readonly data: Hex,
    cause: unknown,
  ) {
    super(`the transaction would revert (data ${data})`, { cause });
    this.name = "WouldRevert";
  }
}

/** An EIP-1193 provider (Hardhat's `network.provider`). */
export interface DevProvider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

export class DevChain implements Caller {
  private readonly client;
  private readonly wallet;

  constructor(private readonly provider: DevProvider) {
    // A revert is an answer here, not a flaky node: no retries (viem retries an internal error 3 times, with backoff).
    const transport = custom(provider, { retryCount: 0 });
    this.client = createPublicClient({ transport });
    this.wallet = createWalletClient({ transport });
  }

  /** The node's unlocked accounts, in its order (Hardhat's default accounts). */
  accounts(): Promise<Address[]> {
    return this.wallet.getAddresses();
  }

  /** The latest block's timestamp, seconds. */
  async latestTimestamp(): Promise<bigint> {
    return (await this.client.getBlock({ blockTag: "latest" })).timestamp;
  }

  async call(to: Address, data: Hex): Promise<Hex> {
    return (await this.client.call({ to, data })).data ?? "0x";
  }

  /** Sends `data` to `to` from `from`; its logs, or `WouldRevert` when the gas estimate reverts. */
  async send(from: Address, to: Address | undefined, data: Hex): Promise<{ logs: Log[]; contractAddress: Address | null }> {
    let gas: bigint;
    try {
      gas = await this.client.estimateGas({ account: from, to, data });
    } catch (e) {
      const revert = revertData(e);
      if (revert === undefined) throw e;
      throw new WouldRevert(revert, e);
    }
    const hash = await this.wallet.sendTransaction({ account: from, to, data, gas, chain: null });
    const receipt = await this.client.getTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted after its gas estimate passed`);
    return { logs: receipt.logs, contractAddress: receipt.contractAddress ?? null };
  }

  /** `send`, failing on a revert (setup transactions). */
  async mustSend(from: Address, to: Address, data: Hex): Promise<Log[]> {
    return (await this.send(from, to, data)).logs;
  }

  /** Deploys `data` from `from`; the new contract's address. */
  async deploy(from: Address, data: Hex): Promise<Address> {
    const { contractAddress } = await this.send(from, undefined, data);
    if (!contractAddress) throw new Error("the deployment created no contract");
    return contractAddress;
  }

  /** A dev-chain method (`evm_snapshot`, `evm_mine`, `eth_getStorageAt`, ...) straight to the node. */
  rpc(method: string, params: unknown[]): Promise<unknown> {
    return this.provider.request({ method, params });
  }
}

/** The revert data an error of the node carries, wherever viem wrapped it (`data`, or `data.data`). */
function revertData(e: unknown): Hex | undefined {
  for (let x: unknown = e; typeof x === "object" && x !== null; x = (x as { cause?: unknown }).cause) {
    const data = (x as { data?: unknown }).data;
    if (isHex(data)) return data;
    if (typeof data === "object" && data !== null && isHex((data as { data?: unknown }).data)) return (data as { data: Hex }).data;
  }
  return undefined;
}
