/**
 * The market's `Liquidate` log: the liquidation (no health factor in the event: the observer takes the
 * position's from the previous block; no protocol fee), and, when it realized bad debt, the loss, all of
 * it socialized to the market's suppliers within the same call.
 */
import type { Address, Hex } from "viem";
import { decodeLog, type WorldIsolatedMarket } from "../../world";
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

/** A `Liquidate` log decoded with the protocol contract's ABI, or null for another log. */
export function decodeLiquidate(deployed: EventContext["deployed"], log: { topics: readonly Hex[]; data: Hex }): Record<string, unknown> | null {
  let event: { eventName: string; args: Record<string, unknown> };
  try {
    event = decodeLog(deployed.contract.abi, log);
  } catch {
    return null;
  }
  return event.eventName === "Liquidate" ? event.args : null;
}

export function isolatedEvents({ protocol, deployed }: EventContext, log: { topics: readonly Hex[]; data: Hex }): VenueEvent[] {
  if (deployed.kind !== "isolated") return [];
  const a = decodeLiquidate(deployed, log);
  const m = a ? deployed.markets.find((x) => x.id === (a.id as bigint)) : undefined;
  if (!a || !m) return [];
  return liquidateEvents(protocol, m, { borrower: a.borrower as Address, repaidAssets: a.repaidAssets as bigint, seizedAssets: a.seizedAssets as bigint, badDebtAssets: a.badDebtAssets as bigint });
}
