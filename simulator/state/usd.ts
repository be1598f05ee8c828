/**
 * USD arithmetic the observer and the venues' valuations share: decimal.js for the records' figures,
 * exact integers (`UsdScale`) for sums over thousands of positions.
 */
import Decimal from "decimal.js";

/** decimal.js with enough precision that sums of USD figures are exact. */
export const Dec = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_EVEN });

/** USD value of `amount` native units at `priceE8`. */
export function usdValue(amount: bigint, priceE8: bigint, unit: bigint): Decimal {
  return new Dec((amount * priceE8).toString()).div((unit * 10n ** 8n).toString());
}

/**
 * USD as exact integers, in units of 10^-(8 + the world's largest token decimals) dollars: any token
 * amount times an E8 price is a whole number of them, so position values add up in bigint (thousands
 * of positions every block) and become a Decimal once, equal to the sum of `usdValue`s.
 */
export class UsdScale {
  /** 10^(the largest decimals): one USD E8 in these units. */
  private readonly perE8: bigint;
  private readonly denominator: string;

  constructor(decimals: Iterable<number>) {
    const largest = Math.max(0, ...decimals);
    this.perE8 = 10n ** BigInt(largest);
    this.denominator = (10n ** BigInt(8 + largest)).toString();
  }

  /** `amount` native units (10^decimals per token, `unit`) at `priceE8`. */
  amount(amount: bigint, priceE8: bigint, unit: bigint): bigint {
    return (amount * priceE8 * this.perE8) / unit;
  }

  /** A USD value with 8 decimals. */
  e8(valueE8: bigint): bigint {
    return valueE8 * this.perE8;
  }

  toDecimal(value: bigint): Decimal {
    return new Dec(value.toString()).div(this.denominator);
  }
}
