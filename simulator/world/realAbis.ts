/**
 * The typed ABIs the real Aave V3.6 and Morpho Blue 1.0 are called through. Their own ABIs come from our build
 * step (simulator/build, cache/real-protocols), not from Hardhat, so hardhat-viem types none of them; our
 * interfaces of them (contracts/interfaces/IAaveV3Minimal.sol, IAaveV3Calls.sol, IMorphoBlue.sol,
 * IMorphoBlueCalls.sol) are compiled by Hardhat, so a `ContractHandle` over these ABIs checks function names,
 * arguments and results at compile time, and decodes the events the records use with their fields typed.
 * test/contracts/real/interfaces.test.ts holds each declaration to the real ABI (same selectors, inputs and
 * outputs). The real contracts are still deployed from their own bytecode, and their full ABIs (every event
 * and error) stay on each protocol's `contract` handle, which decodes any log or revert.
 */
import { projectArtifact, type ContractHandle, type ProjectAbi } from "./contracts";

/** Aave V3.6's pool as liqsim calls it: the lens's views and the agents' actions, with `LiquidationCall` and `DeficitCreated`. */
export type AavePoolAbi = readonly [...ProjectAbi<"IAaveV3PoolViews">, ...ProjectAbi<"IAaveV3PoolActions">];
/** AaveOracle: its price view and its sources' setting. */
export type AaveOracleAbi = readonly [...ProjectAbi<"IAaveV3PriceOracle">, ...ProjectAbi<"IAaveV3OracleAdmin">];
/** Morpho Blue's core: the lens's and liquidators' calls, set-up and borrowers' actions, and `Liquidate`. */
export type MorphoBlueCallsAbi = readonly [...ProjectAbi<"IMorphoBlue">, ...ProjectAbi<"IMorphoBlueCalls">];

export type AavePoolHandle = ContractHandle<AavePoolAbi>;
export type AaveOracleHandle = ContractHandle<AaveOracleAbi>;
export type AaveConfiguratorHandle = ContractHandle<ProjectAbi<"IAaveV3PoolConfigurator">>;
export type MorphoBlueHandle = ContractHandle<MorphoBlueCallsAbi>;

// One array per ABI: ContractHandle keeps its selector table per ABI object.
let aavePool: AavePoolAbi | undefined;
let aaveOracle: AaveOracleAbi | undefined;
let morphoBlue: MorphoBlueCallsAbi | undefined;

export function aavePoolCallsAbi(): AavePoolAbi {
  aavePool ??= [...projectArtifact("IAaveV3PoolViews").abi, ...projectArtifact("IAaveV3PoolActions").abi];
  return aavePool;
}

export function aaveOracleCallsAbi(): AaveOracleAbi {
  aaveOracle ??= [...projectArtifact("IAaveV3PriceOracle").abi, ...projectArtifact("IAaveV3OracleAdmin").abi];
  return aaveOracle;
}

export function morphoBlueCallsAbi(): MorphoBlueCallsAbi {
  morphoBlue ??= [...projectArtifact("IMorphoBlue").abi, ...projectArtifact("IMorphoBlueCalls").abi];
  return morphoBlue;
}
