/**
 * Deploys the real Aave V3.6 (compiled from `@aave-dao/aave-v3-origin` 3.6.0) beside liqsim's tokens
 * and feeds: addresses provider, ACL manager, pool and configurator behind their proxies with the
 * linked logic libraries, AaveOracle over liqsim's feeds (through `AaveLatestAnswerFeed`), the default
 * rate strategy, aToken and variable-debt implementations, a data provider, then each reserve.
 * The transactor's account is the ACL admin, pool admin and risk admin.
 */
import { encodeAbiParameters, encodeDeployData, type Abi, type Address, type Hex } from "viem";
import { linkBytecode, realContract, type RealContractArtifact } from "../../build";
import type { ReserveRiskConfig } from "../../math";
import { ContractHandle, projectArtifact } from "../../world/contracts";
import { aaveOracleCallsAbi, aavePoolCallsAbi, type AaveConfiguratorHandle, type AaveOracleHandle, type AavePoolHandle } from "../../world/realAbis";
import { adapterArtifact } from "../adapterArtifact";
import { deployContract, readView, type RealTransactor } from "../realTransactor";
import { aaveRateData, wadToBps } from "./rates";

const DEPLOY_GAS = 12_000_000n;
const CALL_GAS = 3_000_000n;
/** initReserves deploys an aToken proxy and a debt-token proxy per reserve. */
const INIT_RESERVE_GAS = 4_000_000n;

/** One reserve to list: liqsim's risk and rate fields (WAD, converted to Aave's basis points exactly). */
export interface AaveReserveInput extends ReserveRiskConfig {
  token: Address;
  symbol: string;
  /** Chainlink-style USD feed, 8 decimals, with `latestRoundData` (liqsim's `MockPriceFeed`). */
  feed: Address;
  borrowingEnabled: boolean;
  /** Caps in whole tokens, as Aave takes them; 0 is no cap. */
  supplyCapTokens?: bigint;
  borrowCapTokens?: bigint;
}

export interface AaveReserveDeployment {
  token: Address;
  aToken: Address;
  variableDebtToken: Address;
  /** The `latestAnswer` adapter AaveOracle reads for this token. */
  oracleSource: Address;
}

export interface AaveV3Deployment {
  addressesProvider: Address;
  aclManager: Address;
  /** The pool proxy (PoolInstance behind it), typed by our interface of it (world/realAbis.ts). */
  pool: AavePoolHandle;
  /** The configurator proxy. */
  configurator: AaveConfiguratorHandle;
  oracle: AaveOracleHandle;
  /** Its whole ABI, untyped: liqsim itself reads nothing from it (tests read the listed settings back). */
  dataProvider: ContractHandle;
  rateStrategy: Address;
  /** Receives the liquidation protocol fee (as aTokens) and the reserve factor. */
  treasury: Address;
  reserves: AaveReserveDeployment[];
  /** Every error and event the pool can revert with or emit, its logic libraries' included. */
  poolAbi: Abi;
  /** The aToken and variable-debt token ABIs (ERC20 views, scaled balances). */
  aTokenAbi: Abi;
  variableDebtTokenAbi: Abi;
}

const aave = (name: string): RealContractArtifact => realContract("aave-v3.6", name);

function deployData(contract: RealContractArtifact, args: readonly unknown[], libraries: Record<string, Address> = {}): Hex {
  return encodeDeployData({ abi: contract.abi, bytecode: linkBytecode(contract, libraries), args } as Parameters<typeof encodeDeployData>[0]);
}

/** Sends `data` (a typed handle's `encode`) to `to` and waits for it to be mined. */
async function call(tx: RealTransactor, to: Address, data: Hex, gas: bigint = CALL_GAS): Promise<void> {
  await tx.send({ to, data, gas });
}

/** Deploys Aave V3.6 and lists `reserves`. `treasury` defaults to the transactor's account. */
export async function deployAaveV3(tx: RealTransactor, reserves: readonly AaveReserveInput[], options: { treasury?: Address } = {}): Promise<AaveV3Deployment> {
  const treasury = options.treasury ?? tx.from;
  const core = await deployCore(tx);
  const reserveDeployments = await listReserves(tx, core, reserves, treasury);
  const poolAbi = aavePoolAbi();
  return { ...core, treasury, reserves: reserveDeployments, poolAbi, aTokenAbi: aave("ATokenInstance").abi, variableDebtTokenAbi: aave("VariableDebtTokenInstance").abi };
}

/** The deployment before any reserve is listed. */
export type AaveCore = Pick<AaveV3Deployment, "addressesProvider" | "aclManager" | "pool" | "configurator" | "oracle" | "dataProvider" | "rateStrategy">;

/** Deploys Aave V3.6 without reserves (a world lists them once its feeds exist: `listReserves`). */
export async function deployCore(tx: RealTransactor): Promise<AaveCore> {
  const providerAddress = await deployContract(tx, deployData(aave("PoolAddressesProvider"), ["liqsim", tx.from]), DEPLOY_GAS);
  const provider = new ContractHandle(providerAddress, projectArtifact("IAaveV3PoolAddressesProvider").abi);
  await call(tx, providerAddress, provider.encode("setACLAdmin", [tx.from]));
  const aclManager = await deployContract(tx, deployData(aave("ACLManager"), [providerAddress]), DEPLOY_GAS);
  await call(tx, providerAddress, provider.encode("setACLManager", [aclManager]));
  const acl = new ContractHandle(aclManager, projectArtifact("IAaveV3ACLManager").abi);
  await call(tx, aclManager, acl.encode("addPoolAdmin", [tx.from]));
  await call(tx, aclManager, acl.encode("addRiskAdmin", [tx.from]));

  const rateStrategy = await deployContract(tx, deployData(aave("DefaultReserveInterestRateStrategyV2"), [providerAddress]), DEPLOY_GAS);
  const libraries = await deployLibraries(tx);
  const poolImpl = await deployContract(tx, deployData(aave("PoolInstance"), [providerAddress, rateStrategy], libraries), DEPLOY_GAS);
  await call(tx, providerAddress, provider.encode("setPoolImpl", [poolImpl]), DEPLOY_GAS);
  const configuratorImpl = await deployContract(tx, deployData(aave("PoolConfiguratorInstance"), [], libraries), DEPLOY_GAS);
  await call(tx, providerAddress, provider.encode("setPoolConfiguratorImpl", [configuratorImpl]), DEPLOY_GAS);

  const pool = new ContractHandle(await readView(tx, provider, "getPool"), aavePoolCallsAbi());
  const configurator = new ContractHandle(await readView(tx, provider, "getPoolConfigurator"), projectArtifact("IAaveV3PoolConfigurator").abi);
  // Base currency USD (address 0) in 8 decimals, as Chainlink's USD feeds; no fallback oracle.
  const oracleAddress = await deployContract(tx, deployData(aave("AaveOracle"), [providerAddress, [], [], ZERO, ZERO, 10n ** 8n]), DEPLOY_GAS);
  await call(tx, providerAddress, provider.encode("setPriceOracle", [oracleAddress]));
  const dataProviderAddress = await deployContract(tx, deployData(aave("AaveProtocolDataProvider"), [providerAddress]), DEPLOY_GAS);
  await call(tx, providerAddress, provider.encode("setPoolDataProvider", [dataProviderAddress]));
  return {
    addressesProvider: providerAddress,
    aclManager,
    pool,
    configurator,
    oracle: new ContractHandle(oracleAddress, aaveOracleCallsAbi()),
    dataProvider: new ContractHandle(dataProviderAddress, aave("AaveProtocolDataProvider").abi),
    rateStrategy,
  };
}

const ZERO: Address = "0x0000000000000000000000000000000000000000";

/** The pool's and configurator's external logic libraries, each deployed once and linked by name. */
async function deployLibraries(tx: RealTransactor): Promise<Record<string, Address>> {
  const libraries: Record<string, Address> = {};
  // FlashLoanLogic links BorrowLogic, so BorrowLogic comes first.
  for (const name of ["BorrowLogic", "LiquidationLogic", "PoolLogic", "SupplyLogic", "FlashLoanLogic", "ConfiguratorLogic"]) {
    libraries[name] = await deployContract(tx, deployData(aave(name), [], libraries), DEPLOY_GAS);
  }
  return libraries;
}

/** Every error and event the pool can revert with or emit, its logic libraries' included. */
export function aavePoolAbi(): Abi {
  return [...aave("PoolInstance").abi, ...libraryErrorsAndEvents()];
}

/** The errors and events of the pool's logic libraries: they revert and emit inside the pool's calls. */
function libraryErrorsAndEvents(): Abi {
  const seen = new Set<string>();
  const pool = aave("PoolInstance").abi;
  for (const item of pool) if (item.type === "error" || item.type === "event") seen.add(`${item.type}:${item.name}`);
  const extra: Abi[number][] = [];
  for (const name of ["BorrowLogic", "LiquidationLogic", "PoolLogic", "SupplyLogic", "FlashLoanLogic"]) {
    for (const item of aave(name).abi) {
      if ((item.type === "error" || item.type === "event") && !seen.has(`${item.type}:${item.name}`)) {
        seen.add(`${item.type}:${item.name}`);
        extra.push(item);
      }
    }
  }
  return extra;
}

/** Lists `reserves` on a deployed core: their oracle sources, aToken and debt-token proxies, risk settings. */
export async function listReserves(tx: RealTransactor, core: Pick<AaveCore, "pool" | "configurator" | "oracle">, reserves: readonly AaveReserveInput[], treasury: Address): Promise<AaveReserveDeployment[]> {
  const aTokenImpl = await deployContract(tx, deployData(aave("ATokenInstance"), [core.pool.address, ZERO, treasury]), DEPLOY_GAS);
  const debtImpl = await deployContract(tx, deployData(aave("VariableDebtTokenInstance"), [core.pool.address, ZERO]), DEPLOY_GAS);
  const sources: Address[] = [];
  for (const r of reserves) sources.push(await deployContract(tx, encodeDeployData({ ...adapterArtifact("AaveLatestAnswerFeed"), args: [r.feed] }), DEPLOY_GAS));
  await call(tx, core.oracle.address, core.oracle.encode("setAssetSources", [reserves.map((r) => r.token), sources]));

  const inputs = reserves.map((r) => ({
    aTokenImpl,
    variableDebtTokenImpl: debtImpl,
    underlyingAsset: r.token,
    aTokenName: `Aave ${r.symbol}`,
    aTokenSymbol: `a${r.symbol}`,
    variableDebtTokenName: `Aave Variable Debt ${r.symbol}`,
    variableDebtTokenSymbol: `variableDebt${r.symbol}`,
    params: "0x" as Hex,
    interestRateData: encodeRateData(r),
  }));
  await call(tx, core.configurator.address, core.configurator.encode("initReserves", [inputs]), INIT_RESERVE_GAS * BigInt(Math.max(1, reserves.length)));
  const deployed: AaveReserveDeployment[] = [];
  for (const [i, r] of reserves.entries()) {
    await configureReserve(tx, core.configurator, r);
    const data = await readView(tx, core.pool, "getReserveData", [r.token]);
    deployed.push({ token: r.token, aToken: data.aTokenAddress, variableDebtToken: data.variableDebtTokenAddress, oracleSource: sources[i] as Address });
  }
  return deployed;
}

function encodeRateData(r: AaveReserveInput): Hex {
  const d = aaveRateData(r);
  return encodeAbiParameters(
    [{ type: "tuple", components: [{ type: "uint16" }, { type: "uint32" }, { type: "uint32" }, { type: "uint32" }] }],
    [[d.optimalUsageRatio, d.baseVariableBorrowRate, d.variableRateSlope1, d.variableRateSlope2]],
  );
}

async function configureReserve(tx: RealTransactor, configurator: AaveConfiguratorHandle, r: AaveReserveInput): Promise<void> {
  const to = configurator.address;
  // Aave's bonus is 10,000 + bonus in basis points: liqsim's 1.05 WAD is 10,500. A reserve that is not
  // collateral (threshold 0) takes bonus 0 on Aave, which refuses any other.
  const thresholdBps = wadToBps(r.liquidationThresholdWad, "liquidationThresholdWad");
  await call(
    tx,
    to,
    configurator.encode("configureReserveAsCollateral", [
      r.token,
      wadToBps(r.ltvWad, "ltvWad"),
      thresholdBps,
      thresholdBps === 0n ? 0n : wadToBps(r.liquidationBonusWad, "liquidationBonusWad"),
    ]),
  );
  await call(tx, to, configurator.encode("setReserveBorrowing", [r.token, r.borrowingEnabled]));
  await call(tx, to, configurator.encode("setReserveFactor", [r.token, wadToBps(r.reserveFactorWad, "reserveFactorWad")]));
  await call(tx, to, configurator.encode("setLiquidationProtocolFee", [r.token, wadToBps(r.liquidationProtocolFeeWad, "liquidationProtocolFeeWad")]));
  if (r.supplyCapTokens) await call(tx, to, configurator.encode("setSupplyCap", [r.token, r.supplyCapTokens]));
  if (r.borrowCapTokens) await call(tx, to, configurator.encode("setBorrowCap", [r.token, r.borrowCapTokens]));
}
