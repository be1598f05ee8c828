import { readFileSync } from "node:fs";
import path from "node:path";
import type { RealProtocolBuild } from "./realProtocols";

/** solc's standard-JSON `sources`: source unit name -> content. */
export type StandardJsonSources = Record<string, { content: string }>;

// `import "x";`, `import "x" as y;`, `import * as y from "x";`, `import {a, b} from "x";` (over several lines).
const IMPORT = /^\s*import\s+(?:[^'";]*?\s+from\s+)?["']([^"']+)["'][^;]*;/gm;

/**
 * Every source the build's entries need, read from `node_modules`: source unit names are npm paths
 * (`@aave-dao/aave-v3-origin/src/...`); a relative import resolves against its importer's unit name, a
 * remapped prefix to its npm target, as solc resolves them with the same remappings.
 */
export function collectSources(build: RealProtocolBuild, root: string): StandardJsonSources {
  const sources: StandardJsonSources = {};
  const pending = build.entries.map((entry) => `${build.packageName}/${entry}`);
  for (let unit = pending.pop(); unit !== undefined; unit = pending.pop()) {
    if (sources[unit]) continue;
    const content = readFileSync(resolveUnit(unit, root), "utf8");
    sources[unit] = { content };
    for (const match of content.matchAll(IMPORT)) pending.push(importedUnit(unit, match[1] ?? "", build));
  }
  return Object.fromEntries(Object.entries(sources).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function importedUnit(importer: string, imported: string, build: RealProtocolBuild): string {
  if (imported.startsWith("./") || imported.startsWith("../")) {
    return path.posix.normalize(path.posix.join(path.posix.dirname(importer), imported));
  }
  const remapping = build.remappings.find(([prefix]) => imported.startsWith(prefix));
  return remapping ? remapping[1] + imported.slice(remapping[0].length) : imported;
}

function resolveUnit(unit: string, root: string): string {
  try {
    return require.resolve(unit, { paths: [root] });
  } catch {
    throw new Error(`cannot find Solidity source ${unit} in node_modules: run \`npm ci\``);
  }
}
