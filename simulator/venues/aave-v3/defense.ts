/**
 * A defensive borrower on Aave V3.6 (`crossMarginDefense`), valued as Aave does (AaveV3Math): the
 * threshold-weighted collateral is Σ collateralBase_i × LT_i / 10,000; it repays with
 * `repay(asset, amount, 2, onBehalfOf)` and tops up with `supply(asset, amount, onBehalfOf, 0)`.
 */
import { AaveV3Math } from "../../math";
import type { TxIntent } from "../../state";
import { crossMarginDefense } from "../crossMargin/defense";
import type { DefenseContext } from "../types";

/** Aave's variable interest rate mode. */
const VARIABLE_RATE = 2n;
const BPS_TO_WAD = 10n ** 14n;

export function aaveDefense(context: DefenseContext): TxIntent[] {
  const { protocol, deployed, borrower } = context;
  if (protocol.kind !== "aave-v3.6" || deployed.kind !== "aave-v3.6") return [];
  const position = protocol.users.get(borrower.address);
  const sums = position && AaveV3Math.accountSums(protocol.reserves, position, protocol.timestamp);
  if (!sums) return [];
  return crossMarginDefense(context, {
    account: {
      thresholdWeightedCollateralUsd: sums.thresholdWeighted / AaveV3Math.PERCENTAGE_FACTOR,
      totalDebtUsd: sums.totalDebtBase,
      healthFactorWad: sums.healthFactor,
    },
    reserve: (symbol) => {
      const r = protocol.reserves[protocol.assets.indexOf(symbol)];
      return r && r.priceE8 > 0n ? { priceE8: r.priceE8, unit: r.config.unit, liquidationThresholdWad: r.config.liquidationThresholdBps * BPS_TO_WAD } : undefined;
    },
    call: (fn, symbol, amount) => {
      const token = context.world.assets.get(symbol)?.token.address;
      if (!token) return undefined;
      const pool = deployed.pool;
      const data = fn === "repay" ? pool.encode("repay", [token, amount, VARIABLE_RATE, borrower.address]) : pool.encode("supply", [token, amount, borrower.address, 0]);
      return { to: pool.address, data };
    },
  });
}
