/** The page's two Chart.js charts: one asset's market, push-feed and AMM prices; bad debt and who absorbed it. */
import { Chart, registerables } from "chart.js";
import { e8 } from "./format";
import type { PageState } from "./types";

Chart.register(...registerables);

const COMMON = { animation: false, responsive: true, maintainAspectRatio: false, interaction: { mode: "index", intersect: false } } as const;

export class Charts {
  private readonly prices: Chart<"line", (number | null)[], number>;
  private readonly losses: Chart<"bar", number[], number>;

  constructor(pricesCanvas: HTMLCanvasElement, lossesCanvas: HTMLCanvasElement) {
    this.prices = new Chart(pricesCanvas, {
      type: "line",
      data: { labels: [], datasets: [] },
      options: { ...COMMON, scales: { x: { title: { display: true, text: "block" } }, y: { title: { display: true, text: "USD" } } } },
    });
    // Cumulative bad debt per block as stacked bars: a write-off in the last block played is visible at once.
    this.losses = new Chart(lossesCanvas, {
      type: "bar",
      data: { labels: [], datasets: [] },
      options: {
        ...COMMON,
        scales: { x: { stacked: true, title: { display: true, text: "block" } }, y: { stacked: true, beginAtZero: true, title: { display: true, text: "bad debt so far, USD" } } },
      },
    });
  }

  /** Redraws both charts for `state`, the prices of `asset`. */
  update(state: PageState, asset: string, amms: { name: string; tokenA: string }[]): void {
    const labels = state.blocks.map((b) => b.block);
    // A single block (block 0) is drawn as points: a line needs two.
    const pointRadius = labels.length < 2 ? 4 : 0;
    const line = (label: string, colour: string, data: (number | null)[], dash: number[] = []) => ({
      label,
      data,
      borderColor: colour,
      backgroundColor: colour,
      borderDash: dash,
      pointRadius,
      borderWidth: 2,
      stepped: true as const,
    });
    this.prices.data.labels = labels;
    this.prices.data.datasets = [
      line(`${asset} market`, "#111827", state.blocks.map((b) => e8(b.marketPriceE8[asset]))),
      line(`${asset} push feed`, "#2563eb", state.blocks.map((b) => e8(b.oraclePriceE8[asset])), [6, 3]),
      ...amms.filter((a) => a.tokenA === asset).map((a) => line(`${a.name} AMM`, "#9333ea", state.blocks.map((b) => e8(b.ammPriceE8[a.name])), [2, 2])),
    ];
    this.prices.update();
    const sum = (by: "reserves" | "suppliers") =>
      state.blocks.map((b) => Object.values(b.protocols).reduce((total, p) => total + Number(p.absorbedUsd[by]), 0));
    this.losses.data.labels = labels;
    this.losses.data.datasets = [
      { label: "absorbed by reserves (insurance fund)", data: sum("reserves"), backgroundColor: "#0891b2" },
      { label: "socialized to suppliers (haircut)", data: sum("suppliers"), backgroundColor: "#dc2626" },
    ];
    this.losses.update();
  }
}
