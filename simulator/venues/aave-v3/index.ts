/**
 * The real Aave V3.6 as a venue (`implementation: "aave-v3.6"` on a pooled protocol): the pool, its
 * configurator, aTokens and variable-debt tokens compiled from `@aave-dao/aave-v3-origin` 3.6.0 and
 * deployed with the scenario's reserves, AaveOracle over the scenario's feeds; cross-margin accounts
 * valued as Aave does (AaveV3Math), read through liqsim's `AaveV3Lens`; bad debt left without collateral
 * becomes the reserve's deficit (suppliers untouched). docs/real-protocols.md.
 */
import type { Venue } from "../types";
import { aaveDefense } from "./defense";
import { aaveDeployment } from "./deployment";
import { aaveEvents } from "./events";
import { checkAaveLiquidation, checkAaveState } from "./invariants";
import { aaveLiquidations } from "./keeper";
import { aaveWithPendingPrices } from "./pendingPrices";
import { aaveReader } from "./reader";
import { aaveValuation } from "./valuation";

export const aaveVenue: Venue = {
  kind: "pooled",
  ...aaveDeployment,
  addresses: (p) =>
    p.kind === "aave-v3.6"
      ? { type: "pooled", implementation: "aave-v3.6", pool: p.pool.address, oracle: p.oracle.address, reserves: p.reserveOrder, aTokens: p.tokens.map((t) => t.aToken), variableDebtTokens: p.tokens.map((t) => t.variableDebtToken) }
      : undefined,
  borrowerAddresses: (p) => (p.kind === "aave-v3.6" ? { pool: p.pool.address } : {}),
  withPendingPrices: aaveWithPendingPrices,
  defend: aaveDefense,
  liquidations: aaveLiquidations,
  // LeverageLooper calls the mock pool's entry points: loopers stay on liqsim's pool (scenario/realCode.ts).
  loopLeg: () => undefined,
  decodeEvents: aaveEvents,
  reader: aaveReader,
  valuePositions: aaveValuation,
  checkState: checkAaveState,
  checkLiquidation: checkAaveLiquidation,
};
