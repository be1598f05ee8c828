/**
 * The market's `Liquidate` log: the liquidation (no health factor in the event: the observer takes the
 * position's from the previous block; no protocol fee), and, when it realized bad debt, the loss, all of
 * it socialized to the market's suppliers within the same call.
 */
import type { Address, Hex } from "viem";
import { decodeLog, type DecodedLog, type ProjectAbi, type WorldIsolatedMarket } from "../../world";
import type { EventContext, VenueEvent } from "../types";

/** The figures of a `Liquidate` event, in its market's native units (liqsim's market and Morpho Blue's name them alike). */
export interface LiquidateFigures {
  borrower: Address;
  repaidAssets: bigint;
  seizedAssets: bigint;
  badDebtAssets: bigint;
}

/** A `Liquidate` event of market `m` as venue-neutral events: the liquidation and, with bad debt, the suppliers' loss. */
export function liquidateEvents(protocol: string, m: WorldIsolatedMarket, figures: LiquidateFigures): VenueEvent[] {
  const borrower = figures.borrower.toLowerCase() as Address;
  const out: VenueEvent[] = [
    {
      type: "liquidation",
      liquidation: {
        protocol,
        market: m.key,
        borrower,
        collateral: m.spec.collateral,
        debt: m.spec.loan,
        debtRepaid: figures.repaidAssets,
        collateralSeized: figures.seizedAssets,
        protocolFee: 0n,
        healthFactorWad: 0n,
      },
      healthFromObserver: true,
    },
  ];
  const bad = figures.badDebtAssets;
  if (bad > 0n) {
    out.push({ type: "loss", loss: { protocol, market: m.key, asset: m.spec.loan, borrower, amount: bad, absorbed: { suppliers: bad } } });
  }
  return out;
}

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
  return m ? liquidateEvents(protocol, m, a) : [];
}
