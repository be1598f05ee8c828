/** The figures, the liquidation feed, the bad-debt list and the narration's lines. */
import { shortAddress, usd, wad } from "./format";
import type { PageState } from "./types";

function cell(text: string): HTMLTableCellElement {
  const td = document.createElement("td");
  td.textContent = text;
  return td;
}

/** Sets a figure: the exact decimal string in data-value, the rounded dollars as text. */
function figure(id: string, value: string | number, dollars = true): void {
  const el = document.getElementById(id);
  if (!el) return;
  el.dataset.value = String(value);
  el.textContent = dollars ? usd(String(value)) : String(value);
}

export function renderFigures(state: PageState): void {
  const s = state.figures?.summary;
  figure("fig-liquidations", s?.liquidations.count ?? 0, false);
  figure("fig-repaid", s?.liquidations.debtRepaidUsd ?? "0");
  figure("fig-bad-debt", s?.badDebt.recordedUsd ?? "0");
  figure("fig-reserves", s?.badDebt.absorbedUsd.reserves ?? "0");
  figure("fig-socialized", s?.badDebt.absorbedUsd.suppliers ?? "0");
  figure("fig-latent", s?.badDebt.latentMarketUsd ?? "0");
  figure("fig-depth", s?.cascade.depth ?? 0, false);
}

export function renderLiquidations(body: HTMLElement, state: PageState): void {
  const rows = [...(state.figures?.liquidations ?? [])].reverse().map((l) => {
    const tr = document.createElement("tr");
    tr.append(
      cell(String(l.block)),
      cell(l.scope === "pool" ? l.protocol : `${l.protocol} ${l.scope}`),
      cell(l.liquidator),
      cell(shortAddress(l.account)),
      cell((wad(l.healthBeforeWad) ?? 0).toFixed(3)),
      cell(usd(l.repaidUsd)),
      cell(`${l.delayBlocks}`),
      cell(l.generation === 0 ? "0 (price)" : `${l.generation} (from #${l.causedBy})`),
      cell(usd(l.profitUsd)),
    );
    return tr;
  });
  body.replaceChildren(...rows);
}

export function renderBadDebt(body: HTMLElement, state: PageState): void {
  // The lending absorbers' columns (the page's lessons are lending ones).
  const rows = [...(state.figures?.losses ?? [])].reverse().map((d) => {
    const tr = document.createElement("tr");
    tr.append(cell(String(d.block)), cell(d.protocol), cell(shortAddress(d.account)), cell(usd(d.amountUsd)), cell(usd(d.absorbedBy.reserves.usd)), cell(usd(d.absorbedBy.suppliers.usd)));
    return tr;
  });
  body.replaceChildren(...rows);
}

export function renderNarration(list: HTMLElement, state: PageState): void {
  const lines = state.narration.length > 0 ? state.narration : [state.block === 0 ? "Nothing yet: step a block." : "Nothing to tell yet: no price moved enough, no position fell below 1."];
  list.classList.toggle("empty", state.narration.length === 0);
  list.replaceChildren(
    ...lines.map((line) => {
      const li = document.createElement("li");
      li.textContent = line;
      return li;
    }),
  );
}
