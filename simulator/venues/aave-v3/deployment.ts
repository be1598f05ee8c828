/**
 * Setting up a pooled protocol on the real Aave V3.6 (`implementation: "aave-v3.6"`): the core (addresses
 * provider, ACL, pool and configurator with their libraries, AaveOracle, rate strategy, data provider) and
 * liqsim's `AaveV3Lens` in set-up block 1; in block 3 the reserves listed over the scenario's feeds (each
 * through an `AaveLatestAnswerFeed`) with the scenario's LTV, threshold, bonus, protocol fee, reserve
 * factor and rate curve, then the deployer's supply (its `initialSupply` and `initialReserves`: Aave's
 * reserves are the treasury's aTokens, and the deployer is the treasury), the borrowers' collateral
 * supplied on their behalf, one variable-rate borrow per borrower against the whole account at block 0.
 * Aave's calls are sent through a `RealTransactor` over the set-up chain: each is mined at its set-up
 * block's timestamp, so the views the deployment reads (the pool's address, the reserves' tokens) exist.
 */
import type { Address } from "viem";
import { min, mulDivDown, wDivDown } from "../../math";
import type { BorrowerGroupSpec, PooledReserveSpec, ProtocolSpec } from "../../scenario/types";
import { ContractHandle, GAS, SETUP_BLOCKS, projectArtifact, required, type Deployer, type LooperLeg, type WorldAaveProtocol, type WorldProtocol } from "../../world";
import { chainTransactor } from "../realTransactor";
import type { BorrowPlanContext, CollateralBatch, PlannedBorrow, VenueDeployment } from "../types";
import { aavePoolAbi, deployCore, listReserves, type AaveReserveInput } from "./deploy";
import { wadToBps } from "./rates";

/** Aave's variable interest rate mode. */
const VARIABLE_RATE = 2n;

function aave(p: WorldProtocol): WorldAaveProtocol {
  if (p.kind !== "aave-v3.6") throw new Error(`internal: ${p.spec.name} is not an Aave V3.6 protocol`);
  return p;
}

/** Sends Aave's set-up calls from the deployer, each mined at set-up block `phase`'s timestamp. */
const transactor = (d: Deployer, phase: bigint) => chainTransactor(d.chain, d.address, () => d.startTimestamp - SETUP_BLOCKS + phase, () => d.flush());

async function deploy(d: Deployer, spec: ProtocolSpec): Promise<WorldProtocol> {
  if (spec.type !== "pooled") throw new Error(`internal: ${spec.name} is not a pooled protocol`);
  const core = await deployCore(transactor(d, 1n));
  const lens = await d.deployContract(projectArtifact("AaveV3Lens"), [], GAS.deployLens);
  return {
    kind: "aave-v3.6",
    spec,
    contract: new ContractHandle(core.pool.address, aavePoolAbi()),
    pool: core.pool,
    configurator: core.configurator,
    oracle: core.oracle,
    lens,
    treasury: d.address,
    reserveOrder: spec.reserves.map((r) => r.asset),
    tokens: [],
  };
}

function reserveInput(d: Deployer, r: PooledReserveSpec): AaveReserveInput {
  return {
    token: d.asset(r.asset).token.address,
    symbol: r.asset,
    feed: d.feedAddress(r.feed),
    borrowingEnabled: r.borrowingEnabled,
    ltvWad: r.ltvWad,
    liquidationThresholdWad: r.liquidationThresholdWad,
    liquidationBonusWad: r.liquidationBonusWad,
    liquidationProtocolFeeWad: r.liquidationProtocolFeeWad,
    reserveFactorWad: r.reserveFactorWad,
    baseRateWad: r.baseRateWad,
    slope1Wad: r.slope1Wad,
    slope2Wad: r.slope2Wad,
    optimalUtilizationWad: r.optimalUtilizationWad,
  };
}

async function configure(d: Deployer, protocol: WorldProtocol): Promise<void> {
  const p = aave(protocol);
  const listed = await listReserves(transactor(d, 3n), p, p.spec.reserves.map((r) => reserveInput(d, r)), p.treasury);
  p.tokens.push(...listed.map((r) => ({ aToken: r.aToken, variableDebtToken: r.variableDebtToken })));
  for (const r of p.spec.reserves) {
    const amount = r.initialSupply + r.initialReserves;
    if (amount > 0n) await d.send(d.address, p.pool.address, p.pool.encode("supply", [d.asset(r.asset).token.address, amount, d.address, 0]), GAS.poolAction);
  }
}

/**
 * Cross margin with Aave's sums: debtBase = Σ collateralBase_k × LT_k (bps) / (HF × 10,000), capped at
 * Σ collateralBase_k × LTV_k / 10,000 less 0.01% (Aave's borrow check divides by the averaged LTV, rounded).
 */
function planBorrows(context: BorrowPlanContext): PlannedBorrow[] {
  const { protocol, group } = context;
  if (protocol.type !== "pooled") throw new Error(`internal: ${protocol.name} is not a pooled protocol`);
  const reserve = (symbol: string) => required(protocol.reserves.find((r) => r.asset === symbol), `reserve ${symbol}`);
  let thresholdWeighted = 0n;
  let ltvWeighted = 0n;
  for (const c of context.collateral) {
    const r = reserve(c.asset);
    const base = mulDivDown(c.amount, context.collateralPrice(r.feed, c.asset), context.asset(c.asset).unit);
    thresholdWeighted += base * wadToBps(r.liquidationThresholdWad, "liquidationThresholdWad");
    ltvWeighted += base * wadToBps(r.ltvWad, "ltvWad");
  }
  const byHealth = wDivDown(thresholdWeighted / 10_000n, context.healthFactorWad);
  const byLtv = ltvWeighted / 10_000n;
  const debtBase = min(byHealth, byLtv - byLtv / 10_000n);
  return [{ collateral: null, amount: mulDivDown(debtBase, context.asset(group.debt).unit, context.debtPrice(reserve(group.debt).feed)) }];
}

/** Each borrower's collateral supplied on its behalf by the deployer (Aave's `supply` takes a referral code `BulkSupplier` does not pass). */
async function supplyCollateral(d: Deployer, protocol: WorldProtocol, batch: CollateralBatch): Promise<void> {
  const p = aave(protocol);
  const token = d.asset(batch.asset).token.address;
  for (const [i, account] of batch.accounts.entries()) {
    await d.send(d.address, p.pool.address, p.pool.encode("supply", [token, batch.amounts[i] ?? 0n, account, 0]), GAS.poolAction);
  }
}

async function borrow(d: Deployer, protocol: WorldProtocol, borrower: Address, group: BorrowerGroupSpec, b: PlannedBorrow): Promise<void> {
  const p = aave(protocol);
  await d.send(borrower, p.pool.address, p.pool.encode("borrow", [d.asset(group.debt).token.address, b.amount, VARIABLE_RATE, 0, borrower]), GAS.poolAction);
}

export const aaveDeployment: VenueDeployment = {
  deploy,
  seedAmounts: (p) => aave(p).spec.reserves.map((r) => ({ asset: r.asset, amount: r.initialSupply + r.initialReserves })),
  configure,
  looperLeg: (p, name): LooperLeg => {
    throw new Error(`loopers: leg ${name} runs on ${aave(p).spec.venue}, which LeverageLooper cannot call (it calls liqsim's pool)`);
  },
  planBorrows,
  supplyCollateral,
  borrow,
  // Positions come from the borrowers' collateral and borrows (no venue-opened positions).
  openPositions: async () => {},
};
