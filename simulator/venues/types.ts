/**
 * The interface a venue kind implements: one folder `simulator/venues/<kind>/`, one registry line
 * (`registry.ts`); what the kind needs without a chain is its scenario module `scenario/kinds/<kind>/`.
 * docs/venues.md describes the whole interface and how to add a venue. Outside `venues/` and
 * `scenario/kinds/` nothing branches on a venue kind: it asks `venueOf(id)` with a protocol's
 * `spec.venue` (a view's `venue`; a mock's id is its kind) or `scenarioKind(type)`.
 *
 * The methods take the neutral unions (`WorldProtocol`, `ProtocolView`) and each venue narrows them to
 * its own kind; a venue handed another kind's object has nothing to do (`undefined` / no check).
 */
import type { Address, Hex } from "viem";
import type { Chain } from "../chain";
import type { BorrowerGroupSpec, DefensiveSpec, ProtocolSpec } from "../scenario/types";
import type { LossAbsorber, LossAbsorption, LossShareAbsorber, MarketView, ObservedState, PositionValues, ProtocolView, TxIntent, UsdScale } from "../state";
import type { BatchRead, BorrowerAccount, ContractHandle, Deployer, LiquidatorAccount, LooperAccount, LooperLeg, World, WorldAsset, WorldProtocol } from "../world";
import type { BlockBudget } from "./keeper/budget";
import type { ReadStep } from "./read/chunks";

/** The scenario's protocol `type`: the discriminant of the schema, the only other place that names kinds. */
export type VenueKind = ProtocolSpec["type"];

/** Stops `--check` at the first invariant that does not hold (the engine throws `InvariantViolation`). */
export type Fail = (invariant: string, values: Record<string, bigint | string | number | boolean>) => never;

/** What a venue's `--check` reads besides the chain. */
export interface InvariantContext {
  world: World;
  /** The observer's state at the end of the block checked. */
  state: ObservedState;
  /** Σ of the venue's bad-debt events so far, per `${protocol}/${asset symbol or market key}`. */
  badDebtEvents: ReadonlyMap<string, bigint>;
  fail: Fail;
}

/** The facts of one liquidation a venue's `--check` judges (a `LiquidationRecord` has them). */
export interface LiquidationFacts {
  protocol: string;
  /** The market key (`collateral/loan`) where a venue has markets; null otherwise. */
  market: string | null;
  borrower: Address;
  collateral: string;
  debt: string;
  collateralSeized: bigint;
  debtRepaid: bigint;
  /** Health factor before the liquidation, WAD. */
  healthFactorWad: bigint;
}

/** Where a borrower's positions are, in its addresses.json entry. */
export type BorrowerAddresses = Partial<Record<string, string | { id: string; market: string }[]>>;

/** A protocol's entry in `npm run deploy`'s addresses.json (docs: README, deploy). */
export type DeployedAddresses = { type: VenueKind } & Record<string, string | string[] | { id: string; market: string }[]>;

/** What a defensive borrower's venue needs to plan its repayment or top-up; the agent keeps the state. */
export interface DefenseContext {
  world: World;
  borrower: BorrowerAccount;
  defense: DefensiveSpec;
  view: MarketView;
  /** The borrower's protocol, as seen and as deployed. */
  protocol: ProtocolView;
  deployed: WorldProtocol;
  /**
   * The agent's trigger for one position (`key`): whether it acts now, given that the position is
   * `below` the defense's health factor (it acts after `delayBlocks` blocks below, then counts again).
   */
  triggered(key: string, below: boolean): boolean;
  /** Takes up to `wanted` of `symbol` from the borrower's wallet for this block; returns what it got. */
  take(symbol: string, wanted: bigint): bigint;
  /** The intents' agent name and priority fee. */
  agent: string;
  priorityFeeWei: bigint;
}

/** One leg of a looper's vault at the end of the previous block, in its venue's unit of account. */
export interface LoopLegState {
  leg: LooperLeg;
  index: number;
  /** Threshold-weighted collateral (pooled: USD E8 at oracle prices; isolated: maxBorrow, loan units). */
  weighted: bigint;
  /** Debt in the same unit as `weighted`. */
  debt: bigint;
  /** The threshold (pooled: the collateral's liquidation threshold; isolated: LLTV), WAD. */
  thresholdWad: bigint;
  healthFactorWad: bigint;
  /** Room to borrow down to the step health factor (and, pooled, within LTV), in `weighted`'s unit. */
  room: bigint;
  /** Converts an amount in `weighted`'s unit to collateral and debt native units, and to USD E8. */
  toCollateral: (value: bigint) => bigint;
  toUsd: (value: bigint) => bigint;
  fromUsd: (usd: bigint) => bigint;
  toDebt: (value: bigint) => bigint;
  /** Collateral and debt amounts, native units, for the leverage at market prices. */
  collateralAmount: bigint;
  debtAmount: bigint;
}

/** What a venue needs to state one of a looper's legs. */
export interface LoopLegContext {
  looper: LooperAccount;
  leg: LooperLeg;
  /** The leg's place in the vault. */
  index: number;
  protocol: ProtocolView;
  view: MarketView;
}

/** What a venue needs to decode its logs. */
export interface EventContext {
  /** The protocol's name in the scenario. */
  protocol: string;
  deployed: WorldProtocol;
  /** The symbol of a token address (any case); "?" for a token the world does not have. */
  symbolOf(token: string): string;
}

/** A log a venue emitted, as a venue-neutral fact for the observer's records (amounts in native units). */
export type VenueEvent =
  | {
      type: "liquidation";
      /**
       * What the event says; `protocolFee`: the part of the seized collateral the protocol kept;
       * `keeperReward`, where the liquidator is paid by the venue rather than by the collateral it seizes
       * less what it repays (a perp keeper's share of the liquidation fee, credited to its balance):
       * that reward, native units of `collateral`.
       */
      liquidation: LiquidationFacts & { protocolFee: bigint; keeperReward?: bigint };
      /** True when the event carries no health factor: the observer uses the position's health at the end of the previous block. */
      healthFromObserver: boolean;
    }
  | {
      type: "loss";
      /** Debt written off: `amount` of `asset`, with what the same event says absorbed it (`absorbed`, by `LossAbsorber`). */
      loss: { protocol: string; market: string | null; asset: string; borrower: Address; amount: bigint; absorbed: LossAbsorption };
    }
  | {
      /**
       * One account's share of a loss taken by the venue's last resort (its given-up PnL), `amount` of `asset`;
       * it belongs to the receipt's next `loss` of the protocol. `closed`: what an auto-deleveraging closed;
       * `winnersProfit`: the winners' total positive PnL a socialized haircut is taken from pro rata.
       */
      type: "lossShare";
      share: LossShareFacts;
    }
  | {
      /** Part of the receipt's last loss absorbed by `by` (the pool's reserves, or a haircut on its suppliers). */
      type: "lossAbsorbed";
      by: LossAbsorber;
      amount: bigint;
    };

/** A winner's share of a loss as a venue reports it (`VenueEvent` `lossShare`); native units of `asset`. */
export interface LossShareFacts {
  protocol: string;
  market: string | null;
  asset: string;
  account: Address;
  by: LossShareAbsorber;
  amount: bigint;
  /** Auto-deleveraging: the size closed (the venue's size unit; a perp market's: 18 decimals) at `priceE8` (USD, 8 decimals). */
  closed?: { size: bigint; priceE8: bigint };
  /** Socialization: Σ of the winners' positive PnL the haircuts of this loss are taken from, native units of `asset`. */
  winnersProfit?: bigint;
}

/** What a venue's keeper needs to plan one liquidator's transactions in one protocol; the agent keeps the state. */
export interface KeeperContext {
  world: World;
  liquidator: LiquidatorAccount;
  /** The bot's view: pending push-feed prices applied; AMM reserves as its own atomic liquidations leave them. */
  view: MarketView;
  protocol: ProtocolView;
  deployed: WorldProtocol;
  /** The bot's inventory of an asset this block (after what it already committed), and committing some. */
  held(symbol: string): bigint;
  spend(symbol: string, amount: bigint): void;
  /** Whether the position (`positionKey`) has been liquidatable for the bot's `delayBlocks`. */
  ready(positionKey: string): boolean;
  /** The gas the bot may still bid in this block. */
  budget: BlockBudget;
}

/** What a venue's traders need to place one block's orders in one protocol; the agent keeps which were sent. */
export interface TradingContext {
  world: World;
  /** The state at the end of the previous block: a trader's order reacts to the last mark, it does not backrun pushes. */
  view: MarketView;
  protocol: ProtocolView;
  deployed: WorldProtocol;
  /** True the first time it is asked for `key` (an order is sent once; later blocks skip it). */
  once(key: string): boolean;
}

/**
 * What a venue's vault hedger needs: the exposure its exchange's vault took over in the previous block
 * by liquidations, to trade on the AMMs the world has (`hedge` of the protocol).
 */
export interface HedgeContext {
  world: World;
  view: MarketView;
  protocol: ProtocolView;
  deployed: WorldProtocol;
  /**
   * The liquidations the previous block recorded in this protocol: account, market key and the debt repaid
   * (a perp's notional closed at the close price, the collateral's native units).
   */
  liquidated: readonly { borrower: Address; market: string | null; debtRepaid: bigint }[];
  /**
   * The auto-deleveraging closes of those liquidations' losses in this protocol (`borrower`: the
   * liquidated account whose loss they covered; the winner's size closed, 18 decimals, at `priceE8`):
   * each closes a winner's position against the vault, which takes that over too.
   */
  deleveraged: readonly { borrower: Address; market: string | null; size: bigint; priceE8: bigint }[];
  /** The protocol's view at the end of the block before the previous one (sizes before those liquidations). */
  before: ProtocolView | undefined;
}

/** What a venue's reader of one protocol is made with (once per run, by the observer). */
export interface ReaderContext {
  world: World;
  /** The protocol's name in the scenario. */
  name: string;
  deployed: WorldProtocol;
}

/**
 * One protocol's share of the observer's per-block read, with the protocol's position index (what it
 * last read of each holder). `queue` adds its calls to the block's batch and returns the steps to run
 * after it (the further position reads, each an `eth_call` of its own); `view` assembles the protocol's
 * view once the batch and the steps ran.
 */
export interface ProtocolReader {
  /** `touched`: the accounts the block's events name (lowercase), whose positions are read again; undefined: read every position. */
  queue(batch: BatchRead, touched: ReadonlySet<string> | undefined): ReadStep[];
  /**
   * Applies the block's logs of the protocol's contract (in log order) to the position index where they
   * carry every change exactly, before `queue`; returns the accounts (lowercase) whose positions they
   * account for, which `queue` then does not read. Absent: every touched account is read.
   */
  derive?(logs: readonly { topics: readonly Hex[]; data: Hex }[]): ReadonlySet<string>;
  /** `timestamp`: the block's, to which a venue that accrues interest on read values accounts. */
  view(timestamp: bigint): ProtocolView;
}

/** What a venue's valuation of one protocol's positions needs besides its view. */
export interface ValuationContext {
  /** The protocol's name in the scenario. */
  name: string;
  /** The observer's exact USD units. */
  usd: UsdScale;
  /** Feed answers at the end of the block. */
  feeds: ObservedState["feeds"];
  timestamp: bigint;
  /** The block's market price of an asset, USD E8 (0 when it has none). */
  market(symbol: string): bigint;
}

/** One borrow at block 0, debt-asset native units: against the whole account (`collateral` null), or in the market of `collateral`. */
export interface PlannedBorrow {
  collateral: string | null;
  amount: bigint;
}

/** What a venue needs to plan one borrower's block-0 borrows (`simulator/deploy/` draws the collateral and health factor). */
export interface BorrowPlanContext {
  protocol: ProtocolSpec;
  group: BorrowerGroupSpec;
  /** The borrower's collateral per asset, native units, in the group's order. */
  collateral: readonly { asset: string; amount: bigint }[];
  /** The drawn starting health factor, WAD. */
  healthFactorWad: bigint;
  asset(symbol: string): WorldAsset;
  /**
   * What the protocol will read at block 0 of a feed, USD E8: push feeds exactly, AMM-read feeds 0.01%
   * against the borrower (so that a TWAP's rounding cannot make a borrow at the limit fail).
   */
  collateralPrice(feed: string, symbol: string): bigint;
  debtPrice(feed: string): bigint;
}

/** One `BulkSupplier` batch: `asset` collateral of consecutive borrowers of one group. */
export interface CollateralBatch {
  bulkSupplier: ContractHandle;
  group: BorrowerGroupSpec;
  asset: string;
  accounts: readonly Address[];
  amounts: readonly bigint[];
}

/**
 * How a venue's protocols are set up (`simulator/deploy/` runs the stages in this order for every
 * protocol of the scenario, on the shared `Deployer`, so every address follows from the deployer's nonce).
 */
export interface VenueDeployment {
  /** Set-up block 1: deploys the protocol's contracts. */
  deploy(deployer: Deployer, spec: ProtocolSpec): Promise<WorldProtocol>;
  /** What the deployer lends or deposits into the protocol at set-up, native units per asset (minted in block 2). */
  seedAmounts(protocol: WorldProtocol): { asset: string; amount: bigint }[];
  /** Set-up block 3: lists the reserves or creates the markets on their feeds, then seeds them from the deployer. */
  configure(deployer: Deployer, protocol: WorldProtocol): Promise<void>;
  /** A looper's leg in this protocol (LeverageLooper's `Leg`). */
  looperLeg(protocol: WorldProtocol, name: string, collateral: string, debt: string): LooperLeg;
  /** A borrower's block-0 borrows at its starting health factor, with the protocol's own rounding. */
  planBorrows(context: BorrowPlanContext): PlannedBorrow[];
  /** Set-up block 3: one `BulkSupplier` transaction putting up a batch of borrowers' collateral. */
  supplyCollateral(deployer: Deployer, protocol: WorldProtocol, batch: CollateralBatch): Promise<void>;
  /** Block 0: one borrow, the borrower's own transaction. */
  borrow(deployer: Deployer, protocol: WorldProtocol, borrower: Address, group: BorrowerGroupSpec, borrow: PlannedBorrow): Promise<void>;
  /**
   * Block 0, before the borrows: the positions the protocol's own section opens (a perp exchange's
   * traders'); nothing for lending protocols. `path` is the protocol's in the scenario file
   * (`protocols[0]`): a position refused here is a `ScenarioError` naming its field from there.
   */
  openPositions(deployer: Deployer, protocol: WorldProtocol, path: string): Promise<void>;
}

export interface Venue extends VenueDeployment {
  readonly kind: VenueKind;
  /** True when the venue's losses run down a waterfall the summary reports (result.json `summary.protocols.<name>.waterfall`). */
  readonly lossWaterfall?: boolean;
  /** The protocol's contracts and layout for addresses.json. */
  addresses(protocol: WorldProtocol): DeployedAddresses | undefined;
  /** Where a borrower of this protocol has its positions, for its addresses.json entry (the pool; the singleton and its markets). */
  borrowerAddresses(protocol: WorldProtocol, borrower: BorrowerAccount): BorrowerAddresses;
  /**
   * `view` with the push-feed prices pending in the block's mempool (`pending`, per feed) applied to
   * what reads those feeds, and positions revalued at them: what a bot that backruns oracle updates sees.
   */
  withPendingPrices(view: ProtocolView, pending: ReadonlyMap<string, bigint>, market: MarketView): ProtocolView;
  /** A defensive borrower's repayments or top-ups in this protocol, in the order sent. */
  defend(context: DefenseContext): TxIntent[];
  /** Accounts the venue's own agents trade from (a perp vault's hedger): funded with gas, minted `mint` and approved to the swap helper at set-up. */
  agentAccounts?(protocol: WorldProtocol): { address: Address; mint: { asset: string; amount: bigint }[] }[];
  /** Traders' orders in this protocol for this block (a perp exchange's stop losses, take profits, closes); absent: the venue has none. */
  traderOrders?(context: TradingContext): TxIntent[];
  /** The vault's hedge of the exposure liquidations handed it in the previous block, on the world's AMMs; absent: no vault. */
  vaultHedge?(context: HedgeContext): TxIntent[];
  /** A liquidator's transactions in this protocol for this block, in the order sent (it stops where the budget ends). */
  liquidations(context: KeeperContext): TxIntent[];
  /** A looper's leg in this protocol; undefined when it cannot be priced (the looper then does nothing). */
  loopLeg(context: LoopLegContext): LoopLegState | undefined;
  /** One of the protocol contract's logs as venue-neutral events (none for a log the records do not use). */
  decodeEvents(context: EventContext, log: { topics: readonly Hex[]; data: Hex }): VenueEvent[];
  /** The reader of one of this venue's protocols for the observer's per-block read (it throws for another kind's protocol). */
  reader(context: ReaderContext): ProtocolReader;
  /** Every position of the protocol valued at the end of a block: at oracle prices (what the venue acts on) and at market prices. */
  valuePositions(context: ValuationContext, view: ProtocolView): PositionValues[];
  /** `--check` of the protocol's state after a block: totals against holders, solvency, the model against the chain. */
  checkState(context: InvariantContext, name: string, protocol: WorldProtocol, view: ProtocolView): Promise<void>;
  /** `--check` of one liquidation of the block: below health factor 1, seized within the venue's bonus. */
  checkLiquidation(context: InvariantContext, protocol: WorldProtocol, liquidation: LiquidationFacts): void;
  /** What the venue's own traders (a perp exchange's) did over the run, read at its end; absent: it has none. */
  traderFigures?(context: TraderFiguresContext): Promise<TraderFigures[]>;
}

/** What a venue's trader figures need: the chain, the protocol, its view and the market prices of the run's last block. */
export interface TraderFiguresContext {
  chain: Chain;
  protocol: WorldProtocol;
  view: ProtocolView;
  /** The last block's market price of an asset, USD E8 (0 when it has none). */
  market(symbol: string): bigint;
}

/** One trader of a venue's own over the run, native units of `asset` (summary.groups, kind "traders"). */
export interface TraderFigures {
  name: string;
  account: Address;
  asset: string;
  /** Margin deposited at block 0. */
  deposited: bigint;
  /** Balance + isolated margins + unrealized PnL at the last block's market prices; negative when it owes. */
  endEquity: bigint;
  /** Σ PnL its closes realized: trades, liquidations, auto-deleveraging. */
  realizedPnl: bigint;
  /** Σ trading and liquidation fees it paid. */
  fees: bigint;
  /** What it owes the exchange: the losses beyond its margin left as its negative balance (no protection). */
  owed: bigint;
}
