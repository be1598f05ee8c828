/**
 * Deploys a scenario's world and opens its positions, deterministically: every account is derived
 * from a label, every contract address from its deployer's nonce, and every set-up block is mined at
 * an explicit timestamp, ending with block 0 at the scenario's start (`world/deployer.ts`).
 *
 * A staged plan on the shared `Deployer`; each protocol's part is its venue's (`venueOf(kind)`):
 *  (1) tokens and push feeds, each protocol's contracts, lenses, Uniswap factory, swap helper and
 *      atomic liquidators (`contracts.ts`);
 *  (2) pairs created, loopers' vaults, every account funded and approved (`accounts.ts`);
 *  (3) AMMs seeded, AMM-read feeds, each protocol's reserves or markets listed and seeded, borrowers'
 *      collateral put up (`markets.ts`);
 *  (4 = block 0) loopers' deposits, each protocol's own positions (a perp exchange's traders'), then the
 *      borrows, each the borrower's own transaction.
 */
import type { Chain } from "../chain";
import type { Scenario } from "../scenario/types";
import { venueOf } from "../venues";
import { Deployer, GAS, required, type BorrowerAccount, type World } from "../world";
import { createPairs, deployLoopers, fundBorrowers, fundDeployer, fundTraders } from "./accounts";
import { deployContracts, type DeployedContracts } from "./contracts";
import { configureProtocols, deployAmmFeeds, seedAmms, supplyCollateral } from "./markets";
import { planPositions, type PlannedPosition } from "./positions";

/** Borrowers whose set-up transactions share a block by default (see `world/deployer.ts`). */
const POSITIONS_PER_SETUP_BLOCK = 250;

export interface DeployWorldOptions {
  /**
   * Most borrowers whose set-up transactions share a block, where the chain mines blocks at one
   * timestamp (default 250; tests make it small to split a small world).
   */
  positionsPerBlock?: number;
}

export async function deployWorld(chain: Chain, scenario: Scenario, options: DeployWorldOptions = {}): Promise<World> {
  const positionsPerBlock = options.positionsPerBlock ?? POSITIONS_PER_SETUP_BLOCK;
  if (!Number.isInteger(positionsPerBlock) || positionsPerBlock < 1) throw new RangeError(`positionsPerBlock must be an integer >= 1, got ${positionsPerBlock}`);
  const d = await Deployer.start(chain, scenario.startTimestamp, positionsPerBlock);

  const contracts = await deployContracts(d, scenario);
  await d.mine(1n);

  await createPairs(d, scenario, contracts.factory);
  const positions = planPositions(scenario, (symbol) => d.asset(symbol));
  const loopers = await deployLoopers(d, scenario, contracts);
  await fundDeployer(d, scenario, contracts, positions);
  const borrowers = await fundBorrowers(d, contracts, positions);
  const { spammer, arbitrageurs } = await fundTraders(d, scenario, contracts);
  await d.mine(2n);

  const amms = await seedAmms(d, scenario, contracts.factory);
  await deployAmmFeeds(d, scenario, amms);
  await configureProtocols(d, contracts);
  await supplyCollateral(d, contracts, positions, borrowers);
  await d.mine(3n);

  for (const l of loopers) {
    const leg = required(l.legs[0], "first leg");
    await d.send(l.address, l.vault.address, l.vault.encode("deposit", [{ kind: leg.kind, protocol: leg.address, marketId: leg.marketId }, l.deposit]), GAS.poolAction);
  }
  for (const p of contracts.protocols.values()) await venueOf(p.spec.type).openPositions(d, p, `protocols[${scenario.protocols.findIndex((x) => x.name === p.spec.name)}]`);
  await openBorrows(d, contracts, positions, borrowers);
  await d.mine(4n);

  await chain.setBlockGasLimit(scenario.blockGasLimit);
  const { protocols, lens, isolatedLens, multicall, swapHelper, gasBurner, liquidators } = contracts;
  return {
    chain,
    scenario,
    deployer: d.address,
    assets: d.assets,
    protocols,
    amms,
    oracles: d.oracles,
    lens,
    isolatedLens,
    multicall,
    swapHelper,
    gasBurner,
    spammer,
    borrowers,
    liquidators,
    arbitrageurs,
    loopers,
    startTimestamp: d.startTimestamp,
  };
}

/** Block 0: every planned borrow, each the borrower's own transaction through its protocol's venue. */
async function openBorrows(d: Deployer, contracts: DeployedContracts, positions: readonly PlannedPosition[], borrowers: readonly BorrowerAccount[]): Promise<void> {
  const roomInBlock4 = d.blockRoom(4n);
  for (const [i, pos] of positions.entries()) {
    const p = required(contracts.protocols.get(pos.group.protocol), "protocol");
    const borrower = required(borrowers[i], "borrower").address;
    for (const b of pos.borrows) {
      if (b.amount === 0n) continue;
      await roomInBlock4(1);
      await venueOf(p.spec.venue).borrow(d, p, borrower, pos.group, b);
    }
  }
}
