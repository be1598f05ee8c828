/**
 * Deploys the real Morpho Blue 1.0.0 (compiled from `@morpho-org/morpho-blue`) beside liqsim's tokens
 * and feeds, and creates markets: each with a `MorphoUsdFeedsOracle` over its two USD feeds (the price
 * liqsim's `IsolatedLendingMarket` derives) and a `MorphoKinkedRateIrm` on its kinked curve (one per
 * distinct curve). The transactor's account owns Morpho and enables each LLTV and IRM it needs.
 */
import { encodeDeployData, type Address } from "viem";
import type { IsolatedLendingMarketMath } from "../../math";
import { ContractHandle, morphoBlueArtifact, morphoBlueCallsAbi, morphoMarketId, type MorphoBlueHandle, type MorphoMarketDeployment, type MorphoMarketParams } from "../../world";
import { adapterArtifact } from "../adapterArtifact";
import { deployContract, readView, type RealTransactor } from "../realTransactor";

const DEPLOY_GAS = 6_000_000n;
const CALL_GAS = 1_000_000n;

export { morphoBlueAbi, morphoMarketId, type MorphoMarketDeployment, type MorphoMarketParams } from "../../world";

/** One market: its tokens and USD feeds (8 decimals), LLTV and rate curve (annual, WAD). */
export interface MorphoMarketInput extends IsolatedLendingMarketMath.MarketRateParams {
  loanToken: Address;
  collateralToken: Address;
  loanFeed: Address;
  collateralFeed: Address;
  lltvWad: bigint;
}

export interface MorphoBlueDeployment {
  /** Morpho with its whole ABI, untyped: a test may call or read any of its functions (`accrueInterest`, `owner`, ...). */
  morpho: ContractHandle;
  markets: MorphoMarketDeployment[];
}

/** Deploys Morpho Blue and creates `markets`, in order. */
export async function deployMorphoBlue(tx: RealTransactor, markets: readonly MorphoMarketInput[]): Promise<MorphoBlueDeployment> {
  const artifact = morphoBlueArtifact();
  const address = await deployContract(tx, encodeDeployData({ ...artifact, args: [tx.from] }), DEPLOY_GAS);
  // The set-up's own calls are typed by our interface of Morpho (world/realAbis.ts).
  const morpho = new ContractHandle(address, morphoBlueCallsAbi());
  const irms = new Map<string, Address>();
  const deployed: MorphoMarketDeployment[] = [];
  for (const m of markets) {
    const params: MorphoMarketParams = {
      loanToken: m.loanToken,
      collateralToken: m.collateralToken,
      oracle: await deployContract(tx, encodeDeployData({ ...adapterArtifact("MorphoUsdFeedsOracle"), args: [m.collateralFeed, m.loanFeed, m.collateralToken, m.loanToken] }), DEPLOY_GAS),
      irm: await irmFor(tx, morpho, irms, m),
      lltv: m.lltvWad,
    };
    if (!(await readView(tx, morpho, "isLltvEnabled", [m.lltvWad]))) {
      await tx.send({ to: morpho.address, data: morpho.encode("enableLltv", [m.lltvWad]), gas: CALL_GAS });
    }
    await tx.send({ to: morpho.address, data: morpho.encode("createMarket", [params]), gas: CALL_GAS });
    deployed.push({ id: morphoMarketId(params), params });
  }
  return { morpho: new ContractHandle(address, artifact.abi), markets: deployed };
}

/** The IRM of `curve`: deployed and enabled the first time a market needs it. */
async function irmFor(tx: RealTransactor, morpho: MorphoBlueHandle, irms: Map<string, Address>, curve: IsolatedLendingMarketMath.MarketRateParams): Promise<Address> {
  const key = [curve.baseRateWad, curve.slope1Wad, curve.slope2Wad, curve.optimalUtilizationWad].join(",");
  const known = irms.get(key);
  if (known) return known;
  const args = [curve.baseRateWad, curve.slope1Wad, curve.slope2Wad, curve.optimalUtilizationWad];
  const irm = await deployContract(tx, encodeDeployData({ ...adapterArtifact("MorphoKinkedRateIrm"), args }), DEPLOY_GAS);
  await tx.send({ to: morpho.address, data: morpho.encode("enableIrm", [irm]), gas: CALL_GAS });
  irms.set(key, irm);
  return irm;
}
