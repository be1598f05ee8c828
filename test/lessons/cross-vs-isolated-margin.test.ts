/**
 * Lesson cross-vs-isolated-margin: the same borrowers ($100,000 each, 60% WETH and 40% MEME, against
 * USDC) in a pool (cross margin: one account, one debt) and in isolated markets (isolated margin: a
 * WETH/USDC and a MEME/USDC position each), with the pool's thresholds equal to the markets' LLTVs so
 * both designs lend them the same. MEME gaps down 70% at block 10, WETH does not move.
 *  - cross margin: the WETH pays for the MEME loss; the thin accounts (HF 1.15) are liquidated for all
 *    their WETH, the thick ones (HF 1.4) never; the lenders lose nothing, the borrowers everything lost;
 *  - isolated margin: only the MEME/USDC positions are liquidated, every WETH/USDC position keeps its
 *    30 WETH; each MEME position leaves bad debt, which the MEME/USDC lenders bear, and nobody else.
 * Figures measured with --check on (every invariant and the engine's model against both protocols).
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import type { Address } from "viem";
import type { RunOutput, RunResultJson } from "../../simulator";
import { runBuiltInScenario } from "../helpers/scenarioRun";

const E18 = 10n ** 18n;

type GroupOutcomeJson = RunResultJson["summary"]["groups"][number];

interface Held {
  group: string;
  address: Address;
  weth: bigint;
  meme: bigint;
}

interface AtEnd {
  held: Held[];
  /** morpho's markets' `badDebtAssets` (USDC native units): WETH/USDC, MEME/USDC. */
  marketBadDebt: bigint[];
}

/** Every borrower's WETH and MEME collateral on chain at the end, and morpho's per-market bad debt. */
async function atEnd(out: RunOutput): Promise<AtEnd> {
  const { world } = out;
  const aave = world.protocols.get("aave");
  const morpho = world.protocols.get("morpho");
  if (aave?.kind !== "pooled" || morpho?.kind !== "isolated") throw new Error("unexpected protocols");
  const token = (symbol: string) => world.assets.get(symbol)?.token.address ?? "0x";
  const held: Held[] = [];
  for (const b of world.borrowers) {
    let weth: bigint;
    let meme: bigint;
    if (b.group.protocol === "aave") {
      [, , weth] = await aave.pool.read(world.chain, "getUserReserve", [token("WETH"), b.address]);
      [, , meme] = await aave.pool.read(world.chain, "getUserReserve", [token("MEME"), b.address]);
    } else {
      const collateral = async (id: bigint) =>
        (await world.isolatedLens.read(world.chain, "getPositions", [morpho.market.address, id, [b.address]]))[0]?.collateral ?? 0n;
      weth = await collateral(0n);
      meme = await collateral(1n);
    }
    held.push({ group: b.group.name, address: b.address, weth, meme });
  }
  const marketBadDebt: bigint[] = [];
  for (const m of morpho.markets) marketBadDebt.push((await morpho.market.read(world.chain, "marketState", [m.id])).badDebtAssets);
  return { held, marketBadDebt };
}

function group(result: RunResultJson, name: string): GroupOutcomeJson {
  const g = result.summary.groups.find((x) => x.name === name);
  if (!g) throw new Error(`no group ${name}`);
  return g;
}

describe("lesson: cross-vs-isolated-margin", function () {
  this.timeout(120_000);
  let run: Awaited<ReturnType<typeof runBuiltInScenario<AtEnd>>>;

  before(async () => {
    run = await runBuiltInScenario("cross-vs-isolated-margin", { inspect: atEnd });
  });

  it("both designs start the same borrowers with the same equity: $36,086.96 (thin) and $47,500 (thick) each", () => {
    // Equity = $100,000 - debt; debt = (60,000 x 82.5% + 40,000 x 60%) / HF, the same sum per market in morpho.
    const { result } = run;
    expect(group(result, "cross-thin").depositUsd).to.equal("180434.78261");
    expect(group(result, "isolated-thin").depositUsd).to.equal("180434.782615");
    expect(group(result, "cross-thick").depositUsd).to.equal("237500");
    expect(group(result, "isolated-thick").depositUsd).to.equal("237500.000005");
  });

  it("cross margin: the 5 thin accounts are liquidated for all their WETH (30 each, for $57,142.86 of debt), the thick ones never; aave's lenders lose nothing", () => {
    const { out, result, extra } = run;
    const aave = out.liquidations.filter((l) => l.protocol === "aave");
    const thin = new Set(extra.held.filter((h) => h.group === "cross-thin").map((h) => h.address.toLowerCase()));
    expect(aave.length).to.equal(5);
    for (const l of aave) {
      // The bot seizes the account's WETH (its largest collateral, the one that pays the bot most), not the MEME that fell.
      expect([l.block, l.collateral, l.collateralSeized, l.debtRepaid]).to.deep.equal([10, "WETH", (30n * E18).toString(), "57142857143"]);
      expect(thin.has(l.borrower)).to.equal(true);
    }
    expect(result.summary.protocols.aave?.liquidations.debtRepaidUsd).to.equal("285714.285715");
    for (const h of extra.held.filter((x) => x.group.startsWith("cross"))) {
      // Thin: no WETH left, the MEME (now $12,000) still backs the rest of the debt. Thick: untouched.
      expect([h.weth, h.meme], h.group).to.deep.equal(h.group === "cross-thin" ? [0n, 40_000n * E18] : [30n * E18, 40_000n * E18]);
    }
    // The lenders: nothing written off, nothing latent. The borrowers bear the whole loss.
    expect(result.summary.protocols.aave?.badDebt.totalUsd).to.equal("0");
    const crossThin = group(result, "cross-thin");
    const crossThick = group(result, "cross-thick");
    expect([crossThin.borrowerLossUsd, crossThin.lendersLossUsd]).to.deep.equal(["154285.73389", "0"]);
    expect([crossThick.borrowerLossUsd, crossThick.lendersLossUsd, crossThick.holdersLiquidated]).to.deep.equal(["140000.02934", "0", 0]);
    // Thick: exactly MEME's fall (5 x 40,000 MEME x $0.70) and 30 blocks of interest; thin: that plus the 5% bonus paid on the WETH.
    expect(new Decimal(crossThick.borrowerLossUsd).minus(140_000).lt(0.03)).to.equal(true);
    expect(new Decimal(crossThin.borrowerLossUsd).minus(crossThick.borrowerLossUsd).toFixed(2)).to.equal("14285.70");
  });

  it("isolated margin: only the 10 MEME/USDC positions are liquidated; every WETH/USDC position keeps its 30 WETH; MEME/USDC lenders take all $84,462.12 of bad debt", () => {
    const { out, result, extra } = run;
    const morpho = out.liquidations.filter((l) => l.protocol === "morpho");
    expect(morpho.length).to.equal(10);
    for (const l of morpho) expect([l.block, l.market, l.collateralSeized, l.debtRepaid]).to.deep.equal([10, "MEME/USDC", (40_000n * E18).toString(), "10560000002"]);
    expect(out.episodes.filter((e) => e.market === "WETH/USDC")).to.deep.equal([]);
    for (const h of extra.held.filter((x) => x.group.startsWith("isolated"))) expect([h.weth, h.meme], h.group).to.deep.equal([30n * E18, 0n]);
    // Bad debt: the recorded write-offs, all in MEME/USDC and all from its suppliers, equal the market's own on chain.
    const bd = result.summary.protocols.morpho?.badDebt;
    expect([bd?.recordedUsd, bd?.absorbedUsd.suppliers, bd?.latentMarketUsd]).to.deep.equal(["84462.117884", "84462.117884", "0"]);
    expect(new Set(out.badDebt.map((b) => b.market))).to.deep.equal(new Set(["MEME/USDC"]));
    expect(extra.marketBadDebt).to.deep.equal([0n, 84_462_117_884n]);
    // 8.4% of the MEME/USDC lenders' $1,000,000; the WETH/USDC lenders' $1,000,000 is whole.
    expect(new Decimal(bd?.recordedUsd ?? 0).div(1_000_000).toFixed(4)).to.equal("0.0845");
    const thin = group(result, "isolated-thin");
    const thick = group(result, "isolated-thick");
    expect([thin.borrowerLossUsd, thin.lendersLossUsd]).to.deep.equal(["95652.21672", "51547.829434"]);
    expect([thick.borrowerLossUsd, thick.lendersLossUsd]).to.deep.equal(["114285.74945", "32914.28845"]);
  });

  it("the comparison: cross margin puts the MEME loss on the borrower's WETH, isolated margin on the MEME lenders", () => {
    const { result, extra } = run;
    const loss = (name: string) => group(result, name);
    for (const level of ["thin", "thick"]) {
      const cross = loss(`cross-${level}`);
      const isolated = loss(`isolated-${level}`);
      // Lenders: nothing under cross margin, a share of the loss under isolated margin.
      expect(cross.lendersLossUsd).to.equal("0");
      expect(new Decimal(isolated.lendersLossUsd).gt(0)).to.equal(true);
      // Borrowers: lose more of their own under cross margin (their WETH pays), less under isolated (they walk away from the MEME debt).
      expect(new Decimal(cross.borrowerLossUsd).gt(isolated.borrowerLossUsd), level).to.equal(true);
    }
    // Thin borrowers end with no WETH under cross margin and all of it under isolated margin.
    const wethOf = (g: string) => extra.held.filter((h) => h.group === g).reduce((s, h) => s + h.weth, 0n);
    expect([wethOf("cross-thin"), wethOf("isolated-thin")]).to.deep.equal([0n, 150n * E18]);
    // Bad debt overall: only the isolated protocol's.
    expect(result.summary.badDebt.recordedUsd).to.equal(result.summary.protocols.morpho?.badDebt.recordedUsd);
  });
});
