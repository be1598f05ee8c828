/**
 * The loss waterfall in words, per protocol that reports one (result.json `summary.protocols.<name>.waterfall`):
 * the terminal summary's lines under the table and the sentences `explain` tells. Accounts are named by
 * `nameOf` (a trader's scenario name when the caller knows it; the address otherwise).
 */
import type { RunResultJson } from "./types";
import type { WaterfallJson } from "./waterfall";
import { formatPctForDisplay, formatUsdForDisplay } from "./format";

export type AccountName = (account: string) => string;

/** At most this many accounts are named in one line; the rest are counted. */
const NAMED = 5;

/** One protocol's waterfall: the steps, then the accounts the last resort took from. */
export function waterfallLines(protocol: string, w: WaterfallJson, nameOf: AccountName): string[] {
  if (w.shortfalls === 0) return [`loss waterfall ${protocol}: no shortfall beyond the margins`];
  const usd = formatUsdForDisplay;
  const lines = [
    `loss waterfall ${protocol}: ${w.shortfalls} shortfall${w.shortfalls === 1 ? "" : "s"} beyond the margins, ${usd(w.shortfallUsd)}` +
      ` = insurance fund ${usd(w.insuranceFundUsd)} + auto-deleveraged ${usd(w.autoDeleveragedUsd)} + socialized ${usd(w.socializedUsd)}` +
      ` + vault deficit ${usd(w.deficitUsd)} + owed by traders ${usd(w.owedByTraderUsd)}` +
      (w.unabsorbedUsd === "0" ? "" : ` + unabsorbed ${usd(w.unabsorbedUsd)}`),
  ];
  for (const by of ["autoDeleveraged", "socialized"] as const) {
    const winners = w.winners.filter((x) => x.by === by);
    if (winners.length === 0) continue;
    const named = winners.slice(0, NAMED).map((x) => `${nameOf(x.account)} ${usd(x.amountUsd)}`);
    const more = winners.length > NAMED ? `, and ${winners.length - NAMED} more` : "";
    const haircut = by === "socialized" && w.socializedHaircut ? ` (a haircut of ${formatPctForDisplay(w.socializedHaircut.pct)} of their profit at mark)` : "";
    lines.push(`  ${by === "autoDeleveraged" ? "taken by ADL" : "socialized"} from ${winners.length} account${winners.length === 1 ? "" : "s"}: ${named.join(", ")}${more}${haircut}`);
  }
  return lines;
}

/** Every protocol's waterfall lines, in the summary's protocol order (none without a waterfall). */
export function allWaterfallLines(result: RunResultJson, nameOf: AccountName): string[] {
  return Object.entries(result.summary.protocols).flatMap(([name, p]) => (p.waterfall ? waterfallLines(name, p.waterfall, nameOf) : []));
}

/**
 * The waterfall as one sentence for `explain`: "On perpdex 27 shortfalls beyond the margins came to $X: the
 * insurance fund paid $A; $B of winners' PnL was taken by ADL from short-6 ($…), …; the vault kept $C as bad
 * debt; traders owe $D."
 */
export function waterfallSentence(protocol: string, w: WaterfallJson, nameOf: AccountName): string {
  if (w.shortfalls === 0) return `On ${protocol} no liquidation left a shortfall beyond the margin.`;
  const usd = formatUsdForDisplay;
  const parts = [`the insurance fund paid ${usd(w.insuranceFundUsd)}`];
  for (const by of ["autoDeleveraged", "socialized"] as const) {
    const winners = w.winners.filter((x) => x.by === by);
    if (winners.length === 0) continue;
    const named = winners.slice(0, NAMED).map((x) => `${nameOf(x.account)} (${usd(x.amountUsd)})`);
    const more = winners.length > NAMED ? ` and ${winners.length - NAMED} more` : "";
    const total = by === "autoDeleveraged" ? w.autoDeleveragedUsd : w.socializedUsd;
    const haircut = by === "socialized" && w.socializedHaircut ? `, ${formatPctForDisplay(w.socializedHaircut.pct)} of each one's profit at mark` : "";
    parts.push(`${usd(total)} of winners' PnL was ${by === "autoDeleveraged" ? "taken by ADL" : "socialized"} from ${named.join(", ")}${more}${haircut}`);
  }
  parts.push(`the vault kept ${usd(w.deficitUsd)} as bad debt`, `traders owe ${usd(w.owedByTraderUsd)}`);
  const count = `${w.shortfalls} shortfall${w.shortfalls === 1 ? "" : "s"}`;
  return `On ${protocol} ${count} beyond the margins came to ${usd(w.shortfallUsd)}: ${parts.join("; ")}.`;
}
