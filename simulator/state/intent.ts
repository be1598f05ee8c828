/**
 * What agents ask for: a transaction intent, which the engine sends in a fixed order (by priority fee)
 * before it mines the block. Venues build them for their keepers and borrowers; what agents see is
 * `MarketView` (./view.ts).
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
  /**
   * A liquidator's sale of the collateral it just seized from this position (for cascade attribution);
   * `earlier`: a sale for a liquidation of the position in an earlier block, by any liquidator (the
   * last one recorded: a perp vault's hedge of what it took over).
   */
  saleOf?: { protocol: string; borrower: Address; earlier?: boolean };
}
