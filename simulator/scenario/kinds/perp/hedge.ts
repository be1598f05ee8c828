/** A perp protocol's `hedge` (the vault hedger, agents/vaultHedger.ts) in the normalized spec. */
import type { AmmSpec, PerpHedgeSpec, PerpMarketSpec } from "../../types";
import type { Path } from "../types";
import type { FilePerp } from "./schema";

type FileHedge = FilePerp["hedge"];

/** The hedge, or null without one; its AMM must trade the base of one of the exchange's markets (linear or inverse). */
export function perpHedge(
  hedge: FileHedge,
  markets: readonly PerpMarketSpec[],
  path: Path,
  c: { add(path: Path, message: string): void; amm(name: string, path: Path): AmmSpec | undefined },
): PerpHedgeSpec | null {
  if (hedge === undefined) return null;
  const amm = c.amm(hedge.amm, [...path, "amm"]);
  if (amm && !markets.some((m) => m.base === amm.tokenA || m.base === amm.tokenB)) {
    c.add([...path, "amm"], `${hedge.amm} pairs ${amm.tokenA} and ${amm.tokenB}: no market of this exchange has either as its base`);
  }
  const inventory = amm ? [{ asset: amm.tokenA, amount: amm.reserveA }, { asset: amm.tokenB, amount: amm.reserveB }] : [];
  return { amm: hedge.amm, ratioWad: hedge.ratioPct, inventory };
}
