/**
 * The differential check's "within rounding" against the settled differences of the pool and Aave V3.6
 * (docs/real-protocols.md, *The differences, settled*): every figure pair that `mockVsReal.settled.test.ts`
 * measures is within `DIFFERENTIAL_ROUNDING` (2 wei, or one millionth of the larger amount), and the two
 * limits of a rule that sees amounts but not prices: the all-collateral gap (one collateral unit's value)
 * on a small bad debt counts as a difference, and a millionth of a large amount passes as rounding.
 */
import { expect } from "chai";
import { DIFFERENTIAL_ROUNDING, withinRounding } from "../../simulator/report/differential";

describe("differential: the documented rounding", () => {
  it("is 2 wei, or one millionth of the larger amount", () => {
    expect(DIFFERENTIAL_ROUNDING).to.deep.equal({ absoluteWei: 2n, relativeDenominator: 1_000_000n });
    expect([withinRounding(5n, 7n), withinRounding(5n, 8n), withinRounding(3_000_000n, 3_000_003n), withinRounding(3_000_000n, 3_000_004n)]).to.deep.equal([true, false, true, false]);
  });

  it("holds the close-factor gap (Aave 4,999,999 wei of WETH more, 1 satoshi more seized)", () => {
    expect(withinRounding(2_499_999_999_997_500_000n, 2_500_000_000_002_499_999n)).to.equal(true);
    expect(withinRounding(42_307_691n, 42_307_692n)).to.equal(true);
  });

  it("holds the seizure and fee gap (1 wei each)", () => {
    expect(withinRounding(583_333_333_333_333_332n, 583_333_333_333_333_333n)).to.equal(true);
    expect(withinRounding(2_777_777_777_777_777n, 2_777_777_777_777_778n)).to.equal(true);
  });

  it("holds the all-collateral gap of 100,000,009 satoshis at $40,000 (181,818,181,818 wei of WETH in the repayment and the bad debt)", () => {
    const poolRepaid = 18_181_820_000_000_000_000n;
    const aaveRepaid = poolRepaid - 181_818_181_818n;
    expect(withinRounding(poolRepaid, aaveRepaid)).to.equal(true);
    expect(withinRounding(20n * 10n ** 18n - poolRepaid, 20n * 10n ** 18n - aaveRepaid)).to.equal(true);
  });

  it("limits: the same gap on 0.1 WETH of bad debt counts as a difference; 1 USDC on a 1,000,000 USDC repayment as rounding", () => {
    expect(withinRounding(10n ** 17n, 10n ** 17n + 181_818_181_818n)).to.equal(false);
    expect(withinRounding(1_000_000_000_000n, 1_000_001_000_000n)).to.equal(true);
  });
});
