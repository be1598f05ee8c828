/**
 * A defensive borrower in an isolated protocol defends each of its markets (one per collateral asset) on
 * its own, with HF = maxBorrow / borrowed:
 *   repay:  repay borrowed - maxBorrow / target (loan units);
 *   topUp:  add collateral so that maxBorrow reaches target x borrowed: (target x borrowed - maxBorrow) / (price x LLTV).
 */
import { IsolatedLendingMarketMath as IM, mulDivUp, wDivDown, wDivUp, wMulDown, min } from "../../math";
import type { IsolatedProtocolView, TxIntent } from "../../state";
import { GAS, type WorldMarketsProtocol } from "../../world";
import type { DefenseContext } from "../types";
import { marketsProtocol, worldMarketOf, type IsolatedImplementation } from "./implementation";

/** A defensive borrower's intents in an isolated protocol run by `implementation`. */
export function isolatedDefense(implementation: IsolatedImplementation): (context: DefenseContext) => TxIntent[] {
  return (context) => {
    const { protocol, deployed } = context;
    const wp = marketsProtocol(deployed);
    if (protocol.kind !== "isolated" || !wp) return [];
    return context.borrower.group.collateral.flatMap((c) => marketDefense(context, c.asset, protocol, wp, implementation));
  };
}

function marketDefense(
  context: DefenseContext,
  collateral: string,
  protocol: IsolatedProtocolView,
  wp: WorldMarketsProtocol,
  implementation: IsolatedImplementation,
): TxIntent[] {
  const { borrower, defense } = context;
  const m = protocol.markets.find((x) => x.collateral === collateral && x.loan === borrower.group.debt);
  const position = m?.positions.get(borrower.address);
  if (!m || !position || m.priceE36 === 0n) return [];
  const h = IM.positionHealth(m, m.state, position, m.priceE36);
  const key = `${borrower.address.toLowerCase()}/${m.key}`;
  if (!context.triggered(key, h.borrowed > 0n && h.healthFactorWad < defense.belowHealthFactorWad)) return [];
  const symbol = defense.action === "repay" ? m.loan : m.collateral;
  let wanted: bigint;
  if (defense.action === "repay") {
    wanted = h.borrowed - min(wDivDown(h.maxBorrow, defense.targetHealthFactorWad), h.borrowed);
  } else {
    const neededLoanUnits = wMulDown(defense.targetHealthFactorWad, h.borrowed) - min(wMulDown(defense.targetHealthFactorWad, h.borrowed), h.maxBorrow);
    wanted = mulDivUp(wDivUp(neededLoanUnits, m.lltvWad), IM.ORACLE_PRICE_SCALE, m.priceE36);
  }
  const amount = context.take(symbol, wanted);
  if (amount === 0n) return [];
  const market = worldMarketOf(wp, m.id);
  const data =
    defense.action === "repay"
      ? implementation.repay(wp, market, amount, borrower.address)
      : implementation.supplyCollateral(wp, market, amount, borrower.address);
  return [
    {
      agent: context.agent,
      action: `${defense.action} ${amount} ${symbol} in ${m.key}`,
      from: borrower.address,
      to: wp.market.address,
      data,
      gas: GAS.poolAction,
      priorityFeeWei: context.priorityFeeWei,
    },
  ];
}
