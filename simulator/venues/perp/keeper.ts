/**
 * A keeper on a perpetual futures exchange (`Venue.liquidations` of the perp venue): every margin group
 * whose equity is below its maintenance margin at the bot's view (marks with the block's pending push
 * prices), once its episode is `ready`, largest notional first, sent as `liquidate(account, market,
 * candidates)` when the keeper's share of the liquidation fee, at market price, less gas reaches
 * `minProfitUsdE8` (a `backstop`, the exchange's own engine, liquidates whatever the profit: a bankrupt
 * account pays no keeper fee), within the block budget. The call needs no repayment asset and no inventory.
 *
 * The figures come from the contract's mirror (`PerpLiquidation.previewLiquidation`): the close (partial
 * or full), its fee and the shortfall a full one leaves. When the shortfall exceeds what the insurance
 * fund holds and the exchange's last resort draws on the winners (`adl`, `socialize`, with negative
 * balance protection), the call carries the opposite side's open positions ranked by BitMEX's rule
 * (`PerpLiquidation.adlCandidates`), the list the contract verifies. Every planned call is applied to
 * the plan's copy of the exchange (`PerpWaterfall.applyLiquidation`: the closes, the fund, the winners
 * closed at the bankruptcy price or haircut), so each later call of the block carries the list ranked on
 * the state its predecessors leave: like an exchange's engine, the bot deleverages every bankrupt
 * account as it comes, in one block. That needs the mark the calls will meet: a push feed's (its
 * pending push applied). An AMM-read mark moves with the block's swaps ahead of the keeper (an
 * arbitrageur's), which changes what an earlier call closes and so the later lists: in such a market a
 * call that reaches the last resort after an earlier call of the block closed or haircut winners waits
 * for the next block (with no winners left at the block's start, the lists are empty whatever the
 * mark: those calls never wait).
 */
import type { Address } from "viem";
import { PerpHealth, PerpLiquidation, PerpMath, PerpWaterfall, mulDivDown } from "../../math";
import { perpModel, perpView } from "./model";
import { positionKey, type MarketView, type PerpMarketView, type PerpProtocolView, type TxIntent } from "../../state";
import { GAS, type ProjectHandle } from "../../world";
import { LIQUIDATION_GAS_ESTIMATE, gasCostUsdE8, type BlockBudget } from "../keeper";
import type { KeeperContext } from "../types";

/** Expected gas per ADL candidate the contract verifies (its rank: a health read per market it holds). */
export const ADL_CANDIDATE_GAS_ESTIMATE = 30_000n;

/** A margin group below its maintenance margin: the position the call names (the group's largest). */
export interface PerpCandidate {
  account: Address;
  market: PerpMarketView;
  /** Notional of the named position at mark (collateral units): the order in which bots take them. */
  notional: bigint;
}

/** Liquidatable groups per protocol view, largest notional first. */
const candidatesByView = new WeakMap<PerpProtocolView, PerpCandidate[]>();

/** Every liquidatable margin group of the view: isolated positions one by one, a cross account once. */
export function perpCandidates(view: PerpProtocolView): PerpCandidate[] {
  let list = candidatesByView.get(view);
  if (list) return list;
  const { exchange, accounts } = perpModel(view);
  list = [];
  for (const [account, model] of accounts) {
    let cross: PerpCandidate | undefined;
    for (const [id, p] of model.positions) {
      const market = view.markets[Number(id)];
      if (!market || market.markPriceE8 === 0n) continue;
      const candidate = { account, market, notional: PerpMath.notionalDown(market.kind, p.size, market.markPriceE8, exchange.unit) };
      if (p.isolated) {
        const h = PerpHealth.health(exchange, model, id);
        if (h && PerpHealth.liquidatable(h)) list.push(candidate);
      } else if (!cross || candidate.notional > cross.notional) cross = candidate;
    }
    const h = cross && PerpHealth.health(exchange, model, cross.market.id);
    if (cross && h && PerpHealth.liquidatable(h)) list.push(cross);
  }
  list.sort((a, b) => (a.notional !== b.notional ? (b.notional > a.notional ? 1 : -1) : BigInt(a.account) < BigInt(b.account) ? -1 : 1));
  candidatesByView.set(view, list);
  return list;
}

/** The exchange as the bot's calls of this block leave it, for its later calls. */
interface BlockPlan {
  exchange: PerpHealth.ExchangeModel;
  keeperShareWad: bigint;
  state: PerpWaterfall.ExchangeState;
  /** Markets whose marks move within the block where a planned call already closes or haircuts winners. */
  winnersMoved: Set<bigint>;
}

/** What the planning needs of the bot and its block (a `KeeperContext` gives it). */
export interface PerpKeeperBot {
  name: string;
  address: Address;
  priorityFeeWei: bigint;
  minProfitUsdE8: bigint;
  /** Liquidates whatever the profit (the exchange's own engine). */
  backstop: boolean;
  /** Market prices (USD E8) and the base fee of the block, for the fee's value and the gas cost. */
  view: MarketView;
  ready(positionKey: string): boolean;
  budget: BlockBudget;
  /** Whether the bot's mark of the market is the one its calls will meet (a push feed's; not one read from an AMM). */
  markSettled(market: PerpMarketView): boolean;
}

/** The perp venue's `liquidations`: a liquidator's calls to one exchange in this block. */
export function perpLiquidations(context: KeeperContext): TxIntent[] {
  const protocol = perpView(context.protocol);
  if (!protocol) return [];
  const { liquidator, view, ready, budget, deployed } = context;
  if (deployed.kind !== "perp") return [];
  const markSettled = (m: PerpMarketView) => !context.world.oracles.has(m.feed);
  const bot = { name: liquidator.name, address: liquidator.address, priorityFeeWei: liquidator.spec.priorityFeeWei, minProfitUsdE8: liquidator.spec.minProfitUsdE8, backstop: liquidator.spec.backstop, view, ready, budget, markSettled };
  return planPerpLiquidations(protocol, deployed.exchange, deployed.spec.keeperShareWad, bot);
}

/** The bot's `liquidate` calls to `exchange` (whose view is `protocol`), in the order sent (it stops where the budget ends). */
export function planPerpLiquidations(protocol: PerpProtocolView, exchange: ProjectHandle<"PerpExchange">, keeperShareWad: bigint, bot: PerpKeeperBot): TxIntent[] {
  const model = perpModel(protocol);
  const plan: BlockPlan = { exchange: model.exchange, keeperShareWad, state: { accounts: new Map(model.accounts), insuranceFund: protocol.insuranceFund }, winnersMoved: new Set() };
  const out: TxIntent[] = [];
  for (const c of perpCandidates(protocol)) {
    if (!bot.ready(positionKey(protocol.name, c.account, c.market.key))) continue;
    const intent = liquidationIntent(bot, protocol, exchange, plan, c);
    if (intent === "budget spent") return out;
    if (intent) out.push(intent);
  }
  return out;
}

/** The liquidation of one group, or none when not worth it, no longer liquidatable or waiting, or "budget spent". */
function liquidationIntent(bot: PerpKeeperBot, protocol: PerpProtocolView, exchange: ProjectHandle<"PerpExchange">, plan: BlockPlan, c: PerpCandidate): TxIntent | undefined | "budget spent" {
  const account = plan.state.accounts.get(c.account);
  const preview = account && PerpLiquidation.previewLiquidation(plan.exchange, account, c.market.id, plan.keeperShareWad);
  if (!preview) return undefined;
  const lastResort = PerpWaterfall.reachesLastResort(protocol, plan.state, preview);
  const candidates = lastResort ? PerpLiquidation.adlCandidates(plan.exchange, plan.state.accounts, c.market.id, !preview.isLong) : [];
  if (!candidates || (lastResort && plan.winnersMoved.has(c.market.id))) return undefined;
  const gas = LIQUIDATION_GAS_ESTIMATE + BigInt(candidates.length) * ADL_CANDIDATE_GAS_ESTIMATE;
  const collateralPriceE8 = bot.view.marketPriceE8.get(protocol.collateral) ?? 0n;
  const profitUsdE8 = mulDivDown(preview.keeperFee, collateralPriceE8, protocol.collateralUnit) - gasCostUsdE8(bot.view, gas, bot.priorityFeeWei);
  if (profitUsdE8 < bot.minProfitUsdE8 && !bot.backstop) return undefined;
  if (!bot.budget.take(gas)) return "budget spent";
  PerpWaterfall.applyLiquidation(plan.exchange, protocol, plan.state, c.account, preview, candidates, bot.address);
  if (candidates.length > 0 && !bot.markSettled(c.market)) plan.winnersMoved.add(c.market.id);
  const size = preview.closes.reduce((s, x) => s + x.size, 0n);
  return {
    agent: bot.name,
    action: `liquidate ${c.account} in ${protocol.name} ${c.market.key}: ${preview.full ? "full" : "partial"}, size ${size}, keeper fee ${preview.keeperFee} ${protocol.collateral}${lastResort ? `, ${protocol.lastResort} over ${candidates.length} positions` : ""}`,
    from: bot.address,
    to: exchange.address,
    data: exchange.encode("liquidate", [c.account, c.market.id, candidates]),
    gas: GAS.perpLiquidation + BigInt(candidates.length) * GAS.perpLiquidationPerCandidate,
    priorityFeeWei: bot.priorityFeeWei,
  };
}
