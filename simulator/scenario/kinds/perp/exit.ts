/** A perp position's `exit` (a trader's orders, agents/perpTrader.ts) in the normalized spec. */
import type { PerpExitSpec } from "../../types";
import type { NormalizeContext, Path } from "../types";
import type { FilePerp } from "./schema";

type FileExit = FilePerp["positions"][number]["exit"];

/** The orders, or null without any; an `exit` naming none is an issue at its path. */
export function perpExit(exit: FileExit, path: Path, c: Pick<NormalizeContext, "add" | "checkBlock">): PerpExitSpec | null {
  if (exit === undefined) return null;
  const spec = { stopLossWad: exit.stopLossPct ?? null, takeProfitWad: exit.takeProfitPct ?? null, atBlock: exit.atBlock ?? null };
  if (spec.stopLossWad === null && spec.takeProfitWad === null && spec.atBlock === null) c.add(path, "give at least one of stopLossPct, takeProfitPct and atBlock");
  // A close after the last block would never happen.
  if (spec.atBlock !== null) c.checkBlock(spec.atBlock, [...path, "atBlock"]);
  return spec;
}
