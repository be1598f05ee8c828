import type { Address } from "viem";

/** Largest `debt` first, then by address: the order in which bots take unhealthy positions. */
export function byLargestDebt(a: { borrower: Address; debt: bigint }, b: { borrower: Address; debt: bigint }): number {
  return b.debt > a.debt ? 1 : b.debt < a.debt ? -1 : a.borrower < b.borrower ? -1 : 1;
}
