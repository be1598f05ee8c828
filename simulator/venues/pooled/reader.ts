/**
 * A pooled protocol's share of the block's batched read: the lens's reserves snapshot every block, the
 * shares of the holders the block's events name (all of them on a full read), kept in the protocol's
 * position index; and the view assembled from them, account data at oracle prices.
 */
import type { Address } from "viem";
import { userAccountDataIfPriced, type ReserveModel, type UserAccountData, type UserShares } from "../../math";
import type { PooledProtocolView } from "../../state";
import { positionHolders, type BatchRead, type BatchSlot, type ProjectResult, type World, type WorldPooledProtocol } from "../../world";
import { chunkedReads, type ReadStep } from "../read/chunks";
import { Holders } from "../read/holders";
import type { ProtocolReader, ReaderContext } from "../types";

class PooledReader implements ProtocolReader {
  /** The position index: every holder's shares as last read. */
  private readonly shares = new Map<Address, UserShares>();
  private readonly holders: Holders;
  private snapshots: BatchSlot<ProjectResult<"PoolLens", "getReservesSnapshot">> | null = null;

  constructor(
    private readonly world: World,
    private readonly name: string,
    private readonly p: WorldPooledProtocol,
  ) {
    this.holders = new Holders(() => positionHolders(world, name));
  }

  queue(batch: BatchRead, touched: ReadonlySet<string> | undefined): ReadStep[] {
    this.snapshots = batch.add(this.world.lens, "getReservesSnapshot", [this.p.pool.address]);
    const users = this.holders.toRead(this.shares, touched);
    return chunkedReads(this.world, users, batch, (b, chunk) => {
      const slot = b.add(this.world.lens, "getUsersShares", [this.p.pool.address, chunk]);
      return () =>
        chunk.forEach((u, i) => {
          const row = slot.value()?.[i];
          if (row) this.shares.set(u, { supplyShares: [...row.supplyShares], borrowShares: [...row.borrowShares] });
        });
    });
  }

  view(timestamp: bigint): PooledProtocolView {
    const { name, p } = this;
    const snapshots = this.snapshots?.value();
    if (!snapshots) throw new Error(`internal: ${name}'s reserves could not be read`);
    const reserves: ReserveModel[] = snapshots.map((s, i) => {
      const spec = p.spec.reserves[i];
      const asset = this.world.assets.get(spec?.asset ?? "");
      if (!spec || !asset) throw new Error(`internal: reserve ${i} of ${name} unknown`);
      return { config: spec, state: { ...s.state }, unit: asset.unit, priceE8: s.feedOk && s.answer > 0n ? s.answer : 0n };
    });
    const users = new Map<Address, UserShares>();
    const accounts = new Map<Address, UserAccountData>();
    for (const [address, shares] of this.shares) {
      users.set(address, shares);
      const data = userAccountDataIfPriced(reserves, shares, timestamp);
      if (data) accounts.set(address, data);
    }
    const l = p.spec.liquidation;
    return {
      kind: "pooled",
      venue: this.p.spec.venue,
      name,
      pool: p.pool.address,
      assets: p.reserveOrder,
      feeds: p.spec.reserves.map((r) => r.feed),
      reserves,
      liquidationConfig: {
        closeFactorWad: l.closeFactorWad,
        closeFactorHfThresholdWad: l.closeFactorHfThresholdWad,
        closeFactorDustUsd: l.closeFactorDustUsdE8,
        minLeftoverUsd: l.minLeftoverUsdE8,
        liquidationsAcceptStalePrice: l.liquidationsAcceptStalePrice,
      },
      users,
      accounts,
    };
  }
}

export function pooledReader(context: ReaderContext): ProtocolReader {
  const p = context.deployed;
  if (p.kind !== "pooled") throw new Error(`internal: ${context.name} is not a pooled protocol`);
  return new PooledReader(context.world, context.name, p);
}
