/**
 * An Aave V3.6 protocol's share of the block's batched read: `AaveV3Lens`'s reserves snapshot every
 * block (indexes, rates, deficits, AaveOracle prices), the scaled balances and collateral flags of the
 * holders the block's events name (all of them on a full read), kept in the protocol's position index;
 * and the view assembled from them, account data at oracle prices as Aave computes it (AaveV3Math).
 */
import type { Address } from "viem";
import { AaveV3Math } from "../../math";
import type { AaveProtocolView } from "../../state";
import { positionHolders, type ProjectResult, type BatchRead, type BatchSlot, type World, type WorldAaveProtocol } from "../../world";
import { chunkedReads, type ReadStep } from "../read/chunks";
import { Holders } from "../read/holders";
import type { ProtocolReader, ReaderContext } from "../types";
import { aaveReserveConfig } from "./config";

/** AaveV3Lens's rows: one reserve (indexes, rates, deficit, AaveOracle price), one holder (scaled balances, collateral flags). */
type ReserveSnapshot = ProjectResult<"AaveV3Lens", "getReserves">[number];
type UserSnapshot = Pick<ProjectResult<"AaveV3Lens", "getUsers">[number], "configuration" | "scaledSupply" | "scaledDebt">;

/** A lens row as the model's position: bit 2i + 1 of the configuration is "reserve i is collateral". */
export function aavePosition(row: UserSnapshot): AaveV3Math.AaveUserPosition {
  return {
    scaledSupply: [...row.scaledSupply],
    scaledDebt: [...row.scaledDebt],
    collateralEnabled: row.scaledSupply.map((_, i) => ((row.configuration >> BigInt(2 * i + 1)) & 1n) === 1n),
  };
}

class AaveReader implements ProtocolReader {
  /** The position index: every holder's position as last read. */
  private readonly positions = new Map<Address, AaveV3Math.AaveUserPosition>();
  private readonly holders: Holders;
  private snapshots: BatchSlot<readonly ReserveSnapshot[]> | null = null;

  constructor(
    private readonly world: World,
    private readonly name: string,
    private readonly p: WorldAaveProtocol,
  ) {
    this.holders = new Holders(() => positionHolders(world, name));
  }

  queue(batch: BatchRead, touched: ReadonlySet<string> | undefined): ReadStep[] {
    this.snapshots = batch.add(this.p.lens, "getReserves", [this.p.pool.address, this.p.oracle.address]);
    const users = this.holders.toRead(this.positions, touched);
    return chunkedReads(this.world, users, batch, (b, chunk) => {
      const slot = b.add(this.p.lens, "getUsers", [this.p.pool.address, chunk]);
      return () =>
        chunk.forEach((u, i) => {
          const row = slot.value()?.[i];
          if (row) this.positions.set(u, aavePosition(row));
        });
    });
  }

  view(timestamp: bigint): AaveProtocolView {
    const { name, p } = this;
    const snapshots = this.snapshots?.value();
    if (!snapshots) throw new Error(`internal: ${name}'s reserves could not be read`);
    const reserves: AaveV3Math.AaveReserveModel[] = snapshots.map((s, i) => ({
      config: aaveReserveConfig(this.world, p, i),
      state: {
        liquidityIndex: s.liquidityIndex,
        variableBorrowIndex: s.variableBorrowIndex,
        currentLiquidityRate: s.currentLiquidityRate,
        currentVariableBorrowRate: s.currentVariableBorrowRate,
        lastUpdateTimestamp: s.lastUpdateTimestamp,
      },
      priceE8: s.priceOk ? s.price : 0n,
    }));
    const users = new Map<Address, AaveV3Math.AaveUserPosition>();
    const accounts = new Map<Address, AaveV3Math.AaveAccountData>();
    for (const [address, position] of this.positions) {
      users.set(address, position);
      const data = AaveV3Math.userAccountData(reserves, position, timestamp);
      if (data) accounts.set(address, data);
    }
    return {
      kind: "aave-v3.6",
      venue: "aave-v3.6",
      name,
      pool: p.pool.address,
      assets: p.reserveOrder,
      feeds: p.spec.reserves.map((r) => r.feed),
      reserves,
      deficits: snapshots.map((s) => s.deficit),
      timestamp,
      users,
      accounts,
    };
  }
}

export function aaveReader(context: ReaderContext): ProtocolReader {
  const p = context.deployed;
  if (p.kind !== "aave-v3.6") throw new Error(`internal: ${context.name} is not an Aave V3.6 protocol`);
  return new AaveReader(context.world, context.name, p);
}
