/**
 * Lesson oct-10-2025: a 10-October-2025-shaped crash in miniature. WETH −15% in 10 blocks (2 minutes);
 * the exchange marks from a thin pair's spot price, its vault hedges liquidations into the same pair;
 * 30 longs at 5x–50x, 8 shorts at 3x–25x, a 5,000 USDC insurance fund, ADL as the last resort.
 * Measured from the exchange's events (USDC, 6 decimals):
 *   27 longs liquidated: one a block from block 12 to 18 while shorts are left to deleverage (the mark is
 *   the pair's spot price, which the arbitrageur moves ahead of the keeper in each block, so a second
 *   call's candidate list cannot be known), then the other 20 at once in block 19, when no short is
 *   left and every call's list is empty
 *   shortfalls 214,235.406469 = fund 5,000 + auto-deleveraged 92,287.740397 + vault bad debt 116,947.666072
 *   ADL: every short closed, in 15 Deleverage closes over the first 7 liquidations, the 5x–3x shorts last
 */
import { expect } from "chai";
import { resultOf } from "../../simulator";
import { runPerpExchanges, traderName } from "../helpers/perpScenario";

const USDC = 10n ** 6n;

interface WaterfallReport {
  shortfall: bigint;
  insurancePaid: bigint;
  recovered: bigint;
  badDebt: bigint;
  owed: bigint;
}

describe("lesson: oct-10-2025", function () {
  this.timeout(600_000);

  it("the fund pays 5,000 of a 214,235.41 shortfall, ADL takes 92,287.74 from all 8 shorts, the vault keeps 116,947.67 of bad debt", async () => {
    const { out, ends } = await runPerpExchanges("oct-10-2025", ["perpdex"]);
    const end = ends.get("perpdex");
    if (!end) throw new Error("no perpdex");
    // One liquidation a block from 12 to 18 (each deleverages shorts), the other 20 in block 19; every one a long.
    expect(out.liquidations.map((l) => l.block)).to.deep.equal([12, 13, 14, 15, 16, 17, 18, ...Array.from({ length: 20 }, () => 19)]);
    expect(out.liquidations.map((l) => l.delayBlocks)).to.deep.equal([1, 1, 3, 2, 5, 5, 5, 7, 8, 6, 6, 6, 7, 8, 8, 6, 6, 7, 7, 3, 6, 6, 6, 3, 6, 6, 3]);
    expect(out.liquidations.every((l) => traderName(end, l.borrower).startsWith("long-"))).to.equal(true);
    expect(out.liquidations[0]?.debtRepaid).to.equal(763_420_229_040n);

    const waterfalls = end.events.filter((e) => e.eventName === "Waterfall").map((e) => e.args.report as WaterfallReport);
    const total = (f: (w: WaterfallReport) => bigint) => waterfalls.reduce((sum, w) => sum + f(w), 0n);
    expect(waterfalls.length).to.equal(27);
    expect([total((w) => w.shortfall), total((w) => w.insurancePaid), total((w) => w.recovered), total((w) => w.badDebt), total((w) => w.owed)]).to.deep.equal([
      214_235_406_469n,
      5_000n * USDC,
      92_287_740_397n,
      116_947_666_072n,
      0n,
    ]);
    // The last resort recovers on the first 7 shortfalls only: the 20 of block 19 find no short left.
    expect(waterfalls.map((w) => w.recovered > 0n)).to.deep.equal([...Array.from({ length: 7 }, () => true), ...Array.from({ length: 20 }, () => false)]);
    // The fund is exhausted by the first shortfall (17,379.97096: 5,000 paid, 12,379.97096 by ADL).
    expect(waterfalls[0]).to.deep.equal({ shortfall: 17_379_970_960n, insurancePaid: 5_000n * USDC, recovered: 12_379_970_960n, badDebt: 0n, owed: 0n });

    // What each short gave up to ADL, summed over its Deleverage closes, in the order first deleveraged.
    const givenUp = new Map<string, bigint>();
    for (const e of end.events.filter((x) => x.eventName === "Deleverage")) {
      const name = traderName(end, e.args.account);
      givenUp.set(name, (givenUp.get(name) ?? 0n) + (e.args.pnlGivenUp as bigint));
    }
    expect([...givenUp]).to.deep.equal([
      ["short-6", 3_385_922_100n],
      ["short-1", 3_385_922_100n],
      ["short-4", 5_078_883_150n],
      ["short-8", 5_646_378_884n],
      ["short-2", 6_853_167_037n],
      ["short-7", 17_638_761_228n],
      ["short-3", 9_786_070_954n],
      ["short-5", 40_512_634_944n],
    ]);
    // Every short is closed; the fund is empty; the vault carries the rest as bad debt.
    for (const [name, t] of end.traders) if (name.startsWith("short-")) expect(t.size, name).to.equal(0n);
    expect([end.insuranceFund, end.badDebt]).to.deep.equal([0n, 116_947_666_072n]);
    // The venue-neutral loss records say the same.
    const absorbed = (by: "insuranceFund" | "autoDeleveraged" | "deficit") => out.badDebt.reduce((sum, b) => sum + b.absorbedBy[by].amount, 0n);
    expect([absorbed("insuranceFund"), absorbed("autoDeleveraged"), absorbed("deficit")]).to.deep.equal([5_000n * USDC, 92_287_740_397n, 116_947_666_072n]);
    // result.json's waterfall: the same steps in USD (USDC at $1) and each deleveraged short with what it gave up.
    const waterfall = resultOf(out).summary.protocols.perpdex?.waterfall;
    expect(waterfall && { ...waterfall, winners: [] }).to.deep.equal({
      shortfalls: 27,
      shortfallUsd: "214235.406469",
      insuranceFundUsd: "5000",
      autoDeleveragedUsd: "92287.740397",
      socializedUsd: "0",
      socializedHaircut: null,
      deficitUsd: "116947.666072",
      owedByTraderUsd: "0",
      unabsorbedUsd: "0",
      winners: [],
    });
    // [name, Σ given up, Deleverage closes]: short-2 gave up 1 unit (0.000001 USDC) in one of its three.
    const closes = new Map([["short-8", 2], ["short-2", 3], ["short-3", 3], ["short-5", 3]]);
    expect(waterfall?.winners.map((w) => [traderName(end, w.account), w.by, BigInt(w.amount), w.times])).to.deep.equal(
      [...givenUp].map(([name, amount]) => [name, "autoDeleveraged", amount, closes.get(name) ?? 1]),
    );
    // The hedge sale of block 19's wave takes the mark to $1,510.90 at block 20: the three 5x longs that
    // survive are liquidatable there, but in block 21 the arbitrageur restores the pair before the keeper's calls,
    // which revert (HealthyAccount): a keeper's view of an AMM-read mark is a block old.
    const reverted = resultOf(out).failedAttempts.map((f) => [f.block, traderName(end, f.action.split(" ")[1]), f.reason]);
    expect(reverted).to.deep.equal([
      [21, "long-kai", "reverted: HealthyAccount"],
      [21, "long-uma", "reverted: HealthyAccount"],
      [21, "long-ada", "reverted: HealthyAccount"],
    ]);
  });
});
