import { IsolatedLendingMarketMath as IM } from "../../math";

/** Decimals of a token from its unit (10^decimals). */
function decimalsOf(unit: bigint): bigint {
  return BigInt(unit.toString().length - 1);
}

/**
 * Loan units per collateral unit scaled by 1e36, from two USD E8 prices, with the market's own formula
 * (`IsolatedLendingMarketMath.oraclePrice`); 0 when a price is not positive (the market would revert).
 */
export function isolatedPriceE36(collateralPriceE8: bigint, loanPriceE8: bigint, collateralUnit: bigint, loanUnit: bigint): bigint {
  if (collateralPriceE8 <= 0n || loanPriceE8 <= 0n) return 0n;
  return IM.oraclePrice(collateralPriceE8, loanPriceE8, decimalsOf(collateralUnit), decimalsOf(loanUnit));
}
