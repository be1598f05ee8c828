/**
 * Set-up block 3: the AMMs seeded, the AMM-read feeds deployed on them, every protocol's reserves or
 * markets listed on their feeds and seeded (its venue's `configure`), then the borrowers' collateral put
 * up through a `BulkSupplier` (one transaction per batch; all sent by the deployer, so in this order).
 */
import type { Scenario } from "../scenario/types";
import { venueOf } from "../venues";
import { ContractHandle, GAS, projectArtifact, required, type BorrowerAccount, type Deployer, type WorldAmm } from "../world";
import type { DeployedContracts } from "./contracts";
import { supplyBatches, type PlannedPosition } from "./positions";

/** Borrowers whose collateral one `BulkSupplier` transaction puts up. */
const POSITIONS_PER_SUPPLY_BATCH = 125;

export async function seedAmms(d: Deployer, scenario: Scenario, factory: DeployedContracts["factory"]): Promise<Map<string, WorldAmm>> {
  // Uniswap's pair, called through our IUniswapV2Pair interface (typed).
  const pairArtifact = projectArtifact("IUniswapV2Pair");
  const amms = new Map<string, WorldAmm>();
  for (const spec of scenario.amms) {
    const a = d.asset(spec.tokenA);
    const b = d.asset(spec.tokenB);
    const pairAddress = await factory.read(d.chain, "getPair", [a.token.address, b.token.address]);
    const pair = new ContractHandle(pairAddress, pairArtifact.abi);
    const aIsToken0 = a.token.address.toLowerCase() < b.token.address.toLowerCase();
    amms.set(spec.name, { spec, pair, token0: aIsToken0 ? spec.tokenA : spec.tokenB, token1: aIsToken0 ? spec.tokenB : spec.tokenA });
    await d.send(d.address, a.token.address, a.token.encode("transfer", [pairAddress, spec.reserveA]), GAS.setup);
    await d.send(d.address, b.token.address, b.token.encode("transfer", [pairAddress, spec.reserveB]), GAS.setup);
    await d.send(d.address, pairAddress, pair.encode("mint", [d.address]), GAS.setup);
  }
  return amms;
}

/** The feeds that read an AMM (spot or TWAP), priced in the pair's other token times its push feed; kept in `d.oracles`. */
export async function deployAmmFeeds(d: Deployer, scenario: Scenario, amms: ReadonlyMap<string, WorldAmm>): Promise<void> {
  for (const spec of scenario.oracles) {
    const amm = required(amms.get(spec.amm), `amm ${spec.amm}`);
    const base = d.asset(spec.asset).token.address;
    const quoteFeed = d.asset(spec.quote).feed.address;
    const description = `${spec.asset} / USD (${spec.type === "ammSpot" ? "spot" : `${spec.windowSeconds}s TWAP`} of ${spec.amm})`;
    // One call per feed contract: a union of two ABIs cannot type constructor arguments.
    const feed =
      spec.type === "ammSpot"
        ? await d.deployContract(projectArtifact("UniswapV2SpotFeed"), [amm.pair.address, base, quoteFeed, description], GAS.deployFeed)
        : await d.deployContract(projectArtifact("UniswapV2TwapFeed"), [amm.pair.address, base, quoteFeed, spec.windowSeconds, description], GAS.deployFeed);
    d.oracles.set(spec.name, { spec, feed });
  }
}

export async function configureProtocols(d: Deployer, contracts: DeployedContracts): Promise<void> {
  for (const p of contracts.protocols.values()) await venueOf(p.spec.venue).configure(d, p);
}

/** The borrowers' collateral, batch by batch, each through its protocol's venue. */
export async function supplyCollateral(d: Deployer, contracts: DeployedContracts, positions: readonly PlannedPosition[], borrowers: readonly BorrowerAccount[]): Promise<void> {
  if (positions.length === 0) return;
  // Deployed after every other contract of the deployer's, so that no address moves.
  const bulkSupplier = await d.deployContract(projectArtifact("BulkSupplier"), [], GAS.deployLens);
  for (const symbol of new Set(positions.flatMap((pos) => pos.collateral.map((c) => c.asset)))) await d.approve(d.address, symbol, bulkSupplier.address);
  const roomInBlock3 = d.blockRoom(3n, true);
  for (const batch of supplyBatches(positions, Math.min(POSITIONS_PER_SUPPLY_BATCH, d.blockPositions))) {
    const p = required(contracts.protocols.get(batch.group.protocol), "protocol");
    const accounts = batch.indexes.map((i) => required(borrowers[i], "borrower").address);
    const amounts = batch.indexes.map((i) => required(required(positions[i], "position").collateral.find((c) => c.asset === batch.asset), "collateral").amount);
    await roomInBlock3(accounts.length);
    await venueOf(p.spec.venue).supplyCollateral(d, p, { bulkSupplier, group: batch.group, asset: batch.asset, accounts, amounts });
  }
}
