/**
 * Many view calls in one `eth_call`: the project's Multicall (contracts/periphery/Multicall.sol) runs
 * them in order with `staticcall` at the latest block. Its code is put at a fixed address through the
 * call's state override, so nothing is deployed: the chain's state, nonces and blocks stay what the test
 * made them. Each result is decoded as the typechain method itself returns it.
 */
import { AbiCoder, Interface, type BaseContract } from "ethers";
import { artifacts, network } from "hardhat";
import type { Multicall } from "../../typechain-types";
import type { TypedContractMethod } from "../../typechain-types/common";

/** Where the override puts Multicall's code: an address no test deploys to. */
const MULTICALL_ADDRESS = "0x000000000000000000000000000000000000ca11";

/** One view call of a batch, and how to decode what it returns. */
export interface ViewCall<T> {
  label: string;
  target: string;
  data: string;
  decode: (returnData: string) => T;
}

type Returned<R> = R extends [infer Only] ? Only : R;

/** `contract.method(...args)` as one call of a batch. */
export async function viewCall<A extends unknown[], R>(
  contract: BaseContract,
  method: TypedContractMethod<A, R, "view">,
  ...args: A
): Promise<ViewCall<Returned<R>>> {
  const fragment = method.fragment;
  const data = contract.interface.encodeFunctionData(fragment, args);
  const decode = (returnData: string): Returned<R> => {
    const result = AbiCoder.defaultAbiCoder().decode(fragment.outputs, returnData);
    return (fragment.outputs.length === 1 ? result[0] : result) as Returned<R>;
  };
  return { label: fragment.name, target: await contract.getAddress(), data, decode };
}

/** Multicall's runtime code and ABI coder, read from its artifact on first use. */
let multicallCode: { code: string; coder: Multicall["interface"] } | undefined;

/** One call's outcome: its decoded value, or the revert data it returned. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; data: string };

/** Runs `calls` in one `eth_call` and returns each one's outcome, in order (a revert is an outcome, not an error). */
export async function tryMulticall<T extends readonly unknown[]>(calls: { [K in keyof T]: ViewCall<T[K]> }): Promise<{ [K in keyof T]: Outcome<T[K]> }> {
  if (!multicallCode) {
    const artifact = await artifacts.readArtifact("Multicall");
    multicallCode = { code: artifact.deployedBytecode, coder: Interface.from(artifact.abi) as unknown as Multicall["interface"] };
  }
  const { code, coder } = multicallCode;
  const data = coder.encodeFunctionData("tryAggregate", [calls.map((c) => ({ target: c.target, callData: c.data }))]);
  const raw = (await network.provider.send("eth_call", [{ to: MULTICALL_ADDRESS, data }, "latest", { [MULTICALL_ADDRESS]: { code } }])) as string;
  const [, , results] = coder.decodeFunctionResult("tryAggregate", raw);
  return (results as { success: boolean; returnData: string }[]).map((r, i) =>
    r.success ? { ok: true, value: (calls[i] as ViewCall<unknown>).decode(r.returnData) } : { ok: false, data: r.returnData },
  ) as unknown as { [K in keyof T]: Outcome<T[K]> };
}

/** Runs `calls` in one `eth_call` and returns their decoded results, in order; a call that reverts throws, named. */
export async function multicall<T extends readonly unknown[]>(calls: { [K in keyof T]: ViewCall<T[K]> }): Promise<T> {
  const outcomes = (await tryMulticall<T>(calls)) as readonly Outcome<unknown>[];
  return outcomes.map((o, i) => {
    if (o.ok) return o.value;
    const call = calls[i] as ViewCall<unknown>;
    throw new Error(`${call.label} at ${call.target} reverted (data ${o.data})`);
  }) as unknown as T;
}
