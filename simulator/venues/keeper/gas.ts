/** Gas a keeper expects its transactions to use, and their cost in USD, for its profit estimates. */
import { mulDivDown } from "../../math";
import type { MarketView } from "../../state";

/** Gas a liquidation is expected to use, for the profit estimate (the limit sent is `GAS.liquidation`). */
export const LIQUIDATION_GAS_ESTIMATE = 350_000n;
/** Gas an atomic (flash-swap) liquidation is expected to use. */
export const ATOMIC_LIQUIDATION_GAS_ESTIMATE = 500_000n;
/** Gas selling seized collateral on a pair (`sellOnAmm`) is expected to use. */
export const SALE_GAS_ESTIMATE = 100_000n;

/** Gas price in USD is taken from this asset's market price when the scenario has it, else $2,000. */
const GAS_TOKEN_SYMBOLS = ["ETH", "WETH"];
const DEFAULT_GAS_TOKEN_PRICE_E8 = 2_000n * 10n ** 8n;

export function gasTokenPriceE8(view: MarketView): bigint {
  for (const symbol of GAS_TOKEN_SYMBOLS) {
    const p = view.marketPriceE8.get(symbol);
    if (p !== undefined) return p;
  }
  return DEFAULT_GAS_TOKEN_PRICE_E8;
}

/** Gas cost in USD E8 of `gas` at the view's base fee plus `priorityFeeWei`. */
export function gasCostUsdE8(view: MarketView, gas: bigint, priorityFeeWei: bigint): bigint {
  return mulDivDown(gas * (view.baseFeeWei + priorityFeeWei), gasTokenPriceE8(view), 10n ** 18n);
}
