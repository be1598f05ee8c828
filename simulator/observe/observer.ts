/**
 * Reads the world after each mined block (lens calls per protocol or market for totals and users'
 * positions, one read per feed, AMM and agent balance) and turns it, with the block's receipts, into
 * records: the per-block `BlockRecord`, liquidations, bad-debt write-offs and liquidatable episodes,
 * each liquidation with its cascade generation (./cascade.ts). Health factors and values are computed
 * with `simulator/math` from the read state, at oracle prices (what the protocol acts on) and at
 * market prices (what the position is really worth).
 */
import Decimal from "decimal.js";
import type { Address } from "viem";
import type { Receipt } from "../chain";
import {
  WAD,
  IsolatedLendingMarketMath as IM,
  userAccountDataIfPriced,
  type ReserveModel,
  type UserAccountData,
  type UserShares,
} from "../math";
import { isolatedPriceE36, venueOf, type VenueEvent } from "../venues";
import { balanceKey, positionKey, type IsolatedMarketView, type ObservedState, type IsolatedProtocolView, type PooledProtocolView, type ProtocolView } from "../state";
import { decodeLog, protocolContract, type World, type WorldIsolatedProtocol, type WorldPooledProtocol } from "../world";
import { BatchRead, positionHolders, type BatchSlot } from "../world";
import { CascadeLedger, scalePriceE8, type Attribution, type SaleSource } from "./cascade";

/**
 * Accounts whose positions one `eth_call` reads (one lens call). Few: the node records every step of a
 * call with its memory, and the memory grows with the answer, so a call costs about the square of its
 * accounts (1,000 positions: 250 per call ~1.1 s, 50 per call ~0.17 s; 25 or 100 per call are slower).
 */
const USERS_PER_CALL = 50;
import { groupOutcomes, type HolderSnapshot } from "./groups";
import { setHealthAfter } from "./healthAfter";
import { HEALTH_FACTOR_BUCKET_EDGES_WAD, type BadDebtRecord, type BlockRecord, type GroupOutcome, type LiquidatableEpisode, type LiquidationRecord, type ProtocolBlockStats, type WatchedPositionHealth } from "./types";
import { chooseWatchedPosition, type WatchedPositionId } from "./watchedPosition";

/** decimal.js with enough precision that sums of USD figures are exact. */
export const Dec = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_EVEN });

/** USD value of `amount` native units at `priceE8`. */
export function usdValue(amount: bigint, priceE8: bigint, unit: bigint): Decimal {
  return new Dec((amount * priceE8).toString()).div((unit * 10n ** 8n).toString());
}

/**
 * USD as exact integers, in units of 10^-(8 + the world's largest token decimals) dollars: any token
 * amount times an E8 price is a whole number of them, so position values add up in bigint (thousands
 * of positions every block) and become a Decimal once, equal to the sum of `usdValue`s.
 */
export class UsdScale {
  /** 10^(the largest decimals): one USD E8 in these units. */
  private readonly perE8: bigint;
  private readonly denominator: string;

  constructor(decimals: Iterable<number>) {
    const largest = Math.max(0, ...decimals);
    this.perE8 = 10n ** BigInt(largest);
    this.denominator = (10n ** BigInt(8 + largest)).toString();
  }

  /** `amount` native units (10^decimals per token, `unit`) at `priceE8`. */
  amount(amount: bigint, priceE8: bigint, unit: bigint): bigint {
    return (amount * priceE8 * this.perE8) / unit;
  }

  /** A USD value with 8 decimals. */
  e8(valueE8: bigint): bigint {
    return valueE8 * this.perE8;
  }

  toDecimal(value: bigint): Decimal {
    return new Dec(value.toString()).div(this.denominator);
  }
}

interface ReserveSnapshotAbi {
  asset: Address;
  state: {
    totalSupplyAssets: bigint;
    totalSupplyShares: bigint;
    totalBorrowAssets: bigint;
    totalBorrowShares: bigint;
    reservesAssets: bigint;
    lastUpdate: bigint;
  };
  badDebt: { recorded: bigint; coveredByReserves: bigint; socializedToSuppliers: bigint };
  borrowRateWad: bigint;
  balance: bigint;
  feedOk: boolean;
  answer: bigint;
  updatedAt: bigint;
}


export interface SentIntent {
  agent: string;
  action: string;
  from: Address;
  /** A liquidator's sale of collateral it seized from this position (see TxIntent.saleOf). */
  saleOf?: { protocol: string; borrower: Address };
}

interface MarketSnapshotAbi {
  state: IM.MarketState;
  price: bigint;
  liquidationIncentiveFactorWad: bigint;
  borrowRateWad: bigint;
}

interface PositionAbi {
  supplyShares: bigint;
  borrowShares: bigint;
  collateral: bigint;
}

/** One position valued for the block record (USD figures on the observer's `UsdScale`). */
interface PositionValues {
  key: string;
  protocol: string;
  borrower: Address;
  market: string | null;
  liquidatable: boolean;
  underwaterAtMarket: boolean;
  hasDebt: boolean;
  debtScaled: bigint;
  collateralScaled: bigint;
  latentOracleScaled: bigint;
  latentMarketScaled: bigint;
  /** Health factor at oracle prices, WAD (for liquidations of this position in the next block). */
  healthFactorWad: bigint;
  /** Health factor at market prices, WAD; null without debt or a price. */
  marketHealthFactorWad: bigint | null;
  /** What revaluing the position needs (`healthAtMarket`, `liquidatableWith`): data only, no closure. */
  revaluation: Revaluation;
  /** Feeds the position's value depends on, with the direction that hurts it (1: a fall). */
  feeds: { feed: string; adverse: 1 | -1 }[];
}

/**
 * A position as of its block, to value again at other prices. Plain data that holds only what it needs:
 * a closure made inside `Observer.record`'s helpers would keep their whole scope alive, and through it
 * the previous block's positions, and theirs, one block after another (gigabytes at 10,000 positions).
 */
type Revaluation =
  | { kind: "pooled"; view: PooledProtocolView; shares: UserShares; timestamp: bigint }
  | { kind: "isolated"; market: IsolatedMarketView; position: IM.Position; hasDebt: boolean; cOracle: bigint; lOracle: bigint };

/**
 * The position's health factor (WAD) with its assets at the given market prices instead of its feeds'
 * (its state and interest as of its block); null without debt or when a price is missing.
 */
function healthAtMarket(r: Revaluation, prices: (symbol: string) => bigint): bigint | null {
  if (r.kind === "pooled") {
    const data = userAccountDataIfPriced(r.view.reserves.map((reserve, i) => ({ ...reserve, priceE8: prices(r.view.assets[i] ?? "") })), r.shares, r.timestamp);
    return data !== undefined && data.totalDebtUsd > 0n ? data.healthFactor : null;
  }
  const m = r.market;
  const price = isolatedPriceE36(prices(m.collateral), prices(m.loan), m.collateralUnit, m.loanUnit);
  return price > 0n && r.hasDebt ? IM.positionHealth(m, m.state, r.position, price).healthFactorWad : null;
}

/**
 * Whether the position is liquidatable with its feeds' prices replaced (cascade attribution):
 * `price(feed, answer)` gives the price to use for `feed`, whose answer is `answer`.
 */
function liquidatableWith(r: Revaluation, price: (feed: string, answer: bigint) => bigint): boolean {
  if (r.kind === "pooled") {
    const reserves = r.view.reserves.map((reserve, i) => ({ ...reserve, priceE8: price(r.view.feeds[i] ?? "", reserve.priceE8) }));
    const data = userAccountDataIfPriced(reserves, r.shares, r.timestamp);
    return data !== undefined && data.totalDebtUsd > 0n && data.healthFactor < WAD;
  }
  const m = r.market;
  const scaled = isolatedPriceE36(price(m.collateralFeed, r.cOracle), price(m.loanFeed, r.lOracle), m.collateralUnit, m.loanUnit);
  return scaled > 0n && r.hasDebt && !IM.positionHealth(m, m.state, r.position, scaled).healthy;
}

/**
 * The position's health factor (WAD) with its feeds' prices replaced as in `liquidatableWith` and, in a
 * pooled protocol, its interest accrued to `timestamp` (what the pool computes then); null without debt
 * or when a price is missing.
 */
function healthWith(r: Revaluation, price: (feed: string, answer: bigint) => bigint, timestamp: bigint): bigint | null {
  if (r.kind === "pooled") {
    const reserves = r.view.reserves.map((reserve, i) => ({ ...reserve, priceE8: price(r.view.feeds[i] ?? "", reserve.priceE8) }));
    const data = userAccountDataIfPriced(reserves, r.shares, timestamp);
    return data !== undefined && data.totalDebtUsd > 0n ? data.healthFactor : null;
  }
  const m = r.market;
  const scaled = isolatedPriceE36(price(m.collateralFeed, r.cOracle), price(m.loanFeed, r.lOracle), m.collateralUnit, m.loanUnit);
  return scaled > 0n && r.hasDebt ? IM.positionHealth(m, m.state, r.position, scaled).healthFactorWad : null;
}

/** One state cascade attribution tries: feeds' prices scaled by factors, after putting back `parent`'s sales. */
interface AttributionStep {
  parent: SaleSource | null;
  /** A feed's price in this state, given its answer (memoized: many positions share the feeds). */
  price: (feed: string, answer: bigint) => bigint;
}

interface AttributionPlan {
  steps: AttributionStep[];
}

function attributionStep(factors: ReadonlyMap<string, Decimal>, parent: SaleSource | null): AttributionStep {
  const frozen = new Map(factors);
  const memo = new Map<string, bigint>();
  return {
    parent,
    price: (feed, answer) => {
      const factor = frozen.get(feed);
      if (factor === undefined) return answer;
      const key = `${feed}/${answer}`;
      let scaled = memo.get(key);
      if (scaled === undefined) {
        scaled = scalePriceE8(answer, factor);
        memo.set(key, scaled);
      }
      return scaled;
    },
  };
}

/** Topic 0 of ERC-20's `Transfer(address,address,uint256)`. */
const TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

/** A position's latent bad debt at market prices: its debt less its collateral when positive (USD, scaled). */
function latentAtMarket(debt: bigint, collateral: bigint): bigint {
  return debt > 0n && debt > collateral ? debt - collateral : 0n;
}

/** Every position valued at one block, with the wallets and market prices (group outcomes' input). */
interface ValuedSnapshot extends Omit<HolderSnapshot, "positions"> {
  positions: PositionValues[];
}

export class Observer {
  /** Open episodes per position key (`positionKey`). */
  private readonly open = new Map<string, LiquidatableEpisode>();
  readonly episodes: LiquidatableEpisode[] = [];
  private readonly cumulative = new Map<string, { recorded: Decimal; absorbed: Decimal; socialized: Decimal }>();
  private readonly contractToProtocol = new Map<string, string>();
  /** Atomic liquidator contracts (their events carry what the liquidator really made). */
  private readonly atomicLiquidators = new Map<string, import("../world").ContractHandle>();
  private readonly pairToAmm = new Map<string, string>();
  private readonly tokenToSymbol = new Map<string, string>();
  private readonly ledger: CascadeLedger;
  /** AMM reserves at the end of the last recorded block: where this block's swaps start from. */
  private lastAmms = new Map<string, { reserve0: bigint; reserve1: bigint }>();
  /** Health factors at oracle prices at the end of the last recorded block, per position key. */
  private lastHealth = new Map<string, bigint>();
  /** The position index: shares of every holder per pooled protocol. */
  private readonly pooledShares = new Map<string, Map<Address, UserShares>>();
  /** Positions of every holder per isolated market (`${protocol}/${market key}`). */
  private readonly isolatedPositions = new Map<string, Map<Address, IM.Position>>();
  /** Every position at market prices, wallets and prices at block 0 and at the last recorded block (group outcomes). */
  private firstSnapshot: ValuedSnapshot | null = null;
  private lastSnapshot: ValuedSnapshot | null = null;
  /** The position `BlockRecord.watched` follows, chosen at block 0 (./watchedPosition.ts). */
  private watchedId: WatchedPositionId | null = null;
  /** Liquidations recorded so far (the next one's index). */
  private liquidationCount = 0;
  private readonly liquidationSources: SaleSource[] = [];
  private readonly usd: UsdScale;
  /** Holders of each protocol's (`name`) or isolated market's (`name/market`) positions, listed once. */
  private readonly holders = new Map<string, { all: Address[]; byLowercase: Map<string, Address>; allRead: boolean }>();
  /** Agents' token balances as last read, by `balanceKey` (re-read when a `Transfer` names the agent). */
  private readonly balanceCache = new Map<string, bigint>();

  constructor(private readonly world: World) {
    this.usd = new UsdScale([...world.assets.values()].map((a) => a.spec.decimals));
    for (const [name, p] of world.protocols) {
      this.contractToProtocol.set(p.contract.address.toLowerCase(), name);
      this.cumulative.set(name, { recorded: new Dec(0), absorbed: new Dec(0), socialized: new Dec(0) });
    }
    for (const [name, amm] of world.amms) this.pairToAmm.set(amm.pair.address.toLowerCase(), name);
    for (const l of world.liquidators) if (l.atomic) this.atomicLiquidators.set(l.atomic.address.toLowerCase(), l.atomic);
    const twapWindows = new Map<string, number>();
    for (const o of world.scenario.oracles) {
      if (o.type === "ammTwap") twapWindows.set(o.amm, Math.max(twapWindows.get(o.amm) ?? 0, o.windowSeconds));
    }
    this.ledger = new CascadeLedger(twapWindows);
    for (const [symbol, a] of world.assets) this.tokenToSymbol.set(a.token.address.toLowerCase(), symbol);
  }

  /**
   * Each borrower and looper group's outcome, from block 0 to the last recorded block
   * (simulator/observe/groups.ts); empty before block 0 is recorded.
   */
  groupOutcomes(liquidations: readonly LiquidationRecord[], badDebt: readonly BadDebtRecord[]): GroupOutcome[] {
    if (!this.firstSnapshot || !this.lastSnapshot) return [];
    const holders = (snapshot: ValuedSnapshot): HolderSnapshot => ({
      ...snapshot,
      positions: snapshot.positions.map((v) => ({ borrower: v.borrower, collateralUsd: this.usd.toDecimal(v.collateralScaled), debtUsd: this.usd.toDecimal(v.debtScaled) })),
    });
    return groupOutcomes(this.world, holders(this.firstSnapshot), holders(this.lastSnapshot), liquidations, badDebt);
  }

  /** Episode starts of positions liquidatable now, per position key. */
  episodeStarts(): Map<string, number> {
    return new Map([...this.open].map(([k, e]) => [k, e.startBlock]));
  }

  /**
   * The open episode of a position liquidated in `block`, or a new one starting in `block` when the
   * position became liquidatable and was liquidated within this block (a backrun of the oracle update:
   * generation 0).
   */
  private episodeFor(protocol: string, borrower: Address, market: string | null, block: number): LiquidatableEpisode {
    const key = positionKey(protocol, borrower, market ?? undefined);
    const open = this.open.get(key);
    if (open) return open;
    const episode: LiquidatableEpisode = { protocol, borrower, market, startBlock: block, firstLiquidationBlock: null, endBlock: null, generation: 0, causedBy: null };
    this.open.set(key, episode);
    this.episodes.push(episode);
    return episode;
  }

  /**
   * Reads the world after `block`: one batched `eth_call` (the world's `Multicall`) for every feed, every
   * protocol's totals, every AMM, the agents' balances and the positions that changed. Positions are an
   * index kept from events: shares and collateral change only through the protocols' entry points, each
   * of which emits an event naming the account, so after block 0 only the accounts named by the block's
   * events are read again (`receipts`); interest changes the totals, which are read every block. `full`
   * reads every position (block 0, and `--check`, which compares the index with the chain).
   */
  async read(block: number, receipts?: readonly Receipt[], full = receipts === undefined): Promise<ObservedState> {
    const touched = full ? undefined : this.touchedAccounts(receipts ?? []);
    const batch = new BatchRead(this.world.chain, this.world.multicall);
    const feedSlots = [
      ...[...this.world.assets].map(([symbol, a]) => [symbol, a.feed] as const),
      ...[...this.world.oracles].map(([name, o]) => [name, o.feed] as const),
    ].map(([name, feed]) => [name, batch.add<[bigint, bigint, bigint, bigint, bigint]>(feed, "latestRoundData")] as const);
    const pooledSlots = new Map<string, BatchSlot<ReserveSnapshotAbi[]>>();
    const marketSlots = new Map<string, BatchSlot<MarketSnapshotAbi>>();
    const userReads: (() => Promise<void>)[] = [];
    for (const [name, p] of this.world.protocols) {
      if (p.kind === "pooled") {
        pooledSlots.set(name, batch.add(this.world.lens, "getReservesSnapshot", [p.pool.address]));
        const cache = this.cacheOf(this.pooledShares, name);
        const users = this.toRead(name, () => positionHolders(this.world, name), cache, touched);
        userReads.push(...this.chunked(users, batch, (b, chunk) => {
          const slot = b.add<{ supplyShares: readonly bigint[]; borrowShares: readonly bigint[] }[]>(this.world.lens, "getUsersShares", [p.pool.address, chunk]);
          return () => chunk.forEach((u, i) => {
            const row = slot.value()?.[i];
            if (row) cache.set(u, { supplyShares: [...row.supplyShares], borrowShares: [...row.borrowShares] });
          });
        }));
        continue;
      }
      for (const m of p.markets) {
        const key = `${name}/${m.key}`;
        marketSlots.set(key, batch.add(this.world.isolatedLens, "getMarketSnapshot", [p.market.address, m.id]));
        const cache = this.cacheOf(this.isolatedPositions, key);
        const users = this.toRead(key, () => positionHolders(this.world, name, m.spec), cache, touched);
        userReads.push(...this.chunked(users, batch, (b, chunk) => {
          const slot = b.add<PositionAbi[]>(this.world.isolatedLens, "getPositions", [p.market.address, m.id, chunk]);
          return () => chunk.forEach((u, i) => {
            const r = slot.value()?.[i];
            if (r) cache.set(u, { supplyShares: r.supplyShares, borrowShares: r.borrowShares, collateral: r.collateral });
          });
        }));
      }
    }
    const ammSlots = [...this.world.amms].map(([name, amm]) => [name, batch.add<[bigint, bigint, number]>(amm.pair, "getReserves")] as const);
    const holders: { address: Address; symbols: string[] }[] = [
      ...this.world.liquidators.filter((l) => l.atomic === null).map((l) => ({ address: l.address, symbols: [...this.world.assets.keys()] })),
      ...this.world.arbitrageurs.map((a) => {
        const amm = this.world.amms.get(a.amm);
        return { address: a.address, symbols: amm ? [amm.token0, amm.token1] : [] };
      }),
      ...this.world.borrowers.filter((b) => b.defensive).map((b) => ({ address: b.address, symbols: [...b.group.collateral.map((c) => c.asset), b.group.debt] })),
    ];
    // A token balance changes only with a `Transfer` naming its holder (the world's tokens are
    // OpenZeppelin ERC20s: mints and burns emit one too): the others are kept from the last read.
    const transferred = full ? undefined : this.transferParties(receipts ?? []);
    const balanceSlots: [string, BatchSlot<bigint>][] = [];
    const balances = new Map<string, bigint>();
    for (const h of holders) {
      for (const symbol of h.symbols) {
        const token = this.world.assets.get(symbol)?.token;
        if (!token) continue;
        const key = balanceKey(h.address, symbol);
        const kept = this.balanceCache.get(key);
        if (transferred && kept !== undefined && !transferred.has(`${token.address.toLowerCase()}/${h.address.toLowerCase()}`)) balances.set(key, kept);
        else balanceSlots.push([key, batch.add<bigint>(token, "balanceOf", [h.address])]);
      }
    }
    await batch.run();
    for (const read of userReads) await read();
    const timestamp = batch.blockTimestamp;

    const feeds = new Map<string, { ok: boolean; answer: bigint; updatedAt: bigint }>();
    // A feed that reverts is data (the scenario may make it fail); a dead node fails the batch.
    for (const [name, slot] of feedSlots) {
      const round = slot.value();
      feeds.set(name, round ? { ok: true, answer: round[1], updatedAt: round[3] } : { ok: false, answer: 0n, updatedAt: 0n });
    }
    const protocols = new Map<string, ProtocolView>();
    for (const [name, p] of this.world.protocols) {
      if (p.kind === "pooled") {
        const snapshots = pooledSlots.get(name)?.value();
        if (!snapshots) throw new Error(`internal: ${name}'s reserves could not be read`);
        protocols.set(name, this.pooledView(name, p, snapshots, timestamp));
      } else {
        protocols.set(name, this.isolatedView(name, p, (key) => marketSlots.get(key)?.value()));
      }
    }
    const amms = new Map<string, { reserve0: bigint; reserve1: bigint }>();
    for (const [name, slot] of ammSlots) {
      const r = slot.value();
      if (!r) throw new Error(`internal: ${name}'s reserves could not be read`);
      amms.set(name, { reserve0: r[0], reserve1: r[1] });
    }
    for (const [key, slot] of balanceSlots) {
      const value = slot.value() ?? 0n;
      balances.set(key, value);
      this.balanceCache.set(key, value);
    }
    return { block, timestamp, feeds, protocols, amms, balances };
  }

  /** `${token}/${holder}` (lowercase) of every side of every `Transfer` of the world's tokens in `receipts`. */
  private transferParties(receipts: readonly Receipt[]): Set<string> {
    const out = new Set<string>();
    for (const receipt of receipts) {
      if (receipt.status !== "success") continue;
      for (const log of receipt.logs) {
        if (log.topics[0]?.toLowerCase() !== TRANSFER_TOPIC || log.topics.length < 3 || !this.tokenToSymbol.has(log.address.toLowerCase())) continue;
        const token = log.address.toLowerCase();
        for (const topic of [log.topics[1], log.topics[2]]) if (topic) out.add(`${token}/0x${topic.slice(26).toLowerCase()}`);
      }
    }
    return out;
  }

  /**
   * The holders of `key`'s positions to read: all of them on a full read or while some were never
   * read, else those named by the block's events (`touched`, lowercase).
   */
  private toRead(key: string, list: () => Address[], cache: ReadonlyMap<Address, unknown>, touched: ReadonlySet<string> | undefined): Address[] {
    let holders = this.holders.get(key);
    if (!holders) {
      const all = list();
      holders = { all, byLowercase: new Map(all.map((a) => [a.toLowerCase(), a])), allRead: false };
      this.holders.set(key, holders);
    }
    // The index only grows: once every holder was read, only the touched ones need reading again.
    holders.allRead ||= holders.all.every((a) => cache.has(a));
    if (!touched || !holders.allRead) return holders.all.filter((u) => !touched || touched.has(u.toLowerCase()) || !cache.has(u));
    const out: Address[] = [];
    for (const lower of touched) {
      const holder = holders.byLowercase.get(lower);
      if (holder !== undefined) out.push(holder);
    }
    return out;
  }

  /** Accounts named by the protocols' events in `receipts` (lowercase). */
  private touchedAccounts(receipts: readonly Receipt[]): Set<string> {
    const out = new Set<string>();
    for (const receipt of receipts) {
      if (receipt.status !== "success") continue;
      for (const log of receipt.logs) {
        const protocol = this.contractToProtocol.get(log.address.toLowerCase());
        const wp = protocol ? this.world.protocols.get(protocol) : undefined;
        if (!wp) continue;
        try {
          const event = decodeLog(protocolContract(wp).abi, log);
          for (const value of Object.values((event.args ?? {}) as Record<string, unknown>)) {
            if (typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value)) out.add(value.toLowerCase());
          }
        } catch {
          // not an event of the protocol's ABI
        }
      }
    }
    return out;
  }

  private cacheOf<T>(caches: Map<string, Map<Address, T>>, key: string): Map<Address, T> {
    const cache = caches.get(key) ?? new Map<Address, T>();
    caches.set(key, cache);
    return cache;
  }

  /**
   * Queues position reads of `users` in lens calls of USERS_PER_CALL accounts: the first in `batch`,
   * the rest each in an `eth_call` of its own (see USERS_PER_CALL). Returns the steps that store the
   * results (run after `batch`).
   */
  private chunked(
    users: readonly Address[],
    batch: BatchRead,
    add: (b: BatchRead, chunk: Address[]) => () => void,
  ): (() => Promise<void>)[] {
    const steps: (() => Promise<void>)[] = [];
    for (let i = 0; i < users.length; i += USERS_PER_CALL) {
      const chunk = users.slice(i, i + USERS_PER_CALL);
      if (i === 0) {
        const store = add(batch, chunk);
        steps.push(async () => store());
      } else {
        steps.push(async () => {
          const own = new BatchRead(this.world.chain, this.world.multicall);
          const store = add(own, chunk);
          await own.run();
          store();
        });
      }
    }
    return steps;
  }

  private pooledView(name: string, p: WorldPooledProtocol, snapshots: readonly ReserveSnapshotAbi[], timestamp: bigint): PooledProtocolView {
    const reserves: ReserveModel[] = snapshots.map((s, i) => {
      const spec = p.spec.reserves[i];
      const asset = this.world.assets.get(spec?.asset ?? "");
      if (!spec || !asset) throw new Error(`internal: reserve ${i} of ${name} unknown`);
      return { config: spec, state: { ...s.state }, unit: asset.unit, priceE8: s.feedOk && s.answer > 0n ? s.answer : 0n };
    });
    const users = new Map<Address, UserShares>();
    const accounts = new Map<Address, UserAccountData>();
    for (const [address, shares] of this.cacheOf(this.pooledShares, name)) {
      users.set(address, shares);
      const data = userAccountDataIfPriced(reserves, shares, timestamp);
      if (data) accounts.set(address, data);
    }
    const l = p.spec.liquidation;
    return {
      kind: "pooled",
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

  private isolatedView(name: string, p: WorldIsolatedProtocol, snapshotOf: (key: string) => MarketSnapshotAbi | undefined): IsolatedProtocolView {
    const markets: IsolatedMarketView[] = [];
    for (const m of p.markets) {
      const key = `${name}/${m.key}`;
      const snapshot = snapshotOf(key);
      const collateral = this.world.assets.get(m.spec.collateral);
      const loan = this.world.assets.get(m.spec.loan);
      if (!snapshot || !collateral || !loan) throw new Error(`internal: market ${m.key} of ${name} could not be read`);
      const positions = new Map<Address, IM.Position>();
      for (const [address, r] of this.cacheOf(this.isolatedPositions, key)) {
        if (r.collateral > 0n || r.borrowShares > 0n || r.supplyShares > 0n) positions.set(address, r);
      }
      markets.push({
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
      });
    }
    return { kind: "isolated", name, address: p.market.address, markets };
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
  ): { record: BlockRecord; liquidations: LiquidationRecord[]; badDebt: BadDebtRecord[] } {
    const liquidations: LiquidationRecord[] = [];
    const badDebt: BadDebtRecord[] = [];
    const market = (symbol: string) => marketPriceE8.get(symbol) ?? 0n;
    const unit = (symbol: string) => this.world.assets.get(symbol)?.unit ?? 1n;
    const liquidationsPerProtocol = new Map<string, { count: number; repaidUsd: Decimal }>();
    const reserves = new Map(this.lastAmms);
    /** The last liquidation per `${agent}/${protocol}/${borrower}` in this block, for tagged sales. */
    const byLiquidator = new Map<string, number>();
    let gasUsed = 0n;

    /** The positions as the previous block left them, by key (built on the first liquidation of the block). */
    let previous: Map<string, PositionValues> | null = null;
    const marketHealthBefore = (key: string): bigint | null => {
      previous ??= new Map((this.lastSnapshot?.positions ?? []).map((v) => [v.key, v]));
      const before = previous.get(key);
      return before ? healthAtMarket(before.revaluation, market) : null;
    };

    const addLiquidation = (
      receiptIntent: SentIntent,
      fields: Omit<LiquidationRecord, "id" | "block" | "liquidator" | "marketHealthFactorWad" | "healthFactorAfterWad" | "episodeStartBlock" | "delayBlocks" | "generation" | "causedBy" | "debtRepaidUsd" | "collateralToLiquidatorUsd" | "gasCostUsd" | "profitUsd">,
      gasCostUsd: Decimal,
    ): number => {
      const episode = this.episodeFor(fields.protocol, fields.borrower, fields.market, block);
      if (episode.firstLiquidationBlock === null) episode.firstLiquidationBlock = block;
      const debtRepaidUsd = usdValue(fields.debtRepaid, market(fields.debt), unit(fields.debt));
      const collateralToLiquidatorUsd = usdValue(fields.collateralSeized - fields.protocolFee, market(fields.collateral), unit(fields.collateral));
      const id = this.liquidationCount++;
      liquidations.push({
        id,
        block,
        liquidator: receiptIntent.agent,
        ...fields,
        marketHealthFactorWad: marketHealthBefore(positionKey(fields.protocol, fields.borrower, fields.market ?? undefined)),
        healthFactorAfterWad: null,
        episodeStartBlock: episode.startBlock,
        delayBlocks: block - episode.startBlock,
        generation: episode.generation,
        causedBy: episode.causedBy,
        debtRepaidUsd,
        collateralToLiquidatorUsd,
        gasCostUsd,
        profitUsd: collateralToLiquidatorUsd.minus(debtRepaidUsd).minus(gasCostUsd),
      });
      this.liquidationSources[id] = { liquidation: id, generation: episode.generation, protocol: fields.protocol };
      byLiquidator.set(`${receiptIntent.agent}/${fields.protocol}/${fields.borrower.toLowerCase()}`, id);
      const s = liquidationsPerProtocol.get(fields.protocol) ?? { count: 0, repaidUsd: new Dec(0) };
      liquidationsPerProtocol.set(fields.protocol, { count: s.count + 1, repaidUsd: s.repaidUsd.plus(debtRepaidUsd) });
      return id;
    };

    for (const { receipt, intent } of receipts) {
      gasUsed += receipt.gasUsed;
      if (receipt.status !== "success") continue;
      const gasCostUsd = usdValue(receipt.gasUsed * receipt.effectiveGasPrice, gasTokenPriceE8, 10n ** 18n);
      let lastBadDebt: BadDebtRecord | undefined;
      let liquidationInReceipt: number | null = null;
      for (const log of receipt.logs) {
        const address = log.address.toLowerCase();
        const atomic = this.atomicLiquidators.get(address);
        if (atomic && liquidationInReceipt !== null) {
          this.settleAtomic(atomic, log, liquidations, liquidationInReceipt, market);
          continue;
        }
        const ammName = this.pairToAmm.get(address);
        if (ammName) {
          const amm = this.world.amms.get(ammName);
          if (!amm) continue;
          let sync: { eventName: string; args: Record<string, unknown> };
          try {
            sync = decodeLog(amm.pair.abi, log);
          } catch {
            continue;
          }
          if (sync.eventName !== "Sync") continue;
          const after = { reserve0: BigInt(sync.args.reserve0 as bigint), reserve1: BigInt(sync.args.reserve1 as bigint) };
          const before = reserves.get(ammName) ?? after;
          const tagged = intent.saleOf ? byLiquidator.get(`${intent.agent}/${intent.saleOf.protocol}/${intent.saleOf.borrower.toLowerCase()}`) : undefined;
          const saleId = liquidationInReceipt ?? tagged ?? null;
          this.ledger.move(ammName, before, after, saleId === null ? null : (this.liquidationSources[saleId] ?? null));
          reserves.set(ammName, after);
          continue;
        }
        const protocol = this.contractToProtocol.get(address);
        const wp = protocol ? this.world.protocols.get(protocol) : undefined;
        if (!protocol || !wp) continue;
        const context = { protocol, deployed: wp, symbolOf: (token: string) => this.tokenToSymbol.get(token.toLowerCase()) ?? "?" };
        for (const event of venueOf(wp.kind).decodeEvents(context, log)) {
          if (event.type === "liquidation") {
            const l = event.liquidation;
            const healthFactorWad = event.healthFromObserver ? (this.lastHealth.get(positionKey(protocol, l.borrower, l.market ?? undefined)) ?? 0n) : l.healthFactorWad;
            liquidationInReceipt = addLiquidation(intent, { ...l, healthFactorWad }, gasCostUsd);
          } else if (event.type === "loss") {
            lastBadDebt = badDebtRecord(block, event.loss, (amount) => usdValue(amount, market(event.loss.asset), unit(event.loss.asset)));
            badDebt.push(lastBadDebt);
          } else if (lastBadDebt) {
            absorb(lastBadDebt, event.by, event.amount, usdValue(event.amount, market(lastBadDebt.asset), unit(lastBadDebt.asset)));
          }
        }
      }
    }
    this.ledger.endBlock(state.timestamp);
    this.lastAmms = new Map(state.amms);
    for (const b of badDebt) {
      const c = this.cumulative.get(b.protocol);
      if (!c) continue;
      c.recorded = c.recorded.plus(b.amountUsd);
      c.absorbed = c.absorbed.plus(b.coveredByReservesUsd);
      c.socialized = c.socialized.plus(b.socializedToSuppliersUsd);
    }

    const protocols: Record<string, ProtocolBlockStats> = {};
    const health = new Map<string, bigint>();
    /** Cascade attribution's states per set of feeds, for this block. */
    const plans = new Map<string, AttributionPlan>();
    const snapshot: ValuedSnapshot = { positions: [], balances: state.balances, marketPriceE8 };
    /** Positions liquidated in this block, per protocol (each was liquidatable before the block's liquidations). */
    const liquidated = new Map<string, string[]>();
    for (const l of liquidations) liquidated.set(l.protocol, [...(liquidated.get(l.protocol) ?? []), positionKey(l.protocol, l.borrower, l.market ?? undefined)]);
    for (const [name, view] of state.protocols) {
      const values = view.kind === "pooled" ? this.pooledValues(name, view, state, market) : this.isolatedValues(name, view, state, market);
      snapshot.positions.push(...values);
      const liquidatableBefore = new Set(liquidated.get(name));
      let positions = 0;
      let liquidatable = 0;
      let underwater = 0;
      let totalDebt = 0n;
      let totalCollateral = 0n;
      let latentOracle = 0n;
      let latentMarket = 0n;
      const histogram = HEALTH_FACTOR_BUCKET_EDGES_WAD.map(() => 0).concat([0]);
      for (const v of values) {
        health.set(v.key, v.healthFactorWad);
        if (v.liquidatable && !this.open.has(v.key)) {
          const cause = this.attribute(v, state, plans);
          const episode: LiquidatableEpisode = {
            protocol: name,
            borrower: v.borrower,
            market: v.market,
            startBlock: block,
            firstLiquidationBlock: null,
            endBlock: null,
            generation: cause.generation,
            causedBy: cause.parent?.liquidation ?? null,
          };
          this.open.set(v.key, episode);
          this.episodes.push(episode);
        } else if (!v.liquidatable && this.open.has(v.key)) {
          const episode = this.open.get(v.key);
          if (episode) episode.endBlock = block;
          this.open.delete(v.key);
        }
        if (!v.hasDebt) continue;
        positions++;
        const bucket = HEALTH_FACTOR_BUCKET_EDGES_WAD.findIndex((edge) => v.healthFactorWad < edge);
        const index = bucket < 0 ? HEALTH_FACTOR_BUCKET_EDGES_WAD.length : bucket;
        histogram[index] = (histogram[index] ?? 0) + 1;
        if (v.liquidatable) {
          liquidatable++;
          liquidatableBefore.add(v.key);
        }
        if (v.underwaterAtMarket) underwater++;
        totalDebt += v.debtScaled;
        totalCollateral += v.collateralScaled;
        latentOracle += v.latentOracleScaled;
        latentMarket += v.latentMarketScaled;
      }
      const c = this.cumulative.get(name);
      const l = liquidationsPerProtocol.get(name);
      protocols[name] = {
        positions,
        liquidatable,
        underwaterAtMarket: underwater,
        liquidatableBeforeLiquidations: liquidatableBefore.size,
        liquidations: l?.count ?? 0,
        debtRepaidUsd: l?.repaidUsd ?? new Dec(0),
        totalDebtUsd: this.usd.toDecimal(totalDebt),
        totalCollateralUsd: this.usd.toDecimal(totalCollateral),
        recordedBadDebtUsd: c?.recorded ?? new Dec(0),
        absorbedByReservesUsd: c?.absorbed ?? new Dec(0),
        socializedToSuppliersUsd: c?.socialized ?? new Dec(0),
        latentBadDebtOracleUsd: this.usd.toDecimal(latentOracle),
        latentBadDebtMarketUsd: this.usd.toDecimal(latentMarket),
        healthFactorHistogram: histogram,
      };
    }
    this.lastHealth = health;
    const endOfBlock = new Map(snapshot.positions.map((v) => [v.key, v]));
    setHealthAfter(liquidations, (l) => positionKey(l.protocol, l.borrower, l.market ?? undefined), endOfBlock);
    const watched = this.watchedHealth(endOfBlock, state);
    if (this.firstSnapshot === null) this.firstSnapshot = snapshot;
    this.lastSnapshot = snapshot;

    const oraclePriceE8: Record<string, bigint | null> = {};
    const marketRecord: Record<string, bigint> = {};
    const ammOraclePriceE8: Record<string, bigint | null> = {};
    for (const symbol of this.world.assets.keys()) {
      const f = state.feeds.get(symbol);
      oraclePriceE8[symbol] = f?.ok ? f.answer : null;
      marketRecord[symbol] = market(symbol);
    }
    for (const name of this.world.oracles.keys()) {
      const f = state.feeds.get(name);
      ammOraclePriceE8[name] = f?.ok ? f.answer : null;
    }
    const ammPriceE8: Record<string, bigint> = {};
    for (const [name, amm] of this.world.amms) {
      const r = state.amms.get(name);
      const a = this.world.assets.get(amm.spec.tokenA);
      const b = this.world.assets.get(amm.spec.tokenB);
      if (!r || !a || !b || r.reserve0 === 0n || r.reserve1 === 0n) continue;
      const aIs0 = amm.token0 === amm.spec.tokenA;
      const reserveA = aIs0 ? r.reserve0 : r.reserve1;
      const reserveB = aIs0 ? r.reserve1 : r.reserve0;
      // tokenA's USD price implied by the pool: (reserveB / reserveA) in whole tokens x tokenB's market price.
      ammPriceE8[name] = (reserveB * a.unit * market(amm.spec.tokenB)) / (reserveA * b.unit);
    }
    const record: BlockRecord = {
      block,
      timestamp: state.timestamp,
      marketPriceE8: marketRecord,
      oraclePriceE8,
      ammOraclePriceE8,
      ammPriceE8,
      baseFeeWei,
      gasUsed,
      transactions: receipts.length,
      failedTransactions: receipts.filter((r) => r.receipt.status !== "success").length,
      protocols,
      watched,
    };
    return { record, liquidations, badDebt };
  }

  /**
   * The watched position's health factors in this block, from its values at the block's end
   * (`positions`, by key) and, before the block's liquidations, its state as the last recorded block
   * left it at this block's feed prices. Chooses the position at block 0.
   */
  private watchedHealth(positions: ReadonlyMap<string, PositionValues>, state: ObservedState): WatchedPositionHealth | null {
    const setUp = this.firstSnapshot === null;
    if (setUp) this.watchedId = chooseWatchedPosition([...positions.values()]);
    const id = this.watchedId;
    if (id === null) return null;
    const now = positions.get(id.key);
    const healthFactorWad = now?.hasDebt ? now.healthFactorWad : null;
    const feedPrice = (feed: string): bigint => {
      const f = state.feeds.get(feed);
      return f?.ok && f.answer > 0n ? f.answer : 0n;
    };
    const before = this.lastSnapshot?.positions.find((v) => v.key === id.key);
    return {
      protocol: id.protocol,
      market: id.market,
      borrower: id.borrower,
      healthFactorWad,
      marketHealthFactorWad: now?.marketHealthFactorWad ?? null,
      healthFactorBeforeLiquidationsWad: setUp ? healthFactorWad : before ? healthWith(before.revaluation, (feed) => feedPrice(feed), state.timestamp) : null,
    };
  }

  /**
   * An atomic liquidation's liquidator paid the pair for the flash-borrowed debt with part of the
   * collateral, at the pair's price after its own impact: its profit is the collateral it kept
   * (`AtomicLiquidation.profitCollateral`) at market price, less gas.
   */
  private settleAtomic(
    atomic: import("../world").ContractHandle,
    log: Receipt["logs"][number],
    liquidations: LiquidationRecord[],
    id: number,
    market: (symbol: string) => bigint,
  ): void {
    let event: { eventName: string; args: Record<string, unknown> };
    try {
      event = decodeLog(atomic.abi, log);
    } catch {
      return;
    }
    const record = liquidations.find((l) => l.id === id);
    if (event.eventName !== "AtomicLiquidation" || !record) return;
    const unit = this.world.assets.get(record.collateral)?.unit ?? 1n;
    const kept = usdValue(event.args.profitCollateral as bigint, market(record.collateral), unit);
    record.profitUsd = kept.minus(record.gasCostUsd);
  }

  /**
   * Why a position that just became liquidatable did: generation 0 unless it would be healthy with
   * the AMM-read feeds it uses at their values without outstanding liquidation sales (./cascade.ts).
   */
  private attribute(v: PositionValues, state: ObservedState, plans: Map<string, AttributionPlan>): Attribution {
    const feeds = [...new Set(v.feeds.map((f) => f.feed))].filter((feed) => this.world.oracles.has(feed));
    const key = feeds.join("\n");
    let plan = plans.get(key);
    if (!plan) {
      plan = this.attributionPlan(feeds, state);
      plans.set(key, plan);
    }
    if (plan.steps.length === 0) return { generation: 0, parent: null };
    // With every sale undone (step 0), then putting them back in the order they happened: the first
    // state in which the position is liquidatable names the sale that tipped it over.
    for (const step of plan.steps) {
      if (liquidatableWith(v.revaluation, step.price)) return step.parent === null ? { generation: 0, parent: null } : { generation: step.parent.generation + 1, parent: step.parent };
    }
    return { generation: 0, parent: null };
  }

  /**
   * The states `attribute` tries for positions on `feeds` (AMM-read feeds), shared by every position
   * that becomes liquidatable in a block: every outstanding sale undone (each sale's factor on its
   * feed), then the sales put back one liquidation at a time in the order they happened (dividing
   * their factors out). No steps without outstanding sales.
   */
  private attributionPlan(feeds: readonly string[], state: ObservedState): AttributionPlan {
    // Outstanding sales on the feeds, each with its factor on that feed.
    const sales: { feed: string; source: SaleSource; factor: Decimal }[] = [];
    const factors = new Map<string, Decimal>();
    for (const feed of feeds) {
      const oracle = this.world.oracles.get(feed);
      const amm = oracle ? this.world.amms.get(oracle.spec.amm) : undefined;
      if (!oracle || !amm) continue;
      const cf = this.ledger.counterfactual(oracle.spec, amm.token0 === oracle.spec.asset, state.timestamp);
      factors.set(feed, new Dec(1));
      for (const e of cf.entries) {
        sales.push({ feed, source: e.source, factor: e.factor });
        factors.set(feed, (factors.get(feed) ?? new Dec(1)).times(e.factor));
      }
    }
    if (sales.length === 0) return { steps: [] };
    const steps: AttributionStep[] = [attributionStep(factors, null)];
    sales.sort((a, b) => a.source.liquidation - b.source.liquidation);
    for (let i = 0; i < sales.length; i++) {
      const sale = sales[i];
      if (!sale) continue;
      factors.set(sale.feed, (factors.get(sale.feed) ?? new Dec(1)).div(sale.factor));
      // Sales of one liquidation go back together.
      if (sales[i + 1]?.source.liquidation === sale.source.liquidation) continue;
      steps.push(attributionStep(factors, sale.source));
    }
    return { steps };
  }

  private pooledValues(name: string, view: PooledProtocolView, state: ObservedState, market: (symbol: string) => bigint): PositionValues[] {
    const atMarket = view.reserves.map((r, i) => ({ ...r, priceE8: market(view.assets[i] ?? "") }));
    const usd = this.usd;
    const out: PositionValues[] = [];
    // Positions with the same reserves supplied and borrowed share one list of feeds.
    const feedLists = new Map<string, PositionValues["feeds"]>();
    for (const [borrower, shares] of view.users) {
      const oracle = view.accounts.get(borrower);
      const atM = userAccountDataIfPriced(atMarket, shares, state.timestamp);
      const liquidatable = oracle !== undefined && oracle.totalDebtUsd > 0n && oracle.healthFactor < WAD;
      const hasDebt = atM !== undefined && atM.totalDebtUsd > 0n;
      let pattern = "";
      for (let i = 0; i < view.reserves.length; i++) pattern += `${(shares.supplyShares[i] ?? 0n) > 0n ? 1 : 0}${(shares.borrowShares[i] ?? 0n) > 0n ? 1 : 0}`;
      let feeds = feedLists.get(pattern);
      if (!feeds) {
        feeds = [];
        for (let i = 0; i < view.reserves.length; i++) {
          const feed = view.feeds[i] ?? "";
          if ((shares.supplyShares[i] ?? 0n) > 0n) feeds.push({ feed, adverse: 1 });
          if ((shares.borrowShares[i] ?? 0n) > 0n) feeds.push({ feed, adverse: -1 });
        }
        feedLists.set(pattern, feeds);
      }
      const debt = atM ? usd.e8(atM.totalDebtUsd) : 0n;
      const collateral = atM ? usd.e8(atM.totalCollateralUsd) : 0n;
      out.push({
        key: positionKey(name, borrower),
        protocol: name,
        borrower,
        market: null,
        liquidatable,
        underwaterAtMarket: hasDebt && atM !== undefined && atM.healthFactor < WAD,
        hasDebt,
        debtScaled: debt,
        collateralScaled: collateral,
        latentOracleScaled: hasDebt && oracle && oracle.totalDebtUsd > oracle.totalCollateralUsd ? usd.e8(oracle.totalDebtUsd - oracle.totalCollateralUsd) : 0n,
        latentMarketScaled: latentAtMarket(debt, collateral),
        healthFactorWad: oracle?.healthFactor ?? 0n,
        marketHealthFactorWad: hasDebt && atM !== undefined ? atM.healthFactor : null,
        feeds,
        revaluation: { kind: "pooled", view, shares, timestamp: state.timestamp },
      });
    }
    return out;
  }

  private isolatedValues(name: string, view: IsolatedProtocolView, state: ObservedState, market: (symbol: string) => bigint): PositionValues[] {
    const usd = this.usd;
    const out: PositionValues[] = [];
    const feedPrice = (feed: string) => {
      const f = state.feeds.get(feed);
      return f?.ok && f.answer > 0n ? f.answer : 0n;
    };
    for (const m of view.markets) {
      const cOracle = feedPrice(m.collateralFeed);
      const lOracle = feedPrice(m.loanFeed);
      const marketPrice = isolatedPriceE36(market(m.collateral), market(m.loan), m.collateralUnit, m.loanUnit);
      const loanPrice = market(m.loan);
      const collateralPrice = market(m.collateral);
      // Every position of a market depends on the same two feeds.
      const feeds: PositionValues["feeds"] = [
        { feed: m.collateralFeed, adverse: 1 },
        { feed: m.loanFeed, adverse: -1 },
      ];
      for (const [borrower, position] of m.positions) {
        const h = m.priceE36 > 0n ? IM.positionHealth(m, m.state, position, m.priceE36) : null;
        const hm = marketPrice > 0n ? IM.positionHealth(m, m.state, position, marketPrice) : null;
        const borrowed = hm?.borrowed ?? h?.borrowed ?? 0n;
        const debt = usd.amount(borrowed, loanPrice, m.loanUnit);
        const collateral = usd.amount(position.collateral, collateralPrice, m.collateralUnit);
        const hasDebt = borrowed > 0n;
        let latentOracle = 0n;
        if (hasDebt && cOracle > 0n && lOracle > 0n) {
          const debtOracle = usd.amount(borrowed, lOracle, m.loanUnit);
          const collateralOracle = usd.amount(position.collateral, cOracle, m.collateralUnit);
          if (debtOracle > collateralOracle) latentOracle = debtOracle - collateralOracle;
        }
        out.push({
          key: positionKey(name, borrower, m.key),
          protocol: name,
          borrower,
          market: m.key,
          liquidatable: h !== null && hasDebt && !h.healthy,
          underwaterAtMarket: hm !== null && hasDebt && !hm.healthy,
          hasDebt,
          debtScaled: debt,
          collateralScaled: collateral,
          latentOracleScaled: latentOracle,
          latentMarketScaled: latentAtMarket(debt, collateral),
          healthFactorWad: h?.healthFactorWad ?? 0n,
          marketHealthFactorWad: hm !== null && hasDebt ? hm.healthFactorWad : null,
          feeds,
          revaluation: { kind: "isolated", market: m, position, hasDebt, cOracle, lOracle },
        });
      }
    }
    return out;
  }
}

/** A write-off as the records keep it: its amounts and their USD values at the block's market prices. */
function badDebtRecord(
  block: number,
  loss: Extract<VenueEvent, { type: "loss" }>["loss"],
  usd: (amount: bigint) => Decimal,
): BadDebtRecord {
  const amountUsd = usd(loss.amount);
  const part = (amount: bigint) => (amount === 0n ? new Dec(0) : amount === loss.amount ? amountUsd : usd(amount));
  return { block, ...loss, amountUsd, coveredByReservesUsd: part(loss.coveredByReserves), socializedToSuppliersUsd: part(loss.socializedToSuppliers) };
}

/** Part of a write-off absorbed after it was recorded (a later event of the same receipt). */
function absorb(record: BadDebtRecord, by: "reserves" | "suppliers", amount: bigint, amountUsd: Decimal): void {
  if (by === "reserves") {
    record.coveredByReserves = amount;
    record.coveredByReservesUsd = amountUsd;
  } else {
    record.socializedToSuppliers = amount;
    record.socializedToSuppliersUsd = amountUsd;
  }
}
