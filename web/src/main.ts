/** The playground page: wires the controls to the server and draws every state it pushes. */
import { RefusedError, post, subscribe } from "./api";
import { Charts } from "./charts";
import { e8 } from "./format";
import { renderBadDebt, renderFigures, renderLiquidations, renderNarration } from "./feed";
import { renderHealth } from "./health";
import type { PageState } from "./types";
import { InputError, nonNegative, priceUsd, wholeNumber } from "./validate";

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

const charts = new Charts(byId<HTMLCanvasElement>("chart-prices"), byId<HTMLCanvasElement>("chart-losses"));
let state: PageState | null = null;
let playing = false;

function message(text: string, kind: "error" | "info" = "info"): void {
  const el = byId("message");
  el.textContent = text;
  el.className = kind;
}

function fillSelect(select: HTMLSelectElement, values: string[], selected?: string): void {
  const keep = selected ?? select.value;
  select.replaceChildren(...values.map((v) => new Option(v, v)));
  if (values.includes(keep)) select.value = keep;
}

/** The slider spans 5%..200% of the asset's block-0 price. */
function updateSlider(s: PageState): void {
  const asset = byId<HTMLSelectElement>("price-asset").value;
  const first = e8(s.blocks[0]?.marketPriceE8[asset]) ?? 1;
  const slider = byId<HTMLInputElement>("price-slider");
  slider.min = String(first * 0.05);
  slider.max = String(first * 2);
  slider.step = String(first / 100);
  const now = e8(s.blocks[s.blocks.length - 1]?.marketPriceE8[asset]);
  if (now !== null && document.activeElement !== slider) slider.value = String(now);
  const price = byId<HTMLInputElement>("price");
  if (now !== null && price.value === "") price.value = String(now);
}

function render(s: PageState): void {
  state = s;
  fillSelect(byId("lesson"), s.lessons, s.lesson ?? undefined);
  fillSelect(byId("price-asset"), s.assets);
  fillSelect(byId("feed-asset"), s.assets);
  byId("block").textContent = String(s.block);
  byId("block").dataset.value = String(s.block);
  byId("description").textContent = s.description;
  const c = s.controls;
  if (c) {
    byId("keepers-toggle").textContent = c.keepersOn ? "Pause keepers" : "Resume keepers";
    byId("gas-toggle").textContent = c.gasSpikeGwei === null ? "Gas spike on" : `Gas spike off (now ${c.gasSpikeGwei} gwei)`;
    byId("feed-now").textContent = Object.entries(c.feeds).map(([a, f]) => `${a} ${f}`).join(", ");
    const delay = byId<HTMLInputElement>("keeper-delay");
    if (document.activeElement !== delay) delay.value = String(c.keeperDelayBlocks ?? "");
    byId("status").textContent = `keepers ${c.keepersOn ? "on" : "paused"}${c.gasSpikeGwei === null ? "" : `, gas spike ${c.gasSpikeGwei} gwei`}`;
  }
  updateSlider(s);
  charts.update(s, byId<HTMLSelectElement>("price-asset").value, s.amms);
  renderFigures(s);
  renderHealth(byId("health"), s.positions);
  renderLiquidations(byId("liquidations"), s);
  renderBadDebt(byId("bad-debt"), s);
  renderNarration(byId("narration"), s);
}

/** Sends a command; a refusal (page or server) is shown and changes nothing. */
async function send(path: string, body: () => unknown, done?: string): Promise<boolean> {
  try {
    render(await post(path, body()));
    message(done ?? "");
    return true;
  } catch (e) {
    if (e instanceof InputError || e instanceof RefusedError) {
      message(e.message, "error");
      return false;
    }
    throw e;
  }
}

async function play(): Promise<void> {
  playing = true;
  byId<HTMLButtonElement>("play").disabled = true;
  byId<HTMLButtonElement>("pause").disabled = false;
  while (playing && (await send("/api/step", () => ({ count: 1 })))) {
    const perSecond = Number(byId<HTMLSelectElement>("speed").value);
    await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond));
  }
  pause();
}

function pause(): void {
  playing = false;
  byId<HTMLButtonElement>("play").disabled = false;
  byId<HTMLButtonElement>("pause").disabled = true;
}

function priceControl(): unknown {
  const mode = document.querySelector<HTMLInputElement>("input[name=price-mode]:checked")?.value;
  const rampBlocks = mode === "ramp" ? wholeNumber("rampBlocks", byId<HTMLInputElement>("ramp-blocks").value, 1000) : 0;
  return { type: "price", asset: byId<HTMLSelectElement>("price-asset").value, priceUsd: priceUsd("priceUsd", byId<HTMLInputElement>("price").value), rampBlocks };
}

function feedControl(): unknown {
  const state = byId<HTMLSelectElement>("feed-state").value;
  return { type: "feed", asset: byId<HTMLSelectElement>("feed-asset").value, state, ...(state === "wrong" ? { priceUsd: priceUsd("priceUsd", byId<HTMLInputElement>("feed-price").value) } : {}) };
}

function wire(): void {
  byId("lesson").addEventListener("change", () => {
    pause();
    byId<HTMLInputElement>("price").value = "";
    message("deploying…");
    void send("/api/lesson", () => ({ name: byId<HTMLSelectElement>("lesson").value }), "lesson loaded: block 0");
  });
  byId("step").addEventListener("click", () => void send("/api/step", () => ({ count: 1 })));
  byId("play").addEventListener("click", () => void play());
  byId("pause").addEventListener("click", pause);
  byId("reset").addEventListener("click", () => {
    pause();
    void send("/api/reset", () => ({}), "reset to the deployment snapshot: block 0");
  });
  byId("export").addEventListener("click", () => {
    if (!state || state.block < 1) return message("export: play at least one block first", "error");
    window.location.href = "/api/export";
  });
  byId("price-apply").addEventListener("click", () => void send("/api/control", priceControl, "price set from the next block"));
  byId("price").addEventListener("keydown", (e) => {
    if (e.key === "Enter") void send("/api/control", priceControl, "price set from the next block");
  });
  const slider = byId<HTMLInputElement>("price-slider");
  slider.addEventListener("input", () => (byId<HTMLInputElement>("price").value = Number(slider.value).toFixed(2)));
  slider.addEventListener("change", () => void send("/api/control", priceControl, "price set from the next block"));
  byId("price-asset").addEventListener("change", () => {
    byId<HTMLInputElement>("price").value = "";
    if (state) render(state);
  });
  byId("feed-apply").addEventListener("click", () => void send("/api/control", feedControl, "feed changed from the next block"));
  byId("keepers-toggle").addEventListener("click", () => void send("/api/control", () => ({ type: "keepers", on: !(state?.controls?.keepersOn ?? true) })));
  byId("keeper-delay-apply").addEventListener("click", () =>
    void send("/api/control", () => ({ type: "keeperDelay", delayBlocks: wholeNumber("delayBlocks", byId<HTMLInputElement>("keeper-delay").value, 1000) }), "keepers' delay set"),
  );
  byId("gas-toggle").addEventListener("click", () =>
    void send("/api/control", () =>
      state?.controls?.gasSpikeGwei === null ? { type: "gasSpike", on: true, baseFeeGwei: nonNegative("baseFeeGwei", byId<HTMLInputElement>("gas-gwei").value, 100_000) } : { type: "gasSpike", on: false },
    ),
  );
}

wire();
subscribe(render);
