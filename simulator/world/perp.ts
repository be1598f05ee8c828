/**
 * A perp protocol's part of the world (docs/perps.md): its `PerpExchange` and `PerpLens`, its markets,
 * and the positions the scenario opens at block 0, deployed in the world's set-up phases:
 *   1  the exchange (owner: the deployer) and its lens;
 *   2  the deployer's vault and insurance money, each trader's margin minted and approved;
 *   3  markets created, the vault funded, the insurance fund seeded, each trader's margin deposited;
 *   4  (block 0) each trader's margin mode, isolated margin moved, and the trade.
 * A position sized by leverage gets notional = margin x leverage at the block-0 mark (its feed's first
 * answer), rounded down; a position that would not pass the exchange's initial margin check is refused
 * here, with its scenario path, before anything is sent.
 */
import type { Address, Hex } from "viem";
import { MAX_UINT256, PerpMath, mulDivDown } from "../math";
import type { PerpMarketSpec, PerpPositionSpec, PerpProtocolSpec } from "../scenario/types";
import { ContractHandle, deployData, projectArtifact } from "./contracts";
import { GAS } from "./gas";

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

export interface WorldPerpProtocol {
  kind: "perp";
  spec: PerpProtocolSpec;
  /** The contract traders and keepers call: the exchange. */
  contract: ContractHandle;
  exchange: ContractHandle;
  /** Its batched reads (`PerpLens`). */
  lens: ContractHandle;
  markets: WorldPerpMarket[];
  /** In order of first appearance in `spec.positions`. */
  traders: WorldPerpTrader[];
}

/** The contract's `LastResort`. */
const LAST_RESORT = { none: 0, adl: 1, socialize: 2 } as const;

/** The key of a perp market in the records. */
export function perpMarketKey(base: string): string {
  return `${base}-USD`;
}

/** What the world's deployer lends a perp protocol's set-up. */
export interface PerpSetup {
  deploy(data: Hex, gas: bigint): Promise<Address>;
  send(from: Address, to: Address, data: Hex, gas: bigint): Promise<unknown>;
  mint(symbol: string, to: Address, amount: bigint): Promise<unknown> | undefined;
  approve(from: Address, symbol: string, spender: Address): Promise<unknown>;
  fundAgent(address: Address): Promise<unknown>;
  accountAddress(label: string): Address;
  token(symbol: string): { address: Address; unit: bigint };
  feedAddress(feed: string): Address;
  /** A feed's answer at block 0, USD E8. */
  feedPrice(feed: string): bigint;
  deployer: Address;
}

/** Phase 1: the exchange and its lens. */
export async function deployPerpExchange(spec: PerpProtocolSpec, s: PerpSetup): Promise<WorldPerpProtocol> {
  const artifact = projectArtifact("PerpExchange");
  const args = [s.deployer, s.token(spec.collateral).address, LAST_RESORT[spec.lastResort], spec.negativeBalanceProtection, spec.keeperShareWad];
  const exchange = new ContractHandle(await s.deploy(deployData(artifact, args), GAS.deployPerpExchange), artifact.abi);
  const lensArtifact = projectArtifact("PerpLens");
  const lens = new ContractHandle(await s.deploy(deployData(lensArtifact), GAS.deployLens), lensArtifact.abi);
  const markets = spec.markets.map((m, i) => ({ id: BigInt(i), key: perpMarketKey(m.base), spec: m }));
  const traders: WorldPerpTrader[] = [];
  for (const p of spec.positions) {
    if (!traders.some((t) => t.name === p.account)) traders.push({ name: p.account, address: s.accountAddress(`trader/${spec.name}/${p.account}`) });
  }
  return { kind: "perp", spec, contract: exchange, exchange, lens, markets, traders };
}

/** What the deployer mints for a perp protocol: the vault's deposit and the insurance fund. */
export function perpDeployerNeeds(p: WorldPerpProtocol): { symbol: string; amount: bigint } {
  return { symbol: p.spec.collateral, amount: p.spec.vaultLiquidity + p.spec.insuranceFund };
}

/** Phase 2: each trader's account funded, its margin minted and the exchange approved. */
export async function fundPerpTraders(p: WorldPerpProtocol, s: PerpSetup): Promise<void> {
  for (const t of p.traders) {
    await s.fundAgent(t.address);
    const margin = p.spec.positions.filter((x) => x.account === t.name).reduce((sum, x) => sum + x.margin, 0n);
    await s.mint(p.spec.collateral, t.address, margin);
    await s.approve(t.address, p.spec.collateral, p.exchange.address);
  }
}

/** Phase 3: markets, the vault, the insurance fund, the traders' deposits. */
export async function listPerpMarkets(p: WorldPerpProtocol, s: PerpSetup): Promise<void> {
  const { exchange, spec } = p;
  for (const m of spec.markets) {
    const params = {
      kind: m.kind === "linear" ? PerpMath.MarketKind.Linear : PerpMath.MarketKind.Inverse,
      feed: s.feedAddress(m.feed),
      maxPriceAgeSeconds: BigInt(m.maxPriceAgeSeconds),
      spreadWad: m.spreadWad,
      liquidationSpreadWad: m.liquidationSpreadWad,
      tradingFeeWad: m.tradingFeeWad,
      liquidationFeeWad: m.liquidationFeeWad,
    };
    await s.send(s.deployer, exchange.address, exchange.encode("createMarket", [params, m.tiers]), GAS.perpAction);
  }
  await s.send(s.deployer, exchange.address, exchange.encode("depositVault", [spec.vaultLiquidity]), GAS.perpAction);
  if (spec.insuranceFund > 0n) await s.send(s.deployer, exchange.address, exchange.encode("depositInsurance", [spec.insuranceFund]), GAS.perpAction);
  for (const x of spec.positions) {
    await s.send(traderOf(p, x.account), exchange.address, exchange.encode("deposit", [x.margin]), GAS.perpAction);
  }
}

/** Phase 4 (block 0): each position's margin mode, its isolated margin, its trade. */
export async function openPerpPositions(p: WorldPerpProtocol, s: PerpSetup): Promise<void> {
  const { exchange, spec } = p;
  const unit = s.token(spec.collateral).unit;
  for (const [k, x] of spec.positions.entries()) {
    const m = marketOf(p, x.market);
    const from = traderOf(p, x.account);
    const size = positionSize(m.spec, x, s.feedPrice(m.spec.feed), unit);
    checkOpens(m.spec, x, size, s.feedPrice(m.spec.feed), unit, `protocols ${spec.name} positions[${k}]`);
    if (x.marginMode !== "cross") {
      await s.send(from, exchange.address, exchange.encode("setMarginMode", [m.id, true]), GAS.perpAction);
      await s.send(from, exchange.address, exchange.encode("transferMargin", [m.id, x.margin]), GAS.perpAction);
    }
    await s.send(from, exchange.address, exchange.encode("trade", [m.id, x.side === "long" ? size : -size]), GAS.perpAction);
  }
}

function traderOf(p: WorldPerpProtocol, name: string): Address {
  const t = p.traders.find((x) => x.name === name);
  if (!t) throw new Error(`internal: trader ${name} of ${p.spec.name} missing`);
  return t.address;
}

export function marketOf(p: WorldPerpProtocol, base: string): WorldPerpMarket {
  const m = p.markets.find((x) => x.spec.base === base);
  if (!m) throw new Error(`internal: market ${base} of ${p.spec.name} missing`);
  return m;
}

/**
 * Size (18 decimals) of a position: given, or from notional = margin x leverage at `markE8`:
 * linear size = notional x 1e26 / (mark x unit); inverse size = notional x mark x 1e10 / unit.
 */
function positionSize(m: PerpMarketSpec, x: PerpPositionSpec, markE8: bigint, unit: bigint): bigint {
  if ("size" in x.sizing) return x.sizing.size;
  const notional = mulDivDown(x.margin, x.sizing.leverageWad, 10n ** 18n);
  return m.kind === "linear" ? mulDivDown(notional, PerpMath.SIZE_PRICE_SCALE, markE8 * unit) : mulDivDown(notional, markE8 * PerpMath.INVERSE_SCALE, unit);
}

/**
 * The exchange's check of an opening trade, before it is sent: equity after the fee (margin − fee +
 * PnL at mark, the basis at the exec price) ≥ initial margin at mark, at the tier of the notional at mark.
 */
function checkOpens(m: PerpMarketSpec, x: PerpPositionSpec, size: bigint, markE8: bigint, unit: bigint, where: string): void {
  const kind = m.kind === "linear" ? PerpMath.MarketKind.Linear : PerpMath.MarketKind.Inverse;
  const isLong = x.side === "long";
  const exec = PerpMath.execPriceE8(markE8, m.spreadWad, isLong);
  const basis = PerpMath.openNotional(kind, isLong, size, exec, unit);
  const fee = PerpMath.feeUp(PerpMath.notionalUp(kind, size, exec, unit), m.tradingFeeWad);
  const equity = x.margin - fee + PerpMath.pnl(kind, isLong, size, basis, markE8, unit);
  const notional = PerpMath.notionalUp(kind, size, markE8, unit);
  const tier = m.tiers.find((t) => notional <= t.maxNotional) ?? m.tiers[m.tiers.length - 1];
  const initial = PerpMath.initialMarginUp(notional, tier?.maxLeverageWad ?? MAX_UINT256);
  if (size === 0n || equity < initial) {
    throw new RangeError(`${where}: the position does not open: size ${size} needs an initial margin of ${initial} and leaves equity ${equity} after the fee (collateral units)`);
  }
}
