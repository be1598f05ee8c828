import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Abi, Hex } from "viem";

const ROOT = path.resolve(__dirname, "..", "..");

/** One of liqsim's adapter contracts for the real protocols (`contracts/adapters/`, built by `npx hardhat compile`). */
export function adapterArtifact(name: "AaveLatestAnswerFeed" | "MorphoUsdFeedsOracle" | "MorphoKinkedRateIrm"): { abi: Abi; bytecode: Hex } {
  const file = path.join(ROOT, "artifacts", "contracts", "adapters", `${name}.sol`, `${name}.json`);
  if (!existsSync(file)) throw new Error(`missing compiled contract ${file}: run \`npx hardhat compile\``);
  const json = JSON.parse(readFileSync(file, "utf8")) as { abi: Abi; bytecode: Hex };
  return { abi: json.abi, bytecode: json.bytecode };
}
