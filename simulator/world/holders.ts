import type { Address } from "viem";
import type { World } from "./types";

/**
 * Accounts that hold positions in a protocol (or one of its isolated markets): the borrowers of its
 * groups (in an isolated protocol, a borrower with several collateral assets is in each of their
 * markets) and the vaults of loopers with a leg there.
 */
export function positionHolders(world: World, protocol: string, market?: { collateral: string; loan: string }): Address[] {
  const matches = (collateral: string, debt: string) => !market || (collateral === market.collateral && debt === market.loan);
  return [
    ...world.borrowers
      .filter((b) => b.group.protocol === protocol && b.group.collateral.some((c) => matches(c.asset, b.group.debt)))
      .map((b) => b.address),
    ...world.loopers.filter((l) => l.spec.legs.includes(protocol) && matches(l.spec.collateral, l.spec.debt)).map((l) => l.vault.address),
  ];
}
