/**
 * Setting up a perp protocol (docs/perps.md) on the shared `Deployer`:
 *   block 1  the exchange (owner: the deployer) and its lens;
 *   block 3  its markets created on their feeds, the vault funded and the insurance fund seeded from the
 *            deployer (`seedAmounts`, minted in block 2); each trader's account funded and its margin minted;
 *   block 0  each trader approves the exchange, deposits its margin and, per position, sets the margin
 *            mode, moves isolated margin and trades (its own transactions, in nonce order).
 * A position sized by leverage gets notional = margin x leverage at the mark the exchange reads at block
 * 0 (its feed's answer, read on chain), rounded down; a position that would not pass the exchange's
 * initial margin check is refused here, a `ScenarioError` naming its field, before anything of block 0
 * is sent. A perp exchange
 * has no borrowers and no loopers (the scenario refuses them).
 */
import { formatUnits, type Address } from "viem";
import { MAX_UINT256, PerpMath, mulDivDown } from "../../math";
import { ScenarioError } from "../../scenario/errors";
import type { PerpMarketSpec, PerpPositionSpec, ProtocolSpec } from "../../scenario/types";
import { ContractHandle, GAS, accountAddress, projectArtifact, type Deployer, type WorldAsset, type WorldPerpMarket, type WorldPerpProtocol, type WorldPerpTrader, type WorldProtocol } from "../../world";
import type { VenueDeployment } from "../types";

/** The contract's `LastResort`. */
const LAST_RESORT = { none: 0, adl: 1, socialize: 2 } as const;

/** The key of a perp market in the records. */
export function perpMarketKey(base: string): string {
  return `${base}-USD`;
}

function perp(p: WorldProtocol): WorldPerpProtocol {
  if (p.kind !== "perp") throw new Error(`internal: ${p.spec.name} is not a perp protocol`);
  return p;
}

function noBorrowers(p: { name: string } | WorldProtocol): never {
  throw new Error(`internal: ${"spec" in p ? p.spec.name : p.name} is a perp exchange: no borrowers or loopers`);
}

async function deploy(d: Deployer, spec: ProtocolSpec): Promise<WorldProtocol> {
  if (spec.type !== "perp") throw new Error(`internal: ${spec.name} is not a perp protocol`);
  const args = [d.address, d.asset(spec.collateral).token.address, LAST_RESORT[spec.lastResort], spec.negativeBalanceProtection, spec.keeperShareWad] as const;
  const exchange = await d.deployContract(projectArtifact("PerpExchange"), args, GAS.deployPerpExchange);
  const lens = await d.deployContract(projectArtifact("PerpLens"), [], GAS.deployLens);
  const markets = spec.markets.map((m, i) => ({ id: BigInt(i), key: perpMarketKey(m.base), spec: m }));
  const traders: WorldPerpTrader[] = [];
  for (const p of spec.positions) {
    if (!traders.some((t) => t.name === p.account)) traders.push({ name: p.account, address: accountAddress(`trader/${spec.name}/${p.account}`) });
  }
  return { kind: "perp", spec, contract: exchange, exchange, lens, markets, traders };
}

/** Block 3: markets, the vault, the insurance fund; each trader's account funded and its margin minted. */
async function configure(d: Deployer, protocol: WorldProtocol): Promise<void> {
  const p = perp(protocol);
  const { exchange, spec } = p;
  for (const m of spec.markets) {
    const params = {
      kind: m.kind === "linear" ? PerpMath.MarketKind.Linear : PerpMath.MarketKind.Inverse,
      feed: d.feedAddress(m.feed),
      maxPriceAgeSeconds: BigInt(m.maxPriceAgeSeconds),
      spreadWad: m.spreadWad,
      liquidationSpreadWad: m.liquidationSpreadWad,
      tradingFeeWad: m.tradingFeeWad,
      liquidationFeeWad: m.liquidationFeeWad,
    };
    await d.send(d.address, exchange.address, exchange.encode("createMarket", [params, m.tiers]), GAS.perpAction);
  }
  await d.send(d.address, exchange.address, exchange.encode("depositVault", [spec.vaultLiquidity]), GAS.perpAction);
  if (spec.insuranceFund > 0n) await d.send(d.address, exchange.address, exchange.encode("depositInsurance", [spec.insuranceFund]), GAS.perpAction);
  for (const t of p.traders) {
    await d.fundAgent(t.address);
    await d.mint(spec.collateral, t.address, marginOf(p, t.name));
  }
}

/** Block 0: each trader's approval and deposit, then its positions in the scenario's order. */
async function openPositions(d: Deployer, protocol: WorldProtocol, path: string): Promise<void> {
  const p = perp(protocol);
  const { exchange, spec } = p;
  const collateral = d.asset(spec.collateral);
  const { unit } = collateral;
  const marks = new Map<bigint, bigint>();
  for (const m of p.markets) marks.set(m.id, await markOf(d, m));
  const sizes = spec.positions.map((x, k) => {
    const m = marketOf(p, x.market);
    const mark = marks.get(m.id) ?? 0n;
    const size = positionSize(m.spec, x, mark, unit);
    checkOpens(m.spec, x, size, mark, collateral, `${path}.positions[${k}]`);
    return size;
  });
  for (const t of p.traders) {
    await d.approve(t.address, spec.collateral, exchange.address);
    await d.send(t.address, exchange.address, exchange.encode("deposit", [marginOf(p, t.name)]), GAS.perpAction);
  }
  for (const [k, x] of spec.positions.entries()) {
    const m = marketOf(p, x.market);
    const from = traderOf(p, x.account);
    if (x.marginMode !== "cross") {
      await d.send(from, exchange.address, exchange.encode("setMarginMode", [m.id, true]), GAS.perpAction);
      await d.send(from, exchange.address, exchange.encode("transferMargin", [m.id, x.margin]), GAS.perpAction);
    }
    const size = sizes[k] ?? 0n;
    await d.send(from, exchange.address, exchange.encode("trade", [m.id, x.side === "long" ? size : -size]), GAS.perpAction);
  }
}

/** The mark the exchange reads: its feed's answer now (block 3's state, which block 0 trades on). */
async function markOf(d: Deployer, m: WorldPerpMarket): Promise<bigint> {
  const feed = new ContractHandle(d.feedAddress(m.spec.feed), projectArtifact("AggregatorV3Interface").abi);
  const [, answer] = await feed.read(d.chain, "latestRoundData");
  return answer < 0n ? 0n : answer;
}

function marginOf(p: WorldPerpProtocol, account: string): bigint {
  return p.spec.positions.filter((x) => x.account === account).reduce((sum, x) => sum + x.margin, 0n);
}

function traderOf(p: WorldPerpProtocol, name: string): Address {
  const t = p.traders.find((x) => x.name === name);
  if (!t) throw new Error(`internal: trader ${name} of ${p.spec.name} missing`);
  return t.address;
}

function marketOf(p: WorldPerpProtocol, base: string): WorldPerpMarket {
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
  if (markE8 <= 0n) return 0n;
  const notional = mulDivDown(x.margin, x.sizing.leverageWad, 10n ** 18n);
  return m.kind === "linear" ? mulDivDown(notional, PerpMath.SIZE_PRICE_SCALE, markE8 * unit) : mulDivDown(notional, markE8 * PerpMath.INVERSE_SCALE, unit);
}

/**
 * The exchange's check of an opening trade, before it is sent: equity after the fee (margin − fee +
 * PnL at mark, the basis at the exec price) ≥ initial margin at mark, at the tier of the notional at
 * mark. A position that fails it is a `ScenarioError` naming its `leverage` (or `size`) field at `path`:
 * the tier, so the leverage allowed, depends on the notional at the block-0 mark, known only here.
 */
function checkOpens(m: PerpMarketSpec, x: PerpPositionSpec, size: bigint, markE8: bigint, collateral: WorldAsset, path: string): void {
  const { unit } = collateral;
  const kind = m.kind === "linear" ? PerpMath.MarketKind.Linear : PerpMath.MarketKind.Inverse;
  const isLong = x.side === "long";
  const exec = PerpMath.execPriceE8(markE8, m.spreadWad, isLong);
  const basis = PerpMath.openNotional(kind, isLong, size, exec, unit);
  const fee = PerpMath.feeUp(PerpMath.notionalUp(kind, size, exec, unit), m.tradingFeeWad);
  const equity = x.margin - fee + PerpMath.pnl(kind, isLong, size, basis, markE8, unit);
  const notional = PerpMath.notionalUp(kind, size, markE8, unit);
  const tier = m.tiers.find((t) => notional <= t.maxNotional) ?? m.tiers[m.tiers.length - 1];
  const initial = PerpMath.initialMarginUp(notional, tier?.maxLeverageWad ?? MAX_UINT256);
  if (size !== 0n && equity >= initial) return;
  const field = "size" in x.sizing ? `${path}.size` : `${path}.leverage`;
  const given = "size" in x.sizing ? `size ${formatUnits(x.sizing.size, 18)}` : `${formatUnits(x.sizing.leverageWad, 18)}x`;
  const amount = (v: bigint) => `${formatUnits(v, collateral.spec.decimals)} ${collateral.spec.symbol}`;
  const message =
    size === 0n
      ? `${given} on a margin of ${amount(x.margin)} rounds to a size of 0 at the block-0 mark`
      : `${given} does not open: a notional of ${amount(notional)} at the block-0 mark allows at most ${formatUnits(tier?.maxLeverageWad ?? 0n, 18)}x (its tier), an initial margin of ${amount(initial)}, and the margin of ${amount(x.margin)} leaves ${amount(equity)} after the fee and spread`;
  throw new ScenarioError([{ path: field, message }]);
}

export const perpDeployment: VenueDeployment = {
  deploy,
  seedAmounts: (p) => [{ asset: perp(p).spec.collateral, amount: perp(p).spec.vaultLiquidity + perp(p).spec.insuranceFund }],
  configure,
  openPositions,
  looperLeg: (p) => noBorrowers(p),
  planBorrows: (context) => noBorrowers(context.protocol),
  supplyCollateral: async (_d, p) => noBorrowers(p),
  borrow: async (_d, p) => noBorrowers(p),
};
