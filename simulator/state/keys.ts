/** Keys of the maps in a `MarketView` and of the observer's position index. */
import type { Address } from "viem";

export function balanceKey(address: Address, symbol: string): string {
  return `${address.toLowerCase()}/${symbol}`;
}

/**
 * Key of one position: a pooled protocol has one position per borrower (cross margin); an isolated
 * protocol one per borrower and market.
 */
export function positionKey(protocol: string, borrower: Address, market?: string): string {
  return market === undefined ? `${protocol}/${borrower.toLowerCase()}` : `${protocol}/${market}/${borrower.toLowerCase()}`;
}
