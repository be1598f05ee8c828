/**
 * PerpExchange's invariants, checked from outside over every account the world knows (its signers):
 *  - the collateral held equals Σ balances and isolated margins + vault + insurance fund + fees;
 *  - Σ balances + Σ isolated margins equals `totalMargin`;
 *  - per market, longSize - shortSize + vaultNetSize == 0, and each side's size, cost basis and count
 *    equal the sums over the accounts' positions;
 *  - with negative balance protection on, no balance and no isolated margin is below zero.
 */
import { expect } from "chai";
import type { PerpWorld } from "./perp";
import { multicall, viewCall } from "./multicall";

/**
 * Reads the totals, every account's balance, every market's state and every position in a few
 * `eth_call`s (Multicall: totals and balances, market states, one per market's positions), then checks.
 */
export async function expectInvariants(w: PerpWorld, protection: boolean): Promise<void> {
  const accounts = [w.owner, w.lp, w.keeper, ...w.traders].map((s) => s.address);
  const ex = w.exchange;
  const ids = Array.from({ length: Number(await ex.marketCount()) }, (_, i) => BigInt(i));
  const [[held, accounted], totalMargin, ...rest] = await multicall([
    await viewCall(ex, ex.collateralCheck),
    await viewCall(ex, ex.totalMargin),
    ...(await Promise.all(accounts.map((a) => viewCall(ex, ex.balance, a)))),
  ] as const);
  const balances = rest as bigint[];
  const states = await multicall(await Promise.all(ids.map((id) => viewCall(ex, ex.marketState, id))));
  const positions = await Promise.all(ids.map(async (id) => multicall(await Promise.all(accounts.map((a) => viewCall(ex, ex.position, a, id))))));
  expect(accounted, "collateral held == margins + vault + insurance + fees").to.equal(held);

  let margins = 0n;
  balances.forEach((balance, k) => {
    if (protection) expect(balance >= 0n, `balance of ${accounts[k]} >= 0 with protection`).to.equal(true);
    margins += balance;
  });
  for (const [m, id] of ids.entries()) {
    const s = states[m];
    if (!s) throw new Error(`no state of market ${id}`);
    expect(s.longSize - s.shortSize + s.vaultNetSize, `market ${id}: long OI == short OI + vault net`).to.equal(0n);
    const sums = { longSize: 0n, shortSize: 0n, longOpenNotional: 0n, shortOpenNotional: 0n, longCount: 0n, shortCount: 0n };
    (positions[m] ?? []).forEach((p, k) => {
      margins += p.isolatedMargin;
      if (protection) expect(p.isolatedMargin >= 0n, `isolated margin of ${accounts[k]} >= 0`).to.equal(true);
      if (p.size === 0n) return;
      if (p.isLong) {
        sums.longSize += p.size;
        sums.longOpenNotional += p.openNotional;
        sums.longCount += 1n;
      } else {
        sums.shortSize += p.size;
        sums.shortOpenNotional += p.openNotional;
        sums.shortCount += 1n;
      }
    });
    expect(sums, `market ${id}: totals == Σ positions`).to.deep.equal({
      longSize: s.longSize,
      shortSize: s.shortSize,
      longOpenNotional: s.longOpenNotional,
      shortOpenNotional: s.shortOpenNotional,
      longCount: s.longCount,
      shortCount: s.shortCount,
    });
  }
  expect(margins, "Σ balances + isolated margins == totalMargin").to.equal(totalMargin);
}
