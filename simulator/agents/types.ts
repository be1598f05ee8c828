/**
 * What agents ask for: transaction intents, which the engine sends in a fixed order before it mines
 * the block. What they see is `MarketView` (simulator/state).
 */
import type { Address, Hex } from "viem";

export interface TxIntent {
  /** Agent name, e.g. "fast#0" or "keeper:WETH". */
  agent: string;
  /** What the transaction does, for logs and failed-attempt records. */
  action: string;
  from: Address;
  to: Address;
  data: Hex;
  gas: bigint;
  priorityFeeWei: bigint;
  /** A liquidator's sale of the collateral it just seized from this position (for cascade attribution). */
  saleOf?: { protocol: string; borrower: Address };
}
