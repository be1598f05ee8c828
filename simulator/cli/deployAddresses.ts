/**
 * The addresses file `npm run deploy` writes (docs/deploy-format.md): every address of a deployed
 * world, the node block that is the world's block 0, each borrower's protocol and markets, and where
 * the ABIs of the contracts it names are.
 */
import path from "node:path";
import { venueOf } from "../venues";
import { artifactFile, type BorrowerAccount, type ProjectContract, type UniswapContract, type World } from "../world";

export const ADDRESSES_SCHEMA_VERSION = 2;

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** The contracts whose instances the addresses file names, each once. */
const NAMED_CONTRACTS: readonly (ProjectContract | UniswapContract)[] = [
  "MockERC20",
  "MockPriceFeed",
  "PooledLendingPool",
  "IsolatedLendingMarket",
  "PoolLens",
  "IsolatedMarketLens",
  "Multicall",
  "SwapHelper",
  "UniswapV2Pair",
  "UniswapV2SpotFeed",
  "UniswapV2TwapFeed",
  "AtomicLiquidator",
  "LeverageLooper",
];

/** Each named contract's build artifact (its `abi` field is the ABI), relative to the liqsim folder. */
export function artifactPaths(): Record<string, string> {
  return Object.fromEntries(NAMED_CONTRACTS.map((name) => [name, path.relative(PROJECT_ROOT, artifactFile(name)).split(path.sep).join("/")]));
}

/** A borrower, its protocol, and the pool or the isolated markets (one per collateral asset) it borrows from. */
function borrowerEntry(world: World, b: BorrowerAccount): Record<string, unknown> {
  const protocol = world.protocols.get(b.group.protocol);
  if (protocol === undefined) throw new Error(`internal: borrower group ${b.group.name}'s protocol ${b.group.protocol} missing`);
  const where = venueOf(protocol.spec.venue).borrowerAddresses(protocol, b);
  return { address: b.address, group: b.group.name, protocol: b.group.protocol, ...where, defensive: b.defensive };
}

/** The file's content for `world`, whose block 0 is the node's block `startBlock`. */
export function worldAddresses(world: World, startBlock: bigint): Record<string, unknown> {
  return {
    schemaVersion: ADDRESSES_SCHEMA_VERSION,
    scenario: world.scenario.name,
    chainId: world.chain.chainId,
    startBlock: startBlock.toString(),
    startTimestamp: world.startTimestamp.toString(),
    deployer: world.deployer,
    lens: world.lens.address,
    isolatedLens: world.isolatedLens.address,
    multicall: world.multicall.address,
    swapHelper: world.swapHelper.address,
    assets: Object.fromEntries([...world.assets].map(([s, a]) => [s, { token: a.token.address, feed: a.feed.address, decimals: a.spec.decimals }])),
    protocols: Object.fromEntries(
      [...world.protocols].map(([n, p]) => [n, venueOf(p.spec.venue).addresses(p)]),
    ),
    oracles: Object.fromEntries([...world.oracles].map(([n, o]) => [n, { type: o.spec.type, feed: o.feed.address, amm: o.spec.amm, asset: o.spec.asset }])),
    amms: Object.fromEntries([...world.amms].map(([n, a]) => [n, { pair: a.pair.address, token0: a.token0, token1: a.token1 }])),
    borrowers: world.borrowers.map((b) => borrowerEntry(world, b)),
    liquidators: world.liquidators.map((l) => ({ name: l.name, address: l.address, ...(l.atomic ? { atomicLiquidator: l.atomic.address } : {}), ...(l.morphoAtomic ? { morphoAtomicLiquidator: l.morphoAtomic.address } : {}), ...(l.aaveAtomic ? { aaveAtomicLiquidator: l.aaveAtomic.address } : {}) })),
    arbitrageurs: world.arbitrageurs.map((a) => ({ name: a.name, address: a.address })),
    loopers: world.loopers.map((l) => ({ name: l.name, owner: l.address, vault: l.vault.address, legs: l.spec.legs })),
    artifacts: artifactPaths(),
  };
}
