/**
 * Lesson perp-socialized-loss: the shock of perp-adl with `lastResort: "socialize"`: the 2,575.025 USDC
 * the fund cannot pay is taken from the shorts' unrealized profit in proportion to it, as a haircut on
 * their cost basis; nobody's position is closed. Profits at the $1,900 mark: 990, 990 and 1,980 USDC
 * (Σ 3,960), so each gives up 2,575.025 / 3,960 = 65.03% of it: 643.75625, 643.75625 and 1,287.5125.
 * Every `Socialize` event names the 3,960 the haircut is taken from; result.json states the haircut
 * (2,575.025 / 3,960 = 65.02588384%) in the waterfall and each share in the loss's `shares`.
 */
import { expect } from "chai";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { resultOf } from "../../simulator";
import { explainRun } from "../../simulator/report/explain";
import { writeRunOutputs } from "../../simulator/report";
import { PerpMath } from "../../simulator/math";
import { waterfallLines, waterfallSentence } from "../../simulator/report/waterfallLines";
import { runPerpScenario, traderName } from "../helpers/perpScenario";

const USDC = 10n ** 6n;
const SHORTFALL = 4_575_025_000n;
const FUND = 2_000n * USDC;

describe("lesson: perp-socialized-loss", function () {
  this.timeout(180_000);

  it("the fund pays 2,000; the shorts' profits are cut pro rata by 2,575.025 (643.75625, 643.75625, 1,287.5125: 65.03% of their 3,960), their positions stay open", async () => {
    const { out, end } = await runPerpScenario("perp-socialized-loss", "perp");
    expect(out.liquidations.map((l) => [traderName(end, l.borrower), l.block])).to.deep.equal([["long-100x", 10]]);
    const waterfall = end.events.filter((e) => e.eventName === "Waterfall").map((e) => e.args.report);
    expect(waterfall).to.deep.equal([{ shortfall: SHORTFALL, insurancePaid: FUND, recovered: SHORTFALL - FUND, badDebt: 0n, owed: 0n }]);
    expect(out.badDebt.map((b) => [b.amount, b.absorbedBy.insuranceFund.amount, b.absorbedBy.socialized.amount, b.unabsorbed.amount])).to.deep.equal([[SHORTFALL, FUND, SHORTFALL - FUND, 0n]]);

    const haircuts = end.events.filter((e) => e.eventName === "Socialize").map((e) => [traderName(end, e.args.account), e.args.haircut, e.args.totalProfit]);
    expect(haircuts).to.deep.equal([
      ["short-20x", 643_756_250n, 3_960n * USDC],
      ["short-10x", 643_756_250n, 3_960n * USDC],
      ["short-5x", 1_287_512_500n, 3_960n * USDC],
    ]);

    // result.json: the haircut over the winners' profit, exactly 2,575.025 / 3,960, and each short's share of the loss.
    const result = resultOf(out);
    const w = result.summary.protocols.perp?.waterfall;
    expect(w?.socializedHaircut).to.deep.equal({ amount: "2575025000", winnersProfit: "3960000000", pct: "65.02588384" });
    const account = (name: string) => [...end.names].find(([, n]) => n === name)?.[0];
    const share = (name: string, amount: string, amountUsd: string) => ({ account: account(name), absorber: "socialized", amount, amountUsd, winnersProfit: "3960000000" });
    expect(result.losses.map((l) => l.shares)).to.deep.equal([
      [share("short-20x", "643756250", "643.75625"), share("short-10x", "643756250", "643.75625"), share("short-5x", "1287512500", "1287.5125")],
    ]);
    const nameOf = (a: string) => end.names.get(a) ?? a;
    if (!w) throw new Error("no waterfall");
    expect(waterfallLines("perp", w, nameOf)[1]).to.equal(
      "  socialized from 3 accounts: short-20x $643.76, short-10x $643.76, short-5x $1,287.51 (a haircut of 65.03% of their profit at mark)",
    );
    expect(waterfallSentence("perp", w, nameOf)).to.include("$2,575.03 of winners' PnL was socialized from short-20x ($643.76), short-10x ($643.76), short-5x ($1,287.51), 65.03% of each one's profit at mark;");
    // The narration's timeline and outcome state it too.
    const narration = explainRun({ ...out, result, nameOf }).replace(/\s+/g, " ");
    expect(narration).to.include("$2,575 socialized over traders' profits (a haircut of 65.03% of the winners' profit at mark)");
    expect(narration).to.include("65.03% of each one's profit at mark");
    // report.html's waterfall chart labels the socialized step with the haircut.
    const root = await mkdtemp(path.join(os.tmpdir(), "liqsim-socialized-"));
    try {
      const { htmlPath } = await writeRunOutputs(root, result, out.blocks, { html: { scenario: out.scenario, nameOf } });
      const html = await readFile(htmlPath ?? "", "utf8");
      const data = JSON.parse(/<script type="application\/json" id="liqsim-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "{}") as { waterfalls: { steps: { label: string; usd: number }[] }[] };
      expect(data.waterfalls[0]?.steps[3]).to.deep.equal({ label: "socialized (65.03% of the winners' profit)", usd: 2575.025 });
    } finally {
      await rm(root, { recursive: true, force: true });
    }

    // Taken from the cost basis: sold at 1,999, 10 WETH had a basis of 19,990; now 19,346.24375. At the
    // $1,900 mark each short's PnL is 990 − 643.75625 = 346.24375 (the 5x: 692.4875), and no size changed.
    const pnlAtMark = (size: bigint, basis: bigint) => PerpMath.pnl(PerpMath.MarketKind.Linear, false, size, basis, 1_900n * 10n ** 8n, USDC);
    const s20 = end.traders.get("short-20x");
    const s5 = end.traders.get("short-5x");
    expect(s20).to.include({ size: 10n * 10n ** 18n, openNotional: 19_346_243_750n });
    expect(s5).to.include({ size: 20n * 10n ** 18n, openNotional: 38_692_487_500n });
    expect(pnlAtMark(s20?.size ?? 0n, s20?.openNotional ?? 0n)).to.equal(346_243_750n);
    expect(pnlAtMark(s5?.size ?? 0n, s5?.openNotional ?? 0n)).to.equal(692_487_500n);
    expect([end.insuranceFund, end.badDebt]).to.deep.equal([0n, 0n]);
  });
});
