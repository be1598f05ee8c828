/**
 * Set-up block 1: every contract the deployer owns, in one fixed order so every address follows from
 * its nonce: each asset's token and push feed, each protocol (its venue deploys it), the lenses, the
 * multicall, swap helper, gas burner and Uniswap V2 factory, and the atomic liquidators' contracts.
 */
import { venueOf } from "../venues";
import { accountAddress, ContractHandle, deployData, GAS, projectArtifact, uniswapArtifact, type Deployer, type LiquidatorAccount, type ProjectHandle, type World, type WorldProtocol } from "../world";
import type { Scenario } from "../scenario/types";

export interface DeployedContracts {
  protocols: Map<string, WorldProtocol>;
  lens: World["lens"];
  isolatedLens: World["isolatedLens"];
  multicall: World["multicall"];
  swapHelper: World["swapHelper"];
  gasBurner: World["gasBurner"];
  factory: ProjectHandle<"IUniswapV2Factory">;
  liquidators: LiquidatorAccount[];
}

async function deployAssets(d: Deployer, scenario: Scenario): Promise<void> {
  const erc20 = projectArtifact("MockERC20");
  const feedArtifact = projectArtifact("MockPriceFeed");
  for (const spec of scenario.assets) {
    const token = await d.deployContract(erc20, [spec.symbol, spec.symbol, spec.decimals, d.address], GAS.deployToken);
    const feed = await d.deployContract(feedArtifact, [8, `${spec.symbol} / USD`, spec.initialPriceE8, d.address], GAS.deployFeed);
    d.assets.set(spec.symbol, { spec, unit: 10n ** BigInt(spec.decimals), token, feed });
  }
}

async function deployLiquidators(d: Deployer, scenario: Scenario): Promise<LiquidatorAccount[]> {
  const atomicArtifact = projectArtifact("AtomicLiquidator");
  const morphoAtomicArtifact = projectArtifact("MorphoAtomicLiquidator");
  const aaveAtomicArtifact = projectArtifact("AaveAtomicLiquidator");
  // An atomic liquidator also gets a `MorphoAtomicLiquidator` when a protocol runs on the real Morpho Blue,
  // and an `AaveAtomicLiquidator` when one runs on the real Aave V3.6 (only then: a world of mocks keeps its addresses).
  const hasMorpho = scenario.protocols.some((p) => p.venue === "morpho-blue-1.0");
  const hasAave = scenario.protocols.some((p) => p.venue === "aave-v3.6");
  const liquidators: LiquidatorAccount[] = [];
  for (const spec of scenario.liquidators) {
    for (let i = 0; i < spec.count; i++) {
      const name = `${spec.name}#${i}`;
      const address = accountAddress(`liquidator/${name}`);
      const atomic = spec.atomicVia === null ? null : await d.deployContract(atomicArtifact, [address], GAS.deployLens);
      const morphoAtomic = spec.atomicVia === null || !hasMorpho ? null : await d.deployContract(morphoAtomicArtifact, [address], GAS.deployLens);
      const aaveAtomic = spec.atomicVia === null || !hasAave ? null : await d.deployContract(aaveAtomicArtifact, [address], GAS.deployLens);
      liquidators.push({ name, address, spec, atomic, morphoAtomic, aaveAtomic });
    }
  }
  return liquidators;
}

export async function deployContracts(d: Deployer, scenario: Scenario): Promise<DeployedContracts> {
  await deployAssets(d, scenario);
  const protocols = new Map<string, WorldProtocol>();
  for (const spec of scenario.protocols) protocols.set(spec.name, await venueOf(spec.venue).deploy(d, spec));
  const lens = await d.deployContract(projectArtifact("PoolLens"), [], GAS.deployLens);
  const isolatedLens = await d.deployContract(projectArtifact("IsolatedMarketLens"), [], GAS.deployLens);
  const multicall = await d.deployContract(projectArtifact("Multicall"), [], GAS.deployLens);
  const swapHelper = await d.deployContract(projectArtifact("SwapHelper"), [], GAS.deployLens);
  const gasBurner = await d.deployContract(projectArtifact("GasBurner"), [], GAS.deployLens);
  // Deployed from Uniswap's published build, called through our IUniswapV2Factory interface (typed).
  const factoryAddress = await d.deploy(deployData(uniswapArtifact("UniswapV2Factory"), [d.address]), GAS.deployFactory);
  const factory = new ContractHandle(factoryAddress, projectArtifact("IUniswapV2Factory").abi);
  const liquidators = await deployLiquidators(d, scenario);
  return { protocols, lens, isolatedLens, multicall, swapHelper, gasBurner, factory, liquidators };
}
