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
/**
 * The same on anvil, which keeps no traces (Hardhat's reason for small blocks). Anvil 1.7 rebuilds its
 * whole state trie for every block (at 20,000 borrowers about 60 ms a block, growing with the world)
 * and builds a block's receipts in time square in its transactions (0.7 µs per pair: 4 s for a block
 * of 2,500 borrows), so the best block grows as the square root of the world; 500 is the measured
 * compromise for 10,000-100,000 borrowers (and `Deployer.blockRoom` lets batched supplies fill ten
 * times that). No time passes between set-up blocks, so the world at block 0 is the same.
 */
const ANVIL_POSITIONS_PER_SETUP_BLOCK = 500;

export interface DeployWorldOptions {
  /**
   * Most borrowers whose set-up transactions share a block, where the chain mines blocks at one
   * timestamp (default 250, on anvil 500; tests make it small to split a small world).
   */
  positionsPerBlock?: number;
}

export async function deployWorld(chain: Chain, scenario: Scenario, options: DeployWorldOptions = {}): Promise<World> {
  const positionsPerBlock = options.positionsPerBlock ?? (chain.flavor === "anvil" ? ANVIL_POSITIONS_PER_SETUP_BLOCK : POSITIONS_PER_SETUP_BLOCK);
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
