/**
 * Lesson inverse-vs-linear: the same 10x long, USDC-margined (linear) and WETH-margined (inverse), in a
 * 15% fall over 60 blocks (-$5 a block). Measured on the two exchanges, to the wei:
 *   linear:  10 WETH bought at 2,001: basis 20,010 USDC, margin 2,000 − fee 10.005 = 1,989.995 USDC;
 *            bankruptcy price: notional = basis − margin = 18,020.005 → $1,802.0005
 *   inverse: $20,000 bought at 2,001; margin 1 WETH − fee; its dollar equity is
 *            p · (margin + size/entry) − size: the coin margin is itself a long, so the position is
 *            ~11x long in dollars (margin + size/entry ≈ 10.995 WETH); bankruptcy price $1,819.83538721,
 *            above the linear's liquidation mark
 *   the inverse long is liquidated at block 37 at a mark of $1,837.70491804 (−8.1%), the linear one at
 *   block 41 at $1,818.03278689 (−9.1%); neither leaves a shortfall; each trader loses its deposit.
 */
import { expect } from "chai";
import { runPerpExchanges, type PerpAtEnd } from "../helpers/perpScenario";

interface LiquidateReport {
  size: bigint;
  notional: bigint;
  markPriceE8: bigint;
  bankruptcyPriceE8: bigint;
  realizedPnl: bigint;
  fee: bigint;
}

function liquidations(end: PerpAtEnd | undefined): [bigint, bigint, bigint, bigint, bigint][] {
  return (end?.events ?? []).filter((e) => e.eventName === "Liquidate").map((e) => {
    const r = e.args.report as LiquidateReport;
    return [r.size, r.markPriceE8, r.bankruptcyPriceE8, r.realizedPnl, r.fee];
  });
}

describe("lesson: inverse-vs-linear", function () {
  this.timeout(240_000);

  it("the inverse long is liquidated first (block 37, $1,837.70) and the linear one later (block 41, $1,818.03): the coin margin falls with the coin", async () => {
    const { out, ends } = await runPerpExchanges("inverse-vs-linear", ["linear", "inverse"]);
    expect(out.liquidations.map((l) => [l.protocol, l.block])).to.deep.equal([
      ["inverse", 37],
      ["linear", 41],
    ]);
    // [size, mark, bankruptcy price, realized PnL, fee]: the linear in USDC, the inverse in WETH.
    expect(liquidations(ends.get("linear"))).to.deep.equal([[10n * 10n ** 18n, 181_803_278_689n, 180_200_050_000n, -1_920_573_771n, 69_421_229n]]);
    expect(liquidations(ends.get("inverse"))).to.deep.equal([[20_000n * 10n ** 18n, 183_770_491_804n, 181_983_538_721n, -942_826_700_786_311_132n, 52_175_797_964_313_555n]]);
    // The whole margin went to the loss and the fee: 1,920.573771 + 69.421229 = 1,989.995 USDC.
    expect(1_920_573_771n + 69_421_229n).to.equal(1_989_995_000n);
    // No shortfall on either exchange; both traders end with nothing.
    expect(out.badDebt).to.deep.equal([]);
    for (const [name, exchange, trader] of [["linear", "linear", "long-linear"], ["inverse", "inverse", "long-inverse"]] as const) {
      const end = ends.get(exchange);
      expect(end?.traders.get(trader), name).to.deep.equal({ size: 0n, openNotional: 0n, isolatedMargin: 0n, balance: 0n });
      expect(end?.events.some((e) => e.eventName === "Waterfall"), name).to.equal(false);
    }
  });
});
