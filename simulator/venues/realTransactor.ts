/**
 * How the real protocols' deployment helpers send transactions and read views, so that the same helper
 * serves a test on Hardhat's automining network (`automineTransactor`) and the engine's `Chain`, which
 * mines blocks itself (`chainTransactor`).
 */
import type { Abi, Address, EIP1193Provider, Hex } from "viem";
import type { Chain } from "../chain";
import type { ArgsParam, ContractHandle, FunctionArgs, FunctionName, FunctionResult } from "../world/contracts";

export interface RealReceipt {
  hash: Hex;
  gasUsed: bigint;
  contractAddress: Address | null;
  logs: { address: Address; topics: Hex[]; data: Hex }[];
}

export interface RealTransactor {
  /** The account every transaction is sent from (deployer, admin and owner of what it deploys). */
  readonly from: Address;
  /** Sends one transaction (a creation without `to`) and resolves once it is mined; a revert throws. */
  send(tx: { to?: Address; data: Hex; gas: bigint }): Promise<RealReceipt>;
  /** `eth_call` at the latest block. */
  call(to: Address, data: Hex): Promise<Hex>;
}

/** A transactor over an EIP-1193 provider whose node mines each transaction when it is sent (Hardhat's default). */
export function automineTransactor(provider: EIP1193Provider, from: Address): RealTransactor {
  return {
    from,
    async send(tx) {
      const hash = await provider.request({
        method: "eth_sendTransaction",
        params: [{ from, ...(tx.to ? { to: tx.to } : {}), data: tx.data, gas: `0x${tx.gas.toString(16)}` }],
      });
      const r = await provider.request({ method: "eth_getTransactionReceipt", params: [hash] });
      if (!r) throw new Error(`transaction ${hash} was not mined: the node does not automine`);
      if (r.status !== "0x1") throw new Error(`transaction ${hash} reverted`);
      return {
        hash,
        gasUsed: BigInt(r.gasUsed),
        contractAddress: r.contractAddress ?? null,
        logs: r.logs.map((l) => ({ address: l.address, topics: [...l.topics], data: l.data })),
      };
    },
    async call(to, data) {
      return provider.request({ method: "eth_call", params: [{ to, data }, "latest"] });
    },
  };
}

/**
 * A transactor over the engine's `Chain` (automine off): each transaction is mined alone, in a block at
 * `timestamp()`. `from` must have been set up with `chain.fundAccount`. The fee cap of 1e12 wei per gas
 * is the one the world's set-up transactions use. `before`: made before each send (the world's deployer
 * flushes what it has queued, so the mempool keeps the order of the calls).
 */
export function chainTransactor(chain: Chain, from: Address, timestamp: () => bigint, before?: () => Promise<void>): RealTransactor {
  return {
    from,
    async send(tx) {
      await before?.();
      const sent = await chain.send({ from, ...(tx.to ? { to: tx.to } : {}), data: tx.data, gas: tx.gas, priorityFeeWei: 0n, maxFeeWei: 10n ** 12n });
      const { mined } = await chain.mine(timestamp());
      const receipt = mined.find((r) => r.hash === sent.hash);
      if (!receipt) throw new Error(`transaction ${sent.hash} was not mined`);
      if (receipt.status !== "success") throw new Error(`transaction ${sent.hash} reverted`);
      return receipt;
    },
    call: (to, data) => chain.call(to, data),
  };
}

/** Deploys `data` and returns the new contract's address. */
export async function deployContract(tx: RealTransactor, data: Hex, gas: bigint): Promise<Address> {
  const receipt = await tx.send({ data, gas });
  if (!receipt.contractAddress) throw new Error(`deployment ${receipt.hash} created no contract`);
  return receipt.contractAddress;
}

/** A view of `handle`'s contract read through the transactor's `eth_call`, decoded. */
export async function readView<TAbi extends Abi, F extends FunctionName<TAbi>>(
  tx: RealTransactor,
  handle: ContractHandle<TAbi>,
  functionName: F,
  ...args: ArgsParam<FunctionArgs<TAbi, F>>
): Promise<FunctionResult<TAbi, F>> {
  return handle.read(tx, functionName, ...args);
}
