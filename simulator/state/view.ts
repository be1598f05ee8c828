/**
 * The state agents act on and the observer builds: the chain at the end of the previous block (a
 * transaction can only react to mined state) plus the market price of the block being built. A neutral
 * module under both agents/ and observe/, so neither imports the other.
 */
import type { Address } from "viem";
import type {
  AaveV3Math,
  IsolatedLendingMarketMath as IM,
  LiquidationConfig,
  PerpMath,
  ReserveModel,
  UserAccountData,
  UserShares,
} from "../math";

export interface PooledProtocolView {
  kind: "pooled";
  /** The venue that runs it (the protocol spec's `venue`, its `venueOf`). */
  venue: "pooled" | "aave-v3.6";
  name: string;
  pool: Address;
  /** Asset symbols in reserve order. */
  assets: string[];
  /** The feed each reserve reads, in reserve order: an asset symbol (push feed) or an oracle name. */
  feeds: string[];
  /** Reserve states accrued to the previous block, valued at oracle prices (0 when a feed read reverts). */
  reserves: ReserveModel[];
  liquidationConfig: LiquidationConfig;
  users: Map<Address, UserShares>;
  /** Account data at oracle prices; absent when a feed the account needs cannot be read. */
  accounts: Map<Address, UserAccountData>;
}

/** One isolated market at the end of the previous block. */
export interface IsolatedMarketView {
  id: bigint;
  /** `collateral/loan`. */
  key: string;
  collateral: string;
  loan: string;
  /** Feed names (asset symbol: push feed; otherwise an oracle name). */
  collateralFeed: string;
  loanFeed: string;
  lltvWad: bigint;
  /** Liquidation incentive factor, WAD. */
  lifWad: bigint;
  /** Totals accrued to the previous block. */
  state: IM.MarketState;
  /** Oracle price (loan units per collateral unit, scaled 1e36); 0 when a feed cannot be read. */
  priceE36: bigint;
  collateralUnit: bigint;
  loanUnit: bigint;
  /** Positions of the known users that have any collateral or debt. */
  positions: Map<Address, IM.Position>;
  /** The liquidation-price index: the positions with debt, riskiest first (venues/isolated/riskIndex.ts). */
  riskOrder: readonly RiskEntry[];
}

/** A position of an isolated market's liquidation-price index. */
export interface RiskEntry {
  borrower: Address;
  position: IM.Position;
  /** The least collateral of this position and every one after it in the order. */
  minCollateralFromHere: bigint;
}

export interface IsolatedProtocolView {
  kind: "isolated";
  /** The venue that runs it (the protocol spec's `venue`, its `venueOf`). */
  venue: "isolated" | "morpho-blue-1.0";
  name: string;
  /** The `IsolatedLendingMarket` singleton. */
  address: Address;
  markets: IsolatedMarketView[];
}

/** A pooled protocol run by the real Aave V3.6 at the end of the previous block. */
export interface AaveProtocolView {
  kind: "aave-v3.6";
  venue: "aave-v3.6";
  name: string;
  pool: Address;
  /** Asset symbols in reserve order. */
  assets: string[];
  /** The feed each reserve's oracle source reads, in reserve order. */
  feeds: string[];
  /** Reserve indexes and rates as stored, AaveOracle prices (0 when a read reverts). */
  reserves: AaveV3Math.AaveReserveModel[];
  /** Each reserve's outstanding deficit, native units. */
  deficits: bigint[];
  /** The block timestamp the accounts are valued at (interest accrued to it). */
  timestamp: bigint;
  users: Map<Address, AaveV3Math.AaveUserPosition>;
  /** Account data at oracle prices; absent when a price the account needs cannot be read. */
  accounts: Map<Address, AaveV3Math.AaveAccountData>;
}

/** A perp position as the exchange stores it (`PerpPosition`): size 18 decimals, amounts in collateral units. */
export interface PerpPositionState {
  size: bigint;
  /** The cost basis, collateral units. */
  openNotional: bigint;
  /** Signed (negative only without negative balance protection). */
  isolatedMargin: bigint;
  isLong: boolean;
  isolated: boolean;
}

/** One perp market at the end of the previous block (docs/perps.md). */
export interface PerpMarketView {
  id: bigint;
  /** `${base}-USD`. */
  key: string;
  base: string;
  /** The mark feed (asset symbol: push feed; otherwise an oracle name). */
  feed: string;
  /** 0: linear, 1: inverse (PerpMath.MarketKind). */
  kind: PerpMath.MarketKind;
  /** The mark price, USD E8; 0 when the feed reverts (stale or not positive). */
  markPriceE8: bigint;
  spreadWad: bigint;
  liquidationSpreadWad: bigint;
  liquidationFeeWad: bigint;
  tiers: { maxNotional: bigint; maxLeverageWad: bigint; mmrWad: bigint }[];
  longSize: bigint;
  shortSize: bigint;
  longOpenNotional: bigint;
  shortOpenNotional: bigint;
  vaultNetSize: bigint;
  longCount: bigint;
  shortCount: bigint;
  /** The vault's unrealized PnL in the market at mark (0 when the feed reverts). */
  vaultUnrealizedPnl: bigint;
  /** Open positions of the known accounts. */
  positions: Map<Address, PerpPositionState>;
}

export interface PerpProtocolView {
  kind: "perp";
  /** The venue that runs it (the protocol spec's `venue`, its `venueOf`). */
  venue: "perp";
  name: string;
  /** The `PerpExchange`. */
  exchange: Address;
  collateral: string;
  /** 10^decimals of the collateral. */
  collateralUnit: bigint;
  negativeBalanceProtection: boolean;
  lastResort: "none" | "adl" | "socialize";
  /** Each known account's balance (its cross margin; negative: owed). */
  balances: Map<Address, bigint>;
  insuranceFund: bigint;
  /** The vault's realized balance (signed). */
  vaultBalance: bigint;
  feesAccrued: bigint;
  /** Cumulative bad debt (the vault's loss after the waterfall). */
  badDebt: bigint;
  markets: PerpMarketView[];
}

export type ProtocolView = PooledProtocolView | IsolatedProtocolView | PerpProtocolView | AaveProtocolView;

export interface MarketView {
  /** Number of the block being built (1..blocks). */
  block: number;
  /** Its timestamp. */
  timestamp: bigint;
  /** Base fee of the block being built, wei per gas. */
  baseFeeWei: bigint;
  /** Market prices of this block, per symbol, USD E8. */
  marketPriceE8: Map<string, bigint>;
  /** Feed answers and ages at the end of the previous block, per feed: asset symbol (push feed) or oracle name. */
  feeds: Map<string, { ok: boolean; answer: bigint; updatedAt: bigint }>;
  protocols: Map<string, ProtocolView>;
  /** AMM reserves at the end of the previous block, in token0/token1 order. */
  amms: Map<string, { reserve0: bigint; reserve1: bigint }>;
  /** Token balances of agents at the end of the previous block: `${address}/${symbol}` -> amount. */
  balances: Map<string, bigint>;
}

/** The chain at the end of a block as the observer reads it (one batched read); a `MarketView` adds the next block's market. */
export interface ObservedState {
  block: number;
  timestamp: bigint;
  feeds: Map<string, { ok: boolean; answer: bigint; updatedAt: bigint }>;
  protocols: Map<string, ProtocolView>;
  amms: Map<string, { reserve0: bigint; reserve1: bigint }>;
  balances: Map<string, bigint>;
}
