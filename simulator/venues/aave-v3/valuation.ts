/**
 * An Aave V3.6 protocol's positions valued at the end of a block (`crossMarginValuation`): one per
 * borrower across the pool's reserves, health as Aave computes it (AaveV3Math). A supply that is not
 * enabled as collateral counts for nothing, as on Aave.
 */
import { AaveV3Math } from "../../math";
import type { PositionValues, ProtocolView } from "../../state";
import { crossMarginValuation, type AccountValue } from "../crossMargin/valuation";
import type { ValuationContext } from "../types";

export const aaveAccountValue = (data: AaveV3Math.AaveAccountData | undefined): AccountValue | undefined =>
  data && { collateralUsd: data.totalCollateralBase, debtUsd: data.totalDebtBase, healthFactor: data.healthFactor };

export function aaveValuation(context: ValuationContext, view: ProtocolView): PositionValues[] {
  if (view.kind !== "aave-v3.6") return [];
  return crossMarginValuation<AaveV3Math.AaveReserveModel, AaveV3Math.AaveUserPosition>(context, {
    assets: view.assets,
    feeds: view.feeds,
    reserves: view.reserves,
    users: view.users,
    oracle: (borrower) => aaveAccountValue(view.accounts.get(borrower)),
    value: (reserves, position, timestamp) => aaveAccountValue(AaveV3Math.userAccountData(reserves, position, timestamp)),
    uses: (p, i) => ({ supplied: (p.collateralEnabled[i] ?? false) && (p.scaledSupply[i] ?? 0n) > 0n, borrowed: (p.scaledDebt[i] ?? 0n) > 0n }),
  });
}
