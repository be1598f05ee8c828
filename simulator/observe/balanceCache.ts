/**
 * The agents' token balances the observer reads each block, kept between reads: a token balance changes
 * only with a `Transfer` naming its holder (the world's tokens are OpenZeppelin ERC20s: mints and burns
 * emit one too), so after a full read only the balances a block's transfers name are read again.
 */
import type { Address } from "viem";
import type { Receipt } from "../chain";
import { balanceKey } from "../state";
import type { BatchRead, BatchSlot, World } from "../world";

/** Topic 0 of ERC-20's `Transfer(address,address,uint256)`. */
const TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

/** The balances of one read: those kept, and the slots of those read again. */
export interface QueuedBalances {
  /** `balanceKey` -> amount; complete once `store` ran. */
  balances: Map<string, bigint>;
  /** Copies the batch's answers into `balances` and the cache (after the batch ran). */
  store(): void;
}

export class BalanceCache {
  /** Agents' token balances as last read, by `balanceKey`. */
  private readonly cache = new Map<string, bigint>();
  private readonly tokens = new Set<string>();

  constructor(private readonly world: World) {
    for (const a of world.assets.values()) this.tokens.add(a.token.address.toLowerCase());
  }

  /** The agents whose balances the observer reads, with the tokens it reads of each. */
  private holders(): { address: Address; symbols: string[] }[] {
    const world = this.world;
    return [
      ...world.liquidators.filter((l) => l.atomic === null).map((l) => ({ address: l.address, symbols: [...world.assets.keys()] })),
      ...world.arbitrageurs.map((a) => {
        const amm = world.amms.get(a.amm);
        return { address: a.address, symbols: amm ? [amm.token0, amm.token1] : [] };
      }),
      ...world.borrowers.filter((b) => b.defensive).map((b) => ({ address: b.address, symbols: [...b.group.collateral.map((c) => c.asset), b.group.debt] })),
    ];
  }

  /** Queues in `batch` the balances to read again: all on a full read (`receipts` undefined), else those `receipts`' transfers name. */
  queue(batch: BatchRead, receipts: readonly Receipt[] | undefined): QueuedBalances {
    const transferred = receipts === undefined ? undefined : this.transferParties(receipts);
    const slots: [string, BatchSlot<bigint>][] = [];
    const balances = new Map<string, bigint>();
    for (const h of this.holders()) {
      for (const symbol of h.symbols) {
        const token = this.world.assets.get(symbol)?.token;
        if (!token) continue;
        const key = balanceKey(h.address, symbol);
        const kept = this.cache.get(key);
        if (transferred && kept !== undefined && !transferred.has(`${token.address.toLowerCase()}/${h.address.toLowerCase()}`)) balances.set(key, kept);
        else slots.push([key, batch.add(token, "balanceOf", [h.address])]);
      }
    }
    const store = () => {
      for (const [key, slot] of slots) {
        const value = slot.value() ?? 0n;
        balances.set(key, value);
        this.cache.set(key, value);
      }
    };
    return { balances, store };
  }

  /** `${token}/${holder}` (lowercase) of every side of every `Transfer` of the world's tokens in `receipts`. */
  private transferParties(receipts: readonly Receipt[]): Set<string> {
    const out = new Set<string>();
    for (const receipt of receipts) {
      if (receipt.status !== "success") continue;
      for (const log of receipt.logs) {
        if (log.topics[0]?.toLowerCase() !== TRANSFER_TOPIC || log.topics.length < 3 || !this.tokens.has(log.address.toLowerCase())) continue;
        const token = log.address.toLowerCase();
        for (const topic of [log.topics[1], log.topics[2]]) if (topic) out.add(`${token}/0x${topic.slice(26).toLowerCase()}`);
      }
    }
    return out;
  }
}
