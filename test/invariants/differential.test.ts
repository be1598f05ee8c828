/**
 * Lockstep differential fuzzing of PooledLendingPool against the stateful PoolModel (see
 * simulator/fuzz/differentialFuzz.ts), and proof that the fuzzer can fail: a model bug injected through
 * the hook is found and shrunk to a short reproduction, the same one however slow the machine (the
 * shrinking is budgeted in replays). DIFF_FUZZ_STEPS and DIFF_FUZZ_SEED override the long run's defaults.
 */
import { expect } from "chai";
import { differentialFuzz, formatReproduction, replayActions, type ModelHook } from "../../simulator/fuzz/differentialFuzz";
import { parseFuzzActions, parseFuzzArgs, runFuzzCli } from "../../simulator/fuzz/fuzzCli";

const STEPS = Number(process.env.DIFF_FUZZ_STEPS ?? 2000);
const SEED = BigInt(process.env.DIFF_FUZZ_SEED ?? 20261121);
/** The injected-bug tests' seed (not overridden: their shrunk reproductions are asserted exactly). */
const BUG_SEED = 20261121n;

describe("PooledLendingPool vs PoolModel (differential fuzzing)", () => {
  it(`agrees with the model on every field after each of ${STEPS} random steps (seed ${SEED})`, async () => {
    // A difference would be shrunk within 5,000 actions replayed: about 100 s at 50 steps/s, within mocha's limit.
    const result = await differentialFuzz({ steps: STEPS, seed: SEED, shrinkSteps: 5_000 });
    if (result.difference) expect.fail(formatReproduction(result.difference));
    console.log(`      seed ${SEED}: ${result.steps} steps, ${result.liquidations} liquidations, ${result.writeOffs} write-offs, ${result.revertsMatched} reverts matched ${JSON.stringify(result.revertsByError)}`);
    expect(result.steps).to.equal(STEPS);
    expect(result.liquidations, "the run exercised liquidations").to.be.greaterThan(10);
    expect(result.writeOffs, "the run exercised bad-debt write-offs").to.be.greaterThan(0);
    expect(result.revertsMatched, "the run exercised reverts").to.be.greaterThan(50);
  });

  it("finds a model bug injected after each successful borrow and shrinks it to a short reproduction", async () => {
    // The bug: the model books one wei more debt than was borrowed.
    const offByOne: ModelHook = ({ model, action, reverted }) => {
      if (action.kind !== "borrow" || reverted) return;
      const r = model.reserves[action.asset];
      if (r) r.state = { ...r.state, totalBorrowAssets: r.state.totalBorrowAssets + 1n };
    };
    const result = await differentialFuzz({ steps: 500, seed: BUG_SEED, modelHook: offByOne });
    const repro = result.difference;
    if (!repro) return expect.fail("the injected bug went unnoticed");
    console.log(`      ${formatReproduction(repro).split("\n")[0]}`);
    expect(repro.difference.field).to.match(/^reserve\[\d\]\.stored\.totalBorrowAssets$/);
    expect(BigInt(repro.difference.model) - BigInt(repro.difference.chain)).to.equal(1n);
    // Shrinking is budgeted in actions replayed, so these are exact on any machine: 11 actions, 20 replayed, 2 left.
    expect(repro.originalLength).to.equal(11);
    expect(repro.shrinkSteps).to.equal(20);
    expect(repro.actions.map((a) => a.kind)).to.deep.equal(["supply", "borrow"]);
    expect(repro.originalLength).to.be.at.least(repro.actions.length);
    // The printed reproduction replays on a fresh deployment: with the bug it differs the same way, without it not at all.
    const actions = JSON.parse(JSON.stringify(repro.actions)) as typeof repro.actions;
    expect(await replayActions(BUG_SEED, actions, offByOne)).to.deep.equal(repro.difference);
    expect(await replayActions(BUG_SEED, actions)).to.equal(undefined);
  });

  // The bug: after any supply the model believes borrowing that asset is disabled.
  const disablesBorrowing: ModelHook = ({ model, action, reverted }) => {
    const r = action.kind === "supply" && !reverted ? model.reserves[action.asset] : undefined;
    if (r) r.borrowingEnabled = false;
  };

  it("finds an injected revert mismatch and shrinks it to the supply and borrow that show it", async () => {
    const result = await differentialFuzz({ steps: 500, seed: BUG_SEED + 1n, modelHook: disablesBorrowing });
    const repro = result.difference;
    if (!repro) return expect.fail("the injected bug went unnoticed");
    console.log(`      ${formatReproduction(repro).split("\n")[0]}`);
    expect(repro.difference.field).to.equal("outcome");
    expect(repro.difference.chain).to.not.equal("revert BorrowingDisabled");
    expect(repro.difference.model).to.equal("revert BorrowingDisabled");
    // Shrinking is budgeted in actions replayed, so these are exact on any machine: 13 actions, 73 replayed, 2 left.
    expect(repro.originalLength).to.equal(13);
    expect(repro.shrinkSteps).to.equal(73);
    expect(repro.actions.map((a) => a.kind)).to.deep.equal(["supply", "borrow"]);
  });

  it("shrinks to the same reproduction when every step is slowed down (20 ms per model step): the budget is in steps, not seconds", async () => {
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    const slowly: ModelHook = (event) => {
      Atomics.wait(sleeper, 0, 0, 20); // a loaded machine, simulated: blocks this thread for 20 ms
      disablesBorrowing(event);
    };
    const fast = await differentialFuzz({ steps: 500, seed: BUG_SEED + 1n, modelHook: disablesBorrowing, shrinkSteps: 45 });
    const slow = await differentialFuzz({ steps: 500, seed: BUG_SEED + 1n, modelHook: slowly, shrinkSteps: 45 });
    // 45 steps stop the shrinking half-way, at 6 actions after 43 replayed (the next candidate does not fit).
    expect(fast.difference?.shrinkSteps).to.equal(43);
    expect(fast.difference?.actions).to.have.length(6);
    expect(slow.difference).to.deep.equal(fast.difference);
  });

  describe("npm run fuzz arguments", () => {
    it("parses --steps, --seed and --shrink-steps, with defaults", () => {
      expect(parseFuzzArgs(["--steps", "50", "--seed", "18446744073709551617", "--shrink-steps", "300"])).to.deep.equal({ steps: 50, seed: 18446744073709551617n, shrinkSteps: 300 });
      expect(parseFuzzArgs([])).to.deep.equal({ steps: 1000, seed: 1n, shrinkSteps: 10_000 });
    });

    it("names --shrink-steps when given the old --shrink-seconds", () => {
      expect(() => parseFuzzArgs(["--shrink-seconds", "120"])).to.throw("--shrink-seconds: replaced by --shrink-steps <K>");
    });

    it("checks a replayed action list field by field", () => {
      expect(parseFuzzActions([{ kind: "time", seconds: "60" }, { kind: "supply", user: 0, asset: 1, amount: "5" }], "a.json")).to.have.length(2);
      expect(() => parseFuzzActions({}, "a.json")).to.throw("a.json: expected a JSON array of actions");
      expect(() => parseFuzzActions([{ kind: "mint" }], "a.json")).to.throw("a.json: [0].kind must be one of");
      expect(() => parseFuzzActions([{ kind: "borrow", user: 0, asset: 1, amount: 5 }], "a.json")).to.throw("a.json: [0].amount must be a decimal integer string");
      expect(() => parseFuzzActions([{ kind: "liquidate", user: 0, collateral: -1, debt: 0, amount: "1" }], "a.json")).to.throw("a.json: [0].collateral must be a non-negative integer");
    });

    for (const argv of [["--steps", "0"], ["--steps", "1.5"], ["--steps"], ["--seed", "-1"], ["--seed", "x"], ["--steps", "1", "--steps", "2"], ["--stpes", "5"], ["--shrink-steps", "--steps"], ["--shrink-steps", "0"], ["--shrink-steps", "-1"], ["--shrink-seconds", "60"], ["--replay", "/nonexistent/actions.json"]]) {
      it(`rejects ${JSON.stringify(argv)} with one line and exit code 2`, async () => {
        let out = "";
        let err = "";
        const code = await runFuzzCli(argv, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } });
        expect(code).to.equal(2);
        expect(out).to.equal("");
        expect(err).to.match(/^fuzz: [^\n]+\n$/);
      });
    }
  });
});
