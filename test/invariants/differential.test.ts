/**
 * Lockstep differential fuzzing of PooledLendingPool against the stateful PoolModel (see
 * simulator/fuzz/differentialFuzz.ts), and proof that the fuzzer can fail: a model bug injected through
 * the hook is found and shrunk to a short reproduction. DIFF_FUZZ_STEPS and DIFF_FUZZ_SEED override
 * the defaults.
 */
import { expect } from "chai";
import { differentialFuzz, formatReproduction } from "../../simulator/fuzz/differentialFuzz";

const STEPS = Number(process.env.DIFF_FUZZ_STEPS ?? 1500);
const SEED = BigInt(process.env.DIFF_FUZZ_SEED ?? 20261121);

describe("PooledLendingPool vs PoolModel (differential fuzzing)", () => {
  it(`agrees with the model on every field after each of ${STEPS} random steps (seed ${SEED})`, async () => {
    const result = await differentialFuzz({ steps: STEPS, seed: SEED, shrinkTimeMs: 30_000 });
    if (result.difference) expect.fail(formatReproduction(result.difference));
    console.log(`      seed ${SEED}: ${result.steps} steps, ${result.liquidations} liquidations, ${result.writeOffs} write-offs, ${result.revertsMatched} reverts matched`);
    expect(result.steps).to.equal(STEPS);
    expect(result.liquidations, "the run exercised liquidations").to.be.greaterThan(10);
    expect(result.writeOffs, "the run exercised bad-debt write-offs").to.be.greaterThan(0);
    expect(result.revertsMatched, "the run exercised reverts").to.be.greaterThan(50);
  });
});
