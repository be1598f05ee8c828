/**
 * How the real protocols' deployment helpers send transactions and read views, so that the same helper
 * serves a test on Hardhat's automining network and, later, the engine's `Chain` (which mines blocks
 * itself) through an implementation of its own.
 */
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import type { Abi, Address, EIP1193Provider, Hex } from "viem";
import type { ContractHandle } from "../world/contracts";

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

/** Deploys `data` and returns the new contract's address. */
export async function deployContract(tx: RealTransactor, data: Hex, gas: bigint): Promise<Address> {
  const receipt = await tx.send({ data, gas });
  if (!receipt.contractAddress) throw new Error(`deployment ${receipt.hash} created no contract`);
  return receipt.contractAddress;
}

const ROOT = path.resolve(__dirname, "..", "..");

/** One of liqsim's adapter contracts for the real protocols (`contracts/adapters/`, built by `npx hardhat compile`). */
export function adapterArtifact(name: "AaveLatestAnswerFeed" | "MorphoUsdFeedsOracle" | "MorphoKinkedRateIrm"): { abi: Abi; bytecode: Hex } {
  const file = path.join(ROOT, "artifacts", "contracts", "adapters", `${name}.sol`, `${name}.json`);
  if (!existsSync(file)) throw new Error(`missing compiled contract ${file}: run \`npx hardhat compile\``);
  const json = JSON.parse(readFileSync(file, "utf8")) as { abi: Abi; bytecode: Hex };
  return { abi: json.abi, bytecode: json.bytecode };
}

/** A view of `handle`'s contract read through the transactor's `eth_call`, decoded. */
export async function readView<T>(tx: RealTransactor, handle: ContractHandle, functionName: string, args: readonly unknown[] = []): Promise<T> {
  return handle.decode<T>(functionName, await tx.call(handle.address, handle.encode(functionName, args)));
}
