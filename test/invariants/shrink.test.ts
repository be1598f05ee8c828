/**
 * The fuzzer's delta debugging (simulator/fuzz/shrink.ts) on a known failure: a list of 13 actions that
 * fails exactly when actions 3 and 7 are both in it. Proves it finds the two, counts the actions it
 * replays against the shrink-step budget, stops before a candidate that does not fit with the same
 * partial result each time, and gives the same result whether a replay is instant or slow.
 */
import { expect } from "chai";
import { shrinkActions, type ShrinkFailure } from "../../simulator/fuzz/shrink";

const FAILING = Array.from({ length: 13 }, (_, i) => i);
const FIRST: ShrinkFailure = { step: 12, field: "outcome" };

/** Fails, in field "outcome", after the later of actions 3 and 7 when both are present. */
function replayOf(delayMs: number, calls: number[][]) {
  return async (candidate: number[]): Promise<ShrinkFailure | undefined> => {
    calls.push(candidate);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const a = candidate.indexOf(3);
    const b = candidate.indexOf(7);
    return a >= 0 && b >= 0 ? { step: Math.max(a, b), field: "outcome" } : undefined;
  };
}

describe("fuzz shrinking (ddmin), budgeted in actions replayed", () => {
  it("shrinks 13 actions to the two that fail together, in 14 replays of 61 actions in all", async () => {
    const calls: number[][] = [];
    const r = await shrinkActions({ failing: FAILING, first: FIRST, replay: replayOf(0, calls), maxSteps: 1000 });
    expect(r.actions).to.deep.equal([3, 7]);
    expect(r.failure).to.deep.equal({ step: 1, field: "outcome" });
    expect(r.replays).to.equal(calls.length);
    expect(r.replays).to.equal(14);
    // Each failing candidate counts up to its failing action, each other one in full.
    expect(r.steps).to.equal(61);
  });

  it("stops before a candidate that does not fit in maxSteps, with the same partial result on a fast and a slow machine", async () => {
    const fastCalls: number[][] = [];
    const slowCalls: number[][] = [];
    const fast = await shrinkActions({ failing: FAILING, first: FIRST, replay: replayOf(0, fastCalls), maxSteps: 40 });
    const slow = await shrinkActions({ failing: FAILING, first: FIRST, replay: replayOf(25, slowCalls), maxSteps: 40 });
    // Four replays (6 + 7 + 9 + 9 actions) find nothing to drop (halves, then quarters); the fifth drops
    // actions 8-11 and fails at action 7 (8 actions): 39. The next candidate, [3..7], would make 44.
    expect(fast.steps).to.equal(39);
    expect(fast.replays).to.equal(5);
    expect(fastCalls).to.have.length(5);
    expect(fast.actions).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(slow).to.deep.equal(fast);
    expect(slowCalls).to.deep.equal(fastCalls);
  });

  it("ignores a candidate that fails in another field", async () => {
    const r = await shrinkActions({
      failing: [0, 1, 2, 3],
      first: { step: 3, field: "outcome" },
      replay: async (c) => (c.length < 4 ? { step: c.length - 1, field: "reserve[0].stored.totalBorrowAssets" } : undefined),
      maxSteps: 100,
    });
    expect(r.actions).to.deep.equal([0, 1, 2, 3]);
    expect(r.failure).to.deep.equal({ step: 3, field: "outcome" });
  });

  for (const maxSteps of [0, -1, 1.5, Number.NaN]) {
    it(`rejects maxSteps ${maxSteps}`, async () => {
      let error: unknown;
      await shrinkActions({ failing: FAILING, first: FIRST, replay: replayOf(0, []), maxSteps }).catch((e: unknown) => (error = e));
      expect(error).to.be.instanceOf(RangeError);
      expect((error as Error).message).to.equal(`maxSteps: must be a positive integer, got ${maxSteps}`);
    });
  }
});
