/**
 * Every position as two health bars (at oracle prices, at market prices), grouped by venue (protocol,
 * and market in an isolated protocol), lowest health first. A bar's length is its health factor on a
 * 0..2 scale with a mark at 1; its colour is the health band (format.ts).
 */
import { healthColour, shortAddress, wad } from "./format";
import type { PositionHealth } from "./types";

const SCALE_MAX = 2;

function bar(hf: number | null, kind: string): HTMLElement {
  const outer = document.createElement("div");
  outer.className = `bar ${kind}`;
  const inner = document.createElement("div");
  inner.className = "fill";
  inner.style.width = `${Math.min(hf ?? 0, SCALE_MAX) / SCALE_MAX * 100}%`;
  inner.style.background = healthColour(hf);
  outer.append(inner);
  outer.title = `${kind === "oracle" ? "at oracle prices" : "at market prices"}: ${hf === null ? "no price" : hf.toFixed(4)}`;
  return outer;
}

function row(p: PositionHealth): HTMLElement {
  const hf = wad(p.healthWad);
  const hfMarket = wad(p.marketHealthWad);
  const el = document.createElement("div");
  el.className = "position";
  el.dataset.borrower = p.account;
  el.dataset.hf = p.healthWad;
  const label = document.createElement("span");
  label.className = "who";
  label.textContent = `${shortAddress(p.account)} ${hf === null ? "" : hf.toFixed(3)}`;
  el.append(label, bar(hf, "oracle"), bar(hfMarket, "market"));
  return el;
}

export function renderHealth(root: HTMLElement, positions: PositionHealth[]): void {
  const groups = new Map<string, PositionHealth[]>();
  for (const p of positions) {
    if (!p.hasLiability) continue;
    const venue = p.scope === "pool" ? p.protocol : `${p.protocol} ${p.scope}`;
    groups.set(venue, [...(groups.get(venue) ?? []), p]);
  }
  const closed = positions.filter((p) => !p.hasLiability).length;
  const sections: HTMLElement[] = [];
  for (const [venue, list] of groups) {
    const section = document.createElement("section");
    section.className = "venue";
    section.dataset.venue = venue;
    const below = list.filter((p) => BigInt(p.healthWad) < 10n ** 18n).length;
    const title = document.createElement("h3");
    title.textContent = `${venue}: ${list.length} positions with debt, ${below} below 1 at oracle prices`;
    section.append(title, ...list.sort((a, b) => (BigInt(a.healthWad) < BigInt(b.healthWad) ? -1 : 1)).map(row));
    sections.push(section);
  }
  const note = document.createElement("p");
  note.className = "note";
  note.textContent = `Top bar: health at the oracle price (what the protocol acts on); bottom bar: at the market price. The mark is health 1.${closed > 0 ? ` ${closed} positions have no debt left.` : ""}`;
  root.replaceChildren(note, ...sections);
}
