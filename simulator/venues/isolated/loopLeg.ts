import { IsolatedLendingMarketMath as IM, mulDivDown, wDivDown } from "../../math";
import type { LoopLegContext, LoopLegState } from "../types";

/**
 * A looper's leg in an isolated market, in loan units: maxBorrow as the threshold-weighted collateral
 * (threshold: the LLTV), the room to borrow down to the step health factor.
 */
export function isolatedLoopLeg({ looper, leg, index, protocol: p, view }: LoopLegContext): LoopLegState | undefined {
  if (p.kind !== "isolated") return undefined;
  const { spec } = looper;
  const m = p.markets.find((x) => x.id === leg.marketId);
  const loanFeed = m ? view.feeds.get(m.loanFeed) : undefined;
  if (!m || m.priceE36 === 0n || !loanFeed?.ok || loanFeed.answer <= 0n) return undefined;
  const loanPrice = loanFeed.answer;
  const position = m.positions.get(looper.vault.address) ?? { supplyShares: 0n, borrowShares: 0n, collateral: 0n };
  const h = IM.positionHealth(m, m.state, position, m.priceE36);
  const toStep = wDivDown(h.maxBorrow, spec.stepHealthFactorWad);
  return {
    leg,
    index,
    weighted: h.maxBorrow,
    debt: h.borrowed,
    thresholdWad: m.lltvWad,
    healthFactorWad: h.healthFactorWad,
    room: toStep > h.borrowed ? toStep - h.borrowed : 0n,
    // collateral worth `loan` loan units: loan x 1e36 / price
    toCollateral: (loan) => mulDivDown(loan, IM.ORACLE_PRICE_SCALE, m.priceE36),
    toUsd: (loan) => mulDivDown(loan, loanPrice, m.loanUnit),
    fromUsd: (usd) => mulDivDown(usd, m.loanUnit, loanPrice),
    toDebt: (loan) => loan,
    collateralAmount: position.collateral,
    debtAmount: h.borrowed,
  };
}
