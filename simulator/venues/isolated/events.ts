/**
 * The market's `Liquidate` log: the liquidation (no health factor in the event: the observer takes the
 * position's from the previous block; no protocol fee), and, when it realized bad debt, the loss, all of
 * it socialized to the market's suppliers within the same call.
 */
import type { Address, Hex } from "viem";
import { decodeLog } from "../../world";
import type { EventContext, VenueEvent } from "../types";

export function isolatedEvents({ protocol, deployed }: EventContext, log: { topics: readonly Hex[]; data: Hex }): VenueEvent[] {
  if (deployed.kind !== "isolated") return [];
  let event: { eventName: string; args: Record<string, unknown> };
  try {
    event = decodeLog(deployed.market.abi, log);
  } catch {
    return [];
  }
  if (event.eventName !== "Liquidate") return [];
  const a = event.args;
  const m = deployed.markets.find((x) => x.id === (a.id as bigint));
  if (!m) return [];
  const borrower = (a.borrower as Address).toLowerCase() as Address;
  const out: VenueEvent[] = [
    {
      type: "liquidation",
      liquidation: {
        protocol,
        market: m.key,
        borrower,
        collateral: m.spec.collateral,
        debt: m.spec.loan,
        debtRepaid: a.repaidAssets as bigint,
        collateralSeized: a.seizedAssets as bigint,
        protocolFee: 0n,
        healthFactorWad: 0n,
      },
      healthFromObserver: true,
    },
  ];
  const bad = a.badDebtAssets as bigint;
  if (bad > 0n) {
    out.push({ type: "loss", loss: { protocol, market: m.key, asset: m.spec.loan, borrower, amount: bad, absorbed: { suppliers: bad } } });
  }
  return out;
}
