/**
 * What agents see and what they ask for. Agents act on the state at the end of the previous block
 * (a transaction can only react to mined state) plus the market price of the current block, and
 * return transaction intents; the engine sends them in a fixed order and mines the block.
 */
import type { Address, Hex } from "viem";
import type { ReserveModel, UserAccountData, UserShares } from "../math";

export interface ProtocolView {
  name: string;
  pool: Address;
  /** Asset symbols in reserve order. */
  assets: string[];
  /** Reserve states accrued to the previous block, valued at oracle prices (0 when a feed read reverts). */
  reserves: ReserveModel[];
  liquidationConfig: import("../math").LiquidationConfig;
  users: Map<Address, UserShares>;
  /** Account data at oracle prices; absent when a feed the account needs cannot be read. */
  accounts: Map<Address, UserAccountData>;
}

export interface MarketView {
  /** Number of the block being built (1..blocks). */
  block: number;
  /** Its timestamp. */
  timestamp: bigint;
  /** Base fee of the block being built, wei per gas. */
  baseFeeWei: bigint;
  /** Market prices of this block, per symbol, USD E8. */
  marketPriceE8: Map<string, bigint>;
  /** Feed answers and ages at the end of the previous block, per symbol. */
  feeds: Map<string, { ok: boolean; answer: bigint; updatedAt: bigint }>;
  protocols: Map<string, ProtocolView>;
  /** AMM reserves at the end of the previous block, in token0/token1 order. */
  amms: Map<string, { reserve0: bigint; reserve1: bigint }>;
  /** Token balances of agents at the end of the previous block: `${address}/${symbol}` -> amount. */
  balances: Map<string, bigint>;
}

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
}

export function balanceKey(address: Address, symbol: string): string {
  return `${address.toLowerCase()}/${symbol}`;
}
