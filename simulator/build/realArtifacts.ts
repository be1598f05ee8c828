import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Abi, Address, Hex } from "viem";
import { REAL_PROTOCOLS_CACHE_DIR, type RealProtocolId } from "./realProtocols";

/** Where a library's address goes in a bytecode: solc's `linkReferences` (source -> library -> byte spans). */
export type LinkReferences = Record<string, Record<string, { start: number; length: number }[]>>;

export interface RealContractArtifact {
  abi: Abi;
  /** Creation code, hex without `0x`, with `__$…$__` placeholders where libraries are linked. */
  bytecode: string;
  linkReferences: LinkReferences;
}

/** One real protocol's compiled contracts as `compileRealProtocols` keeps them. */
export interface RealProtocolArtifacts {
  id: RealProtocolId;
  packageVersion: string;
  compilerVersion: string;
  /** sha256 of the compiler's long version, the full standard-JSON input and the kept names: a different hash recompiles. */
  inputHash: string;
  contracts: Record<string, RealContractArtifact>;
}

const ROOT = path.resolve(__dirname, "..", "..");

export function realArtifactsFile(id: RealProtocolId, root: string = ROOT): string {
  return path.join(root, REAL_PROTOCOLS_CACHE_DIR, `${id}.json`);
}

const loaded = new Map<RealProtocolId, RealProtocolArtifacts>();

/** A real protocol's compiled contracts (`npx hardhat compile` builds them). */
export function realArtifacts(id: RealProtocolId): RealProtocolArtifacts {
  const cached = loaded.get(id);
  if (cached) return cached;
  const file = realArtifactsFile(id);
  if (!existsSync(file)) throw new Error(`missing compiled ${id} (${file}): run \`npx hardhat compile\``);
  const artifacts = JSON.parse(readFileSync(file, "utf8")) as RealProtocolArtifacts;
  loaded.set(id, artifacts);
  return artifacts;
}

/** A contract of a real protocol by name. */
export function realContract(id: RealProtocolId, name: string): RealContractArtifact {
  const contract = realArtifacts(id).contracts[name];
  if (!contract) throw new Error(`${id} has no compiled contract ${name}`);
  return contract;
}

/** `contract`'s creation code with each linked library's address written where solc left its placeholder. */
export function linkBytecode(contract: RealContractArtifact, libraries: Readonly<Record<string, Address>>): Hex {
  let code = contract.bytecode;
  for (const byLibrary of Object.values(contract.linkReferences)) {
    for (const [library, spans] of Object.entries(byLibrary)) {
      const address = libraries[library];
      if (address === undefined) throw new Error(`library ${library} has no address to link`);
      for (const { start, length } of spans) {
        // Offsets are in bytes; the code is hex, two characters a byte.
        code = code.slice(0, start * 2) + address.slice(2).toLowerCase().padStart(length * 2, "0") + code.slice((start + length) * 2);
      }
    }
  }
  return `0x${code}`;
}

/** The libraries `contract` links to, by name. */
export function linkedLibraries(contract: RealContractArtifact): string[] {
  return [...new Set(Object.values(contract.linkReferences).flatMap((byLibrary) => Object.keys(byLibrary)))].sort();
}
