/**
 * Lesson oct-10-2025: a 10-October-2025-shaped crash in miniature. WETH −15% in 10 blocks (2 minutes);
 * the exchange marks from a thin pair's spot price, its vault hedges liquidations into the same pair;
 * 30 longs at 5x–50x, 8 shorts at 3x–25x, a 5,000 USDC insurance fund, ADL as the last resort.
 * Measured from the exchange's events (USDC, 6 decimals):
 *   27 longs liquidated, one a block from block 12 to 38: once the fund is dry every bankrupt account's
 *   call carries the verified candidate list, and the keeper sends one such call per market and block
 *   shortfalls 230,109.577375 = fund 5,000 + auto-deleveraged 92,287.740397 + vault bad debt 132,821.836978
 *   ADL: every short closed, in 15 Deleverage closes over 7 liquidations, the 5x–3x shorts last
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

  it("the fund pays 5,000 of a 230,109.58 shortfall, ADL takes 92,287.74 from all 8 shorts, the vault keeps 132,821.84 of bad debt", async () => {
    const { out, ends } = await runPerpExchanges("oct-10-2025", ["perpdex"]);
    const end = ends.get("perpdex");
    if (!end) throw new Error("no perpdex");
    // One liquidation a block, blocks 12 to 38, every one a long.
    expect(out.liquidations.map((l) => l.block)).to.deep.equal(Array.from({ length: 27 }, (_, i) => 12 + i));
    expect(out.liquidations.every((l) => traderName(end, l.borrower).startsWith("long-"))).to.equal(true);
    expect(out.liquidations[0]?.debtRepaid).to.equal(763_420_229_040n);

    const waterfalls = end.events.filter((e) => e.eventName === "Waterfall").map((e) => e.args.report as WaterfallReport);
    const total = (f: (w: WaterfallReport) => bigint) => waterfalls.reduce((sum, w) => sum + f(w), 0n);
    expect(waterfalls.length).to.equal(27);
    expect([total((w) => w.shortfall), total((w) => w.insurancePaid), total((w) => w.recovered), total((w) => w.badDebt), total((w) => w.owed)]).to.deep.equal([
      230_109_577_375n,
      5_000n * USDC,
      92_287_740_397n,
      132_821_836_978n,
      0n,
    ]);
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
    expect([end.insuranceFund, end.badDebt]).to.deep.equal([0n, 132_821_836_978n]);
    // The venue-neutral loss records say the same.
    const absorbed = (by: "insuranceFund" | "autoDeleveraged" | "deficit") => out.badDebt.reduce((sum, b) => sum + b.absorbedBy[by].amount, 0n);
    expect([absorbed("insuranceFund"), absorbed("autoDeleveraged"), absorbed("deficit")]).to.deep.equal([5_000n * USDC, 92_287_740_397n, 132_821_836_978n]);
    // result.json's waterfall: the same steps in USD (USDC at $1) and each deleveraged short with what it gave up.
    const waterfall = resultOf(out).summary.protocols.perpdex?.waterfall;
    expect(waterfall && { ...waterfall, winners: [] }).to.deep.equal({
      shortfalls: 27,
      shortfallUsd: "230109.577375",
      insuranceFundUsd: "5000",
      autoDeleveragedUsd: "92287.740397",
      socializedUsd: "0",
      socializedHaircut: null,
      deficitUsd: "132821.836978",
      owedByTraderUsd: "0",
      unabsorbedUsd: "0",
      winners: [],
    });
    // [name, Σ given up, Deleverage closes]: short-2 gave up 1 unit (0.000001 USDC) in one of its three.
    const closes = new Map([["short-8", 2], ["short-2", 3], ["short-3", 3], ["short-5", 3]]);
    expect(waterfall?.winners.map((w) => [traderName(end, w.account), w.by, BigInt(w.amount), w.times])).to.deep.equal(
      [...givenUp].map(([name, amount]) => [name, "autoDeleveraged", amount, closes.get(name) ?? 1]),
    );
  });
});
