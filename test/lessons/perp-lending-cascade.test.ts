/**
 * Lesson perp-lending-cascade: a hedged perp vault carries its liquidations into a lending market.
 * WETH slips 3% at block 10 ($2,000 -> $1,940, the perp mark's push feed follows in that block). The
 * exchange's keeper (a backstop) liquidates four longs at once, closing at 1,940 x (1 - 0.5%) = 1,930.3:
 *   ada 40 WETH (40x on 2,000 USDC): loss 40 x (2,001 - 1,930.3) = 2,828, margin 2,000 - 40.02 fee -> shortfall 868.02
 *   bo  28 WETH (35x, cross):        loss 1,979.6 against 1,571.986                         -> shortfall 407.614
 *   cy  36 WETH (30x):               loss 2,545.2 against 2,363.982                         -> shortfall 181.218
 *   di  22.5 WETH (25x):             loss 1,590.75 against 1,777.48875: the fee takes the 186.73875 left
 * The 5,000 USDC insurance fund pays the 1,456.852 of shortfalls. The vault took those 126.5 WETH of
 * longs over; in block 11 its hedger sells them into the WETH/USDC pair (1,000 WETH deep), which the
 * lending market morpho reads. Morpho's borrowers fall below health 1 at the pair's price while the
 * market stays at $1,940, and cascade attribution names the perp liquidations as the cause.
 * Without the hedge, the same run liquidates nobody in morpho.
 *
 * The traders' orders fill at block 11's mark, $1,940 (sell 1,939.03, buy 1,940.97):
 *   ed  15 WETH long (10x), stop loss 1.5%:  3,000 - 15.0075 + (29,085.45 - 30,015) - 14.542725 = 2,040.899775
 *   gus 75 WETH short (10x), take profit 2.5%: 15,000 - 74.9625 + (149,925 - 145,572.75) - 72.786375 = 19,204.501125
 *   hal 25 WETH short (5x), close at block 25: 10,000 - 24.9875 + 1,450.75 - 24.262125 = 11,401.500375
 */
import { expect } from "chai";
import { loadScenarioFile, resultOf, runScenario, type RunOutput, type Scenario } from "../../simulator";
import { freshChain, onSnapshot, scenarioFile } from "../helpers/scenarioRun";

const USDC = 10n ** 6n;
const WETH = 10n ** 18n;

/** Each named trader's balance and open size on the exchange at the end of the run. */
async function traders(out: RunOutput): Promise<Record<string, { balance: bigint; size: bigint }>> {
  const p = out.world.protocols.get("perpdex");
  if (p?.kind !== "perp") throw new Error("scenario has no perp exchange perpdex");
  const { chain } = out.world;
  const end: Record<string, { balance: bigint; size: bigint }> = {};
  for (const t of p.traders) {
    const position = await p.exchange.read(chain, "position", [t.address, 0n]);
    end[t.name] = { balance: await p.exchange.read(chain, "balance", [t.address]), size: position.size };
  }
  return end;
}

async function run(scenario: Scenario): Promise<{ out: RunOutput; end: Record<string, { balance: bigint; size: bigint }> }> {
  await freshChain();
  return onSnapshot(async () => {
    const out = await runScenario(scenario, { check: true });
    expect(out.complete, out.error).to.equal(true);
    return { out, end: await traders(out) };
  });
}

describe("lesson: perp-lending-cascade", function () {
  this.timeout(300_000);

  it("the vault's hedge of four perp liquidations liquidates 19 morpho borrowers (14 of them caused by the perp liquidations); unhedged, none", async () => {
    const scenario = loadScenarioFile(scenarioFile("perp-lending-cascade"));
    const { out, end } = await run(scenario);
    const perp = out.liquidations.filter((l) => l.protocol === "perpdex");
    expect(perp.map((l) => [l.block, l.debtRepaid, l.generation])).to.deep.equal([
      [10, 77_212n * USDC, 0],
      [10, 69_490_800_000n, 0],
      [10, 54_048_400_000n, 0],
      [10, 43_431_750_000n, 0],
    ]);
    expect(out.badDebt.filter((b) => b.protocol === "perpdex").map((b) => [b.amount, b.absorbedBy.insuranceFund.amount])).to.deep.equal([
      [868_020_000n, 868_020_000n],
      [181_218_000n, 181_218_000n],
      [407_614_000n, 407_614_000n],
    ]);
    const morpho = out.liquidations.filter((l) => l.protocol === "morpho");
    expect(morpho).to.have.length(19);
    // The first morpho liquidation comes the block after the hedge's sales, caused by one of the perp liquidations.
    const perpIds = new Set(perp.map((l) => l.id));
    expect([morpho[0]?.block, morpho[0]?.generation, perpIds.has(morpho[0]?.causedBy ?? -1)]).to.deep.equal([12, 1, true]);
    const cascade = resultOf(out).summary.cascade;
    expect(cascade).to.deep.equal({ depth: 3, generations: [4, 14, 5], contagion: { perpdex: { morpho: 14 }, morpho: { morpho: 5 } } });

    expect(end).to.deep.equal({
      ada: { balance: 0n, size: 0n },
      bo: { balance: 0n, size: 0n },
      cy: { balance: 0n, size: 0n },
      di: { balance: 0n, size: 0n },
      ed: { balance: 2_040_899_775n, size: 0n },
      flo: { balance: 0n, size: 50n * WETH },
      gus: { balance: 19_204_501_125n, size: 0n },
      hal: { balance: 11_401_500_375n, size: 0n },
    });

    const unhedged: Scenario = { ...scenario, protocols: scenario.protocols.map((p) => (p.type === "perp" ? { ...p, hedge: null } : p)) };
    const { out: calm } = await run(unhedged);
    expect(calm.liquidations.map((l) => l.protocol)).to.deep.equal(["perpdex", "perpdex", "perpdex", "perpdex"]);
    expect(resultOf(calm).summary.cascade.contagion).to.deep.equal({});
  });
});
