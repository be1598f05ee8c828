/**
 * Cascade attribution bisects the states it tries where that gives the first liquidatable state exactly
 * (simulator/observe/attribution.ts `firstLiquidatableStep`): a position whose liquidatability is
 * monotone in its feeds (`revaluation.monotone`), each feed on one side of it, along a run of states in
 * which every sale put back moves its feed the way that hurts the position. A sale that helps it starts
 * a new run; any other position is tried state by state.
 */
import { expect } from "chai";
import { Dec, type PositionValues } from "../../simulator/state";
import { firstLiquidatableStep, movesOf, type AttributionPlan, type AttributionStep } from "../../simulator/observe/attribution";

/** A plan whose "spot" feed answers 1,000,000 and is priced `prices[k]` at step k (each step's move from the one before). */
function planOf(prices: readonly bigint[]): AttributionPlan {
  const steps: AttributionStep[] = prices.map((p, k) => {
    const before = prices[k - 1];
    const moves = new Map<string, 1 | -1 | 0>(before === undefined || before === p ? [] : [["spot", p < before ? 1 : -1]]);
    return {
      parent: k === 0 ? null : { liquidation: k - 1, generation: 0, protocol: "p" },
      price: (feed: string, answer: bigint) => (feed === "spot" && answer === 1_000_000n ? p : answer),
      moves,
    };
  });
  return { steps };
}

/** 1,000 steps from 1,000,000 down by 1,000 each (putting sales back lowers the price). */
const FALLING = Array.from({ length: 1_000 }, (_, k) => 1_000_000n - 1_000n * BigInt(k));

/** A position that is liquidatable where `liquidatable(spot price)` holds, counting its revaluations. */
function position(liquidatable: (spot: bigint) => boolean, feeds: PositionValues["feeds"], monotone: boolean | undefined): { v: PositionValues; calls: () => number } {
  let calls = 0;
  const revaluation = {
    ...(monotone === undefined ? {} : { monotone }),
    healthAtMarket: () => null,
    healthWith: () => null,
    liquidatableWith: (price: (feed: string, answer: bigint) => bigint) => {
      calls++;
      return liquidatable(price("spot", 1_000_000n));
    },
  };
  const v: PositionValues = {
    key: "k", protocol: "p", borrower: "0x0000000000000000000000000000000000000001", market: null, liquidatable: true,
    underwaterAtMarket: false, hasDebt: true, debtScaled: 0n, collateralScaled: 0n, latentOracleScaled: 0n, latentMarketScaled: 0n,
    healthFactorWad: 0n, marketHealthFactorWad: null, revaluation, feeds,
  };
  return { v, calls: () => calls };
}

const COLLATERAL: PositionValues["feeds"] = [{ feed: "spot", adverse: 1 }];

describe("cascade attribution: bisecting the states tried (observe/attribution firstLiquidatableStep)", () => {
  it("a monotone position on a falling collateral feed: the same first state as trying each, in at most 11 revaluations of 1,000 states", () => {
    const plan = planOf(FALLING);
    for (const threshold of [1_000_001n, 1_000_000n, 999_999n, 731_000n, 500_000n, 1_001n, 1_000n, 0n]) {
      const below = (spot: bigint) => spot < threshold;
      const { v, calls } = position(below, COLLATERAL, true);
      expect(firstLiquidatableStep(plan, v), `threshold ${threshold}`).to.equal(FALLING.findIndex(below));
      expect(calls(), `threshold ${threshold}`).to.be.at.most(11);
    }
    // Exact indexes: below 731,000 first at k = 270 (1,000,000 - 270,000 = 730,000); never below 1,000.
    expect(firstLiquidatableStep(plan, position((s) => s < 731_000n, COLLATERAL, true).v)).to.equal(270);
    expect(firstLiquidatableStep(plan, position((s) => s < 1_000n, COLLATERAL, true).v)).to.equal(-1);
  });

  it("a sale that raises the price (it helps the position) starts a new run: the first state is still the first of all, in at most 2 + 2 × 10 revaluations", () => {
    // Down 1,000 a step to 501,000 at k = 499, up to 900,000 at k = 500, then down 1,000 a step again.
    const prices = Array.from({ length: 1_000 }, (_, k) => (k < 500 ? 1_000_000n - 1_000n * BigInt(k) : 900_000n - 1_000n * BigInt(k - 500)));
    const plan = planOf(prices);
    for (const threshold of [950_000n, 600_000n, 501_001n, 501_000n, 450_000n, 400_001n, 400_000n]) {
      const below = (spot: bigint) => spot < threshold;
      const { v, calls } = position(below, COLLATERAL, true);
      expect(firstLiquidatableStep(plan, v), `threshold ${threshold}`).to.equal(prices.findIndex(below));
      expect(calls(), `threshold ${threshold}`).to.be.at.most(22);
    }
    // Below 501,000 only after the rise: at k = 900 (900,000 - 400 × 1,000 = 500,000).
    expect(firstLiquidatableStep(plan, position((s) => s < 501_000n, COLLATERAL, true).v)).to.equal(prices.findIndex((s) => s < 501_000n));
    expect(prices.findIndex((s) => s < 501_000n)).to.equal(900);
  });

  it("tries state by state (and finds the first of a band bisection would miss) when the position is not monotone or a feed is on both of its sides", () => {
    // Liquidatable only while the price is in [400,000, 600,000): first at k = 401.
    const band = (spot: bigint) => spot >= 400_000n && spot < 600_000n;
    expect(FALLING.findIndex(band)).to.equal(401);
    const cases: [string, PositionValues["feeds"], boolean | undefined][] = [
      ["no monotone flag (a perp position)", COLLATERAL, undefined],
      ["monotone: false", COLLATERAL, false],
      ["the feed supplied and borrowed", [{ feed: "spot", adverse: 1 }, { feed: "spot", adverse: -1 }], true],
    ];
    for (const [what, feeds, monotone] of cases) {
      const { v, calls } = position(band, feeds, monotone);
      expect(firstLiquidatableStep(planOf(FALLING), v), what).to.equal(401);
      expect(calls(), what).to.equal(402);
    }
  });

  it("on a feed whose rise hurts, falling sales each help the position: every state is a run of its own, tried one by one", () => {
    const below = (spot: bigint) => spot < 600_000n;
    const { v, calls } = position(below, [{ feed: "spot", adverse: -1 }], true);
    expect(firstLiquidatableStep(planOf(FALLING), v)).to.equal(401);
    expect(calls()).to.equal(402);
  });

  it("a liquidation's moves: 1 where every sale put back lowers the feed (factor > 1), -1 where every one raises it, 0 where both; a factor of exactly 1 moves nothing", () => {
    const moves = movesOf([
      { feed: "a", factor: new Dec("1.01") },
      { feed: "a", factor: new Dec("1.5") },
      { feed: "b", factor: new Dec("0.9") },
      { feed: "c", factor: new Dec("1.2") },
      { feed: "c", factor: new Dec("0.8") },
      { feed: "a", factor: new Dec(1) },
      { feed: "e", factor: new Dec(1) },
    ]);
    expect([...moves]).to.deep.equal([["a", 1], ["b", -1], ["c", 0]]);
  });
});
