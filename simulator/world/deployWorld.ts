/**
 * Deploys a scenario's world and opens its positions, deterministically: every account is derived
 * from a label, every contract address from its deployer's nonce, and every set-up block is mined at
 * an explicit timestamp, ending with block 0 at the scenario's start.
 *
 * Set-up blocks: (1) deploy tokens, push feeds, pools, isolated-market singletons, lenses, Uniswap
 * factory, swap helper and atomic liquidators; (2) create pairs, mint and approve; (3) seed the AMMs,
 * deploy the AMM-read feeds, list reserves and create markets, seed liquidity, then put up the
 * borrowers' collateral through a `BulkSupplier` (one transaction per batch of borrowers; all sent by
 * the deployer, so they run in this order); (4 = block 0) open the borrows, each the borrower's own
 * transaction.
 *
 * A large world's phases 2-4 are mined as several blocks at the phase's timestamp, with at most 250
 * borrowers' transactions in each (`positionsPerBlock`), when the chain mines blocks at one timestamp:
 * Hardhat's network hands back a trace of every EVM step of a block's transactions when it mines the
 * block, so its memory peak grows with the block (about 2 MB per borrow). No time passes between
 * blocks at one timestamp, so positions, interest and prices come out as from one block.
 */
import { encodePacked, getContractAddress, keccak256, toBytes, type Address, type Hex } from "viem";
import type { Chain } from "../chain";
import { IsolatedLendingMarketMath as IM, MAX_UINT256, WAD, mulDivDown, wDivDown, wMulDown, min, Rng } from "../math";
import type {
  AmmOracleSpec,
  AmmSpec,
  AssetSpec,
  BorrowerGroupSpec,
  IsolatedMarketSpec,
  IsolatedProtocolSpec,
  LiquidatorGroupSpec,
  LooperGroupSpec,
  PooledProtocolSpec,
  Scenario,
} from "../scenario/types";
import { ContractHandle, deployData, projectArtifact, uniswapArtifact } from "./contracts";
import { GAS } from "./gas";
import { morphoBlueArtifact, morphoMarketId, type MorphoMarketDeployment, type MorphoMarketParams } from "./morphoBlue";

const SETUP_BLOCKS = 4n;
const SETUP_BLOCK_GAS_LIMIT = 2_000_000_000n;
/** Borrowers whose set-up transactions share a block by default (see the module's comment). */
const POSITIONS_PER_SETUP_BLOCK = 250;
/** Borrowers whose collateral one `BulkSupplier` transaction puts up. */
const POSITIONS_PER_SUPPLY_BATCH = 125;
const AGENT_ETH = 10n ** 24n;
const SETUP_PRIORITY_FEE = 1n;

export interface WorldAsset {
  spec: AssetSpec;
  unit: bigint;
  token: ContractHandle;
  feed: ContractHandle;
}

export interface WorldPooledProtocol {
  kind: "pooled";
  spec: PooledProtocolSpec;
  /** The contract users and keepers call: the pool. */
  contract: ContractHandle;
  pool: ContractHandle;
  /** Asset symbols in the pool's reserve order. */
  reserveOrder: string[];
}

export interface WorldIsolatedMarket {
  /** The market id in the singleton (creation order). */
  id: bigint;
  /** `collateral/loan`. */
  key: string;
  spec: IsolatedMarketSpec;
  /** The market in the real Morpho Blue (its id and `MarketParams`); null on liqsim's `IsolatedLendingMarket`. */
  morpho: MorphoMarketDeployment | null;
}

export interface WorldIsolatedProtocol {
  kind: "isolated";
  spec: IsolatedProtocolSpec;
  /** The contract users and keepers call: the `IsolatedLendingMarket` singleton. */
  contract: ContractHandle;
  /** The `IsolatedLendingMarket` singleton holding all the protocol's markets (the real Morpho Blue's, `spec.venue` morpho-blue-1.0). */
  market: ContractHandle;
  markets: WorldIsolatedMarket[];
  /** The `MorphoBlueLens` that reads the real Morpho Blue; null on liqsim's market (read by the world's `isolatedLens`). */
  morphoLens: ContractHandle | null;
}

/** A pooled protocol run by the real Aave V3.6 (`implementation: "aave-v3.6"`; simulator/venues/aave-v3/). */
export interface WorldAaveProtocol {
  kind: "aave-v3.6";
  spec: PooledProtocolSpec;
  /** The pool proxy: users and keepers call it, its logs are the protocol's (its ABI has the logic libraries' events). */
  contract: ContractHandle;
  pool: ContractHandle;
  oracle: ContractHandle;
  /** liqsim's `AaveV3Lens` over this pool. */
  lens: ContractHandle;
  /** Receives the liquidation protocol fee (as aTokens) and the reserve factor. */
  treasury: Address;
  /** Asset symbols in the pool's reserve order (its reserve ids). */
  reserveOrder: string[];
  /** Per reserve, in that order: the aToken and the variable-debt token. */
  tokens: { aToken: Address; variableDebtToken: Address }[];
}

export type WorldProtocol = WorldPooledProtocol | WorldIsolatedProtocol | WorldAaveProtocol;

/** The contract a protocol's users and liquidators call. */
export function protocolContract(p: WorldProtocol): ContractHandle {
  return p.contract;
}

/** A feed that reads an AMM (`scenario.oracles`). */
export interface WorldOracle {
  spec: AmmOracleSpec;
  feed: ContractHandle;
}

export interface WorldAmm {
  spec: AmmSpec;
  pair: ContractHandle;
  /** Symbols of the pair's token0 and token1 (Uniswap sorts by address). */
  token0: string;
  token1: string;
}

export interface BorrowerAccount {
  address: Address;
  group: BorrowerGroupSpec;
  /** Whether this borrower defends the position (see `BorrowerGroupSpec.defensive`). */
  defensive: boolean;
}

export interface LiquidatorAccount {
  /** `<group>#<index>` */
  name: string;
  address: Address;
  spec: LiquidatorGroupSpec;
  /** Its `AtomicLiquidator` contract when the group liquidates atomically (`atomicVia`). */
  atomic: ContractHandle | null;
  /** Its `MorphoAtomicLiquidator`, when it liquidates atomically and a protocol runs on the real Morpho Blue. */
  morphoAtomic: ContractHandle | null;
}

/** One leg of a looper's vault: the `Leg` struct of LeverageLooper.sol and the protocol it names. */
export interface LooperLeg {
  protocol: string;
  /** 0: pooled, 1: isolated (LeverageLooper's kinds). */
  kind: 0 | 1;
  address: Address;
  /** The isolated market's id (0 for pooled). */
  marketId: bigint;
}

export interface LooperAccount {
  /** `<group>#<index>` */
  name: string;
  /** The owner (an EOA) that sends the steps. */
  address: Address;
  /** Its `LeverageLooper` vault: the account that holds the positions. */
  vault: ContractHandle;
  spec: LooperGroupSpec;
  legs: LooperLeg[];
  /** Collateral deposited into the first leg at block 0, native units. */
  deposit: bigint;
}

export interface ArbitrageurAccount {
  name: string;
  address: Address;
  amm: string;
  minGapBps: number;
}

export interface World {
  chain: Chain;
  scenario: Scenario;
  deployer: Address;
  assets: Map<string, WorldAsset>;
  protocols: Map<string, WorldProtocol>;
  amms: Map<string, WorldAmm>;
  oracles: Map<string, WorldOracle>;
  lens: ContractHandle;
  /** Batch reads of isolated markets. */
  isolatedLens: ContractHandle;
  /** Batches the observer's views into one `eth_call` per block. */
  multicall: ContractHandle;
  swapHelper: ContractHandle;
  gasBurner: ContractHandle;
  /** Sends the congestion events' block-filling transactions. */
  spammer: Address;
  borrowers: BorrowerAccount[];
  liquidators: LiquidatorAccount[];
  arbitrageurs: ArbitrageurAccount[];
  loopers: LooperAccount[];
  /** Timestamp of block 0. */
  startTimestamp: bigint;
}

/** A deterministic account address for `label` (impersonated on the dev chain). */
export function accountAddress(label: string): Address {
  return `0x${keccak256(toBytes(`liqsim/${label}`)).slice(-40)}` as Address;
}

function req<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`internal: ${what} missing`);
  return value;
}

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
  const latest = await chain.latestBlock();
  // The chain cannot go back in time: start at the scenario's timestamp, or right after the chain's present.
  const startTimestamp =
    latest.timestamp + SETUP_BLOCKS < scenario.startTimestamp ? scenario.startTimestamp : latest.timestamp + SETUP_BLOCKS + 1n;
  const setupTime = (phase: bigint) => startTimestamp - SETUP_BLOCKS + phase;

  await chain.setAutomine(false);
  await chain.setBlockGasLimit(SETUP_BLOCK_GAS_LIMIT);
  await chain.setNextBaseFee(0n);

  const deployer = accountAddress("deployer");
  await chain.fundAccount(deployer, AGENT_ETH);
  // Agents' accounts send transactions only in a world the deployer set up, so while the deployer has
  // sent none on this chain (a fresh chain, or one reverted to before a world), neither has any of
  // them: their nonces are 0, not asked of the node one by one. Otherwise (a node that already holds
  // a world, e.g. a second `npm run deploy`) each account's nonce is read.
  const freshNonce = chain.nonceOf(deployer) === 0 ? 0 : undefined;
  const fundAgent = (address: Address) => chain.fundAccount(address, AGENT_ETH, freshNonce);
  const splitBlocks = await chain.minesBlocksAtSameTimestamp();
  const send = (from: Address, to: Address | undefined, data: Hex, gas: bigint) =>
    chain.send({ from, ...(to ? { to } : {}), data, gas, priorityFeeWei: SETUP_PRIORITY_FEE, maxFeeWei: 10n ** 12n });
  const deploy = async (data: Hex, gas: bigint): Promise<Address> => {
    const address = getContractAddress({ from: deployer, nonce: BigInt(chain.nonceOf(deployer)) });
    await send(deployer, undefined, data, gas);
    return address;
  };
  const mineSetup = async (phase: bigint) => {
    const { mined, dropped } = await chain.mine(setupTime(phase));
    const failed = mined.filter((r) => r.status !== "success");
    if (failed.length > 0 || dropped.length > 0) {
      throw new Error(`world set-up block ${phase}: ${failed.length} transaction(s) reverted, ${dropped.length} not mined`);
    }
  };
  /** Before `positions` more borrowers' transactions of `phase`: mines the block so far if they would overfill it. */
  const blockRoom = (phase: bigint) => {
    let inBlock = 0;
    return async (positions: number) => {
      if (splitBlocks && inBlock > 0 && inBlock + positions > positionsPerBlock) {
        await mineSetup(phase);
        inBlock = 0;
      }
      inBlock += positions;
    };
  };

  // ---- 1: deploy
  const erc20 = projectArtifact("MockERC20");
  const feedArtifact = projectArtifact("MockPriceFeed");
  // Aave 3.3+'s deficit instead of the reserves-then-suppliers haircut is a contract of its own (same pool code).
  const poolArtifacts = { haircut: projectArtifact("PooledLendingPool"), deficit: projectArtifact("PooledLendingPoolDeficit") };
  const marketArtifact = projectArtifact("IsolatedLendingMarket");
  const assets = new Map<string, WorldAsset>();
  for (const spec of scenario.assets) {
    const token = await deploy(deployData(erc20, [spec.symbol, spec.symbol, spec.decimals, deployer]), GAS.deployToken);
    const feed = await deploy(
      deployData(feedArtifact, [8, `${spec.symbol} / USD`, spec.initialPriceE8, deployer]),
      GAS.deployFeed,
    );
    assets.set(spec.symbol, {
      spec,
      unit: 10n ** BigInt(spec.decimals),
      token: new ContractHandle(token, erc20.abi),
      feed: new ContractHandle(feed, feedArtifact.abi),
    });
  }
  const asset = (symbol: string) => req(assets.get(symbol), `asset ${symbol}`);
  // The real protocols deploy through their venues (simulator/venues/aave-v3/deployment.ts).
  const protocols = new Map<string, WorldPooledProtocol | WorldIsolatedProtocol>();
  for (const spec of scenario.protocols) {
    if (spec.type === "isolated") {
      const artifact = spec.venue === "morpho-blue-1.0" ? morphoBlueArtifact() : marketArtifact;
      const market = await deploy(deployData(artifact, [deployer]), GAS.deployMarket);
      const markets = spec.markets.map((m, i) => ({ id: BigInt(i), key: `${m.collateral}/${m.loan}`, spec: m, morpho: null }));
      const handle = new ContractHandle(market, artifact.abi);
      const lensArtifact = projectArtifact("MorphoBlueLens");
      const morphoLens = spec.venue === "morpho-blue-1.0" ? new ContractHandle(await deploy(deployData(lensArtifact), GAS.deployLens), lensArtifact.abi) : null;
      protocols.set(spec.name, { kind: "isolated", spec, contract: handle, market: handle, markets, morphoLens });
      continue;
    }
    const l = spec.liquidation;
    const poolArtifact = poolArtifacts[spec.badDebt];
    const pool = await deploy(
      deployData(poolArtifact, [
        deployer,
        {
          closeFactorWad: l.closeFactorWad,
          closeFactorHfThresholdWad: l.closeFactorHfThresholdWad,
          closeFactorDustUsd: l.closeFactorDustUsdE8,
          minLeftoverUsd: l.minLeftoverUsdE8,
          liquidationsAcceptStalePrice: l.liquidationsAcceptStalePrice,
        },
      ]),
      GAS.deployPool,
    );
    const handle = new ContractHandle(pool, poolArtifact.abi);
    protocols.set(spec.name, {
      kind: "pooled",
      spec,
      contract: handle,
      pool: handle,
      reserveOrder: spec.reserves.map((r) => r.asset),
    });
  }
  const lensArtifact = projectArtifact("PoolLens");
  const lens = new ContractHandle(await deploy(deployData(lensArtifact), GAS.deployLens), lensArtifact.abi);
  const isolatedLensArtifact = projectArtifact("IsolatedMarketLens");
  const isolatedLens = new ContractHandle(await deploy(deployData(isolatedLensArtifact), GAS.deployLens), isolatedLensArtifact.abi);
  const multicallArtifact = projectArtifact("Multicall");
  const multicall = new ContractHandle(await deploy(deployData(multicallArtifact), GAS.deployLens), multicallArtifact.abi);
  const swapArtifact = projectArtifact("SwapHelper");
  const swapHelper = new ContractHandle(await deploy(deployData(swapArtifact), GAS.deployLens), swapArtifact.abi);
  const burnerArtifact = projectArtifact("GasBurner");
  const gasBurner = new ContractHandle(await deploy(deployData(burnerArtifact), GAS.deployLens), burnerArtifact.abi);
  const factoryArtifact = uniswapArtifact("UniswapV2Factory");
  const factory = new ContractHandle(await deploy(deployData(factoryArtifact, [deployer]), GAS.deployFactory), factoryArtifact.abi);
  const atomicArtifact = projectArtifact("AtomicLiquidator");
  const morphoAtomicArtifact = projectArtifact("MorphoAtomicLiquidator");
  const hasMorpho = scenario.protocols.some((p) => p.venue === "morpho-blue-1.0");
  const liquidators: LiquidatorAccount[] = [];
  for (const spec of scenario.liquidators) {
    for (let i = 0; i < spec.count; i++) {
      const name = `${spec.name}#${i}`;
      const address = accountAddress(`liquidator/${name}`);
      const atomic =
        spec.atomicVia === null
          ? null
          : new ContractHandle(await deploy(deployData(atomicArtifact, [address]), GAS.deployLens), atomicArtifact.abi);
      const morphoAtomic =
        spec.atomicVia === null || !hasMorpho
          ? null
          : new ContractHandle(await deploy(deployData(morphoAtomicArtifact, [address]), GAS.deployLens), morphoAtomicArtifact.abi);
      liquidators.push({ name, address, spec, atomic, morphoAtomic });
    }
  }
  await mineSetup(1n);

  // ---- 2: create pairs, mint and approve
  for (const spec of scenario.amms) {
    await send(deployer, factory.address, factory.encode("createPair", [asset(spec.tokenA).token.address, asset(spec.tokenB).token.address]), GAS.createPair);
  }
  const mint = (symbol: string, to: Address, amount: bigint) =>
    amount > 0n ? send(deployer, asset(symbol).token.address, asset(symbol).token.encode("mint", [to, amount]), GAS.setup) : undefined;
  const approve = (from: Address, symbol: string, spender: Address) =>
    send(from, asset(symbol).token.address, asset(symbol).token.encode("approve", [spender, MAX_UINT256]), GAS.setup);
  const spenders = [...protocols.values()].map((p) => protocolContract(p).address);

  // The deployer is the passive liquidity provider and the source of borrowers' collateral.
  const rng = new Rng(scenario.seed).fork("borrowers");
  const feedPrice = initialFeedPrices(scenario);
  const positions = planPositions(scenario, rng, (s) => asset(s), feedPrice);
  const deployerNeeds = new Map<string, bigint>();
  const need = (symbol: string, amount: bigint) => deployerNeeds.set(symbol, (deployerNeeds.get(symbol) ?? 0n) + amount);
  for (const p of protocols.values()) {
    if (p.kind === "pooled") for (const r of p.spec.reserves) need(r.asset, r.initialSupply + r.initialReserves);
    else for (const m of p.spec.markets) need(m.loan, m.initialSupply);
  }
  for (const a of scenario.amms) {
    need(a.tokenA, a.reserveA);
    need(a.tokenB, a.reserveB);
  }
  // Loopers' vaults need their pair, created in this block: deploy them after it.
  const looperArtifact = projectArtifact("LeverageLooper");
  const loopers: LooperAccount[] = [];
  const looperRng = new Rng(scenario.seed).fork("loopers");
  for (const spec of scenario.loopers) {
    const groupRng = looperRng.fork(spec.name);
    const c = asset(spec.collateral);
    const amm = req(scenario.amms.find((a) => a.name === spec.amm), `amm ${spec.amm}`);
    const pairAddress = pairAddressOf(factory.address, asset(amm.tokenA).token.address, asset(amm.tokenB).token.address);
    for (let i = 0; i < spec.count; i++) {
      const name = `${spec.name}#${i}`;
      const address = accountAddress(`looper/${name}`);
      await fundAgent(address);
      const vault = await deploy(deployData(looperArtifact, [address, c.token.address, asset(spec.debt).token.address, pairAddress]), GAS.deployPool);
      const legs = spec.legs.map((protocol): LooperLeg => {
        const p = req(protocols.get(protocol), `protocol ${protocol}`);
        if (p.spec.venue === "morpho-blue-1.0") throw new Error(`loopers ${spec.name}: leg ${protocol} runs on morpho-blue-1.0, which LeverageLooper cannot call`);
        return p.kind === "pooled"
          ? { protocol, kind: 0, address: p.pool.address, marketId: 0n }
          : { protocol, kind: 1, address: p.market.address, marketId: isolatedMarketOf(p, spec.collateral, spec.debt).id };
      });
      const deposit = mulDivDown(groupRng.bigIntBetween(spec.depositUsdE8.min, spec.depositUsdE8.max), c.unit, c.spec.initialPriceE8);
      loopers.push({ name, address, vault: new ContractHandle(vault, looperArtifact.abi), spec, legs, deposit });
      await mint(spec.collateral, address, deposit);
      await approve(address, spec.collateral, vault);
    }
  }
  for (const pos of positions) for (const c of pos.collateral) need(c.asset, c.amount);
  for (const [symbol, amount] of deployerNeeds) await mint(symbol, deployer, amount);
  for (const spender of spenders) for (const symbol of assets.keys()) await approve(deployer, symbol, spender);

  const borrowers: BorrowerAccount[] = [];
  const roomInBlock2 = blockRoom(2n);
  for (const [i, pos] of positions.entries()) {
    const address = accountAddress(`borrower/${pos.group.name}/${i}`);
    await fundAgent(address);
    borrowers.push({ address, group: pos.group, defensive: pos.defensive });
    if (pos.defensive) {
      await roomInBlock2(1);
      // A defender keeps a buffer in its wallet: its whole debt (to repay) and as much collateral again.
      await mint(pos.group.debt, address, pos.borrows.reduce((sum, b) => sum + b.amount, 0n));
      for (const c of pos.collateral) await mint(c.asset, address, c.amount);
      const spender = protocolContract(req(protocols.get(pos.group.protocol), "protocol")).address;
      await approve(address, pos.group.debt, spender);
      for (const c of pos.collateral) await approve(address, c.asset, spender);
    }
  }
  for (const l of liquidators) {
    await fundAgent(l.address);
    for (const c of l.spec.capital) await mint(c.asset, l.address, c.amount);
    for (const symbol of assets.keys()) {
      for (const spender of spenders) await approve(l.address, symbol, spender);
      await approve(l.address, symbol, swapHelper.address);
    }
  }
  const spammer = accountAddress("spammer");
  await fundAgent(spammer);
  const arbitrageurs: ArbitrageurAccount[] = [];
  for (const spec of scenario.arbitrageurs) {
    const amm = req(scenario.amms.find((a) => a.name === spec.amm), `amm ${spec.amm}`);
    const address = accountAddress(`arbitrageur/${spec.name}`);
    await fundAgent(address);
    arbitrageurs.push({ name: spec.name, address, amm: spec.amm, minGapBps: spec.minGapBps });
    for (const symbol of [amm.tokenA, amm.tokenB]) {
      const a = asset(symbol);
      // Half the capital in each token, at initial prices.
      await mint(symbol, address, mulDivDown(spec.capitalUsdE8 / 2n, a.unit, a.spec.initialPriceE8));
      await approve(address, symbol, swapHelper.address);
    }
  }
  await mineSetup(2n);

  // ---- 3: AMM reserves, AMM-read feeds, reserves and markets, liquidity, borrowers' collateral
  const pairArtifact = uniswapArtifact("UniswapV2Pair");
  const amms = new Map<string, WorldAmm>();
  for (const spec of scenario.amms) {
    const a = asset(spec.tokenA);
    const b = asset(spec.tokenB);
    const pairAddress = await factory.read<Address>(chain, "getPair", [a.token.address, b.token.address]);
    const pair = new ContractHandle(pairAddress, pairArtifact.abi);
    const aIsToken0 = a.token.address.toLowerCase() < b.token.address.toLowerCase();
    amms.set(spec.name, { spec, pair, token0: aIsToken0 ? spec.tokenA : spec.tokenB, token1: aIsToken0 ? spec.tokenB : spec.tokenA });
    await send(deployer, a.token.address, a.token.encode("transfer", [pairAddress, spec.reserveA]), GAS.setup);
    await send(deployer, b.token.address, b.token.encode("transfer", [pairAddress, spec.reserveB]), GAS.setup);
    await send(deployer, pairAddress, pair.encode("mint", [deployer]), GAS.setup);
  }
  const oracles = new Map<string, WorldOracle>();
  for (const spec of scenario.oracles) {
    const amm = req(amms.get(spec.amm), `amm ${spec.amm}`);
    const base = asset(spec.asset).token.address;
    const quoteFeed = asset(spec.quote).feed.address;
    const artifact = projectArtifact(spec.type === "ammSpot" ? "UniswapV2SpotFeed" : "UniswapV2TwapFeed");
    const description = `${spec.asset} / USD (${spec.type === "ammSpot" ? "spot" : `${spec.windowSeconds}s TWAP`} of ${spec.amm})`;
    const args =
      spec.type === "ammSpot"
        ? [amm.pair.address, base, quoteFeed, description]
        : [amm.pair.address, base, quoteFeed, spec.windowSeconds, description];
    const feed = await deploy(deployData(artifact, args), GAS.deployFeed);
    oracles.set(spec.name, { spec, feed: new ContractHandle(feed, artifact.abi) });
  }
  const feedAddress = (name: string) => oracles.get(name)?.feed.address ?? asset(name).feed.address;
  for (const p of protocols.values()) {
    if (p.kind === "isolated") {
      if (p.morphoLens !== null) {
        await createMorphoMarkets(p, { deployer, deploy, send, asset, feedAddress });
        continue;
      }
      for (const m of p.spec.markets) {
        const params = {
          loanToken: asset(m.loan).token.address,
          collateralToken: asset(m.collateral).token.address,
          loanFeed: feedAddress(m.loanFeed),
          collateralFeed: feedAddress(m.collateralFeed),
          lltvWad: m.lltvWad,
          baseRateWad: m.baseRateWad,
          slope1Wad: m.slope1Wad,
          slope2Wad: m.slope2Wad,
          optimalUtilizationWad: m.optimalUtilizationWad,
          maxPriceAgeSeconds: BigInt(m.maxPriceAgeSeconds),
          liquidationsAcceptStalePrice: m.liquidationsAcceptStalePrice,
        };
        await send(deployer, p.market.address, p.market.encode("createMarket", [params]), GAS.poolAction);
      }
      for (const m of p.markets) {
        if (m.spec.initialSupply > 0n) await send(deployer, p.market.address, p.market.encode("supply", [m.id, m.spec.initialSupply, deployer]), GAS.poolAction);
      }
      continue;
    }
    for (const r of p.spec.reserves) {
      await send(
        deployer,
        p.pool.address,
        p.pool.encode("listReserve", [
          asset(r.asset).token.address,
          {
            ltvWad: r.ltvWad,
            liquidationThresholdWad: r.liquidationThresholdWad,
            liquidationBonusWad: r.liquidationBonusWad,
            liquidationProtocolFeeWad: r.liquidationProtocolFeeWad,
            reserveFactorWad: r.reserveFactorWad,
            baseRateWad: r.baseRateWad,
            slope1Wad: r.slope1Wad,
            slope2Wad: r.slope2Wad,
            optimalUtilizationWad: r.optimalUtilizationWad,
            priceFeed: feedAddress(r.feed),
            maxPriceAgeSeconds: BigInt(r.maxPriceAgeSeconds),
            borrowingEnabled: r.borrowingEnabled,
          },
        ]),
        GAS.poolAction,
      );
    }
    for (const r of p.spec.reserves) {
      const token = asset(r.asset).token.address;
      if (r.initialSupply > 0n) await send(deployer, p.pool.address, p.pool.encode("supply", [token, r.initialSupply, deployer]), GAS.poolAction);
      if (r.initialReserves > 0n) await send(deployer, p.pool.address, p.pool.encode("depositReserves", [token, r.initialReserves]), GAS.poolAction);
    }
  }
  if (positions.length > 0) {
    // Deployed after every other contract of the deployer's, so that no address moves.
    const bulkArtifact = projectArtifact("BulkSupplier");
    const bulkSupplier = new ContractHandle(await deploy(deployData(bulkArtifact), GAS.deployLens), bulkArtifact.abi);
    for (const symbol of new Set(positions.flatMap((pos) => pos.collateral.map((c) => c.asset)))) await approve(deployer, symbol, bulkSupplier.address);
    const roomInBlock3 = blockRoom(3n);
    for (const batch of supplyBatches(positions, Math.min(POSITIONS_PER_SUPPLY_BATCH, positionsPerBlock))) {
      const p = req(protocols.get(batch.group.protocol), "protocol");
      const accounts = batch.indexes.map((i) => req(borrowers[i], "borrower").address);
      const amounts = batch.indexes.map((i) => req(req(positions[i], "position").collateral.find((c) => c.asset === batch.asset), "collateral").amount);
      await roomInBlock3(accounts.length);
      const batchGas = GAS.bulkSupplyBase + GAS.bulkSupplyPerPosition * BigInt(accounts.length);
      const txs =
        p.kind === "pooled"
          ? [{ to: bulkSupplier.address, data: bulkSupplier.encode("supplyPooled", [p.pool.address, asset(batch.asset).token.address, accounts, amounts]), gas: batchGas }]
          : isolatedCollateral(p, isolatedMarketOf(p, batch.asset, batch.group.debt), { bulkSupplier, accounts, amounts, gas: batchGas });
      for (const tx of txs) await send(deployer, tx.to, tx.data, tx.gas);
    }
  }
  await mineSetup(3n);

  // ---- 4 (block 0): loopers' deposits, borrows
  for (const l of loopers) {
    const leg = req(l.legs[0], "first leg");
    await send(l.address, l.vault.address, l.vault.encode("deposit", [{ kind: leg.kind, protocol: leg.address, marketId: leg.marketId }, l.deposit]), GAS.poolAction);
  }
  const roomInBlock4 = blockRoom(4n);
  for (const [i, pos] of positions.entries()) {
    const p = req(protocols.get(pos.group.protocol), "protocol");
    const borrower = req(borrowers[i], "borrower").address;
    for (const b of pos.borrows) {
      if (b.amount === 0n) continue;
      await roomInBlock4(1);
      const data = p.kind === "pooled" ? p.pool.encode("borrow", [asset(pos.group.debt).token.address, b.amount, borrower]) : isolatedBorrow(p, pos.group.debt, b, borrower);
      await send(borrower, protocolContract(p).address, data, GAS.poolAction);
    }
  }
  await mineSetup(4n);

  await chain.setBlockGasLimit(scenario.blockGasLimit);
  return {
    chain,
    scenario,
    deployer,
    assets,
    protocols,
    amms,
    oracles,
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
    startTimestamp,
  };
}

/**
 * Borrowers' collateral cut into `BulkSupplier` batches: a batch is one collateral asset of one group's
 * consecutive borrowers (one protocol), at most `size` of them, in borrower order. A pool's supply of an
 * asset changes only that asset's reserve, and an isolated market's collateral only that position, so
 * every reserve and market sees its supplies in the order of one transaction per borrower and asset.
 */
function supplyBatches(positions: readonly PlannedPosition[], size: number): { group: BorrowerGroupSpec; asset: string; indexes: number[] }[] {
  const batches: { group: BorrowerGroupSpec; asset: string; indexes: number[] }[] = [];
  for (let start = 0, end = 0; start < positions.length; start = end) {
    const group = req(positions[start], "position").group;
    while (end < positions.length && positions[end]?.group === group) end++;
    for (const { asset } of group.collateral) {
      for (let i = start; i < end; i += size) {
        batches.push({ group, asset, indexes: Array.from({ length: Math.min(size, end - i) }, (_, k) => i + k) });
      }
    }
  }
  return batches;
}

/** The address at which a Uniswap V2 factory creates the pair of two tokens (CREATE2). */
function pairAddressOf(factory: Address, tokenA: Address, tokenB: Address): Address {
  const [token0, token1] = tokenA.toLowerCase() < tokenB.toLowerCase() ? [tokenA, tokenB] : [tokenB, tokenA];
  const salt = keccak256(encodePacked(["address", "address"], [token0, token1]));
  return getContractAddress({ opcode: "CREATE2", from: factory, salt, bytecode: uniswapArtifact("UniswapV2Pair").bytecode });
}

/** An isolated borrow at block 0: the market's `borrow`, or Morpho Blue's (assets given, shares 0, to the borrower itself). */
function isolatedBorrow(p: WorldIsolatedProtocol, debt: string, b: { collateral: string | null; amount: bigint }, borrower: Address): Hex {
  const m = isolatedMarketOf(p, req(b.collateral ?? undefined, "borrow's market"), debt);
  return m.morpho === null ? p.market.encode("borrow", [m.id, b.amount, borrower]) : p.market.encode("borrow", [m.morpho.params, b.amount, 0n, borrower, borrower]);
}

/**
 * The transactions that put up a batch of borrowers' collateral in an isolated market: one `BulkSupplier`
 * call on liqsim's market; on Morpho Blue, which takes collateral from its sender, one `supplyCollateral`
 * per borrower sent by the deployer.
 */
function isolatedCollateral(
  p: WorldIsolatedProtocol,
  m: WorldIsolatedMarket,
  batch: { bulkSupplier: ContractHandle; accounts: Address[]; amounts: bigint[]; gas: bigint },
): { to: Address; data: Hex; gas: bigint }[] {
  const { bulkSupplier, accounts, amounts } = batch;
  if (m.morpho === null) {
    return [{ to: bulkSupplier.address, data: bulkSupplier.encode("supplyCollateralIsolated", [p.market.address, m.id, accounts, amounts]), gas: batch.gas }];
  }
  const params = m.morpho.params;
  return accounts.map((account, k) => ({ to: p.market.address, data: p.market.encode("supplyCollateral", [params, req(amounts[k], "amount"), account, "0x"]), gas: GAS.poolAction }));
}

/** What `createMorphoMarkets` sends with: the set-up's deployer, its deploy and send, the world's assets and feeds so far. */
interface SetupTools {
  deployer: Address;
  deploy(data: Hex, gas: bigint): Promise<Address>;
  send(from: Address, to: Address | undefined, data: Hex, gas: bigint): Promise<unknown>;
  asset(symbol: string): WorldAsset;
  feedAddress(name: string): Address;
}

/**
 * The real Morpho Blue's markets of `p`, in order: each with a `MorphoUsdFeedsOracle` over its two feeds
 * and a `MorphoKinkedRateIrm` on its curve (one per distinct curve, enabled once), its LLTV enabled once,
 * created and supplied with its `initialSupply` by the deployer (Morpho's owner). Sets each market's `morpho`.
 */
async function createMorphoMarkets(p: WorldIsolatedProtocol, tools: SetupTools): Promise<void> {
  const { deployer, deploy, send, asset, feedAddress } = tools;
  const oracle = projectArtifact("MorphoUsdFeedsOracle");
  const irm = projectArtifact("MorphoKinkedRateIrm");
  const irms = new Map<string, Address>();
  const lltvs = new Set<bigint>();
  for (const m of p.markets) {
    const s = m.spec;
    const curve = [s.baseRateWad, s.slope1Wad, s.slope2Wad, s.optimalUtilizationWad];
    let irmAddress = irms.get(curve.join(","));
    if (irmAddress === undefined) {
      irmAddress = await deploy(deployData(irm, curve), GAS.deployLens);
      await send(deployer, p.market.address, p.market.encode("enableIrm", [irmAddress]), GAS.poolAction);
      irms.set(curve.join(","), irmAddress);
    }
    if (!lltvs.has(s.lltvWad)) {
      await send(deployer, p.market.address, p.market.encode("enableLltv", [s.lltvWad]), GAS.poolAction);
      lltvs.add(s.lltvWad);
    }
    const [collateral, loan] = [asset(s.collateral).token.address, asset(s.loan).token.address];
    const params: MorphoMarketParams = {
      loanToken: loan,
      collateralToken: collateral,
      oracle: await deploy(deployData(oracle, [feedAddress(s.collateralFeed), feedAddress(s.loanFeed), collateral, loan]), GAS.deployLens),
      irm: irmAddress,
      lltv: s.lltvWad,
    };
    await send(deployer, p.market.address, p.market.encode("createMarket", [params]), GAS.poolAction);
    m.morpho = { id: morphoMarketId(params), params };
    if (s.initialSupply > 0n) await send(deployer, p.market.address, p.market.encode("supply", [params, s.initialSupply, 0n, deployer, "0x"]), GAS.poolAction);
  }
}

/** The isolated market of a collateral/loan pair (a borrower's or a looper's). */
export function isolatedMarketOf(p: WorldIsolatedProtocol, collateral: string, loan: string): WorldIsolatedMarket {
  return req(p.markets.find((m) => m.spec.collateral === collateral && m.spec.loan === loan), `market ${collateral}/${loan}`);
}

/**
 * Each feed's answer at block 0, USD E8, by feed name: push feeds start at their asset's price; an
 * AMM-read feed at the pair's price from its seeded reserves times the quote asset's price (a TWAP of
 * a constant price is that price).
 */
function initialFeedPrices(scenario: Scenario): (feed: string) => bigint {
  const prices = new Map<string, bigint>(scenario.assets.map((a) => [a.symbol, a.initialPriceE8]));
  for (const o of scenario.oracles) {
    const amm = req(scenario.amms.find((a) => a.name === o.amm), `amm ${o.amm}`);
    const base = req(scenario.assets.find((a) => a.symbol === o.asset), `asset ${o.asset}`);
    const quote = req(scenario.assets.find((a) => a.symbol === o.quote), `asset ${o.quote}`);
    const [reserveBase, reserveQuote] = amm.tokenA === o.asset ? [amm.reserveA, amm.reserveB] : [amm.reserveB, amm.reserveA];
    // priceE8 = reserveQuote / reserveBase in whole tokens x quote's price.
    prices.set(o.name, mulDivDown(reserveQuote * 10n ** BigInt(base.decimals), quote.initialPriceE8, reserveBase * 10n ** BigInt(quote.decimals)));
  }
  return (feed) => req(prices.get(feed), `feed ${feed}`);
}

interface PlannedPosition {
  group: BorrowerGroupSpec;
  /** Collateral per asset, native units, in the group's order. */
  collateral: { asset: string; amount: bigint }[];
  /**
   * The borrows at block 0, debt-asset native units: pooled, one against the whole account
   * (`collateral` null); isolated, one per collateral asset, in its market `collateral/debt`.
   */
  borrows: { collateral: string | null; amount: bigint }[];
  defensive: boolean;
}

/**
 * Each borrower's collateral (uniform in the group's USD range, split by the assets' shares, in units at
 * their market prices) and debt for its drawn starting health factor, at the prices the protocol's feeds
 * will report and with its own rounding, so the borrow passes its checks (an AMM-read feed is taken 0.01%
 * against the borrower, so that a TWAP's rounding cannot make a borrow at the limit fail):
 *  - pooled (cross margin): debtUsd = Σ collateralUsd_k x threshold_k / HF, capped at Σ collateralUsd_k x LTV_k;
 *  - isolated (isolated margin): per asset k, debt_k = maxBorrow_k / HF, maxBorrow_k = collateral_k x oracle price x LLTV.
 */
function planPositions(scenario: Scenario, rng: Rng, asset: (symbol: string) => WorldAsset, feedPrice: (feed: string) => bigint): PlannedPosition[] {
  const out: PlannedPosition[] = [];
  for (const group of scenario.borrowers) {
    const protocol = req(scenario.protocols.find((p) => p.name === group.protocol), `protocol ${group.protocol}`);
    const d = asset(group.debt);
    const groupRng = rng.fork(group.name);
    // What the protocol will read: push feeds exactly, AMM-read feeds 0.01% against the borrower.
    const collateralPriceOf = (feed: string, symbol: string) => (feed === symbol ? feedPrice(feed) : feedPrice(feed) - feedPrice(feed) / 10_000n);
    const debtPriceOf = (feed: string) => (feed === group.debt ? feedPrice(feed) : feedPrice(feed) + feedPrice(feed) / 10_000n);
    for (let i = 0; i < group.count; i++) {
      const collateralUsd = groupRng.bigIntBetween(group.collateralUsdE8.min, group.collateralUsdE8.max);
      const hf = groupRng.bigIntBetween(group.healthFactorWad.min, group.healthFactorWad.max);
      const collateral = group.collateral.map((share) => {
        const c = asset(share.asset);
        return { asset: share.asset, amount: mulDivDown(wMulDown(collateralUsd, share.shareWad), c.unit, c.spec.initialPriceE8) };
      });
      let borrows: PlannedPosition["borrows"];
      if (protocol.type === "pooled") {
        const debtReserve = req(protocol.reserves.find((r) => r.asset === group.debt), "debt reserve");
        // The pool's own sums: each reserve's value rounded down, then weighted and rounded down.
        let weighted = 0n;
        let ltvWeighted = 0n;
        for (const c of collateral) {
          const reserve = req(protocol.reserves.find((r) => r.asset === c.asset), "collateral reserve");
          const valueOnChain = mulDivDown(c.amount, collateralPriceOf(reserve.feed, c.asset), asset(c.asset).unit);
          weighted += wMulDown(valueOnChain, reserve.liquidationThresholdWad);
          ltvWeighted += wMulDown(valueOnChain, reserve.ltvWad);
        }
        const debtUsd = min(wDivDown(weighted, hf), ltvWeighted);
        borrows = [{ collateral: null, amount: mulDivDown(debtUsd, d.unit, debtPriceOf(debtReserve.feed)) }];
      } else {
        borrows = collateral.map((c) => {
          const m = req(protocol.markets.find((x) => x.collateral === c.asset && x.loan === group.debt), "market");
          const cUnit = asset(c.asset);
          const price = IM.oraclePrice(collateralPriceOf(m.collateralFeed, c.asset), debtPriceOf(m.loanFeed), BigInt(cUnit.spec.decimals), BigInt(d.spec.decimals));
          const maxBorrow = wMulDown(mulDivDown(c.amount, price, IM.ORACLE_PRICE_SCALE), m.lltvWad);
          return { collateral: c.asset, amount: wDivDown(maxBorrow, hf) };
        });
      }
      const defensive = group.defensive !== null && groupRng.nextBigInt(WAD) < group.defensive.shareWad;
      out.push({ group, collateral, borrows, defensive });
    }
  }
  return out;
}
