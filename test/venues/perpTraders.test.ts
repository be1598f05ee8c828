/**
 * Perp traders' orders (`simulator/venues/perp/traders.ts`): when a stop loss, a take profit or a close
 * at a block triggers, for longs and shorts, at exact price levels; and the entry price read from a
 * position's cost basis.
 */
import { expect } from "chai";
import { PerpMath } from "../../simulator/math";
import type { PerpExitSpec } from "../../simulator/scenario/types";
import { entryPriceE8, exitTrigger } from "../../simulator/venues/perp/traders";

const E8 = 10n ** 8n;
const PCT = 10n ** 16n;
const none: PerpExitSpec = { stopLossWad: null, takeProfitWad: null, atBlock: null };

describe("perp traders", () => {
  it("a 1.5% stop loss on a long entered at $2,001 triggers at a mark of $1,970.985 and below, not a wei above", () => {
    const exit = { ...none, stopLossWad: (3n * PCT) / 2n };
    // 2,001 x (1 - 1.5%) = 1,970.985
    expect(exitTrigger(exit, 11, true, 2_001n * E8, 197_098_500_000n)).to.equal("stop loss at mark 197098500000 (entry 200100000000)");
    expect(exitTrigger(exit, 11, true, 2_001n * E8, 197_098_500_001n)).to.equal(null);
    // A gap far past it still triggers it (the close then fills at the next block's mark).
    expect(exitTrigger(exit, 11, true, 2_001n * E8, 1_500n * E8)).to.not.equal(null);
  });

  it("a short's stop loss triggers above its entry, its take profit below; a take profit of 100% or more never triggers for a short", () => {
    const exit = { ...none, stopLossWad: 2n * PCT, takeProfitWad: (5n * PCT) / 2n };
    // entry 1,999: stop at 1,999 x 1.02 = 2,038.98, take profit at 1,999 x 0.975 = 1,949.025
    expect(exitTrigger(exit, 5, false, 1_999n * E8, 203_898_000_000n)).to.match(/^stop loss/);
    expect(exitTrigger(exit, 5, false, 1_999n * E8, 203_897_999_999n)).to.equal(null);
    expect(exitTrigger(exit, 5, false, 1_999n * E8, 194_902_500_000n)).to.match(/^take profit/);
    expect(exitTrigger(exit, 5, false, 1_999n * E8, 194_902_500_001n)).to.equal(null);
    expect(exitTrigger({ ...none, takeProfitWad: 100n * PCT }, 5, false, 1_999n * E8, 1n)).to.equal(null);
  });

  it("a long's take profit triggers above the entry; a close at a block triggers from that block on, whatever the price", () => {
    expect(exitTrigger({ ...none, takeProfitWad: 10n * PCT }, 5, true, 2_000n * E8, 2_200n * E8)).to.match(/^take profit/);
    expect(exitTrigger({ ...none, takeProfitWad: 10n * PCT }, 5, true, 2_000n * E8, 2_199n * E8)).to.equal(null);
    expect(exitTrigger({ ...none, atBlock: 25 }, 24, true, 2_000n * E8, 2_000n * E8)).to.equal(null);
    expect(exitTrigger({ ...none, atBlock: 25 }, 25, true, 2_000n * E8, 2_000n * E8)).to.equal("close at block 25");
  });

  it("the entry price is the basis over the size: 15 WETH for 30,015 USDC is $2,001; 50,000 USD of inverse contracts for 25 WETH is $2,000", () => {
    const linear = { kind: PerpMath.MarketKind.Linear };
    const position = { size: 15n * 10n ** 18n, openNotional: 30_015n * 10n ** 6n, isolatedMargin: 0n, isLong: true, isolated: true };
    expect(entryPriceE8(linear, position, 10n ** 6n)).to.equal(2_001n * E8);
    const inverse = { kind: PerpMath.MarketKind.Inverse };
    const coin = { size: 50_000n * 10n ** 18n, openNotional: 25n * 10n ** 18n, isolatedMargin: 0n, isLong: true, isolated: true };
    expect(entryPriceE8(inverse, coin, 10n ** 18n)).to.equal(2_000n * E8);
  });
});
