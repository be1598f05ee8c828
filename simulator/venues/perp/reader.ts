/**
 * A perp protocol's share of the block's batched read: every block, each market's open interest, mark
 * and the vault's unrealized PnL (`PerpLens.getMarkets`) and the exchange's insurance fund, vault
 * balance, fees and bad debt; the accounts the block's events name (all of them on a full read), their
 * balance and positions (`PerpLens.getAccounts`), kept in a position index. The index holds what the
 * exchange stores (size, cost basis, margin), so health is computed at each block's mark by the mirror
 * (`math/PerpHealth.ts`), not read again for accounts no event named. The holders are the protocol's traders and
 * the keepers watching it (a keeper's fee is paid to its balance in the exchange).
 */
import type { Address } from "viem";
import { PerpMath } from "../../math";
import type { PerpMarketView, PerpPositionState, PerpProtocolView } from "../../state";
import type { BatchRead, BatchSlot, ProjectResult, World, WorldPerpProtocol } from "../../world";
import { chunkedReads, type ReadStep } from "../read/chunks";
import { Holders } from "../read/holders";
import type { ProtocolReader, ReaderContext } from "../types";

/** An account as last read: its balance and its position per market id (size 0: none). */
interface AccountRead {
  balance: bigint;
  positions: PerpPositionState[];
}

/** The lens's market snapshots, as its ABI types them. */
type MarketSnapshots = ProjectResult<"PerpLens", "getMarkets">;
type MarketSnapshot = MarketSnapshots[number];

interface Totals {
  markets: BatchSlot<MarketSnapshots>;
  insuranceFund: BatchSlot<bigint>;
  vaultBalance: BatchSlot<bigint>;
  feesAccrued: BatchSlot<bigint>;
  badDebt: BatchSlot<bigint>;
}

/** The accounts that may hold a position or a balance in the exchange. */
export function perpHolders(world: World, name: string, p: WorldPerpProtocol): Address[] {
  const keepers = world.liquidators.filter((l) => l.spec.protocols.includes(name)).map((l) => l.address);
  return [...p.traders.map((t) => t.address), ...keepers];
}

class PerpReader implements ProtocolReader {
  private readonly index = new Map<Address, AccountRead>();
  private readonly holders: Holders;
  private readonly ids: bigint[];
  private totals: Totals | null = null;

  constructor(
    private readonly world: World,
    private readonly name: string,
    private readonly p: WorldPerpProtocol,
  ) {
    this.holders = new Holders(() => perpHolders(world, name, p));
    this.ids = p.markets.map((m) => m.id);
  }

  queue(batch: BatchRead, touched: ReadonlySet<string> | undefined): ReadStep[] {
    const { exchange, lens } = this.p;
    this.totals = {
      markets: batch.add(lens, "getMarkets", [exchange.address, this.ids]),
      insuranceFund: batch.add(exchange, "insuranceFund"),
      vaultBalance: batch.add(exchange, "vaultBalance"),
      feesAccrued: batch.add(exchange, "feesAccrued"),
      badDebt: batch.add(exchange, "badDebt"),
    };
    const users = this.holders.toRead(this.index, touched);
    return chunkedReads(this.world, users, batch, (b, chunk) => {
      const slot = b.add(lens, "getAccounts", [exchange.address, chunk, this.ids]);
      return () => {
        const value = slot.value();
        if (!value) throw new Error(`internal: accounts of ${this.name} could not be read`);
        const [balances, rows] = value;
        chunk.forEach((u, i) => {
          const positions = this.ids.map((_, j) => ({ ...(rows[i * this.ids.length + j]?.position ?? emptyPosition()) }));
          this.index.set(u, { balance: balances[i] ?? 0n, positions });
        });
      };
    });
  }

  view(): PerpProtocolView {
    const t = this.totals;
    const snapshots = t?.markets.value();
    const [insuranceFund, vaultBalance, feesAccrued, badDebt] = [t?.insuranceFund.value(), t?.vaultBalance.value(), t?.feesAccrued.value(), t?.badDebt.value()];
    const collateral = this.world.assets.get(this.p.spec.collateral);
    if (!snapshots || insuranceFund === undefined || vaultBalance === undefined || feesAccrued === undefined || badDebt === undefined || !collateral) {
      throw new Error(`internal: perp exchange ${this.name} could not be read`);
    }
    const balances = new Map<Address, bigint>();
    for (const [account, read] of this.index) if (read.balance !== 0n) balances.set(account, read.balance);
    return {
      kind: "perp",
      venue: this.p.spec.venue,
      name: this.name,
      exchange: this.p.exchange.address,
      collateral: this.p.spec.collateral,
      collateralUnit: collateral.unit,
      negativeBalanceProtection: this.p.spec.negativeBalanceProtection,
      lastResort: this.p.spec.lastResort,
      balances,
      insuranceFund,
      vaultBalance,
      feesAccrued,
      badDebt,
      markets: this.p.markets.map((m, j) => this.marketView(m, j, snapshots[j])),
    };
  }

  private marketView(m: WorldPerpProtocol["markets"][number], j: number, snapshot: MarketSnapshot | undefined): PerpMarketView {
    if (!snapshot) throw new Error(`internal: market ${m.key} of ${this.name} could not be read`);
    const positions = new Map<Address, PerpPositionState>();
    for (const [account, read] of this.index) {
      const p = read.positions[j];
      if (p && p.size > 0n) positions.set(account, p);
    }
    return {
      id: m.id,
      key: m.key,
      base: m.spec.base,
      feed: m.spec.feed,
      kind: m.spec.kind === "linear" ? PerpMath.MarketKind.Linear : PerpMath.MarketKind.Inverse,
      markPriceE8: snapshot.markPriceE8,
      spreadWad: m.spec.spreadWad,
      liquidationSpreadWad: m.spec.liquidationSpreadWad,
      liquidationFeeWad: m.spec.liquidationFeeWad,
      tiers: m.spec.tiers,
      ...snapshot.state,
      vaultUnrealizedPnl: snapshot.vaultUnrealizedPnl,
      positions,
    };
  }
}

function emptyPosition(): PerpPositionState {
  return { size: 0n, openNotional: 0n, isolatedMargin: 0n, isLong: false, isolated: false };
}

export function perpReader(context: ReaderContext): ProtocolReader {
  const p = context.deployed;
  if (p.kind !== "perp") throw new Error(`internal: ${context.name} is not a perp protocol`);
  return new PerpReader(context.world, context.name, p);
}
