/**
 * Where Foundry's `anvil` and `cast` are: the binary of the platform package that package.json lists
 * as an optional dependency (`@foundry-rs/anvil-linux-amd64`: npm installs it only on that platform),
 * else the first one on PATH.
 */
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { NodeStartError } from "./errors";

export type FoundryTool = "anvil" | "cast";

/** Foundry's npm packages name platforms `linux-amd64`, `darwin-arm64`, ... */
export function foundryPackage(tool: FoundryTool): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  return `@foundry-rs/${tool}-${process.platform}-${arch}`;
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The binary's path, or null when neither the platform package nor PATH has it. */
export function findFoundryBinary(tool: FoundryTool): string | null {
  const binary = process.platform === "win32" ? `${tool}.exe` : tool;
  try {
    const packageFile = require.resolve(`${foundryPackage(tool)}/package.json`);
    const file = path.join(path.dirname(packageFile), "bin", binary);
    if (executable(file)) return file;
  } catch {
    // Not installed for this platform: look on PATH.
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir !== "" && executable(path.join(dir, binary))) return path.join(dir, binary);
  }
  return null;
}

/** The binary's path; a `NodeStartError` saying how to get it when it is nowhere. */
export function foundryBinary(tool: FoundryTool): string {
  const file = findFoundryBinary(tool);
  if (file === null) {
    throw new NodeStartError(
      `${tool} not found: neither ${foundryPackage(tool)} (an optional dependency npm ci installs on linux-x64) nor ${tool} on PATH; run npm ci, or put Foundry's ${tool} on PATH`,
    );
  }
  return file;
}
