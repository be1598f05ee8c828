/**
 * One `eth_call` for many views: calls are queued against contract handles, sent together through the
 * world's `Multicall` (`tryAggregate`), and decoded with each handle's ABI. A call that reverts comes
 * back as `{ ok: false }` (a feed made to fail is data); a dead node fails the whole batch.
 */
import type { Address, Hex } from "viem";
import type { Chain } from "../chain";
import type { Abi } from "viem";
import type { ArgsParam, ContractHandle, FunctionArgs, FunctionName, FunctionResult, ProjectHandle } from "./contracts";

/** A queued call's outcome, available after `BatchRead.run`. */
export interface BatchSlot<T> {
  /** The decoded return value, or undefined when the call reverted. */
  value(): T | undefined;
}

export class BatchRead {
  private readonly calls: { target: Address; callData: Hex }[] = [];
  private readonly decoders: ((data: Hex) => unknown)[] = [];
  private results: readonly { success: boolean; returnData: Hex }[] | undefined;
  /** The block the batch saw (set by `run`). */
  blockNumber = 0n;
  blockTimestamp = 0n;

  constructor(
    private readonly chain: Chain,
    private readonly multicall: ProjectHandle<"Multicall">,
  ) {}

  /** Queues `handle.functionName(args)`; its slot holds what the function returns, typed by the handle's ABI. */
  add<TAbi extends Abi, F extends FunctionName<TAbi>>(
    handle: ContractHandle<TAbi>,
    functionName: F,
    ...args: ArgsParam<FunctionArgs<TAbi, F>>
  ): BatchSlot<FunctionResult<TAbi, F>> {
    type T = FunctionResult<TAbi, F>;
    const index = this.calls.length;
    this.calls.push({ target: handle.address, callData: handle.encode(functionName, ...args) });
    this.decoders.push((data) => handle.decode(functionName, data));
    // Decoded once: callers read a slot of many rows row by row.
    let decoded: { value: T | undefined } | undefined;
    return {
      value: () => {
        if (!this.results) throw new Error("internal: batch slot read before the batch ran");
        if (decoded === undefined) {
          const r = this.results[index];
          decoded = { value: r?.success ? (this.decoders[index]?.(r.returnData) as T) : undefined };
        }
        return decoded.value;
      },
    };
  }

  /** Sends every queued call in one `eth_call`. */
  async run(): Promise<void> {
    const [blockNumber, blockTimestamp, results] = await this.multicall.read(this.chain, "tryAggregate", [this.calls]);
    this.blockNumber = blockNumber;
    this.blockTimestamp = blockTimestamp;
    this.results = results;
  }
}
