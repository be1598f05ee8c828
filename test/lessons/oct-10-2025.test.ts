/**
 * Lesson oct-10-2025: a 10-October-2025-shaped crash in miniature. WETH −15% in 10 blocks (2 minutes);
 * the exchange marks from a thin pair's spot price, its vault hedges liquidations into the same pair;
 * 30 longs at 5x–50x, 8 shorts at 3x–25x, a 5,000 USDC insurance fund, ADL as the last resort.
 * Measured from the exchange's events (USDC, 6 decimals):
 *   27 longs liquidated: one a block from block 12 to 19 while shorts are left to deleverage (the mark is
 *   the pair's spot price, which the arbitrageur moves ahead of the keeper in each block, so a second
 *   call's candidate list cannot be known), then the other 19 at once in block 20, when no short is
 *   left and every call's list is empty
 *   shortfalls 230,927.909272 = fund 5,000 + auto-deleveraged 95,388.842255 + vault bad debt 130,539.067017
 *   ADL: every short closed, in 16 Deleverage closes over the first 8 liquidations, the 5x–3x shorts last
 *   the vault's hedge: half of each liquidated long's size less the shorts its loss deleveraged (both
 *   closed against the vault), sold the next block
 */
import { expect } from "chai";
import { resultOf } from "../../simulator";
import { runPerpExchanges, traderName } from "../helpers/perpScenario";

const USDC = 10n ** 6n;
/** WETH the vault's hedger sold over the run, less what it bought (18 decimals). */
const SOLD = 265_000_000_000_000_000_001n;

interface WaterfallReport {
  shortfall: bigint;
  insurancePaid: bigint;
  recovered: bigint;
  badDebt: bigint;
  owed: bigint;
}

describe("lesson: oct-10-2025", function () {
  this.timeout(600_000);

  it("the fund pays 5,000 of a 230,927.91 shortfall, ADL takes 95,388.84 from all 8 shorts, the vault keeps 130,539.07 of bad debt", async () => {
    const { out, ends } = await runPerpExchanges("oct-10-2025", ["perpdex"]);
    const end = ends.get("perpdex");
    if (!end) throw new Error("no perpdex");
    // One liquidation a block from 12 to 19 (each deleverages shorts), the other 19 in block 20; every one a long.
    expect(out.liquidations.map((l) => l.block)).to.deep.equal([12, 13, 14, 15, 16, 17, 18, 19, ...Array.from({ length: 19 }, () => 20)]);
    expect(out.liquidations.map((l) => l.delayBlocks)).to.deep.equal([1, 1, 3, 4, 1, 5, 1, 7, 9, 5, 3, 7, 8, 9, 9, 5, 7, 8, 8, 2, 5, 7, 5, 2, 3, 5, 2]);
    expect(out.liquidations.every((l) => traderName(end, l.borrower).startsWith("long-"))).to.equal(true);
    expect(out.liquidations[0]?.debtRepaid).to.equal(763_420_229_040n);

    const waterfalls = end.events.filter((e) => e.eventName === "Waterfall").map((e) => e.args.report as WaterfallReport);
    const total = (f: (w: WaterfallReport) => bigint) => waterfalls.reduce((sum, w) => sum + f(w), 0n);
    expect(waterfalls.length).to.equal(27);
    expect([total((w) => w.shortfall), total((w) => w.insurancePaid), total((w) => w.recovered), total((w) => w.badDebt), total((w) => w.owed)]).to.deep.equal([
      230_927_909_272n,
      5_000n * USDC,
      95_388_842_255n,
      130_539_067_017n,
      0n,
    ]);
    // The last resort recovers on the first 8 shortfalls only: the 19 of block 20 find no short left.
    expect(waterfalls.map((w) => w.recovered > 0n)).to.deep.equal([...Array.from({ length: 8 }, () => true), ...Array.from({ length: 19 }, () => false)]);
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
      ["short-2", 10_440_712_258n],
      ["short-7", 17_677_217_530n],
      ["short-3", 32_017_657_867n],
      ["short-5", 17_756_148_366n],
    ]);
    // Every short is closed; the fund is empty; the vault carries the rest as bad debt.
    for (const [name, t] of end.traders) if (name.startsWith("short-")) expect(t.size, name).to.equal(0n);
    expect([end.insuranceFund, end.badDebt]).to.deep.equal([0n, 130_539_067_017n]);
    // The venue-neutral loss records say the same.
    const absorbed = (by: "insuranceFund" | "autoDeleveraged" | "deficit") => out.badDebt.reduce((sum, b) => sum + b.absorbedBy[by].amount, 0n);
    expect([absorbed("insuranceFund"), absorbed("autoDeleveraged"), absorbed("deficit")]).to.deep.equal([5_000n * USDC, 95_388_842_255n, 130_539_067_017n]);
    // result.json's waterfall: the same steps in USD (USDC at $1) and each deleveraged short with what it gave up.
    const waterfall = resultOf(out).summary.protocols.perpdex?.waterfall;
    expect(waterfall && { ...waterfall, winners: [] }).to.deep.equal({
      shortfalls: 27,
      shortfallUsd: "230927.909272",
      insuranceFundUsd: "5000",
      autoDeleveragedUsd: "95388.842255",
      socializedUsd: "0",
      socializedHaircut: null,
      deficitUsd: "130539.067017",
      owedByTraderUsd: "0",
      unabsorbedUsd: "0",
      winners: [],
    });
    // [name, Σ given up, Deleverage closes].
    const closes = new Map([["short-8", 2], ["short-2", 4], ["short-3", 3], ["short-5", 3]]);
    expect(waterfall?.winners.map((w) => [traderName(end, w.account), w.by, BigInt(w.amount), w.times])).to.deep.equal(
      [...givenUp].map(([name, amount]) => [name, "autoDeleveraged", amount, closes.get(name) ?? 1]),
    );
    // The hedge sale of block 20's wave takes the mark to $1,530.76 at block 21: the three 5x longs that
    // survive are liquidatable there, but in block 22 the arbitrageur restores the pair before the keeper's calls,
    // which revert (HealthyAccount): a keeper's view of an AMM-read mark is a block old.
    const reverted = resultOf(out).failedAttempts.map((f) => [f.block, traderName(end, f.action.split(" ")[1]), f.reason]);
    expect(reverted).to.deep.equal([
      [22, "long-kai", "reverted: HealthyAccount"],
      [22, "long-uma", "reverted: HealthyAccount"],
      [22, "long-ada", "reverted: HealthyAccount"],
    ]);

    // The vault's hedge (ratio 50%): each liquidation hands the vault the long it closed, and each
    // Deleverage after it (before the next Liquidate) closes a short against the vault, which takes that
    // over too; the hedger trades half of the net, rounded down (WETH has 18 decimals, as sizes do): it
    // sells for a net long, buys for a net short.
    const nets: bigint[] = [];
    for (const e of end.events) {
      if (e.eventName === "Liquidate") nets.push((e.args.report as { size: bigint }).size);
      if (e.eventName === "Deleverage") nets[nets.length - 1] = (nets.at(-1) ?? 0n) - (e.args.size as bigint);
    }
    // The first: 400 WETH closed, 365.630708396982907552 of shorts deleveraged: 17.18 WETH sold, not 200.
    expect(nets[0]).to.equal(34_369_291_603_017_092_448n);
    // Once the fund is dry, a deleveraged short gives up only bankruptcy − mark per coin against the
    // long's bankruptcy − close price, so more shorts close than the long held: the vault ends shorter,
    // and its hedger buys (blocks 14 to 19); block 12's long was partly covered by the fund, block 19's
    // deleverages the last shorts, and block 20's 19 longs deleverage nobody.
    expect(nets.map((n) => n > 0n)).to.deep.equal([true, false, false, false, false, false, false, ...Array.from({ length: 20 }, () => true)]);
    // A sale pays in exactly half the net; a purchase asks for half the net out, paying the USDC the pair
    // asked at the end of the block before, and gets what the pair gives for it after the arbitrageur's swap.
    const swaps = end.hedgeSwaps;
    expect(swaps.length).to.equal(27);
    expect(swaps.map((s) => (s.baseIn > 0n ? s.baseIn : -s.baseOut)).filter((x) => x > 0n)).to.deep.equal(nets.filter((n) => n > 0n).map((n) => n / 2n));
    expect(swaps.map((s) => s.baseOut > 0n)).to.deep.equal(nets.map((n) => n < 0n));
    expect(nets.reduce((sum, n) => sum + n / 2n, 0n)).to.equal(SOLD);
  });
});
