/**
 * Setting up a protocol on the real Morpho Blue 1.0: the Morpho singleton (owned by the deployer) and our
 * `MorphoBlueLens` (block 1); per market, in the scenario's order, a `MorphoUsdFeedsOracle` over its two
 * feeds, a `MorphoKinkedRateIrm` on its curve (one per distinct curve, enabled once), its LLTV enabled
 * once, the market created and supplied with the deployer's `initialSupply` (block 3). Morpho takes
 * collateral from its sender, so the deployer supplies each borrower's with one `supplyCollateral`;
 * borrows are the isolated venue's plan (the two agree to the wei), sent as Morpho's `borrow`.
 */
import type { Address } from "viem";
import type { BorrowerGroupSpec, ProtocolSpec } from "../../scenario/types";
import {
  ContractHandle,
  GAS,
  isolatedMarketOf,
  morphoBlueArtifact,
  morphoBlueCallsAbi,
  morphoMarketId,
  projectArtifact,
  required,
  type Deployer,
  type WorldMorphoProtocol,
  type WorldProtocol,
} from "../../world";
import { isolatedPlanBorrows, isolatedSeedAmounts } from "../isolated/deployment";
import type { CollateralBatch, PlannedBorrow, VenueDeployment } from "../types";

/** A protocol of this venue's (it throws for another's). */
function morphoOf(p: WorldProtocol): WorldMorphoProtocol {
  if (p.kind !== "morpho-blue-1.0") throw new Error(`internal: ${p.spec.name} is not a Morpho Blue protocol`);
  return p;
}

async function deploy(deployer: Deployer, spec: ProtocolSpec): Promise<WorldProtocol> {
  if (spec.type !== "isolated") throw new Error(`internal: ${spec.name} is not an isolated protocol`);
  const morpho = await deployer.deployContract(morphoBlueArtifact(), [deployer.address], GAS.deployMarket);
  const morphoLens = await deployer.deployContract(projectArtifact("MorphoBlueLens"), [], GAS.deployLens);
  const markets = spec.markets.map((m, i) => ({ id: BigInt(i), key: `${m.collateral}/${m.loan}`, spec: m, morpho: null }));
  // `contract` keeps Morpho's whole ABI (logs, reverts); calls go through our typed interface of it.
  const market = new ContractHandle(morpho.address, morphoBlueCallsAbi());
  return { kind: "morpho-blue-1.0", spec, contract: morpho, market, markets, morphoLens };
}

async function configure(deployer: Deployer, protocol: WorldProtocol): Promise<void> {
  const p = morphoOf(protocol);
  const send = (data: `0x${string}`) => deployer.send(deployer.address, p.market.address, data, GAS.poolAction);
  const irms = new Map<string, Address>();
  const lltvs = new Set<bigint>();
  for (const m of p.markets) {
    const s = m.spec;
    const curve = [s.baseRateWad, s.slope1Wad, s.slope2Wad, s.optimalUtilizationWad] as const;
    let irm = irms.get(curve.join(","));
    if (irm === undefined) {
      irm = (await deployer.deployContract(projectArtifact("MorphoKinkedRateIrm"), curve, GAS.deployLens)).address;
      await send(p.market.encode("enableIrm", [irm]));
      irms.set(curve.join(","), irm);
    }
    if (!lltvs.has(s.lltvWad)) {
      await send(p.market.encode("enableLltv", [s.lltvWad]));
      lltvs.add(s.lltvWad);
    }
    const [collateral, loan] = [deployer.asset(s.collateral).token.address, deployer.asset(s.loan).token.address];
    const oracleArgs = [deployer.feedAddress(s.collateralFeed), deployer.feedAddress(s.loanFeed), collateral, loan] as const;
    const oracle = (await deployer.deployContract(projectArtifact("MorphoUsdFeedsOracle"), oracleArgs, GAS.deployLens)).address;
    const params = { loanToken: loan, collateralToken: collateral, oracle, irm, lltv: s.lltvWad };
    await send(p.market.encode("createMarket", [params]));
    m.morpho = { id: morphoMarketId(params), params };
    if (s.initialSupply > 0n) await send(p.market.encode("supply", [params, s.initialSupply, 0n, deployer.address, "0x"]));
  }
}

/** The Morpho market of a collateral/loan pair, with its `MarketParams`. */
function marketParams(protocol: WorldProtocol, collateral: string, loan: string) {
  return required(isolatedMarketOf(morphoOf(protocol), collateral, loan).morpho ?? undefined, `Morpho market ${collateral}/${loan}`).params;
}

export const morphoBlueDeployment: VenueDeployment = {
  deploy,
  seedAmounts: isolatedSeedAmounts,
  configure,
  looperLeg: (_p, name) => {
    // Refused when the scenario is read (scenario/realCode.ts): LeverageLooper calls liqsim's market only.
    throw new Error(`internal: a looper leg in ${name}, which runs on Morpho Blue`);
  },
  planBorrows: isolatedPlanBorrows,
  // Positions come from the borrowers' collateral and borrows (no venue-opened positions).
  openPositions: async () => {},
  supplyCollateral: async (deployer: Deployer, p: WorldProtocol, batch: CollateralBatch) => {
    const params = marketParams(p, batch.asset, batch.group.debt);
    for (const [k, account] of batch.accounts.entries()) {
      const data = morphoOf(p).market.encode("supplyCollateral", [params, required(batch.amounts[k], "amount"), account, "0x"]);
      await deployer.send(deployer.address, morphoOf(p).market.address, data, GAS.poolAction);
    }
  },
  borrow: async (deployer: Deployer, p: WorldProtocol, borrower: Address, group: BorrowerGroupSpec, b: PlannedBorrow) => {
    const params = marketParams(p, required(b.collateral ?? undefined, "borrow's market"), group.debt);
    // `borrow(marketParams, assets, shares, onBehalf, receiver)`: assets given, to the borrower itself.
    await deployer.send(borrower, morphoOf(p).market.address, morphoOf(p).market.encode("borrow", [params, b.amount, 0n, borrower, borrower]), GAS.poolAction);
  },
};
