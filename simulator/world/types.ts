/**
 * The deployed world: what the engine, agents, observer and venues read of a scenario's contracts and
 * accounts. `simulator/deploy/` builds it (`deployWorld`) on the primitives of `deployer.ts`; a venue
 * adds its protocols (`WorldProtocol`, narrowed to a kind only inside `simulator/venues/`).
 */
import type { Address } from "viem";
import type { Chain } from "../chain";
import type {
  AmmOracleSpec,
  AmmSpec,
  AssetSpec,
  BorrowerGroupSpec,
  IsolatedMarketSpec,
  IsolatedProtocolSpec,
  LiquidatorGroupSpec,
  LooperGroupSpec,
  PerpMarketSpec,
  PerpProtocolSpec,
  PooledProtocolSpec,
  Scenario,
} from "../scenario/types";
import type { ContractHandle, ProjectHandle } from "./contracts";
import type { MorphoMarketDeployment } from "./morphoBlue";
import type { AaveConfiguratorHandle, AaveOracleHandle, AavePoolHandle, MorphoBlueHandle } from "./realAbis";

export interface WorldAsset {
  spec: AssetSpec;
  unit: bigint;
  token: ProjectHandle<"MockERC20">;
  feed: ProjectHandle<"MockPriceFeed">;
}

export interface WorldPooledProtocol {
  kind: "pooled";
  spec: PooledProtocolSpec;
  /** The contract users and keepers call: the pool. */
  contract: ProjectHandle<"PooledLendingPool">;
  pool: ProjectHandle<"PooledLendingPool">;
  /** The same pool with the deficit model's functions (`badDebt: "deficit"`: `PooledLendingPoolDeficit`); null otherwise. */
  deficitPool: ProjectHandle<"PooledLendingPoolDeficit"> | null;
  /** Asset symbols in the pool's reserve order. */
  reserveOrder: string[];
}

export interface WorldIsolatedMarket {
  /** The market id in the singleton (creation order). */
  id: bigint;
  /** `collateral/loan`. */
  key: string;
  spec: IsolatedMarketSpec;
  /** The market in the real Morpho Blue (its id and `MarketParams`); null on liqsim's `IsolatedLendingMarket`. */
  morpho: MorphoMarketDeployment | null;
}

/** An isolated protocol on liqsim's `IsolatedLendingMarket`. */
export interface WorldIsolatedProtocol {
  kind: "isolated";
  spec: IsolatedProtocolSpec;
  /** The contract users and keepers call: the `IsolatedLendingMarket` singleton. */
  contract: ProjectHandle<"IsolatedLendingMarket">;
  /** The `IsolatedLendingMarket` singleton holding all the protocol's markets. */
  market: ProjectHandle<"IsolatedLendingMarket">;
  markets: WorldIsolatedMarket[];
}

/** A pooled protocol run by the real Aave V3.6 (`implementation: "aave-v3.6"`; simulator/venues/aave-v3/). */
export interface WorldAaveProtocol {
  kind: "aave-v3.6";
  spec: PooledProtocolSpec;
  /** The pool proxy with Aave's whole ABI (the logic libraries' events and errors too): it decodes the protocol's logs and reverts. */
  contract: ContractHandle;
  /** The same pool, typed by our interface of it (world/realAbis.ts): users and keepers call it. */
  pool: AavePoolHandle;
  configurator: AaveConfiguratorHandle;
  oracle: AaveOracleHandle;
  /** liqsim's `AaveV3Lens` over this pool. */
  lens: ProjectHandle<"AaveV3Lens">;
  /** Receives the liquidation protocol fee (as aTokens) and the reserve factor. */
  treasury: Address;
  /** Asset symbols in the pool's reserve order (its reserve ids). */
  reserveOrder: string[];
  /** Per reserve, in that order, once listed (set-up block 3): the aToken and the variable-debt token. */
  tokens: { aToken: Address; variableDebtToken: Address }[];
}

export interface WorldPerpMarket {
  /** The market id in the exchange (creation order). */
  id: bigint;
  /** `${base}-USD`: the market in the records. */
  key: string;
  spec: PerpMarketSpec;
}

/** A trader of a perp protocol: one account per name, holding the positions the scenario gives it. */
export interface WorldPerpTrader {
  name: string;
  address: Address;
}

/** A perpetual futures exchange (docs/perps.md) and the traders the scenario opens positions for. */
export interface WorldPerpProtocol {
  kind: "perp";
  spec: PerpProtocolSpec;
  /** The contract traders and keepers call: the exchange. */
  contract: ProjectHandle<"PerpExchange">;
  exchange: ProjectHandle<"PerpExchange">;
  /** Its batched reads (`PerpLens`). */
  lens: ProjectHandle<"PerpLens">;
  markets: WorldPerpMarket[];
  /** In order of first appearance in `spec.positions`. */
  traders: WorldPerpTrader[];
}

/**
 * An isolated protocol on the real Morpho Blue 1.0 (`spec.venue` morpho-blue-1.0; its ABI is compiled
 * from npm, so its calls are typed by our interface of it, world/realAbis.ts): the isolated venue's rules
 * serve it (`WorldMarketsProtocol`).
 */
export interface WorldMorphoProtocol {
  kind: "morpho-blue-1.0";
  spec: IsolatedProtocolSpec;
  /** The Morpho singleton with its whole ABI (`EventsLib`'s events too): it decodes the protocol's logs and reverts. */
  contract: ContractHandle;
  /** The same singleton, typed by our interface of it: users and keepers call it. */
  market: MorphoBlueHandle;
  markets: WorldIsolatedMarket[];
  /** Our `MorphoBlueLens` for the per-block read. */
  morphoLens: ProjectHandle<"MorphoBlueLens">;
}

/** A protocol of Morpho-style isolated markets, on either contract. */
export type WorldMarketsProtocol = WorldIsolatedProtocol | WorldMorphoProtocol;

export type WorldProtocol =
  | WorldPooledProtocol
  | WorldIsolatedProtocol
  | WorldMorphoProtocol
  | WorldPerpProtocol
  | WorldAaveProtocol;

/** The contract a protocol's users and liquidators call. */
export function protocolContract(p: WorldProtocol): WorldProtocol["contract"] {
  return p.contract;
}

/** A feed that reads an AMM (`scenario.oracles`). */
export interface WorldOracle {
  spec: AmmOracleSpec;
  feed: ProjectHandle<"UniswapV2SpotFeed"> | ProjectHandle<"UniswapV2TwapFeed">;
}

export interface WorldAmm {
  spec: AmmSpec;
  pair: ProjectHandle<"IUniswapV2Pair">;
  /** Symbols of the pair's token0 and token1 (Uniswap sorts by address). */
  token0: string;
  token1: string;
}

export interface BorrowerAccount {
  address: Address;
  group: BorrowerGroupSpec;
  /** Whether this borrower defends the position (see `BorrowerGroupSpec.defensive`). */
  defensive: boolean;
}

export interface LiquidatorAccount {
  /** `<group>#<index>` */
  name: string;
  address: Address;
  spec: LiquidatorGroupSpec;
  /** Its `AtomicLiquidator` contract when the group liquidates atomically (`atomicVia`). */
  atomic: ProjectHandle<"AtomicLiquidator"> | null;
  /** Its `MorphoAtomicLiquidator`, when it liquidates atomically and a protocol runs on the real Morpho Blue. */
  morphoAtomic: ProjectHandle<"MorphoAtomicLiquidator"> | null;
  /** Its `AaveAtomicLiquidator`, when it liquidates atomically and a protocol runs on the real Aave V3.6. */
  aaveAtomic: ProjectHandle<"AaveAtomicLiquidator"> | null;
}

/** One leg of a looper's vault: the `Leg` struct of LeverageLooper.sol and the protocol it names. */
export interface LooperLeg {
  protocol: string;
  /** 0: pooled, 1: isolated (LeverageLooper's kinds). */
  kind: 0 | 1;
  address: Address;
  /** The isolated market's id (0 for pooled). */
  marketId: bigint;
}

export interface LooperAccount {
  /** `<group>#<index>` */
  name: string;
  /** The owner (an EOA) that sends the steps. */
  address: Address;
  /** Its `LeverageLooper` vault: the account that holds the positions. */
  vault: ProjectHandle<"LeverageLooper">;
  spec: LooperGroupSpec;
  legs: LooperLeg[];
  /** Collateral deposited into the first leg at block 0, native units. */
  deposit: bigint;
}

export interface ArbitrageurAccount {
  name: string;
  address: Address;
  amm: string;
  minGapBps: number;
}

export interface World {
  chain: Chain;
  scenario: Scenario;
  deployer: Address;
  assets: Map<string, WorldAsset>;
  protocols: Map<string, WorldProtocol>;
  amms: Map<string, WorldAmm>;
  oracles: Map<string, WorldOracle>;
  lens: ProjectHandle<"PoolLens">;
  /** Batch reads of isolated markets. */
  isolatedLens: ProjectHandle<"IsolatedMarketLens">;
  /** Batches the observer's views into one `eth_call` per block. */
  multicall: ProjectHandle<"Multicall">;
  swapHelper: ProjectHandle<"SwapHelper">;
  gasBurner: ProjectHandle<"GasBurner">;
  /** Sends the congestion events' block-filling transactions. */
  spammer: Address;
  borrowers: BorrowerAccount[];
  liquidators: LiquidatorAccount[];
  arbitrageurs: ArbitrageurAccount[];
  loopers: LooperAccount[];
  /** Timestamp of block 0. */
  startTimestamp: bigint;
}

/** The isolated market of a collateral/loan pair (a borrower's or a looper's). */
export function isolatedMarketOf(p: WorldMarketsProtocol, collateral: string, loan: string): WorldIsolatedMarket {
  return required(p.markets.find((m) => m.spec.collateral === collateral && m.spec.loan === loan), `market ${collateral}/${loan}`);
}

/** `value`, or an internal error naming what is missing (a world built from a checked scenario has it). */
export function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`internal: ${what} missing`);
  return value;
}
