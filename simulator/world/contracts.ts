/**
 * Compiled contracts (Hardhat's `artifacts/`, and Uniswap V2 core's published build) and a thin handle
 * to encode calls and read views with viem.
 */
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import {
  concat,
  decodeEventLog,
  decodeFunctionResult,
  encodeAbiParameters,
  encodeDeployData,
  encodeFunctionData,
  toEventSelector,
  toFunctionSelector,
  type Abi,
  type AbiEvent,
  type AbiFunction,
  type Address,
  type Hex,
} from "viem";
import type { Chain } from "../chain";

export interface Artifact {
  abi: Abi;
  bytecode: Hex;
  /** The code a deployment leaves at its address (Hardhat artifacts; absent from Uniswap's build). */
  deployedBytecode?: Hex;
}

const ROOT = path.resolve(__dirname, "..", "..");

const SOURCES = {
  MockERC20: "contracts/tokens/MockERC20.sol",
  MockPriceFeed: "contracts/oracles/MockPriceFeed.sol",
  PooledLendingPool: "contracts/lending/PooledLendingPool.sol",
  PooledLendingPoolDeficit: "contracts/lending/PooledLendingPoolDeficit.sol",
  AaveV3Lens: "contracts/periphery/AaveV3Lens.sol",
  PoolLens: "contracts/periphery/PoolLens.sol",
  SwapHelper: "contracts/periphery/SwapHelper.sol",
  GasBurner: "contracts/periphery/GasBurner.sol",
  IsolatedLendingMarket: "contracts/lending/IsolatedLendingMarket.sol",
  IsolatedMarketLens: "contracts/periphery/IsolatedMarketLens.sol",
  UniswapV2SpotFeed: "contracts/oracles/UniswapV2SpotFeed.sol",
  UniswapV2TwapFeed: "contracts/oracles/UniswapV2TwapFeed.sol",
  AtomicLiquidator: "contracts/periphery/AtomicLiquidator.sol",
  LeverageLooper: "contracts/periphery/LeverageLooper.sol",
  Multicall: "contracts/periphery/Multicall.sol",
  BulkSupplier: "contracts/periphery/BulkSupplier.sol",
  ReplayProbe: "contracts/periphery/ReplayProbe.sol",
  MorphoBlueLens: "contracts/periphery/MorphoBlueLens.sol",
  MorphoAtomicLiquidator: "contracts/periphery/MorphoAtomicLiquidator.sol",
  MorphoUsdFeedsOracle: "contracts/adapters/MorphoUsdFeedsOracle.sol",
  MorphoKinkedRateIrm: "contracts/adapters/MorphoKinkedRateIrm.sol",
} as const;

export type ProjectContract = keyof typeof SOURCES;
export type UniswapContract = "UniswapV2Factory" | "UniswapV2Pair";

const cache = new Map<string, Artifact>();

function readArtifact(file: string, hint: string): Artifact {
  const cached = cache.get(file);
  if (cached) return cached;
  if (!existsSync(file)) throw new Error(`missing compiled contract ${file}: ${hint}`);
  const json = JSON.parse(readFileSync(file, "utf8")) as { abi: Abi; bytecode: string; deployedBytecode?: unknown };
  const hex = (code: string) => (code.startsWith("0x") ? code : `0x${code}`) as Hex;
  const artifact: Artifact = { abi: json.abi, bytecode: hex(json.bytecode) };
  if (typeof json.deployedBytecode === "string") artifact.deployedBytecode = hex(json.deployedBytecode);
  cache.set(file, artifact);
  return artifact;
}

/** The build artifact (ABI and bytecode, JSON) of a contract of this project or of Uniswap V2 core. */
export function artifactFile(name: ProjectContract | UniswapContract): string {
  if (name === "UniswapV2Factory" || name === "UniswapV2Pair") return require.resolve(`@uniswap/v2-core/build/${name}.json`);
  return path.join(ROOT, "artifacts", SOURCES[name], `${name}.json`);
}

/** A contract of this project, from `artifacts/` (run `npx hardhat compile` first). */
export function projectArtifact(name: ProjectContract): Artifact {
  return readArtifact(artifactFile(name), "run `npx hardhat compile`");
}

/** Uniswap V2 core as published in `@uniswap/v2-core/build`. */
export function uniswapArtifact(name: UniswapContract): Artifact {
  return readArtifact(artifactFile(name), "run `npm ci`");
}

/** A deployed contract: encodes calls and decodes views. */
export class ContractHandle {
  constructor(
    readonly address: Address,
    readonly abi: Abi,
  ) {}

  encode(functionName: string, args: readonly unknown[] = []): Hex {
    const fn = functionsOf(this.abi).get(functionName);
    // viem hashes the signature on every call; thousands of calls a block use the selector kept here.
    if (fn) return concat([fn.selector, encodeAbiParameters(fn.item.inputs, args)]);
    return encodeFunctionData({ abi: this.abi, functionName, args } as Parameters<typeof encodeFunctionData>[0]);
  }

  /** What `functionName` returned, decoded (against that function's ABI entry alone when it has a name of its own). */
  decode<T>(functionName: string, data: Hex): T {
    const fn = functionsOf(this.abi).get(functionName);
    return decodeFunctionResult({ abi: fn ? [fn.item] : this.abi, functionName, data } as Parameters<typeof decodeFunctionResult>[0]) as T;
  }

  async read<T>(chain: Chain, functionName: string, args: readonly unknown[] = []): Promise<T> {
    return this.decode<T>(functionName, await chain.call(this.address, this.encode(functionName, args)));
  }
}

export function deployData(artifact: Artifact, args: readonly unknown[] = []): Hex {
  return encodeDeployData({ abi: artifact.abi, bytecode: artifact.bytecode, args } as Parameters<typeof encodeDeployData>[0]);
}

/** Per ABI: its functions with a name of their own (not overloaded), with their selectors. */
const functionTables = new WeakMap<Abi, Map<string, { item: AbiFunction; selector: Hex }>>();

function functionsOf(abi: Abi): Map<string, { item: AbiFunction; selector: Hex }> {
  let table = functionTables.get(abi);
  if (table) return table;
  table = new Map();
  const functions = abi.filter((x): x is AbiFunction => x.type === "function");
  for (const item of functions) {
    if (functions.filter((f) => f.name === item.name).length === 1) table.set(item.name, { item, selector: toFunctionSelector(item) });
  }
  functionTables.set(abi, table);
  return table;
}

/** Per ABI: its events by topic 0. */
const eventTables = new WeakMap<Abi, Map<string, AbiEvent>>();

/**
 * `decodeEventLog` for a log of a contract with `abi`, finding the event by its topic 0 in a table
 * made once per ABI (viem hashes every event signature of the ABI for every log). Throws when no event
 * of the ABI matches, or the log does not decode as that event.
 */
export function decodeLog(abi: Abi, log: { topics: readonly Hex[]; data: Hex }): { eventName: string; args: Record<string, unknown> } {
  let table = eventTables.get(abi);
  if (!table) {
    table = new Map(abi.filter((x): x is AbiEvent => x.type === "event").map((item) => [toEventSelector(item), item]));
    eventTables.set(abi, table);
  }
  const item = log.topics[0] === undefined ? undefined : table.get(log.topics[0]);
  if (!item) throw new Error(`no event of the ABI has topic 0 ${log.topics[0] ?? "(none)"}`);
  const decoded = decodeEventLog({ abi: [item], topics: log.topics as [Hex, ...Hex[]], data: log.data });
  return decoded as unknown as { eventName: string; args: Record<string, unknown> };
}
