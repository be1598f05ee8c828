import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Abi } from "viem";
import { collectSources } from "./collectSources";
import { linkedLibraries, realArtifactsFile, type LinkReferences, type RealContractArtifact, type RealProtocolArtifacts } from "./realArtifacts";
import { REAL_PROTOCOLS, type RealProtocolBuild } from "./realProtocols";

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string; linkReferences: LinkReferences } } }>>;
}

/**
 * Compiles each real protocol whose input changed since its kept output (a new compiler, package
 * version, settings or source), or every one with `force`, and keeps the named contracts and the
 * libraries they link to under `cache/real-protocols/`. Returns the ids it compiled; an unchanged input
 * compiles nothing.
 */
export function compileRealProtocols(root: string, log: (line: string) => void = () => {}, options: { force?: boolean } = {}): string[] {
  const compiled: string[] = [];
  for (const build of REAL_PROTOCOLS) {
    checkInstalled(build, root);
    const input = standardJsonInput(build, root);
    const compilerVersion = solcLongVersion(build, root);
    const inputHash = createHash("sha256").update(compilerVersion).update(input).update(JSON.stringify(build.contracts)).digest("hex");
    const file = realArtifactsFile(build.id, root);
    if (!options.force && existsSync(file) && (JSON.parse(readFileSync(file, "utf8")) as RealProtocolArtifacts).inputHash === inputHash) continue;
    log(`Compiling ${build.packageName} ${build.packageVersion} with solc ${build.solcVersion}`);
    const output = runSolc(build, input, root);
    const artifacts: RealProtocolArtifacts = {
      id: build.id,
      packageVersion: build.packageVersion,
      compilerVersion,
      inputHash,
      contracts: keptContracts(build, output),
    };
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(artifacts));
    renameSync(`${file}.tmp`, file);
    compiled.push(build.id);
  }
  return compiled;
}

function checkInstalled(build: RealProtocolBuild, root: string): void {
  for (const [name, version] of [[build.packageName, build.packageVersion], [build.solcPackage, build.solcVersion]] as const) {
    const manifest = require.resolve(`${name}/package.json`, { paths: [root] });
    const installed = (JSON.parse(readFileSync(manifest, "utf8")) as { version: string }).version;
    if (installed !== version) throw new Error(`${name} is ${installed} in node_modules, ${build.id} needs ${version}: run \`npm ci\``);
  }
}

function standardJsonInput(build: RealProtocolBuild, root: string): string {
  return JSON.stringify({
    language: "Solidity",
    sources: collectSources(build, root),
    settings: {
      ...build.settings,
      remappings: build.remappings.map(([prefix, target]) => `${prefix}=${target}`),
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.bytecode.linkReferences"] } },
    },
  });
}

function solcLongVersion(build: RealProtocolBuild, root: string): string {
  const solc = require(require.resolve(build.solcPackage, { paths: [root] })) as { version(): string };
  const version = solc.version();
  if (!version.startsWith(`${build.solcVersion}+`)) throw new Error(`${build.solcPackage} is solc ${version}, ${build.id} needs ${build.solcVersion}`);
  return version;
}

function runSolc(build: RealProtocolBuild, input: string, root: string): SolcOutput {
  const dir = path.join(root, "cache", "real-protocols", `${build.id}.solc`);
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(path.join(dir, "input.json"), input);
    const runner = path.join(__dirname, "solcRunner.js");
    const solcEntry = require.resolve(build.solcPackage, { paths: [root] });
    execFileSync(process.execPath, [runner, solcEntry, path.join(dir, "input.json"), path.join(dir, "output.json")], { stdio: "inherit" });
    const output = JSON.parse(readFileSync(path.join(dir, "output.json"), "utf8")) as SolcOutput;
    const errors = (output.errors ?? []).filter((e) => e.severity === "error");
    if (errors.length > 0) throw new Error(`${build.id} does not compile:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
    return output;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The build's named contracts and, transitively, every library their bytecode links to. */
function keptContracts(build: RealProtocolBuild, output: SolcOutput): Record<string, RealContractArtifact> {
  const byName = new Map<string, RealContractArtifact[]>();
  for (const contracts of Object.values(output.contracts ?? {})) {
    for (const [name, c] of Object.entries(contracts)) {
      const artifact = { abi: c.abi, bytecode: c.evm.bytecode.object, linkReferences: c.evm.bytecode.linkReferences };
      byName.set(name, [...(byName.get(name) ?? []), artifact]);
    }
  }
  const kept: Record<string, RealContractArtifact> = {};
  const pending = [...build.contracts];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (kept[name]) continue;
    const candidates = byName.get(name) ?? [];
    if (candidates.length !== 1) throw new Error(`${build.id}: ${candidates.length} compiled contracts are named ${name}, expected one`);
    const artifact = candidates[0] as RealContractArtifact;
    kept[name] = artifact;
    pending.push(...linkedLibraries(artifact));
  }
  return Object.fromEntries(Object.entries(kept).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
