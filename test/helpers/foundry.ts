/**
 * Foundry's binaries for the tests that drive anvil and cast. On linux-x64 they come with `npm ci`
 * (optional dependencies), so a missing one there is a failure; elsewhere, unless on PATH, the test is
 * skipped with the reason printed.
 */
import { findFoundryBinary, foundryPackage, type FoundryTool } from "../../simulator/chain";

export function foundryOrSkip(ctx: Mocha.Context, tools: readonly FoundryTool[]): void {
  const missing = tools.filter((tool) => findFoundryBinary(tool) === null);
  if (missing.length === 0) return;
  const packages = missing.map(foundryPackage).join(", ");
  if (process.platform === "linux" && process.arch === "x64") throw new Error(`${packages} missing: npm ci installs them on linux-x64`);
  console.log(`      skipped: ${missing.join(", ")} not available on ${process.platform}-${process.arch} (no ${packages}, none on PATH)`);
  ctx.skip();
}
