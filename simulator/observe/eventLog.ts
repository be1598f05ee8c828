/**
 * The event log of a block: its receipts' logs, in order, turned into records. A protocol contract's
 * logs become liquidations and write-offs through its venue (`Venue.decodeEvents`); an AMM's `Sync`
 * feeds cascade attribution's ledger (a liquidation sale when it follows a liquidation in the same
 * receipt or is a liquidator's tagged sale); an atomic liquidator's `AtomicLiquidation` settles its
 * liquidation's profit.
 */
import type Decimal from "decimal.js";
import type { Address } from "viem";
import type { Receipt } from "../chain";
import { Dec, positionKey, usdValue } from "../state";
import { venueOf, type EventContext, type LiquidationFacts, type VenueEvent } from "../venues";
import { decodeLog, type DecodedLog, type ProjectAbi, type ProjectHandle, type World } from "../world";
import type { CascadeAttribution } from "./attribution";
import { absorb, lossRecord } from "./badDebt";
import type { SaleSource } from "./cascade";
import type { Episodes } from "./episodes";
import type { LossRecord, LossShareRecord, LiquidationRecord } from "./types";

type Log = Receipt["logs"][number];

export interface SentIntent {
  agent: string;
  action: string;
  from: Address;
  /** A liquidator's sale of collateral it seized from this position (see TxIntent.saleOf). */
  saleOf?: { protocol: string; borrower: Address; earlier?: boolean };
}

/** One block to decode: its receipts with the intents that sent them, and its prices. */
export interface BlockReceipts {
  block: number;
  receipts: { receipt: Receipt; intent: SentIntent }[];
  /** The block's market price of an asset, USD E8. */
  market: (symbol: string) => bigint;
  gasTokenPriceE8: bigint;
}

/** Positions as the previous recorded block left them, by `positionKey`. */
export interface PositionsBefore {
  /** Health factor at oracle prices, WAD; undefined for a position not valued then. */
  health(key: string): bigint | undefined;
  /** Health factor at this block's market prices; null without debt or a value. */
  marketHealth(key: string): bigint | null;
}

export interface BlockEvents {
  liquidations: LiquidationRecord[];
  badDebt: LossRecord[];
  /** Winners' shares of the block's losses (a venue's last resort), in log order. */
  lossShares: LossShareRecord[];
  gasUsed: bigint;
  /** Ids of the liquidations whose `healthFactorWad` is their event's own figure (not the observer's). */
  healthFromEvent: Set<number>;
  /** Liquidations and the debt they repaid, per protocol. */
  perProtocol: Map<string, { count: number; repaidUsd: Decimal }>;
}

/** A block being decoded. */
interface BlockState extends BlockReceipts {
  before: PositionsBefore;
  out: BlockEvents;
  /** The last liquidation per `${agent}/${protocol}/${borrower}` in this block, for tagged sales. */
  byLiquidator: Map<string, number>;
}

type LiquidationFields = LiquidationFacts & { protocolFee: bigint };

type AtomicLiquidatorHandle = ProjectHandle<"AtomicLiquidator"> | ProjectHandle<"MorphoAtomicLiquidator"> | ProjectHandle<"AaveAtomicLiquidator">;

export class EventLog {
  private readonly protocols = new Map<string, EventContext>();
  /** Atomic liquidator contracts (their events carry what the liquidator really made). */
  /** Atomic liquidators' contracts (`AtomicLiquidator`, and `MorphoAtomicLiquidator` / `AaveAtomicLiquidator` beside it): all emit `AtomicLiquidation` with `profitCollateral`. */
  private readonly atomicLiquidators = new Map<string, AtomicLiquidatorHandle>();
  private readonly pairToAmm = new Map<string, string>();
  /** Every liquidation's sale source, by its index in the run's list (its length: the next index). */
  private readonly sources: SaleSource[] = [];
  /** The run's last liquidation of each position, by `${protocol}/${borrower}` (for sales tagged `earlier`). */
  private readonly lastLiquidationOf = new Map<string, number>();

  constructor(
    private readonly world: World,
    private readonly episodes: Episodes,
    private readonly cascade: CascadeAttribution,
  ) {
    const tokenToSymbol = new Map([...world.assets].map(([symbol, a]) => [a.token.address.toLowerCase(), symbol]));
    const symbolOf = (token: string) => tokenToSymbol.get(token.toLowerCase()) ?? "?";
    for (const [name, p] of world.protocols) this.protocols.set(p.contract.address.toLowerCase(), { protocol: name, deployed: p, symbolOf });
    for (const [name, amm] of world.amms) this.pairToAmm.set(amm.pair.address.toLowerCase(), name);
    for (const l of world.liquidators) {
      for (const atomic of [l.atomic, l.morphoAtomic, l.aaveAtomic]) if (atomic) this.atomicLiquidators.set(atomic.address.toLowerCase(), atomic);
    }
  }

  /** The block's records; `before`: its positions as the previous block left them. */
  decode(input: BlockReceipts, before: PositionsBefore): BlockEvents {
    const b: BlockState = { ...input, before, out: { liquidations: [], badDebt: [], lossShares: [], gasUsed: 0n, healthFromEvent: new Set(), perProtocol: new Map() }, byLiquidator: new Map() };
    for (const { receipt, intent } of input.receipts) {
      b.out.gasUsed += receipt.gasUsed;
      if (receipt.status === "success") this.receipt(b, receipt, intent);
    }
    return b.out;
  }

  private receipt(b: BlockState, receipt: Receipt, intent: SentIntent): void {
    const gasCostUsd = usdValue(receipt.gasUsed * receipt.effectiveGasPrice, b.gasTokenPriceE8, 10n ** 18n);
    let lastBadDebt: LossRecord | undefined;
    // A venue reports a loss's winners' shares before the loss itself (perp: Deleverage/Socialize, then Waterfall).
    let sharesBefore: LossShareRecord[] = [];
    let liquidationInReceipt: number | null = null;
    for (const log of receipt.logs) {
      const address = log.address.toLowerCase();
      const atomic = this.atomicLiquidators.get(address);
      if (atomic && liquidationInReceipt !== null) {
        this.settleAtomic(b, atomic, log, liquidationInReceipt);
        continue;
      }
      const ammName = this.pairToAmm.get(address);
      if (ammName) {
        this.sync(b, ammName, log, intent, liquidationInReceipt);
        continue;
      }
      const context = this.protocols.get(address);
      if (!context) continue;
      for (const event of venueOf(context.deployed.spec.venue).decodeEvents(context, log)) {
        if (event.type === "liquidation") liquidationInReceipt = this.liquidation(b, intent, event, gasCostUsd);
        else if (event.type === "loss") {
          const asset = event.loss.asset;
          lastBadDebt = lossRecord(b.block, event.loss, (amount) => this.usd(b, amount, asset));
          const shares = sharesBefore.filter((x) => x.protocol === event.loss.protocol);
          if (shares.length > 0) lastBadDebt.shares = shares;
          sharesBefore = [];
          b.out.badDebt.push(lastBadDebt);
        } else if (event.type === "lossShare") {
          const { share } = event;
          const record: LossShareRecord = { block: b.block, ...share, amountUsd: this.usd(b, share.amount, share.asset) };
          b.out.lossShares.push(record);
          sharesBefore.push(record);
        } else if (lastBadDebt) {
          const asset = lastBadDebt.asset;
          absorb(lastBadDebt, event.by, event.amount, (amount) => this.usd(b, amount, asset));
        }
      }
    }
  }

  private usd(b: BlockState, amount: bigint, symbol: string): Decimal {
    return usdValue(amount, b.market(symbol), this.world.assets.get(symbol)?.unit ?? 1n);
  }

  /** An AMM's `Sync`: a swap for the cascade ledger, the sale of the receipt's liquidation or of the one the intent tags. */
  private sync(b: BlockState, ammName: string, log: Log, intent: SentIntent, liquidationInReceipt: number | null): void {
    const amm = this.world.amms.get(ammName);
    if (!amm) return;
    let sync: DecodedLog<ProjectAbi<"IUniswapV2Pair">>;
    try {
      sync = decodeLog(amm.pair.abi, log);
    } catch {
      return;
    }
    if (sync.eventName !== "Sync") return;
    const after = { reserve0: sync.args.reserve0, reserve1: sync.args.reserve1 };
    const tagged = intent.saleOf ? this.taggedSale(b, intent.agent, intent.saleOf) : undefined;
    const saleId = liquidationInReceipt ?? tagged ?? null;
    this.cascade.swap(ammName, after, saleId === null ? null : (this.sources[saleId] ?? null));
  }

  /**
   * The liquidation a tagged sale is for: this agent's last one of the position in this block, or with
   * `earlier`, the run's last one of the position by anyone (a perp vault's hedge in the next block).
   */
  private taggedSale(b: BlockState, agent: string, saleOf: NonNullable<SentIntent["saleOf"]>): number | undefined {
    const position = `${saleOf.protocol}/${saleOf.borrower.toLowerCase()}`;
    return saleOf.earlier ? this.lastLiquidationOf.get(position) : b.byLiquidator.get(`${agent}/${position}`);
  }

  /** Records a venue's liquidation event; returns its index in the run's list. */
  private liquidation(b: BlockState, intent: SentIntent, event: Extract<VenueEvent, { type: "liquidation" }>, gasCostUsd: Decimal): number {
    const { keeperReward, ...l } = event.liquidation;
    const key = positionKey(l.protocol, l.borrower, l.market ?? undefined);
    const fields: LiquidationFields = { ...l, healthFactorWad: event.healthFromObserver ? (b.before.health(key) ?? 0n) : l.healthFactorWad };
    const episode = this.episodes.liquidated(fields.protocol, fields.borrower, fields.market, b.block);
    const debtRepaidUsd = this.usd(b, fields.debtRepaid, fields.debt);
    // A keeper the venue pays (keeperReward) repays nothing of its own: its profit is the reward less gas.
    const received = keeperReward ?? fields.collateralSeized - fields.protocolFee;
    const collateralToLiquidatorUsd = this.usd(b, received, fields.collateral);
    const costUsd = keeperReward === undefined ? debtRepaidUsd : new Dec(0);
    const id = this.sources.length;
    b.out.liquidations.push({
      id,
      block: b.block,
      liquidator: intent.agent,
      ...fields,
      marketHealthFactorWad: b.before.marketHealth(key),
      healthFactorAfterWad: null,
      episodeStartBlock: episode.startBlock,
      delayBlocks: b.block - episode.startBlock,
      generation: episode.generation,
      causedBy: episode.causedBy,
      debtRepaidUsd,
      collateralToLiquidatorUsd,
      gasCostUsd,
      profitUsd: collateralToLiquidatorUsd.minus(costUsd).minus(gasCostUsd),
    });
    if (!event.healthFromObserver) b.out.healthFromEvent.add(id);
    this.sources.push({ liquidation: id, generation: episode.generation, protocol: fields.protocol });
    b.byLiquidator.set(`${intent.agent}/${fields.protocol}/${fields.borrower.toLowerCase()}`, id);
    this.lastLiquidationOf.set(`${fields.protocol}/${fields.borrower.toLowerCase()}`, id);
    const s = b.out.perProtocol.get(fields.protocol) ?? { count: 0, repaidUsd: new Dec(0) };
    b.out.perProtocol.set(fields.protocol, { count: s.count + 1, repaidUsd: s.repaidUsd.plus(debtRepaidUsd) });
    return id;
  }

  /**
   * An atomic liquidation's liquidator paid the pair for the flash-borrowed debt with part of the
   * collateral, at the pair's price after its own impact: its profit is the collateral it kept
   * (`AtomicLiquidation.profitCollateral`) at market price, less gas.
   */
  private settleAtomic(b: BlockState, atomic: AtomicLiquidatorHandle, log: Log, id: number): void {
    let event: DecodedLog<ProjectAbi<"AtomicLiquidator"> | ProjectAbi<"MorphoAtomicLiquidator"> | ProjectAbi<"AaveAtomicLiquidator">>;
    try {
      event = decodeLog(atomic.abi, log);
    } catch {
      return;
    }
    const record = b.out.liquidations.find((l) => l.id === id);
    if (event.eventName !== "AtomicLiquidation" || !record) return;
    record.profitUsd = this.usd(b, event.args.profitCollateral, record.collateral).minus(record.gasCostUsd);
  }
}
