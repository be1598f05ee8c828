/**
 * Liquidator bots. Each sees the state at the end of the previous block with the oracle updates
 * pending in this block's mempool applied (bots backrun price updates), waits `delayBlocks` after a
 * position's liquidatable episode began (0: in the very block that made it liquidatable), and for each candidate (largest debt first)
 * picks the borrower's largest collateral and debt, sizes the repayment with the model's preview
 * (close factor, dust rules, seizure cap, its own inventory of the debt asset), and sends the
 * liquidation only if the expected profit at market prices, after gas, reaches `minProfitUsdE8`.
 * Liquidators that bid the same targets compete: the highest priority fee is mined first and the
 * others revert or get what is left.
 */
import type { Address } from "viem";
import { MAX_UINT256, PoolMathError, mulDivDown, previewLiquidation, supplyBalance, debtBalance, type LiquidationPreview } from "../math";
import type { LiquidatorAccount, World } from "../world";
import { GAS } from "../world";
import { balanceKey, type MarketView, type ProtocolView, type TxIntent } from "./types";

/** Gas a liquidation is expected to use, for the profit estimate (the limit sent is `GAS.liquidation`). */
export const LIQUIDATION_GAS_ESTIMATE = 350_000n;
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

/** The best liquidation of `borrower` for a liquidator holding `inventory` of each asset, or null. */
export function planLiquidation(
  view: MarketView,
  protocol: ProtocolView,
  borrower: Address,
  inventory: (symbol: string) => bigint,
  priorityFeeWei: bigint,
): LiquidationPlan | null {
  const shares = protocol.users.get(borrower);
  if (!shares) return null;
  const collateralValues = protocol.reserves.map((r, i) =>
    r.config.liquidationThresholdWad === 0n ? 0n : mulDivDown(supplyBalance(r, shares.supplyShares[i] ?? 0n, r.state.lastUpdate), r.priceE8, r.unit),
  );
  const debtValues = protocol.reserves.map((r, i) => mulDivDown(debtBalance(r, shares.borrowShares[i] ?? 0n, r.state.lastUpdate), r.priceE8, r.unit));
  const c = largestIndex(collateralValues);
  const d = largestIndex(debtValues);
  if (c < 0 || d < 0) return null;
  const collateral = protocol.assets[c] ?? "";
  const debt = protocol.assets[d] ?? "";
  const held = inventory(debt);
  if (held === 0n) return null;
  // Reserve states in the view are accrued to the previous block: model the liquidation there.
  const at = protocol.reserves[0]?.state.lastUpdate ?? view.timestamp;
  let preview: LiquidationPreview;
  try {
    preview = previewLiquidation(protocol.reserves, protocol.liquidationConfig, shares, c, d, held, at);
  } catch (e) {
    if (e instanceof PoolMathError) return null;
    throw e;
  }
  const cr = protocol.reserves[c];
  const dr = protocol.reserves[d];
  const pc = view.marketPriceE8.get(collateral);
  const pd = view.marketPriceE8.get(debt);
  if (!cr || !dr || pc === undefined || pd === undefined) return null;
  const receivedUsd = mulDivDown(preview.collateralSeized - preview.protocolFee, pc, cr.unit);
  const paidUsd = mulDivDown(preview.debtRepaid, pd, dr.unit);
  const gasUsd = gasCostUsdE8(view, LIQUIDATION_GAS_ESTIMATE, priorityFeeWei);
  return { protocol: protocol.name, borrower, collateral, debt, preview, expectedProfitUsdE8: receivedUsd - paidUsd - gasUsd };
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
    const known = inventory.get(symbol);
    return known ?? view.balances.get(balanceKey(liquidator.address, symbol)) ?? 0n;
  };
  const out: TxIntent[] = [];
  for (const name of spec.protocols) {
    const protocol = view.protocols.get(name);
    const pool = world.protocols.get(name);
    if (!protocol || !pool) continue;
    const candidates = [...protocol.accounts.entries()]
      .filter(([borrower, a]) => {
        // A position liquidatable only at the pending oracle price starts its episode in this block.
        const start = episodeStarts.get(`${name}/${borrower}`) ?? view.block;
        return a.healthFactor < 10n ** 18n && view.block >= start + spec.delayBlocks;
      })
      .sort(([aAddr, a], [bAddr, b]) => (b.totalDebtUsd > a.totalDebtUsd ? 1 : b.totalDebtUsd < a.totalDebtUsd ? -1 : aAddr < bAddr ? -1 : 1));
    for (const [borrower] of candidates) {
      const plan = planLiquidation(view, protocol, borrower, held, spec.priorityFeeWei);
      if (!plan || plan.expectedProfitUsdE8 < spec.minProfitUsdE8) continue;
      const c = world.assets.get(plan.collateral);
      const d = world.assets.get(plan.debt);
      if (!c || !d) continue;
      // Debt grows by a block of interest before the transaction runs: repaying exactly the amount
      // previewed would leave a few wei, which the pool's dust rule rejects. Like real bots, ask for
      // "as much as allowed" when the inventory covers the preview with a margin for that interest.
      const withMargin = plan.preview.debtRepaid + plan.preview.debtRepaid / 1000n + 1n;
      const debtToCover = held(plan.debt) >= withMargin ? MAX_UINT256 : plan.preview.debtRepaid;
      inventory.set(plan.debt, held(plan.debt) - (debtToCover === MAX_UINT256 ? withMargin : plan.preview.debtRepaid));
      out.push({
        agent: liquidator.name,
        action: `liquidate ${borrower} in ${name}: repay ${plan.preview.debtRepaid} ${plan.debt} for ${plan.collateral}`,
        from: liquidator.address,
        to: pool.pool.address,
        data: pool.pool.encode("liquidationCall", [c.token.address, d.token.address, borrower, debtToCover]),
        gas: GAS.liquidation,
        priorityFeeWei: spec.priorityFeeWei,
      });
      const amm = spec.sellOnAmm ? world.amms.get(spec.sellOnAmm) : undefined;
      const sells = amm && [amm.token0, amm.token1].includes(plan.collateral) && [amm.token0, amm.token1].includes(plan.debt);
      if (amm && sells) {
        out.push({
          agent: liquidator.name,
          action: `sell ${plan.preview.collateralSeized - plan.preview.protocolFee} ${plan.collateral} on ${amm.spec.name}`,
          from: liquidator.address,
          to: world.swapHelper.address,
          data: world.swapHelper.encode("swapExactIn", [
            amm.pair.address,
            c.token.address,
            plan.preview.collateralSeized - plan.preview.protocolFee,
            0n,
            liquidator.address,
          ]),
          gas: GAS.swap,
          priorityFeeWei: spec.priorityFeeWei,
        });
      }
    }
  }
  return out;
}
