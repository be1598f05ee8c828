/**
 * Lesson perp-adl: a shortfall beyond the insurance fund, recovered by auto-deleveraging the opposite
 * side in the exchange's rank order (PnL% x leverage). Exact figures, read from the exchange's events
 * and positions at the end:
 *   long's shortfall 4,575.025 USDC (as in perp-negative-balance); the fund pays its 2,000; 2,575.025 left
 *   bankruptcy price of the long: notional = basis − margin = 100,050 − 949.975 = 99,100.025 → $1,982.0005
 *   each short sold at 2,000 x 0.9995 = 1,999; PnL at the $1,900 mark 99 per WETH, at $1,982.0005 16.9995:
 *   closing at the bankruptcy price gives up 82.0005 per WETH
 *   short-20x (10 WETH): gives up 820.005, closed; short-10x (10 WETH): 820.005, closed; short-5x
 *   (20 WETH): the last 935.015 of 1,640.01, so 20 x 935.015 / 1,640.01 = 11.4026 WETH closed (rounded up)
 * result.json's loss carries the same three shares (`losses[].shares`: account, amount, size, price).
 */
import { expect } from "chai";
import { resultOf } from "../../simulator";
import { runPerpScenario, traderName } from "../helpers/perpScenario";

const USDC = 10n ** 6n;
const SHORTFALL = 4_575_025_000n;
const FUND = 2_000n * USDC;

describe("lesson: perp-adl", function () {
  this.timeout(180_000);

  it("the fund pays 2,000 and the shorts give up 2,575.025 in rank order: 20x (820.005, closed), 10x (820.005, closed), then 935.015 of the 5x's", async () => {
    const { out, end } = await runPerpScenario("perp-adl", "perp");
    expect(out.liquidations.map((l) => [traderName(end, l.borrower), l.block, l.debtRepaid])).to.deep.equal([["long-100x", 10, 94_525n * USDC]]);

    const waterfall = end.events.filter((e) => e.eventName === "Waterfall").map((e) => e.args.report);
    expect(waterfall).to.deep.equal([{ shortfall: SHORTFALL, insurancePaid: FUND, recovered: SHORTFALL - FUND, badDebt: 0n, owed: 0n }]);
    expect(out.badDebt.map((b) => [b.amount, b.absorbedBy.insuranceFund.amount, b.absorbedBy.autoDeleveraged.amount, b.unabsorbed.amount])).to.deep.equal([[SHORTFALL, FUND, SHORTFALL - FUND, 0n]]);

    // Deleveraged in rank order, each at the long's bankruptcy price, $1,982.0005.
    const adl = end.events.filter((e) => e.eventName === "Deleverage").map((e) => [traderName(end, e.args.account), e.args.size, e.args.priceE8, e.args.realizedPnl, e.args.pnlGivenUp]);
    expect(adl).to.deep.equal([
      ["short-20x", 10n * 10n ** 18n, 198_200_050_000n, 169_995_000n, 820_005_000n],
      ["short-10x", 10n * 10n ** 18n, 198_200_050_000n, 169_995_000n, 820_005_000n],
      ["short-5x", 11_402_552_423_460_832_556n, 198_200_050_000n, 193_837_689n, 935_015_000n],
    ]);
    expect(adl.reduce((sum, row) => sum + (row[4] as bigint), 0n)).to.equal(SHORTFALL - FUND);

    // result.json: the loss's shares, who gave up what, with the size closed and the price it closed at; no haircut.
    const result = resultOf(out);
    const account = (name: string) => [...end.names].find(([, n]) => n === name)?.[0];
    const share = (name: string, amount: string, amountUsd: string, size: string) => ({ account: account(name), absorber: "autoDeleveraged", amount, amountUsd, size, priceUsd: "1982.0005" });
    expect(result.losses.map((l) => l.shares)).to.deep.equal([
      [
        share("short-20x", "820005000", "820.005", "10000000000000000000"),
        share("short-10x", "820005000", "820.005", "10000000000000000000"),
        share("short-5x", "935015000", "935.015", "11402552423460832556"),
      ],
    ]);
    expect(result.summary.protocols.perp?.waterfall?.socializedHaircut).to.equal(null);

    // The two closed shorts hold their margin plus the profit they realized, in their balance:
    // 1,000 − fee 9.995 + 169.995 = 1,160 and 2,000 − 9.995 + 169.995 = 2,160 USDC (instead of the 990
    // of profit each had at the mark). The 5x keeps 8.5974 WETH short.
    expect(end.traders.get("short-20x")).to.deep.equal({ size: 0n, openNotional: 0n, isolatedMargin: 0n, balance: 1_160n * USDC });
    expect(end.traders.get("short-10x")).to.deep.equal({ size: 0n, openNotional: 0n, isolatedMargin: 0n, balance: 2_160n * USDC });
    expect(end.traders.get("short-5x")).to.include({ size: 20n * 10n ** 18n - 11_402_552_423_460_832_556n, isolatedMargin: 8_173_847_689n });
    expect(end.traders.get("long-100x")).to.deep.equal({ size: 0n, openNotional: 0n, isolatedMargin: 0n, balance: 0n });
    expect([end.insuranceFund, end.badDebt]).to.deep.equal([0n, 0n]);
  });
});
