/**
 * The loss waterfall of a protocol whose venue reports one (report/waterfall.ts, waterfallLines.ts):
 * result.json's `summary.protocols.<name>.waterfall` only for the protocols named, each winner's shares
 * summed in the order first taken from, the same figures in the terminal lines and explain's sentence, and
 * report.html's waterfall charts drawn by Debian's chromium for perp-adl.
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { resultOf } from "../../simulator";
import { writeRunOutputs } from "../../simulator/report";
import { dumpDom } from "../helpers/browser";
import { runPerpScenario } from "../helpers/perpScenario";
import type { LossShareRecord } from "../../simulator/observe/types";
import { buildRunResult } from "../../simulator/report";
import { waterfallLines, waterfallSentence } from "../../simulator/report/waterfallLines";
import { ALICE, BOB, badDebt, smallRun } from "./fixtures";

const CAROL = "0x00000000000000000000000000000000000ca201" as const;

function share(account: typeof ALICE, amount: bigint, block = 4): LossShareRecord {
  return { block, protocol: "pool", market: null, asset: "USDC", account, by: "autoDeleveraged", amount, amountUsd: new Decimal(amount.toString()).div(1e6) };
}

describe("loss waterfall", () => {
  // A $300 shortfall: $100 from the fund, $150 by ADL (ALICE 100 in two closes, CAROL 50), $50 left to the vault.
  const loss = badDebt({
    absorbedBy: {
      insuranceFund: { amount: 100_000_000n, usd: "100" },
      autoDeleveraged: { amount: 150_000_000n, usd: "150" },
      deficit: { amount: 50_000_000n, usd: "50" },
    },
  });
  const shares = [share(ALICE, 60_000_000n), share(CAROL, 50_000_000n), share(ALICE, 40_000_000n)];

  it("is in result.json only for the protocols whose venue reports one, with each winner's shares summed", () => {
    const base = { ...smallRun(), badDebt: [loss] };
    expect(buildRunResult(base).summary.protocols.pool).to.not.have.property("waterfall");
    const result = buildRunResult({ ...base, lossShares: shares, waterfallProtocols: ["pool"] });
    expect(result.summary.protocols.pool?.waterfall).to.deep.equal({
      shortfalls: 1,
      shortfallUsd: "300",
      insuranceFundUsd: "100",
      autoDeleveragedUsd: "150",
      socializedUsd: "0",
      socializedHaircut: null,
      deficitUsd: "50",
      owedByTraderUsd: "0",
      unabsorbedUsd: "0",
      winners: [
        { account: ALICE, by: "autoDeleveraged", amount: "100000000", amountUsd: "100", times: 2 },
        { account: CAROL, by: "autoDeleveraged", amount: "50000000", amountUsd: "50", times: 1 },
      ],
    });
  });

  it("states the socialized haircut over the winners' profit (Σ haircuts / Σ each loss's winnersProfit) and each loss's shares in losses[]", () => {
    const haircut = (account: typeof ALICE, amount: bigint, winnersProfit: bigint, block: number): LossShareRecord => ({
      ...share(account, amount, block),
      by: "socialized",
      winnersProfit,
    });
    // Loss 1: 100 (units) over three winners of 100 profit each: 33 each rounded down, 99 taken, 1 left to the vault.
    // Loss 2: 50 over one winner of 200. Haircut: (99 + 50) / (300 + 200) = 29.8%.
    const first = [haircut(ALICE, 33n, 300n, 4), haircut(BOB, 33n, 300n, 4), haircut(CAROL, 33n, 300n, 4)];
    const second = [haircut(ALICE, 50n, 200n, 6)];
    const socialized = (block: number, amount: bigint, taken: bigint, shares: LossShareRecord[]) => ({
      ...badDebt({ block, amount, amountUsd: "0.0001", absorbedBy: { socialized: { amount: taken, usd: "0.0001" } } }),
      shares,
    });
    const losses = [socialized(4, 100n, 99n, first), socialized(6, 50n, 50n, second), badDebt({ block: 7 })];
    const result = buildRunResult({ ...smallRun(), badDebt: losses, lossShares: [...first, ...second], waterfallProtocols: ["pool"] });
    expect(result.summary.protocols.pool?.waterfall?.socializedHaircut).to.deep.equal({ amount: "149", winnersProfit: "500", pct: "29.8" });
    expect(result.losses.map((l) => l.shares?.map((x) => [x.account, x.absorber, x.amount, x.winnersProfit]))).to.deep.equal([
      [[ALICE, "socialized", "33", "300"], [BOB, "socialized", "33", "300"], [CAROL, "socialized", "33", "300"]],
      [[ALICE, "socialized", "50", "200"]],
      [],
    ]);
    // Without a waterfall (a lending protocol) a loss has no `shares` key at all.
    expect(buildRunResult({ ...smallRun(), badDebt: losses }).losses.map((l) => "shares" in l)).to.deep.equal([false, false, false]);
  });

  it("tells the same figures in the terminal's lines and in explain's sentence, accounts by name", () => {
    const w = buildRunResult({ ...smallRun(), badDebt: [loss], lossShares: shares, waterfallProtocols: ["pool"] }).summary.protocols.pool?.waterfall;
    if (!w) throw new Error("no waterfall");
    const names = new Map<string, string>([[ALICE, "alice"], [BOB, "bob"]]);
    const nameOf = (a: string) => names.get(a) ?? a;
    expect(waterfallLines("pool", w, nameOf)).to.deep.equal([
      "loss waterfall pool: 1 shortfall beyond the margins, $300.00 = insurance fund $100.00 + auto-deleveraged $150.00 + socialized $0.00 + vault deficit $50.00 + owed by traders $0.00",
      `  taken by ADL from 2 accounts: alice $100.00, ${CAROL} $50.00`,
    ]);
    expect(waterfallSentence("pool", w, nameOf)).to.equal(
      `On pool 1 shortfall beyond the margins came to $300.00: the insurance fund paid $100.00; $150.00 of winners' PnL was taken by ADL from alice ($100.00), ${CAROL} ($50.00); the vault kept $50.00 as bad debt; traders owe $0.00.`,
    );
  });

  it("report.html draws perp-adl's waterfall (2,000 fund, 2,575.025 ADL) and what each short gave up, by name", async function () {
    this.timeout(180_000);
    const root = await mkdtemp(path.join(os.tmpdir(), "liqsim-waterfall-"));
    try {
      const { out, end } = await runPerpScenario("perp-adl", "perp");
      const nameOf = (a: string) => end.names.get(a.toLowerCase()) ?? a;
      const { htmlPath } = await writeRunOutputs(root, resultOf(out), out.blocks, { html: { scenario: out.scenario, nameOf } });
      if (htmlPath === undefined) throw new Error("report.html was not written");
      const html = await readFile(htmlPath, "utf8");
      const data = JSON.parse(/<script type="application\/json" id="liqsim-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "{}") as { waterfalls: unknown };
      expect(data.waterfalls).to.deep.equal([
        {
          name: "perp",
          steps: [
            { label: "shortfall", usd: 4575.025 },
            { label: "insurance fund", usd: 2000 },
            { label: "auto-deleveraged", usd: 2575.025 },
            { label: "socialized", usd: 0 },
            { label: "vault deficit", usd: 0 },
            { label: "owed by traders", usd: 0 },
            { label: "unabsorbed", usd: 0 },
          ],
          winners: [
            { label: "short-20x", usd: 820.005 },
            { label: "short-10x", usd: 820.005 },
            { label: "short-5x", usd: 935.015 },
          ],
        },
      ]);
      const dom = dumpDom(htmlPath, root);
      for (const kind of ["waterfall", "waterfallWinners"]) {
        const canvas = [...dom.matchAll(/<canvas [^>]*>/g)].map((m) => m[0]).find((c) => c.includes(`data-chart="${kind}"`));
        expect(canvas, kind).to.be.a("string");
        expect(canvas, `${kind}: no error`).to.not.include("data-error");
        expect(Number(/data-drawn-pixels="(\d+)"/.exec(canvas ?? "")?.[1] ?? 0), `${kind}: drawn pixels`).to.be.greaterThan(1000);
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
