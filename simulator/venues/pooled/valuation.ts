/**
 * A pooled protocol's positions valued at the end of a block (`crossMarginValuation`): one per borrower
 * across the pool's reserves, with the pool's mirror (`userAccountDataIfPriced`).
 */
import { userAccountDataIfPriced, type ReserveModel, type UserAccountData, type UserShares } from "../../math";
import type { PositionValues, ProtocolView } from "../../state";
import { crossMarginValuation, type AccountValue } from "../crossMargin/valuation";
import type { ValuationContext } from "../types";

const valueOf = (data: UserAccountData | undefined): AccountValue | undefined =>
  data && { collateralUsd: data.totalCollateralUsd, debtUsd: data.totalDebtUsd, healthFactor: data.healthFactor };

export function pooledValuation(context: ValuationContext, view: ProtocolView): PositionValues[] {
  if (view.kind !== "pooled") return [];
  return crossMarginValuation<ReserveModel, UserShares>(context, {
    assets: view.assets,
    feeds: view.feeds,
    reserves: view.reserves,
    users: view.users,
    oracle: (borrower) => valueOf(view.accounts.get(borrower)),
    value: (reserves, shares, timestamp) => valueOf(userAccountDataIfPriced(reserves, shares, timestamp)),
    uses: (shares, i) => ({ supplied: (shares.supplyShares[i] ?? 0n) > 0n, borrowed: (shares.borrowShares[i] ?? 0n) > 0n }),
  });
}
