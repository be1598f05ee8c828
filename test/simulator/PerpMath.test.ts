/**
 * simulator/math's PerpMath equals contracts/libraries/PerpMath.sol to the wei: hand-computed
 * figures for each formula, then seeded random positions (linear and inverse, long and short, 6-, 8-
 * and 18-decimal collateral) sent through `PerpMathHarness` in one call per batch.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { PerpMathHarness } from "../../typechain-types";
import { MAX_UINT256, PerpMath as P, Rng, WAD } from "../../simulator/math";

const ONE = 10n ** 18n;
const USDC = 10n ** 6n;
const E8 = 10n ** 8n;

interface Vector {
  kind: P.MarketKind;
  isLong: boolean;
  size: bigint;
  openNotional: bigint;
  priceE8: bigint;
  margin: bigint;
  rateWad: bigint;
  unit: bigint;
}

const FIELDS = [
  "notionalDown",
  "notionalUp",
  "openNotional",
  "pnl",
  "closedNotionalHalf",
  "execBuyE8",
  "execSellE8",
  "feeUp",
  "initialMarginUp",
  "maintenanceMarginUp",
  "marginRatioWad",
  "bankruptcyPriceE8",
  "liquidationPriceE8",
  "adlRankWad",
] as const;
type Outputs = Record<(typeof FIELDS)[number], bigint>;

/** The harness's `_evaluate`, in the mirror. */
function model(v: Vector): Outputs {
  const notionalDown = P.notionalDown(v.kind, v.size, v.priceE8, v.unit);
  const pnl = P.pnl(v.kind, v.isLong, v.size, v.openNotional, v.priceE8, v.unit);
  const maintenanceMarginUp = P.maintenanceMarginUp(notionalDown, v.rateWad);
  return {
    notionalDown,
    notionalUp: P.notionalUp(v.kind, v.size, v.priceE8, v.unit),
    openNotional: P.openNotional(v.kind, v.isLong, v.size, v.priceE8, v.unit),
    pnl,
    closedNotionalHalf: P.closedNotional(v.kind, v.isLong, v.openNotional, v.size / 2n, v.size),
    execBuyE8: P.execPriceE8(v.priceE8, v.rateWad, true),
    execSellE8: P.execPriceE8(v.priceE8, v.rateWad, false),
    feeUp: P.feeUp(notionalDown, v.rateWad),
    initialMarginUp: P.initialMarginUp(notionalDown, 10n ** 36n / (2n * v.rateWad)),
    maintenanceMarginUp,
    marginRatioWad: P.marginRatioWad(v.margin + pnl, maintenanceMarginUp),
    bankruptcyPriceE8: P.bankruptcyPriceE8(v.kind, v.isLong, v.size, v.openNotional, v.margin, v.unit),
    liquidationPriceE8: P.liquidationPriceE8(v.kind, v.isLong, v.size, v.openNotional, v.margin, v.rateWad, v.unit),
    adlRankWad: P.adlRankWad(pnl, v.openNotional, notionalDown, v.margin + pnl),
  };
}

async function deployHarness(): Promise<PerpMathHarness> {
  return (await ethers.deployContract("PerpMathHarness")) as unknown as PerpMathHarness;
}

async function onChain(harness: PerpMathHarness, vectors: Vector[]): Promise<Outputs[]> {
  const out = await harness.evaluate(vectors);
  return out.map((o) => Object.fromEntries(FIELDS.map((f) => [f, o[f]])) as Outputs);
}

/** A position opened at a random entry within 0.2x..5x of the price, with margin from -basis to +basis. */
function randomVector(rng: Rng): Vector {
  const kind = rng.chance(1, 2) ? P.MarketKind.Linear : P.MarketKind.Inverse;
  const isLong = rng.chance(1, 2);
  const unit = [USDC, E8, ONE][rng.nextInt(0, 2)] as bigint;
  const size = 2n + rng.nextBigInt(10n ** BigInt(rng.nextInt(1, 24)));
  const priceE8 = 1n + rng.nextBigInt(10n ** BigInt(rng.nextInt(4, 13)));
  const entryE8 = 1n + (priceE8 * rng.bigIntBetween(20n, 500n)) / 100n;
  const openNotional = P.openNotional(kind, isLong, size, entryE8, unit);
  const margin = rng.bigIntBetween(-openNotional, openNotional);
  const rateWad = rng.bigIntBetween(10n ** 14n, 2n * 10n ** 17n);
  return { kind, isLong, size, openNotional, priceE8, margin, rateWad, unit };
}

describe("simulator/math PerpMath mirror", () => {
  it("linear: 2 ETH long from $2,000 to $1,900 in USDC loses exactly 200 USDC; 8x on 500 USDC margin is bankrupt at $1,750", () => {
    const L = P.MarketKind.Linear;
    const basis = P.openNotional(L, true, 2n * ONE, 2_000n * E8, USDC);
    expect(basis).to.equal(4_000n * USDC);
    expect(P.pnl(L, true, 2n * ONE, basis, 1_900n * E8, USDC)).to.equal(-200n * USDC);
    expect(P.pnl(L, false, 2n * ONE, basis, 1_900n * E8, USDC)).to.equal(200n * USDC);
    // notional(p) = basis - margin = 3,500 USDC -> p = 3,500 / 2 = $1,750.
    expect(P.bankruptcyPriceE8(L, true, 2n * ONE, basis, 500n * USDC, USDC)).to.equal(1_750n * E8);
    // notional(p) = (4,000 - 500) / (1 - 0.05) = 3,684.210527 (rounded up) -> p = ceil(1,842.1052635) = $1,842.10526350.
    expect(P.liquidationPriceE8(L, true, 2n * ONE, basis, 500n * USDC, WAD / 20n, USDC)).to.equal(184_210_526_350n);
    // A short: bankrupt at (4,000 + 500) / 2 = $2,250.
    expect(P.bankruptcyPriceE8(L, false, 2n * ONE, basis, 500n * USDC, USDC)).to.equal(2_250n * E8);
  });

  it("inverse: $10,000 of BTC long from $50,000 to $40,000 loses 0.05 BTC (size x (1/entry - 1/exit)); the short gains as much", () => {
    const I = P.MarketKind.Inverse;
    const size = 10_000n * ONE;
    const basis = P.openNotional(I, true, size, 50_000n * E8, E8);
    expect(basis).to.equal(20_000_000n); // 0.2 BTC
    // 10,000 / 50,000 - 10,000 / 40,000 = 0.2 - 0.25 = -0.05 BTC.
    expect(P.pnl(I, true, size, basis, 40_000n * E8, E8)).to.equal(-5_000_000n);
    expect(P.pnl(I, false, size, basis, 40_000n * E8, E8)).to.equal(5_000_000n);
    // 10x on 0.02 BTC: size / p = 0.2 + 0.02 -> p = 10,000 / 0.22 = $45,454.54545455 (rounded up for a long).
    expect(P.bankruptcyPriceE8(I, true, size, basis, 2_000_000n, E8)).to.equal(4_545_454_545_455n);
    // A long whose margin outweighs the basis from below never has a price: bankrupt at every price.
    expect(P.bankruptcyPriceE8(I, true, size, basis, -basis, E8)).to.equal(MAX_UINT256);
    // A short with margin >= basis is never bankrupt.
    expect(P.bankruptcyPriceE8(I, false, size, basis, basis, E8)).to.equal(MAX_UINT256);
  });

  it("spreads, fees, margins and ranks round against the trader", () => {
    expect(P.execPriceE8(2_000n * E8, 10n ** 15n, true)).to.equal(200_200_000_000n);
    expect(P.execPriceE8(3n, 10n ** 17n, true)).to.equal(4n); // ceil(3.3)
    expect(P.execPriceE8(3n, 10n ** 17n, false)).to.equal(2n); // floor(2.7)
    expect(P.feeUp(1_001n, 10n ** 15n)).to.equal(2n); // ceil(1.001)
    expect(P.initialMarginUp(1_000n, 3n * WAD)).to.equal(334n);
    expect(P.marginRatioWad(0n, 1n)).to.equal(MAX_UINT256);
    expect(P.marginRatioWad(3n, 1n)).to.equal(333_333_333_333_333_334n);
    // PnL 10% of the basis at 5x effective leverage ranks 0.5; a loser ranks 0.
    expect(P.adlRankWad(100n, 1_000n, 1_100n, 220n)).to.equal(WAD / 2n);
    expect(P.adlRankWad(-1n, 1_000n, 1_100n, 220n)).to.equal(0n);
    expect(P.adlRankWad(1n, 1_000n, 1_100n, 0n)).to.equal(MAX_UINT256);
  });

  it("the hand-computed vectors equal the contract's results", async () => {
    const harness = await loadFixture(deployHarness);
    const vectors: Vector[] = [
      { kind: P.MarketKind.Linear, isLong: true, size: 2n * ONE, openNotional: 4_000n * USDC, priceE8: 1_900n * E8, margin: 500n * USDC, rateWad: WAD / 20n, unit: USDC },
      { kind: P.MarketKind.Inverse, isLong: true, size: 10_000n * ONE, openNotional: 20_000_000n, priceE8: 40_000n * E8, margin: 2_000_000n, rateWad: WAD / 200n, unit: E8 },
      { kind: P.MarketKind.Inverse, isLong: true, size: 10_000n * ONE, openNotional: 20_000_000n, priceE8: 40_000n * E8, margin: -20_000_000n, rateWad: WAD / 200n, unit: E8 },
    ];
    expect(await onChain(harness, vectors)).to.deep.equal(vectors.map(model));
  });

  for (const batch of [0, 1, 2, 3]) {
    it(`seeded random positions, batch ${batch}: 150 vectors, every function equal to the wei`, async () => {
      const harness = await loadFixture(deployHarness);
      const rng = new Rng(20261207).fork(`perp-${batch}`);
      const vectors = Array.from({ length: 150 }, () => randomVector(rng));
      expect(await onChain(harness, vectors)).to.deep.equal(vectors.map(model));
    });
  }
});
