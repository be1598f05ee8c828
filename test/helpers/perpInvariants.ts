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

export async function expectInvariants(w: PerpWorld, protection: boolean): Promise<void> {
  const accounts = [w.owner, w.lp, w.keeper, ...w.traders].map((s) => s.address);
  const [held, accounted] = await w.exchange.collateralCheck();
  expect(accounted, "collateral held == margins + vault + insurance + fees").to.equal(held);

  let margins = 0n;
  for (const a of accounts) {
    const balance = await w.exchange.balance(a);
    if (protection) expect(balance >= 0n, `balance of ${a} >= 0 with protection`).to.equal(true);
    margins += balance;
  }
  const marketCount = await w.exchange.marketCount();
  for (let id = 0n; id < marketCount; id++) {
    const s = await w.exchange.marketState(id);
    expect(s.longSize - s.shortSize + s.vaultNetSize, `market ${id}: long OI == short OI + vault net`).to.equal(0n);
    const sums = { longSize: 0n, shortSize: 0n, longOpenNotional: 0n, shortOpenNotional: 0n, longCount: 0n, shortCount: 0n };
    for (const a of accounts) {
      const p = await w.exchange.position(a, id);
      margins += p.isolatedMargin;
      if (protection) expect(p.isolatedMargin >= 0n, `isolated margin of ${a} >= 0`).to.equal(true);
      if (p.size === 0n) continue;
      if (p.isLong) {
        sums.longSize += p.size;
        sums.longOpenNotional += p.openNotional;
        sums.longCount += 1n;
      } else {
        sums.shortSize += p.size;
        sums.shortOpenNotional += p.openNotional;
        sums.shortCount += 1n;
      }
    }
    expect(sums, `market ${id}: totals == Σ positions`).to.deep.equal({
      longSize: s.longSize,
      shortSize: s.shortSize,
      longOpenNotional: s.longOpenNotional,
      shortOpenNotional: s.shortOpenNotional,
      longCount: s.longCount,
      shortCount: s.shortCount,
    });
  }
  expect(margins, "Σ balances + isolated margins == totalMargin").to.equal(await w.exchange.totalMargin());
}
