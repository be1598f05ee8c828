/**
 * An isolated protocol's share of the block's batched read: each market's lens snapshot every block,
 * the positions of the holders the block's events name (all of them on a full read), kept in a position
 * index per market; and the view assembled from them. Where the implementation reads its logs as exact
 * position changes (./positionEvents.ts), the index follows the block's logs and only the accounts they
 * cannot account for are read.
 */
import type { Address, Hex } from "viem";
import type { IsolatedLendingMarketMath as IM } from "../../math";
import type { IsolatedMarketView, IsolatedProtocolView, RiskEntry } from "../../state";
import { positionHolders, type BatchRead, type BatchSlot, type World, type WorldMarketsProtocol } from "../../world";
import { chunkedReads, type ReadStep } from "../read/chunks";
import { Holders } from "../read/holders";
import type { ProtocolReader, ReaderContext } from "../types";
import { marketsProtocol, type IsolatedImplementation, type MarketSnapshot } from "./implementation";
import type { PositionChange } from "./positionEvents";
import { riskOrder } from "./riskIndex";

type DeployedMarket = WorldMarketsProtocol["markets"][number];

/**
 * One market's read: its snapshot this block and its position index (with the index's accounts by
 * lowercase address, and its liquidation-price order, kept until a position changes).
 */
interface MarketRead {
  market: DeployedMarket;
  positions: Map<Address, IM.Position>;
  accounts: Map<string, Address>;
  order: RiskEntry[] | null;
  holders: Holders;
  snapshot: BatchSlot<MarketSnapshot> | null;
}

class IsolatedReader implements ProtocolReader {
  private readonly markets: MarketRead[];

  constructor(
    private readonly world: World,
    private readonly name: string,
    private readonly p: WorldMarketsProtocol,
    private readonly implementation: IsolatedImplementation,
  ) {
    this.markets = p.markets.map((m) => ({ market: m, positions: new Map(), accounts: new Map(), order: null, holders: new Holders(() => positionHolders(world, name, m.spec)), snapshot: null }));
  }

  queue(batch: BatchRead, touched: ReadonlySet<string> | undefined): ReadStep[] {
    const steps: ReadStep[] = [];
    for (const read of this.markets) {
      const { market: m, positions, accounts } = read;
      read.snapshot = this.implementation.snapshot(batch, this.world, this.p, m);
      const users = read.holders.toRead(positions, touched);
      steps.push(
        ...chunkedReads(this.world, users, batch, (b, chunk) => {
          const slot = this.implementation.positions(b, this.world, this.p, m, chunk);
          return () =>
            chunk.forEach((u, i) => {
              const r = slot.value()?.[i];
              if (!r) return;
              positions.set(u, { supplyShares: r.supplyShares, borrowShares: r.borrowShares, collateral: r.collateral });
              accounts.set(u.toLowerCase(), u);
              read.order = null;
            });
        }),
      );
    }
    return steps;
  }

  derive(logs: readonly { topics: readonly Hex[]; data: Hex }[]): ReadonlySet<string> {
    const derived = new Set<string>();
    const positionLog = this.implementation.positionLog;
    if (!positionLog) return derived;
    const unknown = new Set<string>();
    for (const log of logs) {
      const decoded = positionLog(this.p, log);
      if (!decoded) continue;
      for (const account of decoded.named) derived.add(account);
      for (const c of decoded.changes) if (!this.apply(c)) unknown.add(c.account.toLowerCase());
    }
    for (const account of unknown) derived.delete(account);
    return derived;
  }

  /**
   * Adds `c` to its position in the index, as a new object (the last block's view keeps the old one);
   * false when the index does not hold the position yet (it is then read).
   */
  private apply(c: PositionChange): boolean {
    const read = this.markets.find((r) => r.market.id === c.id);
    const account = read?.accounts.get(c.account.toLowerCase());
    const before = account === undefined ? undefined : read?.positions.get(account);
    if (!read || account === undefined || !before) return false;
    const after: IM.Position = {
      supplyShares: before.supplyShares + c.supplyShares,
      borrowShares: before.borrowShares + c.borrowShares,
      collateral: before.collateral + c.collateral,
    };
    if (after.supplyShares < 0n || after.borrowShares < 0n || after.collateral < 0n) {
      throw new Error(`internal: ${this.name} ${read.market.key}: a log takes ${account}'s position below zero`);
    }
    read.positions.set(account, after);
    read.order = null;
    return true;
  }

  view(): IsolatedProtocolView {
    return { kind: "isolated", venue: this.p.spec.venue, name: this.name, address: this.p.market.address, markets: this.markets.map((read) => this.marketView(read)) };
  }

  private marketView(read: MarketRead): IsolatedMarketView {
    const { market: m, positions: index } = read;
    const snapshot = read.snapshot?.value();
    const collateral = this.world.assets.get(m.spec.collateral);
    const loan = this.world.assets.get(m.spec.loan);
    if (!snapshot || !collateral || !loan) throw new Error(`internal: market ${m.key} of ${this.name} could not be read`);
    const positions = new Map<Address, IM.Position>();
    for (const [address, r] of index) {
      if (r.collateral > 0n || r.borrowShares > 0n || r.supplyShares > 0n) positions.set(address, r);
    }
    return {
      id: m.id,
      key: m.key,
      collateral: m.spec.collateral,
      loan: m.spec.loan,
      collateralFeed: m.spec.collateralFeed,
      loanFeed: m.spec.loanFeed,
      lltvWad: m.spec.lltvWad,
      lifWad: snapshot.liquidationIncentiveFactorWad,
      state: { ...snapshot.state },
      priceE36: snapshot.price,
      collateralUnit: collateral.unit,
      loanUnit: loan.unit,
      positions,
      riskOrder: (read.order ??= riskOrder(index)),
    };
  }
}

/** The reader of an isolated protocol run by `implementation`. */
export function isolatedReader(implementation: IsolatedImplementation): (context: ReaderContext) => ProtocolReader {
  return (context) => {
    const p = marketsProtocol(context.deployed);
    if (!p) throw new Error(`internal: ${context.name} is not an isolated protocol`);
    return new IsolatedReader(context.world, context.name, p, implementation);
  };
}
