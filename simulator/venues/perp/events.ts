/**
 * The exchange's logs as venue-neutral records:
 * - `Liquidate`: a liquidation of the account's position in the market; `repaid` is the notional
 *   closed (at the close price), `seized` the margin the close took (its realized loss plus the fee,
 *   the part beyond the margin included: the `Waterfall` that follows says how much of it was not
 *   there), `protocolFee` the insurance fund's cut of the fee. Collateral and debt are both the
 *   exchange's collateral token. No health factor in the event: the observer takes the position's.
 * - `Waterfall`: a loss (the shortfall beyond the margin) with who absorbed it: the insurance fund,
 *   the last resort (`autoDeleveraged` or `socialized` winners), the vault's bad debt (`deficit`,
 *   with last resort `none`, or what the last resort could not recover), or, without negative
 *   balance protection, the trader (`owedByTrader`: a negative balance).
 * - `Deleverage` / `Socialize`: one winner's share of the loss the `Waterfall` after them reports
 *   (`pnlGivenUp`, `haircut`), `autoDeleveraged` (with the size it closed and the bankruptcy price it
 *   closed at) or `socialized` (with `totalProfit`, the winners' positive PnL the haircut is taken from).
 */
import type { Address, Hex } from "viem";
import type { LossAbsorption } from "../../state";
import { decodeLog } from "../../world";
import type { EventContext, LossShareFacts, VenueEvent } from "../types";

interface LiquidationReportAbi {
  notional: bigint;
  realizedPnl: bigint;
  fee: bigint;
  keeperFee: bigint;
  insuranceFee: bigint;
}

interface WaterfallReportAbi {
  shortfall: bigint;
  insurancePaid: bigint;
  recovered: bigint;
  badDebt: bigint;
  owed: bigint;
}

export function perpEvents({ protocol, deployed }: EventContext, log: { topics: readonly Hex[]; data: Hex }): VenueEvent[] {
  if (deployed.kind !== "perp") return [];
  let event: { eventName: string; args: Record<string, unknown> };
  try {
    event = decodeLog(deployed.exchange.abi, log);
  } catch {
    return [];
  }
  const a = event.args;
  const m = deployed.markets.find((x) => x.id === (a.marketId as bigint));
  if (!m) return [];
  const account = (a.account as Address).toLowerCase() as Address;
  const collateral = deployed.spec.collateral;
  const shareOf = (amount: bigint, by: LossShareFacts["by"]) => ({ protocol, market: m.key, asset: collateral, account, by, amount });
  if (event.eventName === "Deleverage" || event.eventName === "Socialize") {
    const share: LossShareFacts =
      event.eventName === "Deleverage"
        ? { ...shareOf(a.pnlGivenUp as bigint, "autoDeleveraged"), closed: { size: a.size as bigint, priceE8: a.priceE8 as bigint } }
        : { ...shareOf(a.haircut as bigint, "socialized"), winnersProfit: a.totalProfit as bigint };
    return share.amount > 0n ? [{ type: "lossShare", share }] : [];
  }
  if (event.eventName !== "Liquidate" && event.eventName !== "Waterfall") return [];
  if (event.eventName === "Liquidate") {
    const r = a.report as LiquidationReportAbi;
    const taken = r.fee - r.realizedPnl;
    return [
      {
        type: "liquidation",
        liquidation: {
          protocol,
          market: m.key,
          borrower: account,
          collateral,
          debt: collateral,
          debtRepaid: r.notional,
          collateralSeized: taken > 0n ? taken : 0n,
          protocolFee: r.insuranceFee,
          keeperReward: r.keeperFee,
          healthFactorWad: 0n,
        },
        healthFromObserver: true,
      },
    ];
  }
  const w = a.report as WaterfallReportAbi;
  if (w.shortfall === 0n) return [];
  const absorbed: LossAbsorption = {};
  if (w.insurancePaid > 0n) absorbed.insuranceFund = w.insurancePaid;
  if (w.recovered > 0n) absorbed[deployed.spec.lastResort === "adl" ? "autoDeleveraged" : "socialized"] = w.recovered;
  if (w.badDebt > 0n) absorbed.deficit = w.badDebt;
  if (w.owed > 0n) absorbed.owedByTrader = w.owed;
  return [{ type: "loss", loss: { protocol, market: m.key, asset: collateral, borrower: account, amount: w.shortfall, absorbed } }];
}
