/**
 * Lesson perp-isolated-vs-cross: the same trader, 10x long WETH and 10x long WBTC with 1,000 USDC of margin
 * each, in isolated margin on one exchange and cross margin on another. WETH gaps to $1,810 at block 10
 * (−9.5%) and to $1,630 at block 20 (−18.5%); WBTC stays at $60,000. Measured on the exchanges, to the wei:
 *   each position: notional 10,000 bought at +0.05%: 5 WETH at 2,001 and 0.1666… WBTC at 60,030; basis
 *   10,005, margin 1,000 − fee 5.0025 = 994.9975 each (the WETH bankruptcy price in isolation: $1,802.0005)
 *   isolated, block 10: the WETH position closes at 1,810 × 0.995 = 1,800.95, below its bankruptcy price:
 *     realized −1,000.25, shortfall 5.2525 paid by the fund; the WBTC position keeps 994.9975 of margin
 *   cross, block 10: equity 1,989.995 − 955 − 5.0025 ≈ 1,030 > maintenance ≈ 190.5: nothing happens
 *   cross, block 20: the account is liquidated whole: WBTC closed (realized −55.000001, fee 49.75), then
 *     WETH (realized −1,895.75, no margin left for a fee); shortfall 10.505001 paid by the fund
 */
import { expect } from "chai";
import { runPerpExchanges } from "../helpers/perpScenario";

const USDC = 10n ** 6n;
const WETH_SIZE = 5n * 10n ** 18n;
const WBTC_SIZE = 166_666_666_666_666_666n; // 10,000 / 60,000 WBTC, 18 decimals, rounded down

interface Report {
  size: bigint;
  markPriceE8: bigint;
  bankruptcyPriceE8: bigint;
  realizedPnl: bigint;
  fee: bigint;
  shortfall: bigint;
  insurancePaid: bigint;
}

describe("lesson: perp-isolated-vs-cross", function () {
  this.timeout(240_000);

  it("isolated: the WETH gap liquidates only the WETH position (block 10); cross: the WBTC margin holds it, then at −18.5% the whole account goes (block 20)", async () => {
    const { out, ends } = await runPerpExchanges("perp-isolated-vs-cross", ["isolated", "cross"]);
    expect(out.liquidations.map((l) => [l.protocol, l.block, l.market, l.debtRepaid])).to.deep.equal([
      ["isolated", 10, "WETH-USD", 9_004_750_000n],
      ["cross", 20, "WBTC-USD", 9_949_999_999n],
      ["cross", 20, "WETH-USD", 8_109_250_000n],
    ]);
    const reports = (name: string, event: string) =>
      (ends.get(name)?.events ?? []).filter((e) => e.eventName === event).map((e) => [e.args.marketId, e.args.report as Report]);
    const closes = (name: string) => reports(name, "Liquidate").map(([id, r]) => [id, (r as Report).size, (r as Report).markPriceE8, (r as Report).bankruptcyPriceE8, (r as Report).realizedPnl, (r as Report).fee]);
    expect(closes("isolated")).to.deep.equal([[0n, WETH_SIZE, 181_000_000_000n, 180_200_050_000n, -1_000_250_000n, 0n]]);
    expect(closes("cross")).to.deep.equal([
      [1n, WBTC_SIZE, 6_000_000_000_000n, 5_922_003_000_001n, -55_000_001n, 49_750_000n],
      [0n, WETH_SIZE, 163_000_000_000n, 160_400_100_020n, -1_895_750_000n, 0n],
    ]);
    // The shortfalls beyond the margin, each paid by the exchange's insurance fund.
    const shortfalls = (name: string) => reports(name, "Waterfall").map(([, r]) => [(r as Report).shortfall, (r as Report).insurancePaid]);
    expect(shortfalls("isolated")).to.deep.equal([[5_252_500n, 5_252_500n]]);
    expect(shortfalls("cross")).to.deep.equal([[10_505_001n, 10_505_001n]]);
    expect(out.badDebt.map((b) => [b.protocol, b.amount, b.absorbedBy.insuranceFund.amount, b.unabsorbed.amount])).to.deep.equal([
      ["isolated", 5_252_500n, 5_252_500n, 0n],
      ["cross", 10_505_001n, 10_505_001n, 0n],
    ]);

    // Isolated: the WBTC position is untouched, with its 994.9975 USDC of margin; cross: nothing is left.
    expect(ends.get("isolated")?.positions.get("trader")).to.deep.equal([
      { size: 0n, openNotional: 0n, isolatedMargin: 0n, balance: 0n },
      { size: WBTC_SIZE, openNotional: 10_005n * USDC, isolatedMargin: 994_997_500n, balance: 0n },
    ]);
    expect(ends.get("cross")?.positions.get("trader")).to.deep.equal([
      { size: 0n, openNotional: 0n, isolatedMargin: 0n, balance: 0n },
      { size: 0n, openNotional: 0n, isolatedMargin: 0n, balance: 0n },
    ]);
  });
});
