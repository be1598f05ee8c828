/**
 * The pooled lending venue: one `PooledLendingPool` per protocol, cross-margin accounts over its
 * reserves (Aave-style close factor and liquidation bonus, bad debt absorbed by reserves, then suppliers).
 */
import type { Venue } from "../types";
import { pooledDefense } from "./defense";
import { pooledDeployment } from "./deployment";
import { pooledEvents } from "./events";
import { pooledLiquidations } from "./keeper";
import { checkPooledLiquidation, checkPooledState } from "./invariants";
import { pooledLoopLeg } from "./loopLeg";
import { pooledWithPendingPrices } from "./pendingPrices";
import { pooledReader } from "./reader";
import { pooledValuation } from "./valuation";

export const pooledVenue: Venue = {
  kind: "pooled",
  ...pooledDeployment,
  addresses: (p) => (p.kind === "pooled" ? { type: "pooled", pool: p.pool.address, reserves: p.reserveOrder } : undefined),
  borrowerAddresses: (p) => (p.kind === "pooled" ? { pool: p.pool.address } : {}),
  withPendingPrices: pooledWithPendingPrices,
  defend: pooledDefense,
  liquidations: pooledLiquidations,
  loopLeg: pooledLoopLeg,
  decodeEvents: pooledEvents,
  reader: pooledReader,
  valuePositions: pooledValuation,
  checkState: checkPooledState,
  checkLiquidation: checkPooledLiquidation,
};
