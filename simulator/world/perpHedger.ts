/**
 * The hedger of a perp exchange's vault (scenario `hedge`, agents/vaultHedger.ts): its account, funded
 * at set-up with the AMM's seeded reserves of both tokens (more than the vault can be handed: a sale
 * of the pool's whole reserve would take its price to nothing) and approved to the swap helper.
 */
import type { Address } from "viem";
import type { AmmSpec } from "../scenario/types";
import type { PerpSetup, WorldPerpProtocol } from "./perp";

/** The label of a perp protocol's hedger account (its address: `accountAddress(label)`). */
export function perpHedgerLabel(protocol: string): string {
  return `hedger/${protocol}`;
}

/** Funds and approves the hedger of `p` (nothing without a hedge). */
export async function fundPerpHedger(p: WorldPerpProtocol, s: PerpSetup, amm: AmmSpec | undefined, swapHelper: Address): Promise<void> {
  if (!p.spec.hedge || !amm) return;
  const hedger = s.accountAddress(perpHedgerLabel(p.spec.name));
  await s.fundAgent(hedger);
  for (const [symbol, amount] of [
    [amm.tokenA, amm.reserveA],
    [amm.tokenB, amm.reserveB],
  ] as const) {
    await s.mint(symbol, hedger, amount);
    await s.approve(hedger, symbol, swapHelper);
  }
}
