/**
 * Setting up a pooled protocol: one `PooledLendingPool` with the scenario's liquidation rules (block 1),
 * its reserves listed on their feeds and seeded with the deployer's supply and insurance-fund deposits
 * (block 3); borrowers' collateral supplied to the pool and one borrow per borrower against the whole
 * account (cross margin).
 */
import type { Address } from "viem";
import { min, mulDivDown, wDivDown, wMulDown } from "../../math";
import type { BorrowerGroupSpec, ProtocolSpec } from "../../scenario/types";
import { ContractHandle, GAS, projectArtifact, required, type Deployer, type LooperLeg, type WorldPooledProtocol, type WorldProtocol } from "../../world";
import type { BorrowPlanContext, CollateralBatch, PlannedBorrow, VenueDeployment } from "../types";

function pooled(p: WorldProtocol): WorldPooledProtocol {
  if (p.kind !== "pooled") throw new Error(`internal: ${p.spec.name} is not a pooled protocol`);
  return p;
}

async function deploy(deployer: Deployer, spec: ProtocolSpec): Promise<WorldProtocol> {
  if (spec.type !== "pooled") throw new Error(`internal: ${spec.name} is not a pooled protocol`);
  const l = spec.liquidation;
  const rules = {
    closeFactorWad: l.closeFactorWad,
    closeFactorHfThresholdWad: l.closeFactorHfThresholdWad,
    closeFactorDustUsd: l.closeFactorDustUsdE8,
    minLeftoverUsd: l.minLeftoverUsdE8,
    liquidationsAcceptStalePrice: l.liquidationsAcceptStalePrice,
  };
  const reserveOrder = spec.reserves.map((r) => r.asset);
  const haircut = projectArtifact("PooledLendingPool");
  if (spec.badDebt !== "deficit") {
    const pool = await deployer.deployContract(haircut, [deployer.address, rules], GAS.deployPool);
    return { kind: "pooled", spec, contract: pool, pool, deficitPool: null, reserveOrder };
  }
  // Aave 3.3+'s deficit instead of the reserves-then-suppliers haircut is a contract of its own (the same pool
  // code, its ABI a superset): called as the pool, and as itself for the deficit.
  const deficitPool = await deployer.deployContract(projectArtifact("PooledLendingPoolDeficit"), [deployer.address, rules], GAS.deployPool);
  const pool = new ContractHandle(deficitPool.address, haircut.abi);
  return { kind: "pooled", spec, contract: pool, pool, deficitPool, reserveOrder };
}

async function configure(deployer: Deployer, protocol: WorldProtocol): Promise<void> {
  const p = pooled(protocol);
  for (const r of p.spec.reserves) {
    const params = {
      ltvWad: r.ltvWad,
      liquidationThresholdWad: r.liquidationThresholdWad,
      liquidationBonusWad: r.liquidationBonusWad,
      liquidationProtocolFeeWad: r.liquidationProtocolFeeWad,
      reserveFactorWad: r.reserveFactorWad,
      baseRateWad: r.baseRateWad,
      slope1Wad: r.slope1Wad,
      slope2Wad: r.slope2Wad,
      optimalUtilizationWad: r.optimalUtilizationWad,
      priceFeed: deployer.feedAddress(r.feed),
      maxPriceAgeSeconds: BigInt(r.maxPriceAgeSeconds),
      borrowingEnabled: r.borrowingEnabled,
    };
    await deployer.send(deployer.address, p.pool.address, p.pool.encode("listReserve", [deployer.asset(r.asset).token.address, params]), GAS.poolAction);
  }
  for (const r of p.spec.reserves) {
    const token = deployer.asset(r.asset).token.address;
    if (r.initialSupply > 0n) await deployer.send(deployer.address, p.pool.address, p.pool.encode("supply", [token, r.initialSupply, deployer.address]), GAS.poolAction);
    if (r.initialReserves > 0n) await deployer.send(deployer.address, p.pool.address, p.pool.encode("depositReserves", [token, r.initialReserves]), GAS.poolAction);
  }
}

/**
 * Cross margin: debtUsd = Σ collateralUsd_k × threshold_k / HF, capped at Σ collateralUsd_k × LTV_k,
 * with the pool's own sums (each reserve's value rounded down, then weighted and rounded down).
 */
function planBorrows(context: BorrowPlanContext): PlannedBorrow[] {
  const { protocol, group } = context;
  if (protocol.type !== "pooled") throw new Error(`internal: ${protocol.name} is not a pooled protocol`);
  const reserve = (symbol: string) => required(protocol.reserves.find((r) => r.asset === symbol), `reserve ${symbol}`);
  let weighted = 0n;
  let ltvWeighted = 0n;
  for (const c of context.collateral) {
    const r = reserve(c.asset);
    const valueOnChain = mulDivDown(c.amount, context.collateralPrice(r.feed, c.asset), context.asset(c.asset).unit);
    weighted += wMulDown(valueOnChain, r.liquidationThresholdWad);
    ltvWeighted += wMulDown(valueOnChain, r.ltvWad);
  }
  const debtUsd = min(wDivDown(weighted, context.healthFactorWad), ltvWeighted);
  return [{ collateral: null, amount: mulDivDown(debtUsd, context.asset(group.debt).unit, context.debtPrice(reserve(group.debt).feed)) }];
}

export const pooledDeployment: VenueDeployment = {
  deploy,
  seedAmounts: (p) => pooled(p).spec.reserves.map((r) => ({ asset: r.asset, amount: r.initialSupply + r.initialReserves })),
  configure,
  looperLeg: (p, name): LooperLeg => ({ protocol: name, kind: 0, address: pooled(p).pool.address, marketId: 0n }),
  planBorrows,
  supplyCollateral: async (deployer: Deployer, p: WorldProtocol, batch: CollateralBatch) => {
    const data = batch.bulkSupplier.encode("supplyPooled", [pooled(p).pool.address, deployer.asset(batch.asset).token.address, batch.accounts, batch.amounts]);
    await deployer.send(deployer.address, batch.bulkSupplier.address, data, GAS.bulkSupplyBase + GAS.bulkSupplyPerPosition * BigInt(batch.accounts.length));
  },
  // Its positions are borrowers' (planBorrows, borrow).
  openPositions: async () => {},
  borrow: async (deployer: Deployer, p: WorldProtocol, borrower: Address, group: BorrowerGroupSpec, b: PlannedBorrow) => {
    const pool = pooled(p).pool;
    await deployer.send(borrower, pool.address, pool.encode("borrow", [deployer.asset(group.debt).token.address, b.amount, borrower]), GAS.poolAction);
  },
};
