/**
 * The liquidation-price index of an isolated market (issue 20, item 4): its positions with debt in the
 * order a falling price makes them liquidatable, the most borrow shares per unit of collateral first.
 * A position is liquidatable when toAssetsUp(borrowShares) > wMulDown(mulDivDown(collateral, price,
 * 1e36), LLTV); at one price and one market state that happens to a prefix of the order, up to rounding.
 * So a keeper values positions from the top and stops at the first one that proves every later one
 * healthy, instead of valuing every position each block; interest and price only move where it stops.
 * The order depends on the positions alone: the reader keeps it until a position changes.
 */
import type { Address } from "viem";
import { IsolatedLendingMarketMath as IM, VIRTUAL_ASSETS, VIRTUAL_SHARES, WAD } from "../../math";
import type { IsolatedMarketView, RiskEntry } from "../../state";

/** `a` before `b` when it has more borrow shares per unit of collateral (shares_a × collateral_b > shares_b × collateral_a). */
function byRisk(a: RiskEntry, b: RiskEntry): number {
  const left = a.position.borrowShares * b.position.collateral;
  const right = b.position.borrowShares * a.position.collateral;
  return left > right ? -1 : left < right ? 1 : 0;
}

/** The index of `positions`: those with debt, riskiest first, each with the least collateral from it to the end. */
export function riskOrder(positions: ReadonlyMap<Address, IM.Position>): RiskEntry[] {
  const entries: RiskEntry[] = [];
  for (const [borrower, position] of positions) {
    if (position.borrowShares > 0n) entries.push({ borrower, position, minCollateralFromHere: 0n });
  }
  entries.sort(byRisk);
  let least: bigint | null = null;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i] as RiskEntry;
    least = least === null || entry.position.collateral < least ? entry.position.collateral : least;
    entry.minCollateralFromHere = least;
  }
  return entries;
}

/** The positions of the index liquidatable at the market's price and state, in index order, and how many were valued. */
export interface Unhealthy {
  unhealthy: { borrower: Address; position: IM.Position; health: IM.PositionHealth }[];
  valued: number;
}

/**
 * Every liquidatable position of `m` (the same set as valuing each of `m.riskOrder`), valuing them in
 * index order until position i proves the rest healthy. With P the price (1e36), A and S the borrow
 * assets and shares, a position (c collateral, s shares) is healthy when
 *   c·P·LLTV/1e54 − 2 ≥ s·(A + 1)/(S + 1e6) + 1
 * (maxBorrow loses less than 2 to its two roundings down, borrowed gains less than 1 rounding up), i.e.
 * c·α − s·β ≥ 3·D with α = P·LLTV·(S + 1e6), β = (A + 1)·1e54, D = 1e54·(S + 1e6). Every later position j
 * has s_j/c_j ≤ s_i/c_i, so c_j·α − s_j·β ≥ c_j·(c_i·α − s_i·β)/c_i: when c_i·α − s_i·β > 0 and the least
 * later collateral c_min gives c_min·(c_i·α − s_i·β) ≥ 3·D·c_i, all of them are healthy.
 */
export function liquidatablePositions(m: Pick<IsolatedMarketView, "lltvWad" | "state" | "priceE36" | "riskOrder">): Unhealthy {
  const { lltvWad, state, priceE36, riskOrder: order } = m;
  const sharesPlus = state.totalBorrowShares + VIRTUAL_SHARES;
  const alpha = priceE36 * lltvWad * sharesPlus;
  const beta = (state.totalBorrowAssets + VIRTUAL_ASSETS) * IM.ORACLE_PRICE_SCALE * WAD;
  const threeD = 3n * IM.ORACLE_PRICE_SCALE * WAD * sharesPlus;
  const out: Unhealthy = { unhealthy: [], valued: 0 };
  for (let i = 0; i < order.length; i++) {
    const { borrower, position } = order[i] as RiskEntry;
    const health = IM.positionHealth(m, state, position, priceE36);
    out.valued++;
    if (!health.healthy) out.unhealthy.push({ borrower, position, health });
    const gap = position.collateral * alpha - position.borrowShares * beta;
    const next = order[i + 1];
    if (next === undefined) break;
    if (gap > 0n && next.minCollateralFromHere * gap >= threeD * position.collateral) break;
  }
  return out;
}
