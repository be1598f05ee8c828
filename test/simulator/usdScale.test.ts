/**
 * The observer adds position values up as integers (`UsdScale`) and makes one Decimal of each sum.
 * That must equal, to the last digit, the Decimal sum of each value (`usdValue`, `amount × price /
 * (unit × 10^8)`) it replaced: same result.json, cheaper by thousands of Decimal divisions per block.
 */
import { expect } from "chai";
import { Dec, UsdScale, usdValue } from "../../simulator/state";
import { Rng } from "../../simulator/math/Rng";

describe("UsdScale", () => {
  it("converts one value exactly: 1.5 WETH at $2,000.12345678 is $3,000.18518517, 0.000001 USDC at $1 is $0.000001", () => {
    const usd = new UsdScale([18, 6]);
    expect(usd.toDecimal(usd.amount(15n * 10n ** 17n, 200_012_345_678n, 10n ** 18n)).toString()).to.equal("3000.18518517");
    expect(usd.toDecimal(usd.amount(1n, 100_000_000n, 10n ** 6n)).toString()).to.equal("0.000001");
    expect(usd.toDecimal(usd.e8(123_456_789n)).toString()).to.equal("1.23456789");
  });

  it("sums of random amounts in 0, 6, 18 and 36 decimals at random E8 prices equal the Decimal sums of usdValue", () => {
    const decimals = [0, 6, 18, 36];
    const usd = new UsdScale(decimals);
    const rng = new Rng(20261121n);
    for (let trial = 0; trial < 50; trial++) {
      let scaled = 0n;
      let decimal = new Dec(0);
      for (let i = 0; i < 40; i++) {
        const unit = 10n ** BigInt(decimals[i % decimals.length] ?? 0);
        const amount = rng.bigIntBetween(0n, unit * 10n ** 9n);
        const priceE8 = rng.bigIntBetween(1n, 10n ** 14n);
        scaled += usd.amount(amount, priceE8, unit);
        decimal = decimal.plus(usdValue(amount, priceE8, unit));
        const e8 = rng.bigIntBetween(0n, 10n ** 20n);
        scaled += usd.e8(e8);
        decimal = decimal.plus(new Dec(e8.toString()).div(1e8));
      }
      expect(usd.toDecimal(scaled).toFixed()).to.equal(decimal.toFixed());
    }
  });
});
