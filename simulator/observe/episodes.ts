/**
 * Liquidatable episodes: a position's run of blocks liquidatable at oracle prices, from the block it
 * became so (with its cascade generation and cause) to the block it stopped being so.
 */
import type { Address } from "viem";
import { positionKey, type PositionValues } from "../state";
import type { Attribution } from "./cascade";
import type { LiquidatableEpisode } from "./types";

export class Episodes {
  /** Every episode so far, in the order they started. */
  readonly all: LiquidatableEpisode[] = [];
  /** Open episodes per position key (`positionKey`). */
  private readonly open = new Map<string, LiquidatableEpisode>();

  /** Episode starts of positions liquidatable now, per position key. */
  starts(): Map<string, number> {
    return new Map([...this.open].map(([k, e]) => [k, e.startBlock]));
  }

  /**
   * The open episode of a position liquidated in `block`, or a new one starting in `block` when the
   * position became liquidatable and was liquidated within this block (a backrun of the oracle update:
   * generation 0).
   */
  liquidated(protocol: string, borrower: Address, market: string | null, block: number): LiquidatableEpisode {
    const key = positionKey(protocol, borrower, market ?? undefined);
    const open = this.open.get(key);
    const episode = open ?? this.start(key, { protocol, borrower, market }, block, { generation: 0, parent: null });
    if (episode.firstLiquidationBlock === null) episode.firstLiquidationBlock = block;
    return episode;
  }

  /** Opens or closes the position's episode after `block` from its value then; `cause` attributes a new one. */
  update(v: PositionValues, block: number, cause: (v: PositionValues) => Attribution): void {
    if (v.liquidatable && !this.open.has(v.key)) {
      this.start(v.key, v, block, cause(v));
    } else if (!v.liquidatable) {
      const episode = this.open.get(v.key);
      if (!episode) return;
      episode.endBlock = block;
      this.open.delete(v.key);
    }
  }

  private start(key: string, p: { protocol: string; borrower: Address; market: string | null }, block: number, cause: Attribution): LiquidatableEpisode {
    const episode: LiquidatableEpisode = {
      protocol: p.protocol,
      borrower: p.borrower,
      market: p.market,
      startBlock: block,
      firstLiquidationBlock: null,
      endBlock: null,
      generation: cause.generation,
      causedBy: cause.parent?.liquidation ?? null,
    };
    this.open.set(key, episode);
    this.all.push(episode);
    return episode;
  }
}
