/**
 * Lesson flash-crash-slippage (scenarios/flash-crash-slippage.json, docs/lessons/flash-crash-slippage.md):
 * WETH flash-crashes 30% at block 10 and is back at $2,000 by block 15; one liquidator liquidates in the
 * crash block and sells every seizure on a thin Uniswap V2 pair. Measured on the in-process chain with
 * `--check` on, against a control run on a pair fifty times deeper:
 *  - the positions whose collateral no longer covered debt plus bonus at the bottom leave bad debt,
 *    written off in the crash block though the price recovers fully five blocks later;
 *  - on the thin pair the liquidator's sales fetch far less than the WETH's market value: its profit
 *    at market prices turns into a realized loss;
 *  - on the deep pair the same liquidations, the same bad debt, and the liquidator keeps a profit.
 */
import { expect } from "chai";
import Decimal from "decimal.js";
import type { RunOutput, Scenario } from "../../simulator";
import { runBuiltInScenario, type ScenarioRun } from "../helpers/scenarioRun";

const E8 = 10n ** 8n;
const CRASH_BLOCK = 10;

/** The liquidator's wallet at the end of the run, in native units. */
interface Wallet {
  usdc: bigint;
  weth: bigint;
  capitalUsdc: bigint;
}

async function liquidatorWallet(out: RunOutput): Promise<Wallet> {
  const [liquidator] = out.world.liquidators;
  const usdc = out.world.assets.get("USDC");
  const weth = out.world.assets.get("WETH");
  if (!liquidator || !usdc || !weth) throw new Error("scenario has no liquidator, USDC or WETH");
  const capitalUsdc = liquidator.spec.capital.find((c) => c.asset === "USDC")?.amount ?? 0n;
  return {
    usdc: await usdc.token.read(out.world.chain, "balanceOf", [liquidator.address]),
    weth: await weth.token.read(out.world.chain, "balanceOf", [liquidator.address]),
    capitalUsdc,
  };
}

/** USDC gained over the run (proceeds of the sales less debt repaid), USD at $1; gas is paid in ETH, apart. */
function realizedUsd(w: Wallet): Decimal {
  return new Decimal((w.usdc - w.capitalUsdc).toString()).div(1e6);
}

/** Σ (collateral received at market prices − debt repaid): what the liquidations were worth before the sales. */
function profitAtMarketUsd(out: RunOutput): Decimal {
  return out.liquidations.reduce((sum, l) => sum.plus(l.collateralToLiquidatorUsd).minus(l.debtRepaidUsd), new Decimal(0));
}

/** The same world on a pair `factor` times deeper, its arbitrageur's capital scaled alike. */
function deeper(factor: bigint): (s: Scenario) => Scenario {
  return (s) => ({
    ...s,
    amms: s.amms.map((a) => ({ ...a, reserveA: a.reserveA * factor, reserveB: a.reserveB * factor })),
    arbitrageurs: s.arbitrageurs.map((a) => ({ ...a, capitalUsdE8: a.capitalUsdE8 * factor })),
  });
}

describe("lesson: flash-crash-slippage", function () {
  this.timeout(120_000);

  let thin: ScenarioRun<Wallet>;
  let deep: ScenarioRun<Wallet>;

  before(async () => {
    thin = await runBuiltInScenario("flash-crash-slippage", { inspect: liquidatorWallet });
    deep = await runBuiltInScenario("flash-crash-slippage", { edit: deeper(50n), inspect: liquidatorWallet });
  });

  it("the crash liquidates 10 positions in block 10 and writes off $7,335.22 of bad debt, although WETH is back at $2,000 by block 15", () => {
    const { blocks, liquidations, badDebt } = thin.out;
    expect(blocks[CRASH_BLOCK - 1]?.marketPriceE8.WETH).to.equal(1_400n * E8);
    expect(blocks[CRASH_BLOCK + 4]?.marketPriceE8.WETH).to.equal(2_000n * E8);
    expect(blocks[blocks.length - 1]?.marketPriceE8.WETH).to.equal(2_000n * E8);
    // The feed follows the market into the wick, so the keeper liquidates at the bottom.
    expect(blocks[CRASH_BLOCK - 1]?.oraclePriceE8.WETH).to.equal(1_400n * E8);
    expect(liquidations.length).to.equal(10);
    expect(liquidations.every((l) => l.block === CRASH_BLOCK && l.delayBlocks === 0)).to.equal(true);
    const s = thin.result.summary;
    expect(s.liquidations.debtRepaidUsd).to.equal("303717.828025");
    // Three positions had less collateral than debt plus bonus at $1,400: their remaining debt is written off at once.
    expect(badDebt.length).to.equal(3);
    expect(badDebt.every((b) => b.block === CRASH_BLOCK)).to.equal(true);
    expect(s.badDebt.recordedUsd).to.equal("7335.224487");
    expect(s.badDebt.latentMarketUsd).to.equal("0");
    // The borrowers lose their collateral at the bottom of a wick that fully recovers; the lenders lose the bad debt.
    expect(s.groups[0]?.borrowerLossUsd).to.equal("144523.72073182");
    expect(s.groups[0]?.lendersLossUsd).to.equal(s.badDebt.recordedUsd);
  });

  it("on the thin pair the sales push WETH to $989.35 and turn a $13,667.30 profit at market prices into a $37,768.24 realized loss", () => {
    const crash = thin.out.blocks[CRASH_BLOCK - 1];
    // The arbitrageur brings the pair to $1,400 first (its 2 gwei bid beats the liquidator's 1 gwei); the sales then sink it 29% further.
    expect(crash?.ammPriceE8["weth-usdc"]).to.equal(98_935_040_679n);
    expect(thin.result.summary.priceGaps.maxAmmVsMarketBps).to.equal("2933.21"); // abs($989.35 - $1,400) / $1,400
    const atMarket = profitAtMarketUsd(thin.out);
    expect(atMarket.toFixed(2)).to.equal("13667.30");
    // Everything seized was sold, but for dust: the liquidations seized a few wei more than previewed (one more block of interest).
    expect(thin.extra.weth).to.equal(541_907_142_857n);
    expect(thin.extra.usdc).to.equal(1_962_231_759_957n);
    const realized = realizedUsd(thin.extra);
    expect(realized.toString()).to.equal("-37768.240043");
    // Slippage cost: what the WETH was worth at market prices less what the pair paid for it.
    expect(atMarket.minus(realized).toFixed(2)).to.equal("51435.54");
    expect(atMarket.gt(0) && realized.lt(0)).to.equal(true);
  });

  it("on a pair fifty times deeper the same liquidations leave the same bad debt, and the liquidator keeps a $11,367.07 profit", () => {
    const borrowers = (run: ScenarioRun<Wallet>) => run.out.liquidations.map((l) => `${l.borrower}:${l.debtRepaid}`);
    expect(borrowers(deep)).to.deep.equal(borrowers(thin));
    // Where the liquidator sells does not change what the pool loses.
    expect(deep.result.summary.badDebt.recordedUsd).to.equal(thin.result.summary.badDebt.recordedUsd);
    expect(deep.out.blocks[CRASH_BLOCK - 1]?.ammPriceE8["weth-usdc"]).to.equal(138_877_675_140n);
    expect(deep.extra.usdc).to.equal(2_011_367_066_428n);
    const realized = realizedUsd(deep.extra);
    expect(realized.toString()).to.equal("11367.066428");
    // Depth decides the liquidator's outcome: a loss on the thin pair, most of the bonus on the deep one.
    expect(realized.gt(0)).to.equal(true);
    expect(realized.gt(realizedUsd(thin.extra))).to.equal(true);
    expect(realized.lt(profitAtMarketUsd(deep.out))).to.equal(true);
  });
});
