/**
 * Reads the world after each mined block (one lens call per protocol for reserves, one for users'
 * shares, one read per feed, AMM and agent balance) and turns it, with the block's receipts, into
 * records: the per-block `BlockRecord`, liquidations, bad-debt write-offs and liquidatable episodes.
 * Health factors and values are computed with `simulator/math` from the read state, at oracle prices
 * (what the protocol acts on) and at market prices (what the position is really worth).
 */
import Decimal from "decimal.js";
import { decodeEventLog, type Address, type Hex } from "viem";
import { isNodeUnreachable, type Receipt } from "../chain";
import { userAccountDataIfPriced, type ReserveModel, type UserAccountData, type UserShares } from "../math";
import type { ProtocolView } from "../agents/types";
import { balanceKey } from "../agents/types";
import type { World } from "../world";
import type { BadDebtRecord, BlockRecord, LiquidatableEpisode, LiquidationRecord, ProtocolBlockStats } from "./types";

/** decimal.js with enough precision that sums of USD figures are exact. */
export const Dec = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_EVEN });

/** USD value of `amount` native units at `priceE8`. */
export function usdValue(amount: bigint, priceE8: bigint, unit: bigint): Decimal {
  return new Dec((amount * priceE8).toString()).div((unit * 10n ** 8n).toString());
}

export function e8ToUsd(valueE8: bigint): Decimal {
  return new Dec(valueE8.toString()).div(1e8);
}

export interface ObservedState {
  block: number;
  timestamp: bigint;
  feeds: Map<string, { ok: boolean; answer: bigint; updatedAt: bigint }>;
  protocols: Map<string, ProtocolView>;
  amms: Map<string, { reserve0: bigint; reserve1: bigint }>;
  balances: Map<string, bigint>;
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
}

export class Observer {
  /** Open episodes per `${protocol}/${borrower}`. */
  private readonly open = new Map<string, LiquidatableEpisode>();
  readonly episodes: LiquidatableEpisode[] = [];
  private readonly cumulative = new Map<string, { recorded: Decimal; absorbed: Decimal; socialized: Decimal }>();
  private readonly poolToProtocol = new Map<string, string>();
  private readonly tokenToSymbol = new Map<string, string>();

  constructor(private readonly world: World) {
    for (const [name, p] of world.protocols) {
      this.poolToProtocol.set(p.pool.address.toLowerCase(), name);
      this.cumulative.set(name, { recorded: new Dec(0), absorbed: new Dec(0), socialized: new Dec(0) });
    }
    for (const [symbol, a] of world.assets) this.tokenToSymbol.set(a.token.address.toLowerCase(), symbol);
  }

  /** Episode starts of positions liquidatable now, per `${protocol}/${borrower}`. */
  episodeStarts(): Map<string, number> {
    return new Map([...this.open].map(([k, e]) => [k, e.startBlock]));
  }

  /**
   * The open episode of a position liquidated in `block`, or a new one starting in `block` when the
   * position became liquidatable and was liquidated within this block (a backrun of the oracle update).
   */
  private episodeFor(protocol: string, borrower: Address, block: number): LiquidatableEpisode {
    const key = `${protocol}/${borrower}`;
    const open = this.open.get(key);
    if (open) return open;
    const episode: LiquidatableEpisode = { protocol, borrower, startBlock: block, firstLiquidationBlock: null, endBlock: null };
    this.open.set(key, episode);
    this.episodes.push(episode);
    return episode;
  }

  async read(block: number): Promise<ObservedState> {
    const { chain, lens } = this.world;
    const latest = await chain.latestBlock();
    const feeds = new Map<string, { ok: boolean; answer: bigint; updatedAt: bigint }>();
    for (const [symbol, a] of this.world.assets) {
      try {
        const [, answer, , updatedAt] = await a.feed.read<[bigint, bigint, bigint, bigint, bigint]>(chain, "latestRoundData");
        feeds.set(symbol, { ok: true, answer, updatedAt });
      } catch (e) {
        // A feed that reverts is data (the scenario may make it fail); a dead node is not.
        if (isNodeUnreachable(e)) throw e;
        feeds.set(symbol, { ok: false, answer: 0n, updatedAt: 0n });
      }
    }
    const protocols = new Map<string, ProtocolView>();
    for (const [name, p] of this.world.protocols) {
      const borrowers = this.world.borrowers.filter((b) => b.group.protocol === name).map((b) => b.address);
      const snapshots = await lens.read<ReserveSnapshotAbi[]>(chain, "getReservesSnapshot", [p.pool.address]);
      const shares = await lens.read<{ supplyShares: bigint[]; borrowShares: bigint[] }[]>(chain, "getUsersShares", [
        p.pool.address,
        borrowers,
      ]);
      const reserves: ReserveModel[] = snapshots.map((s, i) => {
        const spec = p.spec.reserves[i];
        const asset = this.world.assets.get(spec?.asset ?? "");
        if (!spec || !asset) throw new Error(`internal: reserve ${i} of ${name} unknown`);
        return {
          config: spec,
          state: { ...s.state },
          unit: asset.unit,
          priceE8: s.feedOk && s.answer > 0n ? s.answer : 0n,
        };
      });
      const users = new Map<Address, UserShares>();
      const accounts = new Map<Address, UserAccountData>();
      borrowers.forEach((address, i) => {
        const u = shares[i];
        if (!u) return;
        const userShares = { supplyShares: [...u.supplyShares], borrowShares: [...u.borrowShares] };
        users.set(address, userShares);
        const data = userAccountDataIfPriced(reserves, userShares, latest.timestamp);
        if (data) accounts.set(address, data);
      });
      protocols.set(name, {
        name,
        pool: p.pool.address,
        assets: p.reserveOrder,
        reserves,
        liquidationConfig: {
          closeFactorWad: p.spec.liquidation.closeFactorWad,
          closeFactorHfThresholdWad: p.spec.liquidation.closeFactorHfThresholdWad,
          closeFactorDustUsd: p.spec.liquidation.closeFactorDustUsdE8,
          minLeftoverUsd: p.spec.liquidation.minLeftoverUsdE8,
          liquidationsAcceptStalePrice: p.spec.liquidation.liquidationsAcceptStalePrice,
        },
        users,
        accounts,
      });
    }
    const amms = new Map<string, { reserve0: bigint; reserve1: bigint }>();
    for (const [name, amm] of this.world.amms) {
      const [reserve0, reserve1] = await amm.pair.read<[bigint, bigint, number]>(chain, "getReserves");
      amms.set(name, { reserve0, reserve1 });
    }
    const balances = new Map<string, bigint>();
    const holders: { address: Address; symbols: string[] }[] = [
      ...this.world.liquidators.map((l) => ({ address: l.address, symbols: [...this.world.assets.keys()] })),
      ...this.world.arbitrageurs.map((a) => {
        const amm = this.world.amms.get(a.amm);
        return { address: a.address, symbols: amm ? [amm.token0, amm.token1] : [] };
      }),
      ...this.world.borrowers.filter((b) => b.defensive).map((b) => ({ address: b.address, symbols: [b.group.collateral, b.group.debt] })),
    ];
    for (const h of holders) {
      for (const symbol of h.symbols) {
        const token = this.world.assets.get(symbol)?.token;
        if (token) balances.set(balanceKey(h.address, symbol), await token.read<bigint>(chain, "balanceOf", [h.address]));
      }
    }
    return { block, timestamp: latest.timestamp, feeds, protocols, amms, balances };
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
    let gasUsed = 0n;
    for (const { receipt, intent } of receipts) {
      gasUsed += receipt.gasUsed;
      if (receipt.status !== "success") continue;
      const gasCostUsd = usdValue(receipt.gasUsed * receipt.effectiveGasPrice, gasTokenPriceE8, 10n ** 18n);
      let lastBadDebt: BadDebtRecord | undefined;
      for (const log of receipt.logs) {
        const protocol = this.poolToProtocol.get(log.address.toLowerCase());
        const pool = protocol ? this.world.protocols.get(protocol) : undefined;
        if (!protocol || !pool) continue;
        let event: { eventName: string; args: Record<string, unknown> };
        try {
          event = decodeEventLog({ abi: pool.pool.abi, topics: log.topics as [Hex, ...Hex[]], data: log.data }) as unknown as typeof event;
        } catch {
          continue;
        }
        const a = event.args;
        if (event.eventName === "LiquidationCall") {
          const collateral = this.tokenToSymbol.get(String(a.collateralAsset).toLowerCase()) ?? "?";
          const debt = this.tokenToSymbol.get(String(a.debtAsset).toLowerCase()) ?? "?";
          const borrower = (a.user as Address).toLowerCase() as Address;
          const episode = this.episodeFor(protocol, borrower, block);
          const start = episode.startBlock;
          if (episode.firstLiquidationBlock === null) episode.firstLiquidationBlock = block;
          const seized = a.collateralSeized as bigint;
          const fee = a.protocolFee as bigint;
          const repaid = a.debtRepaid as bigint;
          const debtRepaidUsd = usdValue(repaid, market(debt), unit(debt));
          const collateralToLiquidatorUsd = usdValue(seized - fee, market(collateral), unit(collateral));
          liquidations.push({
            block,
            protocol,
            liquidator: intent.agent,
            borrower,
            collateral,
            debt,
            debtRepaid: repaid,
            collateralSeized: seized,
            protocolFee: fee,
            healthFactorWad: a.healthFactorWad as bigint,
            episodeStartBlock: start,
            delayBlocks: block - start,
            debtRepaidUsd,
            collateralToLiquidatorUsd,
            gasCostUsd,
            profitUsd: collateralToLiquidatorUsd.minus(debtRepaidUsd).minus(gasCostUsd),
          });
          const s = liquidationsPerProtocol.get(protocol) ?? { count: 0, repaidUsd: new Dec(0) };
          liquidationsPerProtocol.set(protocol, { count: s.count + 1, repaidUsd: s.repaidUsd.plus(debtRepaidUsd) });
        } else if (event.eventName === "BadDebtRecorded") {
          const asset = this.tokenToSymbol.get(String(a.asset).toLowerCase()) ?? "?";
          const amount = a.assets as bigint;
          lastBadDebt = {
            block,
            protocol,
            asset,
            borrower: (a.user as Address).toLowerCase() as Address,
            amount,
            coveredByReserves: 0n,
            socializedToSuppliers: 0n,
            amountUsd: usdValue(amount, market(asset), unit(asset)),
            coveredByReservesUsd: new Dec(0),
            socializedToSuppliersUsd: new Dec(0),
          };
          badDebt.push(lastBadDebt);
        } else if (event.eventName === "BadDebtCoveredByReserves" && lastBadDebt) {
          lastBadDebt.coveredByReserves = a.assets as bigint;
          lastBadDebt.coveredByReservesUsd = usdValue(lastBadDebt.coveredByReserves, market(lastBadDebt.asset), unit(lastBadDebt.asset));
        } else if (event.eventName === "BadDebtSocialized" && lastBadDebt) {
          lastBadDebt.socializedToSuppliers = a.assets as bigint;
          lastBadDebt.socializedToSuppliersUsd = usdValue(lastBadDebt.socializedToSuppliers, market(lastBadDebt.asset), unit(lastBadDebt.asset));
        }
      }
    }
    for (const b of badDebt) {
      const c = this.cumulative.get(b.protocol);
      if (!c) continue;
      c.recorded = c.recorded.plus(b.amountUsd);
      c.absorbed = c.absorbed.plus(b.coveredByReservesUsd);
      c.socialized = c.socialized.plus(b.socializedToSuppliersUsd);
    }

    const protocols: Record<string, ProtocolBlockStats> = {};
    for (const [name, view] of state.protocols) {
      const atMarket = view.reserves.map((r, i) => ({ ...r, priceE8: market(view.assets[i] ?? "") }));
      let positions = 0;
      let liquidatable = 0;
      let underwater = 0;
      let totalDebtUsd = new Dec(0);
      let totalCollateralUsd = new Dec(0);
      let latentOracle = new Dec(0);
      let latentMarket = new Dec(0);
      for (const [borrower, shares] of view.users) {
        const oracle = view.accounts.get(borrower);
        const atM = userAccountDataIfPriced(atMarket, shares, state.timestamp);
        const key = `${name}/${borrower}`;
        const isLiquidatable = oracle !== undefined && oracle.totalDebtUsd > 0n && oracle.healthFactor < 10n ** 18n;
        if (isLiquidatable && !this.open.has(key)) {
          const episode: LiquidatableEpisode = { protocol: name, borrower, startBlock: block, firstLiquidationBlock: null, endBlock: null };
          this.open.set(key, episode);
          this.episodes.push(episode);
        } else if (!isLiquidatable && this.open.has(key)) {
          const episode = this.open.get(key);
          if (episode) episode.endBlock = block;
          this.open.delete(key);
        }
        if (!atM || atM.totalDebtUsd === 0n) continue;
        positions++;
        if (isLiquidatable) liquidatable++;
        if (atM.healthFactor < 10n ** 18n) underwater++;
        totalDebtUsd = totalDebtUsd.plus(e8ToUsd(atM.totalDebtUsd));
        totalCollateralUsd = totalCollateralUsd.plus(e8ToUsd(atM.totalCollateralUsd));
        if (atM.totalDebtUsd > atM.totalCollateralUsd) latentMarket = latentMarket.plus(e8ToUsd(atM.totalDebtUsd - atM.totalCollateralUsd));
        if (oracle && oracle.totalDebtUsd > oracle.totalCollateralUsd) {
          latentOracle = latentOracle.plus(e8ToUsd(oracle.totalDebtUsd - oracle.totalCollateralUsd));
        }
      }
      const c = this.cumulative.get(name);
      const l = liquidationsPerProtocol.get(name);
      protocols[name] = {
        positions,
        liquidatable,
        underwaterAtMarket: underwater,
        liquidations: l?.count ?? 0,
        debtRepaidUsd: l?.repaidUsd ?? new Dec(0),
        totalDebtUsd,
        totalCollateralUsd,
        recordedBadDebtUsd: c?.recorded ?? new Dec(0),
        absorbedByReservesUsd: c?.absorbed ?? new Dec(0),
        socializedToSuppliersUsd: c?.socialized ?? new Dec(0),
        latentBadDebtOracleUsd: latentOracle,
        latentBadDebtMarketUsd: latentMarket,
      };
    }

    const oraclePriceE8: Record<string, bigint | null> = {};
    const marketRecord: Record<string, bigint> = {};
    for (const symbol of this.world.assets.keys()) {
      const f = state.feeds.get(symbol);
      oraclePriceE8[symbol] = f?.ok ? f.answer : null;
      marketRecord[symbol] = market(symbol);
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
      ammPriceE8,
      baseFeeWei,
      gasUsed,
      transactions: receipts.length,
      failedTransactions: receipts.filter((r) => r.receipt.status !== "success").length,
      protocols,
    };
    return { record, liquidations, badDebt };
  }
}
