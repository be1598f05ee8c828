/** A perp protocol's `hedge` (the vault hedger, agents/vaultHedger.ts) in the normalized spec. */
import type { ScenarioFile } from "./schema";
import type { AmmSpec, PerpHedgeSpec, PerpMarketSpec } from "./types";

type Path = readonly PropertyKey[];
type FileHedge = Extract<ScenarioFile["protocols"][number], { type: "perp" }>["hedge"];

/** The hedge, or null without one; its AMM must trade the base of a linear market (an inverse market's exposure is in dollars). */
export function perpHedge(
  hedge: FileHedge,
  markets: readonly PerpMarketSpec[],
  path: Path,
  c: { add(path: Path, message: string): void; amm(name: string, path: Path): AmmSpec | undefined },
): PerpHedgeSpec | null {
  if (hedge === undefined) return null;
  const amm = c.amm(hedge.amm, [...path, "amm"]);
  if (amm && !markets.some((m) => m.kind === "linear" && (m.base === amm.tokenA || m.base === amm.tokenB))) {
    c.add([...path, "amm"], `${hedge.amm} pairs ${amm.tokenA} and ${amm.tokenB}: no linear market of this exchange has either as its base`);
  }
  return { amm: hedge.amm, ratioWad: hedge.ratioPct };
}
