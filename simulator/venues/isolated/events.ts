/**
 * The market's `Liquidate` log: the liquidation (no health factor in the event: the observer takes the
 * position's from the previous block; no protocol fee), and, when it realized bad debt, the loss, all of
 * it socialized to the market's suppliers within the same call.
 */
import type { Address, Hex } from "viem";
import { decodeLog, type DecodedLog, type ProjectAbi } from "../../world";
import type { EventContext, VenueEvent } from "../types";

export function isolatedEvents({ protocol, deployed }: EventContext, log: { topics: readonly Hex[]; data: Hex }): VenueEvent[] {
  if (deployed.kind !== "isolated") return [];
  let event: DecodedLog<ProjectAbi<"IsolatedLendingMarket">>;
  try {
    event = decodeLog(deployed.market.abi, log);
  } catch {
    return [];
  }
  if (event.eventName !== "Liquidate") return [];
  const a = event.args;
  const m = deployed.markets.find((x) => x.id === a.id);
  if (!m) return [];
  const borrower = a.borrower.toLowerCase() as Address;
  const out: VenueEvent[] = [
    {
      type: "liquidation",
      liquidation: {
        protocol,
        market: m.key,
        borrower,
        collateral: m.spec.collateral,
        debt: m.spec.loan,
        debtRepaid: a.repaidAssets,
        collateralSeized: a.seizedAssets,
        protocolFee: 0n,
        healthFactorWad: 0n,
      },
      healthFromObserver: true,
    },
  ];
  const bad = a.badDebtAssets;
  if (bad > 0n) {
    out.push({ type: "loss", loss: { protocol, market: m.key, asset: m.spec.loan, borrower, amount: bad, absorbed: { suppliers: bad } } });
  }
  return out;
}
