/**
 * A pooled protocol's share of the block's batched read: the lens's reserves snapshot every block, the
 * shares of the holders the block's events name (all of them on a full read), kept in the protocol's
 * position index; and the view assembled from them, account data at oracle prices. The index follows
 * the block's logs (./positionEvents.ts): only the accounts they cannot account for are read, and a
 * reserve whose replayed totals differ from the pool's has its replayed liquidations read again.
 */
import type { Address, Hex } from "viem";
import { userAccountDataIfPriced, type ReserveModel, type ReserveState, type UserAccountData, type UserShares } from "../../math";
import type { PooledProtocolView } from "../../state";
import { BatchRead, positionHolders, type BatchSlot, type ProjectResult, type World, type WorldPooledProtocol } from "../../world";
import { chunkedReads, type ReadStep } from "../read/chunks";
import { Holders } from "../read/holders";
import type { ProtocolReader, ReaderContext } from "../types";
import { replayPoolLogs, type BlockReplay } from "./positionEvents";
import { storedTotals } from "./storedTotals";

type Snapshots = ProjectResult<"PoolLens", "getReservesSnapshot">;

export class PooledReader implements ProtocolReader {
  /** The position index: every holder's shares as last read. */
  private readonly shares = new Map<Address, UserShares>();
  /** The index's accounts by lowercase address. */
  private readonly accounts = new Map<string, Address>();
  private readonly holders: Holders;
  private snapshots: BatchSlot<Snapshots> | null = null;
  /**
   * Each reserve's totals in the pool's storage at the end of the last block (null: not known). A
   * snapshot's state is accrued to the block read, so it is the stored one only for a reserve that
   * acted (and accrued) in that block; a reserve that did not keeps the totals it had.
   */
  private totals: (ReserveState | null)[];
  /** The last `derive`'s replay, checked against the pool's totals once the block is read. */
  private replay: BlockReplay | null = null;
  /** The reserves' assets in the pool's order, and the index of each by lowercase address. */
  private readonly assets: Address[];
  private readonly reserveIndex: Map<string, number>;

  constructor(
    private readonly world: World,
    private readonly name: string,
    private readonly p: WorldPooledProtocol,
  ) {
    this.holders = new Holders(() => positionHolders(world, name));
    this.totals = p.reserveOrder.map(() => null);
    this.assets = p.reserveOrder.map((symbol) => {
      const asset = world.assets.get(symbol);
      if (!asset) throw new Error(`internal: reserve ${symbol} of ${name} unknown`);
      return asset.token.address;
    });
    this.reserveIndex = new Map(this.assets.map((address, i) => [address.toLowerCase(), i]));
  }

  queue(batch: BatchRead, touched: ReadonlySet<string> | undefined): ReadStep[] {
    const snapshots = (this.snapshots = batch.add(this.world.lens, "getReservesSnapshot", [this.p.pool.address]));
    const replay = touched ? this.replay : null;
    this.replay = null;
    const users = this.holders.toRead(this.shares, touched);
    const reads = chunkedReads(this.world, users, batch, (b, chunk) => this.readShares(b, chunk));
    // A full read follows no logs: the stored totals are read from the pool's storage.
    if (!touched) return [...reads, async () => void (this.totals = await storedTotals(this.world.chain, this.p.pool.address, this.assets))];
    if (!replay) return reads;
    return [...reads, async () => this.settle(replay, snapshots.value())];
  }

  /** Queues `chunk`'s shares in `b`; returns what stores them in the index. */
  private readShares(b: BatchRead, chunk: Address[]): () => void {
    const slot = b.add(this.world.lens, "getUsersShares", [this.p.pool.address, chunk]);
    return () =>
      chunk.forEach((u, i) => {
        const row = slot.value()?.[i];
        if (!row) return;
        this.shares.set(u, { supplyShares: [...row.supplyShares], borrowShares: [...row.borrowShares] });
        this.accounts.set(u.toLowerCase(), u);
      });
  }

  derive(logs: readonly { topics: readonly Hex[]; data: Hex }[]): ReadonlySet<string> {
    const replay = replayPoolLogs(
      {
        reserveIndex: this.reserveIndex,
        totals: this.totals,
        position: (account) => {
          const address = this.accounts.get(account);
          return address === undefined ? undefined : this.shares.get(address);
        },
      },
      logs,
    );
    for (const [account, shares] of replay.derived) {
      const address = this.accounts.get(account);
      if (address !== undefined) this.shares.set(address, shares);
    }
    this.replay = replay;
    return replay.accounted;
  }

  /**
   * Once the block is read: a reserve that acted in it now holds the snapshot's totals (accrued to this
   * block, as its stored ones); where the replay's totals differ, the shares computed on them may too,
   * so the accounts liquidated on that reserve are read again, in a call of their own.
   */
  private async settle(replay: BlockReplay, snapshots: Snapshots | undefined): Promise<void> {
    if (!snapshots) throw new Error(`internal: ${this.name}'s reserves could not be read`);
    const reread = new Set<Address>();
    for (const i of replay.touched) {
      const pool = snapshots[i]?.state;
      if (!pool) continue;
      const replayed = replay.totals[i];
      if (!replayed || !sameTotals(replayed, pool)) {
        for (const account of replay.dependents.get(i) ?? []) {
          const address = this.accounts.get(account);
          if (address !== undefined) reread.add(address);
        }
      }
      this.totals[i] = { ...pool };
    }
    if (reread.size === 0) return;
    const own = new BatchRead(this.world.chain, this.world.multicall);
    const steps = chunkedReads(this.world, [...reread], own, (b, chunk) => this.readShares(b, chunk));
    await own.run();
    for (const step of steps) await step();
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

/** The totals the pool's actions change (not `lastUpdate`). */
function sameTotals(a: ReserveState, b: ReserveState): boolean {
  return (
    a.totalSupplyAssets === b.totalSupplyAssets &&
    a.totalSupplyShares === b.totalSupplyShares &&
    a.totalBorrowAssets === b.totalBorrowAssets &&
    a.totalBorrowShares === b.totalBorrowShares &&
    a.reservesAssets === b.reservesAssets
  );
}

export function pooledReader(context: ReaderContext): ProtocolReader {
  const p = context.deployed;
  if (p.kind !== "pooled") throw new Error(`internal: ${context.name} is not a pooled protocol`);
  return new PooledReader(context.world, context.name, p);
}
