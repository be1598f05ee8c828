/**
 * The real protocols liqsim deploys beside its own contracts, compiled at build time from their npm
 * packages (both BUSL-1.1: referenced in `node_modules`, never copied into this repository), each with
 * the compiler and settings its authors deploy with.
 */

/** Where the compiled output of every real protocol is kept (Hardhat's `cache/`, cleared by `hardhat clean`). */
export const REAL_PROTOCOLS_CACHE_DIR = "cache/real-protocols";

export type RealProtocolId = "aave-v3.6" | "morpho-blue-1.0";

export interface RealProtocolBuild {
  id: RealProtocolId;
  /** The npm package holding the sources, and the version package.json pins. */
  packageName: string;
  packageVersion: string;
  /** The npm package (or alias) holding the solc-js build, and its version. */
  solcPackage: string;
  solcVersion: string;
  /** Files to compile, as paths inside `packageName`; their imports are found from them. */
  entries: readonly string[];
  /** Forge-style import prefixes the sources use, each to the npm path that holds them. */
  remappings: readonly (readonly [prefix: string, target: string])[];
  /** solc's standard-JSON `settings` besides the output selection. */
  settings: Record<string, unknown>;
  /**
   * The contracts (by name, unique within the build) whose ABI and bytecode are kept; the libraries
   * their bytecode links to are kept with them.
   */
  contracts: readonly string[];
}

/**
 * Aave V3.6 (`aave-v3-origin` 3.6.0): compiled as its foundry.toml does (optimizer 200 runs, Shanghai,
 * no metadata hash), with solc 0.8.28 and OpenZeppelin 5.1 for its `openzeppelin-contracts` imports.
 */
export const AAVE_V3_6: RealProtocolBuild = {
  id: "aave-v3.6",
  packageName: "@aave-dao/aave-v3-origin",
  packageVersion: "3.6.0",
  solcPackage: "solc",
  solcVersion: "0.8.28",
  entries: [
    "src/contracts/protocol/configuration/PoolAddressesProvider.sol",
    "src/contracts/protocol/configuration/ACLManager.sol",
    "src/contracts/instances/PoolInstance.sol",
    "src/contracts/instances/PoolConfiguratorInstance.sol",
    "src/contracts/instances/ATokenInstance.sol",
    "src/contracts/instances/VariableDebtTokenInstance.sol",
    "src/contracts/misc/AaveOracle.sol",
    "src/contracts/misc/DefaultReserveInterestRateStrategyV2.sol",
    "src/contracts/helpers/AaveProtocolDataProvider.sol",
  ],
  remappings: [["openzeppelin-contracts/contracts/", "@openzeppelin/contracts/"]],
  settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "shanghai", metadata: { bytecodeHash: "none" } },
  contracts: [
    "PoolAddressesProvider",
    "ACLManager",
    "PoolInstance",
    "PoolConfiguratorInstance",
    "ATokenInstance",
    "VariableDebtTokenInstance",
    "AaveOracle",
    "DefaultReserveInterestRateStrategyV2",
    "AaveProtocolDataProvider",
  ],
};

/** Morpho Blue 1.0.0: compiled as its foundry.toml does (via IR, 999,999 runs, Paris, no metadata hash). */
export const MORPHO_BLUE_1_0: RealProtocolBuild = {
  id: "morpho-blue-1.0",
  packageName: "@morpho-org/morpho-blue",
  packageVersion: "1.0.0",
  solcPackage: "solc-0.8.19",
  solcVersion: "0.8.19",
  entries: ["src/Morpho.sol"],
  remappings: [],
  settings: { viaIR: true, optimizer: { enabled: true, runs: 999_999 }, evmVersion: "paris", metadata: { bytecodeHash: "none" } },
  // Morpho's events live in EventsLib; solc 0.8.19 leaves a library's events out of the contract's ABI.
  contracts: ["Morpho", "EventsLib"],
};

export const REAL_PROTOCOLS: readonly RealProtocolBuild[] = [AAVE_V3_6, MORPHO_BLUE_1_0];
