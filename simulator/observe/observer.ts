/**
 * The observer: after each mined block, reads the world (./stateReader.ts, each protocol's share by its
 * venue) and turns that state, with the block's receipts, into records: the block's events as
 * liquidations and write-offs (./eventLog.ts), every position valued by its venue at oracle prices (what
 * the protocol acts on) and at market prices (what it is really worth), liquidatable episodes
 * (./episodes.ts) with their cascade generation (./attribution.ts), per-protocol statistics
 * (./blockStats.ts) and the watched position (./watchedPosition.ts). This class only wires them.
 */
import type { Receipt } from "../chain";
import { positionKey, UsdScale, type ObservedState, type PositionValues } from "../state";
import { venueOf } from "../venues";
import type { World } from "../world";
import { CascadeAttribution } from "./attribution";
import { LossTotals } from "./badDebt";
import { blockPrices } from "./blockPrices";
import { protocolBlockStats } from "./blockStats";
import { Episodes } from "./episodes";
import { EventLog, type BlockEvents, type PositionsBefore, type SentIntent } from "./eventLog";
import { groupOutcomes, type HolderSnapshot } from "./groups";
import { traderOutcomes, type ProtocolTraders } from "./traderGroups";
import { setHealthAfter } from "./healthAfter";
import { StateReader } from "./stateReader";
import type { LossRecord, LossShareRecord, BlockRecord, GroupOutcome, LiquidatableEpisode, LiquidationRecord, PositionHealth, ProtocolBlockStats } from "./types";
import { WatchedPosition } from "./watchedPosition";

export type { SentIntent } from "./eventLog";

/** Every position valued at one block, with the wallets and market prices (group outcomes' input). */
interface ValuedSnapshot extends Omit<HolderSnapshot, "positions"> {
  positions: PositionValues[];
}

export class Observer {
  readonly episodes: LiquidatableEpisode[];
  private readonly reader: StateReader;
  private readonly usd: UsdScale;
  private readonly tracker = new Episodes();
  private readonly cascade: CascadeAttribution;
  private readonly events: EventLog;
  private readonly badDebt: LossTotals;
  private readonly watched = new WatchedPosition();
  /** Health factors at oracle prices at the end of the last recorded block, per position key. */
  private lastHealth = new Map<string, bigint>();
  /** Every position at market prices, wallets and prices at block 0 and at the last recorded block (group outcomes). */
  private firstSnapshot: ValuedSnapshot | null = null;
  private lastSnapshot: ValuedSnapshot | null = null;

  constructor(private readonly world: World) {
    this.usd = new UsdScale([...world.assets.values()].map((a) => a.spec.decimals));
    this.reader = new StateReader(world);
    this.cascade = new CascadeAttribution(world);
    this.events = new EventLog(world, this.tracker, this.cascade);
    this.badDebt = new LossTotals(world);
    this.episodes = this.tracker.all;
  }

  /**
   * Each borrower and looper group's outcome, from block 0 to the last recorded block
   * (simulator/observe/groups.ts), then each venue trader's (`traders`, ./traderGroups.ts); empty
   * before block 0 is recorded.
   */
  groupOutcomes(liquidations: readonly LiquidationRecord[], badDebt: readonly LossRecord[], traders: readonly ProtocolTraders[] = []): GroupOutcome[] {
    if (!this.firstSnapshot || !this.lastSnapshot) return [];
    const holders = (snapshot: ValuedSnapshot): HolderSnapshot => ({
      ...snapshot,
      positions: snapshot.positions.map((v) => ({ borrower: v.borrower, collateralUsd: this.usd.toDecimal(v.collateralScaled), debtUsd: this.usd.toDecimal(v.debtScaled) })),
    });
    const [start, end] = [holders(this.firstSnapshot), holders(this.lastSnapshot)];
    return [...groupOutcomes(this.world, start, end, liquidations, badDebt), ...traderOutcomes(this.world, traders, start, end, liquidations, badDebt)];
  }

  /** Episode starts of positions liquidatable now, per position key. */
  episodeStarts(): Map<string, number> {
    return this.tracker.starts();
  }

  /** The world after `block` (./stateReader.ts); `full` reads every position and balance. */
  read(block: number, receipts?: readonly Receipt[], full = receipts === undefined): Promise<ObservedState> {
    return this.reader.read(block, receipts, full);
  }

  /** Every position as the last recorded block left it (empty before the first record). */
  positionHealth(): PositionHealth[] {
    return (this.lastSnapshot?.positions ?? []).map((v) => ({
      protocol: v.protocol,
      scope: v.market ?? "pool",
      account: v.borrower,
      hasLiability: v.hasDebt,
      healthWad: v.healthFactorWad,
      marketHealthWad: v.marketHealthFactorWad,
      liabilityUsd: this.usd.toDecimal(v.debtScaled),
      collateralUsd: this.usd.toDecimal(v.collateralScaled),
    }));
  }

  /**
   * Builds block `block`'s records from the state read after it, its receipts (with the intents that
   * sent them) and its market prices.
   */
  record(
    block: number,
    state: ObservedState,
    receipts: { receipt: Receipt; intent: SentIntent }[],
    marketPriceE8: Map<string, bigint>,
    baseFeeWei: bigint,
    gasTokenPriceE8: bigint,
  ): { record: BlockRecord; liquidations: LiquidationRecord[]; badDebt: LossRecord[]; lossShares: LossShareRecord[] } {
    const market = (symbol: string) => marketPriceE8.get(symbol) ?? 0n;
    const events = this.events.decode({ block, receipts, market, gasTokenPriceE8 }, this.before(market));
    const { liquidations, badDebt } = events;
    this.cascade.endBlock(state);
    this.badDebt.add(badDebt);
    const snapshot: ValuedSnapshot = { positions: [], balances: state.balances, marketPriceE8 };
    const protocols = this.protocolStats(block, state, market, events, snapshot);
    this.lastHealth = new Map(snapshot.positions.map((v) => [v.key, v.healthFactorWad]));
    const endOfBlock = new Map(snapshot.positions.map((v) => [v.key, v]));
    setHealthAfter(liquidations, (l) => positionKey(l.protocol, l.borrower, l.market ?? undefined), endOfBlock, (l) => events.healthFromEvent.has(l.id));
    const watched = this.watched.health(endOfBlock, this.lastSnapshot?.positions ?? null, state);
    if (this.firstSnapshot === null) this.firstSnapshot = snapshot;
    this.lastSnapshot = snapshot;
    const prices = blockPrices(this.world, state, market);
    const record: BlockRecord = {
      block,
      timestamp: state.timestamp,
      marketPriceE8: prices.marketPriceE8,
      oraclePriceE8: prices.oraclePriceE8,
      ammOraclePriceE8: prices.ammOraclePriceE8,
      ammPriceE8: prices.ammPriceE8,
      baseFeeWei,
      gasUsed: events.gasUsed,
      transactions: receipts.length,
      failedTransactions: receipts.filter((r) => r.receipt.status !== "success").length,
      protocols,
      watched,
    };
    return { record, liquidations, badDebt, lossShares: events.lossShares };
  }

  /** The positions as the previous recorded block left them, for the liquidations of this one. */
  private before(market: (symbol: string) => bigint): PositionsBefore {
    const lastHealth = this.lastHealth;
    const last = this.lastSnapshot;
    /** By key, built on the first liquidation of the block. */
    let previous: Map<string, PositionValues> | null = null;
    return {
      health: (key) => lastHealth.get(key),
      marketHealth: (key) => {
        previous ??= new Map((last?.positions ?? []).map((v) => [v.key, v]));
        return previous.get(key)?.revaluation.healthAtMarket(market) ?? null;
      },
    };
  }

  /**
   * Values every position of every protocol at the block's end (each by its venue) into `snapshot`,
   * opens and closes episodes (attributing new ones) and returns each protocol's statistics.
   */
  private protocolStats(block: number, state: ObservedState, market: (symbol: string) => bigint, events: BlockEvents, snapshot: ValuedSnapshot): Record<string, ProtocolBlockStats> {
    const attribute = this.cascade.forBlock(state);
    const liquidated = new Map<string, string[]>();
    for (const l of events.liquidations) liquidated.set(l.protocol, [...(liquidated.get(l.protocol) ?? []), positionKey(l.protocol, l.borrower, l.market ?? undefined)]);
    const protocols: Record<string, ProtocolBlockStats> = {};
    for (const [name, view] of state.protocols) {
      const deployed = this.world.protocols.get(name);
      if (!deployed) throw new Error(`internal: ${name} is not a protocol of the world`);
      const context = { name, usd: this.usd, feeds: state.feeds, timestamp: state.timestamp, market };
      const values = venueOf(deployed.spec.venue).valuePositions(context, view);
      snapshot.positions.push(...values);
      for (const v of values) this.tracker.update(v, block, attribute);
      protocols[name] = protocolBlockStats(values, { liquidated: liquidated.get(name) ?? [], liquidations: events.perProtocol.get(name), badDebt: this.badDebt.of(name) }, this.usd);
    }
    return protocols;
  }
}
