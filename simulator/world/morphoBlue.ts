/**
 * What the world knows of the real Morpho Blue 1.0 (compiled from `@morpho-org/morpho-blue` by
 * simulator/build): its ABI and creation code, and its market key (`MarketParams`) and id.
 */
import { encodeAbiParameters, keccak256, type Abi, type Address, type Hex } from "viem";
import { realContract } from "../build";
import type { Artifact } from "./contracts";

/** Morpho Blue's `MarketParams`: the key of a market. */
export interface MorphoMarketParams {
  loanToken: Address;
  collateralToken: Address;
  oracle: Address;
  irm: Address;
  lltv: bigint;
}

/** A market of the real Morpho Blue: its id and key. */
export interface MorphoMarketDeployment {
  /** Morpho's market id: keccak256(abi.encode(params)). */
  id: Hex;
  params: MorphoMarketParams;
}

/** Morpho's market id of `params`: keccak256 of the ABI-encoded struct. */
export function morphoMarketId(params: MorphoMarketParams): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "address" }, { type: "address" }, { type: "address" }, { type: "address" }, { type: "uint256" }],
      [params.loanToken, params.collateralToken, params.oracle, params.irm, params.lltv],
    ),
  );
}

/**
 * Morpho Blue 1.0's ABI: the core contract's functions and its events (declared in `EventsLib`, which
 * solc 0.8.19 leaves out of the contract's ABI). Its errors are revert strings (`ErrorsLib`).
 */
export function morphoBlueAbi(): Abi {
  return [...realContract("morpho-blue-1.0", "Morpho").abi, ...realContract("morpho-blue-1.0", "EventsLib").abi];
}

/** Morpho Blue's ABI and creation code (its constructor takes the owner). */
export function morphoBlueArtifact(): Artifact {
  return { abi: morphoBlueAbi(), bytecode: `0x${realContract("morpho-blue-1.0", "Morpho").bytecode}` };
}
