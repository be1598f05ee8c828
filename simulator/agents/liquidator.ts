/**
 * Liquidator bots. Each sees the state at the end of the previous block with the oracle updates
 * pending in this block's mempool applied (bots backrun price updates), waits `delayBlocks` after a
 * position's liquidatable episode began (0: in the very block that made it liquidatable), and for each
 * candidate (largest debt first) picks the borrower's largest debt and the collateral whose liquidation
 * pays it most (`planLiquidation`), sizes the repayment with the model's preview (close factor, dust
 * rules, seizure cap, its own inventory of the debt asset), and sends the
 * liquidation only if the expected profit at market prices, after gas, reaches `minProfitUsdE8`. It
 * bids at most what one block holds: the expected gas of its liquidations (and sales) within the
 * block gas limit, largest debts first.
 * Liquidators that bid the same targets compete: the highest priority fee is mined first and the
 * others revert or get what is left.
 *
 * A liquidator with `atomicVia` has no inventory: its `AtomicLiquidator` contract flash-borrows the
 * debt asset from that pair, liquidates, and repays the pair with seized collateral, so it takes any
 * liquidation whose collateral covers the pair's price (after impact) by at least `minProfitUsdE8`.
 */
import type { Address } from "viem";
import {
  IsolatedLendingMarketMath as IM,
  MAX_UINT256,
  WAD,
  PoolMathError,
  debtBalance,
  getAmountIn,
  mulDivDown,
  previewLiquidation,
  supplyBalance,
  toSharesDown,
  type LiquidationPreview,
} from "../math";
import type { LiquidatorAccount, World } from "../world";
import { GAS } from "../world";
import { balanceKey, positionKey, type IsolatedMarketView, type IsolatedProtocolView, type MarketView, type PooledProtocolView, type TxIntent } from "../state";

/** Gas a liquidation is expected to use, for the profit estimate (the limit sent is `GAS.liquidation`). */
export const LIQUIDATION_GAS_ESTIMATE = 350_000n;
/** Gas an atomic (flash-swap) liquidation is expected to use. */
export const ATOMIC_LIQUIDATION_GAS_ESTIMATE = 500_000n;
/** Gas selling seized collateral on a pair (`sellOnAmm`) is expected to use. */
export const SALE_GAS_ESTIMATE = 100_000n;

/**
 * What a bot may still bid in one block: the gas its planned transactions are expected to use, at
 * most the block's gas limit. A bot does not send more than one block can hold (the rest could not be
 * mined before its next look at the chain, when it plans again on fresh state).
 */
class BlockBudget {
  constructor(private left: bigint) {}

  /** Takes `gas` from the budget if it fits; false (and nothing taken) if not. */
  take(gas: bigint): boolean {
    if (gas > this.left) return false;
    this.left -= gas;
    return true;
  }
}
/** Gas price in USD is taken from this asset's market price when the scenario has it, else $2,000. */
const GAS_TOKEN_SYMBOLS = ["ETH", "WETH"];
const DEFAULT_GAS_TOKEN_PRICE_E8 = 2_000n * 10n ** 8n;

export function gasTokenPriceE8(view: MarketView): bigint {
  for (const symbol of GAS_TOKEN_SYMBOLS) {
    const p = view.marketPriceE8.get(symbol);
    if (p !== undefined) return p;
  }
  return DEFAULT_GAS_TOKEN_PRICE_E8;
}

/** Gas cost in USD E8 of `gas` at the view's base fee plus `priorityFeeWei`. */
export function gasCostUsdE8(view: MarketView, gas: bigint, priorityFeeWei: bigint): bigint {
  return mulDivDown(gas * (view.baseFeeWei + priorityFeeWei), gasTokenPriceE8(view), 10n ** 18n);
}

export interface LiquidationPlan {
  protocol: string;
  borrower: Address;
  collateral: string;
  debt: string;
  preview: LiquidationPreview;
  expectedProfitUsdE8: bigint;
}

/** The episode start per `${protocol}/${borrower}` for positions currently liquidatable. */
export type EpisodeStarts = Map<string, number>;

function largestIndex(values: bigint[]): number {
  let best = -1;
  values.forEach((v, i) => {
    if (v > 0n && (best < 0 || v > (values[best] ?? 0n))) best = i;
  });
  return best;
}

/**
 * The best liquidation of `borrower` for a liquidator holding `inventory` of each asset, or null:
 * against the borrower's largest debt, the collateral whose liquidation is expected to pay most at
 * market prices after gas (ties: the larger collateral, then reserve order), among the collateral
 * assets `accepts` allows. A borrower with several collateral assets (cross margin) thus loses first
 * the one that rewards the liquidator best, usually its largest.
 */
export function planLiquidation(
  view: MarketView,
  protocol: PooledProtocolView,
  borrower: Address,
  inventory: (symbol: string) => bigint,
  priorityFeeWei: bigint,
  accepts: (collateral: string, debt: string) => boolean = () => true,
): LiquidationPlan | null {
  const shares = protocol.users.get(borrower);
  if (!shares) return null;
  const collateralValues = protocol.reserves.map((r, i) =>
    r.config.liquidationThresholdWad === 0n ? 0n : mulDivDown(supplyBalance(r, shares.supplyShares[i] ?? 0n, r.state.lastUpdate), r.priceE8, r.unit),
  );
  const debtValues = protocol.reserves.map((r, i) => mulDivDown(debtBalance(r, shares.borrowShares[i] ?? 0n, r.state.lastUpdate), r.priceE8, r.unit));
  const d = largestIndex(debtValues);
  if (d < 0) return null;
  const debt = protocol.assets[d] ?? "";
  const held = inventory(debt);
  const dr = protocol.reserves[d];
  const pd = view.marketPriceE8.get(debt);
  if (held === 0n || !dr || pd === undefined) return null;
  // Reserve states in the view are accrued to the previous block: model the liquidation there.
  const at = protocol.reserves[0]?.state.lastUpdate ?? view.timestamp;
  const gasUsd = gasCostUsdE8(view, LIQUIDATION_GAS_ESTIMATE, priorityFeeWei);
  let best: LiquidationPlan | null = null;
  let bestValue = 0n;
  for (const [c, value] of collateralValues.entries()) {
    const collateral = protocol.assets[c] ?? "";
    const cr = protocol.reserves[c];
    const pc = view.marketPriceE8.get(collateral);
    if (value === 0n || !cr || pc === undefined || !accepts(collateral, debt)) continue;
    let preview: LiquidationPreview;
    try {
      preview = previewLiquidation(protocol.reserves, protocol.liquidationConfig, shares, c, d, held, at);
    } catch (e) {
      if (e instanceof PoolMathError) continue;
      throw e;
    }
    const receivedUsd = mulDivDown(preview.collateralSeized - preview.protocolFee, pc, cr.unit);
    const paidUsd = mulDivDown(preview.debtRepaid, pd, dr.unit);
    const profit = receivedUsd - paidUsd - gasUsd;
    if (best === null || profit > best.expectedProfitUsdE8 || (profit === best.expectedProfitUsdE8 && value > bestValue)) {
      best = { protocol: protocol.name, borrower, collateral, debt, preview, expectedProfitUsdE8: profit };
      bestValue = value;
    }
  }
  return best;
}

export function liquidatorIntents(
  world: World,
  liquidator: LiquidatorAccount,
  view: MarketView,
  episodeStarts: EpisodeStarts,
): TxIntent[] {
  const { spec } = liquidator;
  const outage = world.scenario.events.some(
    (e) => e.type === "keeperOutage" && e.liquidator === spec.name && view.block >= e.fromBlock && view.block <= e.toBlock,
  );
  if (outage) return [];
  const inventory = new Map<string, bigint>();
  const held = (symbol: string) => {
    if (liquidator.atomic !== null) return MAX_UINT256;
    const known = inventory.get(symbol);
    return known ?? view.balances.get(balanceKey(liquidator.address, symbol)) ?? 0n;
  };
  const spend = (symbol: string, amount: bigint) => {
    if (liquidator.atomic === null) inventory.set(symbol, held(symbol) - amount);
  };
  const ready = (key: string) => view.block >= (episodeStarts.get(key) ?? view.block) + spec.delayBlocks;
  // The bot's own atomic liquidations move the pair before its next one in the block: plan on the
  // reserves they leave.
  const reserves = new Map(view.amms);
  const botView: MarketView = { ...view, amms: reserves };
  const budget = new BlockBudget(world.scenario.blockGasLimit);
  const out: TxIntent[] = [];
  for (const name of spec.protocols) {
    const protocol = view.protocols.get(name);
    const world_p = world.protocols.get(name);
    if (!protocol || !world_p) continue;
    if (protocol.kind === "isolated") {
      out.push(...isolatedLiquidations(world, liquidator, botView, protocol, held, spend, ready, budget));
      continue;
    }
    if (world_p.kind !== "pooled") continue;
    const pool = world_p.pool;
    // A position liquidatable only at the pending oracle price starts its episode in this block.
    const candidates = unhealthyAccounts(protocol).filter((borrower) => ready(positionKey(name, borrower)));
    for (const borrower of candidates) {
      // An atomic liquidator can only take collateral that its pair trades for the debt.
      const pair = liquidator.spec.atomicVia === null ? undefined : world.amms.get(liquidator.spec.atomicVia);
      const accepts = (collateral: string, debt: string) => !pair || ([pair.token0, pair.token1].includes(collateral) && [pair.token0, pair.token1].includes(debt));
      const plan = planLiquidation(view, protocol, borrower, held, spec.priorityFeeWei, accepts);
      if (!plan) continue;
      const c = world.assets.get(plan.collateral);
      const d = world.assets.get(plan.debt);
      if (!c || !d) continue;
      const received = plan.preview.collateralSeized - plan.preview.protocolFee;
      if (liquidator.atomic !== null) {
        const atomic = atomicPlan(world, liquidator, botView, plan.collateral, plan.debt, plan.preview.debtRepaid, received);
        if (!atomic || atomic.profitUsdE8 < spec.minProfitUsdE8) continue;
        if (!budget.take(ATOMIC_LIQUIDATION_GAS_ESTIMATE)) break;
        atomic.commit();
        out.push({
          agent: liquidator.name,
          action: `liquidate ${borrower} in ${name} atomically via ${atomic.amm}: repay ${plan.preview.debtRepaid} ${plan.debt} for ${plan.collateral}`,
          from: liquidator.address,
          to: liquidator.atomic.address,
          data: liquidator.atomic.encode("liquidatePooled", [pool.address, c.token.address, d.token.address, borrower, MAX_UINT256, atomic.pair, 0n]),
          gas: GAS.atomicLiquidation,
          priorityFeeWei: spec.priorityFeeWei,
        });
        continue;
      }
      if (plan.expectedProfitUsdE8 < spec.minProfitUsdE8) continue;
      if (!budget.take(LIQUIDATION_GAS_ESTIMATE + saleGasEstimate(liquidator))) break;
      // Debt grows by a block of interest before the transaction runs: repaying exactly the amount
      // previewed would leave a few wei, which the pool's dust rule rejects. Like real bots, ask for
      // "as much as allowed" when the inventory covers the preview with a margin for that interest.
      const withMargin = plan.preview.debtRepaid + plan.preview.debtRepaid / 1000n + 1n;
      const debtToCover = held(plan.debt) >= withMargin ? MAX_UINT256 : plan.preview.debtRepaid;
      spend(plan.debt, debtToCover === MAX_UINT256 ? withMargin : plan.preview.debtRepaid);
      out.push({
        agent: liquidator.name,
        action: `liquidate ${borrower} in ${name}: repay ${plan.preview.debtRepaid} ${plan.debt} for ${plan.collateral}`,
        from: liquidator.address,
        to: pool.address,
        data: pool.encode("liquidationCall", [c.token.address, d.token.address, borrower, debtToCover]),
        gas: GAS.liquidation,
        priorityFeeWei: spec.priorityFeeWei,
      });
      out.push(...saleIntents(world, liquidator, name, borrower, plan.collateral, plan.debt, received));
    }
  }
  return out;
}

/** Expected gas of the sale that follows each of this bot's liquidations (0 when it keeps the collateral). */
function saleGasEstimate(liquidator: LiquidatorAccount): bigint {
  return liquidator.spec.sellOnAmm ? SALE_GAS_ESTIMATE : 0n;
}

/** Selling just-seized collateral through `sellOnAmm`, tagged with the position it came from. */
function saleIntents(
  world: World,
  liquidator: LiquidatorAccount,
  protocol: string,
  borrower: Address,
  collateral: string,
  debt: string,
  amount: bigint,
): TxIntent[] {
  const amm = liquidator.spec.sellOnAmm ? world.amms.get(liquidator.spec.sellOnAmm) : undefined;
  const c = world.assets.get(collateral);
  if (!amm || !c || amount === 0n) return [];
  if (![amm.token0, amm.token1].includes(collateral) || ![amm.token0, amm.token1].includes(debt)) return [];
  return [
    {
      agent: liquidator.name,
      action: `sell ${amount} ${collateral} on ${amm.spec.name}`,
      from: liquidator.address,
      to: world.swapHelper.address,
      data: world.swapHelper.encode("swapExactIn", [amm.pair.address, c.token.address, amount, 0n, liquidator.address]),
      gas: GAS.swap,
      priorityFeeWei: liquidator.spec.priorityFeeWei,
      saleOf: { protocol, borrower },
    },
  ];
}

/**
 * An atomic liquidation's expected profit: the collateral received less what the pair takes for
 * flash-lending `debtRepaid` (Uniswap's amount in, at last block's reserves), at market prices, less
 * gas. Null when the pair does not trade this collateral for this debt or cannot lend that much.
 */
function atomicPlan(
  world: World,
  liquidator: LiquidatorAccount,
  view: MarketView,
  collateral: string,
  debt: string,
  debtRepaid: bigint,
  collateralReceived: bigint,
): { amm: string; pair: Address; profitUsdE8: bigint; commit: () => void } | null {
  const name = liquidator.spec.atomicVia;
  const amm = name ? world.amms.get(name) : undefined;
  const reserves = name ? view.amms.get(name) : undefined;
  const c = world.assets.get(collateral);
  const pc = view.marketPriceE8.get(collateral);
  if (!name || !amm || !reserves || !c || pc === undefined) return null;
  if (!((amm.token0 === collateral && amm.token1 === debt) || (amm.token0 === debt && amm.token1 === collateral))) return null;
  const [reserveCollateral, reserveDebt] = amm.token0 === collateral ? [reserves.reserve0, reserves.reserve1] : [reserves.reserve1, reserves.reserve0];
  if (debtRepaid === 0n || debtRepaid >= reserveDebt) return null;
  const owed = getAmountIn(debtRepaid, reserveCollateral, reserveDebt);
  const profitUsdE8 =
    mulDivDown(collateralReceived, pc, c.unit) - mulDivDown(owed, pc, c.unit) - gasCostUsdE8(view, ATOMIC_LIQUIDATION_GAS_ESTIMATE, liquidator.spec.priorityFeeWei);
  if (owed > collateralReceived) return null;
  // The flash swap takes `debtRepaid` out of the pair and puts `owed` collateral in.
  const [newCollateral, newDebt] = [reserveCollateral + owed, reserveDebt - debtRepaid];
  const after = amm.token0 === collateral ? { reserve0: newCollateral, reserve1: newDebt } : { reserve0: newDebt, reserve1: newCollateral };
  return { amm: name, pair: amm.pair.address, profitUsdE8, commit: () => view.amms.set(name, after) };
}

/** Largest `debt` first, then by address: the order in which bots take unhealthy positions. */
function byLargestDebt(a: { borrower: Address; debt: bigint }, b: { borrower: Address; debt: bigint }): number {
  return b.debt > a.debt ? 1 : b.debt < a.debt ? -1 : a.borrower < b.borrower ? -1 : 1;
}

/** Unhealthy accounts per pooled protocol view, largest debt first: every bot of a block sees the same view. */
const unhealthyByPool = new WeakMap<PooledProtocolView, Address[]>();

function unhealthyAccounts(protocol: PooledProtocolView): Address[] {
  let list = unhealthyByPool.get(protocol);
  if (!list) {
    list = [...protocol.accounts.entries()]
      .filter(([, a]) => a.healthFactor < WAD)
      .map(([borrower, a]) => ({ borrower, debt: a.totalDebtUsd }))
      .sort(byLargestDebt)
      .map((c) => c.borrower);
    unhealthyByPool.set(protocol, list);
  }
  return list;
}

/** Unhealthy positions per market view, largest debt first: every bot of a block sees the same view. */
const unhealthyByMarket = new WeakMap<IsolatedMarketView, { borrower: Address; position: IM.Position }[]>();

function unhealthyPositions(m: IsolatedMarketView): { borrower: Address; position: IM.Position }[] {
  let list = unhealthyByMarket.get(m);
  if (!list) {
    list = [...m.positions.entries()]
      .map(([borrower, position]) => ({ borrower, position, health: IM.positionHealth(m, m.state, position, m.priceE36) }))
      .filter((c) => !c.health.healthy)
      .map(({ borrower, position, health }) => ({ borrower, position, debt: health.borrowed }))
      .sort(byLargestDebt)
      .map(({ borrower, position }) => ({ borrower, position }));
    unhealthyByMarket.set(m, list);
  }
  return list;
}

/**
 * Liquidations in an isolated protocol: every unhealthy position (largest debt first), as much as
 * Morpho's rules allow (all the debt, or all the collateral when that is worth less than the debt
 * times the incentive), within the inventory of the loan asset.
 */
function isolatedLiquidations(
  world: World,
  liquidator: LiquidatorAccount,
  view: MarketView,
  protocol: IsolatedProtocolView,
  held: (symbol: string) => bigint,
  spend: (symbol: string, amount: bigint) => void,
  ready: (key: string) => boolean,
  budget: BlockBudget,
): TxIntent[] {
  const { spec } = liquidator;
  const wp = world.protocols.get(protocol.name);
  if (!wp || wp.kind !== "isolated") return [];
  const out: TxIntent[] = [];
  for (const m of protocol.markets) {
    if (m.priceE36 === 0n) continue;
    const pc = view.marketPriceE8.get(m.collateral);
    const pl = view.marketPriceE8.get(m.loan);
    if (pc === undefined || pl === undefined) continue;
    const candidates = unhealthyPositions(m).filter((c) => ready(positionKey(protocol.name, c.borrower, m.key)));
    for (const { borrower, position } of candidates) {
      let input = IM.maxLiquidation(m.state, position, m.priceE36, m.lifWad);
      if (input === undefined) continue;
      let amounts: IM.LiquidationAmounts;
      try {
        amounts = IM.liquidationAmounts(m.state, position, m.priceE36, m.lifWad, input);
        // Interest of one more block raises the debt: when burning every share would seize nearly all
        // the collateral, seize all of it instead, so the call cannot ask for more than there is.
        if (input.repaidShares !== undefined && amounts.seizedAssets > position.collateral - position.collateral / 1000n) {
          input = { seizedAssets: position.collateral };
          amounts = IM.liquidationAmounts(m.state, position, m.priceE36, m.lifWad, input);
        }
        const cash = held(m.loan);
        if (amounts.repaidAssets > cash) {
          // Within the inventory: burn the shares `cash` repays (rounded down, so the call needs at most `cash`).
          const shares = (cash * 999n) / 1000n === 0n ? 0n : toSharesDown((cash * 999n) / 1000n, m.state.totalBorrowAssets, m.state.totalBorrowShares);
          if (shares === 0n) continue;
          input = { repaidShares: shares };
          amounts = IM.liquidationAmounts(m.state, position, m.priceE36, m.lifWad, input);
        }
      } catch (e) {
        if (e instanceof IM.IsolatedMarketMathError) continue;
        throw e;
      }
      const seized = input.seizedAssets ?? 0n;
      const shares = input.repaidShares ?? 0n;
      if (liquidator.atomic !== null) {
        const atomic = atomicPlan(world, liquidator, view, m.collateral, m.loan, amounts.repaidAssets, amounts.seizedAssets);
        if (!atomic || atomic.profitUsdE8 < spec.minProfitUsdE8) continue;
        if (!budget.take(ATOMIC_LIQUIDATION_GAS_ESTIMATE)) return out;
        atomic.commit();
        out.push({
          agent: liquidator.name,
          action: `liquidate ${borrower} in ${protocol.name} ${m.key} atomically via ${atomic.amm}: repay ${amounts.repaidAssets} ${m.loan} for ${amounts.seizedAssets} ${m.collateral}`,
          from: liquidator.address,
          to: liquidator.atomic.address,
          data: liquidator.atomic.encode("liquidateIsolated", [wp.market.address, m.id, borrower, seized, shares, atomic.pair, 0n]),
          gas: GAS.atomicLiquidation,
          priorityFeeWei: spec.priorityFeeWei,
        });
        continue;
      }
      const profitUsdE8 =
        mulDivDown(amounts.seizedAssets, pc, m.collateralUnit) -
        mulDivDown(amounts.repaidAssets, pl, m.loanUnit) -
        gasCostUsdE8(view, LIQUIDATION_GAS_ESTIMATE, spec.priorityFeeWei);
      if (profitUsdE8 < spec.minProfitUsdE8) continue;
      if (!budget.take(LIQUIDATION_GAS_ESTIMATE + saleGasEstimate(liquidator))) return out;
      // One more block of interest before the call: keep a margin of the inventory for it.
      spend(m.loan, amounts.repaidAssets + amounts.repaidAssets / 1000n + 1n);
      out.push({
        agent: liquidator.name,
        action: `liquidate ${borrower} in ${protocol.name} ${m.key}: repay ${amounts.repaidAssets} ${m.loan} for ${amounts.seizedAssets} ${m.collateral}`,
        from: liquidator.address,
        to: wp.market.address,
        data: wp.market.encode("liquidate", [m.id, borrower, seized, shares]),
        gas: GAS.liquidation,
        priorityFeeWei: spec.priorityFeeWei,
      });
      out.push(...saleIntents(world, liquidator, protocol.name, borrower, m.collateral, m.loan, amounts.seizedAssets));
    }
  }
  return out;
}
