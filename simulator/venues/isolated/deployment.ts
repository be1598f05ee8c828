/**
 * Setting up an isolated protocol: one `IsolatedLendingMarket` singleton (block 1), its markets created
 * on their feeds in the scenario's order (ids 0, 1, …) and seeded with the deployer's supply (block 3);
 * borrowers' collateral put up per market and one borrow per market (isolated margin).
 */
import type { Address } from "viem";
import { IsolatedLendingMarketMath as IM, mulDivDown, wDivDown, wMulDown } from "../../math";
import type { BorrowerGroupSpec, ProtocolSpec } from "../../scenario/types";
import { GAS, isolatedMarketOf, projectArtifact, required, type Deployer, type LooperLeg, type WorldIsolatedProtocol, type WorldProtocol } from "../../world";
import type { BorrowPlanContext, CollateralBatch, PlannedBorrow, VenueDeployment } from "../types";

function isolated(p: WorldProtocol): WorldIsolatedProtocol {
  if (p.kind !== "isolated") throw new Error(`internal: ${p.spec.name} is not an isolated protocol`);
  return p;
}

async function deploy(deployer: Deployer, spec: ProtocolSpec): Promise<WorldProtocol> {
  if (spec.type !== "isolated") throw new Error(`internal: ${spec.name} is not an isolated protocol`);
  const market = await deployer.deployContract(projectArtifact("IsolatedLendingMarket"), [deployer.address], GAS.deployMarket);
  const markets = spec.markets.map((m, i) => ({ id: BigInt(i), key: `${m.collateral}/${m.loan}`, spec: m, morpho: null }));
  return { kind: "isolated", spec, contract: market, market, markets };
}

async function configure(deployer: Deployer, protocol: WorldProtocol): Promise<void> {
  const p = isolated(protocol);
  for (const m of p.spec.markets) {
    const params = {
      loanToken: deployer.asset(m.loan).token.address,
      collateralToken: deployer.asset(m.collateral).token.address,
      loanFeed: deployer.feedAddress(m.loanFeed),
      collateralFeed: deployer.feedAddress(m.collateralFeed),
      lltvWad: m.lltvWad,
      baseRateWad: m.baseRateWad,
      slope1Wad: m.slope1Wad,
      slope2Wad: m.slope2Wad,
      optimalUtilizationWad: m.optimalUtilizationWad,
      maxPriceAgeSeconds: BigInt(m.maxPriceAgeSeconds),
      liquidationsAcceptStalePrice: m.liquidationsAcceptStalePrice,
    };
    await deployer.send(deployer.address, p.market.address, p.market.encode("createMarket", [params]), GAS.poolAction);
  }
  for (const m of p.markets) {
    if (m.spec.initialSupply > 0n) await deployer.send(deployer.address, p.market.address, p.market.encode("supply", [m.id, m.spec.initialSupply, deployer.address]), GAS.poolAction);
  }
}

/** Isolated margin: per collateral asset k, debt_k = maxBorrow_k / HF, maxBorrow_k = collateral_k × oracle price × LLTV. */
export function isolatedPlanBorrows(context: BorrowPlanContext): PlannedBorrow[] {
  const { protocol, group } = context;
  if (protocol.type !== "isolated") throw new Error(`internal: ${protocol.name} is not an isolated protocol`);
  const d = context.asset(group.debt);
  return context.collateral.map((c) => {
    const m = required(protocol.markets.find((x) => x.collateral === c.asset && x.loan === group.debt), "market");
    const cUnit = context.asset(c.asset);
    const price = IM.oraclePrice(context.collateralPrice(m.collateralFeed, c.asset), context.debtPrice(m.loanFeed), BigInt(cUnit.spec.decimals), BigInt(d.spec.decimals));
    const maxBorrow = wMulDown(mulDivDown(c.amount, price, IM.ORACLE_PRICE_SCALE), m.lltvWad);
    return { collateral: c.asset, amount: wDivDown(maxBorrow, context.healthFactorWad) };
  });
}

/** What the deployer lends each market at set-up: its `initialSupply` of the loan asset. */
export function isolatedSeedAmounts(p: WorldProtocol): { asset: string; amount: bigint }[] {
  if (p.spec.type !== "isolated") throw new Error(`internal: ${p.spec.name} is not an isolated protocol`);
  return p.spec.markets.map((m) => ({ asset: m.loan, amount: m.initialSupply }));
}

export const isolatedDeployment: VenueDeployment = {
  deploy,
  seedAmounts: isolatedSeedAmounts,
  configure,
  looperLeg: (p, name, collateral, debt): LooperLeg => {
    const wp = isolated(p);
    return { protocol: name, kind: 1, address: wp.market.address, marketId: isolatedMarketOf(wp, collateral, debt).id };
  },
  planBorrows: isolatedPlanBorrows,
  supplyCollateral: async (deployer: Deployer, p: WorldProtocol, batch: CollateralBatch) => {
    const wp = isolated(p);
    const id = isolatedMarketOf(wp, batch.asset, batch.group.debt).id;
    const data = batch.bulkSupplier.encode("supplyCollateralIsolated", [wp.market.address, id, batch.accounts, batch.amounts]);
    await deployer.send(deployer.address, batch.bulkSupplier.address, data, GAS.bulkSupplyBase + GAS.bulkSupplyPerPosition * BigInt(batch.accounts.length));
  },
  // Its positions are borrowers' (planBorrows, borrow).
  openPositions: async () => {},
  borrow: async (deployer: Deployer, p: WorldProtocol, borrower: Address, group: BorrowerGroupSpec, b: PlannedBorrow) => {
    const wp = isolated(p);
    const id = isolatedMarketOf(wp, required(b.collateral ?? undefined, "borrow's market"), group.debt).id;
    await deployer.send(borrower, wp.market.address, wp.market.encode("borrow", [id, b.amount, borrower]), GAS.poolAction);
  },
};
