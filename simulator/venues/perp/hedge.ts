/**
 * The vault's hedge (`Venue.vaultHedge` of the perp venue, scenario `hedge`): a liquidation closes a
 * trader's position against the vault, so the vault takes it over: closing a long leaves the vault
 * longer, closing a short leaves it shorter. In the next block the vault's hedger trades that exposure
 * away on the AMM: it sells `delta × ratio` of the base for a long closed and buys it for a short, one
 * swap per liquidated position (each tagged as the sale of that liquidation, so cascade attribution can
 * name it as the cause of what the pair's move liquidates elsewhere), in markets whose base the AMM trades.
 * The delta, in base coins, of what the vault took over:
 * - linear: the size closed (coins), the position's size before the liquidations' block less its size
 *   after (the view before and now);
 * - inverse (size S in dollars, margined in the base coin): the vault's PnL of a long taken over at the
 *   close price E is S × (1/E − 1/p) coins (the contract's inverse PnL), worth p × S × (1/E − 1/p) =
 *   S × p / E − S dollars at a price p: a delta of S / E coins (−S / E for a short), whatever p. S / E is
 *   the notional closed at E, size × unit / (E × 1e10) base units: the liquidation's `notional`
 *   (`debtRepaid`), summed over the position's liquidations of that block.
 * A loss the liquidation leaves beyond the fund can close winners on the other side by auto-deleveraging
 * (PerpExchange `_deleverageOne` closes them against the vault at the bankruptcy price, moving
 * `vaultNetSize` as a close does): the vault takes those positions over as well, which offsets what the
 * liquidation handed it. The hedge trades the net: the delta above less the same delta of each
 * deleveraged close (its size, or its notional at its price), in the liquidated position's direction
 * (or the other way when the winners closed outweigh it).
 */
import type { Address } from "viem";
import { PerpMath, WAD, getAmountIn, mulDivDown } from "../../math";
import type { PerpMarketView, TxIntent } from "../../state";
import { GAS, accountAddress, type World, type WorldAmm, type WorldProtocol } from "../../world";
import { perpView } from "./model";
import type { HedgeContext } from "../types";

/** The account of a perp protocol's vault hedger. */
export function perpHedgerAddress(protocol: string): Address {
  return accountAddress(`hedger/${protocol}`);
}

/** The hedger's account, funded at set-up with the hedge's inventory (`Venue.agentAccounts`). */
export function perpAgentAccounts(p: WorldProtocol): { address: Address; mint: { asset: string; amount: bigint }[] }[] {
  const hedge = p.kind === "perp" ? p.spec.hedge : null;
  return hedge ? [{ address: perpHedgerAddress(p.spec.name), mint: hedge.inventory }] : [];
}

/** Priority fee of a hedge swap, wei per gas. */
export const HEDGE_PRIORITY_FEE_WEI = 1_000_000_000n;

/** Size 18 decimals -> base token units. */
const SIZE_UNIT = 10n ** 18n;

function sizeOf(m: PerpMarketView | undefined, account: Address): { size: bigint; isLong: boolean } {
  for (const [a, p] of m?.positions ?? []) if (a.toLowerCase() === account.toLowerCase()) return { size: p.size, isLong: p.isLong };
  return { size: 0n, isLong: false };
}

export function perpVaultHedge(context: HedgeContext): TxIntent[] {
  const protocol = perpView(context.protocol);
  const before = context.before && perpView(context.before);
  const { deployed, world, view } = context;
  const hedge = deployed.kind === "perp" ? deployed.spec.hedge : null;
  const amm = hedge ? world.amms.get(hedge.amm) : undefined;
  if (!protocol || !before || !hedge || !amm) return [];
  const reserves = { ...(view.amms.get(hedge.amm) ?? { reserve0: 0n, reserve1: 0n }) };
  const done = new Set<string>();
  const out: TxIntent[] = [];
  for (const { borrower, market } of context.liquidated) {
    const m = protocol.markets.find((x) => x.key === market);
    const key = `${market}/${borrower.toLowerCase()}`;
    if (!m || ![amm.token0, amm.token1].includes(m.base) || done.has(key)) continue;
    done.add(key);
    const was = sizeOf(before.markets.find((x) => x.key === market), borrower);
    const closed = was.size - sizeOf(m, borrower).size;
    const base = world.assets.get(m.base);
    if (closed <= 0n || !base) continue;
    const delta = netDelta(context, m, borrower, closed, base.unit);
    const amount = mulDivDown(delta < 0n ? -delta : delta, hedge.ratioWad, WAD);
    // A long closed hands the vault a long (sold), net of the shorts its loss deleveraged; a short the reverse.
    const intent = hedgeSwap(world, amm, reserves, { protocol: protocol.name, borrower, market: m, sell: was.isLong === delta > 0n, amount });
    if (intent) out.push(intent);
  }
  return out;
}

/**
 * What the vault took over from `borrower`'s liquidations in market `m` less what their losses'
 * auto-deleveraging closed of the winners on the other side (which the vault takes over too), in base
 * units, positive in the liquidated position's direction: linear, (size closed − Σ sizes deleveraged) ×
 * unit / 1e18; inverse, Σ notional the liquidations closed at their close prices (`debtRepaid`) − Σ
 * notional each deleveraging closed at its price (the bankruptcy price), `notionalDown` as the events'.
 */
function netDelta(context: HedgeContext, m: PerpMarketView, borrower: Address, closed: bigint, unit: bigint): bigint {
  const mine = (x: { market: string | null; borrower: Address }) => x.market === m.key && x.borrower.toLowerCase() === borrower.toLowerCase();
  const deleveraged = context.deleveraged.filter(mine);
  if (m.kind === PerpMath.MarketKind.Linear) {
    const net = closed - deleveraged.reduce((sum, d) => sum + d.size, 0n);
    return net < 0n ? -mulDivDown(-net, unit, SIZE_UNIT) : mulDivDown(net, unit, SIZE_UNIT);
  }
  const liquidated = context.liquidated.filter(mine).reduce((sum, l) => sum + l.debtRepaid, 0n);
  return deleveraged.reduce((sum, d) => sum - PerpMath.notionalDown(m.kind, d.size, d.priceE8, unit), liquidated);
}

/** One swap of `amount` base: sold for a long closed, bought for a short; `reserves` (token0/token1) move with it. */
function hedgeSwap(
  world: World,
  amm: WorldAmm,
  reserves: { reserve0: bigint; reserve1: bigint },
  order: { protocol: string; borrower: Address; market: PerpMarketView; sell: boolean; amount: bigint },
): TxIntent | undefined {
  const baseIs0 = amm.token0 === order.market.base;
  const [reserveBase, reserveQuote] = baseIs0 ? [reserves.reserve0, reserves.reserve1] : [reserves.reserve1, reserves.reserve0];
  if (order.amount === 0n || (!order.sell && order.amount >= reserveBase)) return undefined;
  const quote = baseIs0 ? amm.token1 : amm.token0;
  const tokenIn = order.sell ? order.market.base : quote;
  // A purchase pays what the pair asks for `amount` out, at the reserves as the block's earlier hedges leave them.
  const amountIn = order.sell ? order.amount : getAmountIn(order.amount, reserveQuote, reserveBase);
  const amountOut = order.sell ? mulDivDown(order.amount * 997n, reserveQuote, reserveBase * 1000n + order.amount * 997n) : order.amount;
  const [base, quoteAfter] = order.sell ? [reserveBase + order.amount, reserveQuote - amountOut] : [reserveBase - order.amount, reserveQuote + amountIn];
  Object.assign(reserves, baseIs0 ? { reserve0: base, reserve1: quoteAfter } : { reserve0: quoteAfter, reserve1: base });
  const hedger = perpHedgerAddress(order.protocol);
  const token = world.assets.get(tokenIn);
  if (!token) return undefined;
  return {
    agent: `vault hedger ${order.protocol}`,
    action: `${order.sell ? "sell" : "buy"} ${order.amount} ${order.market.base} on ${amm.spec.name}: the vault's hedge of ${order.borrower}'s ${order.market.key} liquidation`,
    from: hedger,
    to: world.swapHelper.address,
    data: world.swapHelper.encode("swapExactIn", [amm.pair.address, token.token.address, amountIn, 0n, hedger]),
    gas: GAS.swap,
    priorityFeeWei: HEDGE_PRIORITY_FEE_WEI,
    saleOf: { protocol: order.protocol, borrower: order.borrower, earlier: true },
  };
}
