/**
 * Cascade attribution bisects the states it tries only where that gives the first liquidatable state
 * exactly (simulator/observe/attribution.ts `firstLiquidatableStep`): a position whose liquidatability is
 * monotone in its feeds (`revaluation.monotone`), every feed on one side of it, and every sale put back
 * moving its feed the way that hurts the position. Anything else is tried state by state.
 */
import { expect } from "chai";
import { Dec, type PositionValues } from "../../simulator/state";
import { directionsOf, firstLiquidatableStep, type AttributionPlan, type AttributionStep } from "../../simulator/observe/attribution";

const STEPS = 1_000;

/** Steps whose "spot" price is 1,000,000 × (STEPS - k) / STEPS at step k: putting sales back lowers it. */
function fallingPlan(directionOfSpot: 1 | -1 | 0 = 1): AttributionPlan {
  const steps: AttributionStep[] = Array.from({ length: STEPS }, (_, k) => ({
    parent: k === 0 ? null : { liquidation: k - 1, generation: 0, protocol: "p" },
    price: (feed: string, answer: bigint) => (feed === "spot" ? (answer * BigInt(STEPS - k)) / BigInt(STEPS) : answer),
  }));
  return { steps, directions: new Map([["spot", directionOfSpot]]) };
}

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

function linear(plan: AttributionPlan, liquidatable: (spot: bigint) => boolean): number {
  return plan.steps.findIndex((s) => liquidatable(s.price("spot", 1_000_000n)));
}

describe("cascade attribution: bisecting the states tried (observe/attribution firstLiquidatableStep)", () => {
  it("a monotone position on a falling collateral feed: the same first state as trying each, in at most 11 revaluations of 1,000 states", () => {
    const plan = fallingPlan();
    for (const threshold of [1_000_001n, 1_000_000n, 999_999n, 731_000n, 500_000n, 1_000n, 1n, 0n]) {
      const below = (spot: bigint) => spot < threshold;
      const { v, calls } = position(below, [{ feed: "spot", adverse: 1 }], true);
      expect(firstLiquidatableStep(plan, v), `threshold ${threshold}`).to.equal(linear(plan, below));
      expect(calls(), `threshold ${threshold}`).to.be.at.most(11);
    }
    // Exact indexes: below 731,000 first at k = 270 (1,000,000 × 730 / 1,000 = 730,000); never below 0.
    expect(firstLiquidatableStep(plan, position((s) => s < 731_000n, [{ feed: "spot", adverse: 1 }], true).v)).to.equal(270);
    expect(firstLiquidatableStep(plan, position((s) => s < 0n, [{ feed: "spot", adverse: 1 }], true).v)).to.equal(-1);
  });

  it("tries state by state (and finds the first of a band bisection would miss) when the position is not monotone, a feed is on both sides, the sales move both ways, or they help it", () => {
    // Liquidatable only while the price is in [400,000, 600,000): not monotone along the steps.
    const band = (spot: bigint) => spot >= 400_000n && spot < 600_000n;
    const first = linear(fallingPlan(), band);
    expect(first).to.equal(401);
    const cases: [string, AttributionPlan, PositionValues["feeds"], boolean | undefined][] = [
      ["no monotone flag (a perp position)", fallingPlan(), [{ feed: "spot", adverse: 1 }], undefined],
      ["monotone: false", fallingPlan(), [{ feed: "spot", adverse: 1 }], false],
      ["the feed supplied and borrowed", fallingPlan(), [{ feed: "spot", adverse: 1 }, { feed: "spot", adverse: -1 }], true],
      ["sales moving the feed both ways", fallingPlan(0), [{ feed: "spot", adverse: 1 }], true],
      ["falling sales on a feed whose rise hurts", fallingPlan(1), [{ feed: "spot", adverse: -1 }], true],
    ];
    for (const [what, plan, feeds, monotone] of cases) {
      const { v, calls } = position(band, feeds, monotone);
      expect(firstLiquidatableStep(plan, v), what).to.equal(first);
      expect(calls(), what).to.equal(first + 1);
    }
  });

  it("a feed's direction: 1 when every sale put back lowers it (factor > 1), -1 when every one raises it, 0 when both; factors of exactly 1 move nothing", () => {
    const d = directionsOf([
      { feed: "a", factor: new Dec("1.01") },
      { feed: "a", factor: new Dec("1.5") },
      { feed: "b", factor: new Dec("0.9") },
      { feed: "c", factor: new Dec("1.2") },
      { feed: "c", factor: new Dec("0.8") },
      { feed: "a", factor: new Dec(1) },
      { feed: "e", factor: new Dec(1) },
    ]);
    expect([...d]).to.deep.equal([["a", 1], ["b", -1], ["c", 0]]);
  });
});
